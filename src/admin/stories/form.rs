//! The story editor's form and its rules.

use rocket::form::FromForm;

use time::format_description::FormatItem;
use time::macros::format_description;
use time::PrimitiveDateTime;

use crate::notifications;
use crate::stories::slugs;

pub const TITLE_MAX: usize = 200;

const LOCAL_MINUTES: &[FormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]");
const LOCAL_SECONDS: &[FormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
/// A hand-written summary is a few sentences.
pub const SUMMARY_MAX: usize = 500;
/// Bodies are Markdown of at most 1 MB.
pub const BODY_MAX_BYTES: usize = 1_000_000;

/// What the editor sends.
#[derive(Debug, Default, FromForm)]
pub struct StoryForm {
    #[field(default = String::new())]
    pub title: String,
    #[field(default = String::new())]
    pub slug: String,
    #[field(default = String::new())]
    pub body: String,
    /// The excerpt shown in the list; empty: the first paragraph.
    #[field(default = String::new())]
    pub summary: String,
    /// The cover: the address of an image uploaded to Folio
    /// (`/images/<hash>.<ext>`); empty: none.
    #[field(default = String::new())]
    pub cover: String,
    /// Which button: "preview", "save" or "publish".
    #[field(default = String::new())]
    pub action: String,
    /// "Notify followers": tell the story's followers about this save.
    #[field(default = false)]
    pub notify: bool,
    /// What the followers are told; a sentence naming the story if empty.
    #[field(default = String::new())]
    pub note: String,
    /// When to publish, for "schedule": `YYYY-MM-DDTHH:MM`, UTC (what a
    /// `datetime-local` field sends).
    #[field(default = String::new())]
    pub publish_at: String,
}

/// What the editor's buttons ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Show the rendered story, save nothing.
    Preview,
    /// Save, keeping the story's published state (a new story is a draft).
    Save,
    /// Save and publish.
    Publish,
    /// Save, and publish by itself at `publish_at`.
    Schedule,
}

impl StoryForm {
    pub fn action(&self) -> Action {
        match self.action.as_str() {
            "preview" => Action::Preview,
            "publish" => Action::Publish,
            "schedule" => Action::Schedule,
            _ => Action::Save,
        }
    }

    /// The form with surrounding blanks trimmed from the one-line fields.
    pub fn trimmed(mut self) -> StoryForm {
        self.title = self.title.trim().to_string();
        self.slug = self.slug.trim().to_string();
        self.summary = self.summary.trim().to_string();
        self.cover = self.cover.trim().to_string();
        self.note = self.note.trim().to_string();
        self.publish_at = self.publish_at.trim().to_string();
        self
    }

    /// What followers are told when "Notify followers" is ticked.
    pub fn notice_text(&self) -> String {
        match self.note.as_str() {
            "" => format!("“{}” was updated.", self.title),
            note => note.to_string(),
        }
    }

    /// The publishing time asked for, as Unix seconds; why not, in words
    /// for the editor, if it is not a time after `now`.
    pub fn publish_time(&self, now: i64) -> Result<i64, String> {
        let at = PrimitiveDateTime::parse(&self.publish_at, LOCAL_MINUTES)
            .or_else(|_| PrimitiveDateTime::parse(&self.publish_at, LOCAL_SECONDS))
            .map(|time| time.assume_utc().unix_timestamp())
            .map_err(|_| "Give the date and time (UTC) to publish at.".to_string())?;
        if at <= now {
            return Err("That time has passed: give a later one, or publish now.".into());
        }
        Ok(at)
    }

    /// Why the form cannot be saved, in words for the editor.
    pub fn problem(&self) -> Option<String> {
        let title_chars = self.title.chars().count();
        if title_chars == 0 {
            return Some("A story needs a title.".into());
        }
        if title_chars > TITLE_MAX {
            return Some(format!(
                "A title has at most {TITLE_MAX} characters; this one has {title_chars}."
            ));
        }
        let summary_chars = self.summary.chars().count();
        if summary_chars > SUMMARY_MAX {
            return Some(format!(
                "A summary has at most {SUMMARY_MAX} characters; this one has {summary_chars}."
            ));
        }
        if self.body.len() > BODY_MAX_BYTES {
            return Some(format!(
                "A story has at most 1 MB of text; this one has {:.2} MB.",
                self.body.len() as f64 / 1e6
            ));
        }
        if !self.cover.is_empty() && crate::images::parse_path(&self.cover).is_none() {
            return Some(
                "The cover is the address of an image uploaded to Folio, such as \
                 /images/….png: upload one, or leave the field empty."
                    .into(),
            );
        }
        if !self.slug.is_empty() {
            if let Some(problem) = slugs::slug_problem(&self.slug) {
                return Some(problem);
            }
        }
        if self.notify && !self.note.is_empty() {
            return notifications::text_problem(&self.note)
                .map(|problem| format!("The note to followers: {problem}"));
        }
        None
    }
}
