//! Opening a page's feed, whichever server carries it: Rocket's stream
//! routes and the live listener both ask [`Feeds`].

use std::net::IpAddr;
use std::sync::Arc;

use rocket::{Build, Rocket};
use rocket_db_pools::Database;
use sqlx::AnyPool;

use super::budget::{Budget, StreamLimits};
use super::count::StreamCount;
use super::feeds::{Feed, ListFeed, Main, StoryFeed};
use super::inbox_feed::{InboxFeed, PostedFeed};
use crate::auth::SessionUser;
use crate::db::Db;
use crate::error::{Error, Result};
use crate::live::Engine;
use crate::notifications::Inboxes;
use crate::stories::StoryCache;

/// What opening a feed needs, shared (cheap to clone).
#[derive(Clone)]
pub struct Feeds {
    pub db: AnyPool,
    pub live: Engine,
    pub stories: StoryCache,
    pub inboxes: Inboxes,
    pub count: Arc<StreamCount>,
    pub budget: Arc<Budget>,
}

impl Feeds {
    /// Built from the state the database, the live engine, the stories and
    /// the notifications put in place; streams held to `limits`.
    pub fn from_rocket(rocket: &Rocket<Build>, limits: StreamLimits) -> Option<Feeds> {
        let count = Arc::<StreamCount>::default();
        Some(Feeds {
            db: Db::fetch(rocket)?.pool().clone(),
            live: rocket.state::<Engine>()?.clone(),
            stories: rocket.state::<StoryCache>()?.clone(),
            inboxes: rocket.state::<Inboxes>()?.clone(),
            budget: Arc::new(Budget::new(limits, Arc::clone(&count))),
            count,
        })
    }

    /// A story page's feed for `reader` at `address`: the reader counts as
    /// a viewer while it is open.
    pub async fn story(
        &self,
        key: &str,
        reader: &SessionUser,
        address: Option<IpAddr>,
    ) -> Result<Feed> {
        let permit = self.budget.admit(Some(reader), address)?;
        let story = self.stories.require(&self.db, key).await?;
        let feed = StoryFeed::open(&self.live, &story, reader.user_id)
            .await
            .ok_or_else(|| Error::internal("the live channels are unavailable"))?;
        let inbox = self.inbox_of(reader).await?;
        Ok(Feed::new(Main::Story(feed), Some(inbox), permit))
    }

    /// The story list's feed; with the reader's inbox when logged in.
    pub async fn list(
        &self,
        reader: Option<&SessionUser>,
        address: Option<IpAddr>,
    ) -> Result<Feed> {
        let permit = self.budget.admit(reader, address)?;
        let feed = ListFeed::open(&self.db, &self.live).await?;
        let inbox = match reader {
            Some(reader) => Some(self.inbox_of(reader).await?),
            None => None,
        };
        Ok(Feed::new(Main::List(feed), inbox, permit))
    }

    /// Every other page's feed: the reader's inbox, and a signal when any
    /// update is posted (for the notifications page).
    pub async fn inbox(&self, reader: &SessionUser, address: Option<IpAddr>) -> Result<Feed> {
        let permit = self.budget.admit(Some(reader), address)?;
        let inbox = self.inbox_of(reader).await?;
        let posted = PostedFeed::open(&self.live);
        Ok(Feed::new(Main::Posted(posted), Some(inbox), permit))
    }

    async fn inbox_of(&self, reader: &SessionUser) -> Result<InboxFeed> {
        InboxFeed::of_reader(&self.db, &self.inboxes, &self.live, reader.user_id).await
    }
}
