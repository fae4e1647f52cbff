//! Following a password-reset link: the form for a new password, then
//! the account's every login ends, the link is used up, and this browser
//! is logged in with the new password.

use rocket::form::FromForm;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{get, post, Either};
use rocket_dyn_templates::{context, Template};

use super::entry::Entry;
use super::fields::FieldErrors;
use super::owner::{new_password_problems, new_password_weakness};
use super::reset_links::{self, LinkState};
use crate::auth::{users, CsrfForm};
use crate::db::Db;
use crate::error::Result;
use crate::web::{FormReply, Layout};

/// The form, as sent.
#[derive(FromForm)]
pub struct NewPassword {
    #[field(default = String::new())]
    new_password: String,
    #[field(default = String::new())]
    confirm_password: String,
}

/// A page that says why a link cannot be used, with its status.
type Note = (Status, Template);

fn form_page(layout: &Layout, token: &str, username: &str, errors: &FieldErrors) -> Template {
    Template::render(
        "accounts/reset.html",
        context! {
            layout, username, errors,
            focus: errors.focus(&["new_password", "confirm_password"]),
            action: reset_links::path(token),
            password_min: users::PASSWORD_MIN_CHARS,
        },
    )
}

fn note(layout: &Layout, status: Status, title: &str, message: &str) -> Note {
    let page = Template::render(
        "accounts/reset_note.html",
        context! { layout, status: status.code, title, message },
    );
    (status, page)
}

/// Why a link that is not valid cannot be used.
fn unusable(layout: &Layout, state: &LinkState) -> Note {
    let ask = "Ask an administrator of this site for a new link.";
    match state {
        LinkState::Used => note(
            layout,
            Status::Gone,
            "This link has been used",
            &format!("A password-reset link works once, and this one has set a password already. If that was you, log in with it. {ask}"),
        ),
        LinkState::Expired => note(
            layout,
            Status::Gone,
            "This link has expired",
            &format!("Password-reset links work for a limited time, and a newer link for the same account ends the older ones. {ask}"),
        ),
        LinkState::Unknown | LinkState::Valid { .. } => note(
            layout,
            Status::NotFound,
            "This link is not valid",
            &format!("No password-reset link matches this address. Check that you copied all of it. {ask}"),
        ),
    }
}

#[get("/reset/<token>")]
pub async fn form(token: &str, layout: Layout, db: &Db) -> Result<Note> {
    Ok(match reset_links::state(db.pool(), token).await? {
        LinkState::Valid { username, .. } => {
            let page = form_page(&layout, token, &username, &FieldErrors::default());
            (Status::Ok, page)
        }
        other => unusable(&layout, &other),
    })
}

#[post("/reset/<token>", data = "<form>")]
pub async fn reset(
    token: &str,
    form: CsrfForm<NewPassword>,
    entry: Entry<'_>,
) -> Result<Either<Flash<Redirect>, Either<FormReply, Note>>> {
    let form = form.0;
    let pool = entry.db.pool();
    let layout = &entry.layout;
    let (user_id, username) = match reset_links::state(pool, token).await? {
        LinkState::Valid { user_id, username } => (user_id, username),
        other => return Ok(Either::Right(Either::Right(unusable(layout, &other)))),
    };
    let mut errors = new_password_problems(&form.new_password, &form.confirm_password, &username);
    if errors.is_empty() {
        errors = new_password_weakness(entry.passwords, &form.new_password, &username).await?;
    }
    if !errors.is_empty() {
        let page = form_page(layout, token, &username, &errors);
        let reply = FormReply::rejected(Status::UnprocessableEntity, page);
        return Ok(Either::Right(Either::Left(reply)));
    }

    let hash = entry.passwords.hash(form.new_password).await?;
    if reset_links::redeem(pool, token, &hash).await?.is_none() {
        // Used or expired while the password was being hashed.
        let state = reset_links::state(pool, token).await?;
        return Ok(Either::Right(Either::Right(unusable(layout, &state))));
    }
    entry.sessions.end_all(pool, user_id).await?;
    if users::is_disabled(pool, user_id).await? {
        let message = "Your account is disabled, though: an administrator must enable it \
                       before you can log in with it.";
        let page = note(layout, Status::Ok, "Your new password is set", message);
        return Ok(Either::Right(Either::Right(page)));
    }
    entry.log_in(user_id, &username).await?;
    let message = "Your new password is set and you are logged in. Any other logins of your \
                   account were ended.";
    Ok(Either::Left(Flash::success(
        Redirect::to("/account"),
        message,
    )))
}
