//! A NUL character (U+0000) in what a client sends. SQLite stores it as any
//! other character; PostgreSQL refuses such text, and Folio then answers 400
//! saying so. Never a 500, on either engine.

use rocket::http::Status;
use serde_json::json;

use crate::activity_helpers::bearer;
use crate::databases::on_postgres;
use crate::helpers::{spawn_app, Browser, PASSWORD};

#[rocket::async_test]
async fn a_nul_character_in_a_form_or_a_json_body_is_never_a_server_error() {
    let app = spawn_app().await;
    app.reader("ann").await;
    let token = app.api_token("editor").await;
    let admin = app.admin("ada").await;
    let stories = app.count("SELECT COUNT(*) FROM stories").await;

    let login = Browser::new().login(&app, "ann\0", PASSWORD).await;
    assert!(login.status.code < 500, "{}: {}", login.status, login.body);
    assert!(Browser::new().login(&app, "ann", PASSWORD).await.status == Status::SeeOther);

    let story = [
        ("title", "Night\0train"),
        ("body", "Text"),
        ("action", "publish"),
    ];
    let saved = admin.post_form(&app, "/admin/stories", &story).await;
    assert!(saved.status.code < 500, "{}: {}", saved.status, saved.body);

    let body = json!({"userId": "a", "sessionId": "s", "actions": [
        {"time": "2018-10-18T21:37:30Z", "type": "CLICK", "properties": {"note": "x\0y"}}
    ]});
    let posted = Browser::new()
        .post_json(&app, "/api/log", &body.to_string(), vec![bearer(&token)])
        .await;
    // Properties are kept as JSON text, where a NUL is written `\u0000`.
    assert_eq!(posted.status, Status::Created, "{}", posted.body);
    assert_eq!(app.actions().await, 1);

    if on_postgres() {
        for page in [&login, &saved] {
            assert_eq!(page.status, Status::BadRequest, "{}", page.body);
            assert!(page.body.contains("NUL character"), "{}", page.body);
        }
        assert_eq!(app.count("SELECT COUNT(*) FROM stories").await, stories);
    }
}
