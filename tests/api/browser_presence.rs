//! "Reading now" as the reader's browser really is: a page left in the same
//! tab stops counting (even kept in the back/forward cache), a page whose
//! login ended says so and stops counting, and a follow pressed on it is
//! finished by logging in again.

use std::time::Duration;

use crate::browser::{Chrome, Server};

async fn a_story() -> (Server, String) {
    let server = Server::start(|f| f.merge(("secret_key", crate::raw_stream::SECRET_KEY))).await;
    let story = server
        .add_story("Seat 14", "The 23:40 to the coast was never full.")
        .await;
    (server, format!("/stories/{story}"))
}

#[rocket::async_test]
#[ignore = "needs chromium"]
async fn leaving_a_story_in_the_same_tab_stops_counting_within_seconds() {
    let (server, page) = a_story().await;
    let (alice, bob) = (Chrome::open().await, Chrome::open().await);
    alice.sign_up(&server, "alice", &page).await;
    bob.sign_up(&server, "bob", &page).await;
    alice
        .wait_for_text("#viewers", "2", Duration::from_secs(5))
        .await;

    // Bob follows a link to the story list in the same tab.
    bob.click("a.brand").await;
    bob.wait_for_url(&server.url("/")).await;
    let left = alice
        .wait_for_text("#viewers", "1", Duration::from_secs(3))
        .await;

    // Back: the page comes out of the back/forward cache and counts again.
    bob.client.back().await.expect("back");
    bob.wait_for_url(&server.url(&page)).await;
    alice
        .wait_for_text("#viewers", "2", Duration::from_secs(3))
        .await;
    bob.wait_for_text("#viewers", "2", Duration::from_secs(3))
        .await;

    // And a new address typed in the same tab.
    bob.goto(&server.url("/following")).await;
    alice
        .wait_for_text("#viewers", "1", Duration::from_secs(3))
        .await;
    println!("a reader who left by a link stopped counting after {left:?}");
}

#[rocket::async_test]
#[ignore = "needs chromium"]
async fn a_page_whose_login_ended_says_so_and_a_follow_pressed_there_survives_the_login() {
    let (server, page) = a_story().await;
    let (alice, bob) = (Chrome::open().await, Chrome::open().await);
    alice.sign_up(&server, "alice", &page).await;
    bob.sign_up(&server, "bob", &page).await;
    bob.wait_for_text("#viewers", "2", Duration::from_secs(5))
        .await;
    alice.mark_page().await;

    // Alice's login ends elsewhere (from another device, or expiry).
    sqlx::query(
        "DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE username = 'alice')",
    )
    .execute(&server.db)
    .await
    .expect("the session is ended");

    let banner = alice
        .wait_for_text(
            ".signed-out-banner",
            "You have been signed out. Log in to go on reading.",
            Duration::from_secs(3),
        )
        .await;
    assert!(alice.page_is_marked().await, "the page was reloaded");
    let nav = alice.text(".site-nav").await;
    assert!(!nav.contains("alice"), "the nav still names her: {nav}");
    // She no longer counts for Bob.
    bob.wait_for_text("#viewers", "1", Duration::from_secs(3))
        .await;

    // She presses Follow: the login form, then the story, followed.
    alice.click("form[data-follow] button").await;
    alice
        .wait_for_text("main h1", "Log in", Duration::from_secs(5))
        .await;
    alice.fill("#username", "alice").await;
    alice.fill("#password", crate::helpers::PASSWORD).await;
    alice.click("form.stacked button[type=submit]").await;
    alice.wait_for_url(&server.url(&page)).await;
    assert_eq!(alice.text("form[data-follow] button").await, "Following ✓");
    let follows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM follows")
        .fetch_one(&server.db)
        .await
        .expect("a count");
    assert_eq!(follows, 1);
    println!("the page showed the ended login after {banner:?}");
}
