//! Images in the editor, in a real browser: "Add image…", a pasted image
//! and a dropped one each upload and put their Markdown in the story, the
//! live preview shows them, and "Upload a cover…" fills the cover field.

use std::time::{Duration, Instant};

use base64::Engine as _;

use crate::browser::{Chrome, PATIENCE};

/// A real 1 × 1 PNG, in base64.
const PNG: &str = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

/// Waits until `script` returns true.
async fn until(editor: &Chrome, script: &str) {
    let deadline = Instant::now() + PATIENCE;
    while editor.run(script).await != serde_json::Value::Bool(true) {
        assert!(Instant::now() < deadline, "never true: {script}");
        rocket::tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Hands the page an image file as a paste (`paste`) or a drop (`drop`)
/// on the story field would.
fn hand_over(event: &str) -> String {
    let (init, name) = match event {
        "paste" => (
            "new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true })",
            "pasted",
        ),
        _ => (
            "new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true })",
            "dropped",
        ),
    };
    format!(
        "const bytes = Uint8Array.from(atob('{PNG}'), (c) => c.charCodeAt(0));
         const data = new DataTransfer();
         data.items.add(new File([bytes], '{name}.png', {{ type: 'image/png' }}));
         document.querySelector('#body').dispatchEvent({init});
         return true;"
    )
}

#[rocket::async_test]
#[ignore = "needs chromium"]
async fn images_added_three_ways_land_in_the_story_and_the_cover() {
    let (server, editor) = crate::browser_admin::new_story().await;
    let dir = tempfile::tempdir().expect("a directory");
    let file = dir.path().join("picked.png");
    let png = base64::engine::general_purpose::STANDARD
        .decode(PNG)
        .expect("base64");
    std::fs::write(&file, &png).expect("the file is written");
    let path = file.display().to_string();
    editor.fill("#body", "Before the pictures.").await;

    // The button opens the file picker; the picker's choice is uploaded.
    editor.click("button[data-upload-to='body']").await;
    editor.fill("#image-file", &path).await;
    until(
        &editor,
        "return document.querySelector('#body').value.includes('![picked](/images/');",
    )
    .await;
    editor.run(&hand_over("paste")).await;
    until(
        &editor,
        "return document.querySelector('#body').value.includes('![pasted](/images/');",
    )
    .await;
    editor.run(&hand_over("drop")).await;
    until(
        &editor,
        "return document.querySelector('#body').value.includes('![dropped](/images/');",
    )
    .await;
    let body = editor
        .run("return document.querySelector('#body').value;")
        .await;
    let body = body.as_str().unwrap_or_default();
    assert!(
        body.starts_with("Before the pictures.\n\n![picked]("),
        "{body}"
    );
    // The live preview, rendered by the server, shows them.
    until(
        &editor,
        "return document.querySelectorAll('#live-preview img').length === 3;",
    )
    .await;

    editor.click("button[data-upload-to='cover']").await;
    editor.fill("#image-file", &path).await;
    until(
        &editor,
        "return document.querySelector('#cover').value.startsWith('/images/');",
    )
    .await;
    until(&editor, "const p = document.querySelector('#cover-preview'); return !p.hidden && p.naturalWidth === 1;").await;

    // The same bytes each time: one image kept.
    let kept: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM images")
        .fetch_one(&server.db)
        .await
        .expect("a count");
    assert_eq!(kept, 1);
    editor.fill("#title", "With pictures").await;
    editor.click("button[value='publish']").await;
    until(&editor, "return location.pathname.endsWith('/edit');").await;
    let cover: Option<i64> = sqlx::query_scalar("SELECT cover_image_id FROM stories")
        .fetch_one(&server.db)
        .await
        .expect("the story");
    assert!(cover.is_some());
}
