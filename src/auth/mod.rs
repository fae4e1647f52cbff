//! Identity: sessions, the guard of logged-in users, password hashing,
//! CSRF protection, throttling of costly attempts, known browsers, stream
//! tickets, an account's logins, and the rules and queries of accounts. The
//! pages that use them (log in, sign up, log out, the account's own pages)
//! are in [`crate::accounts`].

mod csrf;
mod devices;
mod forgetting;
mod guards;
mod last_seen;
mod logins;
pub mod password;
mod sessions;
pub mod strength;
mod throttle;
pub mod tickets;
pub mod users;

use std::time::Duration;

use rocket::fairing::AdHoc;
use rocket_db_pools::Database;

pub use csrf::{expired, token_matches, CsrfForm, CsrfHeader, CsrfToken, Long, NoFields};
pub use devices::KnownDevice;
pub use guards::{known_session_user, session_user, CurrentUser};
pub use logins::{Login, LoginPlace};
pub use password::Passwords;
pub use sessions::{SessionSettings, SessionUser, Sessions, COOKIE as SESSION_COOKIE};
pub use throttle::{Attempt, ClientIp, Limit, Throttle};
pub use tickets::Tickets;

use crate::config::Settings;
use crate::db::Db;
use crate::live::Engine;

/// Puts the session store, the password checker and the login throttle in
/// Rocket's managed state, and starts writing when logins were last used.
pub fn stage(settings: &Settings) -> AdHoc {
    let session_settings = SessionSettings {
        lifetime_days: settings.session_days,
        per_account: settings.sessions_per_account,
        secure: settings.secure_cookies,
    };
    let window = Duration::from_secs(settings.throttle_window);
    AdHoc::try_on_ignite("Accounts", move |rocket| async move {
        let tickets = Tickets::from_figment(rocket.figment());
        let Some(live) = rocket.state::<Engine>().cloned() else {
            rocket::error!("the live engine must be set up before the sessions");
            return Err(rocket);
        };
        let throttle = Throttle::new(window, live.clone());
        let sessions = Sessions::new(session_settings, tickets, live);
        sessions.hear_other_nodes();
        let Some(db) = Db::fetch(&rocket) else {
            rocket::error!("sessions need the database");
            return Err(rocket);
        };
        sessions.keep_writing_last_seen(db.pool().clone());
        match Passwords::new().await {
            Ok(passwords) => Ok(rocket.manage(sessions).manage(throttle).manage(passwords)),
            Err(e) => {
                rocket::error!("cannot prepare password hashing: {e}");
                Err(rocket)
            }
        }
    })
}
