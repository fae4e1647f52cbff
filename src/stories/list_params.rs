//! What the story list's address asks for: an order (`?sort=`), a search
//! (`?q=`) and a page (`?after=` or `?before=` a cursor).
//!
//! Cursors name the last (or first) story shown by its place in the order,
//! not by a position, so a page link keeps meaning the same stories when
//! new ones are published: `n<published_at>.<id>` (newest), `r<reads>.<id>`
//! (most read), `v<viewers>.<id>` (reading now). Search results are ranked
//! by relevance, which moves with every change to the index; they page by
//! offset: `s<offset>`.

use crate::error::{Error, Result};

/// The orders of the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    Newest,
    MostRead,
    ReadingNow,
}

impl Sort {
    pub fn parse(given: Option<&str>) -> Result<Sort> {
        match given.unwrap_or("") {
            "" | "newest" => Ok(Sort::Newest),
            "most-read" => Ok(Sort::MostRead),
            "reading-now" => Ok(Sort::ReadingNow),
            _ => Err(Error::BadRequest(
                "Stories can be sorted by newest (sort=newest), most read (sort=most-read) \
                 or reading now (sort=reading-now)."
                    .into(),
            )),
        }
    }

    /// The value of `?sort=` for this order.
    pub fn name(self) -> &'static str {
        match self {
            Sort::Newest => "newest",
            Sort::MostRead => "most-read",
            Sort::ReadingNow => "reading-now",
        }
    }

    fn letter(self) -> char {
        match self {
            Sort::Newest => 'n',
            Sort::MostRead => 'r',
            Sort::ReadingNow => 'v',
        }
    }
}

/// A story's place in a keyed order: (published_at, id), (read_count, id)
/// or (viewers, id), compared as a pair. Lists run from the highest key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Key {
    pub value: i64,
    pub id: i64,
}

impl Key {
    /// Above every story: the start of a list.
    pub const TOP: Key = Key {
        value: i64::MAX,
        id: i64::MAX,
    };

    /// The cursor of this key in `sort`.
    pub fn cursor(self, sort: Sort) -> String {
        format!("{}{}.{}", sort.letter(), self.value, self.id)
    }
}

/// Which page of a keyed order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Position {
    First,
    /// The stories after (below) this key.
    After(Key),
    /// The stories before (above) this key.
    Before(Key),
}

/// The cursor of search results from `offset`.
pub fn offset_cursor(offset: i64) -> String {
    format!("s{offset}")
}

fn invalid() -> Error {
    Error::BadRequest(
        "That page link is not valid (it may come from another order or search). \
         Start again from the first page."
            .into(),
    )
}

/// The page of a keyed order that `after` or `before` names.
pub fn position(sort: Sort, after: Option<&str>, before: Option<&str>) -> Result<Position> {
    let key = |text: &str| -> Result<Key> {
        let rest = text.strip_prefix(sort.letter()).ok_or_else(invalid)?;
        let (value, id) = rest.split_once('.').ok_or_else(invalid)?;
        Ok(Key {
            value: value.parse().map_err(|_| invalid())?,
            id: id.parse().map_err(|_| invalid())?,
        })
    };
    match (non_empty(after), non_empty(before)) {
        (None, None) => Ok(Position::First),
        (Some(after), None) => Ok(Position::After(key(after)?)),
        (None, Some(before)) => Ok(Position::Before(key(before)?)),
        (Some(_), Some(_)) => Err(invalid()),
    }
}

/// The offset of a page of search results.
pub fn offset(after: Option<&str>, before: Option<&str>) -> Result<i64> {
    if non_empty(before).is_some() {
        return Err(invalid());
    }
    match non_empty(after) {
        None => Ok(0),
        Some(text) => text
            .strip_prefix('s')
            .and_then(|n| n.parse::<u32>().ok())
            .map(i64::from)
            .ok_or_else(invalid),
    }
}

fn non_empty(given: Option<&str>) -> Option<&str> {
    given.filter(|text| !text.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_have_names_and_unknown_ones_are_refused() {
        for sort in [Sort::Newest, Sort::MostRead, Sort::ReadingNow] {
            assert_eq!(Sort::parse(Some(sort.name())).unwrap(), sort);
        }
        assert_eq!(Sort::parse(None).unwrap(), Sort::Newest);
        assert!(Sort::parse(Some("oldest")).is_err());
    }

    #[test]
    fn cursors_name_a_key_in_their_own_order() {
        let key = Key { value: 17, id: 42 };
        let cursor = key.cursor(Sort::MostRead);
        assert_eq!(cursor, "r17.42");
        assert_eq!(
            position(Sort::MostRead, Some(&cursor), None).unwrap(),
            Position::After(key)
        );
        assert_eq!(
            position(Sort::MostRead, None, Some(&cursor)).unwrap(),
            Position::Before(key)
        );
        assert_eq!(
            position(Sort::Newest, Some(""), None).unwrap(),
            Position::First
        );
        for bad in ["n17.42", "r17", "r17.x", "r.42", "17.42", "r1.2.3", "s20"] {
            assert!(position(Sort::MostRead, Some(bad), None).is_err(), "{bad}");
        }
        assert!(position(Sort::MostRead, Some(&cursor), Some(&cursor)).is_err());
    }

    #[test]
    fn search_pages_by_offset() {
        assert_eq!(offset(None, None).unwrap(), 0);
        assert_eq!(offset(Some(&offset_cursor(40)), None).unwrap(), 40);
        for bad in ["40", "s-1", "sx", "n1.2"] {
            assert!(offset(Some(bad), None).is_err(), "{bad}");
        }
        assert!(offset(None, Some("s20")).is_err());
    }
}
