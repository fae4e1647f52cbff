//! What the live benchmarks' clients share: opening a stream over raw
//! HTTP/1.1 (so thousands of clients cost little), reading its events back
//! out of the response body, and reporting figures.

use std::time::Duration;

use rocket::tokio::io::AsyncWriteExt;
use rocket::tokio::net::TcpStream;

/// Opens a live stream: sends the GET and leaves the response to be read.
pub async fn connect(host: &str, path: &str, cookie: &str) -> std::io::Result<TcpStream> {
    let mut stream = TcpStream::connect(host).await?;
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept: text/event-stream\r\nCookie: {cookie}\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await?;
    Ok(stream)
}

/// An HTTP/1.1 response body, chunked or delimited by the connection's
/// end, turned back into the lines of the event stream it carries (a line
/// may span chunks).
#[derive(Default)]
pub struct ChunkedBody {
    raw: Vec<u8>,
    headers_done: bool,
    chunked: bool,
    chunk_left: usize,
    pub text: Vec<u8>,
}

impl ChunkedBody {
    pub fn push(&mut self, bytes: &[u8]) -> Vec<Vec<u8>> {
        self.raw.extend_from_slice(bytes);
        if !self.headers_done {
            let Some(end) = find(&self.raw, b"\r\n\r\n") else {
                return Vec::new();
            };
            let head = String::from_utf8_lossy(&self.raw[..end]).to_ascii_lowercase();
            self.chunked = head.contains("transfer-encoding: chunked");
            self.raw.drain(..end + 4);
            self.headers_done = true;
        }
        if !self.chunked {
            self.text.append(&mut self.raw);
        }
        while self.chunked {
            if self.chunk_left > 0 {
                let take = self.chunk_left.min(self.raw.len());
                self.text.extend(self.raw.drain(..take));
                self.chunk_left -= take;
                if self.chunk_left > 0 {
                    break;
                }
                continue;
            }
            // A chunk's size line, preceded by the CRLF ending the previous chunk.
            while self.raw.starts_with(b"\r\n") {
                self.raw.drain(..2);
            }
            let Some(end) = find(&self.raw, b"\r\n") else {
                break;
            };
            let size = std::str::from_utf8(&self.raw[..end])
                .ok()
                .and_then(|s| usize::from_str_radix(s.trim(), 16).ok());
            self.raw.drain(..end + 2);
            match size {
                Some(0) | None => break,
                Some(size) => self.chunk_left = size,
            }
        }
        let mut lines = Vec::new();
        while let Some(end) = find(&self.text, b"\n") {
            lines.push(self.text.drain(..=end).collect());
        }
        lines
    }
}

/// The JSON of an event's `data:` line.
pub fn data_of(line: &[u8]) -> Option<serde_json::Value> {
    let line = std::str::from_utf8(line).ok()?;
    let data = line.strip_prefix("data:")?;
    serde_json::from_str(data.trim()).ok()
}

pub fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

/// A process's resident memory, in MiB (0 if it cannot be read).
pub fn rss_mib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .map_or(0, |kb| kb / 1024)
}
