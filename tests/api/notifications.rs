//! Updates and the notifications they bring: one per follower, waiting for
//! readers who are away, on the "Following" and "All updates" views, and
//! marked read.

use rocket::http::Status;

use crate::client::Page;
use crate::helpers::{spawn_app, Browser, TestApp};

/// An admin posts an announcement to `story`'s followers.
pub async fn post_update(app: &TestApp, admin: &Browser, story: i64, text: &str) -> Page {
    let page = admin
        .post_form(
            app,
            &format!("/admin/stories/{story}/updates"),
            &[("text", text)],
        )
        .await;
    assert_eq!(
        page.status,
        Status::SeeOther,
        "posting failed: {}",
        page.body
    );
    page
}

/// The unread badge's number on a page.
pub fn badge(page: &Page) -> i64 {
    let marker = "id=\"unread-badge\" title=\"Unread\">";
    let start = page.body.find(marker).expect("a badge") + marker.len();
    let end = start + page.body[start..].find('<').expect("the badge's end");
    match &page.body[start..end] {
        "" => 0,
        count => count.parse().expect("a number"),
    }
}

#[rocket::async_test]
async fn an_update_notifies_each_follower_once_and_nobody_else() {
    let app = spawn_app().await;
    let story = app.add_story("Night Train", "Text").await;
    let admin = app.admin("editor").await;
    app.follower("alice", "night-train").await;
    app.follower("bob", "night-train").await;
    app.reader("carol").await;

    let page = post_update(&app, &admin, story, "Chapter two is out").await;

    assert_eq!(
        page.location(),
        Some(format!("/admin/stories/{story}/updates?sent=2").as_str())
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM story_updates").await, 1);
    assert_eq!(app.rows_of("notifications", "alice").await, 1);
    assert_eq!(app.rows_of("notifications", "bob").await, 1);
    assert_eq!(app.rows_of("notifications", "carol").await, 0);
    assert_eq!(app.rows_of("notifications", "editor").await, 0);
}

#[rocket::async_test]
async fn a_follower_who_was_away_finds_the_update_waiting_unread() {
    let app = spawn_app().await;
    let story = app.add_story("Night Train", "Text").await;
    let admin = app.admin("editor").await;
    let alice = app.follower("alice", "night-train").await;
    assert_eq!(badge(&alice.get(&app, "/").await), 0);

    post_update(&app, &admin, story, "Chapter two is out").await;

    let home = alice.get(&app, "/").await;
    assert_eq!(badge(&home), 1);
    let page = alice.get(&app, "/notifications").await;
    assert_eq!(page.status, Status::Ok);
    assert!(page.body.contains("Chapter two is out"));
    assert!(page.body.contains("class=\"update unread\""));
    assert!(page.body.contains("<span class=\"new-mark\">New</span>"));
}

#[rocket::async_test]
async fn the_following_view_shows_only_followed_stories_and_all_updates_shows_every_one() {
    let app = spawn_app().await;
    let train = app.add_story("Night Train", "Text").await;
    let boat = app.add_story("Day Boat", "Text").await;
    let admin = app.admin("editor").await;
    let alice = app.follower("alice", "night-train").await;

    post_update(&app, &admin, train, "News of the train").await;
    post_update(&app, &admin, boat, "News of the boat").await;

    let following = alice.get(&app, "/notifications").await;
    assert!(following.body.contains("News of the train"));
    assert!(!following.body.contains("News of the boat"));
    let all = alice.get(&app, "/notifications?view=all").await;
    assert!(all.body.contains("News of the train"));
    assert!(all.body.contains("News of the boat"));
    // Only what she was notified of counts as unread.
    assert_eq!(all.body.matches("class=\"update unread\"").count(), 1);
    assert_eq!(badge(&all), 1);
}

#[rocket::async_test]
async fn a_reader_who_follows_nothing_still_sees_all_updates() {
    let app = spawn_app().await;
    let story = app.add_story("Night Train", "Text").await;
    let admin = app.admin("editor").await;
    let alice = app.reader("alice").await;
    post_update(&app, &admin, story, "News of the train").await;

    let following = alice.get(&app, "/notifications").await;
    assert!(following.body.contains("Follow a story"));
    assert!(following.body.contains("href=\"/notifications?view=all\""));
    let all = alice.get(&app, "/notifications?view=all").await;
    assert!(all.body.contains("News of the train"));
    assert_eq!(badge(&all), 0);
}

#[rocket::async_test]
async fn updates_of_unpublished_stories_leave_all_updates() {
    let app = spawn_app().await;
    let story = app.add_story("Night Train", "Text").await;
    let admin = app.admin("editor").await;
    let alice = app.reader("alice").await;
    post_update(&app, &admin, story, "News of the train").await;

    admin
        .post_form(&app, &format!("/admin/stories/{story}/unpublish"), &[])
        .await;

    let all = alice.get(&app, "/notifications?view=all").await;
    assert!(!all.body.contains("News of the train"));
}

#[rocket::async_test]
async fn marking_one_read_and_marking_all_read_clear_the_badge() {
    let app = spawn_app().await;
    let story = app.add_story("Night Train", "Text").await;
    let admin = app.admin("editor").await;
    let alice = app.follower("alice", "night-train").await;
    for n in 1..=3 {
        post_update(&app, &admin, story, &format!("Update {n}")).await;
    }
    let first: i64 = app.count("SELECT MIN(id) FROM story_updates").await;
    assert_eq!(badge(&alice.get(&app, "/").await), 3);

    let page = alice
        .post_form(
            &app,
            &format!("/notifications/{first}/read"),
            &[("next", "/notifications")],
        )
        .await;
    assert_eq!(page.status, Status::SeeOther);
    assert_eq!(page.location(), Some("/notifications"));
    assert_eq!(badge(&alice.get(&app, "/").await), 2);
    // Again: it stays read, and nothing else changes.
    alice
        .post_form(&app, &format!("/notifications/{first}/read"), &[])
        .await;
    assert_eq!(badge(&alice.get(&app, "/").await), 2);

    let page = alice.post_form(&app, "/notifications/read", &[]).await;
    assert_eq!(page.status, Status::NoContent);
    let home = alice.get(&app, "/").await;
    assert_eq!(badge(&home), 0);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM notifications WHERE read_at IS NULL")
            .await,
        0
    );
    // Read ones stay in the feed, no longer marked new.
    let page = alice.get(&app, "/notifications").await;
    assert_eq!(page.body.matches("class=\"update\"").count(), 3);
}

#[rocket::async_test]
async fn a_reader_cannot_mark_someone_elses_notifications() {
    let app = spawn_app().await;
    let story = app.add_story("Night Train", "Text").await;
    let admin = app.admin("editor").await;
    let alice = app.follower("alice", "night-train").await;
    let mallory = app.reader("mallory").await;
    post_update(&app, &admin, story, "Update").await;
    let update = app.count("SELECT id FROM story_updates").await;

    mallory
        .post_form(&app, &format!("/notifications/{update}/read"), &[])
        .await;
    mallory.post_form(&app, "/notifications/read", &[]).await;

    assert_eq!(badge(&alice.get(&app, "/").await), 1);
}

#[rocket::async_test]
async fn the_notifications_page_is_paginated_newest_first() {
    let app = spawn_app().await;
    let story = app.add_story("Night Train", "Text").await;
    let admin = app.admin("editor").await;
    let alice = app.follower("alice", "night-train").await;
    for n in 1..=25 {
        post_update(&app, &admin, story, &format!("Update number {n}.")).await;
    }

    let first = alice.get(&app, "/notifications").await;
    assert_eq!(first.body.matches("class=\"update unread\"").count(), 20);
    let newest = first.body.find("Update number 25.").expect("the newest");
    let older = first.body.find("Update number 6.").expect("the 20th");
    assert!(newest < older, "newest first");
    assert!(!first.body.contains("Update number 5."));
    let marker = "href=\"/notifications?before=";
    let start = first.body.find(marker).expect("a link to older ones") + 6;
    let end = start + first.body[start..].find('"').expect("the link's end");
    let second = alice.get(&app, &first.body[start..end]).await;

    assert_eq!(second.body.matches("class=\"update unread\"").count(), 5);
    assert!(second.body.contains("Update number 1."));
    assert!(!second.body.contains("Update number 6."));
    for bad in ["/notifications?before=x", "/notifications?view=nonsense"] {
        assert_eq!(
            alice.get(&app, bad).await.status,
            Status::BadRequest,
            "{bad}"
        );
    }
}

#[rocket::async_test]
async fn update_text_is_shown_as_text_everywhere() {
    let app = spawn_app().await;
    let story = app.add_story("Night Train", "Text").await;
    let admin = app.admin("editor").await;
    let alice = app.follower("alice", "night-train").await;
    let text = "<script>alert('x')</script> & <b>bold</b>";

    post_update(&app, &admin, story, text).await;

    for (who, uri) in [
        (&alice, "/notifications".to_string()),
        (&alice, "/notifications?view=all".to_string()),
        (&alice, "/following".to_string()),
        (&admin, format!("/admin/stories/{story}/updates")),
    ] {
        let page = who.get(&app, &uri).await;
        assert!(!page.body.contains("<script>alert"), "{uri}");
        assert!(!page.body.contains("<b>bold"), "{uri}");
        assert!(page.body.contains("&lt;script&gt;alert("), "{uri}");
    }
}

#[rocket::async_test]
async fn the_notification_pages_need_a_login() {
    let app = spawn_app().await;
    let visitor = Browser::new();
    for uri in ["/notifications", "/following"] {
        let page = visitor.get(&app, uri).await;
        assert_eq!(page.status, Status::SeeOther, "{uri}");
        assert!(page.location().unwrap_or_default().starts_with("/login"));
    }
    let page = visitor.post_form(&app, "/notifications/read", &[]).await;
    assert!(page.location().unwrap_or_default().starts_with("/login"));
}

#[rocket::async_test]
async fn deleting_a_story_takes_its_unread_notifications_off_the_badge() {
    let app = spawn_app().await;
    let story = app.add_story("Night Train", "Text").await;
    let admin = app.admin("editor").await;
    let alice = app.follower("alice", "night-train").await;
    post_update(&app, &admin, story, "Update").await;
    assert_eq!(badge(&alice.get(&app, "/").await), 1);

    admin
        .post_form(&app, &format!("/admin/stories/{story}/delete"), &[])
        .await;

    assert_eq!(badge(&alice.get(&app, "/").await), 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM notifications").await, 0);
}

#[rocket::async_test]
async fn marking_the_all_updates_page_read_leaves_what_it_did_not_show() {
    let app = spawn_app().await;
    let train = app.add_story("Night Train", "Text").await;
    let boat = app.add_story("Day Boat", "Text").await;
    let admin = app.admin("editor").await;
    let alice = app.follower("alice", "night-train").await;
    alice.post_form(&app, "/stories/day-boat/follow", &[]).await;
    post_update(&app, &admin, train, "First").await;
    post_update(&app, &admin, boat, "Hidden").await;
    post_update(&app, &admin, train, "Third").await;
    admin
        .post_form(&app, &format!("/admin/stories/{boat}/unpublish"), &[])
        .await;
    let (first, third) = (
        app.count("SELECT MIN(id) FROM story_updates").await,
        app.count("SELECT MAX(id) FROM story_updates").await,
    );
    let page = alice.get(&app, "/notifications?view=all").await;
    assert!(page.body.contains(&format!(
        "data-mark-from=\"{first}\" data-mark-up-to=\"{third}\""
    )));

    // What the page's script sends once the page was seen.
    let (from, up_to) = (first.to_string(), third.to_string());
    let fields = [
        ("from", from.as_str()),
        ("up_to", up_to.as_str()),
        ("view", "all"),
    ];
    alice.post_form(&app, "/notifications/read", &fields).await;

    assert_eq!(badge(&alice.get(&app, "/").await), 1);
    let following = alice.get(&app, "/notifications").await;
    assert_eq!(following.body.matches("class=\"update unread\"").count(), 1);
    assert!(following.body.contains("Hidden"));
}
