//! The story list a page at a time: its orders, its page links, and what
//! each line shows.

use std::collections::HashSet;

use rocket::http::Status;

use crate::helpers::{spawn_app, Browser, TestApp};

/// The story ids on a list page, in order.
pub fn listed(body: &str) -> Vec<i64> {
    body.split("data-story-id=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next()?.parse().ok())
        .collect()
}

/// The address of the page link with `rel`, as a browser would follow it.
pub fn page_link(body: &str, rel: &str) -> Option<String> {
    let end = body.find(&format!("\" rel=\"{rel}\""))?;
    let start = body[..end].rfind("href=\"")? + "href=\"".len();
    Some(
        body[start..end]
            .replace("&#x2F;", "/")
            .replace("&amp;", "&")
            .replace("&#x3D;", "="),
    )
}

/// Publishes a story through the editor with `fields`; its id.
pub async fn publish(app: &TestApp, admin: &Browser, fields: &[(&str, &str)]) -> i64 {
    let mut fields = fields.to_vec();
    fields.push(("action", "publish"));
    let page = admin.post_form(app, "/admin/stories", &fields).await;
    assert_eq!(page.status, Status::SeeOther, "{}", page.body);
    app.count("SELECT MAX(id) FROM stories").await
}

/// Adds `n` published stories (several to a second, and several with each
/// read count, so the orders have ties) and a few drafts among them.
async fn add_many(app: &TestApp, n: i64) {
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1)
         INSERT INTO stories (slug, title, body, published_at, read_count, created_at, updated_at)
         SELECT 'story-' || i, 'Story ' || i, 'The text of story ' || i || '.',
                CASE WHEN i % 13 = 0 THEN NULL ELSE 1700000000 + i / 3 END, i % 7, 1, 1
         FROM n",
    )
    .bind(n + n / 12)
    .execute(&app.db)
    .await
    .unwrap();
}

/// Every story from `start` on, following the "next" links, and the pages
/// seen, in order.
async fn walk(app: &TestApp, browser: &Browser, start: &str, rel: &str) -> (Vec<i64>, Vec<String>) {
    let (mut ids, mut pages) = (Vec::new(), Vec::new());
    let mut next = Some(start.to_string());
    while let Some(uri) = next {
        let page = browser.get(app, &uri).await;
        assert_eq!(page.status, Status::Ok, "{uri}: {}", page.body);
        let shown = listed(&page.body);
        assert!(shown.len() <= 20, "{uri} shows {} stories", shown.len());
        ids.extend(shown);
        pages.push(uri);
        next = page_link(&page.body, rel);
        assert!(pages.len() < 20, "the walk does not end: {pages:?}");
    }
    (ids, pages)
}

#[rocket::async_test]
async fn pages_walk_every_order_without_repeats_or_gaps_both_ways() {
    let app = spawn_app().await;
    add_many(&app, 120).await;
    let alice = app.reader("alice").await;
    // One story with a reader on it now, so "reading now" has a leader.
    alice.get(&app, "/stories/story-50").await;
    let published = "FROM stories WHERE published_at IS NOT NULL";

    for (sort, order) in [
        ("", "published_at DESC, id DESC"),
        ("?sort=most-read", "read_count DESC, id DESC"),
        ("?sort=reading-now", "id = 50 DESC, id DESC"),
    ] {
        let expected: Vec<i64> =
            sqlx::query_scalar(&format!("SELECT id {published} ORDER BY {order}"))
                .fetch_all(&app.db)
                .await
                .unwrap();
        assert_eq!(expected.len(), 120);

        let (down, pages) = walk(&app, &alice, &format!("/{sort}"), "next").await;
        assert_eq!(down, expected, "{sort}: every story once, in order");
        assert_eq!(pages.len(), 6, "{sort}: {pages:?}");
        assert_eq!(down.iter().collect::<HashSet<_>>().len(), 120);

        // And back up from the last page to the first.
        let last = pages.last().unwrap();
        let (mut up, back) = walk(&app, &alice, last, "prev").await;
        assert_eq!(back.len(), 6, "{sort}: {back:?}");
        let mut chunks: Vec<&[i64]> = up.chunks(20).collect();
        chunks.reverse();
        up = chunks.concat();
        assert_eq!(up, expected, "{sort}: the same pages going back");
    }
}

#[rocket::async_test]
async fn a_page_link_keeps_its_stories_when_new_ones_are_published() {
    let app = spawn_app().await;
    add_many(&app, 45).await;
    let browser = Browser::new();
    let first = browser.get(&app, "/").await;
    let older = page_link(&first.body, "next").expect("a second page");
    let before = listed(&browser.get(&app, &older).await.body);

    let new = app.add_story("Brand New", "Just in.").await;
    sqlx::query("UPDATE stories SET published_at = 1800000000 WHERE id = $1")
        .bind(new)
        .execute(&app.db)
        .await
        .unwrap();

    assert_eq!(listed(&browser.get(&app, &older).await.body), before);
}

#[rocket::async_test]
async fn the_list_shows_an_excerpt_author_date_and_reading_time() {
    let app = spawn_app().await;
    let body = format!(
        "# A heading\n\nThe *first* paragraph.\n\n{}",
        "word ".repeat(700)
    );
    let story = app.add_story("Long Walk", &body).await;
    sqlx::query("UPDATE stories SET published_at = $2 - 3 * 86400 - 60 WHERE id = $1")
        .bind(story)
        .bind(crate::databases::now())
        .execute(&app.db)
        .await
        .unwrap();

    let page = Browser::new().get(&app, "/").await;

    assert!(
        page.body
            .contains("<p class=\"excerpt\">The first paragraph.</p>"),
        "{}",
        page.body
    );
    assert!(page.body.contains("<span class=\"author\">Folio</span>"));
    assert!(page.body.contains("data-relative>3 days ago</time>"));
    assert!(page.body.contains("<time datetime=\"20"));
    assert!(page.body.contains(" · 4 min read</p>"));
}

#[rocket::async_test]
async fn an_admins_summary_and_name_replace_the_defaults_in_the_list() {
    let app = spawn_app().await;
    let admin = app.admin("editor").await;
    let fields = [
        ("title", "Harbour Song"),
        ("summary", "Gulls, ropes and a song."),
        ("body", "The first paragraph, not shown."),
    ];
    publish(&app, &admin, &fields).await;

    let page = Browser::new().get(&app, "/").await;

    assert!(page
        .body
        .contains("<p class=\"excerpt\">Gulls, ropes and a song.</p>"));
    assert!(!page.body.contains("not shown"));
    assert!(page.body.contains("<span class=\"author\">editor</span>"));
    assert!(page.body.contains("just now"));
}

#[rocket::async_test]
async fn orders_are_links_and_the_current_one_is_marked() {
    let app = spawn_app().await;
    app.add_story("One", "Text").await;
    let browser = Browser::new();

    let page = browser.get(&app, "/?sort=most-read").await;

    assert!(page
        .body
        .contains("<a href=\"/?sort=most-read\" aria-current=\"page\">Most read</a>"));
    assert!(page.body.contains("<a href=\"/\">Newest</a>"));
    assert!(browser
        .get(&app, "/")
        .await
        .body
        .contains("<a href=\"/\" aria-current=\"page\">Newest</a>"));
}

#[rocket::async_test]
async fn unknown_orders_and_broken_page_links_are_explained_not_errors() {
    let app = spawn_app().await;
    add_many(&app, 30).await;
    let browser = Browser::new();

    for (uri, says) in [
        ("/?sort=oldest", "sorted by newest"),
        ("/?after=garbage", "page link is not valid"),
        ("/?after=r3.4", "page link is not valid"),
        ("/?sort=most-read&after=n1.2", "page link is not valid"),
        ("/?after=n1.2&before=n1.2", "page link is not valid"),
        ("/?q=story&after=n1.2", "page link is not valid"),
        ("/?q=story&before=s20", "page link is not valid"),
        ("/?after=n99999999999999999999.1", "page link is not valid"),
    ] {
        let page = browser.get(&app, uri).await;
        assert_eq!(page.status, Status::BadRequest, "{uri}");
        assert!(page.body.contains(says), "{uri}: {}", page.body);
        assert!(page.body.contains("<html"), "{uri} is a page");
    }
    // A page past the end says so and leads back.
    let page = browser.get(&app, "/?after=n1.1").await;
    assert_eq!(page.status, Status::Ok);
    assert!(page.body.contains("No more stories here."));
    assert!(page_link(&page.body, "prev").is_some());
}

fn story_list(body: &str) -> &str {
    let start = body.find("<ul class=\"story-list\">").expect("a list");
    let end = body[start..].find("</ul>").expect("its end") + start;
    &body[start..end]
}

#[rocket::async_test]
async fn the_first_page_kept_in_memory_shows_what_any_page_would() {
    let app = spawn_app().await;
    add_many(&app, 25).await;
    let alice = app.reader("alice").await;
    alice.post_form(&app, "/stories/story-25/follow", &[]).await;
    alice.get(&app, "/stories/story-24").await;

    for browser in [&alice, &Browser::new()] {
        let kept = browser.get(&app, "/").await;
        // A page above the first is the first page, rendered afresh.
        let fresh = browser.get(&app, "/?before=n9999999999.1").await;
        assert_eq!(story_list(&kept.body), story_list(&fresh.body));
    }
    let list = alice.get(&app, "/").await.body;
    assert!(story_list(&list).contains("/stories/story-25/unfollow"));
    assert!(story_list(&list).contains("/stories/story-24/follow"));
    assert!(!story_list(&Browser::new().get(&app, "/").await.body).contains("<button"));
}

#[rocket::async_test]
async fn the_first_page_follows_reads_and_publishing() {
    let app = spawn_app().await;
    let admin = app.admin("editor").await;
    let story = app.add_story("Early", "Text").await;
    let browser = Browser::new();
    assert!(browser
        .get(&app, "/")
        .await
        .body
        .contains("<span class=\"reads\">0</span>"));

    app.reader("alice")
        .await
        .get(&app, &format!("/stories/{story}"))
        .await;
    publish(&app, &admin, &[("title", "Fresh Out"), ("body", "New.")]).await;

    let list = browser.get(&app, "/").await.body;
    assert!(list.contains("<span class=\"reads\">1</span> <span class=\"reads-label\">read</span>"));
    assert!(list.contains("Fresh Out"));
}

/// The first page's frame is kept too, per kind of visitor: each reader
/// still sees their own name, token and menu.
#[rocket::async_test]
async fn the_kept_first_page_frames_each_reader_as_themselves() {
    let app = spawn_app().await;
    add_many(&app, 3).await;
    let visitor = Browser::new();
    let readers = [
        (app.admin("editor").await, "editor"),
        (app.reader("alice").await, "alice"),
        (app.reader("bob").await, "bob"),
    ];
    assert!(visitor
        .get(&app, "/")
        .await
        .body
        .contains("href=\"/login\""));
    for (browser, name) in &readers {
        let page = browser.get(&app, "/").await;
        let me = format!("title=\"Logged in\">{name}</span>");
        assert!(page.body.contains(&me), "{name}: {}", page.body);
        assert_eq!(page.csrf_token(), Some(browser.csrf_token(&app).await));
        assert!(!page.body.contains("href=\"/login\""));
        assert_eq!(page.body.contains("href=\"/admin\""), *name == "editor");
        assert!(!page.body.contains("@@"), "a mark left unfilled");
    }
    let again = visitor.get(&app, "/").await.body;
    assert!(again.contains("href=\"/login\"") && !again.contains("Logged in"));
}
