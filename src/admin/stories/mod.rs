//! Story management: the list of every story, the editor with its preview,
//! publishing, unpublishing and deleting.

mod form;
pub mod queries;

use std::sync::Arc;

use rocket::http::Status;
use rocket::response::Redirect;
use rocket::{get, post, State};
use rocket_dyn_templates::{context, Template};

use self::form::{Action, StoryForm, BODY_MAX_BYTES, TITLE_MAX};
use self::queries::{Edit, Refused};
use super::Admin;
use crate::auth::{CsrfForm, Layout, NoFields};
use crate::db::Db;
use crate::error::{Error, Result};
use crate::forms::FormReply;
use crate::live::Live;
use crate::stories::{markdown, StoryCache};

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
    editor(&layout, None, &StoryForm::default(), None, None)
}

/// The editor with a story in it.
#[get("/admin/stories/<id>/edit")]
pub async fn edit(id: i64, _admin: Admin, layout: Layout, db: &Db) -> Result<Template> {
    let story = queries::get(db.pool(), id).await?.ok_or(Error::NotFound)?;
    let form = StoryForm {
        title: story.title.clone(),
        slug: story.slug.clone(),
        body: story.body.clone(),
        action: String::new(),
    };
    Ok(editor(&layout, Some(&story), &form, None, None))
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

/// An edited story: previewed, saved, or saved and published.
#[post("/admin/stories/<id>", data = "<form>")]
pub async fn update(
    id: i64,
    _admin: Admin,
    form: CsrfForm<StoryForm>,
    layout: Layout,
    db: &Db,
    stories: &State<StoryCache>,
    live: &State<Arc<Live>>,
) -> Result<FormReply> {
    let story = queries::get(db.pool(), id).await?.ok_or(Error::NotFound)?;
    let form = form.0.trimmed();
    if let Some(reply) = unsaved(&layout, Some(&story), &form) {
        return Ok(reply);
    }
    let publish = (form.action() == Action::Publish).then_some(true);
    match queries::update(db.pool(), id, &edit_of(&form, publish)).await? {
        Ok(()) => {
            stories.invalidate(id);
            live.list_changed();
            Ok(FormReply::Done(Redirect::to(format!(
                "/admin/stories/{id}/edit"
            ))))
        }
        Err(Refused::Missing) => Err(Error::NotFound),
        Err(Refused::SlugTaken) => Ok(slug_taken(&layout, Some(&story), &form)),
    }
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

/// Deletes a story, its reads and its daily figures.
#[post("/admin/stories/<id>/delete", data = "<_form>")]
pub async fn delete(
    id: i64,
    _admin: Admin,
    _form: CsrfForm<NoFields>,
    db: &Db,
    stories: &State<StoryCache>,
    live: &State<Arc<Live>>,
) -> Result<Redirect> {
    if !queries::delete(db.pool(), id).await? {
        return Err(Error::NotFound);
    }
    stories.invalidate(id);
    live.list_changed();
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

/// The editor again when the form is refused or only previewed.
fn unsaved(
    layout: &Layout,
    story: Option<&queries::StoryText>,
    form: &StoryForm,
) -> Option<FormReply> {
    if let Some(problem) = form.problem() {
        let page = editor(layout, story, form, Some(&problem), None);
        return Some(FormReply::rejected(Status::UnprocessableEntity, page));
    }
    if form.action() == Action::Preview {
        let preview = markdown::render(&form.body);
        let page = editor(layout, story, form, None, Some(&preview));
        return Some(FormReply::rejected(Status::Ok, page));
    }
    None
}

fn slug_taken(layout: &Layout, story: Option<&queries::StoryText>, form: &StoryForm) -> FormReply {
    let problem = "Another story already has that URL name. Choose another, or leave it empty.";
    FormReply::rejected(
        Status::Conflict,
        editor(layout, story, form, Some(problem), None),
    )
}

fn editor(
    layout: &Layout,
    story: Option<&queries::StoryText>,
    form: &StoryForm,
    error: Option<&str>,
    preview: Option<&str>,
) -> Template {
    Template::render(
        "admin/story_edit.html",
        context! {
            layout, story, error, preview,
            title: &form.title, slug: &form.slug, body: &form.body,
            title_max: TITLE_MAX, body_max_mb: BODY_MAX_BYTES / 1_000_000,
        },
    )
}
