//! A logged-in reader's own inbox, as one guard: who they are, and what
//! brings their open pages up to date after they changed it (followed a
//! story, read a notification, changed a preference).

use rocket::outcome::{try_outcome, Outcome};
use rocket::request::{self, FromRequest, Request};
use sqlx::AnyPool;

use super::inbox::Inboxes;
use crate::auth::CurrentUser;
use crate::db::Db;
use crate::error::managed;
use crate::ids::UserId;
use crate::live::Engine;

pub struct ReaderInbox<'r> {
    pub reader: CurrentUser,
    db: &'r Db,
    live: &'r Engine,
    inboxes: &'r Inboxes,
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for ReaderInbox<'r> {
    type Error = ();

    async fn from_request(req: &'r Request<'_>) -> request::Outcome<Self, ()> {
        let reader = try_outcome!(req.guard::<CurrentUser>().await);
        Outcome::Success(ReaderInbox {
            reader,
            db: try_outcome!(managed::<Db>(req)),
            live: try_outcome!(managed::<Engine>(req)),
            inboxes: try_outcome!(managed::<Inboxes>(req)),
        })
    }
}

impl ReaderInbox<'_> {
    pub fn pool(&self) -> &AnyPool {
        self.db.pool()
    }

    pub fn user(&self) -> UserId {
        self.reader.user_id
    }

    /// After a change of theirs, when there was one: their state is read
    /// again and sent to their open pages.
    pub async fn changed_if(&self, changed: bool) {
        if changed {
            (self.inboxes)
                .changed(self.pool(), self.live, self.user())
                .await;
        }
    }
}
