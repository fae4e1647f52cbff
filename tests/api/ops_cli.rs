//! `folio healthcheck`, start-up refusals and the request log, through the
//! real binary.

use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::process::{debug_binary, new_key, open, populate, Folio};

/// Runs `folio <args>` in `dir` with only `env` set; one still running
/// after 20 s counts as started.
fn folio(dir: &std::path::Path, args: &[&str], env: &[(&str, &str)]) -> (bool, String) {
    let mut child = Command::new(debug_binary())
        .args(args)
        .current_dir(dir)
        .env_clear()
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("folio runs");
    let deadline = Instant::now() + Duration::from_secs(20);
    while child.try_wait().expect("a status").is_none() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    let still_running = child.try_wait().expect("a status").is_none();
    if still_running {
        let _ = child.kill();
    }
    let Output {
        status,
        stdout,
        stderr,
    } = child.wait_with_output().expect("folio ends");
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&stdout),
        String::from_utf8_lossy(&stderr)
    );
    (status.success() || still_running, said)
}

#[rocket::async_test]
async fn healthcheck_exits_0_when_ready_and_1_when_not_or_when_nothing_answers() {
    let dir = tempfile::tempdir().unwrap();
    let key = new_key();
    populate(&Folio::database_url(dir.path()), &key, 1, 1).await;
    let mut server = Folio::start(&debug_binary(), dir, &key).await;

    let ready = server.command(&["healthcheck"]);
    let db = open(&Folio::database_url(server.dir.path())).await;
    sqlx::query("UPDATE _sqlx_migrations SET success = FALSE WHERE version = (SELECT MAX(version) FROM _sqlx_migrations)")
        .execute(&db)
        .await
        .unwrap();
    let unready = server.command(&["healthcheck"]);
    server.terminate().await;
    let gone = server.command(&["healthcheck"]);

    assert!(
        ready.status.success(),
        "{}",
        String::from_utf8_lossy(&ready.stderr)
    );
    assert!(String::from_utf8_lossy(&ready.stdout).contains("ready"));
    assert_eq!(unready.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&unready.stderr).contains("503"));
    assert!(String::from_utf8_lossy(&unready.stderr).contains("failed part-way"));
    assert_eq!(gone.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&gone.stderr).contains("nothing answers"));
}

#[rocket::async_test]
async fn a_database_written_by_a_newer_folio_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let key = new_key();
    populate(&Folio::database_url(dir.path()), &key, 1, 1).await;
    let db = open(&Folio::database_url(dir.path())).await;
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, installed_on, success, checksum, execution_time)
         VALUES (99991231000001, 'from the future', CURRENT_TIMESTAMP, TRUE, $1, 0)",
    )
    .bind(vec![0u8])
    .execute(&db)
    .await
    .unwrap();
    let stories_before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM stories")
        .fetch_one(&db)
        .await
        .unwrap();
    db.close().await;

    let (started, said) = folio(
        dir.path(),
        &["serve"],
        &[
            ("ROCKET_SECRET_KEY", &key),
            ("ROCKET_PORT", "0"),
            ("DATABASE_URL", &Folio::database_url(dir.path())),
        ],
    );

    assert!(!started);
    assert!(said.contains("99991231000001"), "{said}");
    assert!(said.contains("newer Folio"), "{said}");
    let db = open(&Folio::database_url(dir.path())).await;
    let stories_after: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM stories")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(stories_after, stories_before);
}

#[test]
fn a_bad_setting_stops_the_start_naming_the_key_and_the_problem() {
    let dir = tempfile::tempdir().unwrap();
    let key = new_key();
    let cases = [
        ("ROCKET_PRESENCE_TTL", "0", "presence_ttl"),
        ("ROCKET_PORT", "eighty", "port"),
        ("ROCKET_LOG_LEVEL", "chatty", "log_level"),
        ("ROCKET_METRICS_TOKEN", "short", "metrics_token"),
        (
            "ROCKET_ACTIVITY_READER_ACTION_BURST",
            "0",
            "activity_reader_action_burst",
        ),
        (
            "ROCKET_ACTIVITY_TOKEN_ACTIONS_PER_DAY",
            "-5",
            "activity_token_actions_per_day",
        ),
        ("DATABASE_URL", "mysql://db/folio", "postgresql"),
    ];
    for (variable, value, named) in cases {
        let (started, said) = folio(
            dir.path(),
            &["serve"],
            &[("ROCKET_SECRET_KEY", &key), (variable, value)],
        );
        assert!(!started, "{variable}={value} was accepted");
        assert!(
            said.to_lowercase().contains(named),
            "{variable}={value}: {said}"
        );
    }
}

#[rocket::async_test]
async fn the_log_has_one_line_per_request_without_query_strings() {
    let dir = tempfile::tempdir().unwrap();
    let key = new_key();
    populate(&Folio::database_url(dir.path()), &key, 1, 1).await;
    let mut server = Folio::start(&debug_binary(), dir, &key).await;

    crate::process::get(server.port, "/?secret=hunter2", None)
        .await
        .unwrap();
    crate::process::get(server.port, "/no-such-page", None)
        .await
        .unwrap();
    server.terminate().await;

    let log = server.log();
    let lines: Vec<&str> = log.lines().filter(|l| l.contains(" GET /")).collect();
    assert!(
        lines
            .iter()
            .any(|l| l.ends_with("ms") && l.contains(" GET / 200 ")),
        "{log}"
    );
    assert!(
        lines.iter().any(|l| l.contains(" GET /no-such-page 404 ")),
        "{log}"
    );
    assert!(
        !log.contains("hunter2"),
        "the query string was logged: {log}"
    );
    assert!(
        !log.contains(">>"),
        "Rocket's per-request lines were kept: {log}"
    );
}

#[test]
fn backup_on_postgresql_says_how_to_back_up_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("copy.db");
    let (done, said) = folio(
        dir.path(),
        &["backup", target.to_str().unwrap()],
        &[("DATABASE_URL", "postgres://folio@127.0.0.1:1/folio")],
    );
    assert!(
        !done,
        "a backup of PostgreSQL by file copy was claimed: {said}"
    );
    assert!(said.contains("pg_dump"), "{said}");
    assert!(!target.exists());
}
