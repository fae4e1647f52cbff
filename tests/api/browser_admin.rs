//! The admin area in a real browser: a story published by an admin appears
//! on a reader's open story list without a reload.

use std::time::Duration;

use crate::browser::{Chrome, Server};
use crate::helpers::PASSWORD;

#[rocket::async_test]
#[ignore = "needs chromium"]
async fn a_published_story_appears_on_an_open_list() {
    let server = Server::start(|f| f.merge(("secret_key", crate::raw_stream::SECRET_KEY))).await;
    folio::admin::accounts::create(&server.db, "editor", PASSWORD.to_string())
        .await
        .expect("an admin");
    let (reader, editor) = (Chrome::open().await, Chrome::open().await);
    reader.goto(&server.url("/")).await;
    assert!(reader
        .text("main")
        .await
        .contains("No stories have been published yet"));
    reader.mark_page().await;

    editor
        .goto(&server.url("/login?next=/admin/stories/new"))
        .await;
    editor.fill("#username", "editor").await;
    editor.fill("#password", PASSWORD).await;
    editor.click("form.stacked button[type=submit]").await;
    editor.fill("#title", "Fresh Off the Press").await;
    editor.fill("#body", "It is *new*.").await;
    editor.click("button[value=publish]").await;
    // The editor lands on the story's page in the editor, now published.
    editor
        .wait_for_text(".title-row .state", "Published", Duration::from_secs(5))
        .await;

    reader
        .wait_for_text(
            ".story-list .story-title",
            "Fresh Off the Press",
            Duration::from_secs(5),
        )
        .await;
    assert!(reader.page_is_marked().await, "the list was reloaded");
    reader.click(".story-list .story-title").await;
    assert!(
        reader.text("main").await.contains("Log in"),
        "reading needs an account"
    );
}

/// With JavaScript, Unpublish asks in a dialog and sends the form itself:
/// declined, nothing happens; accepted, the story is unpublished and the
/// page says so.
#[rocket::async_test]
#[ignore = "needs chromium"]
async fn unpublishing_asks_in_a_dialog_first() {
    let (_server, editor) = new_story().await;
    editor.fill("#title", "Second Thoughts").await;
    editor.fill("#body", "Maybe.").await;
    editor.click("button[value=publish]").await;
    editor
        .wait_for_text(".title-row .state", "Published", Duration::from_secs(5))
        .await;

    editor
        .run("window.confirm = (q) => { window.asked = q; return false; };")
        .await;
    editor.click("a[data-confirm][href$='/unpublish']").await;
    let asked = editor.run("return window.asked;").await;
    assert!(
        asked
            .as_str()
            .unwrap_or_default()
            .starts_with("Unpublish “Second Thoughts”?"),
        "{asked}"
    );
    assert_eq!(editor.text(".title-row .state").await, "Published");

    editor.run("window.confirm = () => true;").await;
    editor.click("a[data-confirm][href$='/unpublish']").await;
    editor
        .wait_for_text(".title-row .state", "Not published", Duration::from_secs(5))
        .await;
    assert!(editor
        .text("main")
        .await
        .contains("Unpublished: readers no longer see the story."));
}

/// The editor counts while typing and cuts nothing: a title over its limit
/// is kept whole, said to be over, and refused by the server with the text
/// shown again.
#[rocket::async_test]
#[ignore = "needs chromium"]
async fn the_editor_counts_while_typing_and_cuts_nothing() {
    let (_server, editor) = new_story().await;
    let long = "t".repeat(205);
    editor.fill("#title", &long).await;
    editor.fill("#body", "one *two* three").await;
    // The live preview shows it rendered, without a save.
    editor
        .wait_for_text(
            "#live-preview .story-body em",
            "two",
            Duration::from_secs(5),
        )
        .await;

    let typed = editor
        .run("return document.querySelector('#title').value.length;")
        .await;
    assert_eq!(typed, 205);
    assert_eq!(
        editor.text("#title-count").await,
        "5 characters over the limit of 200"
    );
    assert!(editor
        .text("#body-count")
        .await
        .starts_with("3 words · 1 min read · 0.00 of 1 MB"));

    // Ctrl+B makes the selection bold.
    let bold = editor
        .run(
            "const b = document.querySelector('#body'); b.setSelectionRange(0, 3);
             b.dispatchEvent(new KeyboardEvent('keydown', { key: 'b', ctrlKey: true, bubbles: true }));
             return b.value;",
        )
        .await;
    assert_eq!(bold, "**one** *two* three");

    editor.click("button[value=publish]").await;
    editor
        .wait_for_text(
            ".alert",
            "A title has at most 200 characters; this one has 205.",
            Duration::from_secs(5),
        )
        .await;
    let kept = editor
        .run("return document.querySelector('#title').value;")
        .await;
    assert_eq!(kept.as_str(), Some(long.as_str()));
}

/// What is typed in the editor survives a closed tab: the editor opened
/// again offers it back.
#[rocket::async_test]
#[ignore = "needs chromium"]
async fn an_autosaved_draft_survives_a_closed_tab() {
    let (server, editor) = new_story().await;
    editor.fill("#title", "Half Written").await;
    editor.fill("#body", "The first lines, never saved.").await;
    // Kept within a few seconds of typing.
    let deadline = std::time::Instant::now() + Duration::from_secs(8);
    loop {
        let kept = editor
            .run("return localStorage.getItem('folio-draft:/admin/stories');")
            .await;
        if kept.as_str().unwrap_or_default().contains("never saved") {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "not kept: {kept}");
        rocket::tokio::time::sleep(Duration::from_millis(100)).await;
    }

    let tab = editor.client.new_window(true).await.expect("a new tab");
    editor
        .client
        .close_window()
        .await
        .expect("the editor's tab closed");
    editor
        .client
        .switch_to_window(tab.handle)
        .await
        .expect("the new tab");
    editor.goto(&server.url("/admin/stories/new")).await;
    editor
        .wait_for_text(".draft-found button", "Restore it", Duration::from_secs(5))
        .await;
    assert!(editor.text(".draft-found").await.contains("was not saved"));
    editor.click(".draft-found button").await;
    let body = editor
        .run("return document.querySelector('#body').value;")
        .await;
    assert_eq!(body, "The first lines, never saved.");
    let title = editor
        .run("return document.querySelector('#title').value;")
        .await;
    assert_eq!(title, "Half Written");
}

/// A Folio with an admin, "editor", logged in on a new story's editor.
pub async fn new_story() -> (Server, Chrome) {
    let server = Server::start(|f| f).await;
    folio::admin::accounts::create(&server.db, "editor", PASSWORD.to_string())
        .await
        .expect("an admin");
    let editor = Chrome::open().await;
    editor.log_in(&server, "editor", "/admin/stories/new").await;
    (server, editor)
}
