//! The pages of accounts: log in, sign up, log out. Logging in and signing
//! up are one flow ([`Entry`]) with two doors: they check different things,
//! and both end with a new session on this browser.

mod entry;
mod login;
mod me;
mod resume;
mod signup;

use rocket::Route;

pub use entry::Entry;

pub fn routes() -> Vec<Route> {
    rocket::routes![
        login::login_form,
        login::login,
        login::logout,
        signup::signup_form,
        signup::signup,
        me::me
    ]
}
