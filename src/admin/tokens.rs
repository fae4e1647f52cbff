//! API tokens for the activity log: created (and shown once), listed and
//! revoked by admins.

use rocket::form::FromForm;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{get, post, State};
use rocket_dyn_templates::{context, Template};

use super::Admin;
use crate::activity::ApiTokens;
use crate::auth::{CsrfForm, NoFields};
use crate::db::Db;
use crate::error::{Error, Result};
use crate::ids::TokenId;
use crate::live::Engine;
use crate::web::{said, FormReply, Layout};

/// Longest token name.
const NAME_MAX: usize = 100;

#[derive(Debug, FromForm)]
pub struct NewToken {
    #[field(default = String::new())]
    name: String,
}

/// Every token, with the form for a new one.
#[get("/admin/tokens")]
pub async fn list(
    _admin: Admin,
    layout: Layout,
    db: &Db,
    tokens: &State<ApiTokens>,
) -> Result<Template> {
    render(db, tokens, &layout, "", None, None).await
}

/// Creates a token and shows it, this once.
#[post("/admin/tokens", data = "<form>")]
pub async fn create(
    admin: Admin,
    form: CsrfForm<NewToken>,
    layout: Layout,
    db: &Db,
    tokens: &State<ApiTokens>,
) -> Result<FormReply> {
    let name = form.0.name.trim();
    let chars = name.chars().count();
    let problem = match chars {
        0 => Some("Name the token after what will use it, such as “reading app”.".to_string()),
        n if n > NAME_MAX => Some(format!(
            "A token's name has at most {NAME_MAX} characters; this one has {n}."
        )),
        _ => None,
    };
    if let Some(problem) = problem {
        let page = render(db, tokens, &layout, name, Some(&problem), None).await?;
        return Ok(FormReply::rejected(Status::UnprocessableEntity, page));
    }
    let token = tokens.create(db.pool(), name, admin.user_id).await?;
    // Shown in the answer to the POST only: it is never stored, so
    // reloading the list cannot show it again.
    let page = render(db, tokens, &layout, "", None, Some((name, &token))).await?;
    Ok(FormReply::rejected(Status::Created, page))
}

/// Revokes a token: requests with it are refused from now on.
#[post("/admin/tokens/<id>/revoke", data = "<_form>")]
pub async fn revoke(
    id: TokenId,
    _admin: Admin,
    _form: CsrfForm<NoFields>,
    db: &Db,
    tokens: &State<ApiTokens>,
    live: &State<Engine>,
) -> Result<Flash<Redirect>> {
    if !tokens.revoke(db.pool(), live, id).await? {
        return Err(Error::NotFound);
    }
    let message = "The token was revoked: requests that send it are refused from now on.";
    Ok(said("/admin/tokens", message))
}

async fn render(
    db: &Db,
    tokens: &ApiTokens,
    layout: &Layout,
    name: &str,
    error: Option<&str>,
    created: Option<(&str, &str)>,
) -> Result<Template> {
    let all = tokens.all(db.pool()).await?;
    let created = created.map(|(name, token)| context! { name, token });
    Ok(Template::render(
        "admin/tokens.html",
        context! { layout, tokens: all, name, error, created, name_max: NAME_MAX },
    ))
}
