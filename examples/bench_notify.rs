//! Measures what the notifications issue promises: an update to a story
//! with many followers, some of them with a live stream open, is stored for
//! all of them in one transaction and reaches every open stream quickly.
//! Connects the followers' streams (`GET /live/inbox`), waits for their
//! first inbox event, then posts updates as an admin over HTTP and times
//! the POST, each stream's notice, and checks the rows in the database.
//!
//! cargo run --release --example bench_notify -- --base http://127.0.0.1:8000 \
//!     --stream-base http://127.0.0.1:8001 --cookies cookies.txt --connected 5000 \
//!     --followers 100000 --admin-cookie "$COOKIE" --csrf-token "$TOKEN" \
//!     --db data/folio.db --server-pid 1234

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use clap::Parser;
use rocket::tokio::io::{AsyncReadExt, AsyncWriteExt};
use rocket::tokio::net::TcpStream;
use rocket::tokio::sync::watch;
use rocket::tokio::time::{sleep, timeout};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use sqlx::SqlitePool;

#[path = "support/live_client.rs"]
mod live_client;
use live_client::{connect, data_of, find, percentile, rss_mib, ChunkedBody};

#[derive(Parser)]
struct Args {
    /// Rocket's address, as http://host:port: where the admin posts.
    #[arg(long)]
    base: String,
    /// Where the streams connect (the live listener, or Rocket's port).
    #[arg(long)]
    stream_base: String,
    #[arg(long, default_value_t = 1)]
    story: i64,
    /// One Cookie header per line, each a follower of `story`.
    #[arg(long)]
    cookies: String,
    /// Followers with a stream open.
    #[arg(long, default_value_t = 5_000)]
    connected: usize,
    /// Followers in all: the notifications each update must store.
    #[arg(long)]
    followers: i64,
    #[arg(long, default_value_t = 3)]
    rounds: usize,
    /// The logged-in admin's Cookie header, and the CSRF token of its forms.
    #[arg(long)]
    admin_cookie: String,
    #[arg(long)]
    csrf_token: String,
    /// The server's database, read (never written) to check what was stored.
    #[arg(long)]
    db: String,
    /// The server's process id, to read its resident memory.
    #[arg(long)]
    server_pid: u32,
}

/// The update of the current round: its text, and when its POST was sent.
type Target = (String, Instant);

/// What one follower's stream has shown.
struct Follower {
    /// The last unread count; -1 before the first event.
    unread: AtomicI64,
}

/// One round's figures.
struct Round {
    post: Duration,
    sent: String,
    latencies: Vec<Duration>,
    unread_seen: usize,
    stored: i64,
    unread_right: i64,
}

#[rocket::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let host = args.base.trim_start_matches("http://").to_string();
    let stream_host = args.stream_base.trim_start_matches("http://").to_string();
    let cookies: Vec<String> = std::fs::read_to_string(&args.cookies)?
        .lines()
        .take(args.connected)
        .map(String::from)
        .collect();
    if cookies.len() < args.connected {
        return Err(format!("{} cookies for {} streams", cookies.len(), args.connected).into());
    }
    let db = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(
            SqliteConnectOptions::new()
                .filename(&args.db)
                .read_only(true),
        )
        .await?;
    println!(
        "server resident memory, idle: {} MiB",
        rss_mib(args.server_pid)
    );

    let (target_tx, target_rx) = watch::channel::<Target>((String::new(), Instant::now()));
    let latencies = Arc::new(Mutex::new(Vec::new()));
    let started = Instant::now();
    let mut followers = Vec::with_capacity(args.connected);
    let mut tasks = Vec::with_capacity(args.connected);
    for cookie in &cookies {
        let follower = Arc::new(Follower {
            unread: AtomicI64::new(-1),
        });
        followers.push(Arc::clone(&follower));
        let stream = connect(&stream_host, "/live/inbox", cookie).await?;
        tasks.push(rocket::tokio::spawn(read_stream(
            stream,
            follower,
            target_rx.clone(),
            Arc::clone(&latencies),
        )));
    }
    let ready = wait_for(&followers, 0, Duration::from_secs(120)).await;
    if ready < followers.len() {
        return Err(format!("only {ready} of {} streams opened", followers.len()).into());
    }
    println!(
        "{} followers' streams open, each with its first inbox event, in {:.1} s",
        followers.len(),
        started.elapsed().as_secs_f64()
    );
    sleep(Duration::from_secs(2)).await;
    println!(
        "server resident memory, all connected: {} MiB",
        rss_mib(args.server_pid)
    );

    let mut rounds = Vec::with_capacity(args.rounds);
    for round in 1..=args.rounds {
        latencies.lock().map_err(|_| "poisoned")?.clear();
        let text = format!("Benchmark update {round} of {}", args.rounds);
        // Connected before the clock starts: the time is Folio's, not the handshake's.
        let mut post = TcpStream::connect(&host).await?;
        let since = Instant::now();
        target_tx.send((text.clone(), since))?;
        let location = send_update(&mut post, &host, &args, &text).await?;
        let post_time = since.elapsed();
        let sent = location.rsplit("sent=").next().unwrap_or("?").to_string();
        // A stream notes its latency before its new count, so once every
        // count is right every notice is in.
        let unread_seen = wait_for(&followers, round as i64, Duration::from_secs(30)).await;
        let mut got = latencies.lock().map_err(|_| "poisoned")?.clone();
        got.sort();
        let (stored, unread_right) = check_rows(&db, args.story, round as i64).await?;
        rounds.push(Round {
            post: post_time,
            sent,
            latencies: got,
            unread_seen,
            stored,
            unread_right,
        });
    }
    println!(
        "server resident memory, after {} updates: {} MiB",
        args.rounds,
        rss_mib(args.server_pid)
    );
    print_table(&rounds, followers.len(), args.followers);
    for task in &tasks {
        task.abort();
    }
    let missed = rounds
        .iter()
        .any(|r| r.latencies.len() < followers.len() || r.stored != args.followers);
    let wrong = rounds.iter().any(|r| r.unread_right != args.followers);
    if missed || wrong {
        return Err("some followers were not notified: see the table".into());
    }
    Ok(())
}

/// Posts `text` as an update of the story, as the admin's form does, and
/// returns where Folio redirects (`…?sent=N`), once the answer's head is in.
async fn send_update(
    post: &mut TcpStream,
    host: &str,
    args: &Args,
    text: &str,
) -> Result<String, Box<dyn std::error::Error>> {
    let body = format!(
        "csrf_token={}&text={}",
        args.csrf_token,
        text.replace(' ', "+")
    );
    let request = format!(
        "POST /admin/stories/{}/updates HTTP/1.1\r\nHost: {host}\r\nCookie: {}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        args.story,
        args.admin_cookie,
        body.len()
    );
    post.write_all(request.as_bytes()).await?;
    let mut head = Vec::new();
    let mut chunk = [0u8; 4096];
    while find(&head, b"\r\n\r\n").is_none() {
        let read = post.read(&mut chunk).await?;
        if read == 0 {
            break;
        }
        head.extend_from_slice(&chunk[..read]);
    }
    let head = String::from_utf8_lossy(&head);
    let location = head.lines().find_map(|l| {
        l.strip_prefix("location: ")
            .or(l.strip_prefix("Location: "))
    });
    match (head.starts_with("HTTP/1.1 303"), location) {
        (true, Some(location)) => Ok(location.trim().to_string()),
        _ => Err(format!(
            "the update was refused: {}",
            head.lines().next().unwrap_or("")
        )
        .into()),
    }
}

/// Reads a follower's stream, noting its unread count; when the notice of
/// the current round arrives, records how long after its POST it came.
async fn read_stream(
    mut stream: TcpStream,
    follower: Arc<Follower>,
    target: watch::Receiver<Target>,
    latencies: Arc<Mutex<Vec<Duration>>>,
) {
    let mut body = ChunkedBody::default();
    let mut chunk = [0u8; 2048];
    while let Ok(read) = stream.read(&mut chunk).await {
        if read == 0 {
            eprintln!("a stream ended: {:?}", String::from_utf8_lossy(&body.text));
            return;
        }
        for line in body.push(&chunk[..read]) {
            let Some(data) = data_of(&line) else {
                continue;
            };
            let Some(unread) = data["unread"].as_i64() else {
                continue;
            };
            let (text, since) = &*target.borrow();
            if data["notice"]["text"].as_str() == Some(text) {
                if let Ok(mut all) = latencies.lock() {
                    all.push(since.elapsed());
                }
            }
            follower.unread.store(unread, Ordering::Release);
        }
    }
}

/// Waits until every follower's stream shows `unread` (or the time is up);
/// how many do.
async fn wait_for(followers: &[Arc<Follower>], unread: i64, within: Duration) -> usize {
    let showing = || {
        followers
            .iter()
            .filter(|f| f.unread.load(Ordering::Acquire) == unread)
            .count()
    };
    let all = async {
        while showing() < followers.len() {
            sleep(Duration::from_millis(20)).await;
        }
    };
    let _ = timeout(within, all).await;
    showing()
}

/// The notifications stored for the latest update of `story`, and how many
/// of its followers have exactly `unread` unread.
async fn check_rows(db: &SqlitePool, story: i64, unread: i64) -> Result<(i64, i64), sqlx::Error> {
    sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM notifications WHERE update_id =
                   (SELECT MAX(id) FROM story_updates WHERE story_id = ?1)),
                (SELECT COUNT(*) FROM follows AS f JOIN users AS u ON u.id = f.user_id
                 WHERE f.story_id = ?1 AND u.unread_count = ?2)",
    )
    .bind(story)
    .bind(unread)
    .fetch_one(db)
    .await
}

fn print_table(rounds: &[Round], connected: usize, followers: i64) {
    let ms = |d: Duration| format!("{:.0}", d.as_secs_f64() * 1000.0);
    println!(
        "\n{:>5} {:>8} {:>8} {:>13} {:>7} {:>7} {:>7} {:>7} {:>10} {:>11}",
        "round", "POST ms", "sent", "notices", "first", "p50", "p99", "max", "stored", "unread ok"
    );
    for (n, r) in rounds.iter().enumerate() {
        let got = &r.latencies;
        println!(
            "{:>5} {:>8} {:>8} {:>13} {:>7} {:>7} {:>7} {:>7} {:>10} {:>11}",
            n + 1,
            ms(r.post),
            r.sent,
            format!("{}/{connected}", got.len()),
            ms(got.first().copied().unwrap_or_default()),
            ms(percentile(got, 50.0)),
            ms(percentile(got, 99.0)),
            ms(got.last().copied().unwrap_or_default()),
            format!("{}/{followers}", r.stored),
            r.unread_right,
        );
        if r.unread_seen < connected {
            println!(
                "      only {} of {connected} streams showed the new unread count",
                r.unread_seen
            );
        }
    }
    println!("(times in ms from sending the POST; notices: streams that got the update's notice)");
}
