//! Story management: the list of every story, the editor with its preview,
//! publishing, unpublishing and deleting.

mod editor_page;
mod form;
mod history;
pub mod preview;
pub mod queries;
pub mod revisions;
mod saving;
mod studio;
pub mod updates;

use rocket::response::{Flash, Redirect};
use rocket::{get, post, State};
use rocket_dyn_templates::{context, Template};

use self::editor_page::{editor, Editor};
use self::form::StoryForm;
use super::Admin;
use crate::auth::{CsrfForm, NoFields};
use crate::db::Db;
use crate::error::{Error, Result};
use crate::ids::StoryId;
use crate::live::Engine;
use crate::notifications;
use crate::web::{said, Layout};

pub use saving::{create, update};
pub use studio::Studio;

/// Every story, drafts included, with its figures.
#[get("/admin/stories")]
pub async fn list(
    _admin: Admin,
    layout: Layout,
    db: &Db,
    live: &State<Engine>,
) -> Result<Template> {
    let all = queries::all(db.pool()).await?;
    let ids: Vec<StoryId> = all.iter().map(|story| story.id).collect();
    let viewers = live.viewers(&ids).await;
    let stories: Vec<_> = all
        .into_iter()
        .enumerate()
        .map(|(i, story)| context! { story, viewers: viewers.get(i).copied().unwrap_or(0) })
        .collect();
    Ok(Template::render(
        "admin/stories.html",
        context! { layout, stories },
    ))
}

/// The editor, empty.
#[get("/admin/stories/new")]
pub fn new(_admin: Admin, layout: Layout) -> Template {
    editor(&layout, None, &StoryForm::default(), Editor::default())
}

/// The editor with a story in it; after a save that notified followers,
/// how many were.
#[get("/admin/stories/<id>/edit?<notified>")]
pub async fn edit(
    id: StoryId,
    notified: Option<u64>,
    _admin: Admin,
    layout: Layout,
    db: &Db,
) -> Result<Template> {
    let story = queries::get(db.pool(), id).await?.ok_or(Error::NotFound)?;
    let form = StoryForm {
        title: story.title.clone(),
        slug: story.slug.clone(),
        body: story.body.clone(),
        summary: story.summary.clone().unwrap_or_default(),
        cover: story.cover().map(|cover| cover.url).unwrap_or_default(),
        ..StoryForm::default()
    };
    let page = Editor {
        notified,
        ..Editor::default()
    };
    Ok(editor(&layout, Some(&story), &form, page))
}

/// Publishes a story.
#[post("/admin/stories/<id>/publish", data = "<_form>")]
pub async fn publish(
    id: StoryId,
    _admin: Admin,
    _form: CsrfForm<NoFields>,
    studio: Studio<'_>,
) -> Result<Flash<Redirect>> {
    set_published(id, true, studio).await
}

/// Unpublishes a story: readers no longer see it; nothing is deleted.
#[post("/admin/stories/<id>/unpublish", data = "<_form>")]
pub async fn unpublish(
    id: StoryId,
    _admin: Admin,
    _form: CsrfForm<NoFields>,
    studio: Studio<'_>,
) -> Result<Flash<Redirect>> {
    set_published(id, false, studio).await
}

/// What publishing and unpublishing share: the change, the cached page
/// forgotten, open story lists told, and back to the editor.
async fn set_published(id: StoryId, publish: bool, studio: Studio<'_>) -> Result<Flash<Redirect>> {
    if !queries::set_published(studio.pool(), id, publish).await? {
        return Err(Error::NotFound);
    }
    studio.changed(id).await;
    let message = match publish {
        true => "Published: readers can see the story now.",
        false => "Unpublished: readers no longer see the story. Nothing was deleted.",
    };
    Ok(said(format!("/admin/stories/{id}/edit"), message))
}

/// Cancels a draft's scheduled publishing.
#[post("/admin/stories/<id>/unschedule", data = "<_form>")]
pub async fn unschedule(
    id: StoryId,
    _admin: Admin,
    _form: CsrfForm<NoFields>,
    studio: Studio<'_>,
) -> Result<Flash<Redirect>> {
    if !queries::set_schedule(studio.pool(), id, None).await? {
        return Err(Error::NotFound);
    }
    studio.schedule.changed();
    let message = "The schedule was cancelled: the story stays a draft.";
    Ok(said(format!("/admin/stories/{id}/edit"), message))
}

/// The confirmation step before deleting.
#[get("/admin/stories/<id>/delete")]
pub async fn confirm_delete(
    id: StoryId,
    _admin: Admin,
    layout: Layout,
    db: &Db,
) -> Result<Template> {
    let story = queries::get(db.pool(), id).await?.ok_or(Error::NotFound)?;
    Ok(Template::render(
        "admin/story_delete.html",
        context! { layout, story },
    ))
}

/// Deletes a story, its reads, its daily figures and its updates.
#[post("/admin/stories/<id>/delete", data = "<_form>")]
pub async fn delete(
    id: StoryId,
    _admin: Admin,
    _form: CsrfForm<NoFields>,
    studio: Studio<'_>,
) -> Result<Flash<Redirect>> {
    let story = queries::get(studio.pool(), id)
        .await?
        .ok_or(Error::NotFound)?;
    if !queries::delete(studio.pool(), id).await? {
        return Err(Error::NotFound);
    }
    studio.changed(id).await;
    // Its followers' unread notifications went with it.
    let refreshed = notifications::refresh_open_pages(studio.pool(), studio.live, studio.inboxes);
    if let Err(e) = refreshed.await {
        rocket::error!("story {id} was deleted but open pages were not told: {e}");
    }
    let message = format!("“{}” was deleted, with its reads and updates.", story.title);
    Ok(said("/admin/stories", message))
}
