//! The account pages as a whole: reachable for every logged-in user from
//! `/account`, closed to visitors, and every form of them refused without
//! this browser's CSRF token.

use rocket::http::Status;

use crate::account_helpers::{
    another_login, issue_reset_link, password_hash, session_ids, user_id, NEW_PASSWORD,
};
use crate::helpers::{encode, spawn_app, Browser, PASSWORD};

#[rocket::async_test]
async fn the_account_page_links_every_account_page() {
    let app = spawn_app().await;
    let alice = app.reader("alice").await;

    let page = alice.get(&app, "/account").await;

    assert_eq!(page.status, Status::Ok);
    for link in ["/account/password", "/account/sessions", "/account/delete"] {
        assert!(page.body.contains(&format!("href=\"{link}\"")), "{link}");
        assert_eq!(alice.get(&app, link).await.status, Status::Ok, "{link}");
    }
}

#[rocket::async_test]
async fn visitors_are_sent_to_log_in_and_come_back() {
    let app = spawn_app().await;
    for path in [
        "/account",
        "/account/password",
        "/account/sessions",
        "/account/delete",
    ] {
        let page = Browser::new().get(&app, path).await;
        assert_eq!(page.status, Status::SeeOther, "{path}");
        let back = format!("/login?next={}", folio::web::query_encode(path));
        assert_eq!(page.location(), Some(back.as_str()), "{path}");
    }
}

/// Who posts a form, where, and its fields.
type Form<'b> = (&'b Browser, String, Vec<(&'static str, &'static str)>);

#[rocket::async_test]
async fn every_account_form_needs_this_browsers_csrf_token() {
    let app = spawn_app().await;
    let admin = app.admin("editor").await;
    let alice = app.reader("alice").await;
    let _phone = another_login(&app, "alice").await;
    let token = issue_reset_link(&app, &admin, "alice").await;
    let phone_id = session_ids(&app, "alice").await[1];
    let alice_id = user_id(&app, "alice").await;
    let before = app.fingerprint().await;
    let resets = "SELECT COUNT(*) FROM password_resets WHERE used_at IS NULL";
    let unused = app.count(resets).await;
    let hash = password_hash(&app, "alice").await;

    let forms: [Form; 6] = [
        (
            &alice,
            "/account/password".into(),
            vec![
                ("current_password", PASSWORD),
                ("new_password", NEW_PASSWORD),
                ("confirm_password", NEW_PASSWORD),
            ],
        ),
        (&alice, format!("/account/sessions/{phone_id}/end"), vec![]),
        (&alice, "/account/sessions/end-others".into(), vec![]),
        (
            &alice,
            "/account/delete".into(),
            vec![("username", "alice"), ("password", PASSWORD)],
        ),
        (
            &alice,
            format!("/reset/{token}"),
            vec![
                ("new_password", NEW_PASSWORD),
                ("confirm_password", NEW_PASSWORD),
            ],
        ),
        (
            &admin,
            format!("/admin/users/{alice_id}/reset-link"),
            vec![],
        ),
    ];
    for (browser, path, fields) in &forms {
        for csrf in [None, Some("0".repeat(64))] {
            let mut all = fields.clone();
            if let Some(csrf) = &csrf {
                all.push(("csrf_token", csrf));
            }
            let page = browser.post_raw(&app, path, encode(&all)).await;
            assert_eq!(page.status, Status::Forbidden, "{path} with {csrf:?}");
            assert!(page.body.contains("This form has expired"), "{path}");
        }
    }

    assert_eq!(app.fingerprint().await, before);
    assert_eq!(app.count(resets).await, unused);
    assert_eq!(password_hash(&app, "alice").await, hash);
}
