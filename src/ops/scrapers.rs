//! Who may read `/metrics`. The metrics tell how many logins fail, when
//! admins work and how busy Folio is, so they are not for everyone: with
//! `metrics_token` set, only scrapers that bring it; without, only this
//! machine (a Prometheus beside Folio); with `metrics_public`, anyone.

use std::net::IpAddr;

use rocket::http::Header;
use rocket::request::{FromRequest, Outcome};
use rocket::serde::json::{json, Json, Value};
use rocket::Request;
use sha2::{Digest, Sha256};

use crate::config::Settings;
use crate::util::same_secret;

/// Headers a reverse proxy adds to say whom it passes a request on for: a
/// request that carries one came from elsewhere, whatever its socket says.
const PROXY_HEADERS: [&str; 6] = [
    "Forwarded",
    "X-Forwarded-For",
    "X-Forwarded-Host",
    "X-Forwarded-Proto",
    "X-Real-IP",
    "Via",
];

/// The scrape's standing, decided from the settings and the request.
pub struct Scraper(Access);

enum Access {
    Granted,
    /// `metrics_token` is set and the request did not bring it.
    NeedsToken,
    /// No token is set and the request is not from this machine.
    NotLocal,
}

impl Scraper {
    /// `Ok` when the metrics may be shown, else the refusal to answer.
    pub fn admitted(&self) -> Result<(), Refusal> {
        match self.0 {
            Access::Granted => Ok(()),
            Access::NeedsToken => Err(Refusal::Token(
                Json(json!({
                    "error": "The metrics need the header Authorization: Bearer <metrics_token>, \
                              with the token set in metrics_token (ROCKET_METRICS_TOKEN)."
                })),
                Header::new("WWW-Authenticate", "Bearer"),
            )),
            Access::NotLocal => Err(Refusal::NotLocal(Json(json!({
                "error": "The metrics answer only requests from this machine. To scrape them \
                          from elsewhere, set metrics_token (ROCKET_METRICS_TOKEN) and send \
                          Authorization: Bearer <token>, or set metrics_public = true \
                          (ROCKET_METRICS_PUBLIC=true) to open them to everyone."
            })))),
        }
    }
}

/// Why the metrics were not shown, as JSON.
#[derive(rocket::Responder)]
pub enum Refusal {
    #[response(status = 401)]
    Token(Json<Value>, Header<'static>),
    #[response(status = 403)]
    NotLocal(Json<Value>),
    #[response(status = 500)]
    Failed(Json<Value>),
}

impl Refusal {
    pub fn failed() -> Refusal {
        Refusal::Failed(Json(
            json!({ "error": "The metrics could not be written." }),
        ))
    }
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Scraper {
    type Error = ();

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, ()> {
        let settings = req.rocket().state::<Settings>();
        let token = settings.and_then(|s| s.metrics_token.as_deref());
        let public = settings.is_some_and(|s| s.metrics_public);
        let access = match token {
            Some(expected) if brings_token(req, expected) => Access::Granted,
            Some(_) => Access::NeedsToken,
            None if public || from_this_machine(req) => Access::Granted,
            None => Access::NotLocal,
        };
        Outcome::Success(Scraper(access))
    }
}

fn brings_token(req: &Request<'_>, expected: &str) -> bool {
    let given = req
        .headers()
        .get_one("Authorization")
        .and_then(|value| value.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim())
        .unwrap_or_default();
    // Digests compared, so neither the time taken nor the lengths say
    // anything about the token.
    let (given, expected) = (Sha256::digest(given), Sha256::digest(expected.trim()));
    same_secret(&given, &expected)
}

/// Whether the request came from a loopback address and no proxy passed it
/// on. The socket's peer is what counts, never an address a header names:
/// a proxy on this machine makes every request look local, so one that
/// says it forwarded the request is refused (whether or not `ip_header`
/// is set).
fn from_this_machine(req: &Request<'_>) -> bool {
    let loopback = req.remote().is_some_and(|peer| is_loopback(peer.ip()));
    let configured = req.rocket().config().ip_header.as_ref();
    let proxied = PROXY_HEADERS
        .iter()
        .copied()
        .chain(configured.map(|name| name.as_str()))
        .any(|name| req.headers().contains(name));
    loopback && !proxied
}

/// Loopback, including IPv4's in IPv6 form (`::ffff:127.0.0.1`), as a
/// dual-stack socket reports it.
fn is_loopback(ip: IpAddr) -> bool {
    ip.to_canonical().is_loopback()
}
