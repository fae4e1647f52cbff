//! Story management: the list of every story, the editor with its preview,
//! publishing, unpublishing and deleting.

mod editor_page;
mod form;
pub mod queries;
pub mod updates;

use std::sync::Arc;

use rocket::http::Status;
use rocket::response::Redirect;
use rocket::{get, post, State};
use rocket_dyn_templates::{context, Template};

use self::editor_page::{editor, slug_taken, unsaved, Editor};
use self::form::{Action, StoryForm};
use self::queries::{Edit, Refused};
use super::Admin;
use crate::auth::{CsrfForm, Layout, NoFields};
use crate::db::Db;
use crate::error::{Error, Result};
use crate::forms::FormReply;
use crate::live::Live;
use crate::notifications::{self, Inboxes, Kind};
use crate::stories::StoryCache;

/// Every story, drafts included, with its figures.
#[get("/admin/stories")]
pub async fn list(
    _admin: Admin,
    layout: Layout,
    db: &Db,
    live: &State<Arc<Live>>,
) -> Result<Template> {
    let stories: Vec<_> = queries::all(db.pool())
        .await?
        .into_iter()
        .map(|story| {
            let viewers = live.viewers(story.id);
            context! { story, viewers }
        })
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
    id: i64,
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
        ..StoryForm::default()
    };
    let page = Editor {
        notified,
        ..Editor::default()
    };
    Ok(editor(&layout, Some(&story), &form, page))
}

/// A new story: previewed, saved as a draft or published.
#[post("/admin/stories", data = "<form>")]
pub async fn create(
    _admin: Admin,
    form: CsrfForm<StoryForm>,
    layout: Layout,
    db: &Db,
    live: &State<Arc<Live>>,
) -> Result<FormReply> {
    let form = form.0.trimmed();
    if let Some(reply) = unsaved(&layout, None, &form) {
        return Ok(reply);
    }
    let publish = form.action() == Action::Publish;
    match queries::create(db.pool(), &edit_of(&form, Some(publish))).await? {
        Ok(id) => {
            if publish {
                live.list_changed();
            }
            Ok(FormReply::Done(Redirect::to(format!(
                "/admin/stories/{id}/edit"
            ))))
        }
        Err(_) => Ok(slug_taken(&layout, None, &form)),
    }
}

/// An edited story: previewed, saved, or saved and published; with
/// "Notify followers", its followers are told once it is saved.
#[allow(clippy::too_many_arguments)]
#[post("/admin/stories/<id>", data = "<form>")]
pub async fn update(
    id: i64,
    admin: Admin,
    form: CsrfForm<StoryForm>,
    layout: Layout,
    db: &Db,
    stories: &State<StoryCache>,
    live: &State<Arc<Live>>,
    inboxes: &State<Inboxes>,
) -> Result<FormReply> {
    let story = queries::get(db.pool(), id).await?.ok_or(Error::NotFound)?;
    let form = form.0.trimmed();
    if let Some(reply) = unsaved(&layout, Some(&story), &form) {
        return Ok(reply);
    }
    let publish = (form.action() == Action::Publish).then_some(true);
    if form.notify && publish.is_none() && story.published_at.is_none() {
        let problem = "Followers hear only about a published story: \
                       save and publish it, or untick “Notify followers”.";
        let page = editor(&layout, Some(&story), &form, Editor::refused(problem));
        return Ok(FormReply::rejected(Status::UnprocessableEntity, page));
    }
    match queries::update(db.pool(), id, &edit_of(&form, publish)).await? {
        Ok(()) => {
            stories.invalidate(id);
            live.list_changed();
        }
        Err(Refused::Missing) => return Err(Error::NotFound),
        Err(Refused::SlugTaken) => return Ok(slug_taken(&layout, Some(&story), &form)),
    }
    let mut to = format!("/admin/stories/{id}/edit");
    if form.notify {
        let text = form.notice_text();
        let kind = Kind::Chapter;
        match notifications::post(db.pool(), live, inboxes, id, kind, &text, admin.user_id).await {
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
                let story = queries::get(db.pool(), id).await?.ok_or(Error::NotFound)?;
                let page = editor(&layout, Some(&story), &form, Editor::refused(&problem));
                return Ok(FormReply::rejected(e.status(), page));
            }
        }
    }
    Ok(FormReply::Done(Redirect::to(to)))
}

/// Publishes a story.
#[post("/admin/stories/<id>/publish", data = "<_form>")]
pub async fn publish(
    id: i64,
    _admin: Admin,
    _form: CsrfForm<NoFields>,
    db: &Db,
    stories: &State<StoryCache>,
    live: &State<Arc<Live>>,
) -> Result<Redirect> {
    set_published(id, true, db, stories, live).await
}

/// Unpublishes a story: readers no longer see it; nothing is deleted.
#[post("/admin/stories/<id>/unpublish", data = "<_form>")]
pub async fn unpublish(
    id: i64,
    _admin: Admin,
    _form: CsrfForm<NoFields>,
    db: &Db,
    stories: &State<StoryCache>,
    live: &State<Arc<Live>>,
) -> Result<Redirect> {
    set_published(id, false, db, stories, live).await
}

/// The confirmation step before deleting.
#[get("/admin/stories/<id>/delete")]
pub async fn confirm_delete(id: i64, _admin: Admin, layout: Layout, db: &Db) -> Result<Template> {
    let story = queries::get(db.pool(), id).await?.ok_or(Error::NotFound)?;
    Ok(Template::render(
        "admin/story_delete.html",
        context! { layout, story },
    ))
}

/// Deletes a story, its reads, its daily figures and its updates.
#[allow(clippy::too_many_arguments)]
#[post("/admin/stories/<id>/delete", data = "<_form>")]
pub async fn delete(
    id: i64,
    _admin: Admin,
    _form: CsrfForm<NoFields>,
    db: &Db,
    stories: &State<StoryCache>,
    live: &State<Arc<Live>>,
    inboxes: &State<Inboxes>,
) -> Result<Redirect> {
    if !queries::delete(db.pool(), id).await? {
        return Err(Error::NotFound);
    }
    stories.invalidate(id);
    live.list_changed();
    // Its followers' unread notifications went with it.
    if let Err(e) = notifications::refresh_open_pages(db.pool(), live, inboxes).await {
        rocket::error!("story {id} was deleted but open pages were not told: {e}");
    }
    Ok(Redirect::to("/admin/stories"))
}

async fn set_published(
    id: i64,
    publish: bool,
    db: &Db,
    stories: &StoryCache,
    live: &Live,
) -> Result<Redirect> {
    if !queries::set_published(db.pool(), id, publish).await? {
        return Err(Error::NotFound);
    }
    stories.invalidate(id);
    live.list_changed();
    Ok(Redirect::to(format!("/admin/stories/{id}/edit")))
}

fn edit_of(form: &StoryForm, publish: Option<bool>) -> Edit<'_> {
    Edit {
        title: &form.title,
        body: &form.body,
        slug: &form.slug,
        publish,
    }
}
