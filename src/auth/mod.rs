//! Identity: sessions, the guard of logged-in users, password hashing,
//! CSRF protection, throttling of costly attempts, known browsers, stream
//! tickets, and the rules and queries of accounts. The pages that use them (log in, sign
//! up, log out) are in [`crate::accounts`].

mod csrf;
mod devices;
mod guards;
pub mod password;
mod sessions;
pub mod strength;
mod throttle;
pub mod tickets;
pub mod users;

use std::time::Duration;

use rocket::fairing::AdHoc;

pub use csrf::{CsrfForm, CsrfHeader, CsrfToken, NoFields};
pub use devices::KnownDevice;
pub use guards::{known_session_user, session_user, CurrentUser};
pub use password::Passwords;
pub use sessions::{SessionSettings, SessionUser, Sessions, COOKIE as SESSION_COOKIE};
pub use throttle::{Attempt, ClientIp, Limit, Throttle};
pub use tickets::Tickets;

use crate::config::Settings;

/// Puts the session store, the password checker and the login throttle in
/// Rocket's managed state.
pub fn stage(settings: &Settings) -> AdHoc {
    let session_settings = SessionSettings {
        lifetime_days: settings.session_days,
        per_account: settings.sessions_per_account,
        secure: settings.secure_cookies,
    };
    let throttle = Throttle::new(Duration::from_secs(settings.throttle_window));
    AdHoc::try_on_ignite("Accounts", move |rocket| async move {
        let tickets = Tickets::from_figment(rocket.figment());
        let sessions = Sessions::new(session_settings, tickets);
        match Passwords::new().await {
            Ok(passwords) => Ok(rocket.manage(sessions).manage(throttle).manage(passwords)),
            Err(e) => {
                rocket::error!("cannot prepare password hashing: {e}");
                Err(rocket)
            }
        }
    })
}
