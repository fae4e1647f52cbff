//! Following stories and hearing about their updates: follows, the update
//! an admin posts and its fan-out to every follower, the notifications
//! feed, and the per-reader inbox state every page shows.

mod fanout;
mod feed;
mod follows;
mod inbox;
pub mod queries;

use rocket::form::FromForm;
use rocket::http::Status;
use rocket::response::Redirect;
use rocket::{Either, Route};

pub use fanout::{normalized, post, refresh_open_pages, text_problem, Kind, Posted, TEXT_MAX};
pub use inbox::{Inboxes, ReaderState};

use crate::forms::local_path;

/// Where a form goes back to: `next` for forms on pages; a script that
/// sends none gets 204.
#[derive(Debug, Default, FromForm)]
pub struct Back {
    next: Option<String>,
}

pub type Done = Either<Redirect, Status>;

fn back(form: Back) -> Done {
    match form.next {
        Some(next) => Either::Left(Redirect::to(local_path(&next).to_string())),
        None => Either::Right(Status::NoContent),
    }
}

pub fn routes() -> Vec<Route> {
    rocket::routes![
        follows::follow,
        follows::unfollow,
        follows::following,
        feed::page,
        feed::mark_one,
        feed::mark_all,
        feed::preferences,
    ]
}
