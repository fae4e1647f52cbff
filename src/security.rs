//! Security headers on every response: Rocket's Shield plus a
//! Content-Security-Policy that allows only Folio's own scripts and styles.

use rocket::fairing::{Fairing, Info, Kind};
use rocket::http::Header;
use rocket::shield::{Frame, Referrer, Shield};
use rocket::{Request, Response};

/// Shield with framing denied and referrers kept to this site's origin.
pub fn shield() -> Shield {
    Shield::default()
        .enable(Frame::Deny)
        .enable(Referrer::StrictOriginWhenCrossOrigin)
}

const POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
    img-src 'self' data: https:; object-src 'none'; base-uri 'none'; \
    frame-ancestors 'none'; form-action 'self'";

/// Adds the Content-Security-Policy header.
pub struct ContentSecurityPolicy;

#[rocket::async_trait]
impl Fairing for ContentSecurityPolicy {
    fn info(&self) -> Info {
        Info {
            name: "Content-Security-Policy",
            kind: Kind::Response,
        }
    }

    async fn on_response<'r>(&self, _req: &'r Request<'_>, res: &mut Response<'r>) {
        res.set_header(Header::new("Content-Security-Policy", POLICY));
    }
}

/// The secret key check: release builds refuse to start without a stable
/// key, and say how to set one before anything touches the database.
pub fn require_secret_key(figment: &rocket::figment::Figment) -> Result<(), String> {
    if figment.profile() != rocket::Config::RELEASE_PROFILE {
        return Ok(());
    }
    let config: rocket::Config = figment.extract().map_err(|e| format!("bad setting: {e}"))?;
    if config.secret_key.is_zero() {
        return Err(
            "Folio needs a secret key to encrypt its login cookies, and none is set.\n  \
             Generate one and pass it in the environment, for example:\n    \
             export ROCKET_SECRET_KEY=\"$(openssl rand -base64 32)\"\n  \
             or put `secret_key = \"...\"` under [release] in Rocket.toml. \
             Keep it stable: changing it logs everybody out."
                .into(),
        );
    }
    Ok(())
}
