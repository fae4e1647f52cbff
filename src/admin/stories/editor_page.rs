//! The story editor's page: the form with what was typed, and the message,
//! preview or follower count that goes with it.

use rocket::http::Status;
use rocket_dyn_templates::{context, Template};

use super::form::{Action, StoryForm, BODY_MAX_BYTES, SUMMARY_MAX, TITLE_MAX};
use super::queries;
use crate::notifications;
use crate::stories::markdown;
use crate::web::{times, FormReply, Layout};

/// The editor again when the form is refused or only previewed.
pub fn unsaved(
    layout: &Layout,
    story: Option<&queries::StoryText>,
    form: &StoryForm,
) -> Option<FormReply> {
    if let Some(problem) = form.problem() {
        let page = editor(layout, story, form, Editor::refused(&problem));
        return Some(FormReply::rejected(Status::UnprocessableEntity, page));
    }
    if form.action() == Action::Preview {
        let preview = markdown::render(&form.body);
        let page = Editor {
            preview: Some(&preview),
            ..Editor::default()
        };
        return Some(FormReply::rejected(
            Status::Ok,
            editor(layout, story, form, page),
        ));
    }
    None
}

pub fn slug_taken(
    layout: &Layout,
    story: Option<&queries::StoryText>,
    form: &StoryForm,
) -> FormReply {
    let problem = "Another story already has that URL name. Choose another, or leave it empty.";
    FormReply::rejected(
        Status::Conflict,
        editor(layout, story, form, Editor::refused(problem)),
    )
}

/// What the editor shows besides the story and the form.
#[derive(Default)]
pub struct Editor<'a> {
    pub error: Option<&'a str>,
    pub preview: Option<&'a str>,
    /// How many followers the last save notified.
    pub notified: Option<u64>,
}

impl<'a> Editor<'a> {
    pub fn refused(error: &'a str) -> Editor<'a> {
        Editor {
            error: Some(error),
            ..Editor::default()
        }
    }
}

pub fn editor(
    layout: &Layout,
    story: Option<&queries::StoryText>,
    form: &StoryForm,
    page: Editor<'_>,
) -> Template {
    let Editor {
        error,
        preview,
        notified,
    } = page;
    Template::render(
        "admin/story_edit.html",
        context! {
            layout, story, error, preview, notified,
            title: &form.title, slug: &form.slug, body: &form.body, summary: &form.summary,
            cover: &form.cover,
            notify: form.notify, note: &form.note, publish_at: &form.publish_at,
            scheduled_for: story.and_then(|story| story.scheduled_at).map(times::exact),
            title_max: TITLE_MAX, body_max_mb: BODY_MAX_BYTES / 1_000_000,
            summary_max: SUMMARY_MAX,
            note_max: notifications::TEXT_MAX,
        },
    )
}
