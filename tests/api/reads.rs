use futures::future::join_all;
use rocket::http::Status;

use crate::helpers::{spawn_app, Browser, PASSWORD};

#[rocket::async_test]
async fn a_reader_counts_once_however_often_they_open_a_story() {
    let app = spawn_app().await;
    let story = app.add_story("A story", "Text").await;
    let browser = app.reader("alice").await;

    for _ in 0..3 {
        let page = browser.get(&app, &format!("/stories/{story}")).await;
        assert!(page.body.contains("<strong id=\"reads\">1</strong>"));
    }
    // Another login of the same reader is still the same reader.
    let again = Browser::new();
    again.login(&app, "alice", PASSWORD).await;
    again.get(&app, &format!("/stories/{story}")).await;

    assert_eq!(app.story_read_count(story).await, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM reads").await, 1);
}

#[rocket::async_test]
async fn a_read_is_on_disk_before_the_page_that_shows_it_is_sent() {
    let app = spawn_app().await;
    let story = app.add_story("A story", "Text").await;
    let browser = app.reader("alice").await;

    let page = browser.get(&app, &format!("/stories/{story}")).await;

    assert_eq!(page.status, Status::Ok);
    assert_eq!(app.count("SELECT COUNT(*) FROM reads").await, 1);
    assert_eq!(app.story_read_count(story).await, 1);
}

#[rocket::async_test]
async fn thirty_two_concurrent_first_opens_by_one_reader_count_once() {
    let app = spawn_app().await;
    let story = app.add_story("A story", "Text").await;
    let browser = app.reader("alice").await;
    let uri = format!("/stories/{story}");

    let pages = join_all((0..32).map(|_| browser.get(&app, &uri))).await;

    assert!(pages.iter().all(|p| p.status == Status::Ok));
    assert!(pages
        .iter()
        .all(|p| p.body.contains("<strong id=\"reads\">1</strong>")));
    assert_eq!(app.story_read_count(story).await, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM reads").await, 1);
}

#[rocket::async_test]
async fn concurrent_first_opens_by_different_readers_are_all_counted() {
    let app = spawn_app().await;
    let story = app.add_story("A story", "Text").await;
    let mut readers = Vec::new();
    for i in 0..24 {
        readers.push(app.reader(&format!("reader{i}")).await);
    }
    let uri = format!("/stories/{story}");

    let pages = join_all(readers.iter().map(|r| r.get(&app, &uri))).await;

    assert!(pages.iter().all(|p| p.status == Status::Ok));
    assert_eq!(app.story_read_count(story).await, 24);
    assert_eq!(app.count("SELECT COUNT(*) FROM reads").await, 24);
    // Every page showed a count that includes its own reader.
    let shown: Vec<i64> = pages.iter().map(|p| shown_reads(&p.body)).collect();
    assert!(shown.iter().all(|&n| (1..=24).contains(&n)), "{shown:?}");
    assert!(shown.contains(&24));
}

#[rocket::async_test]
async fn the_page_shows_the_stored_counter() {
    let app = spawn_app().await;
    let story = app.add_story("A story", "Text").await;
    sqlx::query("UPDATE stories SET read_count = 41 WHERE id = $1")
        .bind(story)
        .execute(&app.db)
        .await
        .unwrap();
    let browser = app.reader("alice").await;

    let page = browser.get(&app, &format!("/stories/{story}")).await;

    assert_eq!(shown_reads(&page.body), 42);
}

pub fn shown_reads(body: &str) -> i64 {
    let marker = "<strong id=\"reads\">";
    let start = body.find(marker).expect("a read count") + marker.len();
    let end = body[start..].find('<').unwrap() + start;
    body[start..end].parse().unwrap()
}

#[rocket::async_test]
async fn the_database_syncs_every_commit_in_wal_mode() {
    let app = spawn_app().await;
    let mut conn = app.db.acquire().await.unwrap();
    if crate::databases::on_postgres() {
        // Each commit waits for its write-ahead log to reach the disk.
        let synchronous: String = sqlx::query_scalar("SHOW synchronous_commit")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        assert_eq!(synchronous, "on");
        return;
    }

    let synchronous: i64 = sqlx::query_scalar("PRAGMA synchronous")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    let journal: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    let foreign_keys: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(&mut *conn)
        .await
        .unwrap();

    assert_eq!(synchronous, 2, "synchronous = FULL");
    assert_eq!(journal, "wal");
    assert_eq!(foreign_keys, 1);
}

#[rocket::async_test]
async fn reading_a_story_deleted_meanwhile_is_a_404() {
    let app = spawn_app().await;
    let story = app.add_story("Soon gone", "Text").await;
    let alice = app.reader("alice").await;
    alice.get(&app, &format!("/stories/{story}")).await;
    sqlx::query("DELETE FROM stories WHERE id = $1")
        .bind(story)
        .execute(&app.db)
        .await
        .unwrap();

    let page = app
        .reader("bob")
        .await
        .get(&app, &format!("/stories/{story}"))
        .await;

    assert_eq!(page.status, Status::NotFound);
}
