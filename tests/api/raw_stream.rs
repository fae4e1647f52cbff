//! A live stream read over a plain TCP connection, and logins made without
//! a browser: for the dedicated live listener, which speaks HTTP/1.1 itself.

use std::time::Duration;

use rocket::tokio::io::{AsyncReadExt, AsyncWriteExt};
use rocket::tokio::net::TcpStream;
use rocket::tokio::time::{timeout_at, Instant};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::browser::Server;

/// The secret key of test servers whose cookies tests make themselves.
pub const SECRET_KEY: &str = "kR8m2xVt3bQ7yL1pN6sD9fG4hJ0aZcWeUoIiPuYtReM=";

/// A response read from a raw connection.
pub struct RawStream {
    stream: TcpStream,
    pub status: u16,
    pub head: String,
    buffer: String,
}

impl RawStream {
    /// Sends `request_line` (and a cookie, if any) and reads the response head.
    pub async fn open(port: u16, request_line: &str, cookie: Option<&str>) -> RawStream {
        let mut stream = TcpStream::connect(("127.0.0.1", port))
            .await
            .expect("a connection");
        let cookie = cookie
            .map(|c| format!("Cookie: {c}\r\n"))
            .unwrap_or_default();
        let request = format!("{request_line}\r\nHost: localhost\r\n{cookie}\r\n");
        stream
            .write_all(request.as_bytes())
            .await
            .expect("the request is sent");
        let mut raw = RawStream {
            stream,
            status: 0,
            head: String::new(),
            buffer: String::new(),
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        while !raw.buffer.contains("\r\n\r\n") {
            assert!(
                raw.read_more(deadline).await,
                "no response head: {:?}",
                raw.buffer
            );
        }
        let end = raw.buffer.find("\r\n\r\n").unwrap_or(0);
        raw.head = raw.buffer.drain(..end + 4).collect();
        raw.status = raw
            .head
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        raw
    }

    /// The data of the next event, or `None` if the stream ends first.
    pub async fn next_data(&mut self) -> Option<Value> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let data = block.lines().find_map(|l| l.strip_prefix("data:"));
                if let Some(data) = data {
                    return serde_json::from_str(data).ok();
                }
                continue;
            }
            if !self.read_more(deadline).await {
                return None;
            }
        }
    }

    /// The rest of a short response, until the server closes.
    pub async fn body(mut self) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        while self.read_more(deadline).await {}
        self.buffer
    }

    /// Whether the server closes the stream within ten seconds (events
    /// before the end are skipped).
    pub async fn ended(mut self) -> bool {
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut chunk = [0u8; 2048];
        loop {
            match timeout_at(deadline, self.stream.read(&mut chunk)).await {
                Ok(Ok(0)) | Ok(Err(_)) => return true,
                Ok(Ok(_)) => continue,
                Err(_) => return false,
            }
        }
    }

    async fn read_more(&mut self, deadline: Instant) -> bool {
        let mut chunk = [0u8; 2048];
        match timeout_at(deadline, self.stream.read(&mut chunk)).await {
            Ok(Ok(n)) if n > 0 => {
                self.buffer.push_str(&String::from_utf8_lossy(&chunk[..n]));
                true
            }
            _ => false,
        }
    }
}

impl Server {
    /// A reader with a session, and the `Cookie` header that carries it,
    /// encrypted with `SECRET_KEY` as Folio's own login would.
    pub async fn login_cookie(&self, username: &str) -> String {
        let user: i64 = sqlx::query_scalar(
            "INSERT INTO users (username, password_hash, created_at) VALUES ($1, 'x', 1) RETURNING id",
        )
        .bind(username)
        .fetch_all(&self.db)
        .await
        .expect("a user")[0];
        let token = format!("{username}-token-of-sixty-four-characters-or-so-for-this-test");
        let session: i64 = sqlx::query_scalar("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, 1, 4102444800) RETURNING id")
            .bind(&Sha256::digest(token.as_bytes())[..])
            .bind(user)
            .fetch_all(&self.db)
            .await
            .expect("a session")[0];
        let mint = crate::cookies::CookieMint::new(SECRET_KEY).await;
        mint.reader(&token, session, 4_102_444_800).await
    }
}
