//! A story's cover, in the list, on the story page, in its sharing tags and
//! feeds; and the Content-Security-Policy's stance on images from other
//! sites.

use rocket::http::Status;

use crate::client::{Browser, Page};
use crate::helpers::{spawn_app, spawn_app_with};
use crate::images::{png, text, upload};

#[rocket::async_test]
async fn a_cover_shows_in_the_list_the_story_its_sharing_tags_and_feeds() {
    let app = spawn_app().await;
    let admin = app.admin("editor").await;
    let url = upload(&app, &admin, "cover.png", &png()).await.json()["url"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let fields = [
        ("title", "Harbour"),
        ("body", "The boats came in."),
        ("cover", url.as_str()),
        ("action", "publish"),
    ];
    let saved = admin.post_form(&app, "/admin/stories", &fields).await;
    assert_eq!(saved.status, Status::SeeOther, "{}", saved.body);

    let reader = Browser::new();
    let list = reader.get(&app, "/").await;
    assert!(
        text(&list).contains(&format!("class=\"cover\" src=\"{url}\"")),
        "{}",
        list.body
    );
    let story = reader.get(&app, "/stories/harbour").await;
    assert!(
        text(&story).contains(&format!(
            "property=\"og:image\" content=\"http://127.0.0.1:8000{url}\""
        )),
        "{}",
        story.body
    );
    assert!(text(&story).contains("summary_large_image"));
    assert!(
        text(&story).contains(&format!("class=\"story-cover\" src=\"{url}\"")),
        "{}",
        story.body
    );
    // A logged-in reader's page (kept rendered per story) shows it too.
    let logged_in = app
        .reader("reader")
        .await
        .get(&app, "/stories/harbour")
        .await;
    assert!(text(&logged_in).contains(&format!("class=\"story-cover\" src=\"{url}\"")));
    for feed in ["/feed.xml", "/stories/harbour/feed.xml"] {
        let feed = reader.get(&app, feed).await;
        assert!(
            text(&feed).contains(&format!(
                "rel=\"enclosure\" href=\"http://127.0.0.1:8000{url}\""
            )) || text(&feed).contains(&format!(
                "href=\"http://127.0.0.1:8000{url}\" rel=\"enclosure\""
            )),
            "{}",
            feed.body
        );
    }
    // The editor shows the cover; emptying the field takes it away.
    let id = app.count("SELECT id FROM stories").await;
    let editor = admin.get(&app, &format!("/admin/stories/{id}/edit")).await;
    assert!(text(&editor).contains(&format!("name=\"cover\" type=\"text\" value=\"{url}\"")));
    let fields = [
        ("title", "Harbour"),
        ("body", "The boats came in."),
        ("cover", ""),
        ("action", "save"),
    ];
    admin
        .post_form(&app, &format!("/admin/stories/{id}"), &fields)
        .await;
    assert!(!reader
        .get(&app, "/")
        .await
        .body
        .replace("&#x2F;", "/")
        .contains(&url));
}

#[rocket::async_test]
async fn a_cover_that_is_not_an_uploaded_image_is_refused_with_the_text_kept() {
    let app = spawn_app().await;
    let admin = app.admin("editor").await;
    let missing = format!("/images/{}.png", "ab".repeat(32));
    for cover in [missing.as_str(), "https://elsewhere.example/cat.png"] {
        let fields = [
            ("title", "Harbour"),
            ("body", "Every word typed here stays."),
            ("cover", cover),
            ("action", "save"),
        ];
        let page = admin.post_form(&app, "/admin/stories", &fields).await;
        assert_eq!(page.status, Status::UnprocessableEntity, "{cover}");
        assert!(page.body.contains("Every word typed here stays."));
        assert!(page.body.contains("uploaded to Folio"), "{}", page.body);
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM stories").await, 0);
}

#[rocket::async_test]
async fn remote_images_are_allowed_only_when_the_setting_says_so() {
    let img_src = |page: &Page| {
        let policy = page
            .header("Content-Security-Policy")
            .unwrap_or_default()
            .to_string();
        policy
            .split(';')
            .find(|d| d.trim().starts_with("img-src"))
            .unwrap_or_default()
            .trim()
            .to_string()
    };
    let app = spawn_app().await;
    assert_eq!(
        img_src(&Browser::new().get(&app, "/").await),
        "img-src 'self' data:"
    );
    let app = spawn_app_with(|figment| figment.merge(("remote_images", true))).await;
    assert_eq!(
        img_src(&Browser::new().get(&app, "/").await),
        "img-src 'self' data: https:"
    );
}
