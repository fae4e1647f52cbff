//! Whose actions are whose: a reader's own pages post into their account,
//! API tokens post for outside ids, and a reader never reads what a token
//! posted, even for an id spelled like their username.

use std::borrow::Cow;

use rocket::http::Status;
use serde_json::Value;
use sqlx::migrate::Migrator;

use crate::activity_helpers::{batch, bearer, SEED_BODY};
use crate::helpers::{spawn_app, spawn_app_in, Browser, PASSWORD};

/// The migration that gave every action its namespace.
const NAMESPACES: i64 = 20261204093000;

fn actions(page: &Value) -> Vec<Value> {
    page["actions"].as_array().cloned().unwrap_or_default()
}

#[rocket::async_test]
async fn a_reader_named_like_an_outside_id_never_reads_what_a_token_posted_for_it() {
    for name in ["ABC123XYZ", "abc123xyz"] {
        let app = spawn_app().await;
        let token = app.api_token("editor").await;
        let script = Browser::new();
        let page = script
            .post_json(&app, "/api/log", SEED_BODY, vec![bearer(&token)])
            .await;
        assert_eq!(page.status, Status::Created, "{}", page.body);

        let reader = app.reader(name).await;
        let page = reader
            .post_json(&app, "/api/log", &batch(name, "CLICK", 100, 2), vec![])
            .await;
        assert_eq!(page.status, Status::Created, "{name}: {}", page.body);

        // Her own actions, and only those.
        let mine = reader.get(&app, "/api/log").await;
        assert_eq!(mine.status, Status::Ok, "{name}: {}", mine.body);
        let mine = actions(&mine.json());
        assert_eq!(mine.len(), 2, "{name}: {mine:?}");
        assert!(
            mine.iter().all(|a| a["type"] == "CLICK"),
            "{name}: {mine:?}"
        );
        for uri in [
            "/api/log/get?userId=ABC123XYZ",
            "/api/log?userId=ABC123XYZ",
            "/api/log/get?userId=ABC123XYZ&type=NAVIGATE",
        ] {
            let page = reader.get(&app, uri).await;
            assert!(
                matches!(page.status, Status::Ok | Status::Forbidden),
                "{name} {uri}: {}",
                page.body
            );
            let seen = actions(&page.json());
            assert!(
                seen.iter().all(|a| a["sessionId"] != "XYZ456ABC"),
                "{name} {uri} read the token's actions: {seen:?}"
            );
        }
        // The token's action is still there, for the token.
        let theirs = script
            .get_with(&app, "/api/log/get?userId=ABC123XYZ", bearer(&token))
            .await;
        let theirs = actions(&theirs.json());
        assert!(
            theirs.iter().any(|a| a["sessionId"] == "XYZ456ABC"),
            "{name}: {theirs:?}"
        );
    }
}

#[rocket::async_test]
async fn a_reader_may_not_ask_for_the_outside_namespace() {
    let app = spawn_app().await;
    let alice = app.reader("alice").await;

    let page = alice.get(&app, "/api/log?namespace=outside").await;

    assert_eq!(page.status, Status::Forbidden);
    assert_eq!(page.json()["field"], "namespace");
}

#[rocket::async_test]
async fn tokens_and_admins_read_both_namespaces_and_can_tell_them_apart() {
    let app = spawn_app().await;
    let token = app.api_token("editor").await;
    let alice = app.reader("alice").await;
    let script = Browser::new();
    alice
        .post_json(&app, "/api/log", &batch("alice", "CLICK", 10, 2), vec![])
        .await;
    script
        .post_json(
            &app,
            "/api/log",
            &batch("alice", "CLICK", 20, 3),
            vec![bearer(&token)],
        )
        .await;
    let admin = app.admin("boss").await;

    let by_token = script
        .get_with(&app, "/api/log?userId=alice", bearer(&token))
        .await
        .json();
    let by_admin = admin.get(&app, "/api/log?userId=alice").await.json();
    for all in [&by_token, &by_admin] {
        let names: Vec<Value> = actions(all)
            .iter()
            .map(|a| a["namespace"].clone())
            .collect();
        assert_eq!(
            names,
            ["account", "account", "outside", "outside", "outside"],
            "{all}"
        );
    }
    let outside = script
        .get_with(
            &app,
            "/api/log?userId=alice&namespace=outside",
            bearer(&token),
        )
        .await
        .json();
    assert_eq!(actions(&outside).len(), 3);
    let accounts = admin.get(&app, "/api/log?namespace=account").await.json();
    assert_eq!(actions(&accounts).len(), 2);
    let page = admin.get(&app, "/api/log?namespace=mine").await;
    assert_eq!(page.status, Status::BadRequest);
    assert_eq!(page.json()["field"], "namespace");
}

#[rocket::async_test]
async fn a_token_cannot_mark_a_reader_as_having_finished_a_story() {
    let app = spawn_app().await;
    let story = app.add_story("Night Train", "Text").await;
    let token = app.api_token("editor").await;
    let alice = app.reader("alice").await;
    alice.get(&app, &format!("/stories/{story}")).await;
    let completion = |user: &str| {
        serde_json::json!({
            "userId": user, "sessionId": "tab",
            "actions": [{"time": "2026-12-02T10:01:00Z", "type": "READ_COMPLETE", "properties": {"storyId": story}}]
        })
        .to_string()
    };

    let page = Browser::new()
        .post_json(&app, "/api/log", &completion("alice"), vec![bearer(&token)])
        .await;
    assert_eq!(page.status, Status::Created);
    assert_eq!(app.count("SELECT COUNT(*) FROM read_completions").await, 0);

    // Her own page's does.
    let page = alice
        .post_json(&app, "/api/log", &completion("alice"), vec![])
        .await;
    assert_eq!(page.status, Status::Created);
    assert_eq!(app.count("SELECT COUNT(*) FROM read_completions").await, 1);
}

#[rocket::async_test]
async fn actions_from_before_namespaces_are_a_readers_only_if_they_carry_her_exact_name() {
    // A database as the version before namespaces left it: Alice's own
    // actions, and actions a token posted for ids that only look like hers.
    // PostgreSQL's schema began after namespaces: there is no older one.
    if crate::databases::sqlite_only("actions_from_before_namespaces") {
        return;
    }
    let dir = tempfile::tempdir().expect("a temporary directory");
    let url = format!("sqlite://{}/folio.db", dir.path().display());
    let db = folio::db::connect(&url, 1, std::time::Duration::from_secs(30))
        .await
        .expect("a database");
    let before = Migrator {
        migrations: Cow::Owned(
            folio::db::migrator(folio::db::Backend::Sqlite)
                .iter()
                .filter(|m| m.version < NAMESPACES)
                .cloned()
                .collect(),
        ),
        ignore_missing: false,
        locking: true,
    };
    before.run(&db).await.expect("the older migrations");
    folio::admin::accounts::create(&db, "alice", PASSWORD.to_string())
        .await
        .expect("alice");
    sqlx::query("UPDATE users SET is_admin = 0")
        .execute(&db)
        .await
        .expect("a reader");
    for (user, n) in [("alice", 1), ("Alice", 2), ("ABC123XYZ", 3), ("alice", 4)] {
        sqlx::query(
            "INSERT INTO actions (user_key, session_key, type, time, at_ms, wall_clock, properties, received_at)
             VALUES ($1, 's', 'CLICK', '2020-01-01T00:00:00Z', $2, '2020-01-01T00:00:00', $3, 1)",
        )
        .bind(user)
        .bind(n)
        .bind(format!("{{\"n\":{n}}}"))
        .execute(&db)
        .await
        .expect("an action");
    }
    db.close().await;

    let app = spawn_app_in(dir, |figment| figment).await;
    let alice = Browser::new();
    alice.login(&app, "alice", PASSWORD).await;
    let mine = actions(&alice.get(&app, "/api/log").await.json());

    let numbers: Vec<i64> = mine
        .iter()
        .map(|a| a["properties"]["n"].as_i64().unwrap_or_default())
        .collect();
    assert_eq!(numbers, [1, 4]);
    let admin = app.admin("boss").await;
    let outside = actions(&admin.get(&app, "/api/log?namespace=outside").await.json());
    assert_eq!(outside.len(), 2, "{outside:?}");
}
