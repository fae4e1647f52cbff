//! The site's public origin (`https://stories.example.com`), which absolute
//! links need: feeds, the sitemap, `robots.txt` and sharing tags.

use std::net::IpAddr;

use rocket::http::uri::Host;
use rocket::outcome::Outcome;
use rocket::request::{self, FromRequest, Request};

use crate::config::Settings;

/// The origin readers reach Folio at, without a trailing slash: the
/// `public_url` setting, else this request's `Host` when it is a plain host
/// name or address, else the address Folio listens on. Over HTTPS
/// (`secure_cookies` on) the scheme is `https`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicOrigin(pub String);

impl PublicOrigin {
    /// The absolute URL of `path` (which starts with `/`).
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.0)
    }

    fn of(req: &Request<'_>) -> PublicOrigin {
        let settings = req.rocket().state::<Settings>();
        if let Some(url) = settings.and_then(|s| s.public_url.clone()) {
            return PublicOrigin(url);
        }
        let https = settings.is_some_and(|s| s.secure_cookies);
        let scheme = if https { "https" } else { "http" };
        let host = requested_host(req).filter(|(name, _)| plain_host(name));
        let authority = match host {
            Some((name, Some(port))) => format!("{name}:{port}"),
            Some((name, None)) => name,
            None => listening_address(req),
        };
        PublicOrigin(format!("{scheme}://{authority}"))
    }
}

/// The host name (lowercase) and port this request was sent to: as the
/// server read it, else from its `Host` header.
fn requested_host(req: &Request<'_>) -> Option<(String, Option<u16>)> {
    let parsed;
    let host = match req.host() {
        Some(host) => host,
        None => {
            parsed = Host::parse(req.headers().get_one("Host")?).ok()?;
            &parsed
        }
    };
    Some((host.domain().as_str().to_ascii_lowercase(), host.port()))
}

/// Whether `name` is a DNS name or an IP address, and nothing a client
/// could slip into a link (no user names, paths or odd characters).
fn plain_host(name: &str) -> bool {
    if let Some(inner) = name.strip_prefix('[').and_then(|n| n.strip_suffix(']')) {
        return inner.parse::<std::net::Ipv6Addr>().is_ok();
    }
    !name.is_empty()
        && name.len() <= 253
        && name.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

/// The configured address and port, as a host a browser could reach
/// (`localhost` for "every address").
fn listening_address(req: &Request<'_>) -> String {
    let config = req.rocket().config();
    let port = config.port;
    match config.address {
        address if address.is_unspecified() => format!("localhost:{port}"),
        IpAddr::V6(address) => format!("[{address}]:{port}"),
        IpAddr::V4(address) => format!("{address}:{port}"),
    }
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for PublicOrigin {
    type Error = std::convert::Infallible;

    async fn from_request(req: &'r Request<'_>) -> request::Outcome<Self, Self::Error> {
        Outcome::Success(PublicOrigin::of(req))
    }
}

#[cfg(test)]
mod tests {
    use super::plain_host;

    #[test]
    fn only_plain_host_names_and_addresses_pass() {
        for good in [
            "example.com",
            "localhost",
            "127.0.0.1",
            "[::1]",
            "a-b.example",
        ] {
            assert!(plain_host(good), "{good}");
        }
        for bad in [
            "",
            "-a.com",
            "a..b",
            "evil.com/x",
            "a b",
            "[not-ip]",
            "x%2f.com",
            "a@b",
        ] {
            assert!(!plain_host(bad), "{bad}");
        }
    }
}
