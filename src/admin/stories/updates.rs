//! Telling a story's followers: the story's updates page, where an admin
//! posts an announcement (stored for every follower and pushed to those
//! with Folio open) and sees what was sent before.

use std::sync::Arc;

use rocket::form::FromForm;
use rocket::http::Status;
use rocket::response::Redirect;
use rocket::{get, post, State};
use rocket_dyn_templates::{context, Template};

use super::queries::{self, StoryText};
use crate::admin::Admin;
use crate::auth::{CsrfForm, Layout};
use crate::db::Db;
use crate::error::{Error, Result};
use crate::forms::FormReply;
use crate::live::Live;
use crate::notifications::{self, queries as updates, text_problem, Inboxes, Kind, TEXT_MAX};

/// Past updates shown on the page.
const HISTORY: i64 = 50;

/// What the form sends.
#[derive(Debug, Default, FromForm)]
pub struct UpdateForm {
    #[field(default = String::new())]
    pub text: String,
}

/// The updates page: the form, the follower count and the updates sent.
#[get("/admin/stories/<id>/updates?<sent>")]
pub async fn page(
    id: i64,
    sent: Option<u64>,
    _admin: Admin,
    layout: Layout,
    db: &Db,
) -> Result<Template> {
    let story = queries::get(db.pool(), id).await?.ok_or(Error::NotFound)?;
    render(db, &layout, &story, "", None, sent).await
}

/// Posts an announcement to the story's followers.
#[allow(clippy::too_many_arguments)]
#[post("/admin/stories/<id>/updates", data = "<form>")]
pub async fn post(
    id: i64,
    admin: Admin,
    form: CsrfForm<UpdateForm>,
    layout: Layout,
    db: &Db,
    live: &State<Arc<Live>>,
    inboxes: &State<Inboxes>,
) -> Result<FormReply> {
    let story = queries::get(db.pool(), id).await?.ok_or(Error::NotFound)?;
    let text = form.0.text.trim();
    let (status, problem) = match text_problem(text) {
        Some(problem) => (Status::UnprocessableEntity, problem),
        None => {
            let kind = Kind::Announcement;
            match notifications::post(db.pool(), live, inboxes, id, kind, text, admin.user_id).await
            {
                Ok(posted) => {
                    let sent = posted.notified;
                    let to = format!("/admin/stories/{id}/updates?sent={sent}");
                    return Ok(FormReply::Done(Redirect::to(to)));
                }
                // Not published: its readers could not open it.
                Err(Error::Conflict(problem)) => (Status::Conflict, problem),
                Err(e) => return Err(e),
            }
        }
    };
    let page = render(db, &layout, &story, text, Some(&problem), None).await?;
    Ok(FormReply::rejected(status, page))
}

async fn render(
    db: &Db,
    layout: &Layout,
    story: &StoryText,
    text: &str,
    error: Option<&str>,
    sent: Option<u64>,
) -> Result<Template> {
    let followers = updates::follower_count(db.pool(), story.id).await?;
    let history = updates::of_story(db.pool(), story.id, HISTORY).await?;
    Ok(Template::render(
        "admin/story_updates.html",
        context! { layout, story, followers, history, text, error, sent, text_max: TEXT_MAX },
    ))
}
