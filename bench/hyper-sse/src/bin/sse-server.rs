//! One story's live stream, `GET /live/stories/1`, served the way Folio
//! serves it (one shared `watch` channel of figures that every stream
//! listens to, a publisher that folds arrivals into it every 200 ms, the
//! current figures first, a heartbeat comment every 15 s), over one of two
//! HTTP stacks, so that their memory per open stream can be compared:
//!
//! - `--server hyper`: hyper 1's http1 server (hyper-util's tokio glue),
//!   the body a `StreamBody` over the figures. `--tuned` shrinks what
//!   hyper lets a caller shrink; each knob can also be set alone.
//! - `--server raw`: the transport of Folio's live listener
//!   (src/streams/listener.rs and src/streams/http.rs at the time of writing):
//!   httparse for the head, then event bytes written straight to the socket.
//!
//! sse-server --port 8100 [--server hyper|raw] [--tuned]
//!     [--max-buf-size N] [--writev on|off] [--keep-alive on|off]
//!     [--date on|off] [--half-close on|off]

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use futures_util::Stream;
use http_body_util::{Either, Empty, StreamBody};
use hyper::body::{Frame, Incoming};
use hyper::header::{HeaderValue, CACHE_CONTROL, CONTENT_TYPE};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::time::{interval, interval_at, timeout, Instant, MissedTickBehavior};

/// As Folio's live listener: keeps proxies from timing out an idle stream.
const HEARTBEAT: Duration = Duration::from_secs(15);
/// As Folio: arrivals within one interval reach pages as one message.
const PUBLISH_EVERY: Duration = Duration::from_millis(200);
/// As Folio: a browser's reconnection delay, sent with the first event.
const RETRY_MS: u64 = 2000;
/// As the live listener: a client that takes longer to accept an event is dropped.
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
const PATH: &str = "/live/stories/1";

/// What a story page shows live.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Figures {
    viewers: usize,
    reads: i64,
}

/// The one story: its viewer count, and the channel its pages listen to.
struct Story {
    viewers: AtomicUsize,
    figures: watch::Sender<Figures>,
}

/// Counts a stream as a viewer while it lives, as Folio's presence does.
struct Viewing(Arc<Story>);

impl Viewing {
    fn enter(story: &Arc<Story>) -> Viewing {
        story.viewers.fetch_add(1, Ordering::Relaxed);
        Viewing(Arc::clone(story))
    }
}

impl Drop for Viewing {
    fn drop(&mut self) {
        self.0.viewers.fetch_sub(1, Ordering::Relaxed);
    }
}

/// A stream's state, the same for both servers: its presence, its
/// subscription, the figures still to send first, and its heartbeat.
struct Feed {
    _viewing: Viewing,
    figures: watch::Receiver<Figures>,
    first: Option<Figures>,
}

impl Feed {
    fn open(story: &Arc<Story>) -> Feed {
        let viewing = Viewing::enter(story);
        let mut figures = story.figures.subscribe();
        // The count as of now, this viewer included, as Folio's first event.
        let mut first = *figures.borrow_and_update();
        first.viewers = story.viewers.load(Ordering::Relaxed);
        Feed {
            _viewing: viewing,
            figures,
            first: Some(first),
        }
    }

    /// The next event, in the wire format; `None` when the channel is gone.
    async fn next(&mut self) -> Option<Bytes> {
        if let Some(first) = self.first.take() {
            return Some(event(first, true));
        }
        self.figures.changed().await.ok()?;
        let figures = *self.figures.borrow_and_update();
        Some(event(figures, false))
    }
}

fn event(figures: Figures, first: bool) -> Bytes {
    let retry = if first {
        format!("retry:{RETRY_MS}\n")
    } else {
        String::new()
    };
    Bytes::from(format!(
        "{retry}event:figures\ndata:{{\"viewers\":{},\"reads\":{}}}\n\n",
        figures.viewers, figures.reads
    ))
}

/// Folds the viewer count into the channel, as Folio's publisher does:
/// joining leaves the channel alone, so a crowd arriving wakes every page
/// once per interval rather than once per arrival.
async fn publish(story: Arc<Story>) {
    let mut tick = interval(PUBLISH_EVERY);
    loop {
        tick.tick().await;
        let viewers = story.viewers.load(Ordering::Relaxed);
        story.figures.send_if_modified(|figures| {
            let changed = figures.viewers != viewers;
            figures.viewers = viewers;
            changed
        });
    }
}

#[derive(Clone)]
struct HyperSettings {
    max_buf_size: Option<usize>,
    writev: Option<bool>,
    keep_alive: Option<bool>,
    date: Option<bool>,
    half_close: Option<bool>,
}

impl HyperSettings {
    /// Everything hyper 1's http1 builder offers that bears on an idle
    /// stream's memory: the smallest buffer limit it accepts (8 KiB, which
    /// is also where both buffers start, so it only stops them growing);
    /// events copied into the one write buffer instead of queued beside it
    /// (no queue to allocate); no keep-alive, as a stream is the
    /// connection's last response anyway; no date header to format.
    fn tuned() -> HyperSettings {
        HyperSettings {
            max_buf_size: Some(8192),
            writev: Some(false),
            keep_alive: Some(false),
            date: Some(false),
            half_close: Some(false),
        }
    }

    fn builder(&self) -> http1::Builder {
        let mut builder = http1::Builder::new();
        if let Some(max) = self.max_buf_size {
            builder.max_buf_size(max);
        }
        if let Some(on) = self.writev {
            builder.writev(on);
        }
        if let Some(on) = self.keep_alive {
            builder.keep_alive(on);
        }
        if let Some(on) = self.date {
            builder.auto_date_header(on);
        }
        if let Some(on) = self.half_close {
            builder.half_close(on);
        }
        builder
    }
}

type Events =
    StreamBody<std::pin::Pin<Box<dyn Stream<Item = Result<Frame<Bytes>, Infallible>> + Send>>>;

/// A stream's body: the feed's events interleaved with the heartbeat.
fn body(story: &Arc<Story>) -> Events {
    let feed = Feed::open(story);
    let mut heartbeat = interval_at(Instant::now() + HEARTBEAT, HEARTBEAT);
    heartbeat.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let events =
        futures_util::stream::unfold((feed, heartbeat), |(mut feed, mut heartbeat)| async move {
            let bytes = tokio::select! {
                next = feed.next() => next?,
                _ = heartbeat.tick() => Bytes::from_static(b":\n"),
            };
            Some((Ok(Frame::data(bytes)), (feed, heartbeat)))
        });
    StreamBody::new(Box::pin(events))
}

async fn answer(
    story: Arc<Story>,
    request: Request<Incoming>,
) -> Result<Response<Either<Events, Empty<Bytes>>>, Infallible> {
    if request.method() != hyper::Method::GET || request.uri().path() != PATH {
        let mut response = Response::new(Either::Right(Empty::new()));
        *response.status_mut() = StatusCode::NOT_FOUND;
        return Ok(response);
    }
    let mut response = Response::new(Either::Left(body(&story)));
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("text/event-stream"));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert("x-accel-buffering", HeaderValue::from_static("no"));
    Ok(response)
}

async fn serve_hyper(listener: TcpListener, story: Arc<Story>, settings: HyperSettings) {
    let builder = settings.builder();
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            // Out of descriptors, say: wait a moment rather than spin.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let story = Arc::clone(&story);
        let connection = builder.serve_connection(
            TokioIo::new(stream),
            service_fn(move |request| answer(Arc::clone(&story), request)),
        );
        tokio::spawn(async move {
            let _ = connection.await;
        });
    }
}

// The live listener's transport, as Folio has it.

const MAX_HEAD: usize = 8 * 1024;
const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
const STREAM_HEAD: &[u8] = b"HTTP/1.1 200 OK\r\n\
    Content-Type: text/event-stream\r\n\
    Cache-Control: no-store\r\n\
    X-Accel-Buffering: no\r\n\
    Connection: close\r\n\r\n";
const NOT_FOUND: &[u8] =
    b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

struct RequestHead {
    method: String,
    path: String,
    // Kept, as the listener keeps them, for the stream's whole life.
    _cookies: Vec<String>,
}

async fn read_head(stream: &mut (impl AsyncRead + Unpin)) -> Option<RequestHead> {
    let mut buffer = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    loop {
        let read = timeout(HEAD_TIMEOUT, stream.read(&mut chunk))
            .await
            .ok()?
            .ok()?;
        if read == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..read]);
        let mut headers = [httparse::EMPTY_HEADER; 64];
        let mut request = httparse::Request::new(&mut headers);
        match request.parse(&buffer) {
            Ok(httparse::Status::Complete(_)) => {
                let target = request.path.unwrap_or("/");
                return Some(RequestHead {
                    method: request.method.unwrap_or("").to_string(),
                    path: target.split(['?', '#']).next().unwrap_or("/").to_string(),
                    _cookies: request
                        .headers
                        .iter()
                        .filter(|h| h.name.eq_ignore_ascii_case("cookie"))
                        .filter_map(|h| std::str::from_utf8(h.value).ok().map(String::from))
                        .collect(),
                });
            }
            Ok(httparse::Status::Partial) if buffer.len() < MAX_HEAD => continue,
            _ => return None,
        }
    }
}

async fn raw_connection(mut stream: TcpStream, story: Arc<Story>) {
    let Some(head) = read_head(&mut stream).await else {
        return;
    };
    if head.method != "GET" || head.path != PATH {
        let _ = stream.write_all(NOT_FOUND).await;
        return;
    }
    let feed = Feed::open(&story);
    raw_stream(stream, feed).await;
}

async fn raw_stream(stream: TcpStream, mut feed: Feed) {
    let (mut reader, mut writer) = stream.into_split();
    if writer.write_all(STREAM_HEAD).await.is_err() {
        return;
    }
    let mut heartbeat = interval(HEARTBEAT);
    heartbeat.set_missed_tick_behavior(MissedTickBehavior::Delay);
    heartbeat.tick().await;
    let mut probe = [0u8; 1];
    loop {
        let bytes = tokio::select! {
            next = feed.next() => match next {
                Some(bytes) => bytes,
                None => break,
            },
            _ = heartbeat.tick() => Bytes::from_static(b":\n"),
            // A closed connection reads as end of file: the viewer left.
            read = reader.read(&mut probe) => match read {
                Ok(0) | Err(_) => break,
                Ok(_) => continue,
            },
        };
        match timeout(WRITE_TIMEOUT, writer.write_all(&bytes)).await {
            Ok(Ok(())) => {}
            _ => break,
        }
    }
}

async fn serve_raw(listener: TcpListener, story: Arc<Story>) {
    loop {
        match listener.accept().await {
            Ok((stream, _)) => {
                let _ = stream.set_nodelay(true);
                tokio::spawn(raw_connection(stream, Arc::clone(&story)));
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
        }
    }
}

fn on_off(value: &str) -> Result<bool, String> {
    match value {
        "on" | "true" => Ok(true),
        "off" | "false" => Ok(false),
        _ => Err(format!("expected on or off, not {value}")),
    }
}

fn main() -> Result<(), String> {
    let mut port = None;
    let mut server = String::from("hyper");
    let mut settings = HyperSettings {
        max_buf_size: None,
        writev: None,
        keep_alive: None,
        date: None,
        half_close: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--port" => port = Some(value()?.parse::<u16>().map_err(|e| e.to_string())?),
            "--server" => server = value()?,
            "--tuned" => settings = HyperSettings::tuned(),
            "--max-buf-size" => {
                settings.max_buf_size = Some(value()?.parse().map_err(|e| format!("{e}"))?)
            }
            "--writev" => settings.writev = Some(on_off(&value()?)?),
            "--keep-alive" => settings.keep_alive = Some(on_off(&value()?)?),
            "--date" => settings.date = Some(on_off(&value()?)?),
            "--half-close" => settings.half_close = Some(on_off(&value()?)?),
            _ => return Err(format!("unknown argument {arg}")),
        }
    }
    let port = port.ok_or("--port is required")?;
    if settings.max_buf_size.is_some_and(|max| max < 8192) {
        return Err("hyper refuses a max_buf_size under 8192".into());
    }

    // The runtime Folio runs on: Rocket's, multi-threaded with one worker
    // per core (two here).
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async move {
        let listener = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], port)))
            .await
            .map_err(|e| format!("cannot listen on port {port}: {e}"))?;
        let story = Arc::new(Story {
            viewers: AtomicUsize::new(0),
            figures: watch::channel(Figures {
                viewers: 0,
                reads: 1234,
            })
            .0,
        });
        tokio::spawn(publish(Arc::clone(&story)));
        eprintln!("serving {PATH} on port {port} ({server})");
        match server.as_str() {
            "hyper" => serve_hyper(listener, story, settings).await,
            "raw" => serve_raw(listener, story).await,
            other => return Err(format!("unknown server {other}: hyper or raw")),
        }
        Ok(())
    })
}
