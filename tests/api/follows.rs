//! Following stories: the buttons on the story page and the list, the
//! "Following" page, and what cannot be followed.

use rocket::http::Status;

use crate::helpers::{spawn_app, Browser};

#[rocket::async_test]
async fn following_twice_is_one_follow_and_unfollowing_twice_is_harmless() {
    let app = spawn_app().await;
    app.add_story("Night Train", "Text").await;
    let alice = app.reader("alice").await;

    for _ in 0..2 {
        let page = alice
            .post_form(&app, "/stories/night-train/follow", &[])
            .await;
        assert_eq!(page.status, Status::NoContent, "{}", page.body);
    }
    assert_eq!(app.rows_of("follows", "alice").await, 1);

    for _ in 0..2 {
        let page = alice
            .post_form(&app, "/stories/night-train/unfollow", &[])
            .await;
        assert_eq!(page.status, Status::NoContent, "{}", page.body);
    }
    assert_eq!(app.rows_of("follows", "alice").await, 0);
}

#[rocket::async_test]
async fn the_follow_button_on_a_story_page_follows_it_and_comes_back() {
    let app = spawn_app().await;
    app.add_story("Night Train", "Text").await;
    let alice = app.reader("alice").await;
    let page = alice.get(&app, "/stories/night-train").await;
    assert!(page.body.contains("action=\"/stories/night-train/follow\""));

    let page = alice
        .post_form(
            &app,
            "/stories/night-train/follow",
            &[("next", "/stories/night-train")],
        )
        .await;

    assert_eq!(page.status, Status::SeeOther);
    assert_eq!(page.location(), Some("/stories/night-train"));
    let page = alice.get(&app, "/stories/night-train").await;
    assert!(page
        .body
        .contains("action=\"/stories/night-train/unfollow\""));
    assert!(page.body.contains("Following ✓"));
}

#[rocket::async_test]
async fn the_story_list_shows_which_stories_the_reader_follows() {
    let app = spawn_app().await;
    app.add_story("Night Train", "Text").await;
    app.add_story("Day Boat", "Text").await;
    let alice = app.reader("alice").await;
    alice
        .post_form(&app, "/stories/day-boat/follow", &[("next", "/")])
        .await;

    let page = alice.get(&app, "/").await;

    assert!(page.body.contains("action=\"/stories/day-boat/unfollow\""));
    assert!(page.body.contains("action=\"/stories/night-train/follow\""));
    // Visitors see no buttons: following needs an account.
    let page = Browser::new().get(&app, "/").await;
    assert!(!page.body.contains("/follow\""));
}

#[rocket::async_test]
async fn missing_and_draft_stories_cannot_be_followed() {
    let app = spawn_app().await;
    let draft = app.add_draft("Secret", "Not yet").await;
    let alice = app.reader("alice").await;

    for uri in [
        "/stories/no-such-story/follow".to_string(),
        format!("/stories/{draft}/follow"),
        "/stories/secret/follow".to_string(),
    ] {
        let page = alice.post_form(&app, &uri, &[]).await;
        assert_eq!(page.status, Status::NotFound, "{uri}");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM follows").await, 0);
}

#[rocket::async_test]
async fn following_or_unfollowing_a_draft_is_the_same_404_as_a_story_that_never_was() {
    let app = spawn_app().await;
    let draft = app.add_draft("Secret Plans", "Not yet").await;
    let alice = app.reader("alice").await;

    for action in ["follow", "unfollow"] {
        let missing = alice
            .post_form(&app, &format!("/stories/no-such-story/{action}"), &[])
            .await;
        assert_eq!(missing.status, Status::NotFound);
        for key in [draft.to_string(), "secret-plans".to_string()] {
            let page = alice
                .post_form(&app, &format!("/stories/{key}/{action}"), &[])
                .await;

            assert_eq!(page.status, Status::NotFound, "{action} {key}");
            assert_eq!(page.body, missing.body, "{action} {key}");
        }
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM follows").await, 0);
}

#[rocket::async_test]
async fn following_needs_a_login_a_csrf_token_and_a_post() {
    let app = spawn_app().await;
    app.add_story("Night Train", "Text").await;
    let alice = app.reader("alice").await;

    let visitor = Browser::new();
    let page = visitor
        .post_form(&app, "/stories/night-train/follow", &[])
        .await;
    assert_eq!(page.status, Status::SeeOther);
    assert!(page.location().unwrap_or_default().starts_with("/login"));
    let page = alice
        .post_raw(&app, "/stories/night-train/follow", String::new())
        .await;
    assert_eq!(page.status, Status::Forbidden);
    let page = alice.get(&app, "/stories/night-train/follow").await;
    assert_eq!(page.status, Status::NotFound);

    assert_eq!(app.count("SELECT COUNT(*) FROM follows").await, 0);
}

#[rocket::async_test]
async fn an_unpublished_story_can_still_be_unfollowed() {
    let app = spawn_app().await;
    let story = app.add_story("Night Train", "Text").await;
    let alice = app.reader("alice").await;
    alice
        .post_form(&app, "/stories/night-train/follow", &[])
        .await;
    sqlx::query("UPDATE stories SET published_at = NULL WHERE id = $1")
        .bind(story)
        .execute(&app.db)
        .await
        .unwrap();

    let page = alice.get(&app, "/following").await;
    assert!(page.body.contains("no longer published"), "{}", page.body);
    let page = alice
        .post_form(&app, "/stories/night-train/unfollow", &[])
        .await;

    assert_eq!(page.status, Status::NoContent);
    assert_eq!(app.rows_of("follows", "alice").await, 0);
}

#[rocket::async_test]
async fn the_following_page_lists_followed_stories_with_their_latest_update() {
    let app = spawn_app().await;
    let train = app.add_story("Night Train", "Text").await;
    app.add_story("Day Boat", "Text").await;
    app.add_story("Not Followed", "Text").await;
    let admin = app.admin("editor").await;
    let alice = app.reader("alice").await;
    for slug in ["night-train", "day-boat"] {
        alice
            .post_form(&app, &format!("/stories/{slug}/follow"), &[])
            .await;
    }
    crate::notifications::post_update(&app, &admin, train, "Chapter two is out").await;

    let page = alice.get(&app, "/following").await;

    assert_eq!(page.status, Status::Ok);
    let (train_at, boat_at) = (
        page.body.find("Night Train").expect("the train is listed"),
        page.body.find("Day Boat").expect("the boat is listed"),
    );
    assert!(train_at < boat_at, "the updated story comes first");
    assert!(page.body.contains("Chapter two is out"));
    assert!(!page.body.contains("Not Followed"));
}

#[rocket::async_test]
async fn the_following_page_is_paginated() {
    let app = spawn_app().await;
    let alice = app.reader("alice").await;
    for n in 0..35 {
        let id = app.add_story(&format!("Story number {n}"), "Text").await;
        alice
            .post_form(&app, &format!("/stories/{id}/follow"), &[])
            .await;
        // Some have updates (they come first, latest first), most none.
        if n % 3 == 0 {
            sqlx::query(
                "INSERT INTO story_updates (story_id, kind, body, created_at)
                 VALUES ($1, 'announcement', 'News', 1)",
            )
            .bind(id)
            .execute(&app.db)
            .await
            .unwrap();
        }
    }

    let first = alice.get(&app, "/following").await;
    let shown = first.body.matches("class=\"story-item followed\"").count();
    assert_eq!(shown, 30);
    let marker = "href=\"/following?after=";
    let start = first.body.find(marker).expect("a link to more") + "href=\"".len();
    let end = start + first.body[start..].find('"').expect("the link's end");
    let second = alice.get(&app, &first.body[start..end]).await;

    assert_eq!(
        second.body.matches("class=\"story-item followed\"").count(),
        5
    );
    for n in 0..35 {
        let title = format!("Story number {n}<");
        let times = first.body.matches(&title).count() + second.body.matches(&title).count();
        assert_eq!(times, 1, "story {n} is on exactly one page");
    }
    let page = alice.get(&app, "/following?after=nonsense").await;
    assert_eq!(page.status, Status::BadRequest);
}
