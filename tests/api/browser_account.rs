//! The account pages in a real browser on a phone-sized screen: what they
//! hold is no wider than the screen, and the password form does its work
//! when typed into and sent as a person would.

use std::time::Duration;

use crate::browser::{Chrome, Server};
use crate::helpers::PASSWORD;

const NEW_PASSWORD: &str = "lantern moss under the bridge";

#[rocket::async_test]
#[ignore = "needs chromium"]
async fn the_account_pages_fit_a_phone_and_the_password_form_works_there() {
    let server = Server::start(|f| f.merge(("secret_key", crate::raw_stream::SECRET_KEY))).await;
    let phone = Chrome::open().await;
    phone
        .client
        .set_window_size(390, 844)
        .await
        .expect("a phone-sized window");
    phone.sign_up(&server, "alice", "/account").await;

    for path in [
        "/account",
        "/account/password",
        "/account/sessions",
        "/account/delete",
    ] {
        phone.goto(&server.url(path)).await;
        // What the page holds; the frame around it (the navigation bar) is
        // checked with every other page's.
        let wide = phone
            .client
            .execute(
                "return [...document.querySelectorAll('main *')]
                    .filter(e => e.getBoundingClientRect().right > window.innerWidth)
                    .map(e => e.outerHTML.slice(0, 80));",
                vec![],
            )
            .await
            .expect("a script runs");
        assert_eq!(
            wide,
            serde_json::json!([]),
            "{path} is wider than the screen"
        );
    }

    phone.goto(&server.url("/account/password")).await;
    phone.fill("#current_password", PASSWORD).await;
    phone.fill("#new_password", NEW_PASSWORD).await;
    phone.fill("#confirm_password", NEW_PASSWORD).await;
    phone.click("form.stacked button[type=submit]").await;
    phone
        .wait_for_text(
            ".notice-ok",
            "Your password is changed.",
            Duration::from_secs(5),
        )
        .await;
}
