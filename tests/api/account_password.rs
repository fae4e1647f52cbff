//! Changing one's password: the current one is asked and throttled, the
//! new one is held to the signup rules, and every other login ends.

use std::time::Duration;

use rocket::http::Status;
use rocket::tokio::time::Instant;

use crate::account_helpers::{another_login, is_logged_in, password_hash, NEW_PASSWORD};
use crate::client::Page;
use crate::helpers::{spawn_app, spawn_app_with, Browser, TestApp, PASSWORD};

/// `browser` sends the password form with these three fields.
async fn change(browser: &Browser, app: &TestApp, current: &str, new: &str, again: &str) -> Page {
    let fields = [
        ("current_password", current),
        ("new_password", new),
        ("confirm_password", again),
    ];
    browser.post_form(app, "/account/password", &fields).await
}

#[rocket::async_test]
async fn a_new_password_ends_the_other_logins_and_their_streams_and_keeps_this_one() {
    let app = spawn_app().await;
    let story = app.add_story("A story", "Text").await;
    let alice = app.reader("alice").await;
    let phone = another_login(&app, "alice").await;
    let mut phones_page = phone.events(&app, &format!("/live/stories/{story}")).await;
    phones_page.until_figures(1, 0).await;

    let changed = Instant::now();
    let page = change(&alice, &app, PASSWORD, NEW_PASSWORD, NEW_PASSWORD).await;

    assert_eq!(page.status, Status::SeeOther, "{}", page.body);
    assert_eq!(page.location(), Some("/account"));
    let account = alice.get(&app, "/account").await;
    assert_eq!(account.status, Status::Ok);
    assert!(
        account.body.contains("Your password is changed"),
        "{}",
        account.body
    );
    assert!(
        account.body.contains("one other device"),
        "{}",
        account.body
    );
    assert!(
        phones_page.ended().await,
        "the other login's page is signed out"
    );
    assert!(
        changed.elapsed() < Duration::from_secs(3),
        "took {:?}",
        changed.elapsed()
    );
    assert!(!is_logged_in(&app, &phone).await, "the other login ended");
    assert!(is_logged_in(&app, &alice).await, "this login goes on");
    let old = Browser::new().login(&app, "alice", PASSWORD).await;
    assert_eq!(
        old.status,
        Status::Unauthorized,
        "the old password is refused"
    );
    let new = Browser::new().login(&app, "alice", NEW_PASSWORD).await;
    assert_eq!(new.status, Status::SeeOther, "the new password works");
}

#[rocket::async_test]
async fn a_wrong_current_password_is_refused_beside_its_field_and_changes_nothing() {
    let app = spawn_app().await;
    let alice = app.reader("alice").await;
    let phone = another_login(&app, "alice").await;
    let before = password_hash(&app, "alice").await;

    let page = change(&alice, &app, "not my password", NEW_PASSWORD, NEW_PASSWORD).await;

    assert_eq!(page.status, Status::Unauthorized);
    assert!(page.body.contains("That is not your current password."));
    assert!(
        page.body
            .contains(r#"aria-describedby="current_password-error""#),
        "{}",
        page.body
    );
    assert!(page.body.contains(r#"id="current_password-error""#));
    assert_eq!(page.body.matches(r#"aria-invalid="true""#).count(), 1);
    assert!(
        !page.body.contains(NEW_PASSWORD),
        "passwords are not sent back"
    );
    assert_eq!(password_hash(&app, "alice").await, before);
    assert!(is_logged_in(&app, &phone).await, "no login ended");
    let login = Browser::new().login(&app, "alice", PASSWORD).await;
    assert_eq!(login.status, Status::SeeOther);
}

#[rocket::async_test]
async fn weak_short_mismatched_or_unchanged_new_passwords_are_refused_beside_their_field() {
    let app = spawn_app().await;
    let alice = app.reader("alice").await;
    let before = password_hash(&app, "alice").await;

    for (new, again, field, says) in [
        ("password", "password", "new_password", "too easy to guess"),
        ("short", "short", "new_password", "at least 8 characters"),
        (NEW_PASSWORD, "lantern moss", "confirm_password", "differ"),
        (NEW_PASSWORD, "", "confirm_password", "again"),
        (PASSWORD, PASSWORD, "new_password", "is your current one"),
    ] {
        let page = change(&alice, &app, PASSWORD, new, again).await;
        assert_eq!(
            page.status,
            Status::UnprocessableEntity,
            "{new:?}/{again:?}"
        );
        assert!(page.body.contains(says), "{new:?}: {}", page.body);
        let tied = format!(r#"aria-invalid="true" aria-describedby="{field}-error"#);
        assert!(page.body.contains(&tied), "{new:?}: {}", page.body);
    }

    assert_eq!(password_hash(&app, "alice").await, before);
}

#[rocket::async_test]
async fn wrong_current_passwords_are_throttled_so_a_stolen_login_cannot_guess_on() {
    let app = spawn_app_with(|f| f.merge(("login_failures_per_username", 2))).await;
    let alice = app.reader("alice").await;
    for _ in 0..2 {
        let page = change(&alice, &app, "guess", NEW_PASSWORD, NEW_PASSWORD).await;
        assert_eq!(page.status, Status::Unauthorized);
    }

    let page = change(&alice, &app, PASSWORD, NEW_PASSWORD, NEW_PASSWORD).await;

    assert_eq!(
        page.status,
        Status::TooManyRequests,
        "even the right one waits"
    );
    assert!(page.body.contains("Too many wrong passwords"));
    assert!(page.header("Retry-After").is_some());
    let login = Browser::new().login(&app, "alice", PASSWORD).await;
    assert_eq!(
        login.status,
        Status::SeeOther,
        "the password did not change"
    );
}
