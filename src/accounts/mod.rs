//! The pages of accounts: log in, sign up, log out, and the account's own
//! pages (its password, its logins, deleting it, and the reset links an
//! admin issues for it). Logging in and signing up are one flow
//! ([`Entry`]) with two doors: they check different things, and both end
//! with a new session on this browser. The account's own pages act as its
//! [`owner::Owner`], who must give the password again for what needs it.

mod account_page;
mod deletion;
mod entry;
mod fields;
mod login;
mod me;
mod owner;
mod password_change;
mod reset;
pub mod reset_links;
mod resume;
mod sessions_page;
mod signup;
mod user_agents;

use rocket::Route;

pub use entry::Entry;

pub fn routes() -> Vec<Route> {
    rocket::routes![
        login::login_form,
        login::login,
        login::logout,
        signup::signup_form,
        signup::signup,
        me::me,
        account_page::page,
        password_change::form,
        password_change::change,
        sessions_page::list,
        sessions_page::end,
        sessions_page::end_others,
        deletion::form,
        deletion::delete,
        deletion::deleted,
        reset::form,
        reset::reset,
    ]
}
