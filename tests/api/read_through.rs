//! The read-through rate: of a story's readers, how many got halfway (a
//! SCROLL to 50 % or more) and how many reached its end (a READ_COMPLETE
//! action), on the admin dashboard and the story's funnel.

use crate::helpers::spawn_app;

fn scroll(user: &str, story: i64, percent: i64) -> String {
    serde_json::json!({
        "userId": user, "sessionId": "tab",
        "actions": [
            {"time": "2026-12-02T10:00:00Z", "type": "SCROLL", "properties": {"storyId": story, "percent": percent}}
        ]
    })
    .to_string()
}

fn completion(user: &str, story: i64) -> String {
    serde_json::json!({
        "userId": user, "sessionId": "tab",
        "actions": [
            {"time": "2026-12-02T10:00:00Z", "type": "SCROLL", "properties": {"storyId": story, "percent": 75}},
            {"time": "2026-12-02T10:01:00Z", "type": "READ_COMPLETE", "properties": {"storyId": story}}
        ]
    })
    .to_string()
}

#[rocket::async_test]
async fn the_dashboard_shows_how_many_readers_finished_each_story() {
    let app = spawn_app().await;
    let story = app.add_story("Night Train", "Text").await;
    let admin = app.admin("editor").await;
    let (alice, bob) = (app.reader("alice").await, app.reader("bob").await);
    let cyd = app.reader("cyd").await;
    for reader in [&alice, &bob, &cyd] {
        reader.get(&app, &format!("/stories/{story}")).await;
    }

    // Alice finishes, twice; Bob gets halfway; Cyd stops at a quarter.
    for (reader, name, percent) in [(&bob, "bob", 50), (&cyd, "cyd", 25)] {
        let page = reader
            .post_json(&app, "/api/log", &scroll(name, story, percent), vec![])
            .await;
        assert_eq!(page.status.code, 201, "{}", page.body);
    }
    for _ in 0..2 {
        let page = alice
            .post_json(&app, "/api/log", &completion("alice", story), vec![])
            .await;
        assert_eq!(page.status.code, 201, "{}", page.body);
    }

    let dashboard = admin.get(&app, "/admin").await;
    let row = dashboard
        .body
        .split("data-read-through=")
        .nth(1)
        .expect("a read-through row");
    assert!(row.contains("Night Train"), "{row:.300}");
    assert!(
        row.contains(
            "<td class=\"num\">3</td><td class=\"num\">2</td><td class=\"num\">1</td><td class=\"num\">33%</td>"
        ),
        "{row:.300}"
    );
    let stats = admin
        .get(&app, &format!("/admin/stories/{story}/stats"))
        .await;
    assert!(
        stats
            .body
            .contains("<span class=\"value\" id=\"read-through\">33%</span>"),
        "{}",
        stats.body
    );
    for (step, expected) in [("opened", 3), ("halfway", 2), ("finished", 1)] {
        let mark = format!("id=\"funnel-{step}\">{expected}</span>");
        assert!(stats.body.contains(&mark), "{mark} in {}", stats.body);
    }
}

#[rocket::async_test]
async fn completions_without_a_read_are_only_logged() {
    let app = spawn_app().await;
    let story = app.add_story("Night Train", "Text").await;
    let token = app.api_token("editor").await;
    let script = crate::helpers::Browser::new();

    // Alice exists but never opened the story.
    app.reader("alice").await;
    for body in [
        completion("nobody-here", story),
        completion("editor", 999),
        completion("alice", story),
    ] {
        let page = script
            .post_json(
                &app,
                "/api/log",
                &body,
                vec![crate::activity_helpers::bearer(&token)],
            )
            .await;
        assert_eq!(page.status.code, 201);
    }

    assert_eq!(app.count("SELECT COUNT(*) FROM read_completions").await, 0);
    assert_eq!(app.actions().await, 6);
}
