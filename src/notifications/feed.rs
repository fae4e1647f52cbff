//! The notifications page: "Following" (what the reader was notified of)
//! and "All updates" (every public update), newest first, a page at a time;
//! marking read; and the live-notices preference.

use std::sync::Arc;

use rocket::form::FromForm;
use rocket::{get, post, State};
use rocket_dyn_templates::{context, Template};

use super::inbox::Inboxes;
use super::queries::{self, View};
use super::{back, Back, Done};
use crate::auth::{CsrfForm, CurrentUser, Layout};
use crate::db::Db;
use crate::error::{Error, Result};
use crate::live::Live;

/// Updates on one page.
const PAGE: i64 = 20;

#[get("/notifications?<view>&<before>")]
pub async fn page(
    view: Option<&str>,
    before: Option<&str>,
    reader: CurrentUser,
    layout: Layout,
    db: &Db,
    inboxes: &State<Inboxes>,
) -> Result<Template> {
    let view = match view.unwrap_or("following") {
        "following" => View::Following,
        "all" => View::All,
        _ => return Err(Error::BadRequest("There is no such view.".into())),
    };
    let cursor = match before.unwrap_or("") {
        "" => i64::MAX,
        before => before
            .parse()
            .map_err(|_| Error::BadRequest("That page link is not valid.".into()))?,
    };
    let user = reader.user_id;
    let mut items = queries::feed(db.pool(), user, view, cursor, PAGE + 1).await?;
    let next = (items.len() as i64 > PAGE).then(|| {
        items.truncate(PAGE as usize);
        items.last().map(|item| item.id)
    });
    // The unread ones shown, as a range the page marks read once seen.
    let unread = items.iter().filter(|item| item.unread).map(|item| item.id);
    let shown = unread.clone().min().zip(unread.max());
    let state = inboxes.get(db.pool(), user).await?;
    Ok(Template::render(
        "notifications/index.html",
        context! {
            layout, items, all: view == View::All,
            next: next.flatten(),
            first_page: before.is_none(),
            shown: shown.map(|(from, up_to)| context! { from, up_to }),
            live_notices: state.live_notices,
        },
    ))
}

/// Marks one notification read (again, it stays read).
#[post("/notifications/<update>/read", data = "<form>")]
pub async fn mark_one(
    update: i64,
    reader: CurrentUser,
    form: CsrfForm<Back>,
    db: &Db,
    live: &State<Arc<Live>>,
    inboxes: &State<Inboxes>,
) -> Result<Done> {
    if queries::mark_read(db.pool(), reader.user_id, update).await? {
        inboxes.changed(db.pool(), live, reader.user_id).await;
    }
    Ok(back(form.0))
}

/// Which notifications to mark read: all, or those of one page.
#[derive(Debug, FromForm)]
pub struct Range {
    from: Option<i64>,
    up_to: Option<i64>,
    /// The view the range was shown in: "all" or "following".
    view: Option<String>,
    next: Option<String>,
}

/// Marks every notification read, or those in `from..=up_to`.
#[post("/notifications/read", data = "<form>")]
pub async fn mark_all(
    reader: CurrentUser,
    form: CsrfForm<Range>,
    db: &Db,
    live: &State<Arc<Live>>,
    inboxes: &State<Inboxes>,
) -> Result<Done> {
    let Range {
        from,
        up_to,
        view,
        next,
    } = form.0;
    let view = match view.as_deref() {
        Some("all") => View::All,
        _ => View::Following,
    };
    let (from, up_to) = (from.unwrap_or(0), up_to.unwrap_or(i64::MAX));
    if queries::mark_range(db.pool(), reader.user_id, view, from, up_to).await? > 0 {
        inboxes.changed(db.pool(), live, reader.user_id).await;
    }
    Ok(back(Back { next }))
}

#[derive(Debug, FromForm)]
pub struct Preferences {
    /// A checkbox: absent when unticked.
    #[field(default = false)]
    live_notices: bool,
    next: Option<String>,
}

/// Turns the in-page notices on or off; the feed and the badge stay.
#[post("/notifications/preferences", data = "<form>")]
pub async fn preferences(
    reader: CurrentUser,
    form: CsrfForm<Preferences>,
    db: &Db,
    live: &State<Arc<Live>>,
    inboxes: &State<Inboxes>,
) -> Result<Done> {
    let Preferences { live_notices, next } = form.0;
    queries::set_live_notices(db.pool(), reader.user_id, live_notices).await?;
    inboxes.changed(db.pool(), live, reader.user_id).await;
    Ok(back(Back { next }))
}
