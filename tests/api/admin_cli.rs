//! `folio admin create`, `folio admin promote` and `folio admin
//! reset-link`, and the first admin from the environment.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use rocket::http::Status;

use crate::helpers::{spawn_app_in, Browser, TestApp, PASSWORD};

/// Runs the folio binary on the database in `dir`, with `input` on stdin.
fn folio(dir: &tempfile::TempDir, args: &[&str], input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(args)
        .env("ROCKET_DATA_DIR", dir.path())
        .env("DATABASE_URL", crate::databases::database_url(dir.path()))
        .env("ROCKET_LOG_LEVEL", "off")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the folio binary runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("the password is written");
    child.wait_with_output().expect("folio finishes")
}

#[rocket::async_test]
async fn an_admin_made_on_the_command_line_can_log_in_to_the_admin_area() {
    let dir = tempfile::tempdir().expect("a directory");
    let made = folio(
        &dir,
        &["admin", "create", "chief"],
        &format!("{PASSWORD}\n"),
    );
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    assert!(String::from_utf8_lossy(&made.stdout).contains("Created the admin chief"));

    let again = folio(
        &dir,
        &["admin", "create", "CHIEF"],
        &format!("{PASSWORD}\n"),
    );
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("taken"));
    let short = folio(&dir, &["admin", "create", "other"], "short\n");
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("at least 8 characters"));
    let common = folio(&dir, &["admin", "create", "other"], "12345678\n");
    assert!(!common.status.success());
    assert!(String::from_utf8_lossy(&common.stderr).contains("too easy to guess"));

    let app = spawn_app_in(dir, |f| f).await;
    let browser = Browser::new();
    assert_eq!(
        browser.login(&app, "chief", PASSWORD).await.status,
        Status::SeeOther
    );
    assert_eq!(browser.get(&app, "/admin").await.status, Status::Ok);
}

#[rocket::async_test]
async fn promote_makes_a_reader_an_admin() {
    let dir = tempfile::tempdir().expect("a directory");
    let app = spawn_app_in(dir, |f| f).await;
    let reader = app.reader("reader").await;
    assert_eq!(reader.get(&app, "/admin").await.status, Status::Forbidden);

    let promoted = folio(&app.dir, &["admin", "promote", "reader"], "");
    assert!(
        promoted.status.success(),
        "{}",
        String::from_utf8_lossy(&promoted.stderr)
    );
    let missing = folio(&app.dir, &["admin", "promote", "nobody"], "");
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no user named nobody"));

    let fresh = Browser::new();
    fresh.login(&app, "reader", PASSWORD).await;
    assert_eq!(fresh.get(&app, "/admin").await.status, Status::Ok);
}

#[rocket::async_test]
async fn reset_link_prints_a_one_time_link_for_a_locked_out_user() {
    let dir = tempfile::tempdir().expect("a directory");
    let app = spawn_app_in(dir, |f| f).await;
    app.reader("reader").await;

    let issued = folio(&app.dir, &["admin", "reset-link", "reader"], "");
    assert!(
        issued.status.success(),
        "{}",
        String::from_utf8_lossy(&issued.stderr)
    );
    let missing = folio(&app.dir, &["admin", "reset-link", "nobody"], "");
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no user named nobody"));

    let printed = String::from_utf8_lossy(&issued.stdout).to_string();
    let link = printed
        .lines()
        .find(|line| line.starts_with("/reset/"))
        .unwrap_or_else(|| panic!("a link in {printed}"));
    let browser = Browser::new();
    let new = "lantern moss under the bridge";
    let fields = [("new_password", new), ("confirm_password", new)];
    let page = browser.post_form(&app, link, &fields).await;
    assert_eq!(page.status, Status::SeeOther, "{}", page.body);
    let login = Browser::new().login(&app, "reader", new).await;
    assert_eq!(login.status, Status::SeeOther);
}

#[rocket::async_test]
async fn the_first_admin_comes_from_the_environment_only_while_there_is_none() {
    let first_admin = |figment: rocket::figment::Figment| {
        figment
            .merge(("first_admin_username", "boss"))
            .merge(("first_admin_password", PASSWORD))
    };
    let dir = tempfile::tempdir().expect("a directory");
    let app = spawn_app_in(dir, first_admin).await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE is_admin = 1")
            .await,
        1
    );
    let boss = Browser::new();
    boss.login(&app, "boss", PASSWORD).await;
    assert_eq!(boss.get(&app, "/admin").await.status, Status::Ok);

    // Once an admin exists the variables are ignored, even with a new name.
    let TestApp { client, dir, .. } = app;
    client.terminate().await;
    let second = |figment: rocket::figment::Figment| {
        figment
            .merge(("first_admin_username", "intruder"))
            .merge(("first_admin_password", PASSWORD))
    };
    let app = spawn_app_in(dir, second).await;
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 1);
}
