use rocket::http::Status;

use crate::helpers::{spawn_app, Browser};

#[rocket::async_test]
async fn the_story_list_shows_every_published_story_with_its_read_count() {
    let app = spawn_app().await;
    let first = app.add_story("The First Story", "One").await;
    app.add_story("The Second Story", "Two").await;
    app.reader("alice")
        .await
        .get(&app, &format!("/stories/{first}"))
        .await;

    let page = Browser::new().get(&app, "/").await;

    assert_eq!(page.status, Status::Ok);
    assert!(page.body.contains("The First Story"));
    assert!(page.body.contains("The Second Story"));
    assert!(page.body.contains("href=\"/stories/the-first-story\""));
    assert!(page
        .body
        .contains("<span class=\"reads\">1</span> <span class=\"reads-label\">read</span>"));
    assert!(page
        .body
        .contains("<span class=\"reads\">0</span> <span class=\"reads-label\">reads</span>"));
}

#[rocket::async_test]
async fn drafts_are_neither_listed_nor_readable() {
    let app = spawn_app().await;
    let draft = app.add_draft("A Secret Draft", "Not yet").await;
    let browser = app.reader("alice").await;

    assert!(!browser.get(&app, "/").await.body.contains("A Secret Draft"));
    assert_eq!(
        browser.get(&app, &format!("/stories/{draft}")).await.status,
        Status::NotFound
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM reads").await, 0);
}

#[rocket::async_test]
async fn a_story_page_shows_title_rendered_content_viewers_and_reads() {
    let app = spawn_app().await;
    let story = app
        .add_story(
            "Night Train",
            "It was *late*.\n\n## Platform\n\nThe lamps were **warm**.",
        )
        .await;
    let browser = app.reader("alice").await;

    let page = browser.get(&app, &format!("/stories/{story}")).await;

    assert_eq!(page.status, Status::Ok);
    assert!(page
        .body
        .contains("<h1 class=\"story-title\">Night Train</h1>"));
    assert!(page.body.contains("<em>late</em>"));
    assert!(page.body.contains("<h2>Platform</h2>"));
    assert!(page
        .body
        .contains("<strong id=\"viewers\">1</strong> reading now"));
    assert!(page
        .body
        .contains("<strong id=\"reads\">1</strong> total <span class=\"reads-label\">read</span>"));
}

#[rocket::async_test]
async fn story_content_is_sanitised_and_titles_are_escaped() {
    let app = spawn_app().await;
    let story = app
        .add_story(
            "<script>alert('title')</script>",
            "Hi <script>alert('x')</script> <img src=x onerror=alert(1)> [link](javascript:alert(2))",
        )
        .await;
    let browser = app.reader("alice").await;

    let page = browser.get(&app, &format!("/stories/{story}")).await;

    assert!(!page.body.contains("<script>alert"), "{}", page.body);
    assert!(!page.body.contains("onerror"));
    assert!(!page.body.contains("javascript:"));
    assert!(page.body.contains("&lt;script&gt;alert("));
    assert!(!Browser::new()
        .get(&app, "/")
        .await
        .body
        .contains("<script>alert"));
}

#[rocket::async_test]
async fn a_visitor_who_is_not_logged_in_gets_a_preview_that_leads_to_log_in() {
    let app = spawn_app().await;
    let story = app
        .add_story("A story", "The opening.\n\nThe rest of it.")
        .await;

    let page = Browser::new().get(&app, &format!("/stories/{story}")).await;

    assert_eq!(page.status, Status::Ok);
    assert!(page.body.contains("The opening."));
    assert!(!page.body.contains("The rest of it."), "{}", page.body);
    let body = page.body.replace("&#x2F;", "/");
    let login = format!("href=\"/login?next=/stories/{story}\"");
    assert!(body.contains(&login), "{body}");
    assert_eq!(app.count("SELECT COUNT(*) FROM reads").await, 0);
}

#[rocket::async_test]
async fn unknown_and_malformed_story_ids_are_a_404_page() {
    let app = spawn_app().await;
    let browser = app.reader("alice").await;

    for uri in [
        "/stories/999",
        "/stories/abc",
        "/stories/-1",
        "/stories/1.5",
        "/stories/99999999999999999999",
        "/nowhere",
    ] {
        let page = browser.get(&app, uri).await;
        assert_eq!(page.status, Status::NotFound, "{uri}");
        assert!(page.body.contains("That page does not exist."), "{uri}");
        assert!(page.body.contains("<html"), "{uri} is an HTML page");
    }
}

#[rocket::async_test]
async fn pages_carry_security_headers() {
    let app = spawn_app().await;

    let page = Browser::new().get(&app, "/").await;

    let csp = page.header("Content-Security-Policy").expect("a CSP");
    assert!(csp.contains("script-src 'self'"));
    assert_eq!(page.header("X-Frame-Options"), Some("DENY"));
    assert_eq!(page.header("X-Content-Type-Options"), Some("nosniff"));
}

#[rocket::async_test]
async fn error_pages_know_who_is_logged_in_and_pages_are_not_cached() {
    let app = spawn_app().await;
    let alice = app.reader("alice").await;

    let missing = alice.get(&app, "/no/such/page").await;
    let home = alice.get(&app, "/").await;

    assert_eq!(missing.status, Status::NotFound);
    assert!(
        missing.body.contains("alice"),
        "the navigation shows the reader"
    );
    assert_eq!(home.header("Cache-Control"), Some("no-store"));
}
