//! The guard of every admin route: a logged-in admin, or nothing runs.

use std::ops::Deref;

use rocket::outcome::Outcome;
use rocket::request::{self, FromRequest, Request};

use crate::auth::CurrentUser;
use crate::error::{stash, Error};

/// A logged-in admin. A reader gets 403; a visitor who is not logged in is
/// sent to log in (by `CurrentUser`).
#[derive(Debug, Clone)]
pub struct Admin(pub CurrentUser);

impl Deref for Admin {
    type Target = CurrentUser;
    fn deref(&self) -> &CurrentUser {
        &self.0
    }
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Admin {
    type Error = ();

    async fn from_request(req: &'r Request<'_>) -> request::Outcome<Self, ()> {
        match req.guard::<CurrentUser>().await {
            Outcome::Success(user) if user.is_admin => Outcome::Success(Admin(user)),
            Outcome::Success(_) => {
                let error = Error::Forbidden("Only administrators can open this page.".into());
                Outcome::Error((stash(req, error), ()))
            }
            Outcome::Error(e) => Outcome::Error(e),
            Outcome::Forward(status) => Outcome::Forward(status),
        }
    }
}
