//! SQL put together piece by piece, for queries whose conditions depend on
//! the request. sqlx's own builder writes `?` for every engine; this one
//! numbers its placeholders (`$1`, `$2`, …), which both engines read.

use std::fmt::Write;

use sqlx::any::{Any, AnyArguments};
use sqlx::{Arguments, Encode, Type};

/// A query's text and its bound values, in step.
#[derive(Default)]
pub struct Sql<'q> {
    text: String,
    args: AnyArguments<'q>,
    count: usize,
    rows: usize,
}

impl<'q> Sql<'q> {
    pub fn new(text: &str) -> Self {
        Sql {
            text: text.to_string(),
            ..Sql::default()
        }
    }

    /// Adds text as it is.
    pub fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    /// Opens the next row of a multi-row `VALUES` list: `(`, then `, (`.
    /// The caller binds the row's values and closes it with `)`.
    pub fn row(&mut self) -> &mut Self {
        self.rows += 1;
        self.push(if self.rows == 1 { "(" } else { ", (" })
    }

    /// Adds a placeholder for `value`.
    pub fn bind<T>(&mut self, value: T) -> &mut Self
    where
        T: 'q + Send + Encode<'q, Any> + Type<Any>,
    {
        self.count += 1;
        self.args.add(value);
        let _ = write!(self.text, "${}", self.count);
        self
    }

    /// The text and the values, for `sqlx::query_with` and its kin.
    pub fn into_parts(self) -> (String, AnyArguments<'q>) {
        (self.text, self.args)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_in_order() {
        let mut sql = Sql::new("SELECT 1 WHERE TRUE");
        sql.push(" AND a = ")
            .bind(1_i64)
            .push(" AND b = ")
            .bind("x");
        let (text, _) = sql.into_parts();
        assert_eq!(text, "SELECT 1 WHERE TRUE AND a = $1 AND b = $2");
    }

    #[test]
    fn rows_are_separated_by_commas() {
        let mut sql = Sql::new("INSERT INTO t (a) VALUES ");
        for n in 0..3_i64 {
            sql.row().bind(n).push(")");
        }
        let (text, _) = sql.into_parts();
        assert_eq!(text, "INSERT INTO t (a) VALUES ($1), ($2), ($3)");
    }
}
