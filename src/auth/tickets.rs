//! Stream tickets: how the live listener, which serves streams outside
//! Rocket and so cannot open Rocket's private cookies, learns whose stream
//! it is. A ticket names a session and when it ends, signed with
//! HMAC-SHA256 under a key of Folio's own. The listener still looks the
//! session up, so logout, disabling and expiry hold as they do for pages.

use hmac::{Hmac, Mac};
use rocket::figment::Figment;
use rocket::http::{Cookie, CookieJar, SameSite};
use rocket::time;
use sha2::{Digest, Sha256};

use crate::ids::SessionId;
use crate::util::{same_secret, unix_now};

/// The cookie that carries the ticket.
pub const COOKIE: &str = "live";

/// Issues and checks tickets.
#[derive(Clone)]
pub struct Tickets {
    key: [u8; 32],
}

impl Tickets {
    /// Tickets under a key derived from the configured `secret_key`, so
    /// that every node of a site accepts the others' tickets; a random key
    /// when none is configured (a debug build: one process, which issues
    /// and checks its own).
    pub fn from_figment(figment: &Figment) -> Tickets {
        match figment.extract_inner::<String>("secret_key") {
            Ok(secret) if !secret.trim().is_empty() => Tickets::from_secret(&secret),
            _ => Tickets {
                key: rand::random(),
            },
        }
    }

    /// Tickets under a key derived from `secret` (a `secret_key` value).
    pub fn from_secret(secret: &str) -> Tickets {
        let mut hash = Sha256::new();
        hash.update(b"folio stream ticket key\0");
        hash.update(secret.trim().as_bytes());
        Tickets {
            key: hash.finalize().into(),
        }
    }

    /// A ticket for `session`, good until `expires_at` (Unix seconds).
    pub fn issue(&self, session: SessionId, expires_at: i64) -> String {
        let claim = format!("{session}.{expires_at}");
        let mac = hex::encode(self.mac(&claim));
        format!("{claim}.{mac}")
    }

    /// The session a ticket names, if its signature holds and it has not
    /// expired.
    pub fn verify(&self, ticket: &str) -> Option<SessionId> {
        let (claim, mac) = ticket.rsplit_once('.')?;
        let mac = hex::decode(mac).ok()?;
        if !same_secret(&self.mac(claim), &mac) {
            return None;
        }
        let (session, expires_at) = claim.split_once('.')?;
        let expires_at: i64 = expires_at.parse().ok()?;
        (expires_at > unix_now()).then_some(SessionId(session.parse().ok()?))
    }

    /// The session named by the ticket in a request's `Cookie` headers.
    pub fn in_cookie_headers<'a>(
        &self,
        headers: impl IntoIterator<Item = &'a str>,
    ) -> Option<SessionId> {
        headers
            .into_iter()
            .flat_map(|header| header.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .filter(|(name, _)| *name == COOKIE)
            .find_map(|(_, value)| self.verify(value.trim_matches('"')))
    }

    /// Gives the browser a ticket for `session` unless it has one already.
    pub fn ensure(&self, jar: &CookieJar<'_>, session: SessionId, expires_at: i64, secure: bool) {
        let held = jar.get(COOKIE).and_then(|c| self.verify(c.value()));
        if held != Some(session) {
            self.give(jar, session, expires_at, secure);
        }
    }

    /// Puts a ticket for `session` in the cookie jar.
    pub fn give(&self, jar: &CookieJar<'_>, session: SessionId, expires_at: i64, secure: bool) {
        let lifetime = (expires_at - unix_now()).max(0);
        jar.add(
            Cookie::build((COOKIE, self.issue(session, expires_at)))
                .path("/")
                .http_only(true)
                .same_site(SameSite::Lax)
                .secure(secure)
                .max_age(time::Duration::seconds(lifetime)),
        );
    }

    /// Takes the ticket back: at logout.
    pub fn take_back(jar: &CookieJar<'_>) {
        jar.remove(Cookie::build(COOKIE).path("/"));
    }

    fn mac(&self, claim: &str) -> Vec<u8> {
        // A key of any length is accepted: this cannot fail.
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.key)
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        mac.update(claim.as_bytes());
        mac.finalize().into_bytes().to_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ticket_names_its_session_until_it_expires_and_cannot_be_forged() {
        let tickets = Tickets::from_secret("a secret key of this site");
        let ticket = tickets.issue(SessionId(42), unix_now() + 60);
        assert_eq!(tickets.verify(&ticket), Some(SessionId(42)));
        let header = format!("session=abc; live={ticket}; csrf=x");
        assert_eq!(
            tickets.in_cookie_headers([header.as_str()]),
            Some(SessionId(42))
        );

        let expired = tickets.issue(SessionId(42), unix_now() - 1);
        assert_eq!(tickets.verify(&expired), None);
        let other_site = Tickets::from_secret("another site's key");
        assert_eq!(other_site.verify(&ticket), None);
        let forged = ticket.replacen("42", "43", 1);
        assert_eq!(tickets.verify(&forged), None);
        assert_eq!(tickets.verify("42.99999999999.zz"), None);
    }
}
