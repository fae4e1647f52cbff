//! What changing a story touches, taken as one guard: the database, the
//! story cache, the live engine (open story lists) and the readers' inboxes
//! (followers told of updates).

use rocket::outcome::Outcome;
use rocket::request::{self, FromRequest, Request};
use sqlx::SqlitePool;

use crate::db::Db;
use crate::error::{stash, Error, Result};
use crate::ids::{StoryId, UserId};
use crate::live::Engine;
use crate::notifications::{self, Inboxes, Kind, NewUpdate, Posted};
use crate::stories::StoryCache;

pub struct Studio<'r> {
    pub db: &'r Db,
    pub stories: &'r StoryCache,
    pub live: &'r Engine,
    pub inboxes: &'r Inboxes,
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Studio<'r> {
    type Error = ();

    async fn from_request(req: &'r Request<'_>) -> request::Outcome<Self, ()> {
        let rocket = req.rocket();
        let parts = (
            rocket.state::<Db>(),
            rocket.state::<StoryCache>(),
            rocket.state::<Engine>(),
            rocket.state::<Inboxes>(),
        );
        match parts {
            (Some(db), Some(stories), Some(live), Some(inboxes)) => Outcome::Success(Studio {
                db,
                stories,
                live,
                inboxes,
            }),
            _ => {
                let error = Error::internal("story management is not set up");
                Outcome::Error((stash(req, error), ()))
            }
        }
    }
}

impl Studio<'_> {
    pub fn pool(&self) -> &SqlitePool {
        self.db.pool()
    }

    /// After a story changed in a way readers see (published, unpublished,
    /// renamed, edited, deleted): its cached page goes, and open story
    /// lists fetch the list again.
    pub async fn changed(&self, id: StoryId) {
        self.stories.invalidate(id);
        self.live.list_changed().await;
    }

    /// Posts an update to story `id`'s followers.
    pub async fn post(
        &self,
        id: StoryId,
        kind: Kind,
        text: &str,
        author: UserId,
    ) -> Result<Posted> {
        let update = NewUpdate {
            story: id,
            kind,
            text,
            author,
        };
        notifications::post(self.pool(), self.live, self.inboxes, update).await
    }
}
