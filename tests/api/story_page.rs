//! What a story page says about its story besides the text: who wrote it,
//! when, how long it takes to read, and which stories come before and
//! after it.

use rocket::http::Status;

use crate::helpers::{spawn_app, TestApp};
use crate::story_list::publish;

async fn set(app: &TestApp, sql: &str, id: i64) {
    sqlx::query(sql).bind(id).execute(&app.db).await.unwrap();
}

#[rocket::async_test]
async fn a_story_page_shows_its_author_dates_reading_time_and_neighbours() {
    let app = spawn_app().await;
    let admin = app.admin("editor").await;
    let long = "word ".repeat(500);
    for title in ["First Light", "Second Wind", "Third Bell"] {
        publish(&app, &admin, &[("title", title), ("body", long.as_str())]).await;
    }
    let reader = app.reader("alice").await;

    let page = reader.get(&app, "/stories/second-wind").await;

    assert_eq!(page.status, Status::Ok);
    assert!(page
        .body
        .contains("<h1 class=\"story-title\">Second Wind</h1>"));
    assert!(
        page.body.contains("<span class=\"author\">editor</span>"),
        "{}",
        page.body
    );
    assert!(page
        .body
        .contains("data-relative>just now</time> · 3 min read</p>"));
    assert!(
        !page.body.contains(" · updated <time"),
        "not revised since it was published"
    );
    let pager = &page.body[page
        .body
        .find("<nav class=\"story-pager\" aria-label=\"More stories\">")
        .expect("a pager")..];
    assert!(
        pager.contains("href=\"/stories/first-light\" rel=\"prev\""),
        "{pager}"
    );
    assert!(
        pager.contains("href=\"/stories/third-bell\" rel=\"next\""),
        "{pager}"
    );

    let first = reader.get(&app, "/stories/first-light").await;
    assert!(!first.body.contains("rel=\"prev\""));
    assert!(first
        .body
        .contains("href=\"/stories/second-wind\" rel=\"next\""));
}

#[rocket::async_test]
async fn a_story_revised_after_publishing_says_when() {
    let app = spawn_app().await;
    let story = app.add_story("Tides", "The tide came in.").await;
    let day = 86_400;
    sqlx::query(&format!(
        "UPDATE stories SET published_at = $2 - 5 * {day} - 60,
             revised_at = $2 - 2 * {day} - 60 WHERE id = $1"
    ))
    .bind(story)
    .bind(crate::databases::now())
    .execute(&app.db)
    .await
    .unwrap();

    let page = app.reader("alice").await.get(&app, "/stories/tides").await;

    assert!(
        page.body.contains("<span class=\"author\">Folio</span>"),
        "{}",
        page.body
    );
    assert!(page
        .body
        .contains("data-relative>5 days ago</time> · updated <time datetime=\""));
    assert!(page
        .body
        .contains("data-relative>2 days ago</time> · 1 min read</p>"));
    assert!(
        !page.body.contains("story-pager"),
        "no other story to link to"
    );
}

#[rocket::async_test]
async fn saving_without_changes_does_not_make_a_story_updated() {
    let app = spawn_app().await;
    let admin = app.admin("editor").await;
    let id = publish(&app, &admin, &[("title", "Tides"), ("body", "The tide.")]).await;
    set(&app, "UPDATE stories SET published_at = published_at - 3600, revised_at = revised_at - 3600 WHERE id = $1", id).await;

    let same = [
        ("title", "Tides"),
        ("body", "The tide."),
        ("action", "save"),
    ];
    admin
        .post_form(&app, &format!("/admin/stories/{id}"), &same)
        .await;
    let page = app.reader("alice").await.get(&app, "/stories/tides").await;
    assert!(!page.body.contains(" · updated <time"), "{}", page.body);

    let changed = [
        ("title", "Tides"),
        ("body", "The tide turned."),
        ("action", "save"),
    ];
    admin
        .post_form(&app, &format!("/admin/stories/{id}"), &changed)
        .await;
    let page = app.reader("bob").await.get(&app, "/stories/tides").await;
    assert!(page.body.contains(" · updated <time"), "{}", page.body);
}

/// The page is rendered once per story and kind of reader and filled in
/// per request: each reader still sees their own name, token, button and
/// figures, and an edit shows at once.
#[rocket::async_test]
async fn every_reader_sees_their_own_frame_on_a_story_others_opened() {
    let app = spawn_app().await;
    let admin = app.admin("editor").await;
    let id = publish(&app, &admin, &[("title", "Tides"), ("body", "The tide.")]).await;
    let before = admin.get(&app, "/stories/tides").await;
    let bob = app.follower("bob", "tides").await;
    let alice = app.reader("alice").await;

    let pages = [
        (&admin, "editor", before),
        (&bob, "bob", bob.get(&app, "/stories/tides").await),
        (&alice, "alice", alice.get(&app, "/stories/tides").await),
    ];

    let mut tokens = Vec::new();
    for (browser, name, page) in &pages {
        assert_eq!(page.status, Status::Ok);
        assert!(
            page.body
                .contains(&format!("id=\"reader\" title=\"Logged in\">{name}</span>")),
            "{name}: {}",
            page.body
        );
        for other in ["editor", "bob", "alice"]
            .iter()
            .filter(|other| *other != name)
        {
            let shown = format!("title=\"Logged in\">{other}<");
            assert!(!page.body.contains(&shown), "{name} sees {other}");
        }
        let token = page.csrf_token().expect("a CSRF token");
        assert_eq!(token, browser.csrf_token(&app).await, "{name}'s own token");
        assert!(!page.body.contains("@@"), "a mark left unfilled");
        tokens.push(token);
    }
    tokens.dedup();
    assert_eq!(tokens.len(), 3);
    let [(_, _, editor), (_, _, bob_page), (_, _, alice_page)] = &pages;
    assert!(editor
        .body
        .contains("<li><a href=\"/admin\">Admin</a></li>"));
    assert!(!alice_page.body.contains("href=\"/admin\""));
    assert!(bob_page.body.contains("Following ✓"));
    assert!(alice_page
        .body
        .contains("aria-pressed=\"false\">Follow</button>"));
    assert!(editor
        .body
        .contains("<strong id=\"reads\">1</strong> total <span class=\"reads-label\">read</span>"));
    assert!(alice_page.body.contains(
        "<strong id=\"reads\">3</strong> total <span class=\"reads-label\">reads</span>"
    ));
    assert!(alice_page
        .body
        .contains("<div class=\"story-body\">\n<p>The tide.</p>"));

    let renamed = [
        ("title", "Neap Tides"),
        ("body", "The tide."),
        ("action", "save"),
    ];
    admin
        .post_form(&app, &format!("/admin/stories/{id}"), &renamed)
        .await;
    let page = alice.get(&app, &format!("/stories/{id}")).await;
    assert!(
        page.body
            .contains("<h1 class=\"story-title\">Neap Tides</h1>"),
        "{}",
        page.body
    );
}
