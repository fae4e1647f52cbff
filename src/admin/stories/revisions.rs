//! A story's history in the studio: every saved text, with who saved it
//! and when; one of them against the text now, line by line; and restoring
//! it (itself a save, so nothing is lost by restoring).

use rocket::response::{Flash, Redirect};
use rocket::{get, post};
use rocket_dyn_templates::{context, Template};
use serde::Serialize;
use similar::{ChangeTag, TextDiff};

use super::history;
use super::queries::{self, Edit, Refused};
use super::{Admin, Studio};
use crate::auth::{CsrfForm, NoFields};
use crate::db::Db;
use crate::error::{Error, Result};
use crate::ids::StoryId;
use crate::web::{said, times, Layout};

/// Unchanged lines kept on each side of a change; longer runs are folded.
const CONTEXT: usize = 3;

/// Every saved text of story `id`, newest first.
#[get("/admin/stories/<id>/revisions")]
pub async fn list(id: StoryId, _admin: Admin, layout: Layout, db: &Db) -> Result<Template> {
    let story = queries::get(db.pool(), id).await?.ok_or(Error::NotFound)?;
    let revisions: Vec<_> = history::list(db.pool(), id)
        .await?
        .into_iter()
        .map(|line| {
            let saved = times::exact(line.created_at);
            context! { line, saved }
        })
        .collect();
    Ok(Template::render(
        "admin/story_revisions.html",
        context! { layout, story, revisions },
    ))
}

/// One saved text against the text now, and a way to restore it.
#[get("/admin/stories/<id>/revisions/<revision>")]
pub async fn show(
    id: StoryId,
    revision: i64,
    _admin: Admin,
    layout: Layout,
    db: &Db,
) -> Result<Template> {
    let story = queries::get(db.pool(), id).await?.ok_or(Error::NotFound)?;
    let revision = history::get(db.pool(), id, revision)
        .await?
        .ok_or(Error::NotFound)?;
    let now_text = whole_text(&story.title, story.summary.as_deref(), &story.body);
    let then_text = whole_text(&revision.title, revision.summary.as_deref(), &revision.body);
    let lines = diff(&now_text, &then_text);
    let same = lines
        .iter()
        .all(|line| line.tag == "same" || line.tag == "fold");
    Ok(Template::render(
        "admin/story_revision.html",
        context! {
            layout, story, lines, same,
            saved: times::exact(revision.created_at),
            revision,
        },
    ))
}

/// Makes a saved text the story's text again (a save like any other).
#[post("/admin/stories/<id>/revisions/<revision>/restore", data = "<_form>")]
pub async fn restore(
    id: StoryId,
    revision: i64,
    admin: Admin,
    _form: CsrfForm<NoFields>,
    studio: Studio<'_>,
) -> Result<Flash<Redirect>> {
    let story = queries::get(studio.pool(), id)
        .await?
        .ok_or(Error::NotFound)?;
    let revision = history::get(studio.pool(), id, revision)
        .await?
        .ok_or(Error::NotFound)?;
    let edit = Edit {
        title: &revision.title,
        body: &revision.body,
        summary: revision.summary.as_deref().unwrap_or_default(),
        slug: &story.slug,
        cover: story.cover_image_id,
        publish: None,
        by: admin.user_id,
    };
    match queries::update(studio.pool(), id, &edit).await? {
        Ok(()) => studio.changed(id).await,
        Err(Refused::Missing) => return Err(Error::NotFound),
        Err(Refused::SlugTaken) => {
            return Err(Error::Conflict(
                "The story's URL name was taken meanwhile.".into(),
            ))
        }
    }
    let message = format!(
        "Restored the text saved on {}. The text before is in the history too.",
        times::exact(revision.created_at)
    );
    Ok(said(format!("/admin/stories/{id}/edit"), message))
}

/// What a revision holds, as one text to compare. Line ends are compared
/// as "\n": browsers send a textarea's as "\r\n".
fn whole_text(title: &str, summary: Option<&str>, body: &str) -> String {
    let summary = summary.unwrap_or_default();
    format!("# {title}\n\n{summary}\n\n{body}\n").replace("\r\n", "\n")
}

/// A line of a comparison: "same", "removed" (in the text now, not in the
/// revision), "added" (in the revision only), or "fold" (unchanged lines
/// left out; `text` says how many).
#[derive(Debug, Serialize)]
pub struct DiffLine {
    pub tag: &'static str,
    pub text: String,
}

/// `now` against `then`, line by line, long unchanged runs folded.
fn diff(now: &str, then: &str) -> Vec<DiffLine> {
    let lines: Vec<DiffLine> = TextDiff::from_lines(now, then)
        .iter_all_changes()
        .map(|change| DiffLine {
            tag: match change.tag() {
                ChangeTag::Equal => "same",
                ChangeTag::Delete => "removed",
                ChangeTag::Insert => "added",
            },
            text: change.value().trim_end_matches('\n').to_string(),
        })
        .collect();
    fold(lines)
}

/// Keeps `CONTEXT` unchanged lines around each change.
fn fold(lines: Vec<DiffLine>) -> Vec<DiffLine> {
    let near_change: Vec<bool> = (0..lines.len())
        .map(|i| {
            let from = i.saturating_sub(CONTEXT);
            let to = (i + CONTEXT + 1).min(lines.len());
            lines[from..to].iter().any(|line| line.tag != "same")
        })
        .collect();
    let mut out = Vec::new();
    let mut folded = 0;
    for (line, keep) in lines.into_iter().zip(near_change) {
        if keep {
            if folded > 0 {
                out.push(folded_line(folded));
                folded = 0;
            }
            out.push(line);
        } else {
            folded += 1;
        }
    }
    if folded > 0 {
        out.push(folded_line(folded));
    }
    out
}

fn folded_line(count: usize) -> DiffLine {
    let unit = if count == 1 { "line" } else { "lines" };
    DiffLine {
        tag: "fold",
        text: format!("{count} unchanged {unit}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_keep_their_context_and_the_rest_is_folded() {
        let now: String = (1..=20).map(|n| format!("line {n}\n")).collect();
        let then = now.replace("line 10\n", "line ten\n");
        let tags: Vec<(&str, String)> = diff(&now, &then)
            .into_iter()
            .map(|line| (line.tag, line.text))
            .collect();
        assert_eq!(
            tags.first(),
            Some(&("fold", "6 unchanged lines".to_string()))
        );
        assert!(tags.contains(&("removed", "line 10".to_string())));
        assert!(tags.contains(&("added", "line ten".to_string())));
        assert_eq!(
            tags.last(),
            Some(&("fold", "7 unchanged lines".to_string()))
        );
    }
}
