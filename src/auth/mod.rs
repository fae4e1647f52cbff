//! Accounts and logins: sign up, log in, log out, sessions, CSRF and
//! login throttling.

mod cookie_key;
mod csrf;
mod guards;
mod login;
pub mod password;
mod sessions;
mod signup;
mod throttle;
pub mod users;

use std::time::Duration;

use rocket::fairing::AdHoc;
use rocket::Route;

pub use cookie_key::CookieKey;
pub use csrf::{CsrfForm, CsrfHeader, CsrfToken, NoFields};
pub use guards::{CurrentUser, Layout};
pub use sessions::{SessionUser, Sessions};
pub use throttle::{ClientIp, Throttle};

use crate::config::Settings;

pub fn routes() -> Vec<Route> {
    rocket::routes![
        login::login_form,
        login::login,
        login::logout,
        signup::signup_form,
        signup::signup
    ]
}

/// Puts the session store, the password checker and the login throttle in
/// Rocket's managed state.
pub fn stage(settings: &Settings) -> AdHoc {
    let sessions = Sessions::new(settings.session_days, settings.secure_cookies);
    let throttle = Throttle::new(Duration::from_secs(settings.throttle_window));
    AdHoc::try_on_ignite("Accounts", |rocket| async move {
        match password::Passwords::new().await {
            Ok(passwords) => Ok(rocket.manage(sessions).manage(throttle).manage(passwords)),
            Err(e) => {
                rocket::error!("cannot prepare password hashing: {e}");
                Err(rocket)
            }
        }
    })
}
