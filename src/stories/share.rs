//! What a story page tells link previews, search engines and feed readers
//! about itself: its absolute address, description, dates and feed (the
//! `share` of the page's context, rendered by `stories/share.html`).

use serde::Serialize;

use super::CachedStory;
use crate::images::Picture;
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
    /// The cover, its address absolute, for link previews.
    pub image: Option<Picture>,
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
            published: story.published_at.clone(),
            modified: story.updated_at.clone(),
            feed_url: origin.url(&format!("{page}/feed.xml")),
            badge_url: origin.url(&format!("{page}/badge.svg")),
            image: story.cover.clone().map(|cover| Picture {
                url: origin.url(&cover.url),
                ..cover
            }),
        }
    }
}

/// The path of the story page named `slug`.
pub fn story_path(slug: &str) -> String {
    format!("/stories/{slug}")
}
