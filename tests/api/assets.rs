use rocket::http::{Header, Status};

use crate::helpers::{spawn_app, Browser};

#[rocket::async_test]
async fn static_files_are_served_with_their_type_and_an_etag() {
    let app = spawn_app().await;
    let browser = Browser::new();

    let css = browser.get(&app, "/static/folio.css").await;

    assert_eq!(css.status, Status::Ok);
    assert_eq!(css.header("Content-Type"), Some("text/css; charset=utf-8"));
    assert!(css.body.contains("font-family"));
    let etag = css.header("ETag").expect("an ETag").to_string();

    let again = browser
        .get_with(
            &app,
            "/static/folio.css",
            Header::new("If-None-Match", etag),
        )
        .await;
    assert_eq!(again.status, Status::NotModified);
    assert!(again.body.is_empty());
}

#[rocket::async_test]
async fn missing_and_escaping_static_paths_are_404() {
    let app = spawn_app().await;
    let browser = Browser::new();

    for uri in [
        "/static/nothing.css",
        "/static/../Cargo.toml",
        "/static/%2e%2e/Cargo.toml",
    ] {
        assert_eq!(
            browser.get(&app, uri).await.status,
            Status::NotFound,
            "{uri}"
        );
    }
}
