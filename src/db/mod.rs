//! The database: SQLite by default, PostgreSQL when the URL says so, chosen
//! at start by `databases.folio.url`. Queries are written once, with `$N`
//! placeholders both engines read, and per engine only where the two
//! dialects differ ([`Backend`]).
//!
//! Counter rows are locked in one order by every transaction that raises
//! several of them (first reads, views, read-through steps): stories in id
//! order, each story's row before any of its days or weeks, and the site's
//! days last. On SQLite
//! writers take turns, so order does not matter; on PostgreSQL they run at
//! once, and two that locked the same rows in different orders would wait
//! for each other until the deadlock detector failed one of them, a second
//! later.

mod builder;
mod flag;
mod migrations;

use std::ops::Deref;
use std::str::FromStr;
use std::time::Duration;

use rocket::fairing;
use rocket::figment::Figment;
use rocket::{Build, Rocket};
use rocket_db_pools::Database;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sqlx::{AnyPool, Executor};

pub use builder::Sql;
pub use flag::Flag;
pub use migrations::{migrator, open_for_command, run_migrations};

/// The application's database, managed by Rocket. Handlers take `&Db`
/// and borrow a connection only when they need one.
#[derive(Database)]
#[database("folio")]
pub struct Db(DbPool);

impl Db {
    /// The underlying sqlx pool.
    pub fn pool(&self) -> &AnyPool {
        &self.0 .0
    }
}

/// Which database engine a pool talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The engine a database URL names.
    pub fn of_url(url: &str) -> Backend {
        if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }

    /// The engine behind `pool`.
    pub fn of(pool: &AnyPool) -> Backend {
        match pool.connect_options().database_url.scheme() {
            "postgres" | "postgresql" => Backend::Postgres,
            _ => Backend::Sqlite,
        }
    }

    /// A subquery of the ids in the JSON array of numbers bound at `param`
    /// (such as `$1`), for `id IN (…)` with any number of ids.
    pub fn ids_in(self, param: &str) -> String {
        match self {
            Backend::Sqlite => format!("SELECT CAST(value AS BIGINT) FROM json_each({param})"),
            Backend::Postgres => format!(
                "SELECT CAST(value AS BIGINT) FROM json_array_elements_text(CAST({param} AS json))"
            ),
        }
    }

    /// One of two spellings of a query, for where the dialects differ.
    pub fn pick(self, sqlite: &'static str, postgres: &'static str) -> &'static str {
        match self {
            Backend::Sqlite => sqlite,
            Backend::Postgres => postgres,
        }
    }
}

/// A sqlx pool on either engine, with the settings Folio relies on: for
/// SQLite, WAL, `synchronous = FULL`, foreign keys and a busy timeout on
/// every connection.
pub struct DbPool(AnyPool);

impl Deref for DbPool {
    type Target = AnyPool;
    fn deref(&self) -> &AnyPool {
        &self.0
    }
}

/// SQLite's settings, run on each new connection.
const SQLITE_PRAGMAS: &str = "
    PRAGMA journal_mode = WAL;
    -- FULL: a commit is on disk before it is acknowledged, so a read that a
    -- page showed survives a power cut, not only a crash.
    PRAGMA synchronous = FULL;
    PRAGMA foreign_keys = ON;
    -- Deleted rows (an ended day's visitor hashes and salt, ended sessions)
    -- are overwritten, not left in free pages of the file.
    PRAGMA secure_delete = ON;
    PRAGMA busy_timeout = 5000;";

/// The URL sqlx is given: a SQLite file is created when missing.
fn driver_url(url: &str) -> String {
    match Backend::of_url(url) {
        Backend::Sqlite if !url.contains("mode=") => {
            let joiner = if url.contains('?') { '&' } else { '?' };
            format!("{url}{joiner}mode=rwc")
        }
        _ => url.to_string(),
    }
}

/// Options for SQLite's own driver, with the same settings, for the tools
/// that work on a SQLite file directly (`folio backup`, data generators).
pub fn sqlite_options(url: &str) -> Result<SqliteConnectOptions, sqlx::Error> {
    Ok(SqliteConnectOptions::from_str(url)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .pragma("secure_delete", "ON")
        .busy_timeout(Duration::from_secs(5)))
}

/// A pool of at most `max` connections on `url`, with Folio's settings.
pub async fn connect(url: &str, max: u32, wait: Duration) -> Result<AnyPool, sqlx::Error> {
    sqlx::any::install_default_drivers();
    let engine = Backend::of_url(url);
    let options: AnyConnectOptions = driver_url(url).parse()?;
    AnyPoolOptions::new()
        .max_connections(max)
        .min_connections(1.min(max))
        .acquire_timeout(wait)
        // An in-process database has no network link to check.
        .test_before_acquire(engine == Backend::Postgres)
        .after_connect(move |conn, _| {
            Box::pin(async move {
                match engine {
                    Backend::Sqlite => conn.execute(SQLITE_PRAGMAS).await?,
                    // A commit is on disk before it is acknowledged, whatever
                    // the server's default.
                    Backend::Postgres => conn.execute("SET synchronous_commit = on").await?,
                };
                Ok(())
            })
        })
        .connect_with(options)
        .await
}

#[rocket::async_trait]
impl rocket_db_pools::Pool for DbPool {
    type Connection = sqlx::pool::PoolConnection<sqlx::Any>;
    type Error = rocket_db_pools::Error<sqlx::Error>;

    async fn init(figment: &Figment) -> Result<Self, Self::Error> {
        let config: rocket_db_pools::Config = figment.extract()?;
        let wait = Duration::from_secs(config.connect_timeout);
        let pool = connect(&config.url, config.max_connections as u32, wait)
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

/// Creates the directory that holds a SQLite database file, if it is
/// missing. A PostgreSQL URL needs none.
pub fn ensure_data_dir(url: &str) -> std::io::Result<()> {
    if Backend::of_url(url) == Backend::Postgres {
        return Ok(());
    }
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

/// Makes the transaction on `conn` wait for every other writer before it
/// reads what it will change. On SQLite a write that changes nothing takes
/// the write lock (otherwise a commit by another connection between the
/// read and the first write fails the transaction at once, where waiting
/// its turn would have worked); on PostgreSQL a transaction-scoped advisory
/// lock gives the same one-at-a-time order to these transactions.
pub async fn lock_for_writing(conn: &mut sqlx::AnyConnection) -> Result<(), sqlx::Error> {
    let sql = match conn.backend_name() {
        "PostgreSQL" => "SELECT pg_advisory_xact_lock(7345)",
        _ => "UPDATE meta SET value = value WHERE 0",
    };
    sqlx::query(sql).execute(conn).await.map(|_| ())
}
