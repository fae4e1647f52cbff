//! The image library: uploading an image (from the editor's button, drop
//! or paste, or from the library's own form) and the list of those kept,
//! with the Markdown that shows each in a story.

use rocket::data::Limits;
use rocket::http::{Accept, Status};
use rocket::serde::json::Json;
use rocket::{get, post, Either};
use rocket_dyn_templates::{context, Template};
use serde::Serialize;

use super::Admin;
use crate::db::Db;
use crate::error::{Error, Result};
use crate::images::upload::{self as sent, Upload};
use crate::images::{self, queries, Image};
use crate::web::{local_path, said, FormReply, Layout};

/// Images listed on the library page.
const SHOWN: i64 = 200;

/// What a script is told of an uploaded image.
#[derive(Debug, Serialize)]
pub struct Uploaded {
    pub url: String,
    /// Ready to put in a story: `![name](url)`.
    pub markdown: String,
    pub width: i64,
    pub height: i64,
    pub size: i64,
    pub media_type: &'static str,
}

impl Uploaded {
    fn of(image: &Image, name: &str) -> Uploaded {
        Uploaded {
            url: image.path(),
            markdown: markdown(image, name),
            width: image.width,
            height: image.height,
            size: image.size,
            media_type: image.kind.media_type(),
        }
    }
}

/// The Markdown of an image, the file `name` (without extension) as the
/// description to start from: the name it was sent with this time, for the
/// same bytes sent before are kept once, under their first name.
fn markdown(image: &Image, name: &str) -> String {
    let described = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    let described: String = described
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | '\\'))
        .collect();
    format!("![{}]({})", described.trim(), image.path())
}

/// The library: the upload form and the images kept, newest first.
#[get("/admin/images")]
pub async fn list(_admin: Admin, layout: Layout, limits: &Limits, db: &Db) -> Result<Template> {
    render(db, &layout, limits, None).await
}

/// Keeps an uploaded image. A script (asking for JSON) is told its address
/// and Markdown (201); a form goes back to its page, which says the same.
#[post("/admin/images", data = "<upload>")]
pub async fn upload(
    admin: Admin,
    upload: Upload,
    accept: Option<&Accept>,
    layout: Layout,
    limits: &Limits,
    db: &Db,
) -> Result<Either<(Status, Json<Uploaded>), FormReply>> {
    let wants_json = accept.is_some_and(|accept| accept.preferred().is_json());
    let mut name = String::new();
    let kept = match upload.file {
        Ok(file) => match images::sniff(&file.bytes) {
            Ok(sniffed) => {
                name = file.name.chars().take(200).collect();
                Ok(queries::store(db.pool(), &file.bytes, sniffed, &name, admin.user_id).await?)
            }
            Err(problem) => Err(Error::field_with(
                Status::UnsupportedMediaType,
                "image",
                problem,
            )),
        },
        Err(e) => Err(e),
    };
    match (kept, wants_json) {
        (Ok(image), true) => Ok(Either::Left((
            Status::Created,
            Json(Uploaded::of(&image, &name)),
        ))),
        (Err(e), true) => Err(e),
        (Ok(image), false) => {
            let to = upload.next.as_deref().map_or("/admin/images", local_path);
            let message = format!(
                "Uploaded. To show it in a story, put {} in the text.",
                markdown(&image, &name)
            );
            Ok(Either::Right(FormReply::Said(said(to, message))))
        }
        (Err(e), false) => {
            let page = render(db, &layout, limits, Some(&e.public_message())).await?;
            Ok(Either::Right(FormReply::rejected(e.status(), page)))
        }
    }
}

async fn render(
    db: &Db,
    layout: &Layout,
    limits: &Limits,
    error: Option<&str>,
) -> Result<Template> {
    let images: Vec<_> = queries::newest(db.pool(), SHOWN)
        .await?
        .into_iter()
        .map(|image| {
            let markdown = markdown(&image, &image.name);
            let url = image.path();
            context! { image, url, markdown }
        })
        .collect();
    Ok(Template::render(
        "admin/images.html",
        context! {
            layout,
            images,
            error,
            accepted: images::kind::ACCEPTED,
            limit: sent::in_words(limits.get("image").unwrap_or(sent::DEFAULT_LIMIT)),
        },
    ))
}
