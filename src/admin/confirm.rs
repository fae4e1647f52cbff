//! The confirmation step before actions readers or scripts would notice at
//! once: unpublishing a story, disabling an account, revoking an API token
//! (deleting a story has a page of its own). Without JavaScript the action
//! is a link to its page here; with it, page.js asks the same question in a
//! dialog (`data-confirm`) and sends the form itself.

use rocket::{get, State};
use rocket_dyn_templates::{context, Template};
use serde::Serialize;

use super::stories::queries as stories;
use super::users::queries as users;
use super::Admin;
use crate::activity::tokens::ApiTokens;
use crate::db::Db;
use crate::error::{Error, Result};
use crate::ids::{StoryId, TokenId, UserId};
use crate::web::{local_path, Layout};

/// What the page asks, and what its button sends where.
#[derive(Serialize)]
struct Confirm<'a> {
    section: &'a str,
    question: String,
    text: &'a str,
    action: String,
    button: &'a str,
    cancel: String,
    back: Option<String>,
}

fn page(layout: Layout, confirm: Confirm<'_>) -> Template {
    Template::render("admin/confirm.html", context! { layout, confirm })
}

#[get("/admin/stories/<id>/unpublish")]
pub async fn unpublish(id: StoryId, _admin: Admin, layout: Layout, db: &Db) -> Result<Template> {
    let story = stories::get(db.pool(), id).await?.ok_or(Error::NotFound)?;
    Ok(page(
        layout,
        Confirm {
            section: "stories",
            question: format!("Unpublish “{}”?", story.title),
            text: "Readers will no longer see it: its page answers 404 and it leaves the list \
                   and the feeds. Nothing is deleted; publish it again at any time.",
            action: format!("/admin/stories/{id}/unpublish"),
            button: "Unpublish",
            cancel: format!("/admin/stories/{id}/edit"),
            back: None,
        },
    ))
}

#[get("/admin/users/<id>/disable?<back>")]
pub async fn disable(
    id: UserId,
    back: Option<&str>,
    _admin: Admin,
    layout: Layout,
    db: &Db,
) -> Result<Template> {
    let username = users::username(db.pool(), id)
        .await?
        .ok_or(Error::NotFound)?;
    let back = back
        .map(local_path)
        .filter(|back| back.starts_with("/admin/users"))
        .unwrap_or("/admin/users");
    Ok(page(
        layout,
        Confirm {
            section: "users",
            question: format!("Disable {username}?"),
            text: "Their logins end at once and they cannot log in until an administrator \
                   enables the account again. Their reads and follows are kept.",
            action: format!("/admin/users/{id}/disable"),
            button: "Disable",
            cancel: back.to_string(),
            back: Some(back.to_string()),
        },
    ))
}

#[get("/admin/tokens/<id>/revoke")]
pub async fn revoke(
    id: TokenId,
    _admin: Admin,
    layout: Layout,
    db: &Db,
    tokens: &State<ApiTokens>,
) -> Result<Template> {
    let all = tokens.all(db.pool()).await?;
    let token = all
        .iter()
        .find(|token| token.id == id && token.revoked_at.is_none())
        .ok_or(Error::NotFound)?;
    Ok(page(
        layout,
        Confirm {
            section: "tokens",
            question: format!("Revoke the token “{}”?", token.name),
            text: "Every script or tool that sends it is refused from now on. This cannot be \
                   undone: make a new token for them instead.",
            action: format!("/admin/tokens/{id}/revoke"),
            button: "Revoke",
            cancel: "/admin/tokens".into(),
            back: None,
        },
    ))
}
