//! What a live stream sends, independent of the server that carries it:
//! Rocket's event streams and the dedicated live listener both take their
//! events from these feeds.

use std::time::Duration;

use rocket::tokio::select;
use rocket::tokio::sync::broadcast::{self, error::RecvError};
use sqlx::AnyPool;

use super::budget::Permit;
use super::inbox_feed::{InboxFeed, PostedFeed};
use crate::error::Result;
use crate::ids::{StoryId, UserId};
use crate::live::{Engine, Figures, ListFigures, ListMessage, StoryWatch, Viewing};
use crate::stories::{queries, CachedStory};

/// How long a browser waits before reconnecting a dropped stream.
pub const RETRY: Duration = Duration::from_secs(2);

/// One server-sent event.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub name: &'static str,
    pub data: String,
    /// Sent with the first event: the reconnection delay.
    pub retry: Option<Duration>,
}

impl Outgoing {
    pub fn json(name: &'static str, value: &impl serde::Serialize) -> Outgoing {
        let data = serde_json::to_string(value).unwrap_or_else(|_| "null".into());
        Outgoing {
            name,
            data,
            retry: None,
        }
    }

    fn first(mut self) -> Outgoing {
        self.retry = Some(RETRY);
        self
    }

    /// The event in the wire format of `text/event-stream`.
    pub fn to_wire(&self) -> String {
        let retry = self
            .retry
            .map(|r| format!("retry:{}\n", r.as_millis()))
            .unwrap_or_default();
        format!("{retry}event:{}\ndata:{}\n\n", self.name, self.data)
    }
}

/// A story page's feed: its figures now, then every change. The reader
/// counts as a viewer for as long as the feed lives.
pub struct StoryFeed {
    _viewing: Viewing,
    watch: StoryWatch,
    first: Option<Figures>,
    /// What the page shows: a publication that would not change it is skipped.
    shown: Figures,
}

impl StoryFeed {
    /// `reader`'s feed of `story`; `None` if the engine has stopped.
    pub async fn open(live: &Engine, story: &CachedStory, reader: UserId) -> Option<StoryFeed> {
        let viewing = Viewing::start(live, story.id, reader).await;
        let (now, watch) = live.watch_story(story.id, story.read_count()).await?;
        Some(StoryFeed {
            _viewing: viewing,
            watch,
            first: Some(now),
            shown: now,
        })
    }

    /// The next event; `None` when the feed has ended.
    pub async fn next(&mut self) -> Option<Outgoing> {
        if let Some(first) = self.first.take() {
            return Some(Outgoing::json("figures", &first));
        }
        loop {
            let figures = self.watch.changed().await?;
            if figures != self.shown {
                self.shown = figures;
                return Some(Outgoing::json("figures", &figures));
            }
        }
    }
}

/// The story list's feed: every published story's figures now, then the
/// changed ones; a fresh snapshot after falling behind.
pub struct ListFeed {
    db: AnyPool,
    live: Engine,
    changes: broadcast::Receiver<ListMessage>,
    first: Option<Vec<ListFigures>>,
    resync: bool,
}

impl ListFeed {
    pub async fn open(db: &AnyPool, live: &Engine) -> Result<ListFeed> {
        // Subscribe before the snapshot, so no change falls between the two.
        let changes = live.watch_lists();
        let first = snapshot(db, live).await?;
        Ok(ListFeed {
            db: db.clone(),
            live: Engine::clone(live),
            changes,
            first: Some(first),
            resync: false,
        })
    }

    pub async fn next(&mut self) -> Option<Outgoing> {
        if let Some(first) = self.first.take() {
            return Some(Outgoing::json("stories", &first));
        }
        if !self.resync {
            match self.changes.recv().await {
                Ok(ListMessage::Figures(batch)) => {
                    return Some(Outgoing::json("stories", &batch.as_ref()))
                }
                Ok(ListMessage::Changed) => return Some(Outgoing::json("listchanged", &())),
                Err(RecvError::Closed) => return None,
                Err(RecvError::Lagged(_)) => {
                    // Skip the backlog (older than what the snapshot shows).
                    self.changes = self.changes.resubscribe();
                    self.resync = true;
                }
            }
        }
        // Behind: start afresh from the current figures. `resync` stays set
        // until the snapshot is sent, in case this wait is cut short.
        let all = snapshot(&self.db, &self.live).await.ok()?;
        self.resync = false;
        Some(Outgoing::json("stories", &all))
    }
}

/// What a page's stream carries besides its reader's inbox.
pub enum Main {
    Story(StoryFeed),
    List(ListFeed),
    Posted(PostedFeed),
}

/// A page's whole stream: what the page shows, and the logged-in reader's
/// inbox for the badge in its navigation bar. It holds its place in the
/// stream budgets, and ends when its login does.
pub struct Feed {
    main: Main,
    inbox: Option<InboxFeed>,
    permit: Permit,
    started: bool,
    /// The login ended and the page has been told: the feed ends.
    told_ended: bool,
}

impl Feed {
    pub fn new(main: Main, inbox: Option<InboxFeed>, permit: Permit) -> Feed {
        Feed {
            main,
            inbox,
            permit,
            started: false,
            told_ended: false,
        }
    }

    /// The next event; `None` when the feed has ended. A feed whose login
    /// ended says so (`signedout`, so the page can show it) and then ends.
    pub async fn next(&mut self) -> Option<Outgoing> {
        if self.told_ended {
            return None;
        }
        let main = &mut self.main;
        let out = select! {
            // The page's own figures come first (a story page's first event
            // is its figures). Each branch is safe to cut short: what it was
            // waiting for stays for the next call.
            biased;
            () = self.permit.ended() => {
                self.told_ended = true;
                Some(Outgoing::json("signedout", &serde_json::json!({})))
            }
            out = main.next() => out,
            out = next_of(&mut self.inbox) => out,
        }?;
        if self.started {
            return Some(out);
        }
        self.started = true;
        Some(out.first())
    }
}

/// The inbox's next event; never, without an inbox.
async fn next_of(inbox: &mut Option<InboxFeed>) -> Option<Outgoing> {
    match inbox {
        Some(inbox) => inbox.next().await,
        None => std::future::pending().await,
    }
}

impl Main {
    async fn next(&mut self) -> Option<Outgoing> {
        match self {
            Main::Story(feed) => feed.next().await,
            Main::List(feed) => feed.next().await,
            Main::Posted(feed) => feed.next().await,
        }
    }
}

/// The figures of every published story.
async fn snapshot(db: &AnyPool, live: &Engine) -> Result<Vec<ListFigures>> {
    let stories = queries::published(db).await?;
    let ids: Vec<StoryId> = stories.iter().map(|story| story.id).collect();
    let viewers = live.viewers(&ids).await;
    Ok(stories
        .into_iter()
        .enumerate()
        .map(|(i, story)| ListFigures {
            id: story.id,
            viewers: Some(viewers.get(i).copied().unwrap_or(0)),
            reads: Some(story.read_count),
        })
        .collect())
}
