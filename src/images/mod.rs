//! Images for stories and their covers: uploaded by admins, checked by
//! content, kept in the database (so a backup holds them) and served at an
//! address made of their SHA-256, which never changes: browsers and
//! proxies may keep them for good.

pub mod kind;
pub mod queries;
pub mod upload;

use rocket::http::{ContentType, Header};
use rocket::{get, Responder, Route};
use serde::Serialize;

use crate::db::Db;
use crate::error::{Error, Result};
pub use kind::{sniff, Kind};
pub use queries::Image;

/// The address of the image named `hash`.
pub fn path(hash: &str, kind: Kind) -> String {
    format!("/images/{hash}.{}", kind.extension())
}

/// The name and kind in an image's address, `/images/<hash>.<ext>`.
pub fn parse_path(path: &str) -> Option<(&str, Kind)> {
    parse_file(path.strip_prefix("/images/")?)
}

/// The name and kind in an image's file name, `<hash>.<ext>`.
fn parse_file(file: &str) -> Option<(&str, Kind)> {
    let (hash, extension) = file.split_once('.')?;
    let hex = hash.len() == 64
        && hash
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    Some((hash, Kind::from_extension(extension).filter(|_| hex)?))
}

/// An image as a page shows it: address and size, for `width` and
/// `height` attributes that keep the page from jumping as it loads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Picture {
    pub url: String,
    pub width: i64,
    pub height: i64,
    pub media_type: &'static str,
}

impl Picture {
    /// The picture of a stored image's name, kind and size.
    pub fn of(
        hash: Option<String>,
        kind: Option<Kind>,
        width: i64,
        height: i64,
    ) -> Option<Picture> {
        let (hash, kind) = (hash?, kind?);
        Some(Picture {
            url: path(&hash, kind),
            width,
            height,
            media_type: kind.media_type(),
        })
    }
}

/// An image's bytes, to be kept for good by whoever fetches them.
#[derive(Responder)]
pub struct ImageFile {
    bytes: Vec<u8>,
    kind: ContentType,
    cache: Header<'static>,
}

/// An image, by the address made of its hash.
#[get("/images/<file>")]
pub async fn serve(file: &str, db: &Db) -> Result<ImageFile> {
    let (hash, kind) = parse_file(file).ok_or(Error::NotFound)?;
    let (stored, bytes) = queries::bytes_of(db.pool(), hash)
        .await?
        .ok_or(Error::NotFound)?;
    // The bytes never change at this address; another extension for them
    // is not an address Folio gives out.
    if stored != kind {
        return Err(Error::NotFound);
    }
    Ok(ImageFile {
        bytes,
        kind: kind.content_type(),
        cache: Header::new("Cache-Control", "public, max-age=31536000, immutable"),
    })
}

pub fn routes() -> Vec<Route> {
    rocket::routes![serve]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_a_hash_and_a_known_extension() {
        let hash = "ab".repeat(32);
        assert_eq!(
            parse_path(&path(&hash, Kind::Jpeg)),
            Some((&hash[..], Kind::Jpeg))
        );
        assert_eq!(parse_path(&format!("/images/{hash}.svg")), None);
        assert_eq!(
            parse_path(&format!("/images/{}.png", "AB".repeat(32))),
            None
        );
        assert_eq!(parse_path("/images/../etc.png"), None);
        assert_eq!(parse_path(&format!("/elsewhere/{hash}.png")), None);
    }
}
