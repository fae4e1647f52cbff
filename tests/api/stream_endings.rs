//! A login's live streams end with the login: logout, a disabled account,
//! a login ended elsewhere, one login too many. Its presence leaves at once.

use std::time::Duration;

use rocket::http::Status;
use rocket::tokio::time::Instant;

use crate::helpers::{spawn_app, spawn_app_with, Browser, TestApp, PASSWORD};

/// How soon a stream must end after its login does.
const SOON: Duration = Duration::from_secs(3);

async fn user_id(app: &TestApp, name: &str) -> i64 {
    app.count(&format!("SELECT id FROM users WHERE username = '{name}'"))
        .await
}

#[rocket::async_test]
async fn disabling_a_reader_closes_her_streams_and_she_stops_counting_at_once() {
    let app = spawn_app().await;
    let admin = app.admin("editor").await;
    let story = app.add_story("A story", "Text").await;
    let (alice, bob) = (app.reader("alice").await, app.reader("bob").await);
    let mut alices = alice.events(&app, &format!("/live/stories/{story}")).await;
    let mut inbox = alice.events(&app, "/live/inbox").await;
    let mut bobs = bob.events(&app, &format!("/live/stories/{story}")).await;
    bobs.until_figures(2, 0).await;

    let id = user_id(&app, "alice").await;
    let disabled = Instant::now();
    let page = admin
        .post_form(&app, &format!("/admin/users/{id}/disable"), &[])
        .await;
    assert_eq!(page.status, Status::SeeOther);

    assert!(alices.ended().await && inbox.ended().await);
    assert!(disabled.elapsed() < SOON, "took {:?}", disabled.elapsed());
    bobs.until_figures(1, 0).await;
    assert!(disabled.elapsed() < SOON, "took {:?}", disabled.elapsed());
}

#[rocket::async_test]
async fn logging_out_closes_the_streams_of_that_login_and_no_other() {
    let app = spawn_app().await;
    let story = app.add_story("A story", "Text").await;
    let alice = app.reader("alice").await;
    let elsewhere = Browser::new();
    let login = elsewhere.login(&app, "alice", PASSWORD).await;
    assert_eq!(login.status, Status::SeeOther);
    let mut here = alice.events(&app, &format!("/live/stories/{story}")).await;
    let mut there = elsewhere.events(&app, "/live/stories").await;
    here.until_figures(1, 0).await;

    let out = Instant::now();
    alice.logout(&app).await;

    assert!(here.ended().await, "the logged-out page's stream ends");
    assert!(out.elapsed() < SOON, "took {:?}", out.elapsed());
    // The other login's page goes on: its stream still carries figures.
    let figures = there.next_within(Duration::from_secs(1)).await;
    assert!(figures.is_some(), "the other login's stream goes on");
}

#[rocket::async_test]
async fn a_login_ended_outside_this_process_closes_its_streams_within_seconds() {
    let app = spawn_app().await;
    let story = app.add_story("A story", "Text").await;
    let alice = app.reader("alice").await;
    let mut stream = alice.events(&app, &format!("/live/stories/{story}")).await;
    stream.until_figures(1, 0).await;

    // As `folio` run beside the server, or another node, would.
    let ended = Instant::now();
    sqlx::query("DELETE FROM sessions")
        .execute(&app.db)
        .await
        .expect("the sessions end");

    assert!(stream.ended().await);
    assert!(ended.elapsed() < SOON, "took {:?}", ended.elapsed());
}

#[rocket::async_test]
async fn a_login_over_the_accounts_allowance_ends_the_oldest_and_its_streams() {
    let app = spawn_app_with(|f| f.merge(("sessions_per_account", 2))).await;
    let story = app.add_story("A story", "Text").await;
    let first = app.reader("alice").await;
    let mut oldest = first.events(&app, &format!("/live/stories/{story}")).await;
    oldest.until_figures(1, 0).await;

    let mut others = Vec::new();
    for _ in 0..2 {
        let browser = Browser::new();
        let login = browser.login(&app, "alice", PASSWORD).await;
        assert_eq!(login.status, Status::SeeOther, "{}", login.body);
        others.push(browser);
    }

    assert!(oldest.ended().await, "the oldest login's stream ends");
    let page = first.get(&app, "/following").await;
    assert_eq!(page.status, Status::SeeOther, "the oldest login has ended");
    for browser in &others {
        let page = browser.get(&app, "/following").await;
        assert_eq!(page.status, Status::Ok, "the two newest logins hold");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 2);
}
