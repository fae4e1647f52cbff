//! /version, /health, /health/ready and /metrics (who may read it: `metrics_access`).

use rocket::http::Status;

use crate::helpers::{spawn_app, Browser};

/// What the build says when the tests were compiled without build metadata.
fn expected(name: Option<&'static str>) -> &'static str {
    name.filter(|v| !v.is_empty()).unwrap_or("dev")
}

#[rocket::async_test]
async fn version_names_the_crate_version_build_and_commit_and_pages_show_it() {
    let app = spawn_app().await;
    let browser = Browser::new();

    let version = browser.get(&app, "/version").await;
    let home = browser.get(&app, "/").await;

    assert_eq!(version.status, Status::Ok);
    let json = version.json();
    assert_eq!(json["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(json["build"], expected(option_env!("FOLIO_BUILD")));
    assert_eq!(json["commit"], expected(option_env!("FOLIO_COMMIT")));
    assert!(
        home.body.contains(&format!(
            "<span class=\"build\" title=\"Version\">{}",
            env!("CARGO_PKG_VERSION")
        )),
        "no version in the footer: {}",
        home.body
    );
}

#[rocket::async_test]
async fn liveness_and_readiness_answer_on_a_healthy_database() {
    let app = spawn_app().await;
    let browser = Browser::new();

    let alive = browser.get(&app, "/health").await;
    let ready = browser.get(&app, "/health/ready").await;

    assert_eq!((alive.status, alive.body.as_str()), (Status::Ok, "ok"));
    assert_eq!(ready.status, Status::Ok, "{}", ready.body);
    assert_eq!(ready.json()["status"], "ready");
    let known = folio::db::migrator(folio::db::Backend::of(&app.db))
        .iter()
        .count() as i64;
    assert_eq!(ready.json()["migrations"], known);
}

#[rocket::async_test]
async fn readiness_fails_with_a_reason_when_a_migration_is_missing() {
    let app = spawn_app().await;
    let latest = folio::db::migrator(folio::db::Backend::of(&app.db))
        .iter()
        .last()
        .expect("migrations");
    sqlx::query("DELETE FROM _sqlx_migrations WHERE version = $1")
        .bind(latest.version)
        .execute(&app.db)
        .await
        .unwrap();

    let ready = Browser::new().get(&app, "/health/ready").await;
    let alive = Browser::new().get(&app, "/health").await;

    assert_eq!(ready.status, Status::ServiceUnavailable);
    assert_eq!(ready.json()["status"], "unavailable");
    let reason = ready.json()["reason"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        reason.contains(&latest.version.to_string()) && reason.contains("not applied"),
        "{reason}"
    );
    assert_eq!(
        alive.status,
        Status::Ok,
        "liveness does not touch the database"
    );
}

#[rocket::async_test]
async fn readiness_fails_when_the_database_is_gone() {
    let app = spawn_app().await;
    app.db.close().await;

    let ready = Browser::new().get(&app, "/health/ready").await;

    assert_eq!(ready.status, Status::ServiceUnavailable);
    let reason = ready.json()["reason"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(reason.contains("cannot be read"), "{reason}");
}

/// The value of the sample named `name` (a metric and its labels).
fn sample(metrics: &str, name: &str) -> Option<f64> {
    metrics
        .lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(' '))
        .and_then(|value| value.parse().ok())
}

#[rocket::async_test]
async fn metrics_count_requests_by_route_and_status_and_show_the_gauges() {
    let app = spawn_app().await;
    let id = app.add_story("Counted", "A story.").await;
    let reader = app.reader("metrics_reader").await;
    let anonymous = Browser::new();
    for _ in 0..3 {
        anonymous.get(&app, "/").await;
    }
    reader.get(&app, &format!("/stories/{id}")).await;
    reader.get(&app, &format!("/stories/{id}")).await;
    anonymous.get(&app, "/no/such/page").await;

    let page = Browser::at("127.0.0.1:9090").get(&app, "/metrics").await;

    assert_eq!(page.status, Status::Ok);
    assert!(page
        .header("Content-Type")
        .unwrap_or_default()
        .starts_with("application/openmetrics-text; version=1.0.0"));
    let m = page.body.as_str();
    let requests = |labels: &str| sample(m, &format!("folio_http_requests_total{{{labels}}}"));
    assert_eq!(
        requests(r#"method="GET",route="/",status="200""#),
        Some(3.0),
        "{m}"
    );
    assert_eq!(
        requests(r#"method="GET",route="/stories/<key>",status="200""#),
        Some(2.0)
    );
    assert_eq!(
        requests(r#"method="GET",route="unmatched",status="404""#),
        Some(1.0)
    );
    assert_eq!(
        requests(r#"method="POST",route="/signup",status="303""#),
        Some(1.0)
    );
    let count = sample(m, r#"folio_http_request_duration_seconds_count{route="/"}"#);
    let inf = sample(
        m,
        r#"folio_http_request_duration_seconds_bucket{le="+Inf",route="/"}"#,
    );
    let fast = sample(
        m,
        r#"folio_http_request_duration_seconds_bucket{le="10.0",route="/"}"#,
    );
    assert_eq!((count, inf, fast), (Some(3.0), Some(3.0), Some(3.0)));
    assert_eq!(
        sample(m, "folio_reads_recorded_total"),
        Some(1.0),
        "one first read"
    );
    assert_eq!(
        sample(m, "folio_current_viewers"),
        Some(1.0),
        "the reader is on the page"
    );
    assert_eq!(sample(m, "folio_live_streams_open"), Some(0.0));
    assert_eq!(
        sample(m, "folio_http_requests_in_flight"),
        Some(1.0),
        "only the scrape itself"
    );
    let in_use = sample(m, "folio_db_pool_connections_in_use").expect("pool in use");
    let open = sample(m, "folio_db_pool_connections").expect("pool size");
    assert!(open >= 1.0 && in_use <= open, "{in_use} of {open}");
    assert!(m.contains(&format!(
        "folio_build_info{{version=\"{}\"",
        env!("CARGO_PKG_VERSION")
    )));
    for line in m.lines().filter(|l| !l.starts_with('#')) {
        let value = line.rsplit(' ').next().unwrap_or_default();
        assert!(value.parse::<f64>().is_ok(), "not a sample: {line}");
    }
}
