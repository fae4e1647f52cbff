//! Redis cut off without a word: its connections stay open but nothing
//! comes through them any more, as in a network partition or with a host
//! gone. The node notices within seconds although nobody asks it anything,
//! and once Redis can be reached again it links anew, hearing and counting
//! the other nodes' readers (the old connections never answer again).

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use folio::ids::UserId;
use folio::live::{Engine, RedisEngine};
use rocket::tokio::time::{sleep, timeout};

use crate::helpers::patience;
use crate::redis_engine::{counts, linked, node, Redis, STORY, TTL};

/// A TCP proxy to Redis that can swallow everything on its connections.
struct Proxy {
    port: u16,
    /// While set, nothing goes through.
    cut: Arc<AtomicBool>,
    /// Connections made before the last partition never carry data again.
    epoch: Arc<AtomicU64>,
}

impl Proxy {
    fn start(redis: u16) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a port");
        let port = listener.local_addr().expect("its address").port();
        let (cut, epoch) = (
            Arc::new(AtomicBool::new(false)),
            Arc::new(AtomicU64::new(0)),
        );
        let (cut_, epoch_) = (Arc::clone(&cut), Arc::clone(&epoch));
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let Ok(server) = TcpStream::connect(("127.0.0.1", redis)) else {
                    continue;
                };
                let born = epoch_.load(Ordering::Acquire);
                let (Ok(client_), Ok(server_)) = (client.try_clone(), server.try_clone()) else {
                    continue;
                };
                for (from, to) in [(client, server_), (server, client_)] {
                    let (cut, epoch) = (Arc::clone(&cut_), Arc::clone(&epoch_));
                    std::thread::spawn(move || carry(from, to, &cut, &epoch, born));
                }
            }
        });
        Proxy { port, cut, epoch }
    }

    fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }

    fn partition(&self) {
        self.cut.store(true, Ordering::Release);
        self.epoch.fetch_add(1, Ordering::AcqRel);
    }

    fn heal(&self) {
        self.cut.store(false, Ordering::Release);
    }
}

fn carry(mut from: TcpStream, mut to: TcpStream, cut: &AtomicBool, epoch: &AtomicU64, born: u64) {
    let mut buffer = [0u8; 16 * 1024];
    while let Ok(n @ 1..) = from.read(&mut buffer) {
        let swallowed = cut.load(Ordering::Acquire) || epoch.load(Ordering::Acquire) != born;
        if !swallowed && to.write_all(&buffer[..n]).is_err() {
            break;
        }
    }
}

#[rocket::async_test]
#[ignore = "needs redis-server"]
async fn a_node_cut_off_from_redis_without_a_word_notices_and_links_anew() {
    let redis = Redis::start();
    let proxy = Proxy::start(redis.port);
    let a: Engine = RedisEngine::start(&proxy.url(), TTL).expect("a Redis URL");
    linked(&a).await;
    let b = node(&redis).await;
    let (_, mut page) = a.watch_story(STORY, 0).await.expect("a channel");

    proxy.partition();
    let deadline = Instant::now() + patience(Duration::from_secs(15));
    while a.problem().is_none() {
        assert!(Instant::now() < deadline, "the partition went unnoticed");
        sleep(Duration::from_millis(50)).await;
    }

    proxy.heal();
    let healed = Instant::now();
    linked(&a).await;
    // A hears B again, on a new subscription: B's reads, told again and
    // again until A has them.
    let mut reads = 7;
    loop {
        b.reads_changed(STORY, reads).await;
        let heard = timeout(Duration::from_millis(200), page.changed()).await;
        if heard.is_ok_and(|figures| figures.is_some_and(|f| f.reads >= 7)) {
            break;
        }
        assert!(
            healed.elapsed() < patience(Duration::from_secs(10)),
            "A did not hear B again"
        );
        reads += 1;
    }
    // And counts B's viewers, on a new connection for commands.
    assert_eq!(b.ping(STORY, UserId(1)).await, 1);
    counts(&a, 1, patience(Duration::from_secs(5))).await;
}
