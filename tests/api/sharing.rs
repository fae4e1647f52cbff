//! What a story page tells link previews and search engines: absolute
//! canonical address, description and Open Graph tags; and the preview a
//! visitor who is not logged in gets instead of the story.

use rocket::http::{Header, Status};

use crate::client::Page;
use crate::feeds::{dated, public_app, ORIGIN};
use crate::helpers::{spawn_app, Browser};

/// The value that follows `marker` up to the next quote, with the slashes
/// Tera writes as `&#x2F;` put back (any other escape is left as it is).
fn attribute(page: &Page, marker: &str) -> Option<String> {
    let start = page.body.find(marker)? + marker.len();
    let end = page.body[start..].find('"')? + start;
    Some(page.body[start..end].replace("&#x2F;", "/"))
}

/// The `content` of the `<meta>` tag with `attribute="name"`.
fn meta(page: &Page, attribute_name: &str, name: &str) -> Option<String> {
    attribute(
        page,
        &format!("<meta {attribute_name}=\"{name}\" content=\""),
    )
}

fn canonical(page: &Page) -> Option<String> {
    attribute(page, "<link rel=\"canonical\" href=\"")
}

const BODY: &str = "The night train *leaves* at nine.\n\nThe second paragraph holds the twist.";

#[rocket::async_test]
async fn a_story_page_carries_its_sharing_tags_with_absolute_addresses() {
    let app = public_app().await;
    let story = app.add_story("Night Train", BODY).await;
    dated(&app, story, 1_796_000_000, 1_796_100_000).await;
    let reader = app.reader("alice").await;

    let page = reader.get(&app, "/stories/night-train").await;

    assert_eq!(page.status, Status::Ok);
    let url = format!("{ORIGIN}/stories/night-train");
    assert_eq!(canonical(&page).as_deref(), Some(url.as_str()));
    assert_eq!(
        meta(&page, "property", "og:url").as_deref(),
        Some(url.as_str())
    );
    assert_eq!(
        meta(&page, "property", "og:title").as_deref(),
        Some("Night Train")
    );
    assert_eq!(
        meta(&page, "property", "og:type").as_deref(),
        Some("article")
    );
    assert_eq!(
        meta(&page, "property", "og:site_name").as_deref(),
        Some("Folio")
    );
    let description = Some("The night train leaves at nine.");
    assert_eq!(meta(&page, "name", "description").as_deref(), description);
    assert_eq!(
        meta(&page, "property", "og:description").as_deref(),
        description
    );
    assert_eq!(
        meta(&page, "property", "article:published_time").as_deref(),
        Some("2026-11-30T00:53:20Z")
    );
    assert_eq!(
        meta(&page, "property", "article:modified_time").as_deref(),
        Some("2026-12-01T04:40:00Z")
    );
    assert_eq!(
        meta(&page, "name", "twitter:card").as_deref(),
        Some("summary")
    );
    let feed = format!(r#"type="application/atom+xml" href="{url}/feed.xml""#);
    assert!(
        page.body.replace("&#x2F;", "/").contains(&feed),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("The second paragraph"),
        "the reader reads it all"
    );
}

#[rocket::async_test]
async fn a_visitor_gets_a_preview_with_the_tags_but_not_the_story() {
    let app = public_app().await;
    let story = app.add_story("Night Train", BODY).await;
    let visitor = Browser::new();

    let page = visitor.get(&app, &format!("/stories/{story}")).await;

    assert_eq!(page.status, Status::Ok, "{}", page.body);
    assert_eq!(
        meta(&page, "property", "og:title").as_deref(),
        Some("Night Train")
    );
    assert_eq!(
        canonical(&page).as_deref(),
        Some(format!("{ORIGIN}/stories/night-train").as_str())
    );
    assert!(page.body.contains("The night train leaves at nine."));
    assert!(!page.body.contains("The second paragraph"), "{}", page.body);
    let login = format!("href=\"/login?next=/stories/{story}\"");
    assert!(
        page.body.replace("&#x2F;", "/").contains(&login),
        "{}",
        page.body
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM reads").await, 0);
    let badge = visitor
        .get(&app, &format!("/stories/{story}/badge.svg"))
        .await;
    assert!(
        badge.body.contains(">0 reading now<"),
        "a visitor is not a reader"
    );
}

#[rocket::async_test]
async fn a_visitor_cannot_preview_a_draft() {
    let app = public_app().await;
    let draft = app.add_draft("Secret Draft", BODY).await;

    for uri in [format!("/stories/{draft}"), "/stories/secret-draft".into()] {
        let page = Browser::new().get(&app, &uri).await;
        assert_eq!(page.status, Status::NotFound, "{uri}");
        assert!(!page.body.contains("Secret Draft"));
    }
}

#[rocket::async_test]
async fn sharing_tags_escape_what_the_title_says() {
    let app = public_app().await;
    app.add_story(r#""Quotes" & <tags>"#, "Plain.").await;

    let page = Browser::new().get(&app, "/stories/quotes-tags").await;

    assert_eq!(
        meta(&page, "property", "og:title").as_deref(),
        Some("&quot;Quotes&quot; &amp; &lt;tags&gt;")
    );
    assert!(!page.body.contains("<tags>"));
}

#[rocket::async_test]
async fn without_a_public_url_links_follow_a_plain_host_header() {
    let app = spawn_app().await;
    app.add_story("Night Train", BODY).await;
    let visitor = Browser::new();
    let host = |value: &str| Header::new("Host", value.to_string());

    let page = visitor
        .get_with(
            &app,
            "/stories/night-train",
            host("reader.example.org:8443"),
        )
        .await;
    assert_eq!(
        canonical(&page).as_deref(),
        Some("http://reader.example.org:8443/stories/night-train")
    );

    // A host that is no plain name is not written into links.
    let page = visitor
        .get_with(&app, "/stories/night-train", host("ex_ample.com"))
        .await;
    assert_eq!(
        canonical(&page).as_deref(),
        Some("http://127.0.0.1:8000/stories/night-train")
    );
}

#[rocket::async_test]
async fn a_public_url_that_is_not_an_origin_stops_the_start() {
    let figment = |url: &'static str| {
        let dir = tempfile::tempdir().expect("a directory");
        crate::helpers::test_figment(&dir).merge(("public_url", url))
    };

    for bad in ["stories.example.com", "https://example.com/blog"] {
        let error = folio::Settings::from_figment(&figment(bad)).expect_err(bad);
        assert!(error.to_string().contains("public_url"), "{error}");
    }
}
