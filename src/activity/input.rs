//! A posted batch of actions, checked field by field. Every problem names
//! the field (and the index of the action) so a client can fix its request;
//! one bad action refuses the whole batch.

use rocket::http::Status;
use serde_json::{Map, Value};

use super::times::parse_action_time;
use crate::error::Error;

/// Most actions in one batch.
pub const MAX_ACTIONS: usize = 1_000;
/// Longest `userId` and `sessionId`.
const MAX_ID: usize = 200;
/// Longest action type.
const MAX_TYPE: usize = 64;
/// Largest `properties` object of one action, as JSON text: a page of a
/// thousand actions stays a few megabytes.
pub const MAX_PROPERTIES: usize = 16 * 1024;

/// An action ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAction {
    pub time: String,
    pub instant_ms: i64,
    pub wall_clock: String,
    pub kind: String,
    /// The properties object, as JSON text.
    pub properties: String,
    /// For a READ_COMPLETE with a `storyId` property: the story finished.
    pub completes: Option<i64>,
    /// For a SCROLL to 50 % or more of a story (or its end): the story
    /// read halfway.
    pub halfway: Option<i64>,
}

/// A checked batch.
#[derive(Debug, Clone, PartialEq)]
pub struct Batch {
    pub user: String,
    pub session: String,
    pub actions: Vec<NewAction>,
}

impl Batch {
    /// The text this batch adds to the database: per action, its userId,
    /// sessionId, type, time (as sent, and as wall-clock time) and
    /// properties. What the daily byte quota counts.
    pub fn stored_bytes(&self) -> u64 {
        let ids = self.user.len() + self.session.len();
        self.actions
            .iter()
            .map(|a| {
                (ids + a.kind.len() + a.time.len() + a.wall_clock.len() + a.properties.len()) as u64
            })
            .sum()
    }
}

fn problem(field: impl Into<String>, error: impl Into<String>) -> Error {
    Error::field(field, error)
}

/// Checks a parsed body.
/// What is wrong is an [`Error::Field`] naming the field, and the index
/// of the action at fault.
pub fn check(body: &Value) -> Result<Batch, Error> {
    let Value::Object(body) = body else {
        return Err(problem("", "The body must be a JSON object."));
    };
    let user = id_field(body, "userId")?;
    let session = id_field(body, "sessionId")?;
    let actions = match body.get("actions") {
        None => return Err(problem("actions", "actions is missing.")),
        Some(Value::Array(actions)) => actions,
        Some(_) => return Err(problem("actions", "actions must be an array.")),
    };
    if actions.is_empty() {
        return Err(problem("actions", "actions must hold at least one action."));
    }
    if actions.len() > MAX_ACTIONS {
        let error = format!(
            "A batch holds at most {MAX_ACTIONS} actions; this one has {}.",
            actions.len()
        );
        return Err(Error::field_with(Status::PayloadTooLarge, "actions", error));
    }
    let actions = actions
        .iter()
        .enumerate()
        .map(|(index, action)| check_action(index, action).map_err(|e| e.at_index(index)))
        .collect::<Result<_, _>>()?;
    Ok(Batch {
        user,
        session,
        actions,
    })
}

fn id_field(body: &Map<String, Value>, name: &str) -> Result<String, Error> {
    match body.get(name) {
        None => Err(problem(name, format!("{name} is missing."))),
        Some(Value::String(id)) if id.is_empty() => {
            Err(problem(name, format!("{name} must not be empty.")))
        }
        Some(Value::String(id)) if id.chars().count() > MAX_ID => Err(problem(
            name,
            format!("{name} has at most {MAX_ID} characters."),
        )),
        // A NUL or other control character is no one's id, and PostgreSQL
        // could not store it.
        Some(Value::String(id)) if id.chars().any(char::is_control) => Err(problem(
            name,
            format!("{name} must not contain control characters."),
        )),
        Some(Value::String(id)) => Ok(id.clone()),
        Some(_) => Err(problem(name, format!("{name} must be a string."))),
    }
}

fn check_action(index: usize, action: &Value) -> Result<NewAction, Error> {
    let at = |field: &str| format!("actions[{index}].{field}");
    let Value::Object(action) = action else {
        return Err(problem(
            format!("actions[{index}]"),
            format!("actions[{index}] must be an object."),
        ));
    };
    let time = match action.get("time") {
        None => return Err(problem(at("time"), format!("{} is missing.", at("time")))),
        Some(Value::String(time)) => time,
        Some(_) => {
            let message = format!("{} must be a string.", at("time"));
            return Err(problem(at("time"), message));
        }
    };
    let Some(parsed) = parse_action_time(time) else {
        let message = format!(
            "{} is not an RFC 3339 time such as 2018-10-18T21:37:30-06:00.",
            at("time")
        );
        return Err(problem(at("time"), message));
    };
    let kind = match action.get("type") {
        None => return Err(problem(at("type"), format!("{} is missing.", at("type")))),
        Some(Value::String(kind)) if is_type_name(kind) => kind.clone(),
        Some(_) => {
            let message = format!(
                "{} must be a name of 1 to {MAX_TYPE} letters, digits, '_', '-' or '.', such as NAVIGATE.",
                at("type")
            );
            return Err(problem(at("type"), message));
        }
    };
    let (properties, completes, halfway) = match action.get("properties") {
        None | Some(Value::Null) => ("{}".to_string(), None, None),
        Some(value @ Value::Object(fields)) => {
            let text = value.to_string();
            if text.len() > MAX_PROPERTIES {
                let message = format!(
                    "{} has {} bytes of JSON; an action's properties have at most {MAX_PROPERTIES}.",
                    at("properties"),
                    text.len()
                );
                return Err(problem(at("properties"), message));
            }
            let story = fields.get("storyId").and_then(story_id);
            let completes = story.filter(|_| kind == "READ_COMPLETE");
            let halfway = match kind.as_str() {
                "SCROLL" => story.filter(|_| {
                    fields
                        .get("percent")
                        .and_then(Value::as_f64)
                        .is_some_and(|percent| percent >= 50.0)
                }),
                _ => completes,
            };
            (text, completes, halfway)
        }
        Some(_) => {
            let message = format!("{} must be an object.", at("properties"));
            return Err(problem(at("properties"), message));
        }
    };
    Ok(NewAction {
        time: time.clone(),
        instant_ms: parsed.instant_ms,
        wall_clock: parsed.wall_clock,
        kind,
        properties,
        completes,
        halfway,
    })
}

/// A story id as a number or a string of digits.
fn story_id(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

fn is_type_name(kind: &str) -> bool {
    (1..=MAX_TYPE).contains(&kind.len())
        && kind
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn seed_body() -> Value {
        json!({
            "userId": "ABC123XYZ",
            "sessionId": "XYZ456ABC",
            "actions": [{
                "time": "2018-10-18T21:37:30-06:00",
                "type": "NAVIGATE",
                "properties": {"pageFrom": "communities", "pageTo": "inventory"}
            }]
        })
    }

    #[test]
    fn the_seed_example_is_a_valid_batch() {
        let batch = check(&seed_body()).expect("valid");
        assert_eq!(batch.user, "ABC123XYZ");
        assert_eq!(batch.actions[0].kind, "NAVIGATE");
        assert_eq!(batch.actions[0].time, "2018-10-18T21:37:30-06:00");
    }

    #[test]
    fn a_bad_action_is_named_by_its_index_and_field() {
        let mut body = seed_body();
        body["actions"]
            .as_array_mut()
            .expect("actions")
            .push(json!({"time": "yesterday", "type": "CLICK"}));
        let error = check(&body).expect_err("refused");
        let problem = error.field_problem().expect("a field problem");
        assert_eq!(problem.field, "actions[1].time");
        assert_eq!(problem.index, Some(1));
    }

    #[test]
    fn missing_and_mistyped_fields_are_named() {
        for (field, value, named) in [
            ("userId", Value::Null, "userId"),
            ("sessionId", json!(5), "sessionId"),
            ("actions", json!({}), "actions"),
            ("actions", json!([]), "actions"),
        ] {
            let mut body = seed_body();
            body[field] = value;
            let error = check(&body).expect_err(field);
            assert_eq!(error.field_problem().map(|p| p.field.as_str()), Some(named));
        }
        let mut body = seed_body();
        body.as_object_mut().expect("an object").remove("userId");
        assert_eq!(
            check(&body).expect_err("no user").to_string(),
            "userId is missing."
        );
    }
}
