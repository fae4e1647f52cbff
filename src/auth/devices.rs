//! Known browsers ("device cookies", as OWASP describes them): a browser
//! that logged in to an account once gets a private (encrypted and
//! authenticated) cookie naming that account and a random nonce. When the
//! account's failed logins pile up, its lockout holds only for browsers
//! without such a cookie: someone guessing from elsewhere cannot lock the
//! owner out of the browser they use. A known browser has a failure limit
//! of its own, keyed by its nonce.

use rocket::http::{Cookie, CookieJar, SameSite};
use rocket::time;

use crate::util::random_token;

/// The cookie that marks a known browser.
pub const COOKIE: &str = "device";

/// How long a browser stays known without logging in again.
const REMEMBERED_DAYS: i64 = 365;

/// A known browser, as its cookie names it.
pub struct KnownDevice {
    pub nonce: String,
}

impl KnownDevice {
    /// The browser's device cookie, if it has one for `username` (in any case).
    pub fn of(jar: &CookieJar<'_>, username: &str) -> Option<KnownDevice> {
        let cookie = jar.get_private(COOKIE)?;
        let (name, nonce) = cookie.value().split_once(':')?;
        (name.eq_ignore_ascii_case(username) && nonce.len() == 64).then(|| KnownDevice {
            nonce: nonce.to_string(),
        })
    }

    /// Marks this browser as known to `username`, after a successful login.
    pub fn remember(jar: &CookieJar<'_>, username: &str, secure: bool) {
        let value = format!("{}:{}", username.to_ascii_lowercase(), random_token());
        jar.add_private(
            Cookie::build((COOKIE, value))
                .path("/")
                .http_only(true)
                .same_site(SameSite::Lax)
                .secure(secure)
                .max_age(time::Duration::days(REMEMBERED_DAYS)),
        );
    }

    /// Forgets the account this browser knew, after it was deleted: a new
    /// account under the same name is a stranger to it.
    pub fn forget(jar: &CookieJar<'_>) {
        jar.remove_private(Cookie::build(COOKIE).path("/"));
    }
}
