//! The dedicated live listener: an optional second port (`live_port`) that
//! serves only the live streams, for audiences in the thousands. Rocket's
//! HTTP stack keeps about 35 KB per open connection (hyper's read and write
//! buffers, the request's task); this listener keeps only what a stream
//! needs, and sees a closed tab the moment its connection closes. A reverse
//! proxy sends `/live/` here; everything else stays with Rocket, which also
//! keeps serving the same streams to clients that reach it directly.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use rocket::fairing::AdHoc;
use rocket::tokio::io::{AsyncReadExt, AsyncWriteExt};
use rocket::tokio::net::{TcpListener, TcpStream};
use rocket::tokio::select;
use rocket::tokio::sync::Semaphore;
use rocket::tokio::time::{interval, timeout, MissedTickBehavior};
use rocket::{Orbit, Rocket, Shutdown};

use super::feeds::Feed;
use super::http::{error_response, read_head, HeadError, RequestHead, STREAM_HEAD};
use super::source::Feeds;
use crate::auth::{Sessions, Tickets};
use crate::error::Error;

/// Keeps proxies from timing out an idle stream; closed connections are
/// noticed at once without it.
const HEARTBEAT: Duration = Duration::from_secs(15);
/// A client that takes longer than this to accept an event is dropped.
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// Streams being opened at once. After a restart every open page reconnects
/// together; opening takes a session lookup, so beyond this they wait their
/// turn (as a cheap accepted socket) instead of crowding the database pool.
const OPENING_AT_ONCE: usize = 32;

/// The bound listener, between ignite and liftoff; its port once serving.
pub struct LiveListener {
    listener: std::sync::Mutex<Option<std::net::TcpListener>>,
    pub port: u16,
}

/// Binds `live_port` at ignite, so a port in use stops the start with a
/// clear message, and starts serving at liftoff.
pub fn stage(live_port: Option<u16>) -> AdHoc {
    AdHoc::on_ignite("Live listener", move |rocket| async move {
        let Some(port) = live_port else { return rocket };
        rocket
            .attach(AdHoc::try_on_ignite(
                "Live listener: bind",
                move |rocket| async move {
                    match bind(&rocket, port) {
                        Ok(listener) => Ok(rocket.manage(listener)),
                        Err(message) => {
                            rocket::error!("{message}");
                            Err(rocket)
                        }
                    }
                },
            ))
            .attach(AdHoc::on_liftoff("Live listener: serve", |rocket| {
                Box::pin(async move { serve(rocket) })
            }))
    })
}

fn bind(rocket: &Rocket<rocket::Build>, port: u16) -> Result<LiveListener, Error> {
    // Pages reconnect their streams after a restart with the ticket they
    // hold; a key made up at each start would refuse them all.
    let configured = rocket
        .figment()
        .extract_inner::<String>("secret_key")
        .is_ok_and(|key| !key.trim().is_empty());
    if !configured {
        return Err(Error::Config(
            "live_port needs a configured secret_key: the live listener knows readers \
             by stream tickets signed with a key derived from it, which must outlive a restart \
             (set ROCKET_SECRET_KEY)"
                .into(),
        ));
    }
    let address: std::net::IpAddr = rocket
        .figment()
        .extract_inner("address")
        .map_err(|e| Error::Config(format!("bad setting address: {e}")))?;
    let listener = std::net::TcpListener::bind((address, port))
        .and_then(|l| l.set_nonblocking(true).map(|()| l))
        .map_err(|e| {
            let context = format!("cannot listen on {address}:{port} for live streams");
            Error::internal_from(context, e)
        })?;
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(port);
    Ok(LiveListener {
        listener: std::sync::Mutex::new(Some(listener)),
        port,
    })
}

/// What every connection needs, shared.
struct Context {
    opening: Semaphore,
    /// The header that names the client's address behind a proxy
    /// (Rocket's `ip_header`), if one is configured.
    ip_header: Option<String>,
    feeds: Feeds,
    sessions: Sessions,
    tickets: Tickets,
}

fn serve(rocket: &Rocket<Orbit>) {
    let Some(bound) = rocket.state::<LiveListener>() else {
        return;
    };
    let taken = bound.listener.lock().ok().and_then(|mut l| l.take());
    let parts = (
        taken.and_then(|l| TcpListener::from_std(l).ok()),
        rocket.state::<Feeds>(),
        rocket.state::<Sessions>(),
    );
    let (Some(listener), Some(feeds), Some(sessions)) = parts else {
        rocket::error!("the live listener could not start");
        return;
    };
    let context = Arc::new(Context {
        opening: Semaphore::new(OPENING_AT_ONCE),
        ip_header: (rocket.config().ip_header.as_ref()).map(|name| name.to_string()),
        feeds: feeds.clone(),
        tickets: sessions.tickets().clone(),
        sessions: sessions.clone(),
    });
    let shutdown = rocket.shutdown();
    rocket::info!("live streams also served on port {}", bound.port);
    rocket::tokio::spawn(accept(listener, context, shutdown));
}

async fn accept(listener: TcpListener, context: Arc<Context>, mut shutdown: Shutdown) {
    loop {
        let accepted = select! {
            accepted = listener.accept() => accepted,
            _ = &mut shutdown => return,
        };
        match accepted {
            Ok((stream, _)) => {
                let _ = stream.set_nodelay(true);
                rocket::tokio::spawn(connection(stream, Arc::clone(&context), shutdown.clone()));
            }
            // Out of descriptors, say: wait a moment rather than spin.
            Err(_) => rocket::tokio::time::sleep(Duration::from_millis(50)).await,
        }
    }
}

async fn connection(mut stream: TcpStream, context: Arc<Context>, shutdown: Shutdown) {
    let head = match read_head(&mut stream).await {
        Ok(head) => head,
        Err(HeadError::Gone) => return,
        Err(HeadError::Bad(status, message)) => {
            let _ = stream
                .write_all(&error_response(status, message, None))
                .await;
            return;
        }
    };
    let peer = stream.peer_addr().ok().map(|a| a.ip());
    let address = match &context.ip_header {
        Some(name) => head.header(name).and_then(|v| v.trim().parse().ok()),
        None => peer,
    };
    let opened = match context.opening.acquire().await {
        Ok(_permit) => open_feed(&context, &head, address).await,
        Err(_) => return,
    };
    match opened {
        Ok(feed) => stream_feed(stream, feed, shutdown).await,
        Err(refusal) => {
            let answer = error_response(refusal.status, &refusal.message, refusal.retry_after);
            let _ = stream.write_all(&answer).await;
        }
    }
}

/// Why a stream was not opened, as the client is told.
struct Refused {
    status: u16,
    message: String,
    retry_after: Option<u64>,
}

impl From<Error> for Refused {
    fn from(e: Error) -> Refused {
        Refused {
            status: e.status().code,
            message: e.public_message(),
            retry_after: e.retry_after(),
        }
    }
}

/// The feed a request asks for, or why it is refused.
async fn open_feed(
    context: &Context,
    head: &RequestHead,
    address: Option<IpAddr>,
) -> Result<Feed, Refused> {
    if head.method != "GET" {
        let message = "Live streams answer GET only.".into();
        return Err(Refused {
            status: 405,
            message,
            retry_after: None,
        });
    }
    let refuse = |e: Error| {
        if e.status().code >= 500 {
            rocket::error!("GET {} on the live listener: {e}", head.path);
        }
        Refused::from(e)
    };
    let feeds = &context.feeds;
    // The stream ticket names the session; it must hold for that session
    // as it is now (not ended, expired or disabled).
    let ticket = Tickets::in_cookie_headers(head.cookies.iter().map(String::as_str));
    let user = match ticket
        .as_deref()
        .and_then(|t| Some((t, Tickets::claim(t)?)))
    {
        Some((ticket, session)) => (context.sessions)
            .by_id(&feeds.db, session)
            .await
            .map_err(refuse)?
            .filter(|user| context.tickets.holds(ticket, &user.token_hash)),
        None => None,
    };
    let opened = match (head.path.as_str(), &user) {
        ("/live/stories", user) => feeds.list(user.as_ref(), address).await,
        ("/live/inbox", Some(user)) => feeds.inbox(user, address).await,
        (path, Some(user)) => match path.strip_prefix("/live/stories/") {
            Some(key) => feeds.story(key, user, address).await,
            None => Err(Error::NotFound),
        },
        ("/live/inbox", None) => Err(Error::LoginRequired),
        (path, None) if path.starts_with("/live/stories/") => Err(Error::LoginRequired),
        (_, None) => Err(Error::NotFound),
    };
    opened.map_err(refuse)
}

/// Sends the feed until the client leaves, a write stalls, or Folio stops.
async fn stream_feed(stream: TcpStream, mut feed: Feed, mut shutdown: Shutdown) {
    let (mut reader, mut writer) = stream.into_split();
    if writer.write_all(STREAM_HEAD).await.is_err() {
        return;
    }
    let mut heartbeat = interval(HEARTBEAT);
    heartbeat.set_missed_tick_behavior(MissedTickBehavior::Delay);
    heartbeat.tick().await;
    let mut probe = [0u8; 1];
    loop {
        let bytes = select! {
            next = feed.next() => match next {
                Some(event) => event.to_wire().into_bytes(),
                None => break,
            },
            _ = heartbeat.tick() => b":\n".to_vec(),
            // A closed connection reads as end of file: the viewer left.
            read = reader.read(&mut probe) => match read {
                Ok(0) | Err(_) => break,
                Ok(_) => continue,
            },
            _ = &mut shutdown => break,
        };
        match timeout(WRITE_TIMEOUT, writer.write_all(&bytes)).await {
            Ok(Ok(())) => {}
            _ => break,
        }
    }
}
