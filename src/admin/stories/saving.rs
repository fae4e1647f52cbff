//! Saving from the editor: a new story, or an edited one, each previewed,
//! saved as a draft or published; an edit may also tell the story's
//! followers.

use rocket::http::Status;
use rocket::post;

use super::editor_page::{editor, slug_taken, unsaved, Editor};
use super::form::{Action, StoryForm};
use super::queries::{self, Edit, Refused};
use super::{Admin, Studio};
use crate::auth::{CsrfForm, Long};
use crate::error::{Error, Result};
use crate::ids::{StoryId, UserId};
use crate::images;
use crate::notifications::Kind;
use crate::util::unix_now;
use crate::web::{said, times, FormReply, Layout};

/// A new story: previewed, saved as a draft or published.
#[post("/admin/stories", data = "<form>")]
pub async fn create(
    admin: Admin,
    form: CsrfForm<StoryForm, Long>,
    layout: Layout,
    studio: Studio<'_>,
) -> Result<FormReply> {
    let form = form.0.trimmed();
    if let Some(reply) = unsaved(&layout, None, &form) {
        return Ok(reply);
    }
    let cover = match cover_of(studio.pool(), &form).await? {
        Ok(cover) => cover,
        Err(problem) => return Ok(refused(&layout, None, &form, problem)),
    };
    let scheduled = match schedule_time(None, &form) {
        Ok(at) => at,
        Err(problem) => return Ok(refused(&layout, None, &form, &problem)),
    };
    let publish = form.action() == Action::Publish;
    match queries::create(
        studio.pool(),
        &edit_of(&form, Some(publish), admin.user_id, cover),
    )
    .await?
    {
        Ok(id) => {
            if publish {
                studio.changed(id).await;
            }
            if let Some(at) = scheduled {
                queries::set_schedule(studio.pool(), id, Some(at)).await?;
                studio.schedule.changed();
            }
            let message = match (publish, scheduled) {
                (true, _) => "Saved and published: readers can see the story now.".to_string(),
                (false, Some(at)) => {
                    format!("Saved. It will be published on {}.", times::exact(at))
                }
                (false, None) => "Saved as a draft: readers cannot see it yet.".to_string(),
            };
            Ok(FormReply::Said(said(
                format!("/admin/stories/{id}/edit"),
                message,
            )))
        }
        Err(_) => Ok(slug_taken(&layout, None, &form)),
    }
}

/// An edited story: previewed, saved, or saved and published; with
/// "Notify followers", its followers are told once it is saved.
#[post("/admin/stories/<id>", data = "<form>")]
pub async fn update(
    id: StoryId,
    admin: Admin,
    form: CsrfForm<StoryForm, Long>,
    layout: Layout,
    studio: Studio<'_>,
) -> Result<FormReply> {
    let story = queries::get(studio.pool(), id)
        .await?
        .ok_or(Error::NotFound)?;
    let form = form.0.trimmed();
    if let Some(reply) = unsaved(&layout, Some(&story), &form) {
        return Ok(reply);
    }
    let cover = match cover_of(studio.pool(), &form).await? {
        Ok(cover) => cover,
        Err(problem) => return Ok(refused(&layout, Some(&story), &form, problem)),
    };
    let scheduled = match schedule_time(Some(&story), &form) {
        Ok(at) => at,
        Err(problem) => return Ok(refused(&layout, Some(&story), &form, &problem)),
    };
    let publish = (form.action() == Action::Publish).then_some(true);
    if form.notify && publish.is_none() && story.published_at.is_none() {
        let problem = "Followers hear only about a published story: \
                       save and publish it, or untick “Notify followers”.";
        return Ok(refused(&layout, Some(&story), &form, problem));
    }
    match queries::update(
        studio.pool(),
        id,
        &edit_of(&form, publish, admin.user_id, cover),
    )
    .await?
    {
        Ok(()) => studio.changed(id).await,
        Err(Refused::Missing) => return Err(Error::NotFound),
        Err(Refused::SlugTaken) => return Ok(slug_taken(&layout, Some(&story), &form)),
    }
    let mut message = match publish {
        Some(_) => "Saved and published: readers can see the story now.".to_string(),
        None if story.published_at.is_some() => "Saved: readers see the new text now.".into(),
        None => "Saved. Readers cannot see this draft yet.".into(),
    };
    if let Some(at) = scheduled {
        queries::set_schedule(studio.pool(), id, Some(at)).await?;
        studio.schedule.changed();
        message = format!("Saved. It will be published on {}.", times::exact(at));
    }
    let mut to = format!("/admin/stories/{id}/edit");
    if form.notify {
        let text = form.notice_text();
        match studio.post(id, Kind::Chapter, &text, admin.user_id).await {
            Ok(posted) => to.push_str(&format!("?notified={}", posted.notified)),
            // Saved, not sent: say so, and let a resubmission send it.
            Err(e) => {
                if e.status().code >= 500 {
                    rocket::error!("story {id} was saved but its followers were not told: {e}");
                }
                let problem = format!(
                    "The story was saved, but its followers were not told: {} \
                     Save again to tell them.",
                    e.public_message()
                );
                let story = queries::get(studio.pool(), id)
                    .await?
                    .ok_or(Error::NotFound)?;
                let page = editor(&layout, Some(&story), &form, Editor::refused(&problem));
                return Ok(FormReply::rejected(e.status(), page));
            }
        }
    }
    Ok(FormReply::Said(said(to, message)))
}

/// For "schedule", the time asked for; why not, for a time that is not one
/// or has passed, or for a story already published.
fn schedule_time(
    story: Option<&queries::StoryText>,
    form: &StoryForm,
) -> std::result::Result<Option<i64>, String> {
    if form.action() != Action::Schedule {
        return Ok(None);
    }
    match story {
        Some(story) if story.published_at.is_some() => {
            Err("This story is published already: unpublish it first to schedule it.".into())
        }
        _ => form.publish_time(unix_now()).map(Some),
    }
}

/// The editor again, with what was typed, saying why it was not saved.
fn refused(
    layout: &Layout,
    story: Option<&queries::StoryText>,
    form: &StoryForm,
    problem: &str,
) -> FormReply {
    let page = editor(layout, story, form, Editor::refused(problem));
    FormReply::rejected(Status::UnprocessableEntity, page)
}

/// The image the cover field names; why not, when Folio has none there.
async fn cover_of(
    db: &sqlx::AnyPool,
    form: &StoryForm,
) -> Result<std::result::Result<Option<i64>, &'static str>> {
    if form.cover.is_empty() {
        return Ok(Ok(None));
    }
    Ok(match images::queries::at_path(db, &form.cover).await? {
        Some(image) => Ok(Some(image.id)),
        None => Err("No image uploaded to Folio has the cover's address: \
                     upload the cover again, or leave the field empty."),
    })
}

fn edit_of(form: &StoryForm, publish: Option<bool>, by: UserId, cover: Option<i64>) -> Edit<'_> {
    Edit {
        title: &form.title,
        body: &form.body,
        summary: &form.summary,
        cover,
        slug: &form.slug,
        publish,
        by,
    }
}
