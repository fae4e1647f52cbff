//! The OpenAPI 3 description of Folio's JSON API, served as written; a test
//! checks it against the routes Folio mounts and the answers it gives.

use rocket::get;
use rocket::http::ContentType;

/// The description, as served.
pub const DOCUMENT: &str = include_str!("openapi.json");

#[get("/openapi.json")]
pub fn document() -> (ContentType, &'static str) {
    (ContentType::JSON, DOCUMENT)
}
