//! The schema migrations, one set per engine, embedded in the binary and
//! applied at every start.

use std::time::Duration;

use rocket::fairing;
use rocket::figment::Figment;
use rocket::{Build, Rocket};
use rocket_db_pools::Database;
use sqlx::migrate::Migrator;
use sqlx::AnyPool;

use super::{connect, ensure_data_dir, Backend, Db};
use crate::config::{self, Settings};
use crate::error::{Error, Result};

static SQLITE: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES: Migrator = sqlx::migrate!("./migrations/postgres");

/// The migrations for `engine`.
pub fn migrator(engine: Backend) -> &'static Migrator {
    match engine {
        Backend::Sqlite => &SQLITE,
        Backend::Postgres => &POSTGRES,
    }
}

/// Applies the migrations for the engine behind `pool`.
async fn migrate(pool: &AnyPool) -> std::result::Result<(), sqlx::migrate::MigrateError> {
    migrator(Backend::of(pool)).run(pool).await
}

/// Ignite fairing: applies the embedded migrations.
pub async fn run_migrations(rocket: Rocket<Build>) -> fairing::Result {
    let Some(db) = Db::fetch(&rocket) else {
        return Err(rocket);
    };
    match migrate(db.pool()).await {
        Ok(()) => Ok(rocket),
        Err(sqlx::migrate::MigrateError::VersionMissing(version)) => {
            rocket::error!(
                "the database has migration {version}, which this version of Folio does not know: \
                 it was written by a newer Folio. Run that version, or restore a backup."
            );
            Err(rocket)
        }
        Err(e) => {
            rocket::error!("database migrations failed: {e}");
            Err(rocket)
        }
    }
}

/// The configured database for a command run beside the server (`folio
/// admin …`): one connection, with the migrations applied.
pub async fn open_for_command(figment: &Figment) -> Result<AnyPool> {
    let figment = config::with_database_default(figment.clone());
    Settings::from_figment(&figment)?;
    config::check_database_url(&figment)?;
    let url = config::database_url(&figment)?;
    ensure_data_dir(&url)
        .map_err(|e| Error::internal_from(format!("cannot create the directory for {url}"), e))?;
    let pool = connect(&url, 1, Duration::from_secs(30))
        .await
        .map_err(|e| Error::internal_from(format!("cannot open the database {url}"), e))?;
    migrate(&pool)
        .await
        .map_err(|e| Error::internal_from(format!("cannot migrate the database {url}"), e))?;
    Ok(pool)
}
