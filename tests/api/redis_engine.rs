//! The Redis live engine against a real Redis (Debian's redis-server): two
//! engines, as two nodes would hold them, share viewers and hear each
//! other's changes within a second; a node that dies takes its viewers
//! with it within the time-to-live; a returning reader's page view asks
//! Redis nothing. (Redis going away: tests/api/redis_recovery.rs.)

use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use folio::ids::{StoryId, UpdateId, UserId};
use folio::live::{Engine, Inbox, ListMessage, Notice, RedisEngine, Viewing};
use rocket::tokio::time::{sleep, timeout};

use crate::helpers::patience;

pub const TTL: Duration = Duration::from_secs(2);
pub const STORY: StoryId = StoryId(1);

/// A throwaway Redis on a loopback port, stopped when dropped.
pub struct Redis {
    child: Child,
    pub port: u16,
}

impl Redis {
    pub fn start() -> Redis {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free port");
        Redis::on(port)
    }

    pub fn on(port: u16) -> Redis {
        let child = Command::new("redis-server")
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-server starts (apt-get install redis-server)");
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "redis-server did not listen");
            std::thread::sleep(Duration::from_millis(20));
        }
        Redis { child, port }
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An engine on `redis`, once it is linked.
pub async fn node(redis: &Redis) -> Engine {
    let engine: Engine = RedisEngine::start(&redis.url(), TTL).expect("a Redis URL");
    linked(&engine).await;
    engine
}

pub async fn linked(engine: &Engine) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while engine.problem().is_some() {
        assert!(Instant::now() < deadline, "never linked to Redis");
        sleep(Duration::from_millis(20)).await;
    }
}

/// Waits until `engine` counts `expected` viewers of STORY.
pub async fn counts(engine: &Engine, expected: usize, within: Duration) {
    let deadline = Instant::now() + within;
    loop {
        let now = engine.viewers_of(STORY).await;
        if now == expected {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{now} viewers, not {expected}, after {within:?}"
        );
        sleep(Duration::from_millis(20)).await;
    }
}

#[rocket::async_test]
#[ignore = "needs redis-server"]
async fn two_nodes_share_viewers_and_hear_each_others_changes_within_a_second() {
    let redis = Redis::start();
    let (a, b) = (node(&redis).await, node(&redis).await);

    // A ping on one node counts on the other at once.
    assert_eq!(a.ping(STORY, UserId(1)).await, 1);
    assert_eq!(b.viewers_of(STORY).await, 1);

    // A page on B hears of a viewer arriving on A, and of a read.
    let (now, mut page) = b.watch_story(STORY, 0).await.expect("a channel");
    assert_eq!(now.viewers, 1);
    let _stream = Viewing::start(&a, STORY, UserId(2)).await;
    let figures = timeout(patience(Duration::from_secs(1)), page.changed())
        .await
        .expect("within 1 s");
    assert_eq!(figures.map(|f| f.viewers), Some(2));
    a.reads_changed(STORY, 7).await;
    let figures = timeout(patience(Duration::from_secs(1)), page.changed())
        .await
        .expect("within 1 s");
    assert_eq!(figures.map(|f| f.reads), Some(7));

    // An update posted on A reaches B's pages, and an inbox change too.
    let mut posted = b.watch_posted();
    let mut inbox = b
        .watch_inbox(UserId(3), Inbox::default())
        .expect("an inbox channel");
    let mut lists = b.watch_lists();
    let notice = Arc::new(Notice {
        id: UpdateId(1),
        story_id: STORY,
        story: "Seat 14".into(),
        url: "/stories/seat-14".into(),
        kind: "chapter".into(),
        text: "Chapter two".into(),
    });
    a.update_posted(Arc::clone(&notice)).await;
    let heard = timeout(patience(Duration::from_secs(1)), posted.recv())
        .await
        .expect("within 1 s");
    assert_eq!(heard.expect("the notice").text, "Chapter two");
    let state = Inbox {
        unread: 1,
        version: 1,
        live_notices: true,
        notice: Some(notice),
    };
    a.publish_inbox(UserId(3), state).await;
    let heard = timeout(patience(Duration::from_secs(1)), inbox.changed())
        .await
        .expect("within 1 s");
    assert_eq!(heard.map(|i| i.unread), Some(1));
    a.list_changed().await;
    // Lists also hear figures meanwhile; the change must come within 1 s.
    let changed = async {
        loop {
            match lists.recv().await {
                Ok(ListMessage::Changed) => return true,
                Ok(ListMessage::Figures(_)) => continue,
                Err(_) => return false,
            }
        }
    };
    let heard = timeout(patience(Duration::from_secs(1)), changed).await;
    assert_eq!(heard.ok(), Some(true), "the list change within 1 s");
    assert_eq!(a.total_viewers().await, 2);
}

#[rocket::async_test]
#[ignore = "needs redis-server"]
async fn a_node_that_dies_takes_its_viewers_within_the_time_to_live() {
    let redis = Redis::start();
    let (a, b) = (node(&redis).await, node(&redis).await);
    // A's reader on a live stream (kept present by A alone), B's on one
    // too: neither expires while its node lives.
    a.join(STORY, UserId(1)).await;
    let _kept = Viewing::start(&b, STORY, UserId(2)).await;
    let (now, mut page) = b.watch_story(STORY, 0).await.expect("a channel");
    assert_eq!(now.viewers, 2);
    sleep(TTL + Duration::from_millis(500)).await;
    assert_eq!(b.viewers_of(STORY).await, 2, "live streams stay counted");

    // A is gone without a word: its stream never says it left.
    drop(a);
    let started = Instant::now();
    let figures = timeout(patience(TTL + Duration::from_secs(2)), page.changed())
        .await
        .expect("heard");
    assert_eq!(figures.map(|f| f.viewers), Some(1));
    assert!(started.elapsed() < patience(TTL + Duration::from_secs(2)));
}

/// Folio with a `redis_url` nobody answers at: pages work, and readiness
/// says the live figures are this node's own.
#[rocket::async_test]
async fn without_its_redis_folio_serves_and_says_so() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port");
    let url = format!("redis://127.0.0.1:{port}/");
    let app = crate::helpers::spawn_app_with(|figment| figment.merge(("redis_url", url))).await;
    let story = app.add_story("Seat 14", "Text").await;
    let reader = app.reader("reader").await;

    assert_eq!(
        reader.get(&app, &format!("/stories/{story}")).await.status,
        rocket::http::Status::Ok
    );
    let ready = reader.get(&app, "/health/ready").await;
    assert_eq!(ready.status, rocket::http::Status::Ok);
    let live = ready.json()["live"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(live.contains("Redis"), "{}", ready.body);
}

/// A connection of the test's own to `redis`.
pub async fn connection(redis: &Redis) -> redis::aio::MultiplexedConnection {
    redis::Client::open(redis.url())
        .expect("a Redis URL")
        .get_multiplexed_async_connection()
        .await
        .expect("a connection")
}

/// Commands Redis has answered so far.
async fn commands_answered(redis: &Redis) -> u64 {
    let mut connection = connection(redis).await;
    let info: String = redis::cmd("INFO")
        .arg("stats")
        .query_async(&mut connection)
        .await
        .expect("INFO");
    info.lines()
        .find_map(|line| line.strip_prefix("total_commands_processed:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("a command count")
}

#[rocket::async_test]
#[ignore = "needs redis-server"]
async fn returning_readers_page_views_cost_no_round_trip_to_redis() {
    let redis = Redis::start();
    let a = node(&redis).await;
    let readers: Vec<UserId> = (1..=20).map(UserId).collect();
    for reader in &readers {
        a.ping(STORY, *reader).await;
    }
    // Their presence is written with the next batch.
    counts(&a, 20, patience(Duration::from_secs(1))).await;
    a.viewers_of(STORY).await;

    let before = commands_answered(&redis).await;
    for _ in 0..10 {
        for reader in &readers {
            assert_eq!(a.ping(STORY, *reader).await, 20);
        }
    }
    let after = commands_answered(&redis).await;
    // The INFO itself, and at most a count refreshed once.
    assert!(
        after - before <= 3 * patience(Duration::from_secs(1)).as_secs(),
        "{} commands for 200 page views",
        after - before
    );
}

#[rocket::async_test]
#[ignore = "needs redis-server"]
async fn a_reader_whose_stream_moved_to_another_node_stays_counted_when_the_old_one_closes() {
    let redis = Redis::start();
    let (a, b) = (node(&redis).await, node(&redis).await);
    // A page reconnects through the load balancer: its new stream, on B,
    // opens before its old one, on A, has closed.
    let old = Viewing::start(&a, STORY, UserId(1)).await;
    let new = Viewing::start(&b, STORY, UserId(1)).await;
    drop(old);
    let mut redis_ = connection(&redis).await;
    let deadline = Instant::now() + patience(Duration::from_secs(2));
    loop {
        let streams: Option<i64> = redis::cmd("HGET")
            .arg(format!("folio:streams:{STORY}"))
            .arg(1)
            .query_async(&mut redis_)
            .await
            .expect("HGET");
        if streams == Some(1) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the old stream's end: {streams:?}"
        );
        sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(b.viewers_of(STORY).await, 1, "the reader B streams to");
    assert_eq!(a.viewers_of(STORY).await, 1);

    // Their last stream closes: they leave at once.
    drop(new);
    counts(&a, 0, patience(Duration::from_secs(1))).await;
}
