//! Pages (or parts of pages) rendered once and filled in many times.
//! Rendering with Tera costs far more than sending the result, so a page
//! whose shape changes rarely (with the story, the catalogue) is rendered
//! once with marks where what changes per request goes (a token, a count, a
//! relative date), cut at the marks, and each request only fills them in.
//!
//! A mark is `@@<nonce>:<name>@@` with a nonce drawn when Folio starts: no
//! stored text can make one, and Tera's escaping leaves it as it is, so a
//! mark works in an attribute as well as in text. What fills a mark is
//! written as given: the caller escapes it (see [`escaped`]).

use std::borrow::Cow;
use std::sync::OnceLock;

use rocket_dyn_templates::tera;

use crate::util::random_token;

fn nonce() -> &'static str {
    static NONCE: OnceLock<String> = OnceLock::new();
    NONCE.get_or_init(|| random_token()[..16].to_string())
}

/// The mark of the slot `name`, to render in its place.
pub fn mark(name: &str) -> String {
    format!("@@{}:{name}@@", nonce())
}

/// `text` escaped for HTML, as Tera escapes what it prints.
pub fn escaped(text: &str) -> Cow<'_, str> {
    if text.bytes().any(|b| b"&<>\"'/".contains(&b)) {
        tera::escape_html(text).into()
    } else {
        text.into()
    }
}

enum Piece {
    Text(Box<str>),
    Slot(usize),
}

/// Rendered HTML cut at its marks.
pub struct Marked {
    pieces: Vec<Piece>,
    text_len: usize,
}

impl Marked {
    /// Cuts `html` at the marks of `slots` (slot `i` is named `slots[i]`).
    /// A mark of another name stays as text.
    pub fn parse(html: &str, slots: &[&str]) -> Marked {
        let prefix = format!("@@{}:", nonce());
        let mut pieces = Vec::new();
        let mut rest = html;
        let mut text = String::new();
        while let Some(at) = rest.find(&prefix) {
            let after = &rest[at + prefix.len()..];
            let slot = after.find("@@").and_then(|end| {
                let name = &after[..end];
                Some((slots.iter().position(|slot| *slot == name)?, end))
            });
            let Some((slot, end)) = slot else {
                text.push_str(&rest[..at + prefix.len()]);
                rest = after;
                continue;
            };
            text.push_str(&rest[..at]);
            pieces.push(Piece::Text(std::mem::take(&mut text).into()));
            pieces.push(Piece::Slot(slot));
            rest = &after[end + 2..];
        }
        text.push_str(rest);
        pieces.push(Piece::Text(text.into()));
        let text_len = pieces
            .iter()
            .map(|piece| match piece {
                Piece::Text(text) => text.len(),
                Piece::Slot(_) => 0,
            })
            .sum();
        Marked { pieces, text_len }
    }

    /// The length of the text around the marks.
    pub fn text_len(&self) -> usize {
        self.text_len
    }

    /// Appends the HTML to `out` with `values[i]` in place of slot `i`'s
    /// marks (nothing for a slot without a value).
    pub fn fill(&self, out: &mut String, values: &[&str]) {
        for piece in &self.pieces {
            match piece {
                Piece::Text(text) => out.push_str(text),
                Piece::Slot(slot) => out.push_str(values.get(*slot).copied().unwrap_or_default()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_are_filled_in_and_other_text_kept() {
        let html = format!(
            "<p title=\"{}\">{} @@x:y@@ {}{}</p>{}",
            mark("a"),
            mark("b"),
            mark("a"),
            mark("other"),
            mark("b")
        );
        let marked = Marked::parse(&html, &["a", "b"]);
        let mut out = String::new();
        marked.fill(&mut out, &["1", "two"]);
        assert_eq!(
            out,
            format!("<p title=\"1\">two @@x:y@@ 1{}</p>two", mark("other"))
        );
    }

    #[test]
    fn escaping_matches_tera() {
        assert_eq!(escaped("plain"), "plain");
        assert_eq!(escaped("<b>&'/\""), "&lt;b&gt;&amp;&#x27;&#x2F;&quot;");
    }
}
