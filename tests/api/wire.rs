//! Requests written on the wire, one per connection, to servers running
//! on a port: the status and the whole response, headers included.

use rocket::tokio::io::{AsyncReadExt, AsyncWriteExt};
use rocket::tokio::net::TcpStream;

/// A request over a fresh connection: its status and whole response.
pub async fn request(
    port: u16,
    method: &str,
    path: &str,
    cookie: &str,
    body: &str,
) -> (u16, String) {
    let form = if body.is_empty() {
        String::new()
    } else {
        format!(
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
            body.len()
        )
    };
    let headers = format!("Cookie: {cookie}\r\n{form}");
    request_with(port, method, path, &headers, body).await
}

/// The same with `headers` (each line ending in CRLF) as they are.
pub async fn request_with(
    port: u16,
    method: &str,
    path: &str,
    headers: &str,
    body: &str,
) -> (u16, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port))
        .await
        .expect("a connection");
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\n{headers}Connection: close\r\n\r\n{body}"
    );
    stream
        .write_all(head.as_bytes())
        .await
        .expect("the request is sent");
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.expect("a response");
    let response = String::from_utf8_lossy(&response).to_string();
    let status = response
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, response)
}
