//! Nothing acknowledged is lost: not by a backup taken under load, not by a
//! `kill -9`, not by a SIGTERM. These drive the real binary over sockets.

use std::time::Duration;

use rocket::tokio::io::{AsyncReadExt, AsyncWriteExt};
use rocket::tokio::net::TcpStream;
use rocket::tokio::time::timeout;

use crate::load::Load;
use crate::process::{
    debug_binary, miscounted_stories, new_key, open, populate, reads_in, release_binary, Folio,
};

#[rocket::async_test]
#[ignore = "needs the release binary: cargo build --release"]
async fn a_backup_taken_under_load_holds_every_read_acknowledged_before_it_began() {
    if crate::databases::sqlite_only("a backup taken under load") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let key = new_key();
    let population = populate(&Folio::database_url(dir.path()), &key, 400, 25).await;
    let folio = Folio::start(&release_binary(), dir, &key).await;
    let mut load = Load::start(folio.port, &population, 16);
    load.wait_for(1_000).await;

    let before = load.acknowledged();
    let target = folio.dir.path().join("backups").join("copy.db");
    let backup = folio.command(&["backup", target.to_str().unwrap()]);
    let during = load.acknowledged().len() - before.len();
    let seen = load.stop().await;

    let said = String::from_utf8_lossy(&backup.stderr).into_owned();
    println!(
        "{} reads acknowledged before the backup, {during} while it ran: {}",
        before.len(),
        String::from_utf8_lossy(&backup.stdout).trim()
    );
    assert!(backup.status.success(), "the backup failed: {said}");
    assert!(during > 0, "the load was not running while the backup ran");
    let copy = open(&format!("sqlite://{}", target.display())).await;
    let copied = reads_in(&copy).await;
    let missing: Vec<_> = before.difference(&copied).collect();
    assert!(
        missing.is_empty(),
        "{} acknowledged reads are not in the copy: {missing:?}",
        missing.len()
    );
    assert_eq!(
        miscounted_stories(&copy).await,
        vec![],
        "the copy's counters match its rows"
    );
    assert!(
        seen.refused.is_empty(),
        "answers other than 200: {:?}",
        seen.refused
    );
    // And a second backup to the same name is refused, leaving the first.
    let again = folio.command(&["backup", target.to_str().unwrap()]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    assert_eq!(reads_in(&copy).await, copied);
}

#[rocket::async_test]
#[ignore = "needs the release binary: cargo build --release"]
async fn a_kill_9_under_load_loses_no_acknowledged_read() {
    let dir = tempfile::tempdir().unwrap();
    let key = new_key();
    let population = populate(&Folio::database_url(dir.path()), &key, 400, 25).await;
    let mut folio = Folio::start(&release_binary(), dir, &key).await;
    let mut load = Load::start(folio.port, &population, 32);
    load.wait_for(2_000).await;

    folio.kill();
    let seen = load.stop().await;
    folio.restart().await;

    let db = open(&Folio::database_url(folio.dir.path())).await;
    let stored = reads_in(&db).await;
    let lost: Vec<_> = seen.acknowledged.difference(&stored).collect();
    println!(
        "{} reads acknowledged before the kill, {} stored, {} requests unanswered",
        seen.acknowledged.len(),
        stored.len(),
        seen.unanswered
    );
    assert!(
        lost.is_empty(),
        "{} acknowledged reads were lost: {lost:?}",
        lost.len()
    );
    assert!(seen.acknowledged.len() >= 2_000);
    assert!(
        seen.unanswered > 0 || stored.len() == 10_000,
        "the kill came mid-load"
    );
    assert_eq!(
        miscounted_stories(&db).await,
        vec![],
        "counters match rows after the crash"
    );
    assert!(
        seen.refused.is_empty(),
        "answers other than 200: {:?}",
        seen.refused
    );
}

#[rocket::async_test]
async fn sigterm_finishes_requests_closes_streams_and_keeps_every_count() {
    let dir = tempfile::tempdir().unwrap();
    let key = new_key();
    let population = populate(&Folio::database_url(dir.path()), &key, 60, 10).await;
    let mut folio = Folio::start(&debug_binary(), dir, &key).await;
    let story = population.stories[0];
    let mut stream = TcpStream::connect(("127.0.0.1", folio.port)).await.unwrap();
    let request = format!(
        "GET /live/stories/{story} HTTP/1.1\r\nHost: x\r\nCookie: {}\r\n\r\n",
        population.readers[0].1
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).await.unwrap();
    assert_eq!(&head, b"HTTP/1.1 200", "the live stream opened");
    let mut load = Load::start(folio.port, &population, 8);
    load.wait_for(100).await;

    let status = folio.terminate().await;
    let seen = load.stop().await;

    assert!(status.success(), "exit status {status}:\n{}", folio.log());
    let mut rest = Vec::new();
    let ended = timeout(Duration::from_secs(1), stream.read_to_end(&mut rest)).await;
    assert!(matches!(ended, Ok(Ok(_))), "the live stream was not closed");
    // Ended by Folio, not cut: the chunked body's last, empty chunk.
    assert!(
        rest.ends_with(b"\r\n0\r\n\r\n"),
        "the live stream was cut, not ended: {:?}",
        String::from_utf8_lossy(&rest[rest.len().saturating_sub(80)..])
    );
    assert!(
        seen.refused.iter().all(|s| *s < 500),
        "errors while stopping: {:?}",
        seen.refused
    );
    let db = open(&Folio::database_url(folio.dir.path())).await;
    let stored = reads_in(&db).await;
    assert!(
        seen.acknowledged.is_subset(&stored),
        "an acknowledged read was lost"
    );
    let views: i64 =
        sqlx::query_scalar("SELECT CAST(COALESCE(SUM(views), 0) AS BIGINT) FROM site_days")
            .fetch_one(&db)
            .await
            .unwrap();
    assert!(
        views >= seen.acknowledged.len() as i64,
        "{views} views written for {} pages shown",
        seen.acknowledged.len()
    );
    assert!(
        folio.log().contains("GET /health/ready 200"),
        "one line per request:\n{}",
        folio.log()
    );
}
