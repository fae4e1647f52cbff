//! The embeddable "reading now" badge: a small SVG of a story's live
//! readership, loadable from any site.

use rocket::http::Status;

use crate::helpers::Browser;
use crate::helpers::{spawn_app, spawn_app_with};

/// The badge's text lines and its accessible name, parsed as XML.
fn read_badge(body: &str) -> (Vec<String>, String) {
    let svg = roxmltree::Document::parse(body).unwrap_or_else(|e| panic!("not XML ({e}): {body}"));
    let root = svg.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2000/svg")
    );
    let texts = root
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text().map(str::to_string))
        .collect();
    let title = root
        .descendants()
        .find(|n| n.has_tag_name("title"))
        .and_then(|n| n.text())
        .unwrap_or_default()
        .to_string();
    (texts, title)
}

#[rocket::async_test]
async fn the_badge_shows_how_many_are_reading_now() {
    let app = spawn_app().await;
    let story = app.add_story("Night Train", "All aboard.").await;
    let outsider = Browser::new();
    let uri = format!("/stories/{story}/badge.svg");

    let before = outsider.get(&app, &uri).await;
    assert_eq!(read_badge(&before.body).0, ["Folio", "0 reading now"]);

    let reader = app.reader("alice").await;
    assert_eq!(
        reader.get(&app, &format!("/stories/{story}")).await.status,
        Status::Ok
    );
    let page = outsider.get(&app, "/stories/night-train/badge.svg").await;

    assert_eq!(page.status, Status::Ok);
    assert_eq!(page.header("Content-Type"), Some("image/svg+xml"));
    let (texts, title) = read_badge(&page.body);
    assert_eq!(texts, ["Folio", "1 reading now"]);
    assert_eq!(title, "Night Train: 1 reading now, 1 read");
    assert_eq!(page.header("Cache-Control"), Some("public, max-age=10"));
    // Another site's <img> may load it.
    assert_eq!(
        page.header("Cross-Origin-Resource-Policy"),
        Some("cross-origin")
    );
}

#[rocket::async_test]
async fn the_badge_escapes_the_story_title() {
    let app = spawn_app().await;
    let title = r#"<script>alert("x")</script> & 'more'"#;
    let story = app.add_story(title, "Words.").await;

    let page = Browser::new()
        .get(&app, &format!("/stories/{story}/badge.svg"))
        .await;

    assert!(!page.body.contains("<script>"), "{}", page.body);
    assert_eq!(
        read_badge(&page.body).1,
        format!("{title}: 0 reading now, 0 reads")
    );
}

#[rocket::async_test]
async fn drafts_and_unknown_stories_have_no_badge() {
    let app = spawn_app().await;
    let draft = app.add_draft("Secret Draft", "Not yet.").await;

    for uri in [
        format!("/stories/{draft}/badge.svg"),
        "/stories/secret-draft/badge.svg".into(),
        "/stories/999/badge.svg".into(),
    ] {
        let page = Browser::new().get(&app, &uri).await;
        assert_eq!(page.status, Status::NotFound, "{uri}");
        assert!(!page.body.contains("Secret Draft"));
    }
}

#[rocket::async_test]
async fn an_admin_finds_the_embed_snippet_on_the_story_updates_page() {
    let app = spawn_app_with(|f| f.merge(("public_url", "https://stories.example.com"))).await;
    let story = app.add_story("Night Train", "All aboard.").await;
    let draft = app.add_draft("Secret Draft", "Not yet.").await;
    let admin = app.admin("editor").await;

    let page = admin
        .get(&app, &format!("/admin/stories/{story}/updates"))
        .await;

    assert_eq!(page.status, Status::Ok);
    let body = page.body.replace("&#x2F;", "/");
    let snippet = "&lt;a href=&quot;https://stories.example.com/stories/night-train&quot;&gt;\
        &lt;img src=&quot;https://stories.example.com/stories/night-train/badge.svg&quot;";
    assert!(body.contains(snippet), "{body}");
    let page = admin
        .get(&app, &format!("/admin/stories/{draft}/updates"))
        .await;
    assert!(
        !page.body.contains("embed-snippet"),
        "a draft has no badge yet"
    );
}
