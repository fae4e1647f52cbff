use std::process::Command;

use rocket::http::Status;

use crate::helpers::{spawn_app_in, spawn_app_with, Browser};

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

/// Runs the folio binary in `dir` with only `env` set; returns what it said.
fn start_folio(dir: &std::path::Path, env: &[(&str, &str)]) -> (bool, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_folio"))
        .current_dir(dir)
        .env_clear()
        .envs(env.iter().copied())
        .output()
        .expect("folio runs");
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
