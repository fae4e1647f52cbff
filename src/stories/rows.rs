//! The lines of the story list as HTML. Tera renders every line from
//! `stories/card.html`, escaped like any template. Rendering twenty lines
//! costs far more than the rest of the page, so the first page, which most
//! visitors see, keeps its lines rendered once per change to the stories:
//! with markers where what changes by the second goes (the relative date,
//! the figures), in each state of the follow button. A request only fills
//! the markers in. The markers are HTML comments: text from the database
//! is escaped, so it can never make one.

use std::borrow::Cow;

use rocket_dyn_templates::{context, Metadata};

use super::cards::Card;
use crate::error::{Error, Result};
use crate::web::times;

/// What a line shows that changes from one request to the next.
pub struct Live<'a> {
    pub ago: Cow<'a, str>,
    pub viewers: Cow<'a, str>,
    pub reads: Cow<'a, str>,
    pub reads_label: &'a str,
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
            reads_label: if reads == 1 { "read" } else { "reads" },
            button,
        }
    }

    /// Markers in place of the figures, to fill in later.
    fn markers(button: &'static str) -> Live<'static> {
        Live {
            ago: AGO.into(),
            viewers: VIEWERS.into(),
            reads: READS.into(),
            reads_label: READS_LABEL,
            button,
        }
    }
}

const AGO: &str = "<!--@ago-->";
const VIEWERS: &str = "<!--@viewers-->";
const READS: &str = "<!--@reads-->";
const READS_LABEL: &str = "<!--@reads-label-->";

enum Piece {
    Text(String),
    Ago,
    Viewers,
    Reads,
    ReadsLabel,
}

/// The marker `text` starts with: its length and what it stands for.
fn marker(text: &str) -> Option<(usize, Piece)> {
    let piece = match text {
        _ if text.starts_with(AGO) => (AGO.len(), Piece::Ago),
        _ if text.starts_with(VIEWERS) => (VIEWERS.len(), Piece::Viewers),
        _ if text.starts_with(READS_LABEL) => (READS_LABEL.len(), Piece::ReadsLabel),
        _ if text.starts_with(READS) => (READS.len(), Piece::Reads),
        _ => return None,
    };
    Some(piece)
}

/// A line rendered with markers, cut at them.
pub struct Line(Vec<Piece>);

impl Line {
    fn parse(mut html: &str) -> Line {
        let mut pieces = Vec::new();
        while let Some(at) = html.find("<!--@") {
            let Some((length, piece)) = marker(&html[at..]) else {
                // Not one of ours: text like any other.
                pieces.push(Piece::Text(html[..at + 5].to_string()));
                html = &html[at + 5..];
                continue;
            };
            pieces.push(Piece::Text(html[..at].to_string()));
            pieces.push(piece);
            html = &html[at + length..];
        }
        pieces.push(Piece::Text(html.to_string()));
        Line(pieces)
    }

    /// Appends the line to `out` with `live` in place of its markers.
    pub fn fill(&self, out: &mut String, live: &Live<'_>) {
        for piece in &self.0 {
            out.push_str(match piece {
                Piece::Text(text) => text,
                Piece::Ago => &live.ago,
                Piece::Viewers => &live.viewers,
                Piece::Reads => &live.reads,
                Piece::ReadsLabel => live.reads_label,
            });
        }
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
            let story = card.item(Live::markers(button));
            let (_, html) = templates
                .render("stories/card.html", context! { story })
                .ok_or_else(|| Error::internal("the story list's line did not render"))?;
            Ok(Line::parse(&html))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_are_filled_in_and_other_comments_kept() {
        let line = Line::parse(&format!(
            "<li><!--@x-->{AGO}|{VIEWERS}|{READS} {READS_LABEL}</li>"
        ));
        let mut out = String::new();
        let live = Live {
            ago: "3 days ago".into(),
            viewers: "2".into(),
            reads: "1".into(),
            reads_label: "read",
            button: "",
        };
        line.fill(&mut out, &live);
        assert_eq!(out, "<li><!--@x-->3 days ago|2|1 read</li>");
    }
}
