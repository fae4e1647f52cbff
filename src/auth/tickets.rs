//! Stream tickets: how the live listener, which serves streams outside
//! Rocket and so cannot open Rocket's private cookies, learns whose stream
//! it is. A ticket names a session and when it ends, with an HMAC-SHA256
//! under a key of Folio's own over that claim and the session's token hash.
//! The listener looks the session up by the id and checks the signature
//! against the hash it finds, so a ticket holds only for the session it was
//! issued for: not for one that reuses its id (after a restore from a
//! backup), and not when forged, even by someone who knows the key (the
//! public development key), since the token hash is the database's secret.
//! Logout, disabling and expiry hold as they do for pages.

use hmac::{Hmac, Mac};
use rocket::figment::Figment;
use rocket::http::{Cookie, CookieJar, SameSite};
use rocket::time;
use sha2::{Digest, Sha256};

use super::sessions::SessionUser;
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
    /// Tickets under a key derived from the configured `secret_key` (its
    /// text), so that nodes given the same value accept each other's
    /// tickets; a random key when none is configured (a debug build: one
    /// process, which issues and checks its own).
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

    /// A ticket for `session` (whose token hashes to `token_hash`), good
    /// until `expires_at` (Unix seconds).
    pub fn issue(&self, session: SessionId, expires_at: i64, token_hash: &[u8]) -> String {
        let claim = format!("{session}.{expires_at}");
        let mac = hex::encode(self.mac(&claim, token_hash));
        format!("{claim}.{mac}")
    }

    /// The session a ticket claims, if it has not expired: to be looked
    /// up, then checked with [`Tickets::holds`].
    pub fn claim(ticket: &str) -> Option<SessionId> {
        let (claim, _) = ticket.rsplit_once('.')?;
        let (session, expires_at) = claim.split_once('.')?;
        let expires_at: i64 = expires_at.parse().ok()?;
        (expires_at > unix_now()).then_some(SessionId(session.parse().ok()?))
    }

    /// Whether `ticket` was issued for the session whose token hashes to
    /// `token_hash`, and has not expired.
    pub fn holds(&self, ticket: &str, token_hash: &[u8]) -> bool {
        let Some((claim, mac)) = ticket.rsplit_once('.') else {
            return false;
        };
        let Ok(mac) = hex::decode(mac) else {
            return false;
        };
        Tickets::claim(ticket).is_some() && same_secret(&self.mac(claim, token_hash), &mac)
    }

    /// The ticket in a request's `Cookie` headers, if there is one.
    pub fn in_cookie_headers<'a>(headers: impl IntoIterator<Item = &'a str>) -> Option<String> {
        headers
            .into_iter()
            .flat_map(|header| header.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(name, _)| *name == COOKIE)
            .map(|(_, value)| value.trim_matches('"').to_string())
    }

    /// Gives the browser a ticket for `user`'s session unless it holds one.
    pub fn ensure(&self, jar: &CookieJar<'_>, user: &SessionUser, secure: bool) {
        let held = jar.get(COOKIE).is_some_and(|c| {
            Tickets::claim(c.value()) == Some(user.session_id)
                && self.holds(c.value(), &user.token_hash)
        });
        if !held {
            self.give(
                jar,
                user.session_id,
                user.expires_at,
                &user.token_hash,
                secure,
            );
        }
    }

    /// Puts a ticket for `session` in the cookie jar.
    pub fn give(
        &self,
        jar: &CookieJar<'_>,
        session: SessionId,
        expires_at: i64,
        token_hash: &[u8],
        secure: bool,
    ) {
        let lifetime = (expires_at - unix_now()).max(0);
        jar.add(
            Cookie::build((COOKIE, self.issue(session, expires_at, token_hash)))
                .path("/")
                .http_only(true)
                .same_site(SameSite::Lax)
                .secure(secure)
                .max_age(time::Duration::seconds(lifetime)),
        );
    }

    /// Takes the ticket back: at logout, and from a browser that no longer
    /// has a session.
    pub fn take_back(jar: &CookieJar<'_>) {
        if jar.get(COOKIE).is_some() {
            jar.remove(Cookie::build(COOKIE).path("/"));
        }
    }

    fn mac(&self, claim: &str, token_hash: &[u8]) -> Vec<u8> {
        // A key of any length is accepted: this cannot fail.
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.key)
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        mac.update(claim.as_bytes());
        mac.update(b"\0");
        mac.update(token_hash);
        mac.finalize().into_bytes().to_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ticket_holds_for_its_session_until_it_expires_and_cannot_be_forged() {
        let tickets = Tickets::from_secret("a secret key of this site");
        let (hash, other_hash) = ([7u8; 32], [8u8; 32]);
        let ticket = tickets.issue(SessionId(42), unix_now() + 60, &hash);
        assert_eq!(Tickets::claim(&ticket), Some(SessionId(42)));
        assert!(tickets.holds(&ticket, &hash));
        let header = format!("session=abc; live={ticket}; csrf=x");
        assert_eq!(
            Tickets::in_cookie_headers([header.as_str()]),
            Some(ticket.clone())
        );

        // Another session with the same id (a restored database): refused.
        assert!(!tickets.holds(&ticket, &other_hash));
        let expired = tickets.issue(SessionId(42), unix_now() - 1, &hash);
        assert!(!tickets.holds(&expired, &hash));
        assert_eq!(Tickets::claim(&expired), None);
        let other_site = Tickets::from_secret("another site's key");
        assert!(!other_site.holds(&ticket, &hash));
        let forged = ticket.replacen("42", "43", 1);
        assert!(!tickets.holds(&forged, &hash));
        assert!(!tickets.holds("42.99999999999.zz", &hash));
    }
}
