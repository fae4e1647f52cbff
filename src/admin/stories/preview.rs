//! The editor's live preview: the story's Markdown rendered by the same
//! pipeline as the story page, for the editor's script to show beside the
//! text as it is typed. The text is sent as it is (`text/plain`, up to
//! `limits.story`) with the page's CSRF token in `X-CSRF-Token`.

use rocket::data::{Data, Limits, ToByteUnit};
use rocket::post;
use rocket::serde::json::Json;
use serde::Serialize;

use super::Admin;
use crate::auth::CsrfHeader;
use crate::error::{Error, Result};
use crate::stories::markdown;
use crate::stories::summary::Summary;

/// A rendered preview and what the editor says of the text.
#[derive(Debug, Serialize)]
pub struct Preview {
    pub html: String,
    pub words: usize,
    pub reading_minutes: usize,
}

#[post("/admin/stories/preview", data = "<text>")]
pub async fn preview(
    _admin: Admin,
    _csrf: CsrfHeader,
    limits: &Limits,
    text: Data<'_>,
) -> Result<Json<Preview>> {
    let limit = limits.get("story").unwrap_or(16.mebibytes());
    let text = text
        .open(limit)
        .into_string()
        .await
        .map_err(|e| Error::BadRequest(format!("The text could not be read: {e}")))?;
    if !text.is_complete() {
        return Err(Error::PayloadTooLarge);
    }
    let summary = Summary::of(&text);
    Ok(Json(Preview {
        html: markdown::render(&text),
        words: summary.words,
        reading_minutes: summary.reading_minutes,
    }))
}
