//! Budgets on `POST /api/log`: a reader or a token that posts faster or
//! more than its budget allows gets 429 with Retry-After and nothing of the
//! refused batch is stored; whatever was answered 201 is all there.

use std::collections::BTreeSet;
use std::time::Duration;

use futures::future::join_all;
use rocket::figment::Figment;
use rocket::http::Status;
use serde_json::json;

use crate::activity_helpers::{batch, bearer};
use crate::client::Page;
use crate::helpers::{spawn_app_with, Browser, TestApp};

/// Batch `number` of `size` actions of `user`, each carrying its number.
fn numbered(user: &str, number: usize, size: usize) -> String {
    let actions: Vec<_> = (0..size)
        .map(|n| {
            let time = format!(
                "2026-12-04T{:02}:{:02}:{:02}Z",
                n / 3600,
                n / 60 % 60,
                n % 60
            );
            json!({"time": time, "type": "CLICK", "properties": {"batch": number}})
        })
        .collect();
    json!({"userId": user, "sessionId": "tab", "actions": actions}).to_string()
}

/// The batch numbers stored, once each.
async fn stored_batches(app: &TestApp) -> BTreeSet<i64> {
    let sql = match crate::databases::on_postgres() {
        false => "SELECT DISTINCT CAST(json_extract(properties, '$.batch') AS BIGINT) FROM actions",
        true => "SELECT DISTINCT CAST(CAST(properties AS json)->>'batch' AS BIGINT) FROM actions",
    };
    sqlx::query_scalar::<_, Option<i64>>(sql)
        .fetch_all(&app.db)
        .await
        .expect("the stored batches")
        .into_iter()
        .flatten()
        .collect()
}

async fn post(app: &TestApp, browser: &Browser, body: String) -> Page {
    browser.post_json(app, "/api/log", &body, vec![]).await
}

/// What a refusal says.
fn error_of(page: &Page) -> String {
    page.json()["error"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

fn retry_after(page: &Page) -> u64 {
    page.header("Retry-After")
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no Retry-After in seconds: {:?}", page.headers))
}

fn with(settings: &'static [(&'static str, u64)]) -> impl FnOnce(Figment) -> Figment {
    move |figment| {
        settings
            .iter()
            .fold(figment, |figment, setting| figment.merge(*setting))
    }
}

#[rocket::async_test]
async fn a_readers_burst_meets_429_and_every_accepted_action_is_stored() {
    let app = spawn_app_with(with(&[
        ("activity_reader_actions_per_second", 1),
        ("activity_reader_action_burst", 10),
    ]))
    .await;
    let alice = app.reader("alice").await;
    let bodies: Vec<String> = (0..8).map(|n| numbered("alice", n, 3)).collect();

    let pages = join_all(
        bodies
            .iter()
            .map(|body| alice.post_json(&app, "/api/log", body, vec![])),
    )
    .await;

    let accepted: BTreeSet<i64> = (0..)
        .zip(&pages)
        .filter(|(_, page)| page.status == Status::Created)
        .map(|(n, _)| n)
        .collect();
    let refused: Vec<&Page> = pages
        .iter()
        .filter(|p| p.status == Status::TooManyRequests)
        .collect();
    assert_eq!(
        accepted.len() + refused.len(),
        pages.len(),
        "only 201 or 429: {pages:?}"
    );
    assert!(accepted.len() >= 3, "the burst of ten passes three batches");
    assert!(
        !refused.is_empty(),
        "24 actions at once, with a burst of 10"
    );
    for page in refused {
        assert!(retry_after(page) >= 1);
        let error = error_of(page);
        assert!(
            error.contains("1 action a second") && error.contains("try again in"),
            "{error}"
        );
    }
    assert_eq!(stored_batches(&app).await, accepted);
    assert_eq!(app.actions().await, 3 * accepted.len() as i64);
}

#[rocket::async_test]
async fn a_reader_who_waits_as_told_gets_through() {
    let app = spawn_app_with(with(&[
        ("activity_reader_actions_per_second", 1),
        ("activity_reader_action_burst", 2),
    ]))
    .await;
    let alice = app.reader("alice").await;
    let page = alice
        .post_json(&app, "/api/log", &numbered("alice", 0, 2), vec![])
        .await;
    assert_eq!(page.status, Status::Created);

    let refused = alice
        .post_json(&app, "/api/log", &numbered("alice", 1, 1), vec![])
        .await;
    assert_eq!(refused.status, Status::TooManyRequests);
    let wait = retry_after(&refused);
    assert_eq!(wait, 1, "one action a second");
    rocket::tokio::time::sleep(Duration::from_secs(wait)).await;
    let page = alice
        .post_json(&app, "/api/log", &numbered("alice", 2, 1), vec![])
        .await;

    assert_eq!(page.status, Status::Created, "{}", page.body);
    assert_eq!(stored_batches(&app).await, BTreeSet::from([0, 2]));
}

#[rocket::async_test]
async fn a_readers_daily_quota_holds_for_hours_and_spares_everyone_else() {
    let app = spawn_app_with(with(&[("activity_reader_actions_per_day", 5)])).await;
    let token = app.api_token("editor").await;
    let (alice, bob) = (app.reader("alice").await, app.reader("bob").await);
    assert_eq!(
        post(&app, &alice, numbered("alice", 0, 3)).await.status,
        Status::Created
    );

    let refused = post(&app, &alice, numbered("alice", 1, 3)).await;

    assert_eq!(refused.status, Status::TooManyRequests);
    assert!(retry_after(&refused) > 3600, "{:?}", refused.headers);
    let error = error_of(&refused);
    assert!(error.contains("5 actions a day"), "{error}");
    // What is left of her day still passes; Bob and the token have their own.
    assert_eq!(
        post(&app, &alice, numbered("alice", 2, 2)).await.status,
        Status::Created
    );
    assert_eq!(
        post(&app, &bob, numbered("bob", 3, 5)).await.status,
        Status::Created
    );
    let page = Browser::new()
        .post_json(
            &app,
            "/api/log",
            &batch("x", "CLICK", 0, 50),
            vec![bearer(&token)],
        )
        .await;
    assert_eq!(page.status, Status::Created);
    assert_eq!(stored_batches(&app).await.len(), 3);
    assert_eq!(app.actions().await, 3 + 2 + 5 + 50);
}

#[rocket::async_test]
async fn a_daily_quota_of_bytes_counts_what_is_stored() {
    let app = spawn_app_with(with(&[("activity_reader_bytes_per_day", 20_000)])).await;
    let alice = app.reader("alice").await;
    let big = "x".repeat(4_000);
    let body = |n: usize| {
        json!({"userId": "alice", "sessionId": "tab", "actions": [
            {"time": "2026-12-04T10:00:00Z", "type": "NOTE", "properties": {"batch": n, "text": big}}
        ]})
        .to_string()
    };

    let mut statuses = Vec::new();
    for n in 0..6 {
        let page = alice.post_json(&app, "/api/log", &body(n), vec![]).await;
        if page.status == Status::TooManyRequests {
            let error = error_of(&page);
            assert!(error.contains("20000 bytes of actions a day"), "{error}");
        }
        statuses.push(page.status.code);
    }

    assert_eq!(statuses, [201, 201, 201, 201, 429, 429]);
    assert_eq!(stored_batches(&app).await, BTreeSet::from([0, 1, 2, 3]));
}

#[rocket::async_test]
async fn a_batch_that_can_never_pass_is_refused_as_too_large() {
    let app = spawn_app_with(with(&[
        ("activity_reader_action_burst", 10),
        ("activity_token_actions_per_day", 100),
    ]))
    .await;
    let alice = app.reader("alice").await;
    let token = app.api_token("editor").await;

    let page = alice
        .post_json(&app, "/api/log", &batch("alice", "CLICK", 0, 11), vec![])
        .await;
    assert_eq!(page.status, Status::PayloadTooLarge);
    assert_eq!(page.json()["field"], "actions");
    let error = error_of(&page);
    assert!(
        error.contains("11 actions") && error.contains("at most 10 at once"),
        "{error}"
    );
    let page = Browser::new()
        .post_json(
            &app,
            "/api/log",
            &batch("x", "CLICK", 0, 101),
            vec![bearer(&token)],
        )
        .await;
    assert_eq!(page.status, Status::PayloadTooLarge);
    let error = error_of(&page);
    assert!(error.contains("100 actions a day"), "{error}");

    assert_eq!(app.actions().await, 0);
    let page = alice
        .post_json(&app, "/api/log", &batch("alice", "CLICK", 0, 10), vec![])
        .await;
    assert_eq!(page.status, Status::Created, "ten still pass");
    // The refusals are counted for monitoring, by the setting at fault.
    let metrics = Browser::at("127.0.0.1:40000")
        .get(&app, "/metrics")
        .await
        .body;
    for line in [
        r#"folio_limit_refusals_total{limit="activity_reader_actions_per_second"} 1"#,
        r#"folio_limit_refusals_total{limit="activity_token_actions_per_day"} 1"#,
        r#"folio_limit_refusals_total{limit="activity_reader_actions_per_day"} 0"#,
    ] {
        assert!(metrics.lines().any(|l| l == line), "{line} in {metrics}");
    }
}

#[rocket::async_test]
async fn a_limit_set_to_zero_is_no_limit() {
    let app = spawn_app_with(with(&[
        ("activity_reader_actions_per_second", 0),
        ("activity_reader_action_burst", 0),
        ("activity_reader_actions_per_day", 0),
        ("activity_reader_bytes_per_day", 0),
    ]))
    .await;
    let alice = app.reader("alice").await;

    for n in 0..5 {
        let page = alice
            .post_json(&app, "/api/log", &numbered("alice", n, 1_000), vec![])
            .await;
        assert_eq!(page.status, Status::Created, "{}", page.body);
    }

    assert_eq!(app.actions().await, 5_000);
}
