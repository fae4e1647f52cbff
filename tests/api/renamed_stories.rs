//! A story renamed in the studio keeps its old addresses: its page, feed
//! and badge answer 301 to the new name; a name another story takes again
//! is that story's. And an admin who logs in starts in the studio.

use rocket::http::Status;

use crate::client::Browser;
use crate::helpers::{spawn_app, TestApp, PASSWORD};
use crate::story_list::publish;

async fn rename(app: &TestApp, admin: &Browser, id: i64, title: &str, slug: &str) {
    let fields = [
        ("title", title),
        ("slug", slug),
        ("body", "Text."),
        ("action", "save"),
    ];
    let page = admin
        .post_form(app, &format!("/admin/stories/{id}"), &fields)
        .await;
    assert_eq!(page.status, Status::SeeOther, "{}", page.body);
}

#[rocket::async_test]
async fn a_renamed_story_answers_301_at_its_old_addresses() {
    let app = spawn_app().await;
    let admin = app.admin("editor").await;
    let id = publish(&app, &admin, &[("title", "Tides"), ("body", "Text.")]).await;
    let reader = app.reader("alice").await;
    assert_eq!(reader.get(&app, "/stories/tides").await.status, Status::Ok);

    rename(&app, &admin, id, "Neap Tides", "neap-tides").await;
    rename(&app, &admin, id, "Spring Tides", "spring-tides").await;

    for old in ["tides", "neap-tides"] {
        for (rest, visitor) in [
            ("", false),
            ("", true),
            ("/feed.xml", true),
            ("/badge.svg", true),
        ] {
            let fresh = Browser::new();
            let browser = if visitor { &fresh } else { &reader };
            let page = browser.get(&app, &format!("/stories/{old}{rest}")).await;
            assert_eq!(page.status, Status::MovedPermanently, "{old}{rest}");
            let to = format!("/stories/spring-tides{rest}");
            assert_eq!(page.location(), Some(to.as_str()));
        }
    }
    let now = reader.get(&app, "/stories/spring-tides").await;
    assert!(now
        .body
        .contains("<h1 class=\"story-title\">Spring Tides</h1>"));
    assert_eq!(
        reader.get(&app, "/stories/never-was").await.status,
        Status::NotFound
    );
}

#[rocket::async_test]
async fn an_old_name_taken_again_belongs_to_the_new_story() {
    let app = spawn_app().await;
    let admin = app.admin("editor").await;
    let first = publish(&app, &admin, &[("title", "Tides"), ("body", "Text.")]).await;
    rename(&app, &admin, first, "Neap Tides", "neap-tides").await;
    publish(
        &app,
        &admin,
        &[
            ("title", "Other Tides"),
            ("slug", "tides"),
            ("body", "Else."),
        ],
    )
    .await;

    let page = app.reader("alice").await.get(&app, "/stories/tides").await;
    assert_eq!(page.status, Status::Ok);
    assert!(page.body.contains("Other Tides"), "{}", page.body);
}

#[rocket::async_test]
async fn an_unpublished_renamed_story_is_not_found_at_its_old_name() {
    let app = spawn_app().await;
    let admin = app.admin("editor").await;
    let id = publish(&app, &admin, &[("title", "Tides"), ("body", "Text.")]).await;
    rename(&app, &admin, id, "Neap Tides", "neap-tides").await;
    admin
        .post_form(&app, &format!("/admin/stories/{id}/unpublish"), &[])
        .await;

    let page = app.reader("alice").await.get(&app, "/stories/tides").await;
    assert_eq!(page.status, Status::NotFound);
}

#[rocket::async_test]
async fn an_admin_who_logs_in_starts_in_the_studio() {
    let app = spawn_app().await;
    app.admin("editor").await;
    app.reader("alice").await;

    let login = |username: &'static str, next: Option<&'static str>| {
        let app = &app;
        async move {
            let mut fields = vec![("username", username), ("password", PASSWORD)];
            fields.extend(next.map(|next| ("next", next)));
            Browser::new().post_form(app, "/login", &fields).await
        }
    };
    assert_eq!(login("editor", None).await.location(), Some("/admin"));
    assert_eq!(login("editor", Some("/")).await.location(), Some("/admin"));
    let back = login("editor", Some("/stories/1")).await;
    assert_eq!(back.location(), Some("/stories/1"));
    assert_eq!(login("alice", None).await.location(), Some("/"));
}
