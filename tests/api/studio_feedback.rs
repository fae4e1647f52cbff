//! Every studio action says what it did on the page it leads to, once; and
//! an admin's own row offers nothing that would fail.

use rocket::http::Status;

use crate::client::{Browser, Page};
use crate::helpers::{spawn_app, TestApp};

/// Follows `page`'s redirect: the page the action led to.
async fn landing(app: &TestApp, browser: &Browser, page: &Page) -> Page {
    assert_eq!(page.status, Status::SeeOther, "{}", page.body);
    browser.get(app, page.location().unwrap_or_default()).await
}

fn said(page: &Page) -> Option<&str> {
    let start = page.body.find(" said\" role=\"status\">")? + 21;
    let end = page.body[start..].find("</p>")? + start;
    Some(&page.body[start..end])
}

#[rocket::async_test]
async fn each_action_says_what_it_did_once() {
    let app = spawn_app().await;
    let admin = app.admin("editor").await;
    let fields = [
        ("title", "Tides <b>"),
        ("body", "Text."),
        ("action", "save"),
    ];
    let saved = admin.post_form(&app, "/admin/stories", &fields).await;
    let editor = landing(&app, &admin, &saved).await;
    assert_eq!(
        said(&editor),
        Some("Saved as a draft: readers cannot see it yet.")
    );
    let again = admin.get(&app, saved.location().unwrap_or_default()).await;
    assert_eq!(said(&again), None, "said once, not on every visit");

    let id = app.count("SELECT id FROM stories").await;
    let steps = [
        ("publish", "Published: readers can see the story now."),
        (
            "unpublish",
            "Unpublished: readers no longer see the story. Nothing was deleted.",
        ),
        (
            "delete",
            "“Tides &lt;b&gt;” was deleted, with its reads and updates.",
        ),
    ];
    for (action, message) in steps {
        let page = admin
            .post_form(&app, &format!("/admin/stories/{id}/{action}"), &[])
            .await;
        assert_eq!(
            said(&landing(&app, &admin, &page).await),
            Some(message),
            "{action}"
        );
    }
}

#[rocket::async_test]
async fn user_changes_name_the_user_and_the_own_row_offers_none() {
    let app = spawn_app().await;
    let admin = app.admin("editor").await;
    app.reader("bob").await;
    let bob = app
        .count("SELECT id FROM users WHERE username = 'bob'")
        .await;
    let me = app
        .count("SELECT id FROM users WHERE username = 'editor'")
        .await;

    for (action, message) in [
        ("promote", "bob is an administrator now."),
        ("demote", "bob is no longer an administrator."),
        ("disable", "bob is disabled: their logins have ended."),
        ("enable", "bob can log in again."),
    ] {
        let page = admin
            .post_form(&app, &format!("/admin/users/{bob}/{action}"), &[])
            .await;
        assert_eq!(said(&landing(&app, &admin, &page).await), Some(message));
    }
    let list = admin.get(&app, "/admin/users").await.body;
    assert!(!list.contains(&format!("/admin/users/{me}/demote")));
    assert!(!list.contains(&format!("/admin/users/{me}/disable")));
    assert!(list.contains(&format!("/admin/users/{bob}/disable")));
}

/// Unpublishing, disabling and revoking ask first: their links lead to a
/// page that asks, and changes nothing until its button is pressed.
#[rocket::async_test]
async fn actions_readers_would_notice_ask_first() {
    let app = spawn_app().await;
    let admin = app.admin("editor").await;
    let id =
        crate::story_list::publish(&app, &admin, &[("title", "Tides"), ("body", "Text.")]).await;
    app.reader("bob").await;
    let bob = app
        .count("SELECT id FROM users WHERE username = 'bob'")
        .await;
    admin
        .post_form(&app, "/admin/tokens", &[("name", "reading app")])
        .await;
    let token = app.count("SELECT id FROM api_tokens").await;

    let editor = admin
        .get(&app, &format!("/admin/stories/{id}/edit"))
        .await
        .body;
    assert!(editor.contains(&format!(
        "href=\"/admin/stories/{id}/unpublish\" data-confirm="
    )));
    let users = admin.get(&app, "/admin/users").await.body;
    assert!(users.contains(&format!("href=\"/admin/users/{bob}/disable?back=")));

    let asks = [
        (
            format!("/admin/stories/{id}/unpublish"),
            "Unpublish “Tides”?",
        ),
        (
            format!("/admin/users/{bob}/disable?back=%2Fadmin%2Fusers%3Fq%3Db"),
            "Disable bob?",
        ),
        (
            format!("/admin/tokens/{token}/revoke"),
            "Revoke the token “reading app”?",
        ),
    ];
    for (path, question) in &asks {
        let page = admin.get(&app, path).await;
        assert_eq!(page.status, Status::Ok, "{path}");
        assert!(
            page.body.contains(&format!("<h1>{question}</h1>")),
            "{}",
            page.body
        );
        let action = path
            .split('?')
            .next()
            .unwrap_or_default()
            .replace('/', "&#x2F;");
        assert!(page
            .body
            .contains(&format!("<form method=\"post\" action=\"{action}\"")));
    }
    let disable = admin.get(&app, &asks[1].0).await.body;
    assert!(
        disable.contains("name=\"back\" value=\"&#x2F;admin&#x2F;users?q=b\""),
        "{disable}"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM stories WHERE published_at IS NOT NULL")
            .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE disabled_at IS NOT NULL")
            .await,
        0
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM api_tokens WHERE revoked_at IS NOT NULL")
            .await,
        0
    );

    admin
        .post_form(&app, &format!("/admin/tokens/{token}/revoke"), &[])
        .await;
    let gone = admin
        .get(&app, &format!("/admin/tokens/{token}/revoke"))
        .await;
    assert_eq!(gone.status, Status::NotFound, "nothing left to revoke");
}
