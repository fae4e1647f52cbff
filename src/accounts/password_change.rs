//! Changing one's password: the current one first, then the new one twice.
//! Every other login of the account ends; this one goes on.

use rocket::form::FromForm;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{get, post, Either};
use rocket_dyn_templates::{context, Template};

use super::fields::FieldErrors;
use super::owner::{new_password_problems, new_password_weakness, Owner};
use crate::auth::{users, CsrfForm};
use crate::error::{Error, Result};
use crate::web::{FormReply, Layout};

/// The form, as sent.
#[derive(FromForm)]
pub struct PasswordChange {
    #[field(default = String::new())]
    current_password: String,
    #[field(default = String::new())]
    new_password: String,
    #[field(default = String::new())]
    confirm_password: String,
}

/// The form's fields, in the order the page shows them.
const FIELDS: &[&str] = &["current_password", "new_password", "confirm_password"];

fn page(layout: &Layout, errors: &FieldErrors) -> Template {
    Template::render(
        "accounts/password.html",
        context! {
            layout, errors,
            focus: errors.focus(FIELDS),
            password_min: users::PASSWORD_MIN_CHARS,
        },
    )
}

#[get("/account/password")]
pub fn form(owner: Owner<'_>) -> Template {
    page(&owner.layout, &FieldErrors::default())
}

#[post("/account/password", data = "<form>")]
pub async fn change(
    form: CsrfForm<PasswordChange>,
    owner: Owner<'_>,
) -> Result<Either<Flash<Redirect>, FormReply>> {
    let form = form.0;
    let username = owner.user.username.clone();
    let refuse = |errors: FieldErrors| {
        let page = page(&owner.layout, &errors);
        Ok(Either::Right(FormReply::rejected(
            Status::UnprocessableEntity,
            page,
        )))
    };
    let mut errors = new_password_problems(&form.new_password, &form.confirm_password, &username);
    if form.current_password.is_empty() {
        errors.add("current_password", "Enter your current password.");
    }
    if !errors.is_empty() {
        return refuse(errors);
    }
    if let Some(refused) = owner.check_password(&form.current_password).await? {
        let errors = FieldErrors::one("current_password", refused.message);
        return Ok(Either::Right(FormReply::Rejected {
            status: refused.status,
            page: page(&owner.layout, &errors),
            retry_after: refused.retry_after,
        }));
    }
    if form.new_password == form.current_password {
        let same = "The new password is your current one. Choose a different one.";
        return refuse(FieldErrors::one("new_password", same));
    }
    let weakness = new_password_weakness(owner.passwords, &form.new_password, &username).await?;
    if !weakness.is_empty() {
        return refuse(weakness);
    }

    let hash = owner.passwords.hash(form.new_password).await?;
    let pool = owner.db.pool();
    if !users::set_password(pool, owner.user.user_id, &hash).await? {
        return Err(Error::NotFound);
    }
    let user = &owner.user;
    let ended = (owner.sessions)
        .end_others(pool, user.user_id, user.session_id)
        .await?;
    let message = match ended {
        0 => "Your password is changed.".to_string(),
        1 => "Your password is changed. Your login on one other device was ended.".to_string(),
        n => format!("Your password is changed. Your logins on {n} other devices were ended."),
    };
    Ok(Either::Left(Flash::success(
        Redirect::to("/account"),
        message,
    )))
}
