//! Reading Folio's private cookies outside a Rocket request (the live
//! listener serves streams without Rocket). The key is derived from the
//! configured `secret_key` exactly as Rocket derives its own: 64 or more
//! bytes are the key itself, 32 or more are expanded into one.

use base64::Engine;
use cookie::{Cookie, CookieJar, Key};
use rocket::figment::Figment;

use super::sessions::COOKIE;

/// The key that encrypts Folio's private cookies.
pub struct CookieKey(Key);

impl CookieKey {
    /// The key for the configured `secret_key`; `None` when none is set (a
    /// debug build then uses a random key that only Rocket knows).
    pub fn from_figment(figment: &Figment) -> Option<CookieKey> {
        let text: String = figment.extract_inner("secret_key").ok()?;
        CookieKey::from_secret(&text)
    }

    /// The key for a `secret_key` value (base64 or hex, as Rocket takes it).
    pub fn from_secret(text: &str) -> Option<CookieKey> {
        let text = text.trim();
        let bytes = match text.len() {
            44 | 88 => base64::engine::general_purpose::STANDARD
                .decode(text)
                .ok()?,
            64 => decode_hex(text)?,
            _ => return None,
        };
        match bytes.len() {
            n if n >= 64 => Some(CookieKey(Key::from(&bytes))),
            n if n >= 32 && bytes.iter().any(|b| *b != 0) => {
                Some(CookieKey(Key::derive_from(&bytes)))
            }
            _ => None,
        }
    }

    /// The session token in a request's `Cookie` headers, if one decrypts.
    pub fn session_token<'a>(
        &self,
        cookie_headers: impl IntoIterator<Item = &'a str>,
    ) -> Option<String> {
        let mut jar = CookieJar::new();
        for header in cookie_headers {
            for pair in header.split(';') {
                if let Ok(cookie) = Cookie::parse_encoded(pair.trim().to_string()) {
                    jar.add_original(cookie);
                }
            }
        }
        jar.private(&self.0)
            .get(COOKIE)
            .map(|c| c.value().to_string())
    }
}

impl CookieKey {
    /// A private cookie's value as Rocket's jar would send it: for tools
    /// that log readers in without a browser (benchmarks, tests).
    pub fn encrypt(&self, name: &str, value: &str) -> String {
        let mut jar = CookieJar::new();
        jar.private_mut(&self.0)
            .add(Cookie::new(name.to_string(), value.to_string()));
        jar.get(name)
            .map(|c| c.value().to_string())
            .unwrap_or_default()
    }
}

fn decode_hex(text: &str) -> Option<Vec<u8>> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}
