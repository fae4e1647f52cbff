//! Folio's own pages report reading through the activity log: a reader who
//! scrolls a story to its end leaves NAVIGATE, SCROLL and READ_COMPLETE
//! actions, and counts as having finished it.

use std::time::Duration;

use rocket::tokio::time::{sleep, Instant};

use crate::browser::{Chrome, Server};

#[rocket::async_test]
#[ignore = "needs chromium"]
async fn scrolling_a_story_to_its_end_is_recorded() {
    let server = Server::start(|f| f).await;
    let long: String = (1..=80)
        .map(|n| format!("Paragraph {n} of a long night on the train.\n\n"))
        .collect();
    let story = server.add_story("Seat 14", &long).await;
    let reader = Chrome::open().await;
    reader
        .sign_up(&server, "alice", &format!("/stories/{story}"))
        .await;

    reader
        .client
        .execute("window.scrollTo(0, document.body.scrollHeight);", vec![])
        .await
        .expect("a scroll");

    // READ_COMPLETE sends what was gathered at once.
    let deadline = Instant::now() + Duration::from_secs(10);
    let kinds = loop {
        let kinds: Vec<String> = sqlx::query_as::<_, (String, String)>(
            "SELECT type, properties FROM actions WHERE user_key = 'alice' ORDER BY at_ms, id",
        )
        .fetch_all(&server.db)
        .await
        .expect("the actions")
        .into_iter()
        .map(|(kind, properties)| {
            let properties: serde_json::Value =
                serde_json::from_str(&properties).expect("properties are JSON");
            match &properties["percent"] {
                serde_json::Value::Null => kind,
                percent => format!("{kind}:{percent}"),
            }
        })
        .collect();
        if kinds.iter().any(|k| k == "READ_COMPLETE") {
            break kinds;
        }
        assert!(Instant::now() < deadline, "no READ_COMPLETE; saw {kinds:?}");
        sleep(Duration::from_millis(50)).await;
    };

    assert_eq!(
        kinds,
        [
            "NAVIGATE",
            "SCROLL:25",
            "SCROLL:50",
            "SCROLL:75",
            "READ_COMPLETE"
        ]
    );
    let completions: i64 = sqlx::query_scalar("SELECT completion_count FROM stories WHERE id = $1")
        .bind(story)
        .fetch_one(&server.db)
        .await
        .expect("a story");
    assert_eq!(completions, 1);
}
