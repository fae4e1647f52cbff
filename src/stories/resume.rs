//! Following a story on behalf of a reader who pressed its follow button
//! while signed out, once they have logged in (see [`crate::web::Resumer`]).

use sqlx::AnyPool;

use super::follows::{add, remove};
use super::{queries, StoryCache};
use crate::error::{Error, Result};
use crate::ids::UserId;
use crate::live::Engine;
use crate::notifications::Inboxes;
use crate::web::{resumed_page, Resumer};

/// Finishes follow and unfollow buttons.
pub struct FollowResumer {
    pub db: AnyPool,
    pub stories: StoryCache,
    pub inboxes: Inboxes,
    pub live: Engine,
}

impl FollowResumer {
    /// Follows (or stops following) the story of `action`; true if that
    /// changed anything. The same rules as the buttons: only a published
    /// story can be followed.
    async fn set(&self, user: UserId, action: &str) -> Result<bool> {
        let page = resumed_page(action).ok_or(Error::NotFound)?;
        let key = page.trim_start_matches("/stories/");
        if action.ends_with("/unfollow") {
            let story = queries::any_story_id(&self.db, key)
                .await?
                .ok_or(Error::NotFound)?;
            remove(&self.db, user, story).await
        } else {
            let story = self.stories.require(&self.db, key).await?;
            add(&self.db, user, story.id).await
        }
    }
}

#[rocket::async_trait]
impl Resumer for FollowResumer {
    async fn resume(&self, user: UserId, action: &str) {
        match self.set(user, action).await {
            Ok(true) => self.inboxes.changed(&self.db, &self.live, user).await,
            Ok(false) => {}
            Err(e) => rocket::info!("{action}, left before a login, was not done: {e}"),
        }
    }
}
