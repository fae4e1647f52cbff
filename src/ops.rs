//! Operational endpoints.

use rocket::{get, Route};

/// Liveness: answers as long as the process serves requests. Touches
/// nothing, so it stays cheap enough to poll often.
#[get("/health")]
fn health() -> &'static str {
    "ok"
}

pub fn routes() -> Vec<Route> {
    rocket::routes![health]
}
