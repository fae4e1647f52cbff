use rocket::http::Status;

use crate::helpers::{spawn_app, spawn_app_with, Browser, PASSWORD};

#[rocket::async_test]
async fn logging_in_with_the_right_password_starts_a_session() {
    let app = spawn_app().await;
    app.reader("alice").await;
    let browser = Browser::new();

    let page = browser.login(&app, "Alice", PASSWORD).await;

    assert_eq!(page.status, Status::SeeOther);
    assert!(browser.get(&app, "/").await.body.contains("Log out"));
    assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 2);
}

#[rocket::async_test]
async fn a_wrong_password_is_refused_and_the_username_is_kept() {
    let app = spawn_app().await;
    app.reader("alice").await;
    let browser = Browser::new();

    let page = browser.login(&app, "alice", "not the password").await;

    assert_eq!(page.status, Status::Unauthorized);
    assert!(page.body.contains("Wrong username or password."));
    assert!(page.body.contains("value=\"alice\""));
    assert!(!page.body.contains("not the password"));
    assert!(browser.cookie("session").is_none());
}

#[rocket::async_test]
async fn an_unknown_username_gets_the_same_answer_as_a_wrong_password() {
    let app = spawn_app().await;

    let page = Browser::new().login(&app, "nobody", PASSWORD).await;

    assert_eq!(page.status, Status::Unauthorized);
    assert!(page.body.contains("Wrong username or password."));
}

#[rocket::async_test]
async fn a_visitor_who_logs_in_from_a_story_preview_comes_back_to_the_story() {
    let app = spawn_app().await;
    app.reader("alice").await;
    let story = app.add_story("The story", "Text").await;
    let browser = Browser::new();

    let page = browser.get(&app, &format!("/stories/{story}")).await;
    assert_eq!(page.status, Status::Ok, "a preview");
    let body = page.body.replace("&#x2F;", "/");
    let login_uri = format!("/login?next=/stories/{story}");
    assert!(body.contains(&format!("href=\"{login_uri}\"")), "{body}");
    let form = browser.get(&app, &login_uri).await;
    let form = form.body.replace("&#x2F;", "/");
    assert!(form.contains(&format!("name=\"next\" value=\"/stories/{story}\"")));

    let next = format!("/stories/{story}");
    let page = browser
        .post_form(
            &app,
            "/login",
            &[
                ("username", "alice"),
                ("password", PASSWORD),
                ("next", &next),
            ],
        )
        .await;

    assert_eq!(page.location(), Some(next.as_str()));
    let story_page = browser.get(&app, &next).await;
    assert_eq!(story_page.status, Status::Ok);
    assert!(story_page.body.contains("The story"));
}

#[rocket::async_test]
async fn a_next_page_on_another_site_is_ignored() {
    let app = spawn_app().await;
    app.reader("alice").await;

    for next in [
        "//evil.example/",
        "https://evil.example/",
        "/\\evil.example",
    ] {
        let page = Browser::new()
            .post_form(
                &app,
                "/login",
                &[
                    ("username", "alice"),
                    ("password", PASSWORD),
                    ("next", next),
                ],
            )
            .await;
        assert_eq!(page.location(), Some("/"), "next={next}");
    }
}

#[rocket::async_test]
async fn repeated_failed_logins_for_a_username_are_throttled() {
    let app = spawn_app().await;
    app.reader("alice").await;

    for attempt in 0..5 {
        let browser = Browser::at(&format!("198.51.100.{attempt}:1000"));
        let page = browser.login(&app, "alice", "wrong password").await;
        assert_eq!(page.status, Status::Unauthorized);
    }
    // Even the right password, from yet another address, must wait now.
    let page = Browser::at("203.0.113.9:1000")
        .login(&app, "alice", PASSWORD)
        .await;

    assert_eq!(page.status, Status::TooManyRequests);
    let retry_after: u64 = page
        .header("Retry-After")
        .expect("Retry-After")
        .parse()
        .unwrap();
    assert!(
        (1..=300).contains(&retry_after),
        "Retry-After: {retry_after}"
    );
    assert!(page.body.contains("Too many failed logins"));
    assert!(page.body.contains("value=\"alice\""), "the form is kept");
}

#[rocket::async_test]
async fn repeated_failed_logins_from_one_address_are_throttled() {
    let app = spawn_app_with(|f| f.merge(("login_failures_per_address", 3))).await;
    app.reader("alice").await;
    let attacker = Browser::at("198.51.100.7:1000");

    for name in ["a1x", "a2x", "a3x"] {
        assert_eq!(
            attacker.login(&app, name, "guess").await.status,
            Status::Unauthorized
        );
    }
    let page = attacker.login(&app, "alice", PASSWORD).await;
    assert_eq!(page.status, Status::TooManyRequests);
    assert!(page.header("Retry-After").is_some());

    // Someone else, elsewhere, is not affected.
    let page = Browser::at("203.0.113.5:1000")
        .login(&app, "alice", PASSWORD)
        .await;
    assert_eq!(page.status, Status::SeeOther);
}

#[rocket::async_test]
async fn the_login_and_signup_forms_redirect_a_logged_in_reader() {
    let app = spawn_app().await;
    let browser = app.reader("alice").await;

    assert_eq!(
        browser.get(&app, "/login?next=/stories/1").await.location(),
        Some("/stories/1")
    );
    assert_eq!(browser.get(&app, "/signup").await.location(), Some("/"));
}

#[rocket::async_test]
async fn a_next_page_that_is_no_valid_path_sends_a_logged_in_reader_home() {
    let app = spawn_app().await;
    let browser = app.reader("alice").await;

    for next in ["/a%20b", "/%C3%A9", "/%3Cscript%3E"] {
        let page = browser.get(&app, &format!("/login?next={next}")).await;
        assert_eq!(page.status, Status::SeeOther, "next={next}");
        assert_eq!(page.location(), Some("/"), "next={next}");
    }
}

#[rocket::async_test]
async fn parallel_wrong_logins_cannot_slip_past_the_throttle() {
    let app = spawn_app().await;
    app.reader("alice").await;
    let attackers: Vec<Browser> = (0..20).map(|_| Browser::new()).collect();
    for attacker in &attackers {
        attacker.csrf_token(&app).await;
    }

    let pages =
        futures::future::join_all(attackers.iter().map(|a| a.login(&app, "alice", "guess"))).await;

    let tried = pages
        .iter()
        .filter(|p| p.status == Status::Unauthorized)
        .count();
    let refused = pages
        .iter()
        .filter(|p| p.status == Status::TooManyRequests)
        .count();
    assert!(tried <= 5, "{tried} guesses were checked");
    assert_eq!(tried + refused, 20);
}

#[rocket::async_test]
async fn signups_are_throttled_per_address() {
    let app = spawn_app_with(|f| f.merge(("signups_per_address", 2))).await;
    let browser = Browser::at("198.51.100.20:1000");

    assert_eq!(
        browser.signup(&app, "first", PASSWORD).await.status,
        Status::SeeOther
    );
    browser.logout(&app).await;
    assert_eq!(
        browser.signup(&app, "second", PASSWORD).await.status,
        Status::SeeOther
    );
    browser.logout(&app).await;
    let page = browser.signup(&app, "third", PASSWORD).await;

    assert_eq!(page.status, Status::TooManyRequests);
    assert!(page.header("Retry-After").is_some());
    assert!(page.body.contains("value=\"third\""), "the form is kept");
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 2);
}

#[rocket::async_test]
async fn failed_logins_elsewhere_do_not_lock_the_owner_out_of_a_known_browser() {
    let app = spawn_app().await;
    let owner = app.admin("admin").await;
    owner.logout(&app).await;
    let attacker = Browser::at("198.51.100.7:1000");

    let mut refused = Vec::new();
    for _ in 0..10 {
        refused.push(attacker.login(&app, "admin", "guess").await.status);
    }
    assert_eq!(refused[..5], [Status::Unauthorized; 5]);
    assert_eq!(refused[5..], [Status::TooManyRequests; 5]);
    // A browser the account never used is locked out like the attacker...
    let stranger = Browser::at("203.0.113.9:1000")
        .login(&app, "admin", PASSWORD)
        .await;
    assert_eq!(stranger.status, Status::TooManyRequests);
    assert!(stranger.body.contains("a browser you have used"));

    // ...but the owner's own browser logs in.
    let page = owner.login(&app, "admin", PASSWORD).await;
    assert_eq!(page.status, Status::SeeOther, "{}", page.body);
    assert_eq!(owner.get(&app, "/admin").await.status, Status::Ok);
}

#[rocket::async_test]
async fn a_known_browser_has_a_failure_limit_of_its_own() {
    let app = spawn_app().await;
    let alice = app.reader("alice").await;
    alice.logout(&app).await;

    for _ in 0..5 {
        let page = alice.login(&app, "alice", "wrong password").await;
        assert_eq!(page.status, Status::Unauthorized);
    }
    let page = alice.login(&app, "alice", PASSWORD).await;
    assert_eq!(page.status, Status::TooManyRequests);

    // Its failures were its own: the account is not locked elsewhere.
    let page = Browser::new().login(&app, "alice", PASSWORD).await;
    assert_eq!(page.status, Status::SeeOther);
}

#[rocket::async_test]
async fn a_browser_known_to_one_account_is_a_stranger_to_another() {
    let app = spawn_app().await;
    app.reader("bob").await;
    let alice = app.reader("alice").await;
    alice.logout(&app).await;
    for _ in 0..5 {
        let page = Browser::new().login(&app, "bob", "wrong password").await;
        assert_eq!(page.status, Status::Unauthorized);
    }

    let page = alice.login(&app, "bob", PASSWORD).await;

    assert_eq!(page.status, Status::TooManyRequests);
}
