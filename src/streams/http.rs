//! Just enough HTTP/1.1 for the live listener: read a request head, answer
//! with a stream or a short error. Bodies are never read; a stream's body is
//! delimited by closing the connection.

use std::time::Duration;

use rocket::tokio::io::{AsyncRead, AsyncReadExt};
use rocket::tokio::time::timeout;

/// Largest request head accepted.
const MAX_HEAD: usize = 8 * 1024;
/// How long a client may take to send its request head.
const HEAD_TIMEOUT: Duration = Duration::from_secs(10);

/// What the listener needs of a request.
pub struct RequestHead {
    pub method: String,
    pub path: String,
    pub cookies: Vec<String>,
    /// Every header, by lower-case name (a client address header among them).
    pub headers: Vec<(String, String)>,
}

impl RequestHead {
    /// The first value of header `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        (self.headers.iter())
            .find(|(n, _)| *n == name)
            .map(|(_, value)| value.as_str())
    }
}

/// Why a request head was not read.
pub enum HeadError {
    /// The client went away, or was too slow: nothing to answer.
    Gone,
    /// Not a request the listener can read: answer 400 (or 431).
    Bad(u16, &'static str),
}

/// Reads and parses one request head.
pub async fn read_head(stream: &mut (impl AsyncRead + Unpin)) -> Result<RequestHead, HeadError> {
    let mut buffer = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    loop {
        // Never more than a head may hold, however the bytes arrive.
        let room = chunk.len().min(MAX_HEAD - buffer.len());
        let read = timeout(HEAD_TIMEOUT, stream.read(&mut chunk[..room]))
            .await
            .map_err(|_| HeadError::Gone)?
            .map_err(|_| HeadError::Gone)?;
        if read == 0 {
            return Err(HeadError::Gone);
        }
        buffer.extend_from_slice(&chunk[..read]);
        let mut headers = [httparse::EMPTY_HEADER; 64];
        let mut request = httparse::Request::new(&mut headers);
        match request.parse(&buffer) {
            Ok(httparse::Status::Complete(_)) => return Ok(head_of(&request)),
            Ok(httparse::Status::Partial) if buffer.len() < MAX_HEAD => continue,
            Ok(httparse::Status::Partial) => {
                return Err(HeadError::Bad(431, "request head too large"))
            }
            Err(httparse::Error::TooManyHeaders) => {
                return Err(HeadError::Bad(431, "too many headers"))
            }
            Err(_) => return Err(HeadError::Bad(400, "malformed request")),
        }
    }
}

fn head_of(request: &httparse::Request<'_, '_>) -> RequestHead {
    let target = request.path.unwrap_or("/");
    let path = target.split(['?', '#']).next().unwrap_or("/").to_string();
    let cookies = request
        .headers
        .iter()
        .filter(|h| h.name.eq_ignore_ascii_case("cookie"))
        .filter_map(|h| std::str::from_utf8(h.value).ok().map(String::from))
        .collect();
    let headers = (request.headers.iter())
        .filter_map(|h| {
            let value = std::str::from_utf8(h.value).ok()?;
            Some((h.name.to_ascii_lowercase(), value.to_string()))
        })
        .collect();
    RequestHead {
        method: request.method.unwrap_or("").to_string(),
        path,
        cookies,
        headers,
    }
}

/// The head of a stream's response.
pub const STREAM_HEAD: &[u8] = b"HTTP/1.1 200 OK\r\n\
    Content-Type: text/event-stream\r\n\
    Cache-Control: no-store\r\n\
    X-Accel-Buffering: no\r\n\
    Connection: close\r\n\r\n";

/// A complete error response with a JSON body, as Folio's API answers;
/// with `Retry-After` when the client should try again later.
pub fn error_response(status: u16, message: &str, retry_after: Option<u64>) -> Vec<u8> {
    let reason = match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        405 => "Method Not Allowed",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "Internal Server Error",
    };
    let retry = retry_after
        .map(|seconds| format!("Retry-After: {seconds}\r\n"))
        .unwrap_or_default();
    let body = serde_json::json!({ "error": message }).to_string();
    format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n{retry}Connection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}
