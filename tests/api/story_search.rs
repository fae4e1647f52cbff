//! Searching the stories: what is found, how matches are shown, and that
//! the index follows every change and is never a way to reach a draft.

use rocket::http::Status;

use crate::helpers::{encode, spawn_app, Browser, TestApp};
use crate::story_list::{listed, publish};

async fn search(app: &TestApp, words: &str) -> crate::client::Page {
    let query = encode(&[("q", words)]);
    Browser::new().get(app, &format!("/?{query}")).await
}

#[rocket::async_test]
async fn search_finds_a_story_by_a_word_of_its_body_or_of_its_title() {
    let app = spawn_app().await;
    let train = app
        .add_story("Night Train", "The carriage smelled of *brass* and rain.")
        .await;
    let light = app
        .add_story("The Lighthouse", "A keeper climbs the stairs.")
        .await;

    let page = search(&app, "brass").await;
    assert_eq!(page.status, Status::Ok);
    assert_eq!(listed(&page.body), [train]);
    assert!(page.body.contains("<mark>brass</mark>"), "{}", page.body);

    let page = search(&app, "lighthouse").await;
    assert_eq!(listed(&page.body), [light]);
    assert!(
        page.body.contains("The <mark>Lighthouse</mark></a>"),
        "{}",
        page.body
    );
    // A title match with no body match shows the excerpt.
    assert!(page
        .body
        .contains("<p class=\"excerpt\">A keeper climbs the stairs.</p>"));

    // Words are looked for as words or their beginnings, all of them.
    assert_eq!(listed(&search(&app, "carri RAIN").await.body), [train]);
    assert!(listed(&search(&app, "carriage keeper").await.body).is_empty());
}

#[rocket::async_test]
async fn the_best_matches_come_first() {
    let app = spawn_app().await;
    let once = app.add_story("Ferries", "A gull, and the sea.").await;
    let title = app.add_story("Gull", "Over the harbour.").await;

    assert_eq!(listed(&search(&app, "gull").await.body), [title, once]);
}

#[rocket::async_test]
async fn only_the_marks_of_a_result_are_html() {
    let app = spawn_app().await;
    app.add_story(
        "<b>Ferry</b> \u{2}tales",
        "Beware <script>alert('x')</script> the ferryman \u{2}of the \u{3}\u{3} river.",
    )
    .await;

    let page = search(&app, "ferryman").await;

    assert_eq!(listed(&page.body).len(), 1, "{}", page.body);
    assert!(page.body.contains("<mark>ferryman</mark>"), "{}", page.body);
    assert!(!page.body.contains("<script>alert"));
    assert!(page.body.contains("&lt;script&gt;alert("));
    assert!(!page.body.contains("<b>Ferry"));
    assert_eq!(
        page.body.matches("<mark>").count(),
        page.body.matches("</mark>").count()
    );
}

#[rocket::async_test]
async fn hostile_searches_are_answered_with_a_page() {
    let app = spawn_app().await;
    app.add_story("Night Train", "Rain.").await;
    let long = "NEAR(".repeat(500);

    for words in [
        "\"",
        "*",
        "NEAR(",
        ")",
        "",
        "   ",
        "\"night",
        "night*",
        "title:night",
        "night OR",
        "AND",
        "-night",
        "^night",
        "night + train",
        "{title}: x",
        "'",
        "\0",
        "n\0ight",
        "\u{2}night\u{3}",
        long.as_str(),
    ] {
        let page = search(&app, words).await;
        assert_eq!(page.status, Status::Ok, "{words:?}: {}", page.body);
        assert!(page.body.contains("<h1>Stories</h1>"), "{words:?}");
    }
    assert_eq!(listed(&search(&app, "\"night").await.body).len(), 1);
    assert!(search(&app, "*")
        .await
        .body
        .contains("No published story matches"));
    // An empty search is the list itself.
    assert_eq!(listed(&search(&app, " ").await.body).len(), 1);
    // Bytes that are not UTF-8 are a client's mistake.
    for uri in ["/?q=%FF", "/?q=%C3", "/?after=%FF", "/?q=a&q=b"] {
        let status = Browser::new().get(&app, uri).await.status;
        assert!(status.code < 500, "{uri}: {status}");
    }
}

#[rocket::async_test]
async fn search_pages_through_many_results() {
    let app = spawn_app().await;
    for n in 0..25 {
        app.add_story(&format!("Tide {n}"), "The tide came in.")
            .await;
    }
    let browser = Browser::new();

    let first = browser.get(&app, "/?q=tide").await;
    let next = crate::story_list::page_link(&first.body, "next").expect("a second page");
    let second = browser.get(&app, &next).await;

    let mut all = listed(&first.body);
    all.extend(listed(&second.body));
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 25);
    assert_eq!(
        crate::story_list::page_link(&second.body, "prev").as_deref(),
        Some("/?q=tide&after=s0")
    );
}

/// How many stories the search index holds `word` for: on SQLite, rows of
/// the FTS table; on PostgreSQL, published stories whose vector has it.
async fn indexed(app: &TestApp, word: &str) -> i64 {
    app.count(&match crate::databases::on_postgres() {
        false => format!("SELECT COUNT(*) FROM stories_search WHERE stories_search MATCH '{word}'"),
        true => format!(
            "SELECT COUNT(*) FROM stories WHERE published_at IS NOT NULL
             AND search @@ to_tsquery('simple', '{word}')"
        ),
    })
    .await
}

#[rocket::async_test]
async fn search_follows_edits_unpublishing_and_deletes_and_never_finds_drafts() {
    let app = spawn_app().await;
    let admin = app.admin("editor").await;
    let id = publish(
        &app,
        &admin,
        &[("title", "Harbour Song"), ("body", "Gulls everywhere.")],
    )
    .await;
    let found = |words: &'static str| {
        let app = &app;
        async move { listed(&search(app, words).await.body) }
    };
    assert_eq!(found("gulls").await, [id]);

    let edit = format!("/admin/stories/{id}");
    let fields = [
        ("title", "Harbour Song"),
        ("body", "Terns everywhere."),
        ("action", "save"),
    ];
    assert_eq!(
        admin.post_form(&app, &edit, &fields).await.status,
        Status::SeeOther
    );
    assert!(found("gulls").await.is_empty());
    assert_eq!(found("terns").await, [id]);

    let unpublish = format!("/admin/stories/{id}/unpublish");
    admin.post_form(&app, &unpublish, &[]).await;
    assert!(found("terns").await.is_empty());
    assert_eq!(indexed(&app, "terns").await, 0);
    admin
        .post_form(&app, &format!("/admin/stories/{id}/publish"), &[])
        .await;
    assert_eq!(found("terns").await, [id]);

    let draft = [
        ("title", "Secret"),
        ("body", "Hidden plans."),
        ("action", "save"),
    ];
    admin.post_form(&app, "/admin/stories", &draft).await;
    assert!(found("hidden").await.is_empty());
    assert!(found("secret").await.is_empty());
    assert_eq!(indexed(&app, "hidden").await, 0);

    admin
        .post_form(&app, &format!("/admin/stories/{id}/delete"), &[])
        .await;
    assert!(found("terns").await.is_empty());
    assert_eq!(indexed(&app, "terns").await, 0);

    // Reads change stories too; the index stays whole through all of it.
    let kept = publish(&app, &admin, &[("title", "Kept"), ("body", "Still here.")]).await;
    app.reader("alice")
        .await
        .get(&app, &format!("/stories/{kept}"))
        .await;
    if !crate::databases::on_postgres() {
        let check: String = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(&app.db)
            .await
            .unwrap();
        assert_eq!(check, "ok");
        sqlx::query(
            "INSERT INTO stories_search (stories_search, rank) VALUES ('integrity-check', 0)",
        )
        .execute(&app.db)
        .await
        .expect("the index is consistent");
    }
    assert_eq!(found("still").await, [kept]);
}

#[rocket::async_test]
async fn a_body_of_a_hundred_thousand_different_words_is_saved_and_found() {
    let app = spawn_app().await;
    let admin = app.admin("editor").await;
    // Just under the body's limit (1 MB), in words that are all different:
    // more than PostgreSQL's search vector holds (1 MB) for the whole body.
    let body: Vec<String> = (0..140_000).map(|i| format!("w{i:05x}")).collect();
    let body = body.join(" ");
    assert!(body.len() < 1_000_000);
    let id = publish(&app, &admin, &[("title", "Ledger"), ("body", &body)]).await;

    assert_eq!(listed(&search(&app, "ledger").await.body), [id]);
    assert_eq!(listed(&search(&app, "w00007").await.body), [id]);
}
