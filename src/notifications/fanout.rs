//! Posting an update: stored with one notification per follower in a
//! single transaction (so once the admin sees "sent", every follower has
//! it, whether or not they are online), then pushed to the followers who
//! have Folio open.

use std::sync::Arc;

use sqlx::AnyPool;

use super::inbox::Inboxes;
use super::queries;
use crate::db::lock_for_writing;
use crate::error::{Error, Result};
use crate::ids::{StoryId, UpdateId, UserId};
use crate::live::{Engine, Forget, Inbox, Notice};
use crate::util::unix_now;

/// The most characters an update may have.
pub const TEXT_MAX: usize = 2000;

/// What an update is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A short note to the story's readers.
    Announcement,
    /// A new chapter or an edit, published with "notify followers".
    Chapter,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Announcement => "announcement",
            Kind::Chapter => "chapter",
        }
    }
}

/// The text as stored and counted: line breaks as browsers count them in
/// a text area (one character), though forms send them as two.
pub fn normalized(text: &str) -> String {
    text.trim().replace("\r\n", "\n")
}

/// Why an update's text cannot be posted, in words for the form.
pub fn text_problem(text: &str) -> Option<String> {
    let chars = normalized(text).chars().count();
    if text.trim().is_empty() {
        return Some("Write what the update says.".into());
    }
    if chars > TEXT_MAX {
        return Some(format!(
            "An update has at most 2,000 characters; this one has {chars}."
        ));
    }
    None
}

/// A posted update: its id and how many followers were notified.
#[derive(Debug, Clone, Copy)]
pub struct Posted {
    pub id: UpdateId,
    pub notified: u64,
}

/// An update to post: to which story, what kind, what it says and who
/// wrote it.
pub struct NewUpdate<'a> {
    pub story: StoryId,
    pub kind: Kind,
    pub text: &'a str,
    pub author: UserId,
}

/// Posts an update to a published story and notifies its followers.
pub async fn post(
    db: &AnyPool,
    live: &Engine,
    inboxes: &Inboxes,
    update: NewUpdate<'_>,
) -> Result<Posted> {
    let NewUpdate {
        story,
        kind,
        text,
        author,
    } = update;
    if let Some(problem) = text_problem(text) {
        return Err(Error::BadRequest(problem));
    }
    let text = normalized(text);
    let mut tx = db.begin().await?;
    lock_for_writing(&mut tx).await?;
    let found: Option<(String, String)> = sqlx::query_as(
        "SELECT COALESCE(slug, CAST(id AS TEXT)), title FROM stories
         WHERE id = $1 AND published_at IS NOT NULL",
    )
    .bind(story)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((slug, title)) = found else {
        return Err(Error::Conflict(
            "Publish the story first: its readers cannot see it yet.".into(),
        ));
    };
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO story_updates (story_id, kind, body, author_id, created_at)
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(story)
    .bind(kind.as_str())
    .bind(&text)
    .bind(author)
    .bind(unix_now())
    .fetch_one(&mut *tx)
    .await?;
    let id = UpdateId(id);
    let notified = sqlx::query(
        "INSERT INTO notifications (user_id, update_id) SELECT user_id, $1 FROM follows
         WHERE story_id = $2",
    )
    .bind(id)
    .bind(story)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    tx.commit().await?;

    let notice = Arc::new(Notice {
        id,
        story_id: story,
        story: title,
        url: format!("/stories/{slug}"),
        kind: kind.as_str().into(),
        text,
    });
    if notified > 0 {
        inboxes.changed_many();
        live.forget(Forget::Inboxes).await;
        // Stored is what counts: a page that misses this push shows the
        // update at its next load.
        if let Err(e) = push(db, live, Some(&notice)).await {
            rocket::error!("update {id} was stored but not pushed to open pages: {e}");
        }
    }
    live.update_posted(notice).await;
    Ok(Posted { id, notified })
}

/// Sends readers with pages open their current inbox: after many readers'
/// inboxes changed at once (a story was deleted, say).
pub async fn refresh_open_pages(db: &AnyPool, live: &Engine, inboxes: &Inboxes) -> Result<()> {
    live.forget(Forget::Inboxes).await;
    refresh_pages_here(db, live, inboxes).await
}

/// The same on this node alone: when another node changed many inboxes.
pub async fn refresh_pages_here(db: &AnyPool, live: &Engine, inboxes: &Inboxes) -> Result<()> {
    inboxes.changed_many();
    push(db, live, None).await
}

/// Sends the readers with a page open their new inbox: with `notice`, only
/// those notified of it.
async fn push(db: &AnyPool, live: &Engine, notice: Option<&Arc<Notice>>) -> Result<()> {
    let readers = live.inbox_readers().await;
    if readers.is_empty() {
        return Ok(());
    }
    let states = queries::inbox_states(db, &readers, notice.map(|n| n.id)).await?;
    // The story may have been unpublished (and renamed) since the update
    // was committed: its followers then get their new count, without a
    // notice naming a story they can no longer see.
    let notice = match notice {
        Some(notice) if queries::is_published(db, notice.story_id).await? => Some(notice),
        _ => None,
    };
    for (user, unread, version, live_notices) in states {
        let inbox = Inbox {
            unread,
            version,
            live_notices: live_notices.into(),
            notice: notice.cloned(),
        };
        live.publish_inbox(user, inbox).await;
    }
    Ok(())
}
