//! Security headers on every response: Rocket's Shield plus a
//! Content-Security-Policy that allows only Folio's own scripts and styles,
//! and Strict-Transport-Security when Folio is served over HTTPS.

use rocket::fairing::{Fairing, Info, Kind};
use rocket::http::Header;
use rocket::shield::{Frame, Hsts, Referrer, Shield};
use rocket::{Request, Response};

/// Shield with framing denied and referrers kept to this site's origin.
/// With `https` (`secure_cookies` on: Folio is served over HTTPS), browsers
/// are also told to use HTTPS alone for a year (`max-age=31536000`, without
/// `includeSubDomains` or `preload`, which would bind other sites of the
/// domain too).
pub fn shield(https: bool) -> Shield {
    let shield = Shield::default()
        .enable(Frame::Deny)
        .enable(Referrer::StrictOriginWhenCrossOrigin);
    match https {
        true => shield.enable(Hsts::default()),
        false => shield,
    }
}

/// Images from Folio itself (uploads, the favicon) and inline `data:`
/// ones; with `remote_images`, from any HTTPS site as well.
const POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
    img-src 'self' data:; object-src 'none'; base-uri 'none'; \
    frame-ancestors 'none'; form-action 'self'";
const POLICY_REMOTE_IMAGES: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
    img-src 'self' data: https:; object-src 'none'; base-uri 'none'; \
    frame-ancestors 'none'; form-action 'self'";

/// Adds the Content-Security-Policy header.
pub struct ContentSecurityPolicy {
    policy: &'static str,
}

impl ContentSecurityPolicy {
    /// The policy, allowing images from other HTTPS sites when
    /// `remote_images` is on.
    pub fn new(remote_images: bool) -> ContentSecurityPolicy {
        ContentSecurityPolicy {
            policy: match remote_images {
                true => POLICY_REMOTE_IMAGES,
                false => POLICY,
            },
        }
    }
}

#[rocket::async_trait]
impl Fairing for ContentSecurityPolicy {
    fn info(&self) -> Info {
        Info {
            name: "Content-Security-Policy",
            kind: Kind::Response,
        }
    }

    async fn on_response<'r>(&self, _req: &'r Request<'_>, res: &mut Response<'r>) {
        res.set_header(Header::new("Content-Security-Policy", self.policy));
        // Pages show who is logged in: after logout, Back must not show them.
        let is_page = res.content_type().is_some_and(|t| t.is_html());
        if is_page && !res.headers().contains("Cache-Control") {
            res.set_header(Header::new("Cache-Control", "no-store"));
        }
    }
}
