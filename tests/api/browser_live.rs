//! Live figures in a real browser.

use std::time::Duration;

use crate::browser::{add_reads, Chrome, Server};

#[rocket::async_test]
#[ignore = "needs chromium"]
async fn readers_see_each_other_arrive_leave_and_read_without_reloading() {
    let server = Server::start(|f| f).await;
    let story = server
        .add_story("Seat 14", "The 23:40 to the coast was never full.")
        .await;
    let page = format!("/stories/{story}");
    let (alice, bob) = (Chrome::open().await, Chrome::open().await);

    alice.sign_up(&server, "alice", &page).await;
    bob.sign_up(&server, "bob", &page).await;

    alice
        .wait_for_text("#viewers", "2", Duration::from_secs(5))
        .await;
    bob.wait_for_text("#viewers", "2", Duration::from_secs(5))
        .await;
    alice
        .wait_for_text("#reads", "2", Duration::from_secs(5))
        .await;
    alice.mark_page().await;

    // Bob closes his window: Alice's page drops to 1 within 5 s. (The
    // presence TTL is 30 s: this is the stream noticing the close.)
    bob.close().await;
    let left = alice
        .wait_for_text("#viewers", "1", Duration::from_secs(5))
        .await;

    // Carol's first read raises the read count on Alice's open page.
    let carol = Chrome::open().await;
    carol.sign_up(&server, "carol", &page).await;
    let read = alice
        .wait_for_text("#reads", "3", Duration::from_secs(1))
        .await;
    alice
        .wait_for_text("#viewers", "2", Duration::from_secs(1))
        .await;
    assert!(alice.page_is_marked().await, "Alice's page was reloaded");
    assert_eq!(alice.text(".reads-label").await, "reads");
    println!("departure seen after {left:?}; new read seen after {read:?}");
}

#[rocket::async_test]
#[ignore = "needs chromium"]
async fn the_story_list_updates_live() {
    let server = Server::start(|f| f).await;
    let story = server
        .add_story("The Cartographer", "Mirelle drew maps.")
        .await;
    let (watcher, reader) = (Chrome::open().await, Chrome::open().await);
    watcher.goto(&server.url("/")).await;
    let item = format!("[data-story-id='{story}']");
    assert_eq!(watcher.text(&format!("{item} .viewers")).await, "0");
    watcher.mark_page().await;

    reader
        .sign_up(&server, "reader", &format!("/stories/{story}"))
        .await;

    watcher
        .wait_for_text(&format!("{item} .viewers"), "1", Duration::from_secs(2))
        .await;
    watcher
        .wait_for_text(&format!("{item} .reads"), "1", Duration::from_secs(2))
        .await;
    assert_eq!(watcher.text(&format!("{item} .reads-label")).await, "read");
    reader.close().await;
    watcher
        .wait_for_text(&format!("{item} .viewers"), "0", Duration::from_secs(5))
        .await;
    assert!(watcher.page_is_marked().await, "the list was reloaded");
}

#[rocket::async_test]
#[ignore = "needs chromium"]
async fn an_open_page_catches_up_after_folio_restarts() {
    let key = crate::raw_stream::SECRET_KEY;
    let server = Server::start(|f| f.merge(("secret_key", key))).await;
    let story = server.add_story("Seat 14", "The 23:40 to the coast.").await;
    let alice = Chrome::open().await;
    alice
        .sign_up(&server, "alice", &format!("/stories/{story}"))
        .await;
    alice
        .wait_for_text("#reads", "1", Duration::from_secs(5))
        .await;
    alice.mark_page().await;

    // While Folio is down, two more reads are recorded (as by a restore,
    // or another instance): no stream is open to tell the page, so it must
    // reconnect and start again from the current figures.
    let stopped = server.stop_for_restart().await;
    add_reads(&stopped.db, story, 2).await;
    let _server = stopped.start(|f| f.merge(("secret_key", key))).await;
    alice
        .wait_for_text("#reads", "3", Duration::from_secs(10))
        .await;
    alice
        .wait_for_text("#viewers", "1", Duration::from_secs(5))
        .await;
    assert!(alice.page_is_marked().await, "the page was reloaded");
}
