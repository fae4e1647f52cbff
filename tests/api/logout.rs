use rocket::http::Status;

use crate::helpers::{spawn_app, Browser};

#[rocket::async_test]
async fn logging_out_ends_the_session_so_its_old_cookie_stops_working() {
    let app = spawn_app().await;
    let browser = app.reader("alice").await;
    let old_cookie = browser.cookie("session").expect("a session cookie");

    let page = browser.logout(&app).await;

    assert_eq!(page.status, Status::SeeOther);
    assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 0);
    let replay = Browser::new();
    replay.set_cookie("session", &old_cookie);
    let page = replay.get(&app, "/following").await;
    assert_eq!(
        page.status,
        Status::SeeOther,
        "the replayed cookie is not a login"
    );
    assert!(page.location().unwrap().starts_with("/login"));
}

#[rocket::async_test]
async fn logging_out_needs_a_post() {
    let app = spawn_app().await;
    let browser = app.reader("alice").await;

    let page = browser.get(&app, "/logout").await;

    assert_eq!(page.status, Status::NotFound);
    assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 1);
}

#[rocket::async_test]
async fn a_tampered_session_cookie_is_not_a_login() {
    let app = spawn_app().await;
    let story = app.add_story("A story", "Text").await;
    let browser = app.reader("alice").await;
    let cookie = browser.cookie("session").unwrap();

    let mut tampered = cookie.into_bytes();
    let middle = tampered.len() / 2;
    tampered[middle] = if tampered[middle] == b'A' { b'B' } else { b'A' };
    let forger = Browser::new();
    forger.set_cookie("session", std::str::from_utf8(&tampered).unwrap());
    let page = forger.get(&app, "/following").await;
    assert_eq!(page.status, Status::SeeOther);

    let forged = Browser::new();
    forged.set_cookie(
        "session",
        "0000000000000000000000000000000000000000000000000000000000000000",
    );
    let page = forged.get(&app, &format!("/api/stories/{story}")).await;
    assert_eq!(page.status, Status::Unauthorized);
}
