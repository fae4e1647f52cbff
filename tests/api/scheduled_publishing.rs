//! Scheduled publishing: a draft given a time is published by itself then,
//! not before, also when Folio was stopped at that time; bad times are
//! refused with the text kept.

use std::time::{Duration, Instant};

use rocket::http::Status;
use time::OffsetDateTime;

use crate::client::Browser;
use crate::helpers::{spawn_app, spawn_app_in, TestApp};
use crate::story_list::publish;

fn now() -> i64 {
    OffsetDateTime::now_utc().unix_timestamp()
}

/// `unix` as a `datetime-local` field sends it (UTC here).
fn local(unix: i64) -> String {
    let t = OffsetDateTime::from_unix_timestamp(unix).expect("a time");
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

async fn schedule(app: &TestApp, admin: &Browser, title: &str, at: &str) -> (Status, String) {
    let fields = [
        ("title", title),
        ("body", "Words kept."),
        ("publish_at", at),
        ("action", "schedule"),
    ];
    let page = admin.post_form(app, "/admin/stories", &fields).await;
    (page.status, page.body)
}

/// Waits (at most `limit`) for the story page at `path` to open; when it did.
async fn opened(app: &TestApp, reader: &Browser, path: &str, limit: Duration) -> Option<i64> {
    let start = Instant::now();
    while start.elapsed() < limit {
        if reader.get(app, path).await.status == Status::Ok {
            return Some(now());
        }
        rocket::tokio::time::sleep(Duration::from_millis(50)).await;
    }
    None
}

async fn published_at(app: &TestApp, title: &str) -> Option<i64> {
    sqlx::query_scalar("SELECT published_at FROM stories WHERE title = $1")
        .bind(title)
        .fetch_one(&app.db)
        .await
        .expect("the story")
}

#[rocket::async_test]
async fn a_scheduled_story_appears_at_its_time_and_not_before() {
    let app = spawn_app().await;
    let admin = app.admin("editor").await;
    let reader = app.reader("alice").await;
    let at = now() + 2;

    let (status, _) = schedule(&app, &admin, "Dawn Chorus", &local(at)).await;
    assert_eq!(status, Status::SeeOther);
    assert_eq!(
        reader.get(&app, "/stories/dawn-chorus").await.status,
        Status::NotFound
    );
    assert!(!reader.get(&app, "/").await.body.contains("Dawn Chorus"));
    let studio = admin.get(&app, "/admin/stories").await.body;
    assert!(studio.contains("Scheduled <time"), "{studio}");

    let seen = opened(
        &app,
        &reader,
        "/stories/dawn-chorus",
        Duration::from_secs(10),
    )
    .await;
    let seen = seen.expect("published within ten seconds");
    assert!(seen >= at, "published at {seen}, before its time {at}");
    assert!(seen <= at + 2, "published at {seen}, late for {at}");
    assert_eq!(published_at(&app, "Dawn Chorus").await, Some(at));
    assert!(reader.get(&app, "/").await.body.contains("Dawn Chorus"));
}

#[rocket::async_test]
async fn a_time_that_came_while_folio_was_stopped_is_caught_up_at_start() {
    let app = spawn_app().await;
    let admin = app.admin("editor").await;
    let (status, _) = schedule(&app, &admin, "Night Shift", &local(now() + 3600)).await;
    assert_eq!(status, Status::SeeOther);
    let TestApp { client, db, dir } = app;
    client.terminate().await;
    db.close().await;
    // The hour passes while Folio is stopped.
    let due = now() - 60;
    let url = crate::databases::database_url(dir.path());
    let db = folio::db::connect(&url, 1, Duration::from_secs(30))
        .await
        .expect("the database");
    sqlx::query("UPDATE stories SET scheduled_at = $1 WHERE title = 'Night Shift'")
        .bind(due)
        .execute(&db)
        .await
        .expect("the time moved");
    db.close().await;

    let app = spawn_app_in(dir, |figment| figment).await;
    let reader = app.reader("alice").await;
    let seen = opened(
        &app,
        &reader,
        "/stories/night-shift",
        Duration::from_secs(5),
    )
    .await;
    assert!(seen.is_some(), "published after the restart");
    assert_eq!(published_at(&app, "Night Shift").await, Some(due));
}

#[rocket::async_test]
async fn bad_times_are_refused_with_the_text_kept() {
    let app = spawn_app().await;
    let admin = app.admin("editor").await;
    for at in ["", "tomorrow", "2001-02-03T04:05", &local(now() - 5)] {
        let (status, body) = schedule(&app, &admin, "Kept", at).await;
        assert_eq!(status, Status::UnprocessableEntity, "{at}");
        assert!(body.contains("Words kept."), "{at}: the text is lost");
        assert!(body.contains("role=\"alert\""), "{at}");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM stories").await, 0);

    let id = publish(&app, &admin, &[("title", "Out"), ("body", "Words kept.")]).await;
    let fields = [
        ("title", "Out"),
        ("body", "Words kept."),
        ("publish_at", &local(now() + 600)[..]),
        ("action", "schedule"),
    ];
    let page = admin
        .post_form(&app, &format!("/admin/stories/{id}"), &fields)
        .await;
    assert_eq!(page.status, Status::UnprocessableEntity);
    assert!(page.body.contains("published already"), "{}", page.body);
}

#[rocket::async_test]
async fn a_cancelled_schedule_publishes_nothing() {
    let app = spawn_app().await;
    let admin = app.admin("editor").await;
    schedule(&app, &admin, "Maybe", &local(now() + 3)).await;
    let id: i64 = app
        .count("SELECT id FROM stories WHERE title = 'Maybe'")
        .await;
    let page = admin
        .post_form(&app, &format!("/admin/stories/{id}/unschedule"), &[])
        .await;
    assert_eq!(page.status, Status::SeeOther);
    let editor = admin.get(&app, &format!("/admin/stories/{id}/edit")).await;
    assert!(editor.body.contains("Not published"));
    assert!(!editor.body.contains("Cancel the schedule"));
    // Past the time it had: still a draft.
    let reader = app.reader("alice").await;
    let seen = opened(&app, &reader, "/stories/maybe", Duration::from_secs(4)).await;
    assert_eq!(seen, None);
}
