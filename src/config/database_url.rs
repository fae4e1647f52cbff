//! The database URL: its default under the data directory, and the check
//! that it names an engine Folio speaks (SQLite or PostgreSQL).

use std::path::PathBuf;

use rocket::figment::providers::Serialized;
use rocket::figment::Figment;

use super::Settings;
use crate::error::{Error, Result};

/// Folio keeps its data in SQLite or PostgreSQL: any other database URL
/// (such as a `mysql://` one a platform may set in `DATABASE_URL`) is
/// refused.
pub fn check_database_url(figment: &Figment) -> Result<()> {
    let url = database_url(figment)?;
    let known = ["sqlite:", "postgres:", "postgresql:"];
    if known.iter().any(|scheme| url.starts_with(scheme)) {
        Ok(())
    } else {
        let scheme = url.split(':').next().unwrap_or_default();
        Err(Error::Config(format!(
            "bad setting databases.folio.url (or DATABASE_URL): Folio stores its data in SQLite \
             or PostgreSQL, so the URL must look like sqlite://data/folio.db or \
             postgres://user@host/folio, not {scheme}:…"
        )))
    }
}

/// Fills in `databases.folio.url` from the data directory when it is not set.
pub fn with_database_default(figment: Figment) -> Figment {
    let data_dir: PathBuf = figment
        .extract_inner("data_dir")
        .unwrap_or_else(|_| Settings::default().data_dir);
    let settings = Settings {
        data_dir,
        ..Settings::default()
    };
    figment.join(Serialized::default(
        "databases.folio.url",
        settings.default_database_url(),
    ))
}

/// The configured database URL.
pub fn database_url(figment: &Figment) -> Result<String> {
    figment
        .extract_inner("databases.folio.url")
        .map_err(|e| Error::Config(format!("bad setting databases.folio.url: {e}")))
}
