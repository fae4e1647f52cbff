//! The dedicated live listener (`live_port`), over real connections.

use std::time::{Duration, Instant};

use crate::browser::Server;
use crate::raw_stream::{RawStream, SECRET_KEY};

async fn server_with_listener() -> (Server, u16) {
    let server =
        Server::start(|f| f.merge(("secret_key", SECRET_KEY)).merge(("live_port", 0))).await;
    let port = server.live_port.expect("the live listener is bound");
    (server, port)
}

async fn story_stream(port: u16, story: i64, cookie: &str) -> RawStream {
    let request = format!("GET /live/stories/{story} HTTP/1.1");
    RawStream::open(port, &request, Some(cookie)).await
}

#[rocket::async_test]
async fn the_live_listener_streams_a_story_to_a_logged_in_reader() {
    let (server, port) = server_with_listener().await;
    let story = server.add_story("A story", "Text").await;
    let alice = server.login_cookie("alice").await;

    let mut stream = story_stream(port, story, &alice).await;

    assert_eq!(stream.status, 200);
    assert!(stream.head.contains("Content-Type: text/event-stream"));
    let first = stream.next_data().await.expect("first figures");
    assert_eq!(first["viewers"], 1);
    assert_eq!(first["reads"], 0);
}

#[rocket::async_test]
async fn a_reader_leaving_the_listener_is_seen_as_soon_as_the_connection_closes() {
    let (server, port) = server_with_listener().await;
    let story = server.add_story("A story", "Text").await;
    let (alice, bob) = (
        server.login_cookie("alice").await,
        server.login_cookie("bob").await,
    );
    let request = format!("GET /live/stories/{story} HTTP/1.1");
    let mut alices = RawStream::open(port, &request, Some(&alice)).await;
    let bobs = RawStream::open(port, &request, Some(&bob)).await;
    while alices.next_data().await.expect("figures")["viewers"] != 2 {}

    let closed = Instant::now();
    drop(bobs);
    while alices.next_data().await.expect("figures")["viewers"] != 1 {}

    // No heartbeat or time-to-live is involved: the close itself is seen.
    assert!(
        closed.elapsed() < Duration::from_secs(2),
        "took {:?}",
        closed.elapsed()
    );
}

#[rocket::async_test]
async fn the_live_listener_and_rocket_count_the_same_viewers() {
    let (server, port) = server_with_listener().await;
    let story = server.add_story("A story", "Text").await;
    let (alice, bob) = (
        server.login_cookie("alice").await,
        server.login_cookie("bob").await,
    );
    let mut through_listener = story_stream(port, story, &alice).await;
    through_listener.next_data().await.expect("first figures");

    let rocket_port: u16 = server
        .base
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .expect("a port");
    let mut through_rocket = RawStream::open(
        rocket_port,
        &format!("GET /live/stories/{story} HTTP/1.1"),
        Some(&bob),
    )
    .await;

    assert_eq!(through_rocket.status, 200);
    while through_listener.next_data().await.expect("figures")["viewers"] != 2 {}
    let list = RawStream::open(port, "GET /live/stories HTTP/1.1", None)
        .await
        .next_data()
        .await;
    assert_eq!(list.expect("a snapshot")[0]["viewers"], 2);
    drop(through_rocket.next_data().await);
}

#[rocket::async_test]
async fn the_live_listener_refuses_what_it_does_not_serve() {
    let (server, port) = server_with_listener().await;
    let story = server.add_story("A story", "Text").await;
    let alice = server.login_cookie("alice").await;
    let cases = [
        (format!("GET /live/stories/{story} HTTP/1.1"), None, 401),
        (
            format!("GET /live/stories/{story} HTTP/1.1"),
            Some("session=forged"),
            401,
        ),
        (
            "GET /live/stories/999 HTTP/1.1".to_string(),
            Some(alice.as_str()),
            404,
        ),
        (
            "GET /live/stories/abc HTTP/1.1".to_string(),
            Some(alice.as_str()),
            404,
        ),
        ("GET /admin HTTP/1.1".to_string(), Some(alice.as_str()), 404),
        ("GET /live/inbox HTTP/1.1".to_string(), None, 401),
        (
            format!("POST /live/stories/{story} HTTP/1.1"),
            Some(alice.as_str()),
            405,
        ),
        ("NOT HTTP AT ALL".to_string(), None, 400),
    ];

    for (request, cookie, status) in cases {
        let response = RawStream::open(port, &request, cookie).await;
        assert_eq!(response.status, status, "{request}");
        assert!(
            response.body().await.starts_with("{\"error\":"),
            "{request}"
        );
    }
}

#[rocket::async_test]
async fn the_live_listener_carries_a_readers_inbox_on_every_stream() {
    let (server, port) = server_with_listener().await;
    let story = server.add_story("A story", "Text").await;
    let alice = server.login_cookie("alice").await;
    // An update she was notified of while away.
    let update: i64 = sqlx::query_scalar(
        "INSERT INTO story_updates (story_id, kind, body, created_at)
         VALUES ($1, 'announcement', 'News', 1) RETURNING id",
    )
    .bind(story)
    .fetch_all(&server.db)
    .await
    .expect("an update")[0];
    sqlx::query(
        "INSERT INTO notifications (user_id, update_id)
         SELECT id, $1 FROM users WHERE username = 'alice'",
    )
    .bind(update)
    .execute(&server.db)
    .await
    .expect("a notification");

    for path in [
        "/live/inbox".to_string(),
        format!("/live/stories/{story}"),
        "/live/stories".into(),
    ] {
        let request = format!("GET {path} HTTP/1.1");
        let mut stream = RawStream::open(port, &request, Some(&alice)).await;
        assert_eq!(stream.status, 200, "{path}");
        let mut unread = None;
        while unread.is_none() {
            let data = stream.next_data().await.expect("an event");
            unread = data.get("unread").cloned();
        }
        assert_eq!(unread, Some(serde_json::json!(1)), "{path}");
    }
}

#[rocket::async_test]
async fn live_listener_streams_end_when_folio_stops() {
    let (server, port) = server_with_listener().await;
    let story = server.add_story("A story", "Text").await;
    let alice = server.login_cookie("alice").await;
    let mut stream = story_stream(port, story, &alice).await;
    stream.next_data().await.expect("first figures");

    server.stop();

    assert!(stream.ended().await, "the stream ended");
}

/// The `live=` ticket in a cookie header, and the session it names.
fn ticket_of(cookie: &str) -> (String, i64) {
    let ticket = cookie
        .split("; ")
        .find_map(|pair| pair.strip_prefix("live="))
        .expect("a stream ticket")
        .to_string();
    let session = ticket.split('.').next().and_then(|id| id.parse().ok());
    (ticket, session.expect("a session id"))
}

#[rocket::async_test]
async fn a_forged_ticket_or_one_for_an_ended_session_opens_no_stream() {
    let (server, port) = server_with_listener().await;
    let story = server.add_story("A story", "Text").await;
    let alice = server.login_cookie("alice").await;
    let (ticket, session) = ticket_of(&alice);
    let request = format!("GET /live/stories/{story} HTTP/1.1");
    // Signed with the site's key, but not bound to the session's token:
    // what someone who knows the key (or a restored database) could make.
    let forged = folio::auth::Tickets::from_secret(SECRET_KEY).issue(
        folio::ids::SessionId(session),
        4_102_444_800,
        &[0u8; 32],
    );
    let unsigned = format!(
        "{}.{}",
        ticket.rsplit_once('.').expect("a mac").0,
        "00".repeat(32)
    );

    for fake in [forged, unsigned] {
        let refused = RawStream::open(port, &request, Some(&format!("live={fake}"))).await;
        assert_eq!(refused.status, 401, "{fake}");
    }
    let good = RawStream::open(port, &request, Some(&format!("live={ticket}"))).await;
    assert_eq!(good.status, 200);
    drop(good);
    sqlx::query("DELETE FROM sessions WHERE id = $1")
        .bind(session)
        .execute(&server.db)
        .await
        .expect("the session ended");
    let ended = RawStream::open(port, &request, Some(&format!("live={ticket}"))).await;
    assert_eq!(ended.status, 401, "a ticket outlived its session");
}

#[rocket::async_test]
async fn a_live_port_needs_a_configured_secret_key() {
    let dir = tempfile::tempdir().unwrap();
    let figment = crate::helpers::test_figment(&dir).merge(("live_port", 0));

    let Err(error) = folio::rocket(figment).ignite().await else {
        panic!("it started without a key for the listener");
    };

    // Inspecting the error marks it handled (Rocket aborts on unhandled ones).
    match error.kind() {
        rocket::error::ErrorKind::FailedFairings(failed) => {
            assert!(
                failed.iter().any(|f| f.name.contains("Live listener")),
                "{failed:?}"
            );
        }
        other => panic!("unexpected failure: {other:?}"),
    }
}
