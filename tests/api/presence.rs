use rocket::http::Status;
use std::time::{Duration, Instant};

use crate::helpers::{spawn_app, spawn_app_with, Browser, TestApp, PASSWORD};

fn shown_viewers(body: &str) -> i64 {
    let marker = "<strong id=\"viewers\">";
    let start = body.find(marker).expect("a viewer count") + marker.len();
    let end = body[start..].find('<').unwrap() + start;
    body[start..end].parse().unwrap()
}

async fn api_viewers(app: &TestApp, browser: &Browser, story: i64) -> i64 {
    let page = browser.get(app, &format!("/api/stories/{story}")).await;
    page.json()["current_viewers"]
        .as_i64()
        .expect("current_viewers")
}

#[rocket::async_test]
async fn two_sessions_viewing_a_story_are_two_viewers() {
    let app = spawn_app().await;
    let story = app.add_story("A story", "Text").await;
    let alice = app.reader("alice").await;
    let bob = app.reader("bob").await;

    let first = alice.get(&app, &format!("/stories/{story}")).await;
    let second = bob.get(&app, &format!("/stories/{story}")).await;

    assert_eq!(shown_viewers(&first.body), 1);
    assert_eq!(shown_viewers(&second.body), 2);
    let list = Browser::new().get(&app, "/").await;
    assert!(list
        .body
        .contains("<span class=\"viewers\">2</span> reading now"));
}

#[rocket::async_test]
async fn one_session_opening_a_story_twice_is_one_viewer() {
    let app = spawn_app().await;
    let story = app.add_story("A story", "Text").await;
    let alice = app.reader("alice").await;

    alice.get(&app, &format!("/stories/{story}")).await;
    let again = alice.get(&app, &format!("/stories/{story}")).await;

    assert_eq!(shown_viewers(&again.body), 1);
}

#[rocket::async_test]
async fn one_account_logged_in_on_several_browsers_is_one_viewer() {
    let app = spawn_app().await;
    let story = app.add_story("A story", "Text").await;
    let alice = app.reader("alice").await;
    let mut pages = vec![alice.get(&app, &format!("/stories/{story}")).await];
    for _ in 0..3 {
        let elsewhere = Browser::new();
        let login = elsewhere.login(&app, "alice", PASSWORD).await;
        assert_eq!(login.status, Status::SeeOther, "{}", login.body);
        pages.push(elsewhere.get(&app, &format!("/stories/{story}")).await);
    }
    let bob = app.reader("bob").await;
    let with_bob = bob.get(&app, &format!("/stories/{story}")).await;

    let shown: Vec<i64> = pages.iter().map(|page| shown_viewers(&page.body)).collect();
    assert_eq!(shown, [1, 1, 1, 1], "alice's four logins are one viewer");
    assert_eq!(shown_viewers(&with_bob.body), 2);
}

#[rocket::async_test]
async fn viewers_of_one_story_do_not_count_on_another() {
    let app = spawn_app().await;
    let one = app.add_story("One", "Text").await;
    let two = app.add_story("Two", "Text").await;
    let alice = app.reader("alice").await;
    let bob = app.reader("bob").await;

    alice.get(&app, &format!("/stories/{one}")).await;
    let page = bob.get(&app, &format!("/stories/{two}")).await;

    assert_eq!(shown_viewers(&page.body), 1);
    assert_eq!(api_viewers(&app, &bob, one).await, 1);
}

#[rocket::async_test]
async fn a_viewer_who_shows_no_sign_of_life_stops_counting_after_the_ttl() {
    let app = spawn_app_with(|f| f.merge(("presence_ttl", 1))).await;
    let story = app.add_story("A story", "Text").await;
    let alice = app.reader("alice").await;
    let page = alice.get(&app, &format!("/stories/{story}")).await;
    assert_eq!(shown_viewers(&page.body), 1);

    // Expiry is delivered by Folio's own timer, without any request touching
    // the cache; wait for it with a deadline.
    let deadline = Instant::now() + Duration::from_secs(10);
    let observer = Browser::new();
    observer.login(&app, "alice", PASSWORD).await;
    loop {
        let list = observer.get(&app, "/api/stories").await.json();
        if list["stories"][0]["current_viewers"] == 0 {
            break;
        }
        assert!(Instant::now() < deadline, "the viewer never expired");
        rocket::tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[rocket::async_test]
async fn a_page_without_a_stream_ticket_gets_one_at_its_next_ping_and_loses_it_at_logout() {
    let app = spawn_app().await;
    let story = app.add_story("A story", "Text").await;
    let alice = app.reader("alice").await;
    assert!(alice.cookie("live").is_some(), "logging in gives a ticket");
    let token = alice.csrf_token(&app).await;
    // A page opened before tickets existed, or whose ticket is stale.
    alice.set_cookie("live", "stale");

    let ping = alice
        .post_with(
            &app,
            &format!("/api/stories/{story}/here"),
            rocket::http::Header::new("X-CSRF-Token", token),
        )
        .await;

    assert_eq!(ping.status, rocket::http::Status::NoContent);
    let ticket = alice.cookie("live").expect("a ticket");
    assert_ne!(ticket, "stale");
    assert_eq!(ticket.split('.').count(), 3, "{ticket}");
    alice.logout(&app).await;
    assert_eq!(
        alice.cookie("live"),
        None,
        "logging out takes the ticket back"
    );
}
