//! Two Folio nodes on one database and one Redis, with one secret key, as
//! behind a load balancer without sticky sessions: a login on one is a
//! login on the other, and a logout on one holds on the other within
//! milliseconds;
//! viewers, first reads and posted updates on either node reach pages on
//! both within a second. (A node that dies takes its viewers with it within the presence
//! time-to-live: tests/api/redis_engine.rs.)

use std::time::{Duration, Instant};

use rocket::figment::Figment;

use crate::browser::Server;
use crate::helpers::patience;
use crate::raw_stream::{RawStream, SECRET_KEY};
use crate::redis_engine::Redis;
use crate::wire::request;

/// Node A, and node B on A's database; both on `redis`.
async fn two_nodes(redis: &Redis) -> (Server, Server) {
    two_nodes_with(redis, |figment| figment).await
}

/// The same, with settings of both nodes changed by `configure`.
pub async fn two_nodes_with(redis: &Redis, configure: fn(Figment) -> Figment) -> (Server, Server) {
    let url = redis.url();
    let shared = |figment: Figment| {
        configure(figment)
            .merge(("secret_key", SECRET_KEY))
            .merge(("redis_url", url.clone()))
    };
    let a = Server::start(shared).await;
    let database = crate::databases::database_url(&a.data_dir());
    let b = Server::start(|figment| shared(figment).merge(("databases.folio.url", database))).await;
    for node in [&a, &b] {
        until_shared(node.port).await;
    }
    (a, b)
}

/// Logs `cookie`'s login out on the node at `port`, with the form's CSRF
/// token.
pub async fn log_out(port: u16, cookie: &str) {
    let mint = crate::cookies::CookieMint::new(SECRET_KEY).await;
    let csrf = mint.private("csrf", "a-token-for-the-logout-form").await;
    let cookies = format!("{cookie}; csrf={csrf}");
    let form = "csrf_token=a-token-for-the-logout-form";
    let (status, said) = request(port, "POST", "/logout", &cookies, form).await;
    assert_eq!(status, 303, "{said}");
}

/// Waits until the node at `port` has made its link to Redis: until then
/// it keeps what it sees to itself.
async fn until_shared(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (status, response) = request(port, "GET", "/health/ready", "", "").await;
        if status == 200 && !response.contains("\"live\"") {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "never linked to Redis: {response}"
        );
        rocket::tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Reads `stream`'s events until `field` is `expected`; how long it took.
async fn until(stream: &mut RawStream, field: &str, expected: i64) -> Duration {
    let started = Instant::now();
    loop {
        let data = stream.next_data().await.expect("figures");
        if data[field] == expected {
            return started.elapsed();
        }
    }
}

#[rocket::async_test]
#[ignore = "needs redis-server"]
async fn a_login_holds_on_both_nodes_and_a_logout_on_one_ends_it_on_both_at_once() {
    let redis = Redis::start();
    let (a, b) = two_nodes(&redis).await;
    let ann = a.login_cookie("ann").await;

    assert_eq!(request(a.port, "GET", "/account", &ann, "").await.0, 200);
    assert_eq!(request(b.port, "GET", "/account", &ann, "").await.0, 200);

    log_out(b.port, &ann).await;

    // A had the login cached; it is refused there all the same, as soon as
    // A has heard (the message is on its way before B answers; A's next
    // request may still come first, by a few milliseconds).
    let logged_out = Instant::now();
    let response = loop {
        let (status, response) = request(a.port, "GET", "/account", &ann, "").await;
        if status != 200 {
            break response;
        }
        assert!(
            logged_out.elapsed() < patience(Duration::from_millis(200)),
            "A still let the login in {:?} after the logout",
            logged_out.elapsed()
        );
    };
    assert!(
        response.to_lowercase().starts_with("http/1.1 303")
            && response.to_lowercase().contains("location: /login"),
        "{response}"
    );
}

#[rocket::async_test]
#[ignore = "needs redis-server"]
async fn viewers_and_first_reads_on_either_node_reach_pages_on_both_within_a_second() {
    let redis = Redis::start();
    let (a, b) = two_nodes(&redis).await;
    let story = a.add_story("Seat 14", "Text").await;
    let (ann, bob, cyd) = (
        a.login_cookie("ann").await,
        a.login_cookie("bob").await,
        a.login_cookie("cyd").await,
    );
    let live = format!("GET /live/stories/{story} HTTP/1.1");

    // One viewer on each node: both pages show two.
    let mut on_a = RawStream::open(a.port, &live, Some(&ann)).await;
    let mut on_b = RawStream::open(b.port, &live, Some(&bob)).await;
    assert!(until(&mut on_a, "viewers", 2).await < patience(Duration::from_secs(1)));
    assert!(until(&mut on_b, "viewers", 2).await < patience(Duration::from_secs(1)));

    // A first read on B reaches the page on A.
    let started = Instant::now();
    let (status, _) = request(b.port, "GET", &format!("/stories/{story}"), &cyd, "").await;
    assert_eq!(status, 200);
    until(&mut on_a, "reads", 1).await;
    assert!(
        started.elapsed() < patience(Duration::from_secs(1)),
        "{:?}",
        started.elapsed()
    );
}

#[rocket::async_test]
#[ignore = "needs redis-server"]
async fn failed_logins_spread_over_both_nodes_meet_one_limit() {
    let redis = Redis::start();
    let limited = |figment: Figment| figment.merge(("login_failures_per_username", 3));
    let (a, b) = two_nodes_with(&redis, limited).await;
    let mint = crate::cookies::CookieMint::new(SECRET_KEY).await;
    let csrf = format!(
        "csrf={}",
        mint.private("csrf", "the-login-form-token").await
    );
    let form = "csrf_token=the-login-form-token&username=mallory-target&password=guess";

    // Three failures, alternating nodes: each node has seen at most two.
    for port in [a.port, b.port, a.port] {
        assert_eq!(request(port, "POST", "/login", &csrf, form).await.0, 401);
    }
    // The fourth is refused on either node.
    let (status, response) = request(b.port, "POST", "/login", &csrf, form).await;
    assert_eq!(status, 429, "{response}");
    assert_eq!(request(a.port, "POST", "/login", &csrf, form).await.0, 429);
}

#[rocket::async_test]
#[ignore = "needs redis-server"]
async fn one_readers_first_reads_through_both_nodes_at_once_count_once() {
    let redis = Redis::start();
    let (a, b) = two_nodes(&redis).await;
    let story = a.add_story("Seat 14", "Text").await;
    let path = format!("/stories/{story}");
    for round in 0..5 {
        let dee = a.login_cookie(&format!("dee{round}")).await;
        let (on_a, on_b) = rocket::tokio::join!(
            request(a.port, "GET", &path, &dee, ""),
            request(b.port, "GET", &path, &dee, "")
        );
        assert_eq!((on_a.0, on_b.0), (200, 200));
    }
    let counter: i64 = sqlx::query_scalar("SELECT read_count FROM stories WHERE id = $1")
        .bind(story)
        .fetch_one(&a.db)
        .await
        .expect("the story");
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM reads WHERE story_id = $1")
        .bind(story)
        .fetch_one(&a.db)
        .await
        .expect("its reads");
    assert_eq!((counter, rows), (5, 5));
}

#[rocket::async_test]
#[ignore = "needs redis-server"]
async fn a_node_killed_takes_its_viewers_from_the_other_within_the_time_to_live() {
    use crate::process::{debug_binary, Folio, Limits};
    let redis = Redis::start();
    let ttl = Duration::from_secs(3);
    let url = redis.url();
    let a = Server::start(|figment| {
        figment
            .merge(("secret_key", SECRET_KEY))
            .merge(("redis_url", url.clone()))
            .merge(("presence_ttl", ttl.as_secs()))
    })
    .await;
    let database = crate::databases::database_url(&a.data_dir());
    let env = vec![
        ("ROCKET_REDIS_URL", url.clone()),
        ("DATABASE_URL", database),
        ("ROCKET_PRESENCE_TTL", ttl.as_secs().to_string()),
    ];
    let dir = tempfile::tempdir().expect("a directory");
    let limits = Limits {
        env,
        open_files: None,
    };
    let mut b = Folio::start_with(&debug_binary(), dir, SECRET_KEY, limits).await;
    let story = a.add_story("Seat 14", "Text").await;
    let (ann, bob) = (a.login_cookie("ann").await, a.login_cookie("bob").await);
    let live = format!("GET /live/stories/{story} HTTP/1.1");
    let mut on_a = RawStream::open(a.port, &live, Some(&ann)).await;
    let _on_b = RawStream::open(b.port, &live, Some(&bob)).await;
    until(&mut on_a, "viewers", 2).await;

    // B dies without a word: its viewer leaves A's count within the
    // time-to-live (and A's next count of the stories it shows).
    b.kill();
    let gone = until(&mut on_a, "viewers", 1).await;
    assert!(
        gone < patience(ttl + Duration::from_millis(1500)),
        "{gone:?}"
    );
}

#[rocket::async_test]
#[ignore = "needs redis-server"]
async fn an_update_posted_on_one_node_reaches_a_follower_on_the_other_within_a_second() {
    let redis = Redis::start();
    let (a, b) = two_nodes(&redis).await;
    let story = a.add_story("Seat 14", "Text").await;
    let (eve, fay) = (a.login_cookie("eve").await, a.login_cookie("fay").await);
    sqlx::query("UPDATE users SET is_admin = 1 WHERE username = 'eve'")
        .execute(&a.db)
        .await
        .expect("an admin");
    sqlx::query(
        "INSERT INTO follows (story_id, user_id, created_at)
         SELECT $1, id, 1 FROM users WHERE username = 'fay'",
    )
    .bind(story)
    .execute(&a.db)
    .await
    .expect("a follow");
    let mut inbox = RawStream::open(b.port, "GET /live/inbox HTTP/1.1", Some(&fay)).await;
    assert_eq!(inbox.status, 200);
    until(&mut inbox, "unread", 0).await;

    // The admin posts on A, with the form's CSRF token.
    let mint = crate::cookies::CookieMint::new(SECRET_KEY).await;
    let csrf = mint.private("csrf", "a-token-for-the-update-form").await;
    let started = Instant::now();
    let (status, said) = request(
        a.port,
        "POST",
        &format!("/admin/stories/{story}/updates"),
        &format!("{eve}; csrf={csrf}"),
        "csrf_token=a-token-for-the-update-form&text=A+new+chapter.",
    )
    .await;
    assert_eq!(status, 303, "{said}");
    until(&mut inbox, "unread", 1).await;
    assert!(
        started.elapsed() < patience(Duration::from_secs(1)),
        "{:?}",
        started.elapsed()
    );
}
