//! Deleting one's own account: a page that says what goes and what stays,
//! the password and the username typed again, then everything of the
//! account goes and every login of it ends.
//!
//! What the database does (foreign keys and the triggers of the
//! migrations): logins, follows, notifications, reset links and the
//! reader's own activity log go with the account; the rows saying which
//! stories they read or finished go too, while the stories' counters keep
//! them, as anonymous readers; updates an admin posted and API tokens they
//! made stay, without their name.

use rocket::form::FromForm;
use rocket::http::Status;
use rocket::request::FlashMessage;
use rocket::response::{Flash, Redirect};
use rocket::{get, post, Either};
use rocket_dyn_templates::{context, Template};
use sqlx::AnyPool;

use super::fields::FieldErrors;
use super::owner::Owner;
use crate::auth::{CsrfForm, CsrfToken, KnownDevice};
use crate::db::{lock_for_writing, Flag};
use crate::error::{Error, Result};
use crate::ids::UserId;
use crate::web::{FormReply, Layout};

/// The form, as sent.
#[derive(FromForm)]
pub struct Deletion {
    #[field(default = String::new())]
    password: String,
    /// The account's username, typed to confirm.
    #[field(default = String::new())]
    username: String,
}

/// `user_id` is an active admin and no other is: Folio would be left
/// without one.
const LAST_ADMIN: &str = "users.is_admin = 1 AND users.disabled_at IS NULL AND NOT EXISTS
    (SELECT 1 FROM users AS o WHERE o.is_admin = 1 AND o.disabled_at IS NULL AND o.id != users.id)";

const LAST_ADMIN_MESSAGE: &str = "You are Folio's only active administrator, so your account \
    cannot be deleted: Folio would have nobody to run it. Make another user an administrator \
    first (Admin, then Users).";

/// The kind of the message that takes a deleted account's browser to its
/// farewell page.
const DELETED: &str = "deleted";

async fn is_last_admin(db: &AnyPool, user_id: UserId) -> Result<bool> {
    let last: Option<Flag> = sqlx::query_scalar(&format!(
        "SELECT CAST({LAST_ADMIN} AS INTEGER) FROM users WHERE id = $1"
    ))
    .bind(user_id)
    .fetch_optional(db)
    .await?;
    Ok(last.is_some_and(bool::from))
}

/// Deletes account `user_id` unless it is the last active admin, in one
/// statement after the write lock, so that two admins deleting themselves
/// at once cannot both go; `false` when it was kept.
async fn delete_account(db: &AnyPool, user_id: UserId) -> Result<bool> {
    let mut tx = db.begin().await?;
    lock_for_writing(&mut tx).await?;
    let deleted = sqlx::query(&format!(
        "DELETE FROM users WHERE id = $1 AND NOT ({LAST_ADMIN})"
    ))
    .bind(user_id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(deleted.rows_affected() == 1)
}

fn page(owner: &Owner<'_>, typed: &str, errors: &FieldErrors, last_admin: bool) -> Template {
    let (layout, username) = (&owner.layout, &owner.user.username);
    let is_admin = owner.user.is_admin;
    Template::render(
        "accounts/delete.html",
        context! {
            layout, username, typed, errors, is_admin,
            focus: errors.focus(&["username", "password"]),
            last_admin: last_admin.then_some(LAST_ADMIN_MESSAGE),
        },
    )
}

#[get("/account/delete")]
pub async fn form(owner: Owner<'_>) -> Result<Template> {
    let last_admin = is_last_admin(owner.db.pool(), owner.user.user_id).await?;
    Ok(page(&owner, "", &FieldErrors::default(), last_admin))
}

#[post("/account/delete", data = "<form>")]
pub async fn delete(
    form: CsrfForm<Deletion>,
    owner: Owner<'_>,
) -> Result<Either<Flash<Redirect>, FormReply>> {
    let form = form.0;
    let typed = form.username.trim();
    let user = owner.user.clone();
    let refuse = |status, errors: &FieldErrors, last_admin, retry_after| {
        let page = page(&owner, typed, errors, last_admin);
        Ok(Either::Right(FormReply::Rejected {
            status,
            page,
            retry_after,
        }))
    };
    let mut errors = FieldErrors::default();
    if !typed.eq_ignore_ascii_case(&user.username) {
        let message = format!("Type your username, {}, to confirm.", user.username);
        errors.add("username", message);
    }
    if form.password.is_empty() {
        errors.add("password", "Enter your password.");
    }
    if !errors.is_empty() {
        return refuse(Status::UnprocessableEntity, &errors, false, None);
    }
    if let Some(refused) = owner.check_password(&form.password).await? {
        let errors = FieldErrors::one("password", refused.message);
        return refuse(refused.status, &errors, false, refused.retry_after);
    }
    let pool = owner.db.pool();
    if !delete_account(pool, user.user_id).await? {
        if is_last_admin(pool, user.user_id).await? {
            return refuse(Status::Conflict, &FieldErrors::default(), true, None);
        }
        return Err(Error::NotFound);
    }

    // The rows went with the account; this forgets them in every cache
    // and closes their streams, and clears this browser's cookies.
    owner.sessions.end_all(pool, user.user_id).await?;
    owner.sessions.end(pool, owner.jar).await?;
    CsrfToken::rotate(owner.jar);
    KnownDevice::forget(owner.jar);
    let message = format!("The account {} is deleted.", user.username);
    let farewell = Flash::new(Redirect::to("/account/deleted"), DELETED, message);
    Ok(Either::Left(farewell))
}

/// Where a deleted account's browser lands; anyone else goes home.
#[get("/account/deleted")]
pub fn deleted(flash: Option<FlashMessage<'_>>, layout: Layout) -> Either<Template, Redirect> {
    match flash.filter(|flash| flash.kind() == DELETED) {
        Some(flash) => {
            let message = flash.message();
            Either::Left(Template::render(
                "accounts/deleted.html",
                context! { layout, message },
            ))
        }
        None => Either::Right(Redirect::to("/")),
    }
}
