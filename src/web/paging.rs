//! Long lists a page at a time: a query asks for one row more than a page
//! holds, and that row's presence says whether there is a next page.

use crate::error::{Error, Result};

/// One page of rows, and the cursor of the next page if there is one.
pub struct Page<T> {
    pub rows: Vec<T>,
    pub next: Option<String>,
}

impl<T> Page<T> {
    /// The first `size` of `rows` (fetched with `size + 1` as the limit);
    /// `cursor` makes the next page's cursor from the last row shown.
    pub fn of(mut rows: Vec<T>, size: usize, cursor: impl Fn(&T) -> String) -> Page<T> {
        let more = rows.len() > size;
        rows.truncate(size);
        let next = rows.last().filter(|_| more).map(cursor);
        Page { rows, next }
    }
}

/// A cursor from a page link: `None` for the first page (no cursor, or an
/// empty one), 400 for one that does not parse.
pub fn cursor<T>(given: Option<&str>, parse: impl Fn(&str) -> Option<T>) -> Result<Option<T>> {
    match given {
        None | Some("") => Ok(None),
        Some(text) => parse(text)
            .map(Some)
            .ok_or_else(|| Error::BadRequest("That page link is not valid.".into())),
    }
}
