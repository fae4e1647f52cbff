//! Password-reset links for readers who are locked out: an admin issues
//! one and Folio shows it this once, for the admin to pass on by hand
//! (Folio sends no mail).

use rocket::http::Status;
use rocket::{post, State};
use rocket_dyn_templates::{context, Template};

use super::super::Admin;
use crate::accounts::reset_links;
use crate::auth::{CsrfForm, NoFields};
use crate::config::Settings;
use crate::db::Db;
use crate::error::{Error, Result};
use crate::ids::UserId;
use crate::web::{Layout, PublicOrigin};

/// Issues a link for user `id` and shows it. Links issued for the account
/// before end.
#[post("/admin/users/<id>/reset-link", data = "<_form>")]
pub async fn issue(
    id: UserId,
    admin: Admin,
    _form: CsrfForm<NoFields>,
    layout: Layout,
    db: &Db,
    settings: &State<Settings>,
    origin: PublicOrigin,
) -> Result<(Status, Template)> {
    let hours = settings.reset_link_hours;
    let issued = reset_links::issue(db.pool(), id, Some(admin.user_id), hours).await?;
    let issued = issued.ok_or(Error::NotFound)?;
    let path = reset_links::path(&issued.token);
    // The site's public address (`public_url`, else the one this admin
    // reached Folio by).
    let link = origin.url(&path);
    // Shown in the answer to the POST only: the token is never stored.
    let page = Template::render(
        "admin/reset_link.html",
        context! {
            layout, link, hours,
            username: issued.username,
            expires_at: issued.expires_at,
        },
    );
    Ok((Status::Created, page))
}
