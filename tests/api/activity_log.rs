//! The activity-log API with the original API's own examples: what is
//! stored, and what the filtered query answers.

use rocket::http::Status;
use serde_json::json;

use crate::activity_helpers::{batch, bearer, SEED_BODY};
use crate::helpers::{spawn_app, Browser};

#[rocket::async_test]
async fn the_seeds_example_body_is_stored_and_read_back_as_sent() {
    let app = spawn_app().await;
    let token = app.api_token("editor").await;
    let script = Browser::new();

    let page = script
        .post_json(&app, "/api/log", SEED_BODY, vec![bearer(&token)])
        .await;

    assert_eq!(page.status, Status::Created, "{}", page.body);
    assert_eq!(page.json(), json!({"stored": 1}));
    let query = "/api/log/get?userId=ABC123XYZ&type=NAVIGATE&start=2018-10-18T21:37:25&end=2018-10-18T21:37:31";
    let page = script.get_with(&app, query, bearer(&token)).await;
    assert_eq!(page.status, Status::Ok, "{}", page.body);
    let actions = &page.json()["actions"];
    assert_eq!(
        actions[0],
        json!({
            "time": "2018-10-18T21:37:30-06:00",
            "type": "NAVIGATE",
            "properties": {"pageFrom": "communities", "pageTo": "inventory"},
            "userId": "ABC123XYZ",
            "sessionId": "XYZ456ABC",
            "namespace": "outside"
        })
    );
    assert_eq!(actions.as_array().map(Vec::len), Some(1));
}

#[rocket::async_test]
async fn the_seeds_example_query_finds_the_click_in_its_range() {
    let app = spawn_app().await;
    let token = app.api_token("editor").await;
    let script = Browser::new();
    let body = json!({
        "userId": "ABC123XYZ", "sessionId": "XYZ456ABC",
        "actions": [
            {"time": "2018-10-18T21:37:24-06:00", "type": "CLICK", "properties": {"locationX": 1, "locationY": 1}},
            {"time": "2018-10-18T21:37:28-06:00", "type": "CLICK", "properties": {"locationX": 52, "locationY": 11}},
            {"time": "2018-10-18T21:37:28-06:00", "type": "VIEW", "properties": {}},
            {"time": "2018-10-18T21:37:30-06:00", "type": "CLICK", "properties": {"locationX": 9, "locationY": 9}}
        ]
    });
    let page = script
        .post_json(&app, "/api/log", &body.to_string(), vec![bearer(&token)])
        .await;
    assert_eq!(page.json(), json!({"stored": 4}));

    // The seed's query, on both paths.
    for path in ["/api/log/get", "/api/log"] {
        let query = format!(
            "{path}?userId=ABC123XYZ&type=CLICK&start=2018-10-18T21:37:25&end=2018-10-18T21:37:29"
        );
        let page = script.get_with(&app, &query, bearer(&token)).await;
        let actions = page.json()["actions"].clone();
        assert_eq!(
            actions.as_array().map(Vec::len),
            Some(1),
            "{path}: {actions}"
        );
        assert_eq!(
            actions[0]["properties"],
            json!({"locationX": 52, "locationY": 11})
        );
        assert_eq!(actions[0]["time"], "2018-10-18T21:37:28-06:00");
    }
}

#[rocket::async_test]
async fn date_matches_one_second_as_sent_or_as_an_instant() {
    let app = spawn_app().await;
    let token = app.api_token("editor").await;
    let script = Browser::new();
    let body = json!({
        "userId": "u", "sessionId": "s",
        "actions": [
            {"time": "2018-10-18T21:37:28.250-06:00", "type": "CLICK"},
            {"time": "2018-10-18T21:37:29-06:00", "type": "CLICK"},
            {"time": "2018-10-18T21:37:28Z", "type": "CLICK"}
        ]
    });
    script
        .post_json(&app, "/api/log", &body.to_string(), vec![bearer(&token)])
        .await;
    let times = |page: &crate::client::Page| -> Vec<String> {
        page.json()["actions"]
            .as_array()
            .expect("actions")
            .iter()
            .map(|a| a["time"].as_str().unwrap_or_default().to_string())
            .collect()
    };

    // Without an offset: the wall-clock time as sent, as the original did.
    let page = script
        .get_with(
            &app,
            "/api/log?userId=u&date=2018-10-18T21:37:28",
            bearer(&token),
        )
        .await;
    assert_eq!(
        times(&page),
        ["2018-10-18T21:37:28Z", "2018-10-18T21:37:28.250-06:00"]
    );
    // With one: the instant.
    let page = script
        .get_with(
            &app,
            "/api/log?userId=u&date=2018-10-19T03:37:29%2B00:00",
            bearer(&token),
        )
        .await;
    assert_eq!(times(&page), ["2018-10-18T21:37:29-06:00"]);
}

#[rocket::async_test]
async fn results_come_in_time_order_a_page_at_a_time() {
    let app = spawn_app().await;
    let token = app.api_token("editor").await;
    let script = Browser::new();
    // Sent out of order, in two batches.
    for first in [1_600_000_100, 1_600_000_000] {
        let page = script
            .post_json(
                &app,
                "/api/log",
                &batch("u", "SCROLL", first, 100),
                vec![bearer(&token)],
            )
            .await;
        assert_eq!(page.status, Status::Created);
    }

    let mut seen = Vec::new();
    let mut uri = "/api/log?userId=u&limit=70".to_string();
    loop {
        let page = script.get_with(&app, &uri, bearer(&token)).await;
        let json = page.json();
        let actions = json["actions"].as_array().expect("actions").clone();
        assert!(actions.len() <= 70);
        seen.extend(
            actions
                .iter()
                .map(|a| a["time"].as_str().unwrap_or_default().to_string()),
        );
        match json["next"].as_str() {
            Some(next) => uri = format!("/api/log?userId=u&limit=70&cursor={next}"),
            None => break,
        }
    }

    assert_eq!(seen.len(), 200);
    let mut sorted = seen.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(seen, sorted, "in time order, none twice");
}

#[rocket::async_test]
async fn pages_stay_stable_while_actions_arrive() {
    let app = spawn_app().await;
    let token = app.api_token("editor").await;
    let script = Browser::new();
    script
        .post_json(
            &app,
            "/api/log",
            &batch("u", "SCROLL", 1_600_000_000, 150),
            vec![bearer(&token)],
        )
        .await;
    let first = script
        .get_with(&app, "/api/log?userId=u&limit=100", bearer(&token))
        .await
        .json();
    let next = first["next"].as_str().expect("a next page").to_string();

    // Actions arrive between the pages: earlier than the cursor, and later.
    for start in [1_599_999_000, 1_600_000_120, 1_700_000_000] {
        script
            .post_json(
                &app,
                "/api/log",
                &batch("u", "CLICK", start, 10),
                vec![bearer(&token)],
            )
            .await;
    }
    let second = script
        .get_with(
            &app,
            &format!("/api/log?userId=u&limit=100&cursor={next}"),
            bearer(&token),
        )
        .await
        .json();

    let pages = [&first, &second];
    let scrolls: Vec<&serde_json::Value> = pages
        .iter()
        .flat_map(|p| p["actions"].as_array().expect("actions"))
        .filter(|a| a["type"] == "SCROLL")
        .collect();
    assert_eq!(scrolls.len(), 150, "every action that was there, once");
    let clicks_on_second = second["actions"]
        .as_array()
        .expect("actions")
        .iter()
        .filter(|a| a["type"] == "CLICK")
        .count();
    // The ten before the cursor's place are behind it; the later twenty are ahead.
    assert_eq!(clicks_on_second, 20);
}

#[rocket::async_test]
async fn a_range_is_read_page_by_page_without_gaps_even_at_one_instant() {
    let app = spawn_app().await;
    let token = app.api_token("editor").await;
    let script = Browser::new();
    // Ninety actions at one instant, in a range with others around it.
    let same: Vec<serde_json::Value> = (0..90)
        .map(|n| json!({"time": "2020-01-01T12:00:00Z", "type": "CLICK", "properties": {"n": n}}))
        .collect();
    let body = json!({"userId": "u", "sessionId": "s", "actions": same});
    script
        .post_json(&app, "/api/log", &body.to_string(), vec![bearer(&token)])
        .await;
    script
        .post_json(
            &app,
            "/api/log",
            &batch("u", "SCROLL", 1_577_880_000 - 5, 10),
            vec![bearer(&token)],
        )
        .await;

    let range = "userId=u&start=2020-01-01T11:59:58Z&end=2020-01-01T12:00:01Z&limit=25";
    let mut numbers = Vec::new();
    let mut uri = format!("/api/log?{range}");
    loop {
        let page = script.get_with(&app, &uri, bearer(&token)).await.json();
        for action in page["actions"].as_array().expect("actions") {
            numbers.push(action["properties"]["n"].as_i64().expect("n"));
        }
        match page["next"].as_str() {
            Some(next) => uri = format!("/api/log?{range}&cursor={next}"),
            None => break,
        }
    }

    // 11:59:58 and :59 (two scrolls, n = 3 and 4), the ninety clicks, and
    // 12:00:00 and :01 (scrolls n = 5 and 6: the scroll at 12:00:00 comes
    // after the clicks, stored later).
    assert_eq!(numbers.len(), 94, "{numbers:?}");
    let clicks: Vec<i64> = numbers[2..92].to_vec();
    assert_eq!(clicks, (0..90).collect::<Vec<_>>());
}
