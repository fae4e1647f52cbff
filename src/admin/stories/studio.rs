//! What changing a story touches, taken as one guard: the database, the
//! story cache, the live engine (open story lists) and the readers' inboxes
//! (followers told of updates).

use rocket::outcome::{try_outcome, Outcome};
use rocket::request::{self, FromRequest, Request};
use sqlx::AnyPool;

use crate::db::Db;
use crate::error::{managed, Result};
use crate::ids::{StoryId, UserId};
use crate::live::{Engine, Forget};
use crate::notifications::{self, Inboxes, Kind, NewUpdate, Posted};
use crate::stories::schedule::Schedule;
use crate::stories::StoryCache;

pub struct Studio<'r> {
    pub db: &'r Db,
    pub stories: &'r StoryCache,
    pub live: &'r Engine,
    pub inboxes: &'r Inboxes,
    pub schedule: &'r Schedule,
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Studio<'r> {
    type Error = ();

    async fn from_request(req: &'r Request<'_>) -> request::Outcome<Self, ()> {
        Outcome::Success(Studio {
            db: try_outcome!(managed::<Db>(req)),
            stories: try_outcome!(managed::<StoryCache>(req)),
            live: try_outcome!(managed::<Engine>(req)),
            inboxes: try_outcome!(managed::<Inboxes>(req)),
            schedule: try_outcome!(managed::<Schedule>(req)),
        })
    }
}

impl Studio<'_> {
    pub fn pool(&self) -> &AnyPool {
        self.db.pool()
    }

    /// After a story changed in a way readers see (published, unpublished,
    /// renamed, edited, deleted): its cached page goes, and open story
    /// lists fetch the list again.
    pub async fn changed(&self, id: StoryId) {
        self.stories.invalidate(id);
        self.live.forget(Forget::Story { story: id }).await;
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
