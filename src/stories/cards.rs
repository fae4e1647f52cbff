//! A story as the list shows it: title, excerpt, author, publishing time,
//! reading time and read counter. Viewers are added per request, from the
//! live engine.

use std::borrow::Cow;
use std::sync::atomic::{AtomicI64, Ordering};

use serde::Serialize;

use super::rows::Live;
use super::search::Found;
use super::summary::{Summary, WORDS_PER_MINUTE};
use crate::ids::StoryId;
use crate::images::{Kind, Picture};
use crate::web::times;

/// Who a story is by when its author is unknown (stories from before
/// authors were kept, the sample stories) or their account is gone.
pub const NO_AUTHOR: &str = "Folio";

/// The hand-written summary if there is one, else the excerpt worked out
/// from the body.
pub fn excerpt_of(summary: Option<&str>, derived: &str) -> String {
    match summary.map(str::trim) {
        Some(summary) if !summary.is_empty() => summary.to_string(),
        _ => derived.to_string(),
    }
}

/// Minutes to read `words` words: at least one.
pub fn reading_minutes(words: i64) -> usize {
    (words.max(0) as usize).div_ceil(WORDS_PER_MINUTE).max(1)
}

/// A line of the story list.
pub struct Card {
    pub id: StoryId,
    pub slug: String,
    pub title: String,
    pub excerpt: String,
    pub author: String,
    pub published_at: i64,
    /// RFC 3339, for `<time datetime>`.
    pub published_iso: String,
    pub published_exact: String,
    pub reading_minutes: usize,
    /// Raised by committed reads while the card is cached (the first page).
    read_count: AtomicI64,
    /// For a search result: what matched, marked.
    pub found: Option<Found>,
    pub cover: Option<Picture>,
}

impl Card {
    pub fn read_count(&self) -> i64 {
        self.read_count.load(Ordering::Acquire)
    }

    /// Notes a committed read: counters only move up here.
    pub fn note_read_count(&self, count: i64) {
        self.read_count.fetch_max(count, Ordering::AcqRel);
    }

    /// The card as `stories/card.html` shows it, with `live` for what
    /// changes by the second.
    pub fn item<'a>(&'a self, live: Live<'a>) -> ListItem<'a> {
        ListItem {
            id: self.id,
            slug: &self.slug,
            title: &self.title,
            excerpt: &self.excerpt,
            author: &self.author,
            published_at: &self.published_iso,
            published_exact: &self.published_exact,
            reading_minutes: self.reading_minutes,
            found: self.found.as_ref(),
            cover: self.cover.as_ref(),
            ago: live.ago,
            current_viewers: live.viewers,
            read_count: live.reads,
            reads_label: live.reads_label,
            button: live.button,
        }
    }
}

/// What `stories/card.html` gets for a story. The changing parts are text:
/// figures and a relative date, or the markers that stand for them.
#[derive(Serialize)]
pub struct ListItem<'a> {
    pub id: StoryId,
    pub slug: &'a str,
    pub title: &'a str,
    pub excerpt: &'a str,
    pub author: &'a str,
    pub published_at: &'a str,
    pub published_exact: &'a str,
    pub reading_minutes: usize,
    pub found: Option<&'a Found>,
    pub cover: Option<&'a Picture>,
    pub ago: Cow<'a, str>,
    pub current_viewers: Cow<'a, str>,
    pub read_count: Cow<'a, str>,
    pub reads_label: Cow<'a, str>,
    /// "", "follow" or "unfollow".
    pub button: &'a str,
}

/// The columns a card is made from, for `SELECT {CARD_COLUMNS} FROM {CARD_FROM}`.
/// The body is read only for a row whose excerpt was never worked out (one
/// written behind Folio's back): bodies can be large.
pub const CARD_COLUMNS: &str = "s.id, COALESCE(s.slug, CAST(s.id AS TEXT)) AS slug, s.title,
    s.summary, s.excerpt, s.words,
    CASE WHEN s.excerpt IS NULL OR s.words IS NULL THEN s.body END AS body,
    u.username AS author, s.published_at, s.read_count,
    ci.hash AS cover_hash, ci.kind AS cover_kind,
    COALESCE(ci.width, 0) AS cover_width, COALESCE(ci.height, 0) AS cover_height";
pub const CARD_FROM: &str = "stories s LEFT JOIN users u ON u.id = s.author_id
    LEFT JOIN images ci ON ci.id = s.cover_image_id";

/// A card as stored.
#[derive(sqlx::FromRow)]
pub struct CardRow {
    pub id: StoryId,
    pub slug: String,
    pub title: String,
    pub summary: Option<String>,
    pub excerpt: Option<String>,
    pub words: Option<i64>,
    pub body: Option<String>,
    pub author: Option<String>,
    pub published_at: Option<i64>,
    pub read_count: i64,
    pub cover_hash: Option<String>,
    pub cover_kind: Option<Kind>,
    pub cover_width: i64,
    pub cover_height: i64,
}

impl CardRow {
    pub fn card(self, found: Option<Found>) -> Card {
        let (excerpt, words) = match (self.excerpt, self.words, self.body) {
            (Some(excerpt), Some(words), _) => (excerpt, words),
            (_, _, body) => {
                let summary = Summary::of(body.as_deref().unwrap_or(""));
                (summary.excerpt, summary.words as i64)
            }
        };
        let published_at = self.published_at.unwrap_or(0);
        Card {
            id: self.id,
            slug: self.slug,
            title: self.title,
            excerpt: excerpt_of(self.summary.as_deref(), &excerpt),
            author: self.author.unwrap_or_else(|| NO_AUTHOR.to_string()),
            published_at,
            published_iso: times::rfc3339(published_at),
            published_exact: times::exact(published_at),
            reading_minutes: reading_minutes(words),
            read_count: AtomicI64::new(self.read_count),
            cover: Picture::of(
                self.cover_hash,
                self.cover_kind,
                self.cover_width,
                self.cover_height,
            ),
            found,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_summary_wins_over_the_first_paragraph_unless_it_is_blank() {
        assert_eq!(excerpt_of(Some(" By hand. "), "Derived."), "By hand.");
        assert_eq!(excerpt_of(Some("  "), "Derived."), "Derived.");
        assert_eq!(excerpt_of(None, "Derived."), "Derived.");
    }

    #[test]
    fn reading_takes_at_least_a_minute() {
        assert_eq!(reading_minutes(0), 1);
        assert_eq!(reading_minutes(-3), 1);
        assert_eq!(reading_minutes(WORDS_PER_MINUTE as i64 + 1), 2);
    }
}
