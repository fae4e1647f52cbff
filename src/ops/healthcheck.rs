//! `folio healthcheck`: asks the running Folio whether it is ready, so that
//! a container needs no HTTP client of its own. Exit status 0 means ready.

use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpStream};
use std::time::Duration;

use rocket::figment::Figment;

use crate::error::{Error, Result};

/// How long connecting may take: on the same machine it is instant.
const CONNECT: Duration = Duration::from_secs(1);
/// How long the answer may take: the server gives the database 2 s.
/// Together they stay under the image's 5 s HEALTHCHECK timeout.
const ANSWER: Duration = Duration::from_secs(3);

/// The address to reach the server configured in `figment` on: its own,
/// or the loopback one when it listens on every address.
pub fn target(figment: &Figment) -> Result<SocketAddr> {
    let address: IpAddr = figment
        .extract_inner("address")
        .map_err(|e| Error::Config(format!("bad setting address: {e}")))?;
    let port: u16 = figment
        .extract_inner("port")
        .map_err(|e| Error::Config(format!("bad setting port: {e}")))?;
    let address = match address {
        IpAddr::V4(a) if a.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(a) if a.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        other => other,
    };
    Ok(SocketAddr::new(address, port))
}

/// Requests `/health/ready`; `Ok` with its body when it answers 200.
pub fn check(figment: &Figment) -> Result<String> {
    let target = target(figment)?;
    let url = format!("http://{target}/health/ready");
    let mut stream = TcpStream::connect_timeout(&target, CONNECT)
        .map_err(|e| Error::internal_from(format!("not ready: nothing answers on {target}"), e))?;
    let timeouts = stream
        .set_read_timeout(Some(ANSWER))
        .and_then(|()| stream.set_write_timeout(Some(ANSWER)));
    timeouts.map_err(|e| Error::internal_from("not ready", e))?;
    let request = format!(
        "GET /health/ready HTTP/1.1\r\nHost: {target}\r\nUser-Agent: folio-healthcheck\r\n\
         Connection: close\r\n\r\n"
    );
    let mut response = Vec::new();
    stream
        .write_all(request.as_bytes())
        .and_then(|()| stream.take(64 * 1024).read_to_end(&mut response))
        .map_err(|e| Error::internal_from(format!("not ready: {url} did not answer"), e))?;
    let text = String::from_utf8_lossy(&response);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head.split_whitespace().nth(1).unwrap_or("none");
    if status == "200" {
        Ok(format!("ready: {}", body.trim()))
    } else {
        Err(Error::internal(format!(
            "not ready: {url} answered {status} {}",
            body.trim()
        )))
    }
}
