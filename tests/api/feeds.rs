//! The Atom feeds, the sitemap and robots.txt: what feed readers and
//! search engines are told, with absolute links and never a draft.

use atom_syndication::Feed;
use rocket::http::{Header, Status};

use crate::client::Page;
use crate::helpers::{spawn_app_with, Browser, TestApp};
use crate::notifications::post_update;

pub const ORIGIN: &str = "https://stories.example.com";

/// Folio told it is reached at [`ORIGIN`].
pub async fn public_app() -> TestApp {
    spawn_app_with(|f| f.merge(("public_url", format!("{ORIGIN}/")))).await
}

/// Sets when `story` was published and last changed.
pub async fn dated(app: &TestApp, story: i64, published: i64, updated: i64) {
    sqlx::query("UPDATE stories SET published_at = $1, updated_at = $2 WHERE id = $3")
        .bind(published)
        .bind(updated)
        .bind(story)
        .execute(&app.db)
        .await
        .expect("dates set");
}

fn atom(page: &Page) -> Feed {
    assert_eq!(page.status, Status::Ok, "{}", page.body);
    assert_eq!(
        page.header("Content-Type"),
        Some("application/atom+xml; charset=utf-8")
    );
    page.body
        .parse::<Feed>()
        .unwrap_or_else(|e| panic!("not Atom ({e}): {}", page.body))
}

fn titles(feed: &Feed) -> Vec<&str> {
    feed.entries
        .iter()
        .map(|e| e.title.value.as_str())
        .collect()
}

#[rocket::async_test]
async fn the_home_page_links_a_feed_of_published_stories_newest_first() {
    let app = public_app().await;
    let old = app
        .add_story("Old Tale", "The *first* words.\n\nMore.")
        .await;
    let new = app.add_story("New Tale", "Fresh words.").await;
    let draft = app.add_draft("Secret Draft", "Not yet.").await;
    dated(&app, old, 1_000, 1_000).await;
    dated(&app, new, 2_000, 2_000).await;
    sqlx::query("UPDATE stories SET updated_at = 3000 WHERE id = $1")
        .bind(draft)
        .execute(&app.db)
        .await
        .expect("the draft changed");
    let visitor = Browser::new();

    let home = visitor.get(&app, "/").await;
    let link = r#"<link rel="alternate" type="application/atom+xml" href="/feed.xml""#;
    assert!(home.body.contains(link), "{}", home.body);
    let feed = atom(&visitor.get(&app, "/feed.xml").await);

    assert_eq!(titles(&feed), ["New Tale", "Old Tale"]);
    let entry = &feed.entries[1];
    assert_eq!(entry.links[0].href, format!("{ORIGIN}/stories/old-tale"));
    assert_eq!(entry.id, format!("{ORIGIN}/stories/{old}"));
    assert_eq!(
        entry.summary.as_ref().map(|s| s.value.as_str()),
        Some("The first words.")
    );
    let content = entry.content.as_ref().expect("the story's content");
    assert_eq!(content.content_type.as_deref(), Some("html"));
    assert!(content
        .value
        .as_deref()
        .unwrap_or_default()
        .contains("<em>first</em>"));
    assert_eq!(entry.published.map(|t| t.timestamp()), Some(1_000));
    assert_eq!(feed.updated.timestamp(), 2_000);
    assert!(feed
        .links
        .iter()
        .any(|l| l.rel == "self" && l.href == format!("{ORIGIN}/feed.xml")));
}

#[rocket::async_test]
async fn a_feed_reader_that_has_the_feed_gets_a_304_until_it_changes() {
    let app = public_app().await;
    let story = app.add_story("A Tale", "Words.").await;
    let reader = Browser::new();
    let first = reader.get(&app, "/feed.xml").await;
    let etag = first.header("ETag").expect("an ETag").to_string();
    assert!(first
        .header("Cache-Control")
        .unwrap_or_default()
        .contains("max-age"));
    assert!(first.header("Last-Modified").is_some());

    let again = reader
        .get_with(
            &app,
            "/feed.xml",
            Header::new("If-None-Match", etag.clone()),
        )
        .await;
    assert_eq!(again.status, Status::NotModified);
    assert!(again.body.is_empty());

    app.add_story("Another Tale", "More words.").await;
    dated(&app, story, 5, 5).await;
    let changed = reader
        .get_with(&app, "/feed.xml", Header::new("If-None-Match", etag))
        .await;
    assert_eq!(changed.status, Status::Ok);
    assert_eq!(atom(&changed).entries.len(), 2);
}

#[rocket::async_test]
async fn a_story_feed_lists_the_updates_posted_to_its_followers() {
    let app = public_app().await;
    let story = app.add_story("Night Train", "All aboard.").await;
    let admin = app.admin("editor").await;
    post_update(&app, &admin, story, "Chapter two is <coming> soon & more").await;

    let feed = atom(
        &Browser::new()
            .get(&app, "/stories/night-train/feed.xml")
            .await,
    );

    assert_eq!(titles(&feed), ["Announcement: Night Train", "Night Train"]);
    let update = &feed.entries[0];
    let text = update.content.as_ref().and_then(|c| c.value.as_deref());
    assert_eq!(text, Some("Chapter two is <coming> soon & more"));
    assert_eq!(
        update.links[0].href,
        format!("{ORIGIN}/stories/night-train")
    );
    assert!(update
        .id
        .starts_with(&format!("{ORIGIN}/stories/{story}#update-")));
    assert_eq!(feed.id, format!("{ORIGIN}/stories/night-train/feed.xml"));
}

#[rocket::async_test]
async fn drafts_and_unknown_stories_have_no_feed() {
    let app = public_app().await;
    let draft = app.add_draft("Secret Draft", "Not yet.").await;
    let visitor = Browser::new();

    for uri in [
        format!("/stories/{draft}/feed.xml"),
        "/stories/secret-draft/feed.xml".to_string(),
        "/stories/nothing-here/feed.xml".to_string(),
    ] {
        let page = visitor.get(&app, &uri).await;
        assert_eq!(page.status, Status::NotFound, "{uri}");
        assert!(!page.body.contains("Secret Draft"), "{uri}");
    }
}

#[rocket::async_test]
async fn the_sitemap_lists_every_published_story_and_no_draft() {
    let app = public_app().await;
    let story = app.add_story("Night Train", "All aboard.").await;
    dated(&app, story, 1_796_000_000, 1_796_100_000).await;
    app.add_draft("Secret Draft", "Not yet.").await;

    let page = Browser::new().get(&app, "/sitemap.xml").await;

    assert_eq!(page.status, Status::Ok);
    let xml = roxmltree::Document::parse(&page.body).expect("well-formed XML");
    let urls: Vec<(String, Option<String>)> = xml
        .descendants()
        .filter(|n| n.has_tag_name("url"))
        .map(|url| {
            let child = |name: &str| {
                url.children()
                    .find(|c| c.has_tag_name(name))
                    .and_then(|c| c.text())
                    .map(str::to_string)
            };
            (child("loc").unwrap_or_default(), child("lastmod"))
        })
        .collect();
    let last = Some("2026-12-01T04:40:00Z".to_string());
    assert_eq!(
        urls,
        [
            (format!("{ORIGIN}/"), last.clone()),
            (format!("{ORIGIN}/stories/night-train"), last),
        ]
    );
}

#[rocket::async_test]
async fn robots_keep_out_of_private_pages_and_find_the_sitemap() {
    let app = public_app().await;

    let page = Browser::new().get(&app, "/robots.txt").await;

    assert_eq!(page.status, Status::Ok);
    assert!(page
        .header("Content-Type")
        .unwrap_or_default()
        .starts_with("text/plain"));
    let lines: Vec<&str> = page.body.lines().collect();
    for private in ["/admin", "/api/", "/notifications", "/following", "/login"] {
        assert!(
            lines.contains(&format!("Disallow: {private}").as_str()),
            "{private}"
        );
    }
    assert!(!lines.contains(&"Disallow: /"), "the stories stay open");
    assert!(lines.contains(&format!("Sitemap: {ORIGIN}/sitemap.xml").as_str()));
}
