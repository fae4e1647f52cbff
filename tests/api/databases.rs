//! Which engine the tests run on. By default each test gets a SQLite file
//! in its temporary directory; with `FOLIO_TEST_POSTGRES` set to a
//! PostgreSQL server's URL (as `.ci/run` does), each gets a database of its
//! own on that server instead, named after its directory.

use std::path::Path;
use std::time::Duration;

/// The PostgreSQL server the tests run on, if they run on one.
pub fn postgres_server() -> Option<String> {
    std::env::var("FOLIO_TEST_POSTGRES")
        .ok()
        .filter(|url| !url.is_empty())
}

/// The time now in Unix seconds, for rows a test writes itself.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// Whether the tests run on PostgreSQL.
pub fn on_postgres() -> bool {
    postgres_server().is_some()
}

/// Says so, for a test of something only SQLite has (its file, its
/// pragmas, `folio backup`), when the tests run on PostgreSQL.
pub fn sqlite_only(test: &str) -> bool {
    if on_postgres() {
        eprintln!("{test}: a test of SQLite's own file; not run on PostgreSQL");
    }
    on_postgres()
}

/// The database URL for the test whose directory is `dir`: the same one
/// for every start in that directory, created on first use.
pub fn database_url(dir: &Path) -> String {
    let Some(server) = postgres_server() else {
        return format!("sqlite://{}/folio.db", dir.display());
    };
    let name: String = dir
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    let name = format!("folio_test_{name}");
    create_database(&server, &name);
    let base = server.rsplit_once('/').map_or(server.as_str(), |(b, _)| b);
    format!("{base}/{name}")
}

/// Creates database `name` on `server` unless it exists. Runs on a thread
/// of its own, as callers may be inside an async runtime or not.
fn create_database(server: &str, name: &str) {
    let (server, name) = (server.to_string(), name.to_string());
    std::thread::spawn(move || {
        let runtime = rocket::tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        runtime.block_on(async {
            let pool = folio::db::connect(&server, 1, Duration::from_secs(30))
                .await
                .expect("the PostgreSQL server for the tests answers");
            let exists: Option<i32> =
                sqlx::query_scalar("SELECT 1 FROM pg_database WHERE datname = $1")
                    .bind(&name)
                    .fetch_optional(&pool)
                    .await
                    .expect("the list of databases");
            if exists.is_none() {
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&pool)
                    .await
                    .expect("a database for the test");
            }
            pool.close().await;
        })
    })
    .join()
    .expect("the database is made");
}
