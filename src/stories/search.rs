//! Full-text search over published stories, titles weighing more than
//! bodies, with the matches marked. On SQLite: FTS5, kept in step by
//! triggers (see the migration `story_list`) and ranked by bm25. On
//! PostgreSQL: a `tsvector` column kept by the database, ranked by
//! `ts_rank` and marked by `ts_headline`.
//!
//! Nothing a reader types reaches either engine as syntax: on SQLite each
//! word becomes a quoted prefix term, so `"`, `*`, `NEAR(` or `)` are only
//! characters to look for; on PostgreSQL the words are a plain text from
//! which the database takes its own lexemes, each quoted as a prefix.
//! Marked text comes back as parts that the template escapes; stored text is
//! never treated as HTML.

use serde::Serialize;
use sqlx::AnyPool;

use super::cards::{Card, CardRow, CARD_COLUMNS};
use crate::db::Backend;
use crate::error::Result;

/// The longest search Folio reads; the rest is ignored.
pub const QUERY_MAX_CHARS: usize = 200;
/// The most words looked for.
const TERMS_MAX: usize = 12;
/// How FTS5 marks a match: control characters, which Folio does not show.
const OPEN: char = '\u{2}';
const CLOSE: char = '\u{3}';
/// Stands for `<` in PostgreSQL's headlines (see [`postgres_search`]).
const LESS: char = '\u{1}';
/// Tokens in a passage around the matches.
const PASSAGE_TOKENS: u32 = 24;

/// The FTS5 query for what a reader typed: every word must occur, as a word
/// or the start of one. `None` when nothing typed can be looked for.
pub fn fts_query(typed: &str) -> Option<String> {
    let terms: Vec<String> = words(typed)?
        .iter()
        .map(|word| format!("\"{}\"*", word.replace('"', "\"\"")))
        .collect();
    Some(terms.join(" "))
}

/// The words looked for in what a reader typed; `None` when there are none.
pub fn words(typed: &str) -> Option<Vec<String>> {
    // Control characters (a NUL above all) could end the query early.
    let typed: String = typed
        .chars()
        .take(QUERY_MAX_CHARS)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let words: Vec<String> = typed
        .split_whitespace()
        // A word of punctuation alone has no token to look for.
        .filter(|word| word.chars().any(char::is_alphanumeric))
        .take(TERMS_MAX)
        .map(str::to_string)
        .collect();
    (!words.is_empty()).then_some(words)
}

/// A stretch of text, matched or not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Part {
    pub text: String,
    pub mark: bool,
}

/// What matched in a search result.
#[derive(Debug, Clone, Serialize)]
pub struct Found {
    /// The title, its matches marked.
    pub title: Vec<Part>,
    /// A passage of the body around its matches; `None` when the body did
    /// not match (the card shows its excerpt).
    pub passage: Option<Vec<Part>>,
}

/// `marked` (FTS5's output with OPEN/CLOSE around matches) as parts. Stray
/// markers, should stored text hold those characters, only open or close a
/// mark: every mark opened is closed.
pub fn parts(marked: &str) -> Vec<Part> {
    let mut parts = Vec::new();
    let mut text = String::new();
    let mut mark = false;
    for c in marked.chars() {
        let switch = match c {
            OPEN => !mark,
            CLOSE => mark,
            _ => {
                text.push(c);
                continue;
            }
        };
        if switch {
            if !text.is_empty() {
                parts.push(Part {
                    text: std::mem::take(&mut text),
                    mark,
                });
            }
            mark = !mark;
        }
    }
    if !text.is_empty() {
        parts.push(Part { text, mark });
    }
    parts
}

/// A passage of Markdown made easier to read: emphasis, code and heading
/// marks dropped, a link's address left out (its text stays).
fn plain(passage: &str) -> String {
    let mut out = String::with_capacity(passage.len());
    let mut chars = passage.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '*' | '`' | '#' | '[' => {}
            ']' if chars.peek() == Some(&'(') => {
                for c in chars.by_ref() {
                    if c == ')' {
                        break;
                    }
                }
            }
            ']' => {}
            _ => out.push(c),
        }
    }
    out
}

#[derive(sqlx::FromRow)]
struct Hit {
    #[sqlx(flatten)]
    card: CardRow,
    title_marked: Option<String>,
    passage: Option<String>,
}

/// Published stories with all of `words` (from [`words`]), best first:
/// `limit` of them from `offset`. Relevance moves as stories change, so
/// search pages by offset rather than by key.
pub async fn search(db: &AnyPool, words: &[String], offset: i64, limit: i64) -> Result<Vec<Card>> {
    let (sql, query) = match Backend::of(db) {
        Backend::Sqlite => (
            sqlite_search(),
            fts_query(&words.join(" ")).unwrap_or_default(),
        ),
        Backend::Postgres => (postgres_search(), words.join(" ")),
    };
    let hits: Vec<Hit> = sqlx::query_as(&sql)
        .bind(query)
        .bind(limit)
        .bind(offset)
        .fetch_all(db)
        .await?;
    Ok(hits
        .into_iter()
        .map(|hit| {
            let passage = hit
                .passage
                .filter(|passage| passage.contains(OPEN))
                .map(|passage| parts(&plain(&passage.replace(LESS, "<"))));
            let title = match hit.title_marked {
                Some(marked) => parts(&marked.replace(LESS, "<")),
                None => parts(&hit.card.title),
            };
            hit.card.card(Some(Found { title, passage }))
        })
        .collect())
}

/// The ranking runs on the index alone; only the page's rows are read from
/// stories and given a passage.
fn sqlite_search() -> String {
    format!(
        "WITH hits AS (
             SELECT rowid AS id, bm25(stories_search, 4.0, 1.0) AS score
             FROM stories_search WHERE stories_search MATCH $1
             ORDER BY score, rowid LIMIT $2 OFFSET $3
         )
         SELECT {CARD_COLUMNS},
             highlight(stories_search, 0, char(2), char(3)) AS title_marked,
             snippet(stories_search, 1, char(2), char(3), '…', {PASSAGE_TOKENS}) AS passage
         FROM hits
         CROSS JOIN stories_search ON stories_search.rowid = hits.id
         CROSS JOIN stories s ON s.id = hits.id
         LEFT JOIN users u ON u.id = s.author_id
         LEFT JOIN images ci ON ci.id = s.cover_image_id
         WHERE stories_search MATCH $1 AND s.published_at IS NOT NULL
         ORDER BY hits.score, hits.id"
    )
}

/// Each lexeme PostgreSQL finds in the words must occur, as a word or the
/// start of one; the marks are the same characters as on SQLite. Its
/// headlines drop what looks like an HTML tag, where SQLite's keep the text
/// as it is: so `<` goes in as [`LESS`] and comes back as itself.
fn postgres_search() -> String {
    let marks = "'StartSel=' || chr(2) || ', StopSel=' || chr(3)";
    format!(
        "WITH q AS (
             SELECT CAST(string_agg(quote_literal(lexeme) || ':*', ' & ') AS tsquery) AS q
             FROM unnest(to_tsvector('simple', $1))
         ), hits AS (
             SELECT s.id, ts_rank(s.search, q.q) AS score
             FROM stories s, q
             WHERE s.published_at IS NOT NULL AND s.search @@ q.q
             ORDER BY score DESC, s.id LIMIT $2 OFFSET $3
         )
         SELECT {CARD_COLUMNS},
             ts_headline('simple', replace(s.title, '<', chr(1)), q.q, {marks} || ', HighlightAll=true') AS title_marked,
             ts_headline('simple', replace(s.body, '<', chr(1)), q.q, {marks} || ', MaxWords={PASSAGE_TOKENS},
                 MinWords=8, ShortWord=0, MaxFragments=1, FragmentDelimiter=…') AS passage
         FROM hits CROSS JOIN q
         JOIN stories s ON s.id = hits.id
         LEFT JOIN users u ON u.id = s.author_id
         LEFT JOIN images ci ON ci.id = s.cover_image_id
         ORDER BY hits.score DESC, hits.id"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_is_a_quoted_prefix_and_syntax_stays_text() {
        assert_eq!(
            fts_query("night train").as_deref(),
            Some("\"night\"* \"train\"*")
        );
        assert_eq!(
            fts_query("say \"hi NEAR(a b)").as_deref(),
            Some("\"say\"* \"\"\"hi\"* \"NEAR(a\"* \"b)\"*")
        );
        assert_eq!(fts_query("a\0b").as_deref(), Some("\"a\"* \"b\"*"));
        for nothing in ["", "   ", "\"", "*", ")", "( * \" -"] {
            assert_eq!(fts_query(nothing), None, "{nothing:?}");
        }
        let many = "word ".repeat(100);
        assert_eq!(fts_query(&many).map(|q| q.matches('*').count()), Some(12));
    }

    #[test]
    fn marks_become_parts_and_always_close() {
        let text = |parts: &[Part]| -> Vec<(String, bool)> {
            parts.iter().map(|p| (p.text.clone(), p.mark)).collect()
        };
        assert_eq!(
            text(&parts("a \u{2}b\u{3} c")),
            [
                ("a ".into(), false),
                ("b".into(), true),
                (" c".into(), false)
            ]
        );
        // Stray markers from stored text: one mark, closed at the end.
        assert_eq!(
            text(&parts("\u{3}x\u{2}y\u{2}z")),
            [("x".into(), false), ("yz".into(), true)]
        );
    }

    #[test]
    fn passages_lose_markdown_marks() {
        assert_eq!(
            plain("## A *warm* [lamp](http://x.test/a) and `code`"),
            " A warm lamp and code"
        );
    }
}
