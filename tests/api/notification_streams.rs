//! Notifications arriving on open pages: every page's stream carries its
//! reader's inbox (the unread badge, and a notice as an update arrives).

use rocket::http::Status;

use crate::events::{Events, Received};
use crate::helpers::{spawn_app, Browser};
use crate::notifications::post_update;

/// The next `inbox` event on a stream.
async fn next_inbox(events: &mut Events<'_>) -> Received {
    events
        .until("an inbox event", |e| e.name == "inbox")
        .await
        .0
}

#[rocket::async_test]
async fn a_followers_open_pages_receive_the_update_with_a_notice() {
    let app = spawn_app().await;
    let story = app.add_story("Night Train", "Text").await;
    let other = app.add_story("Day Boat", "Text").await;
    let admin = app.admin("editor").await;
    let alice = app.follower("alice", "night-train").await;
    let mut list = alice.events(&app, "/live/stories").await;
    let mut reading = alice.events(&app, &format!("/live/stories/{other}")).await;
    let mut elsewhere = alice.events(&app, "/live/inbox").await;
    for stream in [&mut list, &mut reading, &mut elsewhere] {
        assert_eq!(next_inbox(stream).await.data["unread"], 0);
    }

    post_update(&app, &admin, story, "Chapter <two> is out").await;

    for stream in [&mut list, &mut reading, &mut elsewhere] {
        let event = next_inbox(stream).await;
        assert_eq!(event.data["unread"], 1);
        let notice = &event.data["notice"];
        assert_eq!(notice["text"], "Chapter <two> is out");
        assert_eq!(notice["story"], "Night Train");
        assert_eq!(notice["url"], "/stories/night-train");
    }
}

#[rocket::async_test]
async fn a_reader_who_does_not_follow_the_story_hears_nothing_of_it() {
    let app = spawn_app().await;
    let train = app.add_story("Night Train", "Text").await;
    let boat = app.add_story("Day Boat", "Text").await;
    let admin = app.admin("editor").await;
    let bob = app.follower("bob", "day-boat").await;
    let mut bobs = bob.events(&app, "/live/inbox").await;
    assert_eq!(next_inbox(&mut bobs).await.data["unread"], 0);

    post_update(&app, &admin, train, "Not for Bob").await;
    post_update(&app, &admin, boat, "For Bob").await;

    // Had the first update reached Bob, it would come before this one.
    let event = next_inbox(&mut bobs).await;
    assert_eq!(event.data["notice"]["text"], "For Bob");
    assert_eq!(event.data["unread"], 1);
}

#[rocket::async_test]
async fn reading_in_one_tab_updates_the_badge_in_every_tab() {
    let app = spawn_app().await;
    let story = app.add_story("Night Train", "Text").await;
    let admin = app.admin("editor").await;
    let alice = app.follower("alice", "night-train").await;
    post_update(&app, &admin, story, "One").await;
    post_update(&app, &admin, story, "Two").await;
    let mut first_tab = alice.events(&app, "/live/stories").await;
    let mut second_tab = alice.events(&app, "/live/inbox").await;
    for tab in [&mut first_tab, &mut second_tab] {
        assert_eq!(next_inbox(tab).await.data["unread"], 2);
    }
    let one = app.count("SELECT MIN(id) FROM story_updates").await;

    alice
        .post_form(&app, &format!("/notifications/{one}/read"), &[])
        .await;
    for tab in [&mut first_tab, &mut second_tab] {
        let event = next_inbox(tab).await;
        assert_eq!(event.data["unread"], 1);
        assert!(event.data.get("notice").is_none(), "{event:?}");
    }

    alice.post_form(&app, "/notifications/read", &[]).await;
    for tab in [&mut first_tab, &mut second_tab] {
        assert_eq!(next_inbox(tab).await.data["unread"], 0);
    }
}

#[rocket::async_test]
async fn a_reopened_stream_starts_from_the_unread_count_now() {
    let app = spawn_app().await;
    let story = app.add_story("Night Train", "Text").await;
    let admin = app.admin("editor").await;
    let alice = app.follower("alice", "night-train").await;
    let page = alice.get(&app, "/").await;
    assert_eq!(crate::notifications::badge(&page), 0);

    post_update(&app, &admin, story, "While away").await;
    let mut stream = alice.events(&app, "/live/stories").await;

    let first = next_inbox(&mut stream).await;
    assert_eq!(first.data["unread"], 1);
    // The notice was for pages open when it arrived.
    assert!(first.data.get("notice").is_none(), "{first:?}");
}

#[rocket::async_test]
async fn readers_who_turn_live_notices_off_keep_the_badge_and_the_feed() {
    let app = spawn_app().await;
    let story = app.add_story("Night Train", "Text").await;
    let admin = app.admin("editor").await;
    let alice = app.follower("alice", "night-train").await;
    let page = alice
        .post_form(
            &app,
            "/notifications/preferences",
            &[("next", "/notifications")],
        )
        .await;
    assert_eq!(page.status, Status::SeeOther);
    let mut stream = alice.events(&app, "/live/inbox").await;
    next_inbox(&mut stream).await;

    post_update(&app, &admin, story, "Quietly").await;

    let event = next_inbox(&mut stream).await;
    assert_eq!(event.data["unread"], 1);
    assert!(event.data.get("notice").is_none(), "{event:?}");
    let feed = alice.get(&app, "/notifications").await;
    assert!(feed.body.contains("Quietly"));
    assert!(!feed
        .body
        .contains("name=\"live_notices\" value=\"true\" checked"));

    alice
        .post_form(
            &app,
            "/notifications/preferences",
            &[("live_notices", "true")],
        )
        .await;
    post_update(&app, &admin, story, "Loudly").await;
    let event = stream
        .until("a notice", |e| e.data.get("notice").is_some())
        .await
        .0;
    assert_eq!(event.data["notice"]["text"], "Loudly");
}

#[rocket::async_test]
async fn the_notifications_page_hears_of_every_update_posted() {
    let app = spawn_app().await;
    let story = app.add_story("Night Train", "Text").await;
    let admin = app.admin("editor").await;
    let bob = app.reader("bob").await;
    let mut stream = bob.events(&app, "/live/inbox").await;

    post_update(&app, &admin, story, "For everyone").await;

    let posted = stream
        .until("a posted event", |e| e.name == "posted")
        .await
        .0;
    let update = app.count("SELECT id FROM story_updates").await;
    assert_eq!(posted.data, update);
}

#[rocket::async_test]
async fn the_inbox_stream_needs_a_login() {
    let app = spawn_app().await;
    let page = Browser::new().get(&app, "/live/inbox").await;
    assert_eq!(page.status, Status::Unauthorized);
    assert!(page.body.contains("\"error\""));
}

#[rocket::async_test]
async fn deleting_a_story_lowers_the_badge_on_open_pages() {
    let app = spawn_app().await;
    let story = app.add_story("Night Train", "Text").await;
    let admin = app.admin("editor").await;
    let alice = app.follower("alice", "night-train").await;
    post_update(&app, &admin, story, "Soon gone").await;
    let mut stream = alice.events(&app, "/live/inbox").await;
    assert_eq!(next_inbox(&mut stream).await.data["unread"], 1);

    admin
        .post_form(&app, &format!("/admin/stories/{story}/delete"), &[])
        .await;

    let event = next_inbox(&mut stream).await;
    assert_eq!(event.data["unread"], 0);
    assert!(event.data.get("notice").is_none(), "{event:?}");
}
