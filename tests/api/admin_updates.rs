//! Admins telling a story's followers: announcements from the story's
//! updates page, and "Notify followers" when saving an edit.

use rocket::http::Status;

use crate::client::Page;
use crate::helpers::{spawn_app, Browser, TestApp};
use crate::notifications::post_update;

/// Sends the updates form of `story` with `text`, whatever comes of it.
async fn send(app: &TestApp, who: &Browser, story: i64, text: &str) -> Page {
    let uri = format!("/admin/stories/{story}/updates");
    who.post_form(app, &uri, &[("text", text)]).await
}

async fn followed_story(app: &TestApp, title: &str, followers: &[&str]) -> i64 {
    let story = app.add_story(title, "Text").await;
    for name in followers {
        app.follower(name, &story.to_string()).await;
    }
    story
}

#[rocket::async_test]
async fn a_reader_cannot_post_an_update() {
    let app = spawn_app().await;
    let story = followed_story(&app, "Night Train", &["alice"]).await;
    let mallory = app.reader("mallory").await;

    let page = send(&app, &mallory, story, "Fake news").await;

    assert_eq!(page.status, Status::Forbidden);
    assert_eq!(app.count("SELECT COUNT(*) FROM story_updates").await, 0);
    assert_eq!(app.rows_of("notifications", "alice").await, 0);
}

#[rocket::async_test]
async fn an_update_over_two_thousand_characters_is_refused_and_kept_in_the_form() {
    let app = spawn_app().await;
    let story = followed_story(&app, "Night Train", &["alice"]).await;
    let admin = app.admin("editor").await;
    let long = "é".repeat(2001);

    let page = send(&app, &admin, story, &long).await;

    assert_eq!(page.status, Status::UnprocessableEntity);
    assert!(
        page.body
            .contains("at most 2,000 characters; this one has 2001"),
        "{}",
        page.body
    );
    assert!(page.body.contains(&long), "the text is kept");
    assert_eq!(app.count("SELECT COUNT(*) FROM story_updates").await, 0);
    // Exactly 2,000 (of any script) is fine.
    post_update(&app, &admin, story, &"é".repeat(2000)).await;
    assert_eq!(app.rows_of("notifications", "alice").await, 1);
}

#[rocket::async_test]
async fn a_line_break_counts_as_one_character_as_in_the_form() {
    let app = spawn_app().await;
    let story = followed_story(&app, "Night Train", &["alice"]).await;
    let admin = app.admin("editor").await;
    // 2,000 characters as the text area counts them; 2,002 as sent.
    let text = vec!["x".repeat(666); 3].join("\r\n");

    post_update(&app, &admin, story, &text).await;

    let stored: String = sqlx::query_scalar("SELECT body FROM story_updates")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(stored, vec!["x".repeat(666); 3].join("\n"));
}

#[rocket::async_test]
async fn an_empty_update_is_refused() {
    let app = spawn_app().await;
    let story = followed_story(&app, "Night Train", &["alice"]).await;
    let admin = app.admin("editor").await;

    let page = send(&app, &admin, story, "   ").await;

    assert_eq!(page.status, Status::UnprocessableEntity);
    assert!(page.body.contains("Write what the update says."));
    assert_eq!(app.count("SELECT COUNT(*) FROM story_updates").await, 0);
}

#[rocket::async_test]
async fn updates_to_drafts_and_missing_stories_are_refused() {
    let app = spawn_app().await;
    let draft = app.add_draft("Secret", "Not yet").await;
    let admin = app.admin("editor").await;

    let page = admin
        .get(&app, &format!("/admin/stories/{draft}/updates"))
        .await;
    assert!(page.body.contains("publish it before telling them"));
    let page = send(&app, &admin, draft, "Too early").await;
    assert_eq!(page.status, Status::Conflict);
    assert!(page.body.contains("Publish the story first"));
    assert!(page.body.contains("Too early"), "the text is kept");
    let page = admin
        .post_form(&app, "/admin/stories/999/updates", &[("text", "Hello")])
        .await;
    assert_eq!(page.status, Status::NotFound);

    assert_eq!(app.count("SELECT COUNT(*) FROM story_updates").await, 0);
}

#[rocket::async_test]
async fn the_updates_page_shows_the_followers_and_what_was_sent() {
    let app = spawn_app().await;
    let story = followed_story(&app, "Night Train", &["alice", "bob"]).await;
    let admin = app.admin("editor").await;

    let sent = post_update(&app, &admin, story, "Chapter two is out").await;
    let page = admin.get(&app, sent.location().expect("a page")).await;

    assert_eq!(page.status, Status::Ok);
    assert!(page.body.contains("Sent: 2 followers were notified."));
    assert!(page
        .body
        .contains("<strong id=\"followers\">2</strong> followers"));
    assert!(page.body.contains("Chapter two is out"));
}

#[rocket::async_test]
async fn saving_an_edit_with_notify_followers_tells_them() {
    let app = spawn_app().await;
    let story = followed_story(&app, "Night Train", &["alice"]).await;
    let admin = app.admin("editor").await;

    let page = admin
        .post_form(
            &app,
            &format!("/admin/stories/{story}"),
            &[
                ("title", "Night Train"),
                ("body", "Text, and a second chapter."),
                ("action", "save"),
                ("notify", "true"),
                ("note", "Chapter two: the tunnel"),
            ],
        )
        .await;

    assert_eq!(page.status, Status::SeeOther, "{}", page.body);
    let location = page.location().expect("a redirect").to_string();
    assert_eq!(location, format!("/admin/stories/{story}/edit?notified=1"));
    assert!(admin
        .get(&app, &location)
        .await
        .body
        .contains("1 follower was notified"));
    let kind: String = sqlx::query_scalar("SELECT kind || ':' || body FROM story_updates")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(kind, "chapter:Chapter two: the tunnel");
    assert_eq!(app.rows_of("notifications", "alice").await, 1);
}

#[rocket::async_test]
async fn saving_without_notify_followers_tells_nobody() {
    let app = spawn_app().await;
    let story = followed_story(&app, "Night Train", &["alice"]).await;
    let admin = app.admin("editor").await;

    let page = admin
        .post_form(
            &app,
            &format!("/admin/stories/{story}"),
            &[
                ("title", "Night Train"),
                ("body", "A typo fixed."),
                ("action", "save"),
            ],
        )
        .await;

    assert_eq!(
        page.location(),
        Some(format!("/admin/stories/{story}/edit").as_str())
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM story_updates").await, 0);
}

#[rocket::async_test]
async fn notify_followers_without_a_note_names_the_story() {
    let app = spawn_app().await;
    let story = followed_story(&app, "Night Train", &["alice"]).await;
    let admin = app.admin("editor").await;

    admin
        .post_form(
            &app,
            &format!("/admin/stories/{story}"),
            &[
                ("title", "Night Train"),
                ("body", "More."),
                ("notify", "true"),
            ],
        )
        .await;

    let body: String = sqlx::query_scalar("SELECT body FROM story_updates")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(body, "“Night Train” was updated.");
}

#[rocket::async_test]
async fn a_bad_note_or_an_unpublished_story_saves_nothing() {
    let app = spawn_app().await;
    let story = followed_story(&app, "Night Train", &["alice"]).await;
    let admin = app.admin("editor").await;
    let long = "x".repeat(2001);

    let page = admin
        .post_form(
            &app,
            &format!("/admin/stories/{story}"),
            &[
                ("title", "Renamed"),
                ("body", "Changed"),
                ("notify", "true"),
                ("note", &long),
            ],
        )
        .await;
    assert_eq!(page.status, Status::UnprocessableEntity);
    assert!(page
        .body
        .contains("The note to followers: An update has at most 2,000 characters"));
    assert!(
        page.body.contains("Renamed"),
        "the form keeps what was typed"
    );

    admin
        .post_form(&app, &format!("/admin/stories/{story}/unpublish"), &[])
        .await;
    let page = admin
        .post_form(
            &app,
            &format!("/admin/stories/{story}"),
            &[
                ("title", "Renamed"),
                ("body", "Changed"),
                ("notify", "true"),
            ],
        )
        .await;
    assert_eq!(page.status, Status::UnprocessableEntity);
    assert!(page
        .body
        .contains("Followers hear only about a published story"));

    let title: String = sqlx::query_scalar("SELECT title FROM stories")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(title, "Night Train");
    assert_eq!(app.count("SELECT COUNT(*) FROM story_updates").await, 0);
}
