//! Folio as a separate process, as a self-hoster runs it: started from a
//! binary in an empty directory, talked to over real sockets, stopped with a
//! signal or killed. Readers and stories are written into its database
//! beforehand, so that a load of first reads can start at once.

use std::collections::HashSet;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::time::Duration;

use rocket::tokio::io::{AsyncReadExt, AsyncWriteExt};
use rocket::tokio::net::TcpStream;
use rocket::tokio::time::{sleep, timeout, Instant};
use sha2::{Digest, Sha256};
use sqlx::AnyPool;
use tempfile::TempDir;

/// How long a start, a stop or one request may take.
const PATIENCE: Duration = Duration::from_secs(30);

/// The debug binary Cargo built for these tests.
pub fn debug_binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_folio"))
}

/// The release binary: `FOLIO_BIN`, or `target/release/folio`.
pub fn release_binary() -> PathBuf {
    let path = std::env::var_os("FOLIO_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/folio"));
    assert!(
        path.exists(),
        "{} is missing: run `cargo build --release` first (or set FOLIO_BIN)",
        path.display()
    );
    path
}

/// A fresh secret key, as `openssl rand -base64 32` makes one.
pub fn new_key() -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(rand::random::<[u8; 32]>())
}

/// A running Folio process, in a directory of its own.
pub struct Folio {
    child: Child,
    binary: PathBuf,
    limits: Limits,
    pub dir: TempDir,
    pub port: u16,
    pub key: String,
}

impl Folio {
    /// The database of a Folio started in `dir`, for [`populate`] before
    /// the start: `data/folio.db` in it, or a database of its own on the
    /// tests' PostgreSQL server when they run on one.
    pub fn database_url(dir: &Path) -> String {
        match crate::databases::on_postgres() {
            true => crate::databases::database_url(dir),
            false => format!("sqlite://{}", dir.join("data").join("folio.db").display()),
        }
    }

    /// Starts `binary` in `dir`, with a fresh secret key, on a port of the
    /// system's choosing, and waits until it is ready.
    pub async fn start(binary: &Path, dir: TempDir, key: &str) -> Folio {
        Folio::start_with(binary, dir, key, Limits::default()).await
    }

    /// The same, with settings from the environment and an open-file limit.
    pub async fn start_with(binary: &Path, dir: TempDir, key: &str, limits: Limits) -> Folio {
        let child = spawn(binary, dir.path(), 0, key, &["serve"], &limits);
        let mut folio = Folio {
            child,
            limits,
            binary: binary.to_path_buf(),
            dir,
            port: 0,
            key: key.to_string(),
        };
        folio.wait_ready().await;
        folio
    }

    /// Starts the same binary again on the same directory, once the
    /// previous process has ended.
    pub async fn restart(&mut self) {
        let (dir, key) = (self.dir.path(), &self.key);
        self.child = spawn(&self.binary, dir, 0, key, &["serve"], &self.limits);
        self.wait_ready().await;
    }

    /// How many times the log says Folio launched, and the port of the last.
    fn launches(&self) -> (usize, Option<u16>) {
        let log = self.log();
        let lines: Vec<&str> = log
            .lines()
            .filter(|l| l.contains("launched from http://"))
            .collect();
        let port = lines
            .last()
            .and_then(|l| l.rsplit(':').next()?.trim().parse().ok());
        (lines.len(), port)
    }

    async fn wait_ready(&mut self) {
        let deadline = Instant::now() + PATIENCE;
        let (before, _) = self.launches();
        loop {
            if let (count, Some(port)) = self.launches() {
                if count > before {
                    self.port = port;
                    if let Ok((200, _)) = get(port, "/health/ready", None).await {
                        return;
                    }
                }
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("folio exited with {status}:\n{}", self.log());
            }
            assert!(
                Instant::now() < deadline,
                "folio never got ready:\n{}",
                self.log()
            );
            sleep(Duration::from_millis(50)).await;
        }
    }

    /// Runs `folio <args>` with the server's settings and directory.
    pub fn command(&self, args: &[&str]) -> Output {
        let (dir, key) = (self.dir.path(), &self.key);
        let child = spawn(&self.binary, dir, self.port, key, args, &self.limits);
        child.wait_with_output().expect("folio finishes")
    }

    /// Sends SIGTERM and waits for the process to end.
    pub async fn terminate(&mut self) -> ExitStatus {
        let pid = self.child.id() as libc::pid_t;
        // SAFETY: signals the child this struct owns and has not reaped.
        unsafe { libc::kill(pid, libc::SIGTERM) };
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(status) = self.child.try_wait().expect("the child's status") {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "folio did not stop:\n{}",
                self.log()
            );
            sleep(Duration::from_millis(20)).await;
        }
    }

    /// SIGKILL: the process ends at once, mid-write if it was writing.
    pub fn kill(&mut self) {
        self.child.kill().expect("folio is killed");
        self.child.wait().expect("folio is reaped");
    }

    /// What the process printed.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("folio.log")).unwrap_or_default()
    }
}

impl Drop for Folio {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What a started process is given beyond the defaults.
#[derive(Default, Clone)]
pub struct Limits {
    /// `ROCKET_*` settings and the like.
    pub env: Vec<(&'static str, String)>,
    /// The process's open-file limit (soft and hard).
    pub open_files: Option<u64>,
}

fn spawn(binary: &Path, dir: &Path, port: u16, key: &str, args: &[&str], limits: &Limits) -> Child {
    let serving = args == ["serve"];
    let log = File::options()
        .create(true)
        .append(true)
        .open(dir.join("folio.log"))
        .expect("a log file");
    let (out, err) = match serving {
        true => (Stdio::from(log.try_clone().expect("log")), Stdio::from(log)),
        false => (Stdio::piped(), Stdio::piped()),
    };
    let mut command = Command::new(binary);
    command
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("ROCKET_SECRET_KEY", key)
        .env("ROCKET_PORT", port.to_string())
        .env("ROCKET_SAMPLE_STORIES", "false")
        .env("DATABASE_URL", Folio::database_url(dir))
        .envs(limits.env.iter().map(|(k, v)| (k, v)))
        .stdout(out)
        .stderr(err);
    if let Some(files) = limits.open_files {
        use std::os::unix::process::CommandExt;
        let limit = libc::rlimit {
            rlim_cur: files,
            rlim_max: files,
        };
        // SAFETY: setrlimit is async-signal-safe, and only the child's own
        // limit is changed, between fork and exec.
        unsafe {
            command.pre_exec(move || match libc::setrlimit(libc::RLIMIT_NOFILE, &limit) {
                0 => Ok(()),
                _ => Err(std::io::Error::last_os_error()),
            });
        }
    }
    command.spawn().expect("the folio binary runs")
}

/// `GET path` on a new connection: the status and the body.
pub async fn get(port: u16, path: &str, cookie: Option<&str>) -> std::io::Result<(u16, String)> {
    let cookie = cookie
        .map(|c| format!("Cookie: {c}\r\n"))
        .unwrap_or_default();
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\
         User-Agent: Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0\r\n{cookie}Connection: close\r\n\r\n"
    );
    let exchange = async {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).await?;
        stream.write_all(request.as_bytes()).await?;
        let mut response = Vec::new();
        stream.read_to_end(&mut response).await?;
        Ok::<_, std::io::Error>(response)
    };
    let response = timeout(PATIENCE, exchange).await??;
    let text = String::from_utf8_lossy(&response).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("no status line in {head:?}")))?;
    Ok((status, body.to_string()))
}

/// Readers, each with a session cookie, and stories, in a database.
pub struct Population {
    /// (user id, `Cookie` header value)
    pub readers: Vec<(i64, String)>,
    pub stories: Vec<i64>,
}

/// Creates the database at `url` with Folio's migrations, `stories`
/// stories and `readers` readers logged in with cookies for `key`.
pub async fn populate(url: &str, key: &str, readers: usize, stories: usize) -> Population {
    let mint = crate::cookies::CookieMint::new(key).await;
    folio::db::ensure_data_dir(url).expect("data dir");
    let db = open(url).await;
    folio::db::migrator(folio::db::Backend::of_url(url))
        .run(&db)
        .await
        .expect("migrations");
    let mut tx = db.begin().await.expect("a transaction");
    let body = "A paragraph of the story, long enough to be worth reading. ".repeat(60);
    let mut population = Population {
        readers: Vec::new(),
        stories: Vec::new(),
    };
    for n in 0..stories {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO stories (title, body, published_at, created_at, updated_at)
             VALUES ($1, $2, 1, 1, 1) RETURNING id",
        )
        .bind(format!("Story {n}"))
        .bind(&body)
        .fetch_one(&mut *tx)
        .await
        .expect("a story");
        population.stories.push(id);
    }
    for n in 0..readers {
        let user: i64 = sqlx::query_scalar(
            "INSERT INTO users (username, password_hash, created_at) VALUES ($1, 'none', 1)
             RETURNING id",
        )
        .bind(format!("reader{n}"))
        .fetch_one(&mut *tx)
        .await
        .expect("a reader");
        let token = folio::util::random_token();
        let session: i64 = sqlx::query_scalar(
            "INSERT INTO sessions (token_hash, user_id, created_at, expires_at)
             VALUES ($1, $2, 1, 4102444800) RETURNING id",
        )
        .bind(&Sha256::digest(token.as_bytes())[..])
        .bind(user)
        .fetch_one(&mut *tx)
        .await
        .expect("a session");
        let cookie = mint.reader(&token, session, 4_102_444_800).await;
        population.readers.push((user, cookie));
    }
    tx.commit().await.expect("commit");
    db.close().await;
    population
}

/// A pool on the database at `url`, set up as Folio sets up its own.
pub async fn open(url: &str) -> AnyPool {
    folio::db::connect(url, 4, std::time::Duration::from_secs(30))
        .await
        .expect("the database opens")
}

/// Every (story, reader) read in the database.
pub async fn reads_in(db: &AnyPool) -> HashSet<(i64, i64)> {
    sqlx::query_as::<_, (i64, i64)>("SELECT story_id, user_id FROM reads")
        .fetch_all(db)
        .await
        .expect("the reads")
        .into_iter()
        .collect()
}

/// Stories whose read counter differs from their rows in `reads`.
pub async fn miscounted_stories(db: &AnyPool) -> Vec<(i64, i64, i64)> {
    sqlx::query_as(
        "SELECT s.id, s.read_count, CAST(COUNT(r.user_id) AS BIGINT)
         FROM stories s LEFT JOIN reads r ON r.story_id = s.id
         GROUP BY s.id, s.read_count HAVING s.read_count <> COUNT(r.user_id)",
    )
    .fetch_all(db)
    .await
    .expect("the counters")
}
