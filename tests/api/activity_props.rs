//! Properties of the activity log's parsers, the part of Folio that
//! scripts feed most freely: the body checker of `POST /api/log` over any
//! JSON, and `GET /api/log/get` over any query string. (The seeded
//! black-box run of whole bodies is `activity_fuzz`.)

use std::cell::Cell;

use folio::activity::input::{check, MAX_ACTIONS};
use folio::error::Error;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Map, Value};

use crate::activity_helpers::{bearer, SEED_BODY};
use crate::helpers::{spawn_app, Browser};

/// Text that looks like a time, sometimes a valid one, sometimes at the
/// edges of the calendar or the offsets.
fn time_like() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9]{4}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9]",
        "[0-9]{4}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9](\\.[0-9]{1,12})?(Z|[+-][0-9]{2}:[0-9]{2})",
        "[+-]?[0-9]{1,7}-[0-9]{1,3}-[0-9]{1,3}[Tt ][0-9]{1,3}:[0-9]{1,3}:[0-9]{1,3}(z|Z|[+-][0-9]{1,3}:[0-9]{1,3})?",
        Just("2018-10-18T21:37:30-06:00".to_string()),
        Just("9999-12-31T23:59:59+23:59".to_string()),
        Just("0000-01-01T00:00:00-23:59".to_string()),
    ]
}

/// Strings a client might send: times, type names, numbers, anything.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        time_like(),
        "[A-Z_.-]{0,70}",
        "-?[0-9]{1,25}(\\.[0-9]{1,25})?",
        Just("READ_COMPLETE".to_string()),
        any::<String>(),
    ]
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("userId".to_string()),
        Just("sessionId".to_string()),
        Just("actions".to_string()),
        Just("time".to_string()),
        Just("type".to_string()),
        Just("properties".to_string()),
        Just("storyId".to_string()),
        any::<String>(),
    ]
}

/// Any JSON value, leaning towards the names and shapes of a batch.
fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_filter_map("finite", |f| serde_json::Number::from_f64(f)
            .map(Value::Number)),
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 96, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::vec((key(), inner), 0..8)
                .prop_map(|fields| Value::Object(fields.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// A batch whose every part may be anything.
fn batch() -> impl Strategy<Value = Value> {
    let action = (
        prop_oneof![time_like().prop_map(Value::String), json()],
        prop_oneof!["[A-Z_]{1,12}".prop_map(Value::String), json()],
        json(),
    )
        .prop_map(|(time, kind, properties)| {
            serde_json::json!({ "time": time, "type": kind, "properties": properties })
        });
    (
        prop_oneof!["[a-zA-Z0-9]{1,10}".prop_map(Value::String), json()],
        prop_oneof!["[a-zA-Z0-9]{1,10}".prop_map(Value::String), json()],
        prop::collection::vec(action, 0..6),
    )
        .prop_map(|(user, session, actions)| {
            serde_json::json!({ "userId": user, "sessionId": session, "actions": actions })
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn the_body_checker_accepts_a_batch_or_names_a_4xx_field_problem(
        body in prop_oneof![json(), batch()],
    ) {
        match check(&body) {
            Ok(batch) => {
                prop_assert!((1..=MAX_ACTIONS).contains(&batch.actions.len()));
                for action in &batch.actions {
                    prop_assert!(serde_json::from_str::<Value>(&action.properties).is_ok());
                }
            }
            Err(Error::Field { status, problem }) => {
                prop_assert!((400..500).contains(&status.code), "{status} for {body}");
                prop_assert!(!problem.error.is_empty());
            }
            Err(other) => prop_assert!(false, "not a field problem: {other:?}"),
        }
    }
}

/// A query string of parameters the log knows, and others, with any
/// values, encoded as a browser would.
fn query_string() -> impl Strategy<Value = String> {
    let name = prop_oneof![
        Just("userId"),
        Just("type"),
        Just("date"),
        Just("start"),
        Just("end"),
        Just("limit"),
        Just("cursor"),
        Just("other"),
    ];
    let value = prop_oneof![
        time_like(),
        "-?[0-9]{0,22}(\\.-?[0-9]{0,22})?",
        "[A-Za-z0-9_]{0,12}",
        any::<String>(),
    ];
    prop::collection::vec((name, value), 0..6).prop_map(|params| {
        let pairs: Vec<String> = params
            .iter()
            .map(|(name, value)| format!("{name}={}", folio::web::query_encode(value)))
            .collect();
        pairs.join("&")
    })
}

#[test]
fn no_query_string_on_the_log_gets_a_5xx() {
    let runtime = rocket::tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let script = Browser::new();
    let (app, token) = runtime.block_on(async {
        let app = spawn_app().await;
        let token = app.api_token("editor").await;
        let posted = script
            .post_json(&app, "/api/log", SEED_BODY, vec![bearer(&token)])
            .await;
        assert_eq!(posted.status.code, 201, "{}", posted.body);
        (app, token)
    });
    let (answered, refused) = (Cell::new(0usize), Cell::new(0usize));

    let mut runner = TestRunner::new(Config::with_cases(256));
    let outcome = runner.run(&query_string(), |query| {
        let uri = format!("/api/log/get?{query}");
        let page = runtime.block_on(script.get_with(&app, &uri, bearer(&token)));
        let code = page.status.code;
        prop_assert!(code < 500, "{code} for {uri}: {}", page.body);
        let json: Value = serde_json::from_str(&page.body)
            .map_err(|e| TestCaseError::fail(format!("not JSON ({e}) for {uri}")))?;
        match code {
            200 => {
                prop_assert!(json["actions"].is_array(), "{uri}");
                answered.set(answered.get() + 1);
            }
            _ => {
                prop_assert!(json["error"].is_string(), "{uri}: {json}");
                refused.set(refused.get() + 1);
            }
        }
        Ok(())
    });

    runtime.block_on(async move { drop(app) });
    if let Err(failure) = outcome {
        panic!("{failure}");
    }
    // The generator must reach both the queries and the refusals.
    let (answered, refused) = (answered.get(), refused.get());
    assert!(
        answered > 10 && refused > 10,
        "{answered} answered, {refused} refused"
    );
}
