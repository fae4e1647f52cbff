//! PostgreSQL out of reach: pages and the API answer 503 in their own
//! format, readiness says not ready, liveness still answers, and all comes
//! back when the server does, without restarting Folio. The test runs a
//! PostgreSQL server of its own (`.ci/postgres`), so that stopping it
//! disturbs no other test.

use std::net::TcpListener;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use rocket::http::{Header, Status};
use rocket::tokio::time::{sleep, Instant};

use crate::helpers::{spawn_app_with, Browser};

/// `.ci/postgres` with `args`; its printed URL, if it succeeded.
fn postgres(args: &[&str]) -> Option<String> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/postgres");
    let out = Command::new("bash").arg(script).args(args).output().ok()?;
    if !out.status.success() {
        eprintln!("{}", String::from_utf8_lossy(&out.stderr));
    }
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

#[rocket::async_test]
#[ignore = "needs FOLIO_TEST_POSTGRES: runs in the PostgreSQL pass of .ci/run"]
async fn without_its_postgresql_folio_answers_503_and_recovers_without_a_restart() {
    if !crate::databases::on_postgres() {
        eprintln!("a test of PostgreSQL going away: runs with FOLIO_TEST_POSTGRES");
        return;
    }
    let dir = tempfile::tempdir().expect("a temporary directory");
    let cluster = dir.path().join("postgres");
    let cluster = cluster.to_str().expect("a UTF-8 path");
    let port = free_port().to_string();
    let server = postgres(&["start", cluster, &port]).expect("a PostgreSQL server of its own");
    let admin = folio::db::connect(&server, 1, Duration::from_secs(10))
        .await
        .expect("the server answers");
    sqlx::query("CREATE DATABASE folio")
        .execute(&admin)
        .await
        .expect("a database");
    admin.close().await;
    let url = match server.rsplit_once('/') {
        Some((base, _)) => format!("{base}/folio"),
        None => panic!("a URL: {server}"),
    };
    let app = spawn_app_with(|figment| {
        figment
            .merge(("databases.folio.url", url))
            .merge(("databases.folio.connect_timeout", 1))
    })
    .await;
    app.add_story("Harbour", "Gulls over the harbour.").await;
    let reader = app.reader("alice").await;
    let search = "/?q=gulls";
    let json = || Header::new("Accept", "application/json");
    assert_eq!(reader.get(&app, search).await.status, Status::Ok);

    postgres(&["stop", cluster]).expect("the server stops");

    let page = reader.get(&app, search).await;
    assert_eq!(page.status, Status::ServiceUnavailable, "{}", page.body);
    assert!(
        page.body.contains("database is out of reach"),
        "{}",
        page.body
    );
    assert!(page.body.contains("<html"), "an HTML page: {}", page.body);
    let api = reader.get_with(&app, "/api/log", json()).await;
    assert_eq!(api.status, Status::ServiceUnavailable, "{}", api.body);
    assert!(api.json()["error"].is_string(), "{}", api.body);
    let ready = Browser::new().get(&app, "/health/ready").await;
    assert_eq!(ready.status, Status::ServiceUnavailable, "{}", ready.body);
    assert_eq!(ready.json()["status"], "unavailable");
    assert_eq!(Browser::new().get(&app, "/health").await.status, Status::Ok);

    postgres(&["resume", cluster, &port]).expect("the server is back");

    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let page = reader.get(&app, search).await;
        if page.status == Status::Ok {
            assert!(page.body.contains("Harbour"), "{}", page.body);
            break;
        }
        assert!(
            Instant::now() < deadline,
            "Folio did not recover: {}",
            page.status
        );
        sleep(Duration::from_millis(100)).await;
    }
    let ready = Browser::new().get(&app, "/health/ready").await;
    assert_eq!(ready.status, Status::Ok, "{}", ready.body);
    drop(app);
    postgres(&["stop", cluster]);
}
