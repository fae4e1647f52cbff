//! Story bodies: Markdown rendered to HTML, then sanitised, so a story can
//! hold any Markdown but never a script.

use pulldown_cmark::{html, Options, Parser};

/// Safe HTML for a Markdown story body.
pub fn render(markdown: &str) -> String {
    // No footnotes: their links rely on ids, which sanitising removes (ids in
    // a story could also collide with the page's own).
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_SMART_PUNCTUATION;
    let mut unsafe_html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut unsafe_html, Parser::new_ext(markdown, options));
    ammonia::clean(&unsafe_html)
}
