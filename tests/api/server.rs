//! Folio served on a real port of 127.0.0.1, for tests that need real
//! connections: the browser tests and the live listener's.

use std::net::TcpStream;
use std::time::Duration;

use folio::db::Db;
use rocket::fairing::AdHoc;
use rocket::figment::Figment;
use rocket::tokio::sync::oneshot;
use rocket::tokio::time::{sleep, Instant};
use rocket::Shutdown;
use rocket_db_pools::Database;
use sqlx::AnyPool;
use tempfile::TempDir;

use crate::helpers::test_figment;

/// How long the harness waits for a server to start or stop.
const PATIENCE: Duration = Duration::from_secs(10);

/// Folio listening on an ephemeral port of 127.0.0.1.
pub struct Server {
    pub base: String,
    pub port: u16,
    pub db: AnyPool,
    /// The dedicated live listener's port, when `live_port` was set.
    pub live_port: Option<u16>,
    shutdown: Shutdown,
    dir: Option<TempDir>,
}

impl Server {
    pub async fn start(configure: impl FnOnce(Figment) -> Figment) -> Server {
        let dir = tempfile::tempdir().expect("a temporary directory");
        Server::start_in(dir, 0, configure).await
    }

    /// Folio on the database in `dir`, on `port` (0: any free port).
    pub async fn start_in(
        dir: TempDir,
        port: u16,
        configure: impl FnOnce(Figment) -> Figment,
    ) -> Server {
        let figment = configure(test_figment(&dir).merge(("port", port)));
        let (port_tx, port_rx) = oneshot::channel();
        let rocket = folio::rocket(figment)
            .attach(AdHoc::on_liftoff("Port", |rocket| {
                Box::pin(async move {
                    let _ = port_tx.send(rocket.config().port);
                })
            }))
            .ignite()
            .await
            .expect("Folio ignites");
        let db = Db::fetch(&rocket).expect("a database").pool().clone();
        let live_port = rocket
            .state::<folio::streams::LiveListener>()
            .map(|l| l.port);
        let shutdown = rocket.shutdown();
        rocket::tokio::spawn(async move {
            if let Err(e) = rocket.launch().await {
                panic!("Folio stopped: {e}");
            }
        });
        let port = port_rx.await.expect("Folio lifts off");
        Server {
            base: format!("http://127.0.0.1:{port}"),
            port,
            db,
            live_port,
            shutdown,
            dir: Some(dir),
        }
    }

    /// Stops Folio, keeping its port and database for `Stopped::start`, as
    /// an upgrade or a crash-and-restart would.
    pub async fn stop_for_restart(mut self) -> Stopped {
        let (port, dir) = (self.port, self.dir.take().expect("a data directory"));
        self.stop();
        self.db.close().await;
        // The port is free once the old server stopped accepting.
        let deadline = Instant::now() + PATIENCE;
        while TcpStream::connect(("127.0.0.1", port)).is_ok() {
            assert!(Instant::now() < deadline, "the old server kept its port");
            sleep(Duration::from_millis(50)).await;
        }
        let url = crate::databases::database_url(dir.path());
        let db = folio::db::connect(&url, 4, PATIENCE)
            .await
            .expect("the database opens");
        Stopped { port, dir, db }
    }

    /// The data directory, for a second node on the same database.
    pub fn data_dir(&self) -> std::path::PathBuf {
        self.dir
            .as_ref()
            .map(|dir| dir.path().to_path_buf())
            .unwrap_or_default()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn add_story(&self, title: &str, body: &str) -> i64 {
        sqlx::query_scalar(
            "INSERT INTO stories (title, body, published_at, created_at, updated_at)
             VALUES ($1, $2, 1, 1, 1) RETURNING id",
        )
        .bind(title)
        .bind(body)
        .fetch_all(&self.db)
        .await
        .expect("a story is inserted")[0]
    }
}

impl Server {
    /// Stops Folio (as a SIGTERM would); it keeps its data for a restart.
    pub fn stop(&self) {
        self.shutdown.clone().notify();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shutdown.clone().notify();
    }
}

/// A stopped Folio whose database can still be changed before it restarts.
pub struct Stopped {
    port: u16,
    dir: TempDir,
    pub db: AnyPool,
}

impl Stopped {
    /// Starts Folio again on the same port and database.
    pub async fn start(self, configure: impl FnOnce(Figment) -> Figment) -> Server {
        self.db.close().await;
        Server::start_in(self.dir, self.port, configure).await
    }
}

/// Records `count` reads of `story` by new readers, straight in the database.
pub async fn add_reads(db: &AnyPool, story: i64, count: usize) {
    for n in 0..count {
        let user: i64 = sqlx::query_scalar(
            "INSERT INTO users (username, password_hash, created_at) VALUES ($1, 'x', 1) RETURNING id",
        )
        .bind(format!("offline{n}"))
        .fetch_all(db)
        .await
        .expect("a user")[0];
        sqlx::query("INSERT INTO reads (story_id, user_id, read_at) VALUES ($1, $2, 1)")
            .bind(story)
            .bind(user)
            .execute(db)
            .await
            .expect("a read");
    }
}
