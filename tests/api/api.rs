use rocket::http::Status;

use crate::helpers::{spawn_app, Browser};

#[rocket::async_test]
async fn the_story_api_lists_published_stories_with_their_figures() {
    let app = spawn_app().await;
    let story = app.add_story("Listed", "Text").await;
    app.add_draft("Hidden draft", "Text").await;
    app.reader("alice")
        .await
        .get(&app, &format!("/stories/{story}"))
        .await;

    let page = Browser::new().get(&app, "/api/stories").await;

    assert_eq!(page.status, Status::Ok);
    assert_eq!(page.header("Content-Type"), Some("application/json"));
    let json = page.json();
    let stories = json["stories"].as_array().unwrap();
    assert_eq!(stories.len(), 1);
    assert_eq!(stories[0]["id"], story);
    assert_eq!(stories[0]["title"], "Listed");
    assert_eq!(stories[0]["read_count"], 1);
    assert_eq!(stories[0]["current_viewers"], 1);
}

#[rocket::async_test]
async fn a_story_from_the_api_needs_a_login_like_its_page() {
    let app = spawn_app().await;
    let story = app.add_story("A story", "Text").await;

    let page = Browser::new()
        .get(&app, &format!("/api/stories/{story}"))
        .await;

    assert_eq!(page.status, Status::Unauthorized);
    assert_eq!(page.json()["error"], "You need to log in first.");
}

#[rocket::async_test]
async fn a_story_from_the_api_has_its_figures_and_opening_it_is_not_a_read() {
    let app = spawn_app().await;
    let story = app.add_story("A story", "Text").await;
    let alice = app.reader("alice").await;

    let page = alice.get(&app, &format!("/api/stories/{story}")).await;

    assert_eq!(page.status, Status::Ok);
    let json = page.json();
    assert_eq!(json["id"], story);
    assert_eq!(json["title"], "A story");
    assert_eq!(json["read_count"], 0);
    assert_eq!(json["current_viewers"], 0);
}

#[rocket::async_test]
async fn unknown_drafts_and_malformed_ids_are_json_404s() {
    let app = spawn_app().await;
    let draft = app.add_draft("Draft", "Text").await;
    let alice = app.reader("alice").await;

    for uri in [
        format!("/api/stories/{draft}"),
        "/api/stories/404".into(),
        "/api/stories/x".into(),
        "/api/nothing".into(),
    ] {
        let page = alice.get(&app, &uri).await;
        assert_eq!(page.status, Status::NotFound, "{uri}");
        assert_eq!(page.json()["error"], "That page does not exist.", "{uri}");
    }
}
