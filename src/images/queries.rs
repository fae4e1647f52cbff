//! The SQL of images: keeping one, reading one back, listing them.

use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::AnyPool;

use super::kind::{Kind, Sniffed};
use crate::error::Result;
use crate::ids::UserId;
use crate::util::unix_now;

/// An image as the admin's list and an upload's answer show it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Image {
    pub id: i64,
    pub hash: String,
    pub kind: Kind,
    pub width: i64,
    pub height: i64,
    pub size: i64,
    pub name: String,
    pub uploaded_at: i64,
}

impl Image {
    /// Its address on this site.
    pub fn path(&self) -> String {
        super::path(&self.hash, self.kind)
    }
}

const COLUMNS: &str = "id, hash, kind, width, height, size, name, uploaded_at";

/// Keeps `bytes`, already sniffed, uploaded by `by` as `name`; the same
/// bytes uploaded before are kept once, under their first name.
pub async fn store(
    db: &AnyPool,
    bytes: &[u8],
    sniffed: Sniffed,
    name: &str,
    by: UserId,
) -> Result<Image> {
    let hash = hex::encode(Sha256::digest(bytes));
    sqlx::query(
        "INSERT INTO images (hash, kind, width, height, size, name, uploaded_by, uploaded_at, bytes)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (hash) DO NOTHING",
    )
    .bind(&hash)
    .bind(sniffed.kind.name())
    .bind(i64::from(sniffed.width))
    .bind(i64::from(sniffed.height))
    .bind(bytes.len() as i64)
    .bind(name)
    .bind(by)
    .bind(unix_now())
    .bind(bytes)
    .execute(db)
    .await?;
    Ok(
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM images WHERE hash = $1"))
            .bind(&hash)
            .fetch_one(db)
            .await?,
    )
}

/// The kind and bytes of the image named `hash`.
pub async fn bytes_of(db: &AnyPool, hash: &str) -> Result<Option<(Kind, Vec<u8>)>> {
    Ok(
        sqlx::query_as("SELECT kind, bytes FROM images WHERE hash = $1")
            .bind(hash)
            .fetch_optional(db)
            .await?,
    )
}

/// The image at `path` (`/images/<hash>.<ext>`), if Folio has it.
pub async fn at_path(db: &AnyPool, path: &str) -> Result<Option<Image>> {
    let Some((hash, kind)) = super::parse_path(path) else {
        return Ok(None);
    };
    let image: Option<Image> =
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM images WHERE hash = $1"))
            .bind(hash)
            .fetch_optional(db)
            .await?;
    Ok(image.filter(|image| image.kind == kind))
}

/// Every image, newest first, at most `limit`.
pub async fn newest(db: &AnyPool, limit: i64) -> Result<Vec<Image>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM images ORDER BY uploaded_at DESC, id DESC LIMIT $1"
    ))
    .bind(limit)
    .fetch_all(db)
    .await?)
}
