use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use rocket::http::Status;

use crate::helpers::{spawn_app_in, spawn_app_with, Browser};
use crate::process::{debug_binary, Folio, Limits};

#[rocket::async_test]
async fn a_new_database_gets_the_sample_stories_when_they_are_on() {
    let app = spawn_app_with(|f| f.merge(("sample_stories", true))).await;

    let page = Browser::new().get(&app, "/").await;

    assert_eq!(page.status, Status::Ok);
    assert_eq!(page.body.matches("class=\"story-item\"").count(), 3);
    assert!(page.body.contains("Seat 14"));
}

#[rocket::async_test]
async fn deleted_sample_stories_do_not_come_back_on_the_next_start() {
    let app = spawn_app_with(|f| f.merge(("sample_stories", true))).await;
    sqlx::query("DELETE FROM stories")
        .execute(&app.db)
        .await
        .unwrap();
    let dir = app.dir;
    drop(app.client);

    let app = spawn_app_in(dir, |f| f.merge(("sample_stories", true))).await;

    assert_eq!(app.count("SELECT COUNT(*) FROM stories").await, 0);
}

/// Runs the folio binary in `dir` with only `env` set, expecting it to
/// stop by itself; returns whether it succeeded and what it said. A Folio
/// still running after 30 s (it started, where it should have refused) is
/// killed and fails the test.
fn start_folio(dir: &std::path::Path, env: &[(&str, &str)]) -> (bool, String) {
    let child = Command::new(env!("CARGO_BIN_EXE_folio"))
        .current_dir(dir)
        .env_clear()
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("folio runs");
    let pid = child.id() as libc::pid_t;
    let (done, finished) = mpsc::channel();
    std::thread::spawn(move || done.send(child.wait_with_output()));
    let Ok(output) = finished.recv_timeout(Duration::from_secs(30)) else {
        // SAFETY: the child is not reaped while its waiting thread runs.
        unsafe { libc::kill(pid, libc::SIGKILL) };
        panic!("folio started and kept running");
    };
    let output = output.expect("folio's output");
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), said)
}

#[test]
fn a_release_start_without_a_secret_key_says_how_to_set_one_before_touching_the_database() {
    let dir = tempfile::tempdir().unwrap();

    let (started, said) = start_folio(
        dir.path(),
        &[("ROCKET_PROFILE", "release"), ("ROCKET_PORT", "0")],
    );

    assert!(!started);
    assert!(said.contains("ROCKET_SECRET_KEY"), "{said}");
    assert!(said.contains("openssl rand -base64 32"), "{said}");
    assert!(
        !dir.path().join("data").exists(),
        "the data directory was created"
    );
}

#[test]
fn the_public_development_key_is_refused_off_loopback() {
    let dir = tempfile::tempdir().unwrap();
    let toml = concat!(env!("CARGO_MANIFEST_DIR"), "/Rocket.toml");
    std::fs::copy(toml, dir.path().join("Rocket.toml")).unwrap();

    let (started, said) = start_folio(
        dir.path(),
        &[
            ("ROCKET_PROFILE", "release"),
            ("ROCKET_ADDRESS", "0.0.0.0"),
            ("ROCKET_PORT", "0"),
        ],
    );

    assert!(!started);
    assert!(said.contains("is public"), "{said}");
    assert!(said.contains("ROCKET_SECRET_KEY"), "{said}");
    assert!(!dir.path().join("data").exists());
}

/// The public development key, as the repository's Rocket.toml gives it.
fn development_key() -> String {
    let toml = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/Rocket.toml"));
    toml.lines()
        .find_map(|line| line.trim().strip_prefix("secret_key = "))
        .map(|value| value.trim_matches('"').to_string())
        .expect("Rocket.toml holds the development key")
}

#[test]
fn the_public_development_key_is_refused_off_loopback_in_a_production_profile() {
    let dir = tempfile::tempdir().unwrap();
    let key = development_key();

    let (started, said) = start_folio(
        dir.path(),
        &[
            ("ROCKET_PROFILE", "production"),
            ("ROCKET_ADDRESS", "0.0.0.0"),
            ("ROCKET_PORT", "0"),
            ("ROCKET_SECRET_KEY", &key),
        ],
    );

    assert!(!started, "{said}");
    assert!(said.contains("secret_key"), "{said}");
    assert!(said.contains("is public"), "{said}");
    assert!(said.contains("openssl rand -base64 32"), "{said}");
    assert!(!dir.path().join("data").exists());
}

#[test]
fn a_production_profile_without_a_secret_key_refuses_to_start() {
    let dir = tempfile::tempdir().unwrap();

    let (started, said) = start_folio(
        dir.path(),
        &[("ROCKET_PROFILE", "production"), ("ROCKET_PORT", "0")],
    );

    assert!(!started, "{said}");
    assert!(said.contains("secret_key"), "{said}");
    assert!(!dir.path().join("data").exists());
}

#[rocket::async_test]
async fn the_development_key_still_serves_on_loopback_with_a_warning() {
    for profile in ["release", "production"] {
        let dir = tempfile::tempdir().unwrap();
        let toml = concat!(env!("CARGO_MANIFEST_DIR"), "/Rocket.toml");
        std::fs::copy(toml, dir.path().join("Rocket.toml")).unwrap();

        let limits = Limits {
            env: vec![
                ("ROCKET_PROFILE", profile.to_string()),
                ("ROCKET_ADDRESS", "127.0.0.1".to_string()),
            ],
            open_files: None,
        };
        let folio = Folio::start_with(&debug_binary(), dir, &development_key(), limits).await;

        assert!(
            folio.log().contains("PUBLIC development secret key"),
            "{profile}: {}",
            folio.log()
        );
    }
}
