//! Notifications in a real browser: a follower's badge rises as an admin
//! posts an update, without a reload, and falls when they read it.

use std::time::Duration;

use rocket::tokio::time::{sleep, Instant};
use serde_json::{json, Value};

use crate::browser::{Chrome, Server, PATIENCE};
use crate::helpers::PASSWORD;

/// The unread badge as the reader sees it: its text, and whether it shows.
const BADGE: &str = "const b = document.getElementById('unread-badge');
    return [b.textContent.trim(), getComputedStyle(b).display !== 'none'];";

/// Waits until `script` returns `expected`; how long that took.
async fn wait_for_script(
    chrome: &Chrome,
    script: &str,
    expected: Value,
    within: Duration,
) -> Duration {
    let start = Instant::now();
    loop {
        let value = chrome
            .client
            .execute(script, vec![])
            .await
            .expect("a script runs");
        if value == expected {
            return start.elapsed();
        }
        assert!(
            start.elapsed() < within,
            "{script} returned {value}, not {expected}, after {within:?}"
        );
        sleep(Duration::from_millis(20)).await;
    }
}

#[rocket::async_test]
#[ignore = "needs chromium"]
async fn a_followers_badge_rises_on_an_update_and_falls_when_it_is_read() {
    let server = Server::start(|f| f.merge(("secret_key", crate::raw_stream::SECRET_KEY))).await;
    folio::admin::accounts::create(&server.db, "editor", PASSWORD.to_string())
        .await
        .expect("an admin");
    let story = server
        .add_story("Seat 14", "The 23:40 to the coast was never full.")
        .await;
    let (alice, editor) = (Chrome::open().await, Chrome::open().await);

    // Alice signs up from the story list and follows the story there.
    alice.sign_up(&server, "alice", "/").await;
    alice.click(".story-item button.follow").await;
    alice
        .wait_for_text(".story-item button.follow", "Following ✓", PATIENCE)
        .await;
    wait_for_script(&alice, BADGE, json!(["", false]), PATIENCE).await;
    alice.mark_page().await;
    // A second tab of hers, on another page.
    let first_tab = alice.client.window().await.expect("a window");
    let second_tab = alice.client.new_window(true).await.expect("a tab").handle;
    alice
        .client
        .switch_to_window(second_tab.clone())
        .await
        .expect("switch");
    alice.goto(&server.url("/following")).await;
    assert!(alice.text("main").await.contains("Seat 14"));
    alice
        .client
        .switch_to_window(first_tab.clone())
        .await
        .expect("switch");

    // The editor posts an update from the story's updates page.
    editor
        .goto(&server.url(&format!("/login?next=/admin/stories/{story}/updates")))
        .await;
    editor.fill("#username", "editor").await;
    editor.fill("#password", PASSWORD).await;
    editor.click("form.stacked button[type=submit]").await;
    editor.fill("#text", "Chapter two: <the tunnel>").await;
    editor.click("form.stacked button[type=submit]").await;
    let sent = Instant::now();

    // Alice's open list shows it within a second, with a notice.
    let arrived = wait_for_script(&alice, BADGE, json!(["1", true]), Duration::from_secs(1)).await;
    let notice = alice.text("#notices .notice").await;
    assert!(notice.contains("Seat 14"), "{notice}");
    assert!(notice.contains("Chapter two: <the tunnel>"), "{notice}");
    assert!(alice.page_is_marked().await, "the list was reloaded");
    println!(
        "the badge rose {arrived:?} after the check began, {:?} after sending",
        sent.elapsed()
    );
    editor
        .wait_for_text(".notice-ok", "Sent: 1 follower was notified.", PATIENCE)
        .await;

    // She opens her notifications: the update is there, and the badge
    // falls to 0 here and in her other tab.
    alice.click("a.inbox-link").await;
    let item = alice.text("ol.updates li.update").await;
    assert!(item.contains("Chapter two: <the tunnel>"), "{item}");
    wait_for_script(&alice, BADGE, json!(["", false]), PATIENCE).await;
    alice
        .client
        .switch_to_window(second_tab)
        .await
        .expect("switch");
    wait_for_script(&alice, BADGE, json!(["", false]), PATIENCE).await;
}
