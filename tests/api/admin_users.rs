//! User management: promoting, demoting, disabling, and the rule that Folio
//! always keeps an active admin.

use rocket::http::Status;

use crate::helpers::{spawn_app, Browser, PASSWORD};

async fn user_id(app: &crate::helpers::TestApp, name: &str) -> i64 {
    app.count(&format!("SELECT id FROM users WHERE username = '{name}'"))
        .await
}

#[rocket::async_test]
async fn a_disabled_reader_is_logged_out_at_once_and_cannot_log_in() {
    let app = spawn_app().await;
    let admin = app.admin("editor").await;
    let story = app.add_story("Open", "Text").await;
    let reader = app.reader("reader").await;
    assert_eq!(
        reader.get(&app, &format!("/stories/{story}")).await.status,
        Status::Ok
    );
    let id = user_id(&app, "reader").await;

    let page = admin
        .post_form(&app, &format!("/admin/users/{id}/disable"), &[])
        .await;
    assert_eq!(page.status, Status::SeeOther);

    let after = reader.get(&app, "/following").await;
    assert_eq!(
        after.status,
        Status::SeeOther,
        "the old session no longer works"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM sessions WHERE user_id = (SELECT id FROM users WHERE username = 'reader')").await, 0);
    let again = Browser::new().login(&app, "reader", PASSWORD).await;
    assert_eq!(again.status, Status::Forbidden);
    assert!(again.body.contains("disabled"));

    admin
        .post_form(&app, &format!("/admin/users/{id}/enable"), &[])
        .await;
    assert_eq!(
        Browser::new().login(&app, "reader", PASSWORD).await.status,
        Status::SeeOther
    );
}

#[rocket::async_test]
async fn the_last_active_admin_cannot_step_down() {
    let app = spawn_app().await;
    let admin = app.admin("editor").await;
    let me = user_id(&app, "editor").await;

    for action in ["demote", "disable"] {
        let page = admin
            .post_form(&app, &format!("/admin/users/{me}/{action}"), &[])
            .await;
        assert_eq!(page.status, Status::SeeOther, "{action}");
        let list = admin.get(&app, page.location().unwrap_or_default()).await;
        assert!(
            list.body.contains("at least one active administrator"),
            "{action}: {}",
            list.body
        );
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE is_admin = 1 AND disabled_at IS NULL")
            .await,
        1
    );
    assert_eq!(admin.get(&app, "/admin").await.status, Status::Ok);

    // With a second admin, the first may step down.
    app.reader("helper").await;
    let helper = user_id(&app, "helper").await;
    admin
        .post_form(&app, &format!("/admin/users/{helper}/promote"), &[])
        .await;
    let page = admin
        .post_form(&app, &format!("/admin/users/{me}/demote"), &[])
        .await;
    assert_eq!(page.status, Status::SeeOther);
    assert_eq!(admin.get(&app, "/admin").await.status, Status::Forbidden);
}

#[rocket::async_test]
async fn the_user_list_is_paged_and_searchable() {
    let app = spawn_app().await;
    let admin = app.admin("editor").await;
    for i in 0..55 {
        folio::auth::users::create(&app.db, &format!("reader{i:02}"), "x")
            .await
            .expect("a user");
    }
    let first = admin.get(&app, "/admin/users").await;
    assert_eq!(first.status, Status::Ok);
    assert_eq!(first.body.matches("data-user=").count(), 50);
    assert!(first.body.contains("Next page"));
    let found = admin.get(&app, "/admin/users?q=reader5").await;
    assert_eq!(found.body.matches("data-user=").count(), 5);
    let none = admin.get(&app, "/admin/users?q=%25").await;
    assert_eq!(
        none.body.matches("data-user=").count(),
        0,
        "% is a character, not a wildcard"
    );
    let unknown = admin
        .post_form(&app, "/admin/users/9999/promote", &[])
        .await;
    assert_eq!(unknown.status, Status::NotFound);
    let id = user_id(&app, "reader01").await;
    let bad = admin
        .post_form(&app, &format!("/admin/users/{id}/crown"), &[])
        .await;
    assert_eq!(bad.status, Status::NotFound);
}

#[rocket::async_test]
async fn two_admins_demoting_each_other_at_once_leave_one_admin() {
    let app = spawn_app().await;
    let (ann, bea) = (app.admin("ann").await, app.admin("bea").await);
    let ids = [user_id(&app, "ann").await, user_id(&app, "bea").await];
    let active = "SELECT COUNT(*) FROM users WHERE is_admin = 1 AND disabled_at IS NULL";
    for round in 0..20 {
        let demote = ids.map(|id| format!("/admin/users/{id}/demote"));
        let _ = futures::join!(
            ann.post_form(&app, &demote[1], &[]),
            bea.post_form(&app, &demote[0], &[]),
        );
        assert_eq!(app.count(active).await, 1, "round {round}");
        // The one still an admin makes the other one again.
        let ann_kept = app
            .count(&format!("SELECT is_admin FROM users WHERE id = {}", ids[0]))
            .await
            == 1;
        let (keeper, other) = if ann_kept {
            (&ann, ids[1])
        } else {
            (&bea, ids[0])
        };
        let page = keeper
            .post_form(&app, &format!("/admin/users/{other}/promote"), &[])
            .await;
        assert_eq!(page.status, Status::SeeOther, "{}", page.body);
        assert_eq!(app.count(active).await, 2);
    }
}
