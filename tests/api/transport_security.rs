//! Strict-Transport-Security: sent on every answer when Folio is served
//! over HTTPS (`secure_cookies`), never otherwise (over plain HTTP it
//! would lock browsers out of a site that has no HTTPS).

use rocket::http::Status;

use crate::helpers::{spawn_app, spawn_app_with, Browser};

/// Answers of every kind: a page, JSON, an error page, a JSON error, a
/// static file, a redirect, a health check.
const ANSWERS: [(&str, Status); 7] = [
    ("/", Status::Ok),
    ("/api/stories", Status::Ok),
    ("/nowhere", Status::NotFound),
    ("/api/stories/999", Status::Unauthorized),
    ("/static/folio.css", Status::Ok),
    ("/following", Status::SeeOther),
    ("/health", Status::Ok),
];

#[rocket::async_test]
async fn every_answer_tells_browsers_to_keep_to_https_when_cookies_are_secure() {
    let app = spawn_app_with(|f| f.merge(("secure_cookies", true))).await;
    let browser = Browser::new();

    for (uri, status) in ANSWERS {
        let page = browser.get(&app, uri).await;

        assert_eq!(page.status, status, "{uri}");
        assert_eq!(
            page.header("Strict-Transport-Security"),
            Some("max-age=31536000"),
            "{uri}"
        );
    }
}

#[rocket::async_test]
async fn no_answer_asks_for_https_when_cookies_are_not_secure() {
    let app = spawn_app().await;
    let browser = Browser::new();

    for (uri, status) in ANSWERS {
        let page = browser.get(&app, uri).await;

        assert_eq!(page.status, status, "{uri}");
        assert_eq!(page.header("Strict-Transport-Security"), None, "{uri}");
    }
}
