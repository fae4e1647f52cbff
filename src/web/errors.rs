//! How errors are shown: an HTML page for pages (with the site's frame), a
//! JSON body for the API and the live streams, a redirect to the login form
//! for a page that needs a login; and the catchers that answer every error
//! status Rocket reports itself.

use rocket::http::{uri::Origin, Status};
use rocket::request::Request;
use rocket::response::{self, Redirect, Responder};
use rocket::serde::json::{json, Json};
use rocket::Catcher;
use rocket_dyn_templates::{context, Template};

use super::layout::Layout;
use super::query_encode;
use crate::error::{take_stashed, Error};

/// Whether a request is for the JSON API or a live stream rather than a
/// page: those get JSON errors, never a redirect to the login form.
pub fn is_api(req: &Request<'_>) -> bool {
    let path = req.uri().path();
    ["/api", "/live"]
        .iter()
        .any(|prefix| path == *prefix || path.starts_with(&format!("{prefix}/")[..]))
}

/// The login page, with a way back to where the user was going.
pub fn login_redirect(next: &Origin<'_>) -> Redirect {
    Redirect::to(format!("/login?next={}", query_encode(&next.to_string())))
}

impl<'r> Responder<'r, 'static> for Error {
    fn respond_to(self, req: &'r Request<'_>) -> response::Result<'static> {
        let status = self.status();
        if status.code >= 500 {
            rocket::error!("{} {}: {self}", req.method(), req.uri().path());
        }
        if matches!(self, Error::LoginRequired) && !is_api(req) {
            return login_redirect(req.uri()).respond_to(req);
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
