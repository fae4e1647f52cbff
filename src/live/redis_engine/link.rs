//! The link to Redis: one multiplexed connection for commands, the
//! subscription to the nodes' channel, both made again in the background
//! when Redis goes away, and whether Redis answers, for the log and
//! `/health/ready`. While it does not, commands are not tried: the engine
//! uses what this node sees itself until the subscription is back.

use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::{Arc, RwLock, Weak};
use std::time::Duration;

use rocket::tokio::sync::Notify;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::{Client, RedisResult};
use rocket::futures::StreamExt;

use super::bus::{Envelope, Message, CHANNEL};
use crate::live::Forget;
use crate::util::{random_token, unix_now_ms};

/// How long a command may take before Redis counts as gone, and how long
/// to wait between attempts to reach it again.
const PATIENCE: Duration = Duration::from_millis(500);
const RETRY_EVERY: Duration = Duration::from_secs(1);
/// How often the subscription is checked, and how long its answer may take.
const CHECK_EVERY: Duration = Duration::from_secs(5);
const CHECK_PATIENCE: Duration = Duration::from_secs(3);

/// The link (cheap to clone: clones share it).
#[derive(Clone)]
pub struct Link {
    inner: Arc<Inner>,
}

struct Inner {
    client: Client,
    /// This node's name on the channel: it ignores its own messages.
    node: String,
    connection: RwLock<Option<ConnectionManager>>,
    /// Until the first subscription, and from a failure to the next
    /// command or subscription that works.
    down: AtomicBool,
    /// When a command was last let through while Redis counted as gone
    /// (Unix milliseconds): one a second tells whether it is back.
    probed: AtomicI64,
    /// Whether the node has been subscribed before (then messages may have
    /// been missed in between).
    subscribed: AtomicBool,
    /// Whether a new command connection is being made.
    renewing: AtomicBool,
    /// A command went unanswered: the subscription is checked at once.
    suspect: Notify,
}

impl Link {
    /// A link to the Redis at `url`, not yet made; fails only on a URL
    /// that is not one.
    pub fn new(url: &str) -> RedisResult<Link> {
        Ok(Link {
            inner: Arc::new(Inner {
                client: Client::open(url)?,
                node: random_token().chars().take(16).collect(),
                connection: RwLock::new(None),
                down: AtomicBool::new(true),
                probed: AtomicI64::new(0),
                subscribed: AtomicBool::new(false),
                renewing: AtomicBool::new(false),
                suspect: Notify::new(),
            }),
        })
    }

    /// Whether Redis counts as answering (no command is spent finding out).
    pub fn answers(&self) -> bool {
        !self.inner.down.load(Ordering::Acquire)
    }

    /// The connection for commands, while Redis answers; while it does
    /// not, once a second, to find out whether it is back. Callers take it
    /// only to send a command: its outcome says whether Redis answers.
    pub fn connection(&self) -> Option<ConnectionManager> {
        if self.inner.down.load(Ordering::Acquire) {
            let now = unix_now_ms();
            let last = self.inner.probed.load(Ordering::Acquire);
            let due = now - last >= RETRY_EVERY.as_millis() as i64;
            let mine = due
                && (self.inner.probed)
                    .compare_exchange(last, now, Ordering::AcqRel, Ordering::Acquire)
                    .is_ok();
            if !mine {
                return None;
            }
        }
        self.inner.connection.read().ok()?.clone()
    }

    /// The value of a command that worked; after one that failed, `None`,
    /// and Redis counts as gone until the subscription is made again.
    pub fn outcome<'a, T>(&self, result: &'a RedisResult<T>) -> Option<&'a T> {
        match result {
            Ok(value) => {
                self.came_back();
                Some(value)
            }
            Err(e) => {
                if e.is_timeout() {
                    self.renew();
                }
                self.went_down(&e.to_string());
                None
            }
        }
    }

    /// Makes a new command connection in the background, to replace one
    /// that Redis no longer answers on: the connection manager makes a new
    /// one when its connection is dropped, but not when it only goes
    /// silent (a network partition, a host gone), which can last for ever.
    fn renew(&self) {
        self.inner.suspect.notify_one();
        if self.inner.renewing.swap(true, Ordering::AcqRel) {
            return;
        }
        let Ok(runtime) = rocket::tokio::runtime::Handle::try_current() else {
            self.inner.renewing.store(false, Ordering::Release);
            return;
        };
        let link = self.clone();
        runtime.spawn(async move {
            let made =
                ConnectionManager::new_with_config(link.inner.client.clone(), config()).await;
            if let (Ok(manager), Ok(mut connection)) = (made, link.inner.connection.write()) {
                *connection = Some(manager);
            }
            link.inner.renewing.store(false, Ordering::Release);
        });
    }

    /// Tells the other nodes; lost while Redis is away (each node then
    /// shows its own figures, and counts again when it is back).
    pub async fn publish(&self, message: &Message) {
        let Some(mut redis) = self.connection() else {
            return;
        };
        let envelope = Envelope {
            node: self.inner.node.clone(),
            message: message.clone(),
        };
        let Ok(text) = serde_json::to_string(&envelope) else {
            return;
        };
        let sent: RedisResult<i64> = redis::cmd("PUBLISH")
            .arg(CHANNEL)
            .arg(text)
            .query_async(&mut redis)
            .await;
        self.outcome(&sent);
    }

    /// Why live figures are only this node's own, while they are.
    pub fn problem(&self) -> Option<String> {
        self.inner.down.load(Ordering::Acquire).then(|| {
            "Redis does not answer: live figures are this node's own until it does".to_string()
        })
    }

    fn went_down(&self, why: &str) {
        if !self.inner.down.swap(true, Ordering::AcqRel) {
            rocket::warn!(
                "Redis went away ({why}): live figures are this node's own until it is back"
            );
        }
    }

    fn came_back(&self) {
        if self.inner.down.swap(false, Ordering::AcqRel) {
            rocket::info!("Redis answers: live figures are shared by every node");
        }
    }

    /// The command connection, made if there is none yet.
    async fn connect(&self) -> RedisResult<()> {
        if self.inner.connection.read().is_ok_and(|c| c.is_some()) {
            return Ok(());
        }
        let manager =
            ConnectionManager::new_with_config(self.inner.client.clone(), config()).await?;
        if let Ok(mut connection) = self.inner.connection.write() {
            *connection = Some(manager);
        }
        Ok(())
    }
}

/// How the command connection is made: every wait bounded by PATIENCE.
fn config() -> ConnectionManagerConfig {
    ConnectionManagerConfig::new()
        .set_connection_timeout(Some(PATIENCE))
        .set_response_timeout(Some(PATIENCE))
        .set_number_of_retries(1)
}

/// Listens to the other nodes for as long as `owner` lives, handing each
/// message to `heard`; makes the link again whenever Redis went away.
pub fn listen<T: Send + Sync + 'static>(link: Link, owner: Weak<T>, heard: fn(&T, Message)) {
    rocket::tokio::spawn(async move {
        while owner.strong_count() > 0 {
            if let Err(e) = subscribed(&link, &owner, heard).await {
                link.went_down(&e.to_string());
            }
            rocket::tokio::time::sleep(RETRY_EVERY).await;
        }
    });
}

async fn subscribed<T>(link: &Link, owner: &Weak<T>, heard: fn(&T, Message)) -> RedisResult<()> {
    // Made within a few seconds, or tried again: a Redis that does not
    // answer at all must not hold the node here.
    let made = rocket::tokio::time::timeout(CHECK_PATIENCE, async {
        let (mut sink, messages) = link.inner.client.get_async_pubsub().await?.split();
        sink.subscribe(CHANNEL).await?;
        Ok::<_, redis::RedisError>((sink, messages))
    });
    let (mut sink, mut messages) = match made.await {
        Ok(made) => made?,
        Err(_) => {
            link.went_down("subscribing took too long");
            return Ok(());
        }
    };
    link.connect().await?;
    link.came_back();
    if link.inner.subscribed.swap(true, Ordering::AcqRel) {
        // Subscribed again: messages sent to this node meanwhile, and those
        // it could not send, are lost. A logout or a revoked token among
        // them must still hold at once, so this node and every other one
        // forget what their caches hold.
        let everything = Message::Forget {
            forget: Forget::Everything,
        };
        if let Some(owner) = owner.upgrade() {
            heard(&owner, everything.clone());
        }
        link.publish(&everything).await;
    }
    // A subscription whose connection was cut without a word (a network
    // partition, a host gone) would wait for messages for ever: a ping now
    // and then, answered in time, shows it still holds.
    let mut check = rocket::tokio::time::interval(CHECK_EVERY);
    check.tick().await;
    loop {
        // `None` when it is time to check the subscription.
        let next = rocket::tokio::select! {
            message = messages.next() => Some(message),
            _ = check.tick() => None,
            _ = link.inner.suspect.notified() => None,
        };
        let Some(message) = next else {
            let pong = rocket::tokio::time::timeout(CHECK_PATIENCE, sink.ping::<redis::Value>());
            match pong.await {
                Ok(Ok(_)) => continue,
                Ok(Err(e)) => return Err(e),
                Err(_) => {
                    link.went_down("the subscription stopped answering");
                    return Ok(());
                }
            }
        };
        let Some(message) = message else {
            break;
        };
        let Some(owner) = owner.upgrade() else {
            return Ok(());
        };
        let Ok(text) = message.get_payload::<String>() else {
            continue;
        };
        match serde_json::from_str::<Envelope>(&text) {
            Ok(envelope) if envelope.node != link.inner.node => heard(&owner, envelope.message),
            Ok(_) => {}
            Err(e) => rocket::warn!("a message on {CHANNEL} that is not one of Folio's: {e}"),
        }
    }
    link.went_down("the subscription ended");
    Ok(())
}
