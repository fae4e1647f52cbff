//! User management: the list of accounts, promoting, demoting, disabling
//! and enabling them, and password-reset links for them.

pub mod queries;
pub mod reset_links;

use rocket::form::FromForm;
use rocket::response::{Flash, Redirect};
use rocket::{get, post, State};
use rocket_dyn_templates::{context, Template};

use self::queries::{Change, Changed};
use super::Admin;
use crate::auth::{CsrfForm, Sessions};
use crate::db::Db;
use crate::error::{Error, Result};
use crate::ids::UserId;
use crate::web::paging::Page;
use crate::web::{local_path, query_encode, said, Layout};

/// Accounts by name, a page at a time; `q` keeps those starting with it.
#[get("/admin/users?<q>&<after>")]
pub async fn list(
    q: Option<&str>,
    after: Option<&str>,
    _admin: Admin,
    layout: Layout,
    db: &Db,
) -> Result<Template> {
    let q = q.unwrap_or("").trim();
    let rows = queries::page(db.pool(), q, after.unwrap_or("")).await?;
    let Page { rows: users, next } = Page::of(rows, queries::PAGE as usize, |last| {
        let (q, after) = (query_encode(q), query_encode(&last.username));
        format!("/admin/users?q={q}&after={after}")
    });
    Ok(Template::render(
        "admin/users.html",
        context! { layout, users, q, next, after, me: _admin.user_id },
    ))
}

#[derive(FromForm)]
pub struct BackTo {
    /// The list page to return to.
    #[field(default = String::new())]
    back: String,
}

/// Promotes, demotes, disables or enables a user. Disabling ends their
/// sessions at once; Folio always keeps one active admin. (Ranked after
/// the routes of other actions, such as `reset-link`.)
#[post("/admin/users/<id>/<action>", data = "<form>", rank = 2)]
pub async fn change(
    id: UserId,
    action: &str,
    _admin: Admin,
    form: CsrfForm<BackTo>,
    db: &Db,
    sessions: &State<Sessions>,
) -> Result<Flash<Redirect>> {
    let change = match action {
        "promote" => Change::Promote,
        "demote" => Change::Demote,
        "disable" => Change::Disable,
        "enable" => Change::Enable,
        _ => return Err(Error::NotFound),
    };
    let back = form.0.back;
    let back = if back.starts_with("/admin/users") {
        local_path(&back).to_string()
    } else {
        "/admin/users".to_string()
    };
    let username = match queries::apply(db.pool(), id, change).await? {
        Changed::Done(username) => username,
        Changed::NoSuchUser => return Err(Error::NotFound),
        Changed::LastAdmin => {
            let message = "Nothing changed: Folio needs at least one active administrator. \
                           Make another user an administrator first.";
            return Ok(Flash::error(Redirect::to(back), message));
        }
    };
    if change == Change::Disable {
        sessions.end_all(db.pool(), id).await?;
    } else {
        sessions.forget_user(id);
    }
    let message = match change {
        Change::Promote => format!("{username} is an administrator now."),
        Change::Demote => format!("{username} is no longer an administrator."),
        Change::Disable => format!("{username} is disabled: their logins have ended."),
        Change::Enable => format!("{username} can log in again."),
    };
    Ok(said(back, message))
}
