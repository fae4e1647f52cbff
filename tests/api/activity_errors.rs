//! What the activity-log API refuses, and how it says so: JSON naming the
//! field (and the action's index), nothing stored.

use rocket::http::{Header, Status};
use serde_json::{json, Value};

use crate::activity_helpers::{batch, bearer, SEED_BODY};
use crate::helpers::{spawn_app, Browser};

#[rocket::async_test]
async fn every_bad_batch_is_refused_with_its_field_and_nothing_is_stored() {
    let app = spawn_app().await;
    let token = app.api_token("editor").await;
    let script = Browser::new();
    let seed: Value = serde_json::from_str(SEED_BODY).expect("the seed's body");
    let with = |change: &dyn Fn(&mut Value)| {
        let mut body = seed.clone();
        change(&mut body);
        body.to_string()
    };
    let good = json!({"time": "2018-10-18T21:37:30-06:00", "type": "CLICK"});
    let cases: Vec<(String, Status, &str, Option<usize>)> = vec![
        ("{\"userId\": ".into(), Status::BadRequest, "", None),
        ("[1, 2]".into(), Status::BadRequest, "", None),
        (
            with(&|b| {
                b.as_object_mut().map(|o| o.remove("userId"));
            }),
            Status::BadRequest,
            "userId",
            None,
        ),
        (
            with(&|b| b["sessionId"] = json!(12)),
            Status::BadRequest,
            "sessionId",
            None,
        ),
        (
            with(&|b| b["userId"] = json!("")),
            Status::BadRequest,
            "userId",
            None,
        ),
        (
            with(&|b| b["sessionId"] = json!("tab\u{0}1")),
            Status::BadRequest,
            "sessionId",
            None,
        ),
        (
            with(&|b| {
                b.as_object_mut().map(|o| o.remove("actions"));
            }),
            Status::BadRequest,
            "actions",
            None,
        ),
        (
            with(&|b| b["actions"] = json!([])),
            Status::BadRequest,
            "actions",
            None,
        ),
        (
            with(&|b| b["actions"] = json!([good, {"type": "CLICK"}])),
            Status::BadRequest,
            "actions[1].time",
            Some(1),
        ),
        (
            with(&|b| b["actions"] = json!([good, good, {"time": "18/10/2018", "type": "CLICK"}])),
            Status::BadRequest,
            "actions[2].time",
            Some(2),
        ),
        (
            with(&|b| b["actions"] = json!([{"time": "2018-10-18T21:37:30", "type": "CLICK"}])),
            Status::BadRequest,
            "actions[0].time",
            Some(0),
        ),
        (
            with(&|b| {
                b["actions"] =
                    json!([good, {"time": "2018-10-18T21:37:30Z", "type": "not a name!"}])
            }),
            Status::BadRequest,
            "actions[1].type",
            Some(1),
        ),
        (
            with(&|b| {
                b["actions"] =
                    json!([{"time": "2018-10-18T21:37:30Z", "type": "CLICK", "properties": [1]}])
            }),
            Status::BadRequest,
            "actions[0].properties",
            Some(0),
        ),
        (
            with(&|b| b["actions"] = json!([good, 7])),
            Status::BadRequest,
            "actions[1]",
            Some(1),
        ),
        (
            with(&|b| b["actions"] = Value::Array(vec![good.clone(); 1001])),
            Status::PayloadTooLarge,
            "actions",
            None,
        ),
    ];

    for (body, status, field, index) in cases {
        let page = script
            .post_json(&app, "/api/log", &body, vec![bearer(&token)])
            .await;
        assert_eq!(page.status, status, "{body:.120}: {}", page.body);
        let answer = page.json();
        assert_eq!(answer["field"], field, "{body:.120}");
        assert!(answer["error"].as_str().is_some_and(|e| !e.is_empty()));
        assert_eq!(
            answer.get("index").and_then(Value::as_u64),
            index.map(|i| i as u64)
        );
    }
    assert_eq!(app.actions().await, 0);
    // A thousand is fine.
    let page = script
        .post_json(
            &app,
            "/api/log",
            &batch("u", "CLICK", 0, 1000),
            vec![bearer(&token)],
        )
        .await;
    assert_eq!(page.status, Status::Created);
}

#[rocket::async_test]
async fn a_body_over_a_mebibyte_is_refused() {
    let app = spawn_app().await;
    let token = app.api_token("editor").await;
    let big = "x".repeat(1024 * 1024);
    let body = json!({"userId": "u", "sessionId": "s", "actions": [
        {"time": "2018-10-18T21:37:30Z", "type": "CLICK", "properties": {"big": big}}
    ]});

    let page = Browser::new()
        .post_json(&app, "/api/log", &body.to_string(), vec![bearer(&token)])
        .await;

    assert_eq!(page.status, Status::PayloadTooLarge);
    assert!(page.json()["error"].as_str().is_some());
    assert_eq!(app.actions().await, 0);
}

#[rocket::async_test]
async fn bad_queries_say_which_parameter_is_wrong() {
    let app = spawn_app().await;
    let token = app.api_token("editor").await;
    let script = Browser::new();
    for (query, field) in [
        ("start=2018-10-18T21:37:25", "end"),
        ("end=2018-10-18T21:37:25", "start"),
        ("start=2018-10-18T21:37:29&end=2018-10-18T21:37:25", "end"),
        ("start=2018-10-20T00:00:00&end=2018-10-18T00:00:00Z", "end"),
        ("start=2018-10-20T00:00:00Z&end=2018-10-18T00:00:00", "end"),
        (
            "date=2018-10-18T21:37:25&start=2018-10-18T21:37:25&end=2018-10-18T21:37:29",
            "date",
        ),
        ("date=yesterday", "date"),
        ("start=2018-10-18&end=2018-10-19", "start"),
        ("limit=0", "limit"),
        ("limit=1001", "limit"),
        ("limit=ten", "limit"),
        ("cursor=nonsense", "cursor"),
    ] {
        let page = script
            .get_with(&app, &format!("/api/log?{query}"), bearer(&token))
            .await;
        assert_eq!(page.status, Status::BadRequest, "{query}");
        assert_eq!(page.json()["field"], field, "{query}");
    }
}

#[rocket::async_test]
async fn without_a_token_or_a_login_the_api_answers_401_in_json() {
    let app = spawn_app().await;
    let visitor = Browser::new();

    for page in [
        visitor.post_json(&app, "/api/log", SEED_BODY, vec![]).await,
        visitor.get(&app, "/api/log/get?userId=ABC123XYZ").await,
        visitor
            .post_json(
                &app,
                "/api/log",
                SEED_BODY,
                vec![bearer("folio_not-a-token")],
            )
            .await,
        visitor
            .get_with(&app, "/api/log", Header::new("Authorization", "Basic dTpw"))
            .await,
    ] {
        assert_eq!(page.status, Status::Unauthorized, "{}", page.body);
        assert!(page.json()["error"].as_str().is_some());
    }
    assert_eq!(app.actions().await, 0);
}
