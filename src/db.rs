//! The database: a SQLite pool with the pragmas Folio relies on, and the
//! embedded migrations, applied at every start.

use std::ops::Deref;
use std::str::FromStr;
use std::time::Duration;

use rocket::fairing;
use rocket::figment::Figment;
use rocket::{Build, Rocket};
use rocket_db_pools::Database;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;

use crate::config::{self, Settings};
use crate::error::Error;

/// The application's database, managed by Rocket. Handlers take `&Db`
/// and borrow a connection only when they need one.
#[derive(Database)]
#[database("folio")]
pub struct Db(DbPool);

impl Db {
    /// The underlying sqlx pool.
    pub fn pool(&self) -> &SqlitePool {
        &self.0 .0
    }
}

/// A sqlx SQLite pool built from options rather than from a URL alone, so
/// that WAL, `synchronous = FULL`, foreign keys and a busy timeout are set
/// on every connection.
pub struct DbPool(SqlitePool);

impl Deref for DbPool {
    type Target = SqlitePool;
    fn deref(&self) -> &SqlitePool {
        &self.0
    }
}

/// Connection options for a database URL, with Folio's pragmas.
pub fn connect_options(url: &str) -> Result<SqliteConnectOptions, sqlx::Error> {
    Ok(SqliteConnectOptions::from_str(url)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        // FULL: a commit is on disk before it is acknowledged, so a read
        // that a page showed survives a power cut, not only a crash.
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        // Deleted rows (an ended day's visitor hashes and salt, ended
        // sessions) are overwritten, not left in free pages of the file.
        .pragma("secure_delete", "ON")
        .busy_timeout(Duration::from_secs(5)))
}

#[rocket::async_trait]
impl rocket_db_pools::Pool for DbPool {
    type Connection = sqlx::pool::PoolConnection<sqlx::Sqlite>;
    type Error = rocket_db_pools::Error<sqlx::Error>;

    async fn init(figment: &Figment) -> Result<Self, Self::Error> {
        let config: rocket_db_pools::Config = figment.extract()?;
        let options = connect_options(&config.url).map_err(rocket_db_pools::Error::Init)?;
        let pool = SqlitePoolOptions::new()
            .max_connections(config.max_connections as u32)
            .min_connections(config.min_connections.unwrap_or(1))
            .acquire_timeout(Duration::from_secs(config.connect_timeout))
            // An in-process database has no network link to check.
            .test_before_acquire(false)
            .connect_with(options)
            .await
            .map_err(rocket_db_pools::Error::Init)?;
        Ok(DbPool(pool))
    }

    async fn get(&self) -> Result<Self::Connection, Self::Error> {
        self.0.acquire().await.map_err(rocket_db_pools::Error::Get)
    }

    /// Rocket calls this as soon as shutdown begins, while requests in
    /// their grace period still need the database and the counts kept in
    /// memory are still to be written; so it does nothing, and Folio closes
    /// the pool itself once the server has stopped ([`crate::serve`]).
    async fn close(&self) {}
}

/// Creates the directory that holds the database file, if it is missing.
pub fn ensure_data_dir(url: &str) -> std::io::Result<()> {
    let path = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:");
    let path = path.split('?').next().unwrap_or(path);
    match std::path::Path::new(path).parent() {
        Some(dir) if !dir.as_os_str().is_empty() => std::fs::create_dir_all(dir),
        _ => Ok(()),
    }
}

/// Ignite fairing: creates the data directory and the database's directory.
pub async fn create_data_dir(rocket: Rocket<Build>) -> fairing::Result {
    let url: String = match rocket.figment().extract_inner("databases.folio.url") {
        Ok(url) => url,
        Err(e) => {
            rocket::error!("bad setting databases.folio.url: {e}");
            return Err(rocket);
        }
    };
    let data_dir: std::path::PathBuf = rocket
        .figment()
        .extract_inner("data_dir")
        .unwrap_or_else(|_| "data".into());
    let created = std::fs::create_dir_all(&data_dir).and_then(|()| ensure_data_dir(&url));
    match created {
        Ok(()) => Ok(rocket),
        Err(e) => {
            rocket::error!(
                "cannot create the data directory {} or the one for {url}: {e}",
                data_dir.display()
            );
            Err(rocket)
        }
    }
}

/// The schema migrations, embedded in the binary.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// Ignite fairing: applies the embedded migrations.
pub async fn run_migrations(rocket: Rocket<Build>) -> fairing::Result {
    let Some(db) = Db::fetch(&rocket) else {
        return Err(rocket);
    };
    match MIGRATOR.run(db.pool()).await {
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

/// Takes SQLite's write lock as the first statement of a transaction that
/// reads before it writes. Otherwise a commit by another connection between
/// the read and the first write fails the transaction at once (a stale
/// snapshot cannot be upgraded), where waiting its turn would have worked.
pub async fn lock_for_writing(conn: &mut sqlx::SqliteConnection) -> Result<(), sqlx::Error> {
    // A write that changes nothing still takes the lock.
    sqlx::query("UPDATE meta SET value = value WHERE 0")
        .execute(conn)
        .await
        .map(|_| ())
}

/// The configured database for a command run beside the server (`folio
/// admin …`): one connection, with the migrations applied.
pub async fn open_for_command(figment: &Figment) -> crate::error::Result<SqlitePool> {
    let figment = config::with_database_default(figment.clone());
    Settings::from_figment(&figment)?;
    config::check_database_url(&figment)?;
    let url = config::database_url(&figment)?;
    ensure_data_dir(&url)
        .map_err(|e| Error::internal_from(format!("cannot create the directory for {url}"), e))?;
    let options =
        connect_options(&url).map_err(|e| Error::Config(format!("bad database URL {url}: {e}")))?;
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .map_err(|e| Error::internal_from(format!("cannot open the database {url}"), e))?;
    MIGRATOR
        .run(&pool)
        .await
        .map_err(|e| Error::internal_from(format!("cannot migrate the database {url}"), e))?;
    Ok(pool)
}
