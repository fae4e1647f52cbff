//! Deleting one's own account: the password and the username typed again;
//! then the account, its logins, follows, notifications and activity go,
//! its open pages are signed out and leave "reading now", and the stories
//! it read keep counting it, anonymously, as the page says.

use rocket::http::Status;

use crate::account_helpers::{another_login, is_logged_in, user_id};
use crate::helpers::{spawn_app, Browser, PASSWORD};

fn confirm<'a>(username: &'a str, password: &'a str) -> [(&'static str, &'a str); 2] {
    [("username", username), ("password", password)]
}

#[rocket::async_test]
async fn the_page_says_what_goes_and_that_reads_stay_counted() {
    let app = spawn_app().await;
    let alice = app.reader("alice").await;

    let page = alice.get(&app, "/account/delete").await;

    assert_eq!(page.status, Status::Ok);
    assert!(page.body.contains("cannot be undone"));
    assert!(page.body.contains("its total reads do not go down"));
    assert!(page.body.contains("notifications"));
}

#[rocket::async_test]
async fn a_deleted_account_is_gone_everywhere_and_its_reads_stay_counted() {
    let app = spawn_app().await;
    let story = app.add_story("A story", "Text").await;
    let alice = app.follower("alice", &story.to_string()).await;
    let bob = app.reader("bob").await;
    for reader in [&alice, &bob] {
        assert_eq!(
            reader.get(&app, &format!("/stories/{story}")).await.status,
            Status::Ok
        );
    }
    let phone = another_login(&app, "alice").await;
    let mut phones_page = phone.events(&app, &format!("/live/stories/{story}")).await;
    let mut bobs_page = bob.events(&app, &format!("/live/stories/{story}")).await;
    bobs_page.until_figures(2, 2).await;
    let id = user_id(&app, "alice").await;

    let page = alice
        .post_form(&app, "/account/delete", &confirm("Alice", PASSWORD))
        .await;

    assert_eq!(page.status, Status::SeeOther, "{}", page.body);
    assert_eq!(page.location(), Some("/account/deleted"));
    let farewell = alice.get(&app, "/account/deleted").await;
    assert_eq!(farewell.status, Status::Ok);
    assert!(farewell.body.contains("The account alice is deleted"));
    assert!(
        phones_page.ended().await,
        "alice's other page is signed out"
    );
    bobs_page.until_figures(1, 2).await;
    for table in [
        "sessions",
        "reads",
        "follows",
        "notifications",
        "password_resets",
    ] {
        let rows = app
            .count(&format!(
                "SELECT COUNT(*) FROM {table} WHERE user_id = {id}"
            ))
            .await;
        assert_eq!(rows, 0, "{table}");
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE username = 'alice'")
            .await,
        0
    );
    assert_eq!(
        app.story_read_count(story).await,
        2,
        "her read stays counted"
    );
    assert_eq!(app.rows_of("reads", "bob").await, 1);
    assert!(!is_logged_in(&app, &alice).await && !is_logged_in(&app, &phone).await);
    let login = Browser::new().login(&app, "alice", PASSWORD).await;
    assert_eq!(login.status, Status::Unauthorized);
    let again = Browser::new().signup(&app, "alice", PASSWORD).await;
    assert_eq!(again.status, Status::SeeOther, "the name is free again");
}

#[rocket::async_test]
async fn a_wrong_password_or_username_keeps_the_account_and_says_which_field() {
    let app = spawn_app().await;
    let alice = app.reader("alice").await;

    let wrong_password = alice
        .post_form(
            &app,
            "/account/delete",
            &confirm("alice", "not my password"),
        )
        .await;
    let wrong_name = alice
        .post_form(&app, "/account/delete", &confirm("alicia", PASSWORD))
        .await;

    assert_eq!(wrong_password.status, Status::Unauthorized);
    assert!(wrong_password
        .body
        .contains("That is not your current password."));
    assert!(wrong_password
        .body
        .contains(r#"aria-invalid="true" aria-describedby="password-error""#));
    assert!(
        wrong_password.body.contains(r#"value="alice""#),
        "the typed name is kept"
    );
    assert_eq!(wrong_name.status, Status::UnprocessableEntity);
    assert!(wrong_name
        .body
        .contains("Type your username, alice, to confirm."));
    assert!(wrong_name
        .body
        .contains(r#"aria-invalid="true" aria-describedby="username-error username-help""#));
    assert!(wrong_name.body.contains(r#"value="alicia""#));
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 1);
    assert!(is_logged_in(&app, &alice).await);
}

#[rocket::async_test]
async fn the_last_active_admin_cannot_delete_their_account_until_another_admin_exists() {
    let app = spawn_app().await;
    let editor = app.admin("editor").await;

    let warned = editor.get(&app, "/account/delete").await;
    let refused = editor
        .post_form(&app, "/account/delete", &confirm("editor", PASSWORD))
        .await;

    assert!(warned.body.contains("only active administrator"));
    assert_eq!(refused.status, Status::Conflict);
    assert!(refused.body.contains("only active administrator"));
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 1);
    assert!(is_logged_in(&app, &editor).await);

    app.admin("second").await;
    let deleted = editor
        .post_form(&app, "/account/delete", &confirm("editor", PASSWORD))
        .await;
    assert_eq!(deleted.status, Status::SeeOther);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE is_admin = 1")
            .await,
        1
    );
}

#[rocket::async_test]
async fn an_admins_posted_updates_stay_without_their_name() {
    let app = spawn_app().await;
    let story = app.add_story("A story", "Text").await;
    let editor = app.admin("editor").await;
    app.admin("second").await;
    let posted = editor
        .post_form(
            &app,
            &format!("/admin/stories/{story}/updates"),
            &[("text", "Chapter two is out")],
        )
        .await;
    assert_eq!(posted.status, Status::SeeOther, "{}", posted.body);

    let deleted = editor
        .post_form(&app, "/account/delete", &confirm("editor", PASSWORD))
        .await;

    assert_eq!(deleted.status, Status::SeeOther);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM story_updates WHERE author_id IS NULL")
            .await,
        1
    );
}
