//! The notifications page: "Following" (what the reader was notified of)
//! and "All updates" (every public update), newest first, a page at a time;
//! marking read; and the live-notices preference.

use rocket::form::FromForm;
use rocket::{get, post, State};
use rocket_dyn_templates::{context, Template};

use super::inbox::Inboxes;
use super::listing::{self, View};
use super::queries;
use super::reader::ReaderInbox;
use crate::auth::{CsrfForm, CurrentUser};
use crate::db::Db;
use crate::error::{Error, Result};
use crate::ids::UpdateId;
use crate::web::paging::{cursor, Page};
use crate::web::{Back, Done, Layout};

/// Updates on one page.
const PAGE: usize = 20;

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
    let start = cursor(before, |b| b.parse().ok())?.unwrap_or(i64::MAX);
    let user = reader.user_id;
    let rows = listing::feed(db.pool(), user, view, start, PAGE as i64 + 1).await?;
    let Page { rows: items, next } = Page::of(rows, PAGE, |item| item.id.to_string());
    // The unread ones shown, as a range the page marks read once seen.
    let unread = items.iter().filter(|item| item.unread).map(|item| item.id);
    let shown = unread.clone().min().zip(unread.max());
    let state = inboxes.get(db.pool(), user).await?;
    Ok(Template::render(
        "notifications/index.html",
        context! {
            layout, items, all: view == View::All,
            next,
            first_page: before.is_none(),
            shown: shown.map(|(from, up_to)| context! { from, up_to }),
            live_notices: state.live_notices,
        },
    ))
}

/// Marks one notification read (again, it stays read).
#[post("/notifications/<update>/read", data = "<form>")]
pub async fn mark_one(update: UpdateId, me: ReaderInbox<'_>, form: CsrfForm<Back>) -> Result<Done> {
    me.changed_if(queries::mark_read(me.pool(), me.user(), update).await?)
        .await;
    Ok(form.0.done())
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
pub async fn mark_all(me: ReaderInbox<'_>, form: CsrfForm<Range>) -> Result<Done> {
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
    let marked = queries::mark_range(me.pool(), me.user(), view, from, up_to).await?;
    me.changed_if(marked > 0).await;
    Ok(Back { next }.done())
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
pub async fn preferences(me: ReaderInbox<'_>, form: CsrfForm<Preferences>) -> Result<Done> {
    let Preferences { live_notices, next } = form.0;
    queries::set_live_notices(me.pool(), me.user(), live_notices).await?;
    me.changed_if(true).await;
    Ok(Back { next }.done())
}
