//! Password-reset links: an admin issues one for a locked-out reader and
//! passes it on; it sets a new password once, before it expires, and ends
//! every login of the account.

use rocket::http::Status;

use crate::account_helpers::{
    another_login, is_logged_in, issue_reset_link, password_hash, user_id, NEW_PASSWORD,
};
use crate::helpers::{spawn_app, spawn_app_with, Browser, PASSWORD};

fn new_password<'a>(new: &'a str, again: &'a str) -> [(&'static str, &'a str); 2] {
    [("new_password", new), ("confirm_password", again)]
}

#[rocket::async_test]
async fn a_reset_link_sets_a_new_password_once_and_ends_the_accounts_logins() {
    let app = spawn_app().await;
    let admin = app.admin("editor").await;
    let stale = app.reader("alice").await;
    let token = issue_reset_link(&app, &admin, "alice").await;
    let link = format!("/reset/{token}");
    let alice = Browser::new();

    let form = alice.get(&app, &link).await;
    assert_eq!(form.status, Status::Ok);
    assert!(form.body.contains("alice"));
    let done = alice
        .post_form(&app, &link, &new_password(NEW_PASSWORD, NEW_PASSWORD))
        .await;

    assert_eq!(done.status, Status::SeeOther, "{}", done.body);
    assert_eq!(done.location(), Some("/account"));
    let account = alice.get(&app, "/account").await;
    assert!(
        account.body.contains("Your new password is set"),
        "{}",
        account.body
    );
    assert!(!is_logged_in(&app, &stale).await, "the old login ended");
    assert_eq!(
        Browser::new().login(&app, "alice", PASSWORD).await.status,
        Status::Unauthorized
    );
    assert_eq!(
        Browser::new()
            .login(&app, "alice", NEW_PASSWORD)
            .await
            .status,
        Status::SeeOther
    );

    let again = Browser::new();
    let reopened = again.get(&app, &link).await;
    assert_eq!(reopened.status, Status::Gone);
    assert!(reopened.body.contains("This link has been used"));
    let reused = again
        .post_form(
            &app,
            &link,
            &new_password("another long passphrase", "another long passphrase"),
        )
        .await;
    assert_eq!(reused.status, Status::Gone);
    assert_eq!(
        Browser::new()
            .login(&app, "alice", NEW_PASSWORD)
            .await
            .status,
        Status::SeeOther
    );
}

#[rocket::async_test]
async fn an_expired_link_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let admin = app.admin("editor").await;
    let alice = app.reader("alice").await;
    let token = issue_reset_link(&app, &admin, "alice").await;
    let before = password_hash(&app, "alice").await;
    sqlx::query("UPDATE password_resets SET expires_at = $1")
        .bind(crate::databases::now() - 1)
        .execute(&app.db)
        .await
        .expect("the link expires");
    let link = format!("/reset/{token}");

    let opened = Browser::new().get(&app, &link).await;
    let posted = Browser::new()
        .post_form(&app, &link, &new_password(NEW_PASSWORD, NEW_PASSWORD))
        .await;

    assert_eq!(opened.status, Status::Gone);
    assert!(opened.body.contains("This link has expired"));
    assert!(opened.body.contains("Ask an administrator"));
    assert_eq!(posted.status, Status::Gone);
    assert_eq!(password_hash(&app, "alice").await, before);
    assert!(is_logged_in(&app, &alice).await);
}

#[rocket::async_test]
async fn links_last_the_configured_hours_and_a_newer_link_ends_the_older() {
    let app = spawn_app_with(|f| f.merge(("reset_link_hours", 2))).await;
    let admin = app.admin("editor").await;
    app.reader("alice").await;

    let older = issue_reset_link(&app, &admin, "alice").await;
    let lifetime = app
        .count("SELECT expires_at - created_at FROM password_resets")
        .await;
    let newer = issue_reset_link(&app, &admin, "alice").await;

    assert_eq!(lifetime, 2 * 3600);
    let old = Browser::new().get(&app, &format!("/reset/{older}")).await;
    assert_eq!(old.status, Status::Gone);
    let new = Browser::new().get(&app, &format!("/reset/{newer}")).await;
    assert_eq!(new.status, Status::Ok);
}

#[rocket::async_test]
async fn an_unknown_link_is_not_found_with_a_way_forward() {
    let app = spawn_app().await;
    for link in [
        format!("/reset/{}", "0".repeat(64)),
        "/reset/abc".to_string(),
    ] {
        let page = Browser::new().get(&app, &link).await;
        assert_eq!(page.status, Status::NotFound, "{link}");
        assert!(page.body.contains("Check that you copied all of it"));
    }
}

#[rocket::async_test]
async fn a_weak_or_mismatched_password_keeps_the_link_usable() {
    let app = spawn_app().await;
    let admin = app.admin("editor").await;
    app.reader("alice").await;
    let link = format!("/reset/{}", issue_reset_link(&app, &admin, "alice").await);
    let browser = Browser::new();

    let weak = browser
        .post_form(&app, &link, &new_password("password", "password"))
        .await;
    let differ = browser
        .post_form(&app, &link, &new_password(NEW_PASSWORD, "something else"))
        .await;

    assert_eq!(weak.status, Status::UnprocessableEntity);
    assert!(
        weak.body
            .contains(r#"aria-describedby="new_password-error"#),
        "{}",
        weak.body
    );
    assert!(weak.body.contains("too easy to guess"));
    assert_eq!(differ.status, Status::UnprocessableEntity);
    assert!(differ
        .body
        .contains(r#"aria-describedby="confirm_password-error""#));
    let done = browser
        .post_form(&app, &link, &new_password(NEW_PASSWORD, NEW_PASSWORD))
        .await;
    assert_eq!(done.status, Status::SeeOther);
}

#[rocket::async_test]
async fn a_reader_cannot_issue_a_reset_link() {
    let app = spawn_app().await;
    let mallory = app.reader("mallory").await;
    let alice = app.reader("alice").await;
    let id = user_id(&app, "alice").await;

    let page = mallory
        .post_form(&app, &format!("/admin/users/{id}/reset-link"), &[])
        .await;

    assert_eq!(page.status, Status::Forbidden);
    assert_eq!(app.count("SELECT COUNT(*) FROM password_resets").await, 0);
    assert!(is_logged_in(&app, &alice).await);
}

#[rocket::async_test]
async fn following_a_link_while_logged_in_as_someone_else_logs_in_as_its_account() {
    let app = spawn_app().await;
    let admin = app.admin("editor").await;
    app.reader("alice").await;
    let bob = app.reader("bob").await;
    let bobs_other = another_login(&app, "bob").await;
    let link = format!("/reset/{}", issue_reset_link(&app, &admin, "alice").await);

    let done = bob
        .post_form(&app, &link, &new_password(NEW_PASSWORD, NEW_PASSWORD))
        .await;

    assert_eq!(done.status, Status::SeeOther);
    let account = bob.get(&app, "/account").await;
    assert!(
        account.body.contains("Logged in as <strong>alice</strong>"),
        "{}",
        account.body
    );
    assert!(
        is_logged_in(&app, &bobs_other).await,
        "bob's other login is his own business"
    );
}
