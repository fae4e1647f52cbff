//! A few stories, written for Folio, that a new installation starts with so
//! a newcomer sees a working site. Added once: deleting them later does not
//! bring them back.

use sqlx::AnyPool;

use crate::db::Backend;

use super::queries;
use crate::error::Result;

const SAMPLES: [(&str, &str); 3] = [
    (
        "The Last Keeper of the Varn Light",
        include_str!("samples/lighthouse.md"),
    ),
    (
        "The Cartographer of Small Things",
        include_str!("samples/cartographer.md"),
    ),
    ("Seat 14", include_str!("samples/night-train.md")),
];

const MARKER: &str = "sample_stories_added";

/// Adds the sample stories to a database that has never had any stories.
pub async fn add_if_new(db: &AnyPool) -> Result<()> {
    let mut tx = db.begin().await?;
    let added: Option<String> = sqlx::query_scalar("SELECT value FROM meta WHERE key = $1")
        .bind(MARKER)
        .fetch_optional(&mut *tx)
        .await?;
    // The ids' sequence has moved once any story was ever added.
    let ever = Backend::of(db).pick(
        "SELECT seq FROM sqlite_sequence WHERE name = 'stories'",
        "SELECT last_value FROM stories_id_seq WHERE is_called",
    );
    let ever_had_stories: Option<i64> = sqlx::query_scalar(ever).fetch_optional(&mut *tx).await?;
    if added.is_some() || ever_had_stories.is_some() {
        return Ok(());
    }
    sqlx::query("INSERT INTO meta (key, value) VALUES ($1, 'yes')")
        .bind(MARKER)
        .execute(&mut *tx)
        .await?;
    for (title, body) in SAMPLES {
        queries::insert_published(&mut tx, title, body).await?;
    }
    tx.commit().await?;
    Ok(())
}
