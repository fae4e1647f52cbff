use rocket::http::Status;

use crate::helpers::{encode, spawn_app, Browser, PASSWORD};

#[rocket::async_test]
async fn a_signup_without_a_valid_csrf_token_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let browser = Browser::new();
    browser.csrf_token(&app).await;

    for token in [None, Some("forged"), Some("")] {
        let mut fields = vec![("username", "mallory"), ("password", PASSWORD)];
        if let Some(token) = token {
            fields.push(("csrf_token", token));
        }
        let page = browser.post_raw(&app, "/signup", encode(&fields)).await;
        assert_eq!(page.status, Status::Forbidden, "token {token:?}");
        assert!(page.body.contains("reload the page"));
    }

    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 0);
}

#[rocket::async_test]
async fn a_token_from_another_browser_is_refused() {
    let app = spawn_app().await;
    app.reader("alice").await;
    let other = Browser::new();
    let stolen = other.csrf_token(&app).await;
    let victim = Browser::new();
    victim.csrf_token(&app).await;

    let fields = [
        ("csrf_token", stolen.as_str()),
        ("username", "alice"),
        ("password", PASSWORD),
    ];
    let page = victim.post_raw(&app, "/login", encode(&fields)).await;

    assert_eq!(page.status, Status::Forbidden);
    assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 1);
}

#[rocket::async_test]
async fn a_logout_without_a_csrf_token_leaves_the_session() {
    let app = spawn_app().await;
    let browser = app.reader("alice").await;

    let page = browser.post_raw(&app, "/logout", String::new()).await;
    let wrong = browser
        .post_raw(&app, "/logout", "csrf_token=wrong".into())
        .await;

    assert_eq!(page.status, Status::Forbidden);
    assert_eq!(wrong.status, Status::Forbidden);
    assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 1);
    assert!(browser.get(&app, "/").await.body.contains("Log out"));
}

#[rocket::async_test]
async fn an_oversized_form_is_refused() {
    let app = spawn_app().await;
    let browser = Browser::new();
    let token = browser.csrf_token(&app).await;
    let huge = "x".repeat(5 * 1024 * 1024);

    let fields = [
        ("csrf_token", token.as_str()),
        ("username", "big"),
        ("password", huge.as_str()),
    ];
    let page = browser.post_raw(&app, "/signup", encode(&fields)).await;

    assert_eq!(page.status, Status::PayloadTooLarge);
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 0);
}
