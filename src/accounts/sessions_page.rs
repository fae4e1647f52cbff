//! The account's logins: where and when each was made and last used, and
//! ending one, or all but this browser's. An ended login's open pages are
//! signed out at once, as after a logout there.

use rocket::request::FlashMessage;
use rocket::response::{Flash, Redirect};
use rocket::{get, post, Either};
use rocket_dyn_templates::{context, Template};
use serde::Serialize;

use super::owner::Owner;
use super::user_agents;
use crate::auth::{CsrfForm, CsrfToken, Login, NoFields};
use crate::error::{Error, Result};
use crate::ids::SessionId;

/// A login as the page lists it.
#[derive(Serialize)]
struct LoginLine {
    #[serde(flatten)]
    login: Login,
    device: String,
    /// The login of the browser looking at the page.
    current: bool,
}

#[get("/account/sessions")]
pub async fn list(owner: Owner<'_>, flash: Option<FlashMessage<'_>>) -> Result<Template> {
    let user = &owner.user;
    let logins = owner
        .sessions
        .logins_of(owner.db.pool(), user.user_id)
        .await?;
    let others = logins.iter().filter(|l| l.id != user.session_id).count();
    let logins: Vec<LoginLine> = logins
        .into_iter()
        .map(|login| LoginLine {
            device: user_agents::describe(&login.user_agent),
            current: login.id == user.session_id,
            login,
        })
        .collect();
    let layout = &owner.layout;
    let notice = flash.map(|f| f.message().to_string());
    Ok(Template::render(
        "accounts/sessions.html",
        context! { layout, logins, others, notice },
    ))
}

/// Ends one login. This browser's own is a logout.
#[post("/account/sessions/<id>/end", data = "<_form>")]
pub async fn end(
    id: SessionId,
    _form: CsrfForm<NoFields>,
    owner: Owner<'_>,
) -> Result<Either<Redirect, Flash<Redirect>>> {
    let pool = owner.db.pool();
    if id == owner.user.session_id {
        owner.sessions.end(pool, owner.jar).await?;
        CsrfToken::rotate(owner.jar);
        return Ok(Either::Left(Redirect::to("/")));
    }
    if !owner.sessions.end_one(pool, owner.user.user_id, id).await? {
        return Err(Error::NotFound);
    }
    let message = "That login is ended: its pages are signed out, and it needs your password to \
                   come back.";
    let back = Redirect::to("/account/sessions");
    Ok(Either::Right(Flash::success(back, message)))
}

/// Ends every login of the account but this browser's.
#[post("/account/sessions/end-others", data = "<_form>")]
pub async fn end_others(_form: CsrfForm<NoFields>, owner: Owner<'_>) -> Result<Flash<Redirect>> {
    let user = &owner.user;
    let ended = (owner.sessions)
        .end_others(owner.db.pool(), user.user_id, user.session_id)
        .await?;
    let message = match ended {
        0 => "There were no other logins to end.".to_string(),
        1 => "Your other login is ended.".to_string(),
        n => format!("Your {n} other logins are ended."),
    };
    Ok(Flash::success(Redirect::to("/account/sessions"), message))
}
