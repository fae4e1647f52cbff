//! Budgets for open live streams: no one client, and no crowd of visitors,
//! can take the open files Folio needs to keep answering.

use std::time::Duration;

use futures::stream::{self, StreamExt};
use rocket::tokio::time::{timeout, Instant};
use serde_json::Value;

use crate::browser::Server;
use crate::process::{debug_binary, get, new_key, Folio, Limits};
use crate::raw_stream::{RawStream, SECRET_KEY};

/// Lets this test process open as many sockets as the system allows.
fn raise_own_open_file_limit() {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit and setrlimit only read and write the struct given.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) == 0 {
            limit.rlim_cur = limit.rlim_max;
            libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
        }
    }
}

/// Checks a refusal: its status, a `Retry-After`, a JSON error that says
/// something, and a connection that is closed rather than kept. Returns
/// the error.
async fn assert_refused(stream: RawStream, status: u16) -> String {
    assert_eq!(stream.status, status, "{}", stream.head);
    let head = stream.head.to_ascii_lowercase();
    assert!(head.contains("retry-after: "), "{head}");
    assert!(head.contains("connection: close"), "{head}");
    let body: Value = serde_json::from_str(&stream.body().await).expect("a JSON body");
    let error = body["error"].as_str().unwrap_or_default().to_string();
    assert!(error.len() > 20, "{body}");
    error
}

#[rocket::async_test]
async fn a_flood_of_visitor_streams_is_refused_and_the_health_check_still_answers() {
    raise_own_open_file_limit();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let limits = Limits {
        // One address may open as many as it likes here: the shared
        // ceilings are what is tried.
        env: vec![("ROCKET_STREAMS_PER_ADDRESS", "1000000".into())],
        open_files: Some(2_048),
    };
    let folio = Folio::start_with(&debug_binary(), dir, &new_key(), limits).await;
    let port = folio.port;

    let opened: Vec<RawStream> = stream::iter(0..2_500)
        .map(|_| RawStream::open(port, "GET /live/stories HTTP/1.1", None))
        .buffer_unordered(200)
        .collect()
        .await;
    let (open, refused): (Vec<RawStream>, Vec<RawStream>) =
        opened.into_iter().partition(|s| s.status == 200);

    // Half of three quarters of 2,048 open files are for visitors. (A
    // stream admitted but then refused for want of a database connection,
    // on a slow machine, gives its place back to a later one.)
    assert!(
        (600..=768).contains(&open.len()),
        "{} visitor streams admitted at once",
        open.len()
    );
    let started = Instant::now();
    let health = timeout(Duration::from_secs(2), get(port, "/health", None)).await;
    assert!(
        matches!(health, Ok(Ok((200, _)))),
        "/health answered {health:?} after {:?} with {} streams open",
        started.elapsed(),
        open.len()
    );
    let mut over_budget = 0;
    for stream in refused {
        let error = assert_refused(stream, 503).await;
        over_budget += usize::from(error.contains("as many live streams"));
    }
    assert!(over_budget >= 1_000, "{over_budget} refused by the budget");
    let (status, metrics) = get(port, "/metrics", None).await.expect("the metrics");
    assert_eq!(status, 200);
    let counted = format!("folio_live_stream_refusals_total{{budget=\"anonymous\"}} {over_budget}");
    assert!(metrics.contains(&counted), "{counted} in:\n{metrics}");
    assert_eq!(
        folio.log().matches("refusing live streams").count(),
        1,
        "one warning for the burst:\n{}",
        folio.log()
    );
    drop(open);
}

async fn server_with_budgets(per_session: usize, per_address: usize) -> (Server, u16) {
    let server = Server::start(|f| {
        f.merge(("secret_key", SECRET_KEY))
            .merge(("live_port", 0))
            .merge(("streams_per_session", per_session))
            .merge(("streams_per_address", per_address))
    })
    .await;
    let live_port = server.live_port.expect("the live listener is bound");
    (server, live_port)
}

#[rocket::async_test]
async fn one_login_and_one_address_hold_only_their_share_of_streams_on_both_ports() {
    let (server, live_port) = server_with_budgets(2, 3).await;
    let story = server.add_story("A story", "Text").await;
    let alice = server.login_cookie("alice").await;
    let bob = server.login_cookie("bob").await;
    let path = format!("GET /live/stories/{story} HTTP/1.1");

    let first = RawStream::open(server.port, &path, Some(&alice)).await;
    let second = RawStream::open(live_port, &path, Some(&alice)).await;
    assert_eq!((first.status, second.status), (200, 200));
    // A third page of the same login, on either port: over its share.
    assert_refused(RawStream::open(server.port, &path, Some(&alice)).await, 429).await;
    assert_refused(RawStream::open(live_port, &path, Some(&alice)).await, 429).await;

    // Bob, from the same address, gets what is left of the address's share.
    let bobs = RawStream::open(live_port, &path, Some(&bob)).await;
    assert_eq!(bobs.status, 200);
    let list = "GET /live/stories HTTP/1.1";
    assert_refused(RawStream::open(server.port, list, None).await, 429).await;

    // A stream that ends gives its place back.
    drop(second);
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let again = RawStream::open(live_port, list, None).await;
        if again.status == 200 {
            break;
        }
        assert_eq!(again.status, 429);
        assert!(Instant::now() < deadline, "the place was not given back");
        rocket::tokio::task::yield_now().await;
    }
    drop(first);
}
