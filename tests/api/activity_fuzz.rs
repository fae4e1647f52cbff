//! Arbitrary JSON thrown at `POST /api/log`: Folio answers 2xx or 4xx,
//! never 5xx, and a refused body changes nothing. The cases come from a
//! seeded generator (set FOLIO_FUZZ_SEED to explore others): random JSON,
//! and valid batches with random parts replaced.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{json, Map, Value};

use crate::activity_helpers::bearer;
use crate::helpers::{spawn_app, Browser};

const CASES: usize = 400;

fn any_string(rng: &mut StdRng) -> String {
    const PIECES: &[&str] = &[
        "",
        "NAVIGATE",
        "2018-10-18T21:37:30-06:00",
        "2018-02-30T25:61:61Z",
        "9999-12-31T23:59:59+25:59",
        "0000-01-01T00:00:00Z",
        "\u{0}",
        "é",
        "💥",
        "<script>",
        "'; DROP TABLE actions; --",
        "-1",
        "1e309",
        " ",
        "userId",
        "\\",
        "\"",
    ];
    let mut out = String::new();
    for _ in 0..rng.gen_range(0..4) {
        out.push_str(PIECES[rng.gen_range(0..PIECES.len())]);
    }
    if rng.gen_bool(0.05) {
        out.push_str(&"x".repeat(rng.gen_range(190..300)));
    }
    out
}

fn any_value(rng: &mut StdRng, depth: u32) -> Value {
    match rng.gen_range(0..if depth > 3 { 5 } else { 7 }) {
        0 => Value::Null,
        1 => Value::Bool(rng.gen()),
        2 => json!(rng.gen::<i64>()),
        3 => json!(rng.gen::<f64>() * 1e300),
        4 => Value::String(any_string(rng)),
        5 => Value::Array(
            (0..rng.gen_range(0..4))
                .map(|_| any_value(rng, depth + 1))
                .collect(),
        ),
        _ => {
            let mut object = Map::new();
            for _ in 0..rng.gen_range(0..4) {
                let key = match rng.gen_range(0..5) {
                    0 => "userId".to_string(),
                    1 => "sessionId".to_string(),
                    2 => "actions".to_string(),
                    _ => any_string(rng),
                };
                object.insert(key, any_value(rng, depth + 1));
            }
            Value::Object(object)
        }
    }
}

/// A valid batch with some parts replaced by anything.
fn mutated_batch(rng: &mut StdRng) -> Value {
    let actions: Vec<Value> = (0..rng.gen_range(1..5))
        .map(|_| json!({"time": "2018-10-18T21:37:30-06:00", "type": "CLICK", "properties": {"x": 1}}))
        .collect();
    let mut body = json!({"userId": "u", "sessionId": "s", "actions": actions});
    // Sometimes none: valid batches must be stored.
    for _ in 0..rng.gen_range(0..4) {
        let replacement = any_value(rng, 2);
        match rng.gen_range(0..6) {
            0 => body["userId"] = replacement,
            1 => body["sessionId"] = replacement,
            2 => body["actions"] = replacement,
            n => {
                let field = ["time", "type", "properties"][n - 3];
                if let Some(actions) = body["actions"].as_array_mut() {
                    if !actions.is_empty() {
                        let index = rng.gen_range(0..actions.len());
                        if let Some(action) = actions[index].as_object_mut() {
                            match rng.gen_bool(0.2) {
                                true => {
                                    action.remove(field);
                                }
                                false => {
                                    action.insert(field.into(), replacement);
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    body
}

#[rocket::async_test]
async fn arbitrary_json_gets_2xx_or_4xx_and_refusals_store_nothing() {
    let app = spawn_app().await;
    let token = app.api_token("editor").await;
    let script = Browser::new();
    let seed = std::env::var("FOLIO_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20_261_202);
    let mut rng = StdRng::seed_from_u64(seed);
    let (mut accepted, mut refused) = (0, 0);

    for case in 0..CASES {
        let body = match case % 3 {
            0 => any_value(&mut rng, 0).to_string(),
            1 => mutated_batch(&mut rng).to_string(),
            // Valid JSON cut short, or with a byte changed.
            _ => {
                let mut text = mutated_batch(&mut rng).to_string().into_bytes();
                let at = rng.gen_range(0..text.len());
                match rng.gen_bool(0.5) {
                    true => text.truncate(at),
                    false => text[at] = rng.gen(),
                }
                String::from_utf8_lossy(&text).into_owned()
            }
        };
        let before = app.actions().await;
        let page = script
            .post_json(&app, "/api/log", &body, vec![bearer(&token)])
            .await;
        let after = app.actions().await;
        let code = page.status.code;
        assert!(
            code == 201 || (400..500).contains(&code),
            "seed {seed}, case {case}: {code} for {body:.300}"
        );
        if code == 201 {
            accepted += 1;
            assert_eq!(Some(after - before), page.json()["stored"].as_i64());
        } else {
            refused += 1;
            assert_eq!(
                after, before,
                "seed {seed}, case {case}: refused but stored"
            );
            assert!(page.json()["error"].as_str().is_some(), "{}", page.body);
        }
    }
    // The generator must really exercise both sides.
    assert!(
        accepted > 10 && refused > 100,
        "{accepted} accepted, {refused} refused"
    );
}
