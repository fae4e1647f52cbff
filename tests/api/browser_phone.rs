//! Folio on a phone: every page a visitor, a reader and an admin can open
//! fits a phone's screen (nothing wider than the viewport, so the page never
//! scrolls sideways or zooms out), at 360, 390 and 414 CSS pixels.

use crate::browser::{Chrome, Server};
use crate::helpers::PASSWORD;

const WIDTHS: [u32; 3] = [360, 390, 414];

/// A long title, an unbroken long word, a wide table and a long link: what
/// pushes a narrow page wider.
const WIDE_BODY: &str = "Antidisestablishmentarianism-and-other-unbroken-words-that-run-on \
https://example.com/a/very/long/address/that/has/no/place/to/break/at/all/whatsoever\n\n\
| Station | Arrives | Departs | Platform | Notes about the stop |\n\
|---|---|---|---|---|\n\
| Northampton Castle | 23:40 | 23:42 | 4 | Change for the coast line |\n\n\
```\nlet a_line_of_code = \"that is much longer than any phone is wide, and must scroll\";\n```\n";

/// The page's width in CSS pixels, and the first elements that stick out
/// of the viewport (to say what is wrong when it does not fit).
async fn width_of(browser: &Chrome) -> (u64, String) {
    let found = browser
        .run(
            "const wide = [...document.querySelectorAll('body *')]
               .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
               .slice(0, 4)
               .map((e) => e.tagName.toLowerCase() + '.' + e.className);
             return [document.documentElement.scrollWidth, wide.join(' ')];",
        )
        .await;
    (found[0].as_u64().unwrap_or(0), found[1].to_string())
}

async fn assert_fits(browser: &Chrome, server: &Server, width: u32, paths: &[String]) {
    for path in paths {
        browser.goto(&server.url(path)).await;
        let (page, wide) = width_of(browser).await;
        assert!(
            page <= u64::from(width),
            "{path} is {page} px wide on a {width} px screen; sticking out: {wide}"
        );
    }
}

async fn a_site_with_wide_content() -> (Server, i64) {
    let server = Server::start(|f| f.merge(("secret_key", crate::raw_stream::SECRET_KEY))).await;
    let story = server
        .add_story(
            "The Extraordinarily Long-Winded Chronicle of the Night Train to the Coast",
            WIDE_BODY,
        )
        .await;
    server.add_story("Seat 14", "A short one.").await;
    folio::admin::accounts::create(&server.db, "an-editor-with-a-long-name", PASSWORD.into())
        .await
        .expect("an admin");
    sqlx::query(
        "INSERT INTO story_updates (story_id, kind, body, created_at)
         VALUES ($1, 'announcement', $2, 1)",
    )
    .bind(story)
    .bind("An-announcement-with-a-very-long-unbroken-word-in-it-that-goes-on-and-on ".repeat(3))
    .execute(&server.db)
    .await
    .expect("an update");
    // A cover said to be 3000 pixels wide, with a long unbroken name.
    let png = base64::Engine::decode(
        &base64::engine::general_purpose::STANDARD,
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
    )
    .expect("base64");
    let cover: i64 = sqlx::query_scalar(
        "INSERT INTO images (hash, kind, width, height, size, name, uploaded_at, bytes)
         VALUES ($1, 'png', 3000, 400, $2, $3, 1, $4) RETURNING id",
    )
    .bind("c0".repeat(32))
    .bind(png.len() as i64)
    .bind("a-photograph-of-the-night-train-with-a-very-long-unbroken-file-name.png")
    .bind(&png)
    .fetch_all(&server.db)
    .await
    .expect("an image")[0];
    sqlx::query("UPDATE stories SET cover_image_id = $1 WHERE id = $2")
        .bind(cover)
        .bind(story)
        .execute(&server.db)
        .await
        .expect("a cover");
    (server, story)
}

#[rocket::async_test]
#[ignore = "needs chromium"]
async fn no_page_is_wider_than_a_phone() {
    let (server, story) = a_site_with_wide_content().await;
    let visitor_pages = [
        "/".into(),
        format!("/stories/{story}"),
        "/login".into(),
        "/signup".into(),
        "/no-such-page".into(),
    ];
    let reader_pages = [
        "/".into(),
        format!("/stories/{story}"),
        "/notifications".into(),
        "/notifications?view=all".into(),
        "/following".into(),
        "/account".into(),
        "/account/password".into(),
        "/account/sessions".into(),
        "/account/delete".into(),
    ];
    let admin_pages = [
        "/admin".into(),
        "/admin?range=365&metric=reads".into(),
        "/admin?metric=now".into(),
        "/admin/stories".into(),
        "/admin/stories/new".into(),
        format!("/admin/stories/{story}/edit"),
        format!("/admin/stories/{story}/stats"),
        format!("/admin/stories/{story}/updates"),
        format!("/admin/stories/{story}/delete"),
        format!("/admin/stories/{story}/revisions"),
        format!("/admin/stories/{story}/unpublish"),
        "/admin/users".into(),
        "/admin/tokens".into(),
        "/admin/images".into(),
    ];
    for (i, width) in WIDTHS.into_iter().enumerate() {
        let browser = Chrome::phone(width).await;
        assert_fits(&browser, &server, width, &visitor_pages).await;

        let reader = format!("reader-with-a-rather-long-name{i}");
        browser.sign_up(&server, &reader, "/following").await;
        assert_fits(&browser, &server, width, &reader_pages).await;
        // The account menu opens inside the screen.
        browser.goto(&server.url("/")).await;
        browser.click("details.account-menu summary").await;
        let menu = browser
            .run(
                "const r = document.querySelector('details.account-menu .menu').getBoundingClientRect();
                 return [r.left, r.right, window.innerWidth];",
            )
            .await;
        let (left, right) = (menu[0].as_f64(), menu[1].as_f64());
        let inner = menu[2].as_f64().unwrap_or(0.0);
        assert!(
            left >= Some(0.0) && right <= Some(inner),
            "the menu is off screen: {menu}"
        );
        browser.close().await;

        let admin = Chrome::phone(width).await;
        admin
            .log_in(&server, "an-editor-with-a-long-name", "/admin")
            .await;
        assert_fits(&admin, &server, width, &admin_pages).await;
        admin.close().await;
    }
}

#[rocket::async_test]
#[ignore = "needs chromium"]
async fn the_story_title_is_the_largest_heading_and_nothing_needs_zoom() {
    let (server, story) = a_site_with_wide_content().await;
    sqlx::query("UPDATE stories SET body = $1 WHERE id = $2")
        .bind("## A heading in the story\n\nText.\n\n# Even a first-level one\n\nMore.")
        .bind(story)
        .execute(&server.db)
        .await
        .expect("a body with headings");
    let browser = Chrome::phone(390).await;
    browser
        .sign_up(&server, "reader", &format!("/stories/{story}"))
        .await;
    let sizes = browser
        .run(
            "const size = (e) => parseFloat(getComputedStyle(e).fontSize);
             const title = size(document.querySelector('h1.story-title'));
             const others = [...document.querySelectorAll('.story-body h1, .story-body h2, .story-body h3')].map(size);
             const body = size(document.querySelector('.story-body p'));
             return [title, Math.max(...others), body];",
        )
        .await;
    let [title, heading, body] = [0, 1, 2].map(|i| sizes[i].as_f64().unwrap_or(0.0));
    assert!(title > heading, "title {title}px, a heading {heading}px");
    assert!(body >= 16.0, "body text is {body}px on a phone");
    browser.close().await;
}
