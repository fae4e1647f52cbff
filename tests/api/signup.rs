use rocket::http::Status;

use crate::helpers::{spawn_app, Browser, PASSWORD};

#[rocket::async_test]
async fn signing_up_logs_the_new_reader_in() {
    let app = spawn_app().await;
    let story = app.add_story("A story", "Once upon a time.").await;
    let browser = Browser::new();

    let page = browser.signup(&app, "alice", PASSWORD).await;

    assert_eq!(page.status, Status::SeeOther);
    assert_eq!(page.location(), Some("/"));
    let home = browser.get(&app, "/").await;
    assert!(
        home.body.contains("alice"),
        "the navigation shows the reader"
    );
    assert_eq!(
        browser.get(&app, &format!("/stories/{story}")).await.status,
        Status::Ok
    );
}

#[rocket::async_test]
async fn passwords_are_stored_as_argon2id_hashes() {
    let app = spawn_app().await;
    app.reader("alice").await;

    let hash: String =
        sqlx::query_scalar("SELECT password_hash FROM users WHERE username = 'alice'")
            .fetch_one(&app.db)
            .await
            .unwrap();

    assert!(hash.starts_with("$argon2id$"), "stored: {hash}");
    assert!(!hash.contains(PASSWORD));
}

#[rocket::async_test]
async fn usernames_are_unique_regardless_of_case() {
    let app = spawn_app().await;
    app.reader("alice").await;

    let page = Browser::new().signup(&app, "ALICE", PASSWORD).await;

    assert_eq!(page.status, Status::Conflict);
    assert!(page.body.contains("That username is taken"));
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 1);
}

#[rocket::async_test]
async fn a_rejected_signup_keeps_the_username_but_never_the_password() {
    let app = spawn_app().await;

    let page = Browser::new().signup(&app, "bob", "short").await;

    assert_eq!(page.status, Status::UnprocessableEntity);
    assert!(page.body.contains("at least 8 characters"));
    assert!(page.body.contains("value=\"bob\""), "the username is kept");
    assert!(
        !page.body.contains("short\""),
        "the password is not sent back"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 0);
}

#[rocket::async_test]
async fn usernames_must_be_3_to_32_letters_digits_underscores_or_hyphens() {
    let app = spawn_app().await;
    let long = "a".repeat(33);
    let cases = [
        ("ab", "3 to 32 characters"),
        (long.as_str(), "3 to 32 characters"),
        ("bad name", "letters, digits"),
        ("émile", "letters, digits"),
        ("x<script>", "letters, digits"),
        ("", "3 to 32 characters"),
    ];

    for (username, message) in cases {
        let page = Browser::new().signup(&app, username, PASSWORD).await;
        assert_eq!(
            page.status,
            Status::UnprocessableEntity,
            "{username:?} was accepted"
        );
        assert!(page.body.contains(message), "{username:?}: {}", page.body);
    }

    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 0);
    for username in ["abc", "a_b-C9", &"z".repeat(32)] {
        let page = Browser::new().signup(&app, username, PASSWORD).await;
        assert_eq!(page.status, Status::SeeOther, "{username:?} was refused");
    }
}

#[rocket::async_test]
async fn passwords_need_8_characters_and_at_most_1024_bytes() {
    let app = spawn_app().await;
    let too_long = "p".repeat(1025);
    // Only so much of a password is weighed: a strong start is enough.
    let longest = format!("{STRONG:p<1024}");

    let page = Browser::new().signup(&app, "short", "zq8!Lw3").await;
    assert_eq!(page.status, Status::UnprocessableEntity);
    let page = Browser::new().signup(&app, "long", &too_long).await;
    assert_eq!(page.status, Status::UnprocessableEntity);
    assert!(page.body.contains("at most 1024 bytes"));
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 0);

    assert_eq!(
        Browser::new()
            .signup(&app, "eight", "zq8!Lw3p")
            .await
            .status,
        Status::SeeOther
    );
    assert_eq!(
        Browser::new()
            .signup(&app, "longest", &longest)
            .await
            .status,
        Status::SeeOther
    );
    let browser = Browser::new();
    assert_eq!(
        browser.login(&app, "longest", &longest).await.status,
        Status::SeeOther
    );
}

/// A passphrase no guesser would try early.
const STRONG: &str = "coffee mug on a windowsill";

#[rocket::async_test]
async fn common_passwords_and_the_username_itself_are_refused_with_advice() {
    let app = spawn_app().await;
    let cases = [
        ("password", "top-10 common password"),
        ("12345678", "too easy to guess"),
        ("        ", "too easy to guess"),
        ("readerone", "must not be the username"),
        ("ReaderOne", "must not be the username"),
        ("readerone1", "too easy to guess"),
    ];

    for (password, message) in cases {
        let page = Browser::new().signup(&app, "readerone", password).await;

        assert_eq!(
            page.status,
            Status::UnprocessableEntity,
            "{password:?} was accepted"
        );
        assert!(page.body.contains(message), "{password:?}: {}", page.body);
        assert!(
            page.body.contains("value=\"readerone\""),
            "the username is kept"
        );
    }
    let advice = Browser::new().signup(&app, "readerone", "password").await;
    assert!(
        advice.body.contains("Add another word or two"),
        "{}",
        advice.body
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 0);

    let page = Browser::new().signup(&app, "readerone", STRONG).await;
    assert_eq!(page.status, Status::SeeOther, "{}", page.body);
}

#[rocket::async_test]
async fn a_signup_form_with_missing_fields_is_answered_with_a_message() {
    let app = spawn_app().await;
    let browser = Browser::new();

    let page = browser.post_form(&app, "/signup", &[]).await;

    assert_eq!(page.status, Status::UnprocessableEntity);
    assert!(page.body.contains("3 to 32 characters"));
}

#[rocket::async_test]
async fn a_password_is_the_text_typed_not_its_form_encoding() {
    let app = spawn_app().await;
    let browser = Browser::new();
    let token = browser.csrf_token(&app).await;

    // Browsers send spaces as '+' and other characters percent-encoded.
    let body = format!("csrf_token={token}&username=carol&password=tea+for+two%21%26%3D");
    let page = browser.post_raw(&app, "/signup", body).await;
    assert_eq!(page.status, Status::SeeOther);

    let page = Browser::new().login(&app, "carol", "tea for two!&=").await;
    assert_eq!(page.status, Status::SeeOther);
}

/// `chars` characters of two bytes each, none repeated within 36.
fn two_byte_letters(chars: usize) -> String {
    let pool: Vec<char> = "éàüößçñøåæłńşžÿğıčďěňřťůźżąęėįųūāēīō".chars().collect();
    (0..chars).map(|i| pool[(i * 7) % pool.len()]).collect()
}

#[rocket::async_test]
async fn password_limits_count_characters_and_bytes_of_any_script() {
    let app = spawn_app().await;
    let cases = [
        ("seven", 7, Status::UnprocessableEntity),
        ("eight", 8, Status::SeeOther),
        ("longest", 512, Status::SeeOther),
        ("toolong", 513, Status::UnprocessableEntity),
    ];

    for (username, chars, expected) in cases {
        let page = Browser::new()
            .signup(&app, username, &two_byte_letters(chars))
            .await;
        assert_eq!(page.status, expected, "{chars} two-byte letters");
    }

    let page = Browser::new()
        .login(&app, "eight", &two_byte_letters(8))
        .await;
    assert_eq!(page.status, Status::SeeOther);
}
