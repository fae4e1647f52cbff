//! Holds many idle live streams open against one server and reports the
//! server's resident memory per stream: VmRSS before connecting, then with
//! every stream open (its head and first event read) once the figure has
//! stopped moving. Raw HTTP/1.1 over tokio, so each stream costs the
//! client little; the same client for every server compared.
//!
//! sse-client --addr 127.0.0.1:8100 --path /live/stories/1 --streams 10000
//!     --server-pid 1234 [--cookies FILE]
//!
//! With --cookies, stream i sends line i of FILE as its Cookie header (as
//! Folio's logged-in readers must). The last line of output is
//! `RESULT idle_kib=… connected_kib=… per_stream_kib=… connect_s=…`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::{Notify, Semaphore};
use tokio::time::{sleep, timeout};

/// Streams being opened at once: enough to connect 10,000 in seconds
/// without overflowing the server's accept backlog.
const OPENING_AT_ONCE: usize = 256;
/// The longest a stream may take to show its head and first event.
const OPEN_TIMEOUT: Duration = Duration::from_secs(60);
/// Settled: this many readings a second apart that moved by at most
/// SETTLE_KIB in all.
const SETTLE_READINGS: usize = 5;
const SETTLE_KIB: u64 = 256;
/// Gives up waiting for a still figure after this long and takes the last.
const SETTLE_MAX: Duration = Duration::from_secs(60);

struct Args {
    addr: String,
    path: String,
    streams: usize,
    server_pid: u32,
    cookies: Option<String>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        addr: String::new(),
        path: "/live/stories/1".into(),
        streams: 10_000,
        server_pid: 0,
        cookies: None,
    };
    let mut given = std::env::args().skip(1);
    while let Some(arg) = given.next() {
        let value = given.next().ok_or(format!("{arg} needs a value"))?;
        match arg.as_str() {
            "--addr" => args.addr = value,
            "--path" => args.path = value,
            "--streams" => args.streams = value.parse().map_err(|e| format!("--streams: {e}"))?,
            "--server-pid" => {
                args.server_pid = value.parse().map_err(|e| format!("--server-pid: {e}"))?
            }
            "--cookies" => args.cookies = Some(value),
            _ => return Err(format!("unknown argument {arg}")),
        }
    }
    if args.addr.is_empty() || args.server_pid == 0 {
        return Err("--addr and --server-pid are required".into());
    }
    Ok(args)
}

/// A process's resident memory in KiB, as /proc reports it.
fn rss_kib(pid: u32) -> Result<u64, String> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .map_err(|e| format!("cannot read the server's memory (pid {pid}): {e}"))?;
    status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse().ok())
        .ok_or_else(|| "no VmRSS in the server's status".into())
}

/// What the streams have done so far.
#[derive(Default)]
struct Tally {
    open: AtomicUsize,
    failed: AtomicUsize,
    ended: AtomicUsize,
    changed: Notify,
}

/// Opens one stream, reads its head and first event, then holds it,
/// reading whatever comes (heartbeats, new figures) until the server
/// closes it or the process ends.
async fn hold(addr: Arc<str>, request: String, gate: Arc<Semaphore>, tally: Arc<Tally>) {
    let permit = gate.acquire_owned().await;
    let opened = timeout(OPEN_TIMEOUT, open(&addr, &request)).await;
    drop(permit);
    let mut stream = match opened {
        Ok(Ok(stream)) => stream,
        Ok(Err(e)) => {
            if tally.failed.fetch_add(1, Ordering::Relaxed) == 0 {
                eprintln!("a stream failed to open: {e}");
            }
            tally.changed.notify_one();
            return;
        }
        Err(_) => {
            if tally.failed.fetch_add(1, Ordering::Relaxed) == 0 {
                eprintln!("a stream took over {OPEN_TIMEOUT:?} to open");
            }
            tally.changed.notify_one();
            return;
        }
    };
    tally.open.fetch_add(1, Ordering::Relaxed);
    tally.changed.notify_one();
    let mut sink = [0u8; 256];
    while let Ok(read) = stream.read(&mut sink).await {
        if read == 0 {
            break;
        }
    }
    tally.ended.fetch_add(1, Ordering::Relaxed);
}

async fn open(addr: &str, request: &str) -> Result<TcpStream, String> {
    let mut stream = TcpStream::connect(addr).await.map_err(|e| e.to_string())?;
    stream
        .write_all(request.as_bytes())
        .await
        .map_err(|e| e.to_string())?;
    // The head ends at the first empty line; the first event at the first
    // blank line after it (chunk framing uses CRLF, events LF, so neither
    // is mistaken for the other).
    let mut seen = Vec::with_capacity(512);
    let mut chunk = [0u8; 512];
    loop {
        let read = stream.read(&mut chunk).await.map_err(|e| e.to_string())?;
        if read == 0 {
            return Err(format!(
                "closed before the first event: {:?}",
                String::from_utf8_lossy(&seen)
            ));
        }
        seen.extend_from_slice(&chunk[..read]);
        let Some(head_end) = find(&seen, b"\r\n\r\n") else {
            continue;
        };
        if !seen.starts_with(b"HTTP/1.1 200") {
            let head = String::from_utf8_lossy(&seen[..head_end]);
            return Err(format!("answered {head:?}"));
        }
        let body = &seen[head_end + 4..];
        if let Some(end) = find(body, b"\n\n") {
            if find(&body[..end], b"data:").is_some() {
                return Ok(stream);
            }
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The server's resident memory once it has stopped moving, and the
/// seconds that took.
async fn settled_rss(pid: u32) -> Result<(u64, u64), String> {
    let mut readings = vec![rss_kib(pid)?];
    let started = Instant::now();
    loop {
        sleep(Duration::from_secs(1)).await;
        readings.push(rss_kib(pid)?);
        let last = &readings[readings.len().saturating_sub(SETTLE_READINGS)..];
        let spread = last.iter().max().unwrap_or(&0) - last.iter().min().unwrap_or(&0);
        if last.len() == SETTLE_READINGS && spread <= SETTLE_KIB {
            break;
        }
        if started.elapsed() > SETTLE_MAX {
            eprintln!("memory still moving after {SETTLE_MAX:?}: {readings:?} KiB");
            break;
        }
    }
    let last = *readings.last().unwrap_or(&0);
    Ok((last, readings.len() as u64 - 1))
}

async fn run(args: Args) -> Result<(), String> {
    let cookies: Vec<String> = match &args.cookies {
        Some(path) => std::fs::read_to_string(path)
            .map_err(|e| format!("{path}: {e}"))?
            .lines()
            .map(String::from)
            .collect(),
        None => Vec::new(),
    };
    if args.cookies.is_some() && cookies.len() < args.streams {
        return Err(format!(
            "{} cookies for {} streams",
            cookies.len(),
            args.streams
        ));
    }
    let (idle, _) = settled_rss(args.server_pid).await?;
    println!("server resident memory, idle: {idle} KiB");

    let addr: Arc<str> = args.addr.as_str().into();
    let gate = Arc::new(Semaphore::new(OPENING_AT_ONCE));
    let tally = Arc::new(Tally::default());
    let started = Instant::now();
    for i in 0..args.streams {
        let cookie = cookies
            .get(i)
            .map(|c| format!("Cookie: {c}\r\n"))
            .unwrap_or_default();
        let request = format!(
            "GET {} HTTP/1.1\r\nHost: {}\r\nAccept: text/event-stream\r\n{cookie}\r\n",
            args.path, args.addr
        );
        tokio::spawn(hold(
            Arc::clone(&addr),
            request,
            Arc::clone(&gate),
            Arc::clone(&tally),
        ));
    }
    loop {
        let waiting = tally.changed.notified();
        let open = tally.open.load(Ordering::Relaxed);
        let failed = tally.failed.load(Ordering::Relaxed);
        if failed > 0 {
            return Err(format!("{failed} streams failed to open ({open} open)"));
        }
        if open == args.streams {
            break;
        }
        let _ = timeout(Duration::from_secs(1), waiting).await;
    }
    let connect_s = started.elapsed().as_secs_f64();
    println!("{} streams open in {connect_s:.1} s", args.streams);

    // The server may still be sending the new viewer count to every
    // stream, and freeing what opening them took.
    let (connected, waited) = settled_rss(args.server_pid).await?;
    let ended = tally.ended.load(Ordering::Relaxed);
    if ended > 0 {
        return Err(format!(
            "{ended} streams were closed by the server while held"
        ));
    }
    println!(
        "server resident memory, {} streams open: {connected} KiB (still after {waited} s)",
        args.streams
    );
    let per_stream = (connected as f64 - idle as f64) / args.streams as f64;
    println!("per stream: {per_stream:.2} KiB");
    println!(
        "RESULT idle_kib={idle} connected_kib={connected} per_stream_kib={per_stream:.2} connect_s={connect_s:.1}"
    );
    Ok(())
}

fn main() -> Result<(), String> {
    let args = parse_args()?;
    // Leave the two cores to the server as far as possible while holding.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(run(args))
}
