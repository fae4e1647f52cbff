//! Every route under /admin, taken from the built Folio itself, refuses
//! readers (403) and sends visitors to log in, changing nothing.

use rocket::http::{Method, Status};

use crate::helpers::{spawn_app, Browser, TestApp};

/// The admin routes as (method, URI) with their parameters filled in.
fn admin_routes(app: &TestApp, story: i64, user: i64, token: i64) -> Vec<(Method, String)> {
    let routes: Vec<(Method, String)> = app
        .client
        .rocket()
        .routes()
        .filter(|route| route.uri.path().starts_with("/admin"))
        .map(|route| {
            let path = route
                .uri
                .path()
                .to_string()
                .replace("/stories/<id>", &format!("/stories/{story}"))
                .replace("/users/<id>/<action>", &format!("/users/{user}/disable"))
                .replace(
                    "/users/<id>/reset-link",
                    &format!("/users/{user}/reset-link"),
                )
                .replace("/users/<id>/", &format!("/users/{user}/"))
                .replace("/revisions/<revision>", "/revisions/1")
                .replace("/tokens/<id>", &format!("/tokens/{token}"));
            (route.method, path)
        })
        .collect();
    for (_, path) in &routes {
        assert!(
            !path.contains('<'),
            "a parameter of {path} is not filled in"
        );
    }
    routes
}

#[rocket::async_test]
async fn readers_are_refused_and_visitors_sent_to_log_in_on_every_admin_route() {
    let app = spawn_app().await;
    let admin = app.admin("editor").await;
    let made = admin
        .post_form(&app, "/admin/tokens", &[("name", "kept")])
        .await;
    assert_eq!(made.status, Status::Created);
    let token = app.count("SELECT id FROM api_tokens").await;
    let story = app.add_story("Kept", "Body").await;
    let reader = app.reader("reader").await;
    let user = app
        .count("SELECT id FROM users WHERE username = 'editor'")
        .await;
    let routes = admin_routes(&app, story, user, token);
    assert!(
        routes.len() >= 22,
        "only {} admin routes found",
        routes.len()
    );
    let before = app.fingerprint().await;

    let visitor = Browser::new();
    let visitor_token = visitor.csrf_token(&app).await;
    let reader_token = reader.csrf_token(&app).await;
    for (method, path) in &routes {
        for (who, browser, token) in [
            ("reader", &reader, &reader_token),
            ("visitor", &visitor, &visitor_token),
        ] {
            let page = match method {
                Method::Get => browser.get(&app, path).await,
                Method::Post => {
                    // A valid token, so only the admin check can refuse it.
                    let body = format!(
                        "csrf_token={token}&title=Hijacked&body=x&action=publish&text=Hijacked&notify=true&name=Hijacked"
                    );
                    browser.post_raw(&app, path, body).await
                }
                other => panic!("unexpected method {other} on {path}"),
            };
            match who {
                "reader" => assert_eq!(page.status, Status::Forbidden, "{method} {path}"),
                _ => {
                    assert_eq!(page.status, Status::SeeOther, "{method} {path}");
                    let location = page.location().unwrap_or_default();
                    assert!(
                        location.starts_with("/login"),
                        "{method} {path} went to {location}"
                    );
                }
            }
        }
    }

    assert_eq!(app.fingerprint().await, before);
}

#[rocket::async_test]
async fn readers_see_no_way_into_the_admin_area() {
    let app = spawn_app().await;
    let reader = app.reader("reader").await;
    let page = reader.get(&app, "/").await;
    assert!(!page.body.contains("href=\"/admin\""));
    let admin = app.admin("editor").await;
    assert!(admin.get(&app, "/").await.body.contains("href=\"/admin\""));
}

#[rocket::async_test]
async fn a_demoted_admin_loses_the_admin_area_at_once() {
    let app = spawn_app().await;
    let first = app.admin("first").await;
    let second = app.admin("second").await;
    assert_eq!(second.get(&app, "/admin").await.status, Status::Ok);
    let id = app
        .count("SELECT id FROM users WHERE username = 'second'")
        .await;

    let page = first
        .post_form(&app, &format!("/admin/users/{id}/demote"), &[])
        .await;
    assert_eq!(page.status, Status::SeeOther);

    assert_eq!(second.get(&app, "/admin").await.status, Status::Forbidden);
}
