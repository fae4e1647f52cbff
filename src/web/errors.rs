//! How errors are shown: an HTML page for pages (with the site's frame), a
//! JSON body for the API and the live streams, a redirect to the login form
//! for a page that needs a login; and the catchers that answer every error
//! status Rocket reports itself.

use rocket::http::{Method, Status};
use rocket::request::Request;
use rocket::response::{self, Redirect, Responder};
use rocket::serde::json::{json, Json};
use rocket::Catcher;
use rocket_dyn_templates::{context, Template};

use super::forms::local_path;
use super::layout::Layout;
use super::query_encode;
use super::resume::resumed_page;
use crate::error::{take_stashed, Error};

/// Whether a request is for the JSON API or a live stream rather than a
/// page, or from a script that asks for JSON (the editor's uploads): those
/// get JSON errors, never a redirect to the login form.
pub fn is_api(req: &Request<'_>) -> bool {
    let path = req.uri().path();
    let api = ["/api", "/live"]
        .iter()
        .any(|prefix| path == *prefix || path.starts_with(&format!("{prefix}/")[..]));
    api || req
        .accept()
        .is_some_and(|accept| accept.preferred().is_json())
}

/// The login page, with a way back to where the user was going. A form
/// sent without a login cannot be sent again by a redirect: the login form
/// is told of it (`then`) if it is one that finishing a login may do
/// ([`is_resumable`]), and goes back to the page it was sent from.
pub fn login_redirect(req: &Request<'_>) -> Redirect {
    let uri = req.uri();
    if req.method() != Method::Post {
        return Redirect::to(format!("/login?next={}", query_encode(&uri.to_string())));
    }
    let path = uri.path().as_str();
    let (next, then) = match resumed_page(path) {
        Some(page) => (page.to_string(), Some(path)),
        None => (referring_page(req).unwrap_or("/").to_string(), None),
    };
    let then = then
        .map(|then| format!("&then={}", query_encode(then)))
        .unwrap_or_default();
    Redirect::to(format!("/login?next={}{then}", query_encode(&next)))
}

/// The page a form was sent from, if it is one of this site's.
fn referring_page<'r>(req: &'r Request<'_>) -> Option<&'r str> {
    let referer = req.headers().get_one("Referer")?;
    let host = req.host()?.to_string();
    let rest = referer
        .strip_prefix("https://")
        .or_else(|| referer.strip_prefix("http://"))?;
    let path = rest.strip_prefix(host.as_str())?;
    (path.starts_with('/') && local_path(path) == path).then_some(path)
}

impl<'r> Responder<'r, 'static> for Error {
    fn respond_to(self, req: &'r Request<'_>) -> response::Result<'static> {
        let status = self.status();
        if status.code >= 500 {
            rocket::error!("{} {}: {self}", req.method(), req.uri().path());
        }
        if matches!(self, Error::LoginRequired) && !is_api(req) {
            return login_redirect(req).respond_to(req);
        }
        let message = self.public_message();
        let mut response = match (&self, is_api(req)) {
            (Error::Field { problem, .. }, true) => Json(problem).respond_to(req)?,
            (_, true) => Json(json!({ "error": message })).respond_to(req)?,
            (_, false) => {
                let layout = Layout::peek(req);
                let title = status.reason().unwrap_or("Error");
                Template::render(
                    "error.html",
                    context! { layout, status: status.code, title, message },
                )
                .respond_to(req)?
            }
        };
        response.set_status(status);
        if let Some(retry_after) = self.retry_after() {
            response.set_raw_header("Retry-After", retry_after.to_string());
        }
        if matches!(
            self,
            Error::Limited { .. } | Error::Busy { .. } | Error::Unavailable
        ) {
            // A refused client's connection is given back at once, not kept
            // alive: refusals are how Folio keeps its open files, and an
            // overloaded Folio needs them most.
            response.set_raw_header("Connection", "close");
        }
        Ok(response)
    }
}

#[rocket::catch(default)]
async fn any_status(status: Status, req: &Request<'_>) -> Error {
    // So the error page's navigation shows who is logged in.
    let _ = req.guard::<Layout>().await;
    match take_stashed(req) {
        Some(error) if error.status() == status => error,
        _ => Error::from_status(status),
    }
}

/// The catchers that render every error status.
pub fn catchers() -> Vec<Catcher> {
    rocket::catchers![any_status]
}
