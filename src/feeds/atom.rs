//! The Atom feeds: the latest published stories (`/feed.xml`) and one
//! story's updates (`/stories/<key>/feed.xml`), their links absolute.

use atom_syndication::{Content, Entry, Feed, FixedDateTime, Generator, Link, Person, Text};
use rocket::http::ContentType;
use rocket::response::Redirect;
use rocket::{get, Either, State};
use sqlx::AnyPool;

use super::Document;
use crate::db::Db;
use crate::error::{Error, Result};
use crate::ids::StoryId;
use crate::notifications::listing::{self, Item};
use crate::stories::share::{story_path, SITE_NAME};
use crate::stories::{moved, CachedStory, StoryCache};
use crate::web::PublicOrigin;

/// Entries in a feed.
const ENTRIES: i64 = 50;

/// Stories whose HTML is longer than this are given by their summary and
/// link alone: a feed of fifty long stories would be tens of megabytes.
const CONTENT_MAX: usize = 256 * 1024;

/// Seconds caches and feed readers may keep a feed.
const MAX_AGE: u32 = 300;

/// The latest published stories, newest first.
#[get("/feed.xml")]
pub async fn site_feed(
    db: &Db,
    stories: &State<StoryCache>,
    origin: PublicOrigin,
) -> Result<Document> {
    let mut entries = Vec::new();
    for id in latest_published(db.pool(), ENTRIES).await? {
        // Unpublished since the list was read: left out.
        if let Some(story) = stories.get(db.pool(), id).await? {
            entries.push(story_entry(&origin, &story));
        }
    }
    let mut feed = feed_named(SITE_NAME, &origin, "/feed.xml", "/");
    feed.subtitle = Some(Text::plain("The latest stories on Folio"));
    finish(feed, entries)
}

/// One published story's updates, and the story itself; 404 for a story
/// readers cannot open.
#[get("/stories/<key>/feed.xml")]
pub async fn story_feed(
    key: &str,
    db: &Db,
    stories: &State<StoryCache>,
    origin: PublicOrigin,
) -> Result<Either<Document, Redirect>> {
    let Some(story) = stories.find(db.pool(), key).await? else {
        return Ok(Either::Right(moved(db.pool(), key, "/feed.xml").await?));
    };
    let page = story_path(&story.slug);
    let mut entries = vec![story_entry(&origin, &story)];
    for update in listing::of_story(db.pool(), story.id, ENTRIES).await? {
        entries.push(update_entry(&origin, &story, &update));
    }
    let title = format!("{}: updates", story.title);
    let feed = feed_named(&title, &origin, &format!("{page}/feed.xml"), &page);
    finish(feed, entries).map(Either::Left)
}

/// The ids of the `limit` latest published stories, newest first.
async fn latest_published(db: &AnyPool, limit: i64) -> Result<Vec<StoryId>> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM stories WHERE published_at IS NOT NULL
         ORDER BY published_at DESC, id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(db)
    .await?)
}

/// A feed called `title`, found at `path`, about the page at `page`.
fn feed_named(title: &str, origin: &PublicOrigin, path: &str, page: &str) -> Feed {
    Feed {
        title: Text::plain(title),
        id: origin.url(path),
        links: vec![
            link("self", origin.url(path)),
            link("alternate", origin.url(page)),
        ],
        authors: vec![Person {
            name: SITE_NAME.into(),
            uri: Some(origin.url("/")),
            ..Person::default()
        }],
        generator: Some(Generator {
            value: SITE_NAME.into(),
            ..Generator::default()
        }),
        ..Feed::default()
    }
}

/// `feed` with `entries`, newest first, as an Atom document.
fn finish(mut feed: Feed, mut entries: Vec<Entry>) -> Result<Document> {
    entries.sort_by_key(|entry| std::cmp::Reverse(entry.updated));
    feed.updated = entries.iter().map(|e| e.updated).max().unwrap_or_default();
    let modified = feed.updated.timestamp();
    feed.entries = entries;
    let xml = feed
        .write_to(Vec::new())
        .map_err(|e| Error::internal_from("writing a feed failed", e))?;
    let xml = String::from_utf8(xml).map_err(|e| Error::internal_from("a feed is not UTF-8", e))?;
    let atom = ContentType::new("application", "atom+xml").with_params(("charset", "utf-8"));
    Ok(Document::new(atom, xml, MAX_AGE).modified(modified))
}

fn link(rel: &str, href: String) -> Link {
    Link {
        rel: rel.into(),
        href,
        mime_type: (rel == "self").then(|| "application/atom+xml".into()),
        ..Link::default()
    }
}

/// A story's page and, if it has one, its cover (as an enclosure, which
/// feed readers show as the entry's picture).
fn story_links(origin: &PublicOrigin, story: &CachedStory) -> Vec<Link> {
    let mut links = vec![link("alternate", origin.url(&story_path(&story.slug)))];
    if let Some(cover) = &story.cover {
        links.push(Link {
            mime_type: Some(cover.media_type.into()),
            ..link("enclosure", origin.url(&cover.url))
        });
    }
    links
}

/// A story as a feed entry, identified by its numeric address, which
/// survives a change of title.
fn story_entry(origin: &PublicOrigin, story: &CachedStory) -> Entry {
    Entry {
        id: origin.url(&story_path(&story.id.to_string())),
        title: Text::plain(&story.title),
        links: story_links(origin, story),
        published: Some(time(story.published_unix)),
        updated: time(story.updated_unix),
        authors: vec![Person {
            name: story.author.clone(),
            ..Person::default()
        }],
        summary: (!story.excerpt.is_empty()).then(|| Text::plain(&story.excerpt)),
        content: (story.html.len() <= CONTENT_MAX).then(|| Content {
            value: Some(story.html.clone()),
            content_type: Some("html".into()),
            ..Content::default()
        }),
        ..Entry::default()
    }
}

/// An update posted to `story`'s followers, as a feed entry.
fn update_entry(origin: &PublicOrigin, story: &CachedStory, update: &Item) -> Entry {
    let what = match update.kind.as_str() {
        "chapter" => "New chapter",
        _ => "Announcement",
    };
    Entry {
        id: origin.url(&format!("/stories/{}#update-{}", story.id, update.id)),
        title: Text::plain(format!("{what}: {}", story.title)),
        links: vec![link("alternate", origin.url(&story_path(&story.slug)))],
        published: Some(time(update.created_at)),
        updated: time(update.created_at),
        content: Some(Content {
            value: Some(update.body.clone()),
            content_type: Some("text".into()),
            ..Content::default()
        }),
        ..Entry::default()
    }
}

/// Unix seconds as Atom's time.
fn time(unix: i64) -> FixedDateTime {
    chrono::DateTime::from_timestamp(unix, 0)
        .unwrap_or_default()
        .fixed_offset()
}
