//! The OpenAPI description at /api/openapi.json stays true: it documents
//! exactly the routes Folio mounts under /api, and Folio's answers have the
//! shapes it describes.

use std::collections::BTreeSet;

use rocket::http::Status;
use serde_json::Value;

use crate::activity_helpers::{bearer, SEED_BODY};
use crate::helpers::{spawn_app, Browser};

async fn description(app: &crate::helpers::TestApp) -> Value {
    let page = Browser::new().get(app, "/api/openapi.json").await;
    assert_eq!(page.status, Status::Ok);
    assert!(page
        .header("Content-Type")
        .is_some_and(|t| t.starts_with("application/json")));
    let spec = page.json();
    assert_eq!(spec["openapi"].as_str().map(|v| &v[..2]), Some("3."));
    spec
}

#[rocket::async_test]
async fn it_documents_every_api_route_and_no_other() {
    let app = spawn_app().await;
    let spec = description(&app).await;

    let documented: BTreeSet<(String, String)> = spec["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .flat_map(|(path, item)| {
            let methods = item.as_object().expect("a path item");
            methods
                .keys()
                .map(move |m| (m.to_uppercase(), path.clone()))
        })
        .collect();
    let mounted: BTreeSet<(String, String)> = app
        .client
        .rocket()
        .routes()
        .filter(|r| r.uri.path().starts_with("/api"))
        .map(|r| {
            let path = r.uri.path().to_string().replace('<', "{").replace('>', "}");
            (r.method.as_str().to_string(), path)
        })
        .collect();

    assert_eq!(documented, mounted);
}

/// Checks `value` against `schema` as far as the description uses schemas:
/// references, allOf, objects' required properties, arrays, basic types.
fn conforms(spec: &Value, schema: &Value, value: &Value, at: &str) {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.rsplit('/').next().unwrap_or_default();
        return conforms(spec, &spec["components"]["schemas"][name], value, at);
    }
    if let Some(all) = schema["allOf"].as_array() {
        return all.iter().for_each(|s| conforms(spec, s, value, at));
    }
    let nullable = schema["nullable"] == true;
    match schema["type"].as_str() {
        Some("object") => {
            let object = value
                .as_object()
                .unwrap_or_else(|| panic!("{at}: not an object: {value}"));
            for key in schema["required"].as_array().into_iter().flatten() {
                let key = key.as_str().unwrap_or_default();
                assert!(object.contains_key(key), "{at}: no {key} in {value}");
            }
            for (key, property) in schema["properties"].as_object().into_iter().flatten() {
                if let Some(field) = object.get(key) {
                    conforms(spec, property, field, &format!("{at}.{key}"));
                }
            }
        }
        Some("array") => {
            let items = value
                .as_array()
                .unwrap_or_else(|| panic!("{at}: not an array"));
            for (n, item) in items.iter().enumerate() {
                conforms(spec, &schema["items"], item, &format!("{at}[{n}]"));
            }
        }
        Some("string") => assert!(
            value.is_string() || (nullable && value.is_null()),
            "{at}: {value}"
        ),
        Some("integer") => assert!(value.is_i64() || value.is_u64(), "{at}: {value}"),
        _ => {}
    }
}

fn schema(name: &str) -> Value {
    serde_json::json!({ "$ref": format!("#/components/schemas/{name}") })
}

#[rocket::async_test]
async fn the_answers_have_the_documented_shapes() {
    let app = spawn_app().await;
    let spec = description(&app).await;
    let story = app.add_story("Night Train", "Text").await;
    let token = app.api_token("editor").await;
    let alice = app.reader("alice").await;
    let script = Browser::new();

    let answers = [
        ("StoryList", Browser::new().get(&app, "/api/stories").await),
        (
            "Story",
            alice.get(&app, &format!("/api/stories/{story}")).await,
        ),
        (
            "Stored",
            script
                .post_json(&app, "/api/log", SEED_BODY, vec![bearer(&token)])
                .await,
        ),
        (
            "LogPage",
            script
                .get_with(&app, "/api/log?limit=1", bearer(&token))
                .await,
        ),
        ("LogPage", alice.get(&app, "/api/log/get").await),
        (
            "Error",
            script
                .post_json(&app, "/api/log", "{}", vec![bearer(&token)])
                .await,
        ),
        ("Error", Browser::new().get(&app, "/api/log").await),
        ("Error", alice.get(&app, "/api/stories/999").await),
    ];
    for (name, page) in answers {
        assert!(page.status.code < 500, "{name}: {}", page.body);
        conforms(&spec, &schema(name), &page.json(), name);
    }
}
