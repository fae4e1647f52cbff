//! Holds many live viewers of one story and measures what issue the live
//! figures promise: the server's memory with all of them connected, how
//! fast a change in the count reaches every one of them, and the memory left
//! after they go. Each viewer is a logged-in session with its own stream.
//!
//! cargo run --release --example bench_viewers -- --base http://127.0.0.1:8000 \
//!     --cookies cookies.txt --viewers 10000 --server-pid 1234
//!
//! More viewers than one process may hold open files for: run a second
//! process with `--follow`, both given `--peers DIR` and the other's
//! viewers as `--others`. The first makes the arrivals and reports the
//! delays seen by both.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Parser;
use rocket::tokio::io::AsyncReadExt;
use rocket::tokio::net::TcpStream;
use rocket::tokio::sync::{watch, OwnedSemaphorePermit, Semaphore};
use rocket::tokio::time::{sleep, timeout};

#[path = "support/live_client.rs"]
mod live_client;
#[path = "support/peers.rs"]
mod peers;
use live_client::{connect, data_of, percentile, rss_mib, ChunkedBody};
use peers::{wall_ns, Peers};

#[derive(Parser)]
struct Args {
    /// Folio's address, as http://host:port; given more than once (several
    /// nodes), viewers are spread over them in turn, and the arriving
    /// viewer connects to the first.
    #[arg(long, required = true)]
    base: Vec<String>,
    #[arg(long, default_value_t = 1)]
    story: i64,
    /// One Cookie header per line; needs viewers + 1 lines.
    #[arg(long)]
    cookies: String,
    #[arg(long, default_value_t = 10_000)]
    viewers: usize,
    /// Rounds of one viewer arriving (and leaving) while all watch.
    #[arg(long, default_value_t = 5)]
    rounds: usize,
    /// The servers' process ids, to read their resident memory (summed).
    #[arg(long)]
    server_pid: Vec<u32>,
    /// Cookie lines to pass over first (those of another client process).
    #[arg(long, default_value_t = 0)]
    skip: usize,
    /// Viewers of the same story held by other client processes.
    #[arg(long, default_value_t = 0)]
    others: usize,
    /// The directory this process shares with the other client process.
    #[arg(long)]
    peers: Option<std::path::PathBuf>,
    /// Only hold viewers and report to the process that makes the arrivals.
    #[arg(long, requires = "peers")]
    follow: bool,
}

/// What each viewer has seen: the last viewer count, and when it first saw
/// the count it is waiting for.
struct Viewer {
    seen: AtomicUsize,
}

#[rocket::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let hosts: Vec<String> = args
        .base
        .iter()
        .map(|base| base.trim_start_matches("http://").to_string())
        .collect();
    let rss = |pids: &[u32]| pids.iter().map(|pid| rss_mib(*pid)).sum::<u64>();
    let cookies: Vec<String> = std::fs::read_to_string(&args.cookies)?
        .lines()
        .skip(args.skip)
        .map(String::from)
        .collect();
    if cookies.len() <= args.viewers {
        return Err(format!(
            "{} cookies for {} viewers and one more",
            cookies.len(),
            args.viewers
        )
        .into());
    }
    let peers = args.peers.as_deref().map(Peers::new);
    let path = format!("/live/stories/{}", args.story);
    let everyone = args.viewers + args.others;
    if !args.follow {
        println!(
            "server resident memory, idle: {} MiB",
            rss(&args.server_pid)
        );
    }

    // Connect every viewer, a few hundred at a time: each holds its place
    // until its stream shows its first figures.
    let (target_tx, target_rx) = watch::channel((usize::MAX, Instant::now()));
    let latencies = Arc::new(std::sync::Mutex::new(Vec::new()));
    let gate = Arc::new(Semaphore::new(256));
    let started = Instant::now();
    let mut viewers = Vec::with_capacity(args.viewers);
    let mut tasks = Vec::with_capacity(args.viewers);
    for (i, cookie) in cookies.iter().take(args.viewers).enumerate() {
        let viewer = Arc::new(Viewer {
            seen: AtomicUsize::new(0),
        });
        viewers.push(Arc::clone(&viewer));
        let permit = Arc::clone(&gate).acquire_owned().await?;
        let stream = connect(&hosts[i % hosts.len()], &path, cookie).await?;
        tasks.push(rocket::tokio::spawn(watch_stream(
            stream,
            viewer,
            target_rx.clone(),
            Arc::clone(&latencies),
            permit,
        )));
    }
    wait_until(&viewers, everyone, Duration::from_secs(120)).await?;
    if let (true, Some(peers)) = (args.follow, &peers) {
        return follow(
            peers,
            args.rounds,
            &viewers,
            everyone,
            &target_tx,
            &latencies,
        )
        .await;
    }
    println!(
        "{everyone} viewers connected and shown {everyone} in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    sleep(Duration::from_secs(2)).await;
    let connected_rss = rss(&args.server_pid);
    println!("server resident memory, all connected: {connected_rss} MiB");

    // Rounds: one more viewer arrives; every viewer must see the new count.
    let extra_cookie = &cookies[args.viewers];
    for round in 1..=args.rounds {
        if let Some(peers) = &peers {
            peers.wait(&format!("ready-{round}"), PEER_PATIENCE).await?;
        }
        latencies.lock().map_err(|_| "poisoned")?.clear();
        let wanted = everyone + 1;
        let arrived = wall_ns();
        target_tx.send((wanted, Instant::now()))?;
        if let Some(peers) = &peers {
            peers.signal(&format!("start-{round}"), &arrived.to_string())?;
        }
        let extra = connect(&hosts[0], &path, extra_cookie).await?;
        wait_until(&viewers, wanted, Duration::from_secs(30)).await?;
        let mut all = latencies.lock().map_err(|_| "poisoned")?.clone();
        if let Some(peers) = &peers {
            let theirs = peers.wait(&format!("done-{round}"), PEER_PATIENCE).await?;
            all.extend(
                theirs
                    .lines()
                    .filter_map(|l| l.parse().ok())
                    .map(Duration::from_micros),
            );
        }
        all.sort();
        println!(
            "round {round}: a new viewer reached {} pages: p50 {:?}, p99 {:?}, max {:?}",
            all.len(),
            percentile(&all, 50.0),
            percentile(&all, 99.0),
            all.last().copied().unwrap_or_default()
        );
        target_tx.send((usize::MAX, Instant::now()))?;
        drop(extra);
        wait_until(&viewers, everyone, Duration::from_secs(30)).await?;
    }

    // Everyone leaves.
    if let Some(peers) = &peers {
        peers.signal("end", "")?;
    }
    for task in &tasks {
        task.abort();
    }
    drop(tasks);
    sleep(Duration::from_secs(10)).await;
    let after_rss = rss(&args.server_pid);
    println!("server resident memory, 10 s after all left: {after_rss} MiB");
    Ok(())
}

/// How long one client process waits for the other's next step.
const PEER_PATIENCE: Duration = Duration::from_secs(180);

/// The other side of the rounds: for each arrival the first process
/// makes, tells it how long after the arrival each of this process's
/// viewers showed the new count.
async fn follow(
    peers: &Peers,
    rounds: usize,
    viewers: &[Arc<Viewer>],
    everyone: usize,
    target: &watch::Sender<(usize, Instant)>,
    latencies: &std::sync::Mutex<Vec<Duration>>,
) -> Result<(), Box<dyn std::error::Error>> {
    for round in 1..=rounds {
        latencies.lock().map_err(|_| "poisoned")?.clear();
        // Delays are measured from here, on this process's clock, and
        // moved onto the wall clock the arrival was stamped with.
        let (set_at, set_wall) = (Instant::now(), wall_ns());
        target.send((everyone + 1, set_at))?;
        peers.signal(&format!("ready-{round}"), "")?;
        let arrived: u128 = peers
            .wait(&format!("start-{round}"), PEER_PATIENCE)
            .await?
            .trim()
            .parse()?;
        wait_until(viewers, everyone + 1, Duration::from_secs(30)).await?;
        let report: String = latencies
            .lock()
            .map_err(|_| "poisoned")?
            .iter()
            .map(|d| {
                let seen = set_wall + d.as_nanos();
                format!("{}\n", seen.saturating_sub(arrived) / 1_000)
            })
            .collect();
        peers.signal(&format!("done-{round}"), &report)?;
        target.send((usize::MAX, Instant::now()))?;
        wait_until(viewers, everyone, Duration::from_secs(30)).await?;
    }
    peers.wait("end", PEER_PATIENCE).await?;
    Ok(())
}

/// Reads a stream's events, noting the viewer count of each; when the count
/// reaches the target, records how long after the target was set it came.
async fn watch_stream(
    mut stream: TcpStream,
    viewer: Arc<Viewer>,
    target: watch::Receiver<(usize, Instant)>,
    latencies: Arc<std::sync::Mutex<Vec<Duration>>>,
    permit: OwnedSemaphorePermit,
) {
    let mut permit = Some(permit);
    let mut body = ChunkedBody::default();
    let mut chunk = [0u8; 2048];
    while let Ok(read) = stream.read(&mut chunk).await {
        if read == 0 {
            if viewer.seen.load(Ordering::Acquire) == 0 {
                eprintln!(
                    "a stream ended before any figures: {:?}",
                    String::from_utf8_lossy(&body.text)
                );
            }
            return;
        }
        for line in body.push(&chunk[..read]) {
            let Some(viewers) = data_of(&line).and_then(|v| v["viewers"].as_u64()) else {
                continue;
            };
            let viewers = viewers as usize;
            viewer.seen.store(viewers, Ordering::Release);
            drop(permit.take());
            let (wanted, since) = *target.borrow();
            if viewers == wanted {
                if let Ok(mut all) = latencies.lock() {
                    all.push(since.elapsed());
                }
            }
        }
    }
}

async fn wait_until(viewers: &[Arc<Viewer>], count: usize, within: Duration) -> Result<(), String> {
    let all = async {
        while viewers
            .iter()
            .any(|v| v.seen.load(Ordering::Acquire) != count)
        {
            sleep(Duration::from_millis(20)).await;
        }
    };
    timeout(within, all).await.map_err(|_| {
        let behind: Vec<usize> = viewers
            .iter()
            .map(|v| v.seen.load(Ordering::Acquire))
            .filter(|&seen| seen != count)
            .collect();
        format!(
            "{} viewers never showed {count}; they show {:?}",
            behind.len(),
            &behind[..behind.len().min(20)]
        )
    })
}
