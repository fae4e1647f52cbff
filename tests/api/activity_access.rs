//! Who may post and read what in the activity log: readers for
//! themselves, API tokens (made and revoked by admins) for everyone.

use rocket::http::{ContentType, Status};

use crate::activity_helpers::{batch, bearer, token_on, SEED_BODY};
use crate::helpers::{spawn_app, Browser};

#[rocket::async_test]
async fn a_reader_posts_and_reads_only_their_own_actions() {
    let app = spawn_app().await;
    let alice = app.reader("alice").await;
    let token = app.api_token("editor").await;
    Browser::new()
        .post_json(
            &app,
            "/api/log",
            &batch("bob", "CLICK", 0, 3),
            vec![bearer(&token)],
        )
        .await;

    let page = alice
        .post_json(&app, "/api/log", &batch("alice", "CLICK", 10, 2), vec![])
        .await;
    assert_eq!(page.status, Status::Created, "{}", page.body);
    let page = alice
        .post_json(&app, "/api/log", &batch("bob", "CLICK", 20, 2), vec![])
        .await;
    assert_eq!(page.status, Status::Forbidden);
    assert_eq!(page.json()["field"], "userId");

    // Her own log by default; someone else's is refused.
    let mine = alice.get(&app, "/api/log").await.json();
    assert_eq!(mine["actions"].as_array().map(Vec::len), Some(2));
    assert!(mine["actions"]
        .as_array()
        .expect("actions")
        .iter()
        .all(|a| a["userId"] == "alice"));
    let page = alice.get(&app, "/api/log?userId=bob").await;
    assert_eq!(page.status, Status::Forbidden);
    assert_eq!(app.actions().await, 5);
}

#[rocket::async_test]
async fn a_readers_browser_cannot_be_made_to_post_a_form_as_them() {
    let app = spawn_app().await;
    let alice = app.reader("alice").await;
    let body = batch("alice", "CLICK", 10, 1);

    // What a form on another site could send: not JSON.
    let request = alice
        .dress(app.client.post("/api/log"))
        .header(ContentType::Plain)
        .body(body);
    let page = alice.keep_response(request.dispatch().await).await;

    assert_eq!(page.status, Status::UnsupportedMediaType);
    assert_eq!(app.actions().await, 0);
}

#[rocket::async_test]
async fn an_admin_reads_everyones_log() {
    let app = spawn_app().await;
    let token = app.api_token("editor").await;
    Browser::new()
        .post_json(&app, "/api/log", SEED_BODY, vec![bearer(&token)])
        .await;
    let admin = app.admin("boss").await;

    let page = admin.get(&app, "/api/log?userId=ABC123XYZ").await;

    assert_eq!(page.status, Status::Ok);
    assert_eq!(page.json()["actions"].as_array().map(Vec::len), Some(1));
}

#[rocket::async_test]
async fn a_token_is_shown_once_works_for_anyone_and_stops_when_revoked() {
    let app = spawn_app().await;
    let admin = app.admin("editor").await;
    let script = Browser::new();

    let created = admin
        .post_form(&app, "/admin/tokens", &[("name", "reading app")])
        .await;
    assert_eq!(created.status, Status::Created);
    let token = token_on(&created);
    assert!(token.starts_with("folio_") && token.len() > 40, "{token}");
    let list = admin.get(&app, "/admin/tokens").await;
    assert!(list.body.contains("reading app"));
    assert!(!list.body.contains(&token), "the token is shown only once");
    let (hash, name): (Vec<u8>, String) = sqlx::query_as("SELECT token_hash, name FROM api_tokens")
        .fetch_one(&app.db)
        .await
        .unwrap();
    use sha2::Digest;
    assert_eq!(
        hash,
        sha2::Sha256::digest(token.as_bytes()).to_vec(),
        "only its hash is kept"
    );
    assert!(!name.contains(&token));

    let page = script
        .post_json(
            &app,
            "/api/log",
            &batch("anyone", "CLICK", 0, 1),
            vec![bearer(&token)],
        )
        .await;
    assert_eq!(page.status, Status::Created);
    let id = app.count("SELECT id FROM api_tokens").await;
    let page = admin
        .post_form(&app, &format!("/admin/tokens/{id}/revoke"), &[])
        .await;
    assert_eq!(page.status, Status::SeeOther);

    let page = script
        .post_json(
            &app,
            "/api/log",
            &batch("anyone", "CLICK", 5, 1),
            vec![bearer(&token)],
        )
        .await;
    assert_eq!(page.status, Status::Unauthorized);
    let page = script.get_with(&app, "/api/log", bearer(&token)).await;
    assert_eq!(page.status, Status::Unauthorized);
    assert_eq!(app.actions().await, 1);
    assert!(admin
        .get(&app, "/admin/tokens")
        .await
        .body
        .contains("Revoked"));
}

#[rocket::async_test]
async fn the_bearer_scheme_is_case_insensitive() {
    let app = spawn_app().await;
    let token = app.api_token("editor").await;
    let header = rocket::http::Header::new("Authorization", format!("bearer {token}"));

    let page = Browser::new().get_with(&app, "/api/log", header).await;

    assert_eq!(page.status, Status::Ok);
}

#[rocket::async_test]
async fn a_token_needs_a_name() {
    let app = spawn_app().await;
    let admin = app.admin("editor").await;

    let page = admin
        .post_form(&app, "/admin/tokens", &[("name", "  ")])
        .await;

    assert_eq!(page.status, Status::UnprocessableEntity);
    assert!(page.body.contains("Name the token"));
    assert_eq!(app.count("SELECT COUNT(*) FROM api_tokens").await, 0);
}
