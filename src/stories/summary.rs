//! What a story's Markdown says about it in brief: the excerpt shown in the
//! list, feeds and sharing tags, and the reading time.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

/// Words a reader reads in a minute, as the reading time counts them.
pub const WORDS_PER_MINUTE: usize = 230;

/// The longest excerpt, in characters (an ellipsis marks a cut).
pub const EXCERPT_CHARS: usize = 240;

/// A story's excerpt and length.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Plain text of the first paragraph, cut at a word to at most
    /// [`EXCERPT_CHARS`] characters; empty if the story has no paragraph.
    pub excerpt: String,
    pub words: usize,
    /// At least one minute.
    pub reading_minutes: usize,
}

impl Summary {
    pub fn of(markdown: &str) -> Summary {
        let mut first = String::new();
        let mut in_paragraph = false;
        let mut first_done = false;
        let mut words = 0;
        let mut in_word = false;
        for event in Parser::new(markdown) {
            let text = match &event {
                Event::Start(Tag::Paragraph) => {
                    in_paragraph = true;
                    continue;
                }
                Event::End(TagEnd::Paragraph) => {
                    in_paragraph = false;
                    first_done |= !first.trim().is_empty();
                    in_word = false;
                    continue;
                }
                Event::Text(text) | Event::Code(text) => text.as_ref(),
                Event::SoftBreak | Event::HardBreak => " ",
                _ => {
                    in_word = false;
                    continue;
                }
            };
            for c in text.chars() {
                let letter = !c.is_whitespace();
                if letter && !in_word {
                    words += 1;
                }
                in_word = letter;
            }
            if in_paragraph && !first_done {
                first.push_str(text);
            }
        }
        Summary {
            excerpt: cut(&squeeze(&first), EXCERPT_CHARS),
            words,
            reading_minutes: words.div_ceil(WORDS_PER_MINUTE).max(1),
        }
    }
}

/// `text` with every run of white space made one space, trimmed.
fn squeeze(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `text` cut at a word boundary to at most `max` characters, the cut
/// marked with an ellipsis.
fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut end = 0;
    for (count, (i, c)) in text.char_indices().enumerate() {
        if count >= max {
            break;
        }
        if c == ' ' {
            end = i;
        }
    }
    if end == 0 {
        end = text
            .char_indices()
            .nth(max - 1)
            .map_or(text.len(), |(i, _)| i);
    }
    format!("{}…", text[..end].trim_end_matches([',', ';', ':', ' ']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_excerpt_is_the_first_paragraph_in_plain_text() {
        let summary =
            Summary::of("# Title\n\nThe *first* line\nwith `code`.\n\nA second paragraph.");
        assert_eq!(summary.excerpt, "The first line with code.");
        assert_eq!(summary.words, 9);
        assert_eq!(summary.reading_minutes, 1);
    }

    #[test]
    fn a_long_paragraph_is_cut_at_a_word() {
        let long = "word ".repeat(100);
        let summary = Summary::of(&long);
        assert!(summary.excerpt.ends_with("word…"), "{}", summary.excerpt);
        assert!(summary.excerpt.chars().count() <= EXCERPT_CHARS + 1);
        assert_eq!(summary.words, 100);
    }

    #[test]
    fn reading_time_rounds_up_by_the_minute() {
        let body = "a ".repeat(WORDS_PER_MINUTE * 3 + 1);
        assert_eq!(Summary::of(&body).reading_minutes, 4);
        assert_eq!(Summary::of("").reading_minutes, 1);
        assert_eq!(Summary::of("").excerpt, "");
    }

    #[test]
    fn a_word_longer_than_the_excerpt_is_cut_inside() {
        let summary = Summary::of(&"é".repeat(EXCERPT_CHARS * 2));
        assert_eq!(summary.excerpt.chars().count(), EXCERPT_CHARS);
    }
}
