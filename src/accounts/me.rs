//! `GET /api/me`: who this browser or client is logged in as. Pages ask it
//! when their live stream is refused, to learn whether their login ended.

use rocket::get;
use rocket::serde::json::{json, Json, Value};

use crate::auth::CurrentUser;

/// The logged-in user; 401 without a login.
#[get("/api/me")]
pub fn me(user: CurrentUser) -> Json<Value> {
    Json(json!({
        "username": user.username,
        "admin": user.is_admin,
        "expires_at": user.expires_at,
    }))
}
