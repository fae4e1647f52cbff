//! Telling a story's followers: the story's updates page, where an admin
//! posts an announcement (stored for every follower and pushed to those
//! with Folio open) and sees what was sent before.

use rocket::form::FromForm;
use rocket::http::Status;
use rocket::response::Redirect;
use rocket::{get, post};
use rocket_dyn_templates::{context, Template};

use super::queries::{self, StoryText};
use super::Studio;
use crate::admin::Admin;
use crate::auth::CsrfForm;
use crate::db::Db;
use crate::error::{Error, Result};
use crate::feeds::embed_snippet;
use crate::ids::StoryId;
use crate::notifications::{listing, queries as updates, text_problem, Kind, TEXT_MAX};
use crate::web::{FormReply, Layout, PublicOrigin};

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
    id: StoryId,
    sent: Option<u64>,
    _admin: Admin,
    layout: Layout,
    origin: PublicOrigin,
    db: &Db,
) -> Result<Template> {
    let story = queries::get(db.pool(), id).await?.ok_or(Error::NotFound)?;
    let page = Page {
        db,
        layout: &layout,
        origin: &origin,
        story: &story,
    };
    page.render("", None, sent).await
}

/// Posts an announcement to the story's followers.
#[post("/admin/stories/<id>/updates", data = "<form>")]
pub async fn post(
    id: StoryId,
    admin: Admin,
    form: CsrfForm<UpdateForm>,
    layout: Layout,
    origin: PublicOrigin,
    studio: Studio<'_>,
) -> Result<FormReply> {
    let db = studio.db;
    let story = queries::get(db.pool(), id).await?.ok_or(Error::NotFound)?;
    let text = form.0.text.trim();
    let (status, problem) = match text_problem(text) {
        Some(problem) => (Status::UnprocessableEntity, problem),
        None => {
            match studio
                .post(id, Kind::Announcement, text, admin.user_id)
                .await
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
    let page = Page {
        db,
        layout: &layout,
        origin: &origin,
        story: &story,
    };
    let page = page.render(text, Some(&problem), None).await?;
    Ok(FormReply::rejected(status, page))
}

/// What the updates page shows besides the form's own state.
struct Page<'a> {
    db: &'a Db,
    layout: &'a Layout,
    origin: &'a PublicOrigin,
    story: &'a StoryText,
}

impl Page<'_> {
    async fn render(&self, text: &str, error: Option<&str>, sent: Option<u64>) -> Result<Template> {
        let (db, story) = (self.db, self.story);
        let followers = updates::follower_count(db.pool(), story.id).await?;
        let history = listing::of_story(db.pool(), story.id, HISTORY).await?;
        let embed = embed_snippet(self.origin, &story.slug, &story.title);
        Ok(Template::render(
            "admin/story_updates.html",
            context! {
                layout: self.layout, story, followers, history, text, error, sent, embed,
                text_max: TEXT_MAX,
            },
        ))
    }
}
