//! The lines of the story list as HTML. Tera renders every line from
//! `stories/card.html`, escaped like any template. Rendering twenty lines
//! costs far more than the rest of the page, so the first page, which most
//! visitors see, keeps its lines rendered once per change to the stories:
//! with marks where what changes by the second goes (the relative date,
//! the figures), in each state of the follow button. A request only fills
//! the marks in (see [`crate::web::marked`]).

use std::borrow::Cow;

use rocket_dyn_templates::{context, Metadata};

use super::cards::Card;
use crate::error::{Error, Result};
use crate::web::marked::{mark, Marked};
use crate::web::times;

/// What a line shows that changes from one request to the next.
pub struct Live<'a> {
    pub ago: Cow<'a, str>,
    pub viewers: Cow<'a, str>,
    pub reads: Cow<'a, str>,
    pub reads_label: Cow<'a, str>,
    /// "" (a visitor: no button), "follow" or "unfollow".
    pub button: &'a str,
}

impl Live<'static> {
    /// The figures as they are now.
    pub fn now(card: &Card, viewers: usize, now: i64, button: &'static str) -> Live<'static> {
        let reads = card.read_count();
        Live {
            ago: times::ago(card.published_at, now).into(),
            viewers: viewers.to_string().into(),
            reads: reads.to_string().into(),
            reads_label: if reads == 1 { "read" } else { "reads" }.into(),
            button,
        }
    }

    /// Marks in place of the figures, to fill in later.
    fn marks(button: &'static str) -> Live<'static> {
        Live {
            ago: mark(SLOTS[0]).into(),
            viewers: mark(SLOTS[1]).into(),
            reads: mark(SLOTS[2]).into(),
            reads_label: mark(SLOTS[3]).into(),
            button,
        }
    }
}

/// The slots of a line, in the order [`Line::fill`] fills them.
const SLOTS: [&str; 4] = ["ago", "viewers", "reads", "reads-label"];

/// A line rendered with marks, cut at them.
pub struct Line(Marked);

impl Line {
    /// Appends the line to `out` with `live` in place of its marks.
    pub fn fill(&self, out: &mut String, live: &Live<'_>) {
        self.0.fill(
            out,
            &[&live.ago, &live.viewers, &live.reads, &live.reads_label],
        );
    }
}

/// A card's line in each state of its follow button.
pub struct Lines {
    pub visitor: Line,
    pub follow: Line,
    pub unfollow: Line,
}

impl Lines {
    pub fn render(card: &Card, templates: &Metadata<'_>) -> Result<Lines> {
        let line = |button: &'static str| -> Result<Line> {
            let story = card.item(Live::marks(button));
            let (_, html) = templates
                .render("stories/card.html", context! { story })
                .ok_or_else(|| Error::internal("the story list's line did not render"))?;
            Ok(Line(Marked::parse(&html, &SLOTS)))
        };
        Ok(Lines {
            visitor: line("")?,
            follow: line("follow")?,
            unfollow: line("unfollow")?,
        })
    }

    /// The line for a reader who follows the story (`Some(true)`), does
    /// not (`Some(false)`), or a visitor.
    pub fn for_reader(&self, following: Option<bool>) -> &Line {
        match following {
            None => &self.visitor,
            Some(false) => &self.follow,
            Some(true) => &self.unfollow,
        }
    }
}
