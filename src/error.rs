//! One error type for every handler and guard, and the catchers that render
//! it: an HTML page for pages, JSON for `/api`, and an opaque, logged 500
//! for anything the user did not cause.

use rocket::http::{uri::Origin, Status};
use rocket::request::Request;
use rocket::response::{self, Redirect, Responder};
use rocket::serde::json::{json, Json};
use rocket::Catcher;
use rocket_dyn_templates::{context, Template};

use crate::auth::Layout;

/// The result type of handlers.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong while answering a request.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The thing asked for does not exist, or this user may not know it exists.
    #[error("That page does not exist.")]
    NotFound,
    /// The page needs a logged-in user; pages redirect to the login form.
    #[error("You need to log in first.")]
    LoginRequired,
    /// An API request without valid credentials; the message says which.
    #[error("{0}")]
    Unauthorized(String),
    /// The user is known but may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// The request conflicts with the current state; the message says how.
    #[error("{0}")]
    Conflict(String),
    /// The request is malformed; the message says what is wrong.
    #[error("{0}")]
    BadRequest(String),
    /// The body is larger than Folio accepts.
    #[error("That request is too large.")]
    PayloadTooLarge,
    /// Too many attempts; try again after `retry_after` seconds.
    #[error("Too many attempts. Try again in {retry_after} seconds.")]
    TooManyRequests { retry_after: u64 },
    /// Folio is too busy to answer now (its database connections are all
    /// taken); try again shortly.
    #[error("Folio is busy. Please try again in a moment.")]
    Unavailable,
    /// A database failure: logged in full, shown as an opaque 500.
    #[error("database error: {0}")]
    Database(sqlx::Error),
    /// Any other failure on Folio's side: logged in full, shown as an opaque 500.
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    pub fn status(&self) -> Status {
        match self {
            Error::NotFound => Status::NotFound,
            Error::LoginRequired | Error::Unauthorized(_) => Status::Unauthorized,
            Error::Forbidden(_) => Status::Forbidden,
            Error::Conflict(_) => Status::Conflict,
            Error::BadRequest(_) => Status::BadRequest,
            Error::PayloadTooLarge => Status::PayloadTooLarge,
            Error::TooManyRequests { .. } => Status::TooManyRequests,
            Error::Unavailable => Status::ServiceUnavailable,
            Error::Database(_) | Error::Internal(_) => Status::InternalServerError,
        }
    }

    /// What the user is told. Server-side failures say nothing about their cause.
    pub fn public_message(&self) -> String {
        match self {
            Error::Database(_) | Error::Internal(_) => {
                "Something went wrong on our side. Please try again.".to_string()
            }
            other => other.to_string(),
        }
    }

    /// The error a bare status code stands for, when Rocket reports one
    /// without a handler-provided error (a failed guard, an unknown route).
    fn from_status(status: Status) -> Error {
        match status.code {
            401 => Error::LoginRequired,
            403 => Error::Forbidden("You are not allowed to do that.".into()),
            404 => Error::NotFound,
            413 => Error::PayloadTooLarge,
            429 => Error::TooManyRequests { retry_after: 60 },
            503 => Error::Unavailable,
            400..=499 => Error::BadRequest("The request could not be understood.".into()),
            _ => Error::Internal(format!("unhandled status {status}")),
        }
    }
}

impl From<sqlx::Error> for Error {
    fn from(error: sqlx::Error) -> Error {
        match error {
            // Every connection busy for the whole wait: overload, not a fault.
            sqlx::Error::PoolTimedOut => Error::Unavailable,
            other => Error::Database(other),
        }
    }
}

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

/// Percent-encodes a query parameter value.
pub fn query_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
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
        let mut response = if is_api(req) {
            Json(json!({ "error": message })).respond_to(req)?
        } else {
            let layout = Layout::peek(req);
            let title = status.reason().unwrap_or("Error");
            Template::render(
                "error.html",
                context! { layout, status: status.code, title, message },
            )
            .respond_to(req)?
        };
        response.set_status(status);
        match self {
            Error::TooManyRequests { retry_after } => {
                response.set_raw_header("Retry-After", retry_after.to_string());
            }
            Error::Unavailable => {
                response.set_raw_header("Retry-After", "2");
            }
            _ => {}
        }
        Ok(response)
    }
}

/// Lets a failing request guard hand its error to the catchers, which
/// otherwise only see a status code.
struct Stashed(std::sync::Mutex<Option<Error>>);

/// Remembers `error` for the catcher that will answer this request.
pub fn stash(req: &Request<'_>, error: Error) -> Status {
    let status = error.status();
    let slot = req.local_cache(|| Stashed(std::sync::Mutex::new(None)));
    // The last guard to fail decides: one built on another (the activity
    // log's caller on the session) refines the error of the one it used.
    if let Ok(mut slot) = slot.0.lock() {
        *slot = Some(error);
    }
    status
}

#[rocket::catch(default)]
async fn any_status(status: Status, req: &Request<'_>) -> Error {
    // So the error page's navigation shows who is logged in.
    let _ = req.guard::<Layout>().await;
    let stashed = req
        .local_cache(|| Stashed(std::sync::Mutex::new(None)))
        .0
        .lock()
        .ok()
        .and_then(|mut slot| slot.take());
    match stashed {
        Some(error) if error.status() == status => error,
        _ => Error::from_status(status),
    }
}

/// The catchers that render every error status.
pub fn catchers() -> Vec<Catcher> {
    rocket::catchers![any_status]
}
