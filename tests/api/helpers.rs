//! The test harness: every test builds the real Folio, with the real pool
//! and migrations, on a fresh database of its own (a SQLite file, or a
//! PostgreSQL database: see `databases`), and talks to it like a browser
//! would.

use folio::db::Db;
use rocket::figment::Figment;
use rocket::http::Status;
use rocket::local::asynchronous::Client;
use rocket_db_pools::Database;
use sqlx::AnyPool;
use tempfile::TempDir;

pub use crate::client::{encode, Browser};

pub const PASSWORD: &str = "correct horse battery";

/// A running Folio and a handle on its database.
pub struct TestApp {
    pub client: Client,
    pub db: AnyPool,
    pub dir: TempDir,
}

/// Folio with the test defaults: its own database, no sample stories.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|figment| figment).await
}

/// Folio with the test defaults changed by `configure`.
pub async fn spawn_app_with(configure: impl FnOnce(Figment) -> Figment) -> TestApp {
    let dir = tempfile::tempdir().expect("a temporary directory");
    spawn_app_in(dir, configure).await
}

/// Folio on the database in `dir` (which may hold one from an earlier start).
pub async fn spawn_app_in(dir: TempDir, configure: impl FnOnce(Figment) -> Figment) -> TestApp {
    let figment = test_figment(&dir);
    let client = Client::untracked(folio::rocket(configure(figment)))
        .await
        .expect("Folio starts");
    let db = Db::fetch(client.rocket())
        .expect("a database")
        .pool()
        .clone();
    TestApp { client, db, dir }
}

pub fn test_figment(dir: &TempDir) -> Figment {
    folio::figment()
        .merge(("data_dir", dir.path()))
        .merge((
            "databases.folio.url",
            crate::databases::database_url(dir.path()),
        ))
        .merge(("sample_stories", false))
        .merge((
            "log_level",
            std::env::var("FOLIO_TEST_LOG").unwrap_or("off".into()),
        ))
}

impl TestApp {
    /// A browser in which `username` has just signed up (and so is logged in).
    pub async fn reader(&self, username: &str) -> Browser {
        let browser = Browser::new();
        let page = browser.signup(self, username, PASSWORD).await;
        assert_eq!(
            page.status,
            Status::SeeOther,
            "signup of {username} failed: {}",
            page.body
        );
        browser
    }

    /// A reader who has just signed up and followed the story `key`.
    pub async fn follower(&self, username: &str, key: &str) -> Browser {
        let reader = self.reader(username).await;
        let page = reader
            .post_form(self, &format!("/stories/{key}/follow"), &[])
            .await;
        assert_eq!(page.status, Status::NoContent, "{username} follows {key}");
        reader
    }

    /// How many rows of `table` (with a `user_id` column) are `username`'s.
    pub async fn rows_of(&self, table: &str, username: &str) -> i64 {
        let sql = format!(
            "SELECT COUNT(*) FROM {table} JOIN users ON users.id = {table}.user_id
             WHERE users.username = $1"
        );
        sqlx::query_scalar(&sql)
            .bind(username)
            .fetch_one(&self.db)
            .await
            .expect("a count")
    }

    /// A browser in which the admin `username`, just created, is logged in.
    pub async fn admin(&self, username: &str) -> Browser {
        folio::admin::accounts::create(&self.db, username, PASSWORD.to_string())
            .await
            .expect("an admin is created");
        let browser = Browser::new();
        let page = browser.login(self, username, PASSWORD).await;
        assert_eq!(
            page.status,
            Status::SeeOther,
            "login of {username} failed: {}",
            page.body
        );
        browser
    }

    /// Writes the views and visitors counted so far, as the flusher would.
    pub async fn flush_visits(&self) {
        let visits = self
            .client
            .rocket()
            .state::<std::sync::Arc<folio::visits::Visits>>()
            .expect("visits are counted");
        visits.flush().await;
    }

    /// Everything an admin route could change, to compare before and after.
    pub async fn fingerprint(&self) -> Vec<(String, i64)> {
        let mut all = Vec::new();
        for (name, sql) in [
            ("users", "SELECT COUNT(*) FROM users"),
            ("admins", "SELECT COUNT(*) FROM users WHERE is_admin = 1"),
            (
                "disabled",
                "SELECT COUNT(*) FROM users WHERE disabled_at IS NOT NULL",
            ),
            ("sessions", "SELECT COUNT(*) FROM sessions"),
            ("reset links", "SELECT COUNT(*) FROM password_resets"),
            ("stories", "SELECT COUNT(*) FROM stories"),
            (
                "published",
                "SELECT COUNT(*) FROM stories WHERE published_at IS NOT NULL",
            ),
            (
                "updated",
                "SELECT COALESCE(SUM(updated_at), 0) FROM stories",
            ),
            ("reads", "SELECT COUNT(*) FROM reads"),
            ("updates", "SELECT COUNT(*) FROM story_updates"),
            ("notifications", "SELECT COUNT(*) FROM notifications"),
            ("tokens", "SELECT COUNT(*) FROM api_tokens"),
            (
                "live tokens",
                "SELECT COUNT(*) FROM api_tokens WHERE revoked_at IS NULL",
            ),
        ] {
            all.push((name.to_string(), self.count(sql).await));
        }
        all
    }

    /// Adds a published story straight to the database.
    pub async fn add_story(&self, title: &str, body: &str) -> i64 {
        self.insert_story(title, body, true).await
    }

    /// Adds an unpublished draft straight to the database.
    pub async fn add_draft(&self, title: &str, body: &str) -> i64 {
        self.insert_story(title, body, false).await
    }

    async fn insert_story(&self, title: &str, body: &str, published: bool) -> i64 {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO stories (title, body, published_at, created_at, updated_at)
             VALUES ($1, $2, CASE WHEN $3 THEN 1 ELSE NULL END, 1, 1) RETURNING id",
        )
        .bind(title)
        .bind(body)
        .bind(published)
        .fetch_all(&self.db)
        .await
        .expect("a story is inserted")[0];
        // The slug Folio would give it, or with the id when that is taken.
        let slug = folio::stories::slugs::slugify(title);
        let taken = sqlx::query("UPDATE stories SET slug = $1 WHERE id = $2")
            .bind(&slug)
            .bind(id)
            .execute(&self.db)
            .await
            .is_err();
        if taken {
            sqlx::query("UPDATE stories SET slug = $1 WHERE id = $2")
                .bind(format!("{slug}-{id}"))
                .bind(id)
                .execute(&self.db)
                .await
                .expect("a free slug");
        }
        id
    }

    /// The number `sql` (one row, one column) answers; a sum's type varies
    /// by engine, so it is read as a 64-bit integer.
    pub async fn count(&self, sql: &str) -> i64 {
        sqlx::query_scalar(&format!("SELECT CAST(({sql}) AS BIGINT)"))
            .fetch_one(&self.db)
            .await
            .expect("a count")
    }

    pub async fn story_read_count(&self, id: i64) -> i64 {
        sqlx::query_scalar("SELECT read_count FROM stories WHERE id = $1")
            .bind(id)
            .fetch_one(&self.db)
            .await
            .expect("a story")
    }
}

/// A time limit for a test, stretched by `FOLIO_TEST_PATIENCE` (a whole
/// number, 1 when unset): the coverage run, whose instrumented code runs
/// several times slower, sets it. Timing targets are held by the plain run.
pub fn patience(limit: std::time::Duration) -> std::time::Duration {
    let factor = std::env::var("FOLIO_TEST_PATIENCE")
        .ok()
        .and_then(|f| f.parse::<u32>().ok())
        .unwrap_or(1)
        .max(1);
    limit * factor
}

/// Kills a child spawned in a process group of its own (`process_group(0)`)
/// with every process it started, which would otherwise outlive the test,
/// and reaps it.
pub fn kill_group(child: &mut std::process::Child) {
    if let Ok(group) = i32::try_from(child.id()) {
        // SAFETY: kill(2) on a process group this test created.
        unsafe {
            libc::kill(-group, libc::SIGKILL);
        }
    }
    let _ = child.kill();
    let _ = child.wait();
}
