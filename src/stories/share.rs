//! What a story page tells link previews, search engines and feed readers
//! about itself: its absolute address, description, dates and feed (the
//! `share` of the page's context, rendered by `stories/share.html`).

use chrono::{DateTime, SecondsFormat};
use serde::Serialize;

use super::CachedStory;
use crate::web::PublicOrigin;

/// The site's name, as sharing tags and feeds give it.
pub const SITE_NAME: &str = "Folio";

/// Said of a story whose first paragraph is empty.
const NO_EXCERPT: &str = "A story on Folio.";

/// A story's sharing metadata, every address absolute.
#[derive(Debug, Clone, Serialize)]
pub struct Share {
    pub site_name: &'static str,
    pub title: String,
    /// The canonical address of the story page.
    pub url: String,
    pub description: String,
    /// RFC 3339 times of the first publication and of the last change.
    pub published: String,
    pub modified: String,
    /// The story's own Atom feed.
    pub feed_url: String,
    /// The "reading now" badge, for embedding on other sites.
    pub badge_url: String,
}

impl Share {
    pub fn of(origin: &PublicOrigin, story: &CachedStory) -> Share {
        let page = story_path(&story.slug);
        let description = match story.excerpt.as_str() {
            "" => NO_EXCERPT.to_string(),
            excerpt => excerpt.to_string(),
        };
        Share {
            site_name: SITE_NAME,
            title: story.title.clone(),
            url: origin.url(&page),
            description,
            published: rfc3339(story.published_at),
            modified: rfc3339(story.updated_at.max(story.published_at)),
            feed_url: origin.url(&format!("{page}/feed.xml")),
            badge_url: origin.url(&format!("{page}/badge.svg")),
        }
    }
}

/// The path of the story page named `slug`.
pub fn story_path(slug: &str) -> String {
    format!("/stories/{slug}")
}

/// `unix` seconds as an RFC 3339 time in UTC (`2026-12-05T10:00:00Z`).
pub fn rfc3339(unix: i64) -> String {
    DateTime::from_timestamp(unix, 0)
        .unwrap_or_default()
        .to_rfc3339_opts(SecondsFormat::Secs, true)
}

#[cfg(test)]
mod tests {
    use super::rfc3339;

    #[test]
    fn times_are_rfc3339_in_utc() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_796_000_000), "2026-11-30T00:53:20Z");
    }
}
