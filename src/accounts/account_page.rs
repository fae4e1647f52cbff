//! The account's own page: who is logged in, and the way to each thing
//! they can do to their account.

use rocket::get;
use rocket::request::FlashMessage;
use rocket_dyn_templates::{context, Template};

use super::owner::Owner;
use crate::error::Result;

#[get("/account")]
pub async fn page(owner: Owner<'_>, flash: Option<FlashMessage<'_>>) -> Result<Template> {
    let user = &owner.user;
    let logins = owner
        .sessions
        .logins_of(owner.db.pool(), user.user_id)
        .await?;
    let layout = &owner.layout;
    let notice = flash.map(|f| f.message().to_string());
    Ok(Template::render(
        "accounts/account.html",
        context! {
            layout, notice,
            username: &user.username,
            is_admin: user.is_admin,
            logins: logins.len(),
        },
    ))
}
