//! The "Following" page: the stories the reader follows, those updated last
//! first, each with its latest update. (The follow buttons themselves are
//! the stories' own: [`crate::stories`].)

use rocket::get;
use rocket_dyn_templates::{context, Template};

use super::listing;
use crate::auth::CurrentUser;
use crate::db::Db;
use crate::error::Result;
use crate::web::paging::{cursor, Page};
use crate::web::Layout;

/// Stories on one page of "Following".
const PAGE: usize = 30;

#[get("/following?<after>")]
pub async fn following(
    after: Option<&str>,
    reader: CurrentUser,
    layout: Layout,
    db: &Db,
) -> Result<Template> {
    let start = cursor(after, parse_cursor)?.unwrap_or((i64::MAX, i64::MAX));
    let rows = listing::followed(db.pool(), reader.user_id, start, PAGE as i64 + 1).await?;
    let page = Page::of(rows, PAGE, |s| format!("{}.{}", s.latest, s.story_id));
    Ok(Template::render(
        "notifications/following.html",
        context! {
            layout, stories: page.rows, after, next: page.next, first_page: after.is_none(),
        },
    ))
}

/// `<latest update>.<story id>`: where the previous page ended.
fn parse_cursor(after: &str) -> Option<(i64, i64)> {
    let (latest, story) = after.split_once('.')?;
    Some((latest.parse().ok()?, story.parse().ok()?))
}
