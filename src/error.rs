//! One error type for every layer: what went wrong, and the HTTP status it
//! stands for. How it is shown (an HTML page, JSON for `/api`) is the web
//! layer's business ([`crate::web`]).

use rocket::http::Status;
use rocket::outcome::Outcome;
use rocket::request::{self, Request};
use serde::Serialize;

/// The result type of handlers and of everything they call.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A boxed cause, kept for the log.
pub type Cause = Box<dyn std::error::Error + Send + Sync>;

/// Everything that can go wrong.
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
    /// One field of a JSON request is wrong, named (with the index of the
    /// item, in a list) so that a client can fix its request. `status` is
    /// 400, or 403, 413 or 415 when that says it better.
    #[error("{}", .problem.error)]
    Field {
        status: Status,
        problem: Box<FieldProblem>,
    },
    /// The body is larger than Folio accepts.
    #[error("That request is too large.")]
    PayloadTooLarge,
    /// Too many attempts; try again after `retry_after` seconds.
    #[error("Too many attempts. Try again in {retry_after} seconds.")]
    TooManyRequests { retry_after: u64 },
    /// A limit of this client is used up (too many open streams, say);
    /// the message says which, and to try again after `retry_after` seconds.
    #[error("{message}")]
    Limited { retry_after: u64, message: String },
    /// A limit Folio shares among everyone is used up; try again after
    /// `retry_after` seconds.
    #[error("{message}")]
    Busy { retry_after: u64, message: String },
    /// Folio cannot answer now: its database connections are all taken, or
    /// its database server is out of reach; try again shortly.
    #[error(
        "Folio cannot answer just now: it is busy, or its database is out of reach. \
         Please try again in a moment."
    )]
    Unavailable,
    /// A setting is wrong or missing: Folio does not start (or a command
    /// does not run). The message names the setting and how to fix it.
    #[error("{0}")]
    Config(String),
    /// A database failure: logged in full, shown as an opaque 500.
    #[error("database error: {0}")]
    Database(sqlx::Error),
    /// Any other failure on Folio's side: logged in full, with its cause,
    /// and shown as an opaque 500.
    #[error("{}", with_cause(.context, .source.as_deref()))]
    Internal {
        context: String,
        source: Option<Cause>,
    },
}

/// What is wrong with one field of a JSON request, as the API answers it:
/// `{"error": "...", "field": "actions[2].time", "index": 2}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldProblem {
    pub error: String,
    /// The field at fault, as a path: `userId`, `actions[3].time`; empty
    /// for the body as a whole.
    pub field: String,
    /// The index of the item at fault, in a list.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index: Option<usize>,
}

fn with_cause(context: &str, cause: Option<&(dyn std::error::Error + Send + Sync)>) -> String {
    match cause {
        Some(cause) => format!("{context}: {cause}"),
        None => context.to_string(),
    }
}

impl Error {
    /// A failure on Folio's side, described by `context`.
    pub fn internal(context: impl Into<String>) -> Error {
        Error::Internal {
            context: context.into(),
            source: None,
        }
    }

    /// A failure on Folio's side, with the error that caused it.
    pub fn internal_from(context: impl Into<String>, cause: impl Into<Cause>) -> Error {
        Error::Internal {
            context: context.into(),
            source: Some(cause.into()),
        }
    }

    /// Field `field` of a JSON request is wrong (400).
    pub fn field(field: impl Into<String>, error: impl Into<String>) -> Error {
        Error::field_with(Status::BadRequest, field, error)
    }

    /// Field `field` of a JSON request is refused with `status`.
    pub fn field_with(status: Status, field: impl Into<String>, error: impl Into<String>) -> Error {
        Error::Field {
            status,
            problem: Box::new(FieldProblem {
                error: error.into(),
                field: field.into(),
                index: None,
            }),
        }
    }

    /// The same field error, about the item at `index` of a list.
    pub fn at_index(self, index: usize) -> Error {
        match self {
            Error::Field {
                status,
                mut problem,
            } => {
                problem.index = Some(index);
                Error::Field { status, problem }
            }
            other => other,
        }
    }

    /// The field at fault, for a field error.
    #[cfg(test)]
    pub fn field_problem(&self) -> Option<&FieldProblem> {
        match self {
            Error::Field { problem, .. } => Some(problem),
            _ => None,
        }
    }

    pub fn status(&self) -> Status {
        match self {
            Error::NotFound => Status::NotFound,
            Error::LoginRequired | Error::Unauthorized(_) => Status::Unauthorized,
            Error::Forbidden(_) => Status::Forbidden,
            Error::Conflict(_) => Status::Conflict,
            Error::BadRequest(_) => Status::BadRequest,
            Error::Field { status, .. } => *status,
            Error::PayloadTooLarge => Status::PayloadTooLarge,
            Error::TooManyRequests { .. } | Error::Limited { .. } => Status::TooManyRequests,
            Error::Busy { .. } => Status::ServiceUnavailable,
            Error::Unavailable => Status::ServiceUnavailable,
            Error::Config(_) | Error::Database(_) | Error::Internal { .. } => {
                Status::InternalServerError
            }
        }
    }

    /// What the user is told. Server-side failures say nothing about their cause.
    pub fn public_message(&self) -> String {
        match self {
            Error::Config(_) | Error::Database(_) | Error::Internal { .. } => {
                "Something went wrong on our side. Please try again.".to_string()
            }
            other => other.to_string(),
        }
    }

    /// The error a bare status code stands for, when Rocket reports one
    /// without a guard's or handler's error (an unknown route, a body that
    /// does not parse).
    pub fn from_status(status: Status) -> Error {
        match status.code {
            401 => Error::LoginRequired,
            403 => Error::Forbidden("You are not allowed to do that.".into()),
            404 => Error::NotFound,
            413 => Error::PayloadTooLarge,
            429 => Error::TooManyRequests { retry_after: 60 },
            503 => Error::Unavailable,
            400..=499 => Error::BadRequest("The request could not be understood.".into()),
            _ => Error::internal(format!("unhandled status {status}")),
        }
    }

    /// How many seconds to wait before trying again, for errors that say.
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            Error::TooManyRequests { retry_after }
            | Error::Limited { retry_after, .. }
            | Error::Busy { retry_after, .. } => Some(*retry_after),
            Error::Unavailable => Some(2),
            _ => None,
        }
    }

    /// Whether this is a UNIQUE constraint failing.
    pub fn is_unique_violation(&self) -> bool {
        matches!(self, Error::Database(sqlx::Error::Database(e))
            if e.kind() == sqlx::error::ErrorKind::UniqueViolation)
    }
}

impl From<sqlx::Error> for Error {
    fn from(error: sqlx::Error) -> Error {
        match error {
            // Every connection busy for the whole wait: overload, not a fault.
            sqlx::Error::PoolTimedOut => Error::Unavailable,
            // The database server cannot be reached, or is shutting down or
            // refusing connections: it will be back, Folio is not broken.
            sqlx::Error::Io(_) | sqlx::Error::PoolClosed => Error::Unavailable,
            sqlx::Error::Database(ref e) if e.code().is_some_and(|c| unreachable_server(&c)) => {
                Error::Unavailable
            }
            // Text PostgreSQL cannot hold (a NUL character) came with the
            // request: the sender's to fix.
            sqlx::Error::Database(ref e) if e.code().is_some_and(|c| unstorable_text(&c)) => {
                Error::BadRequest(
                    "The request holds a NUL character (U+0000), which Folio cannot store. \
                     Remove it and try again."
                        .into(),
                )
            }
            other => Error::Database(other),
        }
    }
}

/// PostgreSQL's error codes for a server that cannot serve now: class 08
/// (connection exceptions), 53300 (too many connections) and 57P01–57P03
/// (shut down, crashed, starting up).
fn unreachable_server(code: &str) -> bool {
    code.starts_with("08") || matches!(code, "53300" | "57P01" | "57P02" | "57P03")
}

/// PostgreSQL's error codes for text it cannot store: 22021 (a NUL byte
/// in text) and 22P05 (`\u0000` in JSON).
fn unstorable_text(code: &str) -> bool {
    matches!(code, "22021" | "22P05")
}

/// A failing request guard's error, kept for the catcher that answers the
/// request (which otherwise sees only a status code).
struct Stashed(std::sync::Mutex<Option<Error>>);

/// Keeps `error` for the catcher that will answer this request, and
/// returns its status for the guard's outcome.
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

/// Managed state `T`, for guards built from several parts of Folio; the
/// guard fails with a logged 500 if Folio was built without it.
pub fn managed<'r, T: Send + Sync + 'static>(req: &'r Request<'_>) -> request::Outcome<&'r T, ()> {
    match req.rocket().state::<T>() {
        Some(state) => Outcome::Success(state),
        None => {
            let missing = std::any::type_name::<T>();
            let error = Error::internal(format!("{missing} is not set up"));
            Outcome::Error((stash(req, error), ()))
        }
    }
}

/// The error a guard stashed for this request, if any (taken once).
pub fn take_stashed(req: &Request<'_>) -> Option<Error> {
    req.local_cache(|| Stashed(std::sync::Mutex::new(None)))
        .0
        .lock()
        .ok()
        .and_then(|mut slot| slot.take())
}
