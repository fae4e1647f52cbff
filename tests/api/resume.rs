//! A form sent after the login ended: the follow button pressed on a page
//! whose login ended elsewhere leads to the login form, and logging in (or
//! signing up) finishes the follow.

use rocket::http::Status;

use crate::client::Browser;
use crate::helpers::{spawn_app, PASSWORD};

async fn follows_of(app: &crate::helpers::TestApp, username: &str) -> i64 {
    app.rows_of("follows", username).await
}

#[rocket::async_test]
async fn a_follow_pressed_while_signed_out_is_done_by_logging_in() {
    let app = spawn_app().await;
    app.add_story("Night Train", "Text").await;
    app.reader("alice").await;
    // Alice's page outlived her login: her browser has a CSRF token and
    // no session.
    let page = Browser::new();
    let sent = page
        .post_form(
            &app,
            "/stories/night-train/follow",
            &[("next", "/stories/night-train")],
        )
        .await;
    assert_eq!(sent.status, Status::SeeOther);
    let login = sent.location().unwrap_or_default().to_string();
    assert_eq!(
        login,
        "/login?next=/stories/night-train&then=/stories/night-train/follow"
    );
    let form = page.get(&app, &login).await;
    assert!(form
        .body
        .contains("name=\"then\" value=\"&#x2F;stories&#x2F;night-train&#x2F;follow\""));
    assert!(form.body.contains("the story is followed as you asked"));
    assert_eq!(follows_of(&app, "alice").await, 0);

    let done = page
        .post_form(
            &app,
            "/login",
            &[
                ("username", "alice"),
                ("password", PASSWORD),
                ("next", "/stories/night-train"),
                ("then", "/stories/night-train/follow"),
            ],
        )
        .await;
    assert_eq!(done.location(), Some("/stories/night-train"));
    assert_eq!(follows_of(&app, "alice").await, 1);
    let story = page.get(&app, "/stories/night-train").await;
    assert!(story.body.contains("Following ✓"));
}

#[rocket::async_test]
async fn a_wrong_password_keeps_the_follow_waiting_and_signup_finishes_it_too() {
    let app = spawn_app().await;
    app.add_story("Night Train", "Text").await;
    app.reader("alice").await;
    let page = Browser::new();
    let fields = |password| {
        [
            ("username", "alice"),
            ("password", password),
            ("next", "/stories/night-train"),
            ("then", "/stories/night-train/follow"),
        ]
    };
    let wrong = page
        .post_form(&app, "/login", &fields("not it at all"))
        .await;
    assert_eq!(wrong.status, Status::Unauthorized);
    assert!(wrong
        .body
        .contains("name=\"then\" value=\"&#x2F;stories&#x2F;night-train&#x2F;follow\""));
    assert!(wrong.body.contains("aria-invalid=\"true\""));
    assert_eq!(follows_of(&app, "alice").await, 0);

    let newcomer = Browser::new();
    let signed_up = newcomer
        .post_form(
            &app,
            "/signup",
            &[
                ("username", "bob"),
                ("password", PASSWORD),
                ("next", "/stories/night-train"),
                ("then", "/stories/night-train/follow"),
            ],
        )
        .await;
    assert_eq!(signed_up.location(), Some("/stories/night-train"));
    assert_eq!(follows_of(&app, "bob").await, 1);
}

#[rocket::async_test]
async fn only_follow_buttons_are_finished_by_a_login() {
    let app = spawn_app().await;
    app.add_story("Night Train", "Text").await;
    app.admin("editor").await;
    let alice = app.reader("alice").await;
    alice.logout(&app).await;
    let alice_id = app
        .count("SELECT id FROM users WHERE username = 'alice'")
        .await
        .to_string();

    for then in [
        format!("/admin/users/{alice_id}/promote"),
        "/logout".into(),
        "//evil.example/stories/x/follow".into(),
        "/stories/night-train/../../admin/follow".into(),
    ] {
        let form = alice
            .get(&app, &format!("/login?then={}", then.replace('/', "%2F")))
            .await;
        assert!(!form.body.contains("name=\"then\""), "{then} was kept");
        let done = alice
            .post_form(
                &app,
                "/login",
                &[
                    ("username", "alice"),
                    ("password", PASSWORD),
                    ("then", &then),
                ],
            )
            .await;
        assert_eq!(done.location(), Some("/"), "{then}");
        alice.logout(&app).await;
    }
    assert_eq!(
        app.count("SELECT is_admin FROM users WHERE username = 'alice'")
            .await,
        0
    );
    assert_eq!(follows_of(&app, "alice").await, 0);
}

#[rocket::async_test]
async fn another_form_sent_without_a_login_goes_back_to_its_page() {
    let app = spawn_app().await;
    let page = Browser::new();
    let sent = page
        .post_with(
            &app,
            "/notifications/read",
            rocket::http::Header::new("Referer", "http://localhost/notifications?view=all"),
        )
        .await;
    assert_eq!(sent.status, Status::SeeOther);
    let login = sent.location().unwrap_or_default();
    assert!(login.starts_with("/login?next="), "{login}");
    assert!(!login.contains("then="), "{login}");
}

#[rocket::async_test]
async fn api_me_says_who_is_logged_in() {
    let app = spawn_app().await;
    let alice = app.reader("alice").await;
    let me = alice.get(&app, "/api/me").await;
    assert_eq!(me.status, Status::Ok);
    assert_eq!(me.json()["username"], "alice");
    assert_eq!(me.json()["admin"], false);
    alice.logout(&app).await;
    let gone = alice.get(&app, "/api/me").await;
    assert_eq!(gone.status, Status::Unauthorized);
    assert!(gone.json()["error"].is_string());
}
