//! `folio migrate-data`: a SQLite site moved into PostgreSQL shows the same
//! figures there, and a target that holds data is refused.

use std::process::Command;

use rocket::http::Status;

use crate::activity_helpers::batch;
use crate::helpers::{spawn_app_in, Browser, TestApp, PASSWORD};
use crate::reads::shown_reads;

/// Every table's rows, for comparing two databases.
const TABLES: &[&str] = &[
    "users",
    "sessions",
    "stories",
    "reads",
    "story_days",
    "site_days",
    "story_weeks",
    "visitors",
    "follows",
    "story_updates",
    "notifications",
    "actions",
    "story_revisions",
    "device_days",
    "source_days",
];

async fn rows(app: &TestApp) -> Vec<i64> {
    let mut counts = Vec::new();
    for table in TABLES {
        counts.push(app.count(&format!("SELECT COUNT(*) FROM {table}")).await);
    }
    counts
}

/// `folio migrate-data --to <to>` on the SQLite database in `dir`.
fn migrate(dir: &std::path::Path, to: &str) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(["migrate-data", "--to", to])
        .current_dir(dir)
        .env_clear()
        .env("ROCKET_DATA_DIR", dir)
        .env(
            "DATABASE_URL",
            format!("sqlite://{}/folio.db", dir.display()),
        )
        .env("ROCKET_LOG_LEVEL", "off")
        .output()
        .expect("folio runs");
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), said)
}

/// What alice sees: the story's read count, her unread notifications and
/// her activity log.
async fn alice_sees(app: &TestApp, alice: &Browser, slug: &str) -> (i64, i64, usize) {
    let page = alice.get(app, &format!("/stories/{slug}")).await;
    assert_eq!(page.status, Status::Ok, "{}", page.body);
    let unread = app
        .count("SELECT unread_count FROM users WHERE username = 'alice'")
        .await;
    let log = alice.get(app, "/api/log").await.json();
    let actions = log["actions"].as_array().map_or(0, Vec::len);
    (shown_reads(&page.body), unread, actions)
}

#[rocket::async_test]
#[ignore = "needs FOLIO_TEST_POSTGRES: runs in the PostgreSQL pass of .ci/run"]
async fn a_sqlite_site_moves_to_postgresql_with_every_figure() {
    let Some(server) = crate::databases::postgres_server() else {
        eprintln!("a test of moving to PostgreSQL: runs with FOLIO_TEST_POSTGRES");
        return;
    };
    // The site on SQLite: stories read, viewed, followed and updated, and
    // actions in the activity log.
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().to_path_buf();
    let sqlite = format!("sqlite://{}/folio.db", path.display());
    let site = |url: String| {
        move |figment: rocket::figment::Figment| figment.merge(("databases.folio.url", url))
    };
    let app = spawn_app_in(dir, site(sqlite)).await;
    let story = app.add_story("Harbour", "Gulls over the harbour.").await;
    let other = app.add_story("Lighthouse", "A beam at night.").await;
    let admin = app.admin("editor").await;
    let alice = app.follower("alice", &story.to_string()).await;
    let bob = app.reader("bob").await;
    for reader in [&alice, &bob] {
        reader.get(&app, &format!("/stories/{story}")).await;
    }
    bob.get(&app, &format!("/stories/{other}")).await;
    let posted = admin
        .post_form(
            &app,
            &format!("/admin/stories/{story}/updates"),
            &[("text", "A new chapter.")],
        )
        .await;
    assert_eq!(posted.status, Status::SeeOther, "{}", posted.body);
    let logged = alice
        .post_json(&app, "/api/log", &batch("alice", "CLICK", 0, 3), vec![])
        .await;
    assert_eq!(logged.status, Status::Created, "{}", logged.body);
    // The newest story deleted: its id is never given again.
    let gone = app.add_story("Shipwreck", "Timbers.").await;
    let deleted = admin
        .post_form(&app, &format!("/admin/stories/{gone}/delete"), &[])
        .await;
    assert_eq!(deleted.status, Status::SeeOther, "{}", deleted.body);
    app.flush_visits().await;
    let before = rows(&app).await;
    let seen_before = alice_sees(&app, &alice, &story.to_string()).await;
    let TestApp { client, db, dir } = app;
    client.terminate().await;
    db.close().await;

    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    let moved = std::path::PathBuf::from(format!("{}_moved", name.unwrap_or_default()));
    let target = crate::databases::database_url(&moved);
    let (done, said) = migrate(&path, &target);
    assert!(done, "{said}");
    assert!(said.contains("read count match"), "{said}");

    // Folio on PostgreSQL: the same rows and the same figures.
    let app = spawn_app_in(dir, site(target.clone())).await;
    assert_eq!(rows(&app).await, before);
    let alice = Browser::new();
    assert_eq!(
        alice.login(&app, "alice", PASSWORD).await.status,
        Status::SeeOther
    );
    assert_eq!(
        alice_sees(&app, &alice, &story.to_string()).await,
        seen_before
    );
    let found = alice.get(&app, "/?q=gulls").await;
    assert!(found.body.contains("Harbour"), "search: {}", found.body);
    // New rows get new ids: a new story follows the moved ones and the
    // deleted one, whose old links still find nothing.
    let newer = app.add_story("Tidepool", "Crabs.").await;
    assert!(newer > gone && gone > other, "new id {newer} after {gone}");

    // Once it holds data, the target is refused and left as it was.
    let held = rows(&app).await;
    let (done, said) = migrate(&path, &target);
    assert!(
        !done,
        "a second copy into the same database was made: {said}"
    );
    assert!(said.contains("already holds data"), "{said}");
    assert_eq!(rows(&app).await, held);
    assert!(server.starts_with("postgres"));
}
