//! Story management: writing, previewing, publishing, unpublishing and
//! deleting stories, and what readers see of each.

use rocket::http::Status;

use crate::client::Browser;
use crate::helpers::spawn_app;

#[rocket::async_test]
async fn a_draft_is_invisible_to_readers_until_it_is_published() {
    let app = spawn_app().await;
    let admin = app.admin("editor").await;
    let reader = app.reader("reader").await;

    let page = admin
        .post_form(
            &app,
            "/admin/stories",
            &[
                ("title", "Night Ferry"),
                ("body", "The *ferry* left."),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(page.status, Status::SeeOther, "{}", page.body);
    let id = app
        .count("SELECT id FROM stories WHERE title = 'Night Ferry'")
        .await;
    assert_eq!(
        page.location(),
        Some(format!("/admin/stories/{id}/edit").as_str())
    );

    for uri in ["/stories/night-ferry".to_string(), format!("/stories/{id}")] {
        assert_eq!(
            reader.get(&app, &uri).await.status,
            Status::NotFound,
            "{uri}"
        );
    }
    assert!(!reader.get(&app, "/").await.body.contains("Night Ferry"));
    assert!(!reader
        .get(&app, "/api/stories")
        .await
        .body
        .contains("Night Ferry"));
    assert_eq!(
        reader.get(&app, &format!("/api/stories/{id}")).await.status,
        Status::NotFound
    );
    assert!(admin
        .get(&app, "/admin/stories")
        .await
        .body
        .contains("Night Ferry"));

    let page = admin
        .post_form(&app, &format!("/admin/stories/{id}/publish"), &[])
        .await;
    assert_eq!(page.status, Status::SeeOther);

    let story = reader.get(&app, "/stories/night-ferry").await;
    assert_eq!(story.status, Status::Ok);
    assert!(story.body.contains("The <em>ferry</em> left."));
    assert_eq!(
        reader.get(&app, &format!("/stories/{id}")).await.status,
        Status::Ok
    );
    assert!(reader
        .get(&app, "/")
        .await
        .body
        .contains("href=\"/stories/night-ferry\""));
    assert!(reader
        .get(&app, "/api/stories")
        .await
        .body
        .contains("Night Ferry"));

    admin
        .post_form(&app, &format!("/admin/stories/{id}/unpublish"), &[])
        .await;
    assert_eq!(
        reader.get(&app, "/stories/night-ferry").await.status,
        Status::NotFound
    );
    assert!(!reader.get(&app, "/").await.body.contains("Night Ferry"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM stories").await,
        1,
        "unpublishing deletes nothing"
    );
}

#[rocket::async_test]
async fn an_edit_shows_at_once_and_the_old_numeric_link_keeps_working() {
    let app = spawn_app().await;
    let admin = app.admin("editor").await;
    let reader = app.reader("reader").await;
    admin
        .post_form(
            &app,
            "/admin/stories",
            &[
                ("title", "First Title"),
                ("body", "Old"),
                ("action", "publish"),
            ],
        )
        .await;
    let id = app.count("SELECT id FROM stories").await;
    assert!(reader
        .get(&app, "/stories/first-title")
        .await
        .body
        .contains("Old"));

    let page = admin
        .post_form(
            &app,
            &format!("/admin/stories/{id}"),
            &[
                ("title", "Second Title"),
                ("slug", "second"),
                ("body", "New"),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(page.status, Status::SeeOther, "{}", page.body);

    let by_slug = reader.get(&app, "/stories/second").await;
    assert!(by_slug.body.contains("Second Title") && by_slug.body.contains("New"));
    assert!(reader
        .get(&app, &format!("/stories/{id}"))
        .await
        .body
        .contains("Second Title"));
    let old = reader.get(&app, "/stories/first-title").await;
    assert_eq!(old.status, Status::MovedPermanently);
    assert_eq!(old.location(), Some("/stories/second"));
}

#[rocket::async_test]
async fn two_stories_with_one_title_get_different_urls() {
    let app = spawn_app().await;
    let admin = app.admin("editor").await;
    for _ in 0..2 {
        admin
            .post_form(
                &app,
                "/admin/stories",
                &[("title", "Twins"), ("body", "x"), ("action", "publish")],
            )
            .await;
    }
    let reader = app.reader("reader").await;
    let list = reader.get(&app, "/").await.body;
    assert!(list.contains("href=\"/stories/twins\"") && list.contains("href=\"/stories/twins-2\""));

    let page = admin
        .post_form(
            &app,
            "/admin/stories",
            &[("title", "Third"), ("slug", "twins"), ("body", "x")],
        )
        .await;
    assert_eq!(page.status, Status::Conflict);
    assert!(page
        .body
        .contains("Another story already has that URL name"));
    assert!(page.body.contains("value=\"Third\""), "the input is kept");
}

#[rocket::async_test]
async fn a_bad_story_comes_back_with_its_input_and_a_reason() {
    let app = spawn_app().await;
    let admin = app.admin("editor").await;
    let long_title = "t".repeat(201);
    let huge_body = "word ".repeat(200_001);
    let cases = [
        ("", "kept body", "", "A story needs a title."),
        (
            long_title.as_str(),
            "kept body",
            "",
            "A title has at most 200 characters",
        ),
        (
            "Fine",
            huge_body.as_str(),
            "",
            "A story has at most 1 MB of text",
        ),
        ("Fine", "kept body", "Not A Slug", "lowercase letters"),
        ("Fine", "kept body", "2024", "at least one letter"),
    ];
    for (title, body, slug, message) in cases {
        let page = admin
            .post_form(
                &app,
                "/admin/stories",
                &[
                    ("title", title),
                    ("body", body),
                    ("slug", slug),
                    ("action", "publish"),
                ],
            )
            .await;
        assert_eq!(page.status, Status::UnprocessableEntity, "{message}");
        assert!(page.body.contains(message), "{message}");
        if body == "kept body" {
            assert!(
                page.body.contains(">kept body</textarea>"),
                "{message}: body kept"
            );
        }
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM stories").await, 0);
}

#[rocket::async_test]
async fn a_preview_renders_the_story_and_saves_nothing() {
    let app = spawn_app().await;
    let admin = app.admin("editor").await;
    let page = admin
        .post_form(
            &app,
            "/admin/stories",
            &[
                ("title", "Draft <b>"),
                ("body", "# Hello\n\n<script>alert(1)</script>\n\n**bold**"),
                ("action", "preview"),
            ],
        )
        .await;
    assert_eq!(page.status, Status::Ok);
    assert!(page.body.contains("<h1>Hello</h1>"));
    assert!(page.body.contains("<strong>bold</strong>"));
    assert!(!page.body.contains("<script>alert(1)</script>"));
    assert!(page.body.contains("value=\"Draft &lt;b&gt;\""));
    assert_eq!(app.count("SELECT COUNT(*) FROM stories").await, 0);
}

#[rocket::async_test]
async fn deleting_asks_first_then_removes_the_story_and_its_reads() {
    let app = spawn_app().await;
    let admin = app.admin("editor").await;
    let id = app.add_story("Doomed", "Soon gone").await;
    let reader = app.reader("reader").await;
    reader.get(&app, &format!("/stories/{id}")).await;

    let confirm = admin
        .get(&app, &format!("/admin/stories/{id}/delete"))
        .await;
    assert_eq!(confirm.status, Status::Ok);
    assert!(confirm.body.contains("Delete “Doomed”?"));
    assert!(confirm.body.contains("1 read"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM stories").await,
        1,
        "asking deletes nothing"
    );

    let page = admin
        .post_form(&app, &format!("/admin/stories/{id}/delete"), &[])
        .await;
    assert_eq!(page.status, Status::SeeOther);
    assert_eq!(app.count("SELECT COUNT(*) FROM stories").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM reads").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM story_days").await, 0);
    assert_eq!(
        app.count("SELECT COALESCE(SUM(reads), 0) FROM site_days")
            .await,
        1,
        "site history stays"
    );
    assert_eq!(
        reader.get(&app, &format!("/stories/{id}")).await.status,
        Status::NotFound
    );
    let again = admin
        .post_form(&app, &format!("/admin/stories/{id}/delete"), &[])
        .await;
    assert_eq!(again.status, Status::NotFound);
}

/// A story over the limit is refused by the editor with every word of it
/// shown again, not cut off by the size of the request.
#[rocket::async_test]
async fn a_five_megabyte_story_is_refused_with_its_text_kept() {
    let app = spawn_app().await;
    let admin = app.admin("editor").await;
    let body = format!("{}THE END", "word ".repeat(5 * 1024 * 1024 / 5));

    let page = admin
        .post_form(
            &app,
            "/admin/stories",
            &[
                ("title", "Too Long"),
                ("body", &body),
                ("action", "publish"),
            ],
        )
        .await;

    assert_eq!(page.status, Status::UnprocessableEntity);
    assert!(page
        .body
        .contains("A story has at most 1 MB of text; this one has 5.24 MB."));
    assert!(page.body.contains("THE END</textarea>"), "the text is lost");
    assert!(page.body.contains("value=\"Too Long\""));
    assert_eq!(app.count("SELECT COUNT(*) FROM stories").await, 0);
}

/// Every save keeps the text it replaced; restoring one brings it back and
/// is itself kept.
#[rocket::async_test]
async fn restoring_a_revision_brings_its_text_back() {
    let app = spawn_app().await;
    let admin = app.admin("editor").await;
    let id = crate::story_list::publish(
        &app,
        &admin,
        &[("title", "Tides"), ("body", "First words.")],
    )
    .await;
    let edit = |body: &'static str| [("title", "Tides"), ("body", body), ("action", "save")];
    for body in ["Second words.", "Second words."] {
        admin
            .post_form(&app, &format!("/admin/stories/{id}"), &edit(body))
            .await;
    }
    let revisions = "SELECT COUNT(*) FROM story_revisions WHERE story_id = ";
    assert_eq!(
        app.count(&format!("{revisions}{id}")).await,
        2,
        "no revision for no change"
    );

    let history = admin
        .get(&app, &format!("/admin/stories/{id}/revisions"))
        .await;
    assert_eq!(history.status, Status::Ok);
    assert!(history.body.contains("(the text now)") && history.body.contains(">editor<"));
    let first: i64 = app
        .count(&format!(
            "SELECT MIN(id) FROM story_revisions WHERE story_id = {id}"
        ))
        .await;
    let compare = admin
        .get(&app, &format!("/admin/stories/{id}/revisions/{first}"))
        .await;
    assert!(compare.body.contains("<li class=\"diff-removed\">"));
    assert!(
        compare.body.contains("Second words.</li>") && compare.body.contains("First words.</li>")
    );

    let page = admin
        .post_form(
            &app,
            &format!("/admin/stories/{id}/revisions/{first}/restore"),
            &[],
        )
        .await;
    assert_eq!(page.status, Status::SeeOther);
    let story = app.reader("alice").await.get(&app, "/stories/tides").await;
    assert!(story.body.contains("First words."), "{}", story.body);
    assert_eq!(app.count(&format!("{revisions}{id}")).await, 3);
    let missing = admin
        .get(&app, &format!("/admin/stories/{id}/revisions/99999"))
        .await;
    assert_eq!(missing.status, Status::NotFound);
}

/// The live preview renders Markdown as the story page does, for admins
/// and with the page's token only.
#[rocket::async_test]
async fn the_live_preview_renders_markdown_for_admins_only() {
    use rocket::http::{ContentType, Header};
    let app = spawn_app().await;
    let admin = app.admin("editor").await;
    let token = admin.csrf_token(&app).await;
    let send = |browser: &'_ Browser, token: Option<String>| {
        let mut request = browser.dress(app.client.post("/admin/stories/preview"));
        request = request
            .header(ContentType::Plain)
            .body("Some *words* <script>x</script>");
        if let Some(token) = token {
            request = request.header(Header::new("X-CSRF-Token", token));
        }
        request.dispatch()
    };
    let response = send(&admin, Some(token.clone())).await;
    assert_eq!(response.status(), Status::Ok);
    let json: serde_json::Value = response.into_json().await.expect("json");
    let html = json["html"].as_str().unwrap_or_default();
    assert!(
        html.contains("<em>words</em>") && !html.contains("<script>"),
        "{html}"
    );
    assert_eq!(json["words"], 3);

    assert_eq!(send(&admin, None).await.status(), Status::Forbidden);
    let reader = app.reader("alice").await;
    let token = reader.csrf_token(&app).await;
    assert_eq!(send(&reader, Some(token)).await.status(), Status::Forbidden);
}
