//! What the tests of the account pages share: ids looked up by name, a
//! login from a named browser, and the reset link an admin page shows.

use rocket::http::{ContentType, Header, Status};

use crate::client::Page;
use crate::helpers::{encode, Browser, TestApp, PASSWORD};

/// A new password that passes every rule.
pub const NEW_PASSWORD: &str = "lantern moss under the bridge";

pub const FIREFOX_ON_LINUX: &str =
    "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0";
pub const SAFARI_ON_IPHONE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) \
    AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1";

pub async fn user_id(app: &TestApp, name: &str) -> i64 {
    app.count(&format!("SELECT id FROM users WHERE username = '{name}'"))
        .await
}

/// The ids of `name`'s logins, oldest first.
pub async fn session_ids(app: &TestApp, name: &str) -> Vec<i64> {
    sqlx::query_scalar(
        "SELECT sessions.id FROM sessions JOIN users ON users.id = sessions.user_id
         WHERE users.username = $1 ORDER BY sessions.id",
    )
    .bind(name)
    .fetch_all(&app.db)
    .await
    .expect("the sessions")
}

/// `name`'s password hash, to tell whether it changed.
pub async fn password_hash(app: &TestApp, name: &str) -> String {
    sqlx::query_scalar("SELECT password_hash FROM users WHERE username = $1")
        .bind(name)
        .fetch_one(&app.db)
        .await
        .expect("the user")
}

/// A new browser, at `address`, in which `name` logs in with the
/// User-Agent `agent`; signing up first when there is no such account.
pub async fn logged_in_at(app: &TestApp, name: &str, address: &str, agent: &str) -> Browser {
    let exists = app
        .count(&format!(
            "SELECT COUNT(*) FROM users WHERE username = '{name}'"
        ))
        .await;
    let door = if exists == 1 { "/login" } else { "/signup" };
    let browser = Browser::at(address);
    let token = browser.csrf_token(app).await;
    let body = encode(&[
        ("csrf_token", token.as_str()),
        ("username", name),
        ("password", PASSWORD),
    ]);
    let request = browser
        .dress(app.client.post(door))
        .header(ContentType::Form)
        .header(Header::new("User-Agent", agent.to_string()))
        .body(body);
    let page = browser.keep_response(request.dispatch().await).await;
    assert_eq!(page.status, Status::SeeOther, "{door}: {}", page.body);
    browser
}

/// A second browser in which `name` is logged in.
pub async fn another_login(app: &TestApp, name: &str) -> Browser {
    let browser = Browser::new();
    let page = browser.login(app, name, PASSWORD).await;
    assert_eq!(page.status, Status::SeeOther, "login: {}", page.body);
    browser
}

/// Whether `browser` is logged in: its account page opens.
pub async fn is_logged_in(app: &TestApp, browser: &Browser) -> bool {
    let page = browser.get(app, "/account").await;
    match page.status {
        Status::Ok => true,
        Status::SeeOther => {
            let location = page.location().unwrap_or_default();
            assert!(location.starts_with("/login"), "went to {location}");
            false
        }
        other => panic!("the account page answered {other}"),
    }
}

/// The token of the reset link an admin has just been shown.
pub fn reset_token(page: &Page) -> String {
    // Tera escapes the slashes of what it writes into the page.
    let body = page.body.replace("&#x2F;", "/");
    let start = body.find("/reset/").expect("a reset link") + "/reset/".len();
    let token: String = body[start..]
        .chars()
        .take_while(|c| c.is_ascii_hexdigit())
        .collect();
    assert_eq!(token.len(), 64, "a whole token in {body}");
    token
}

/// An admin issues a reset link for `name`; its token.
pub async fn issue_reset_link(app: &TestApp, admin: &Browser, name: &str) -> String {
    let id = user_id(app, name).await;
    let page = admin
        .post_form(app, &format!("/admin/users/{id}/reset-link"), &[])
        .await;
    assert_eq!(page.status, Status::Created, "{}", page.body);
    reset_token(&page)
}
