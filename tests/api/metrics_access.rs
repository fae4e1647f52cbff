//! Who may read /metrics: this machine by default, scrapers with the token
//! when `metrics_token` is set, everyone with `metrics_public`.

use rocket::http::{Header, Status};

use crate::helpers::{spawn_app, spawn_app_with, Browser};

/// A Prometheus on the same machine as Folio.
fn local_scraper() -> Browser {
    Browser::at("127.0.0.1:9090")
}

#[rocket::async_test]
async fn by_default_the_metrics_answer_only_this_machine_and_say_how_to_open_them() {
    let app = spawn_app().await;

    let outsider = Browser::new().get(&app, "/metrics").await;
    let local = local_scraper().get(&app, "/metrics").await;
    let local_v6 = Browser::at("[::1]:9090").get(&app, "/metrics").await;
    let unknown = app.client.get("/metrics").dispatch().await.status();

    assert_eq!(outsider.status, Status::Forbidden);
    let error = outsider.json()["error"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(error.contains("metrics_token"), "{error}");
    assert!(error.contains("metrics_public"), "{error}");
    assert!(!outsider.body.contains("folio_"), "{}", outsider.body);
    assert_eq!(local.status, Status::Ok);
    assert!(local.body.contains("folio_build_info"));
    assert_eq!(local_v6.status, Status::Ok);
    assert_eq!(unknown, Status::Forbidden, "no address is not this machine");
}

#[rocket::async_test]
async fn a_request_a_proxy_passed_on_is_not_local_even_from_a_loopback_address() {
    let app = spawn_app_with(|f| f.merge(("ip_header", "X-Real-IP"))).await;
    let proxy = local_scraper();

    let real_ip = proxy
        .get_with(&app, "/metrics", Header::new("X-Real-IP", "203.0.113.7"))
        .await;
    let forwarded = proxy
        .get_with(
            &app,
            "/metrics",
            Header::new("X-Forwarded-For", "203.0.113.7"),
        )
        .await;
    let direct = proxy.get(&app, "/metrics").await;

    assert_eq!(real_ip.status, Status::Forbidden, "{}", real_ip.body);
    assert_eq!(forwarded.status, Status::Forbidden, "{}", forwarded.body);
    assert_eq!(direct.status, Status::Ok);
}

#[rocket::async_test]
async fn metrics_public_opens_the_metrics_to_everyone() {
    let app = spawn_app_with(|f| f.merge(("metrics_public", true))).await;

    let page = Browser::new().get(&app, "/metrics").await;

    assert_eq!(page.status, Status::Ok);
    assert!(page.body.contains("folio_build_info"));
}

#[rocket::async_test]
async fn with_a_metrics_token_only_scrapers_that_bring_it_get_in_from_anywhere() {
    let token = "a metrics token of some length";
    // The token wins: metrics_public does not open what a token guards.
    let app = spawn_app_with(|f| {
        f.merge(("metrics_token", token))
            .merge(("metrics_public", true))
    })
    .await;
    let bearing = |value: &str| Header::new("Authorization", format!("Bearer {value}"));

    let local = local_scraper().get(&app, "/metrics").await;
    let wrong = Browser::new()
        .get_with(&app, "/metrics", bearing("nope"))
        .await;
    let right = Browser::new()
        .get_with(&app, "/metrics", bearing(token))
        .await;

    for refused in [&local, &wrong] {
        assert_eq!(refused.status, Status::Unauthorized);
        assert_eq!(refused.header("WWW-Authenticate"), Some("Bearer"));
        let error = refused.json()["error"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        assert!(error.contains("Authorization: Bearer"), "{error}");
    }
    assert_eq!(right.status, Status::Ok);
    assert!(right.body.contains("folio_build_info"));
}
