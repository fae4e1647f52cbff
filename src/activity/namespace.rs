//! Whose an action is. Every action lives in one of two namespaces: a
//! reader's **account** (posted by their own pages, kept by account id, so
//! a name taken later inherits nothing), or **outside** (posted with an API
//! token for an id of the script's own, such as a customer number). The same
//! `userId` may exist in both; no reader's session ever reads outside.

use serde::Serialize;

use crate::ids::UserId;

/// The namespace a batch is stored in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Namespace {
    /// A reader's own actions.
    Account(UserId),
    /// Actions posted with an API token, for ids Folio does not know.
    Outside,
}

impl Namespace {
    /// The account, as stored in `actions.account_id` (NULL outside).
    pub fn account(self) -> Option<UserId> {
        match self {
            Namespace::Account(id) => Some(id),
            Namespace::Outside => None,
        }
    }
}

/// A namespace's name, as the API shows and filters it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Account,
    Outside,
}

impl Kind {
    /// `account` or `outside`, as a query gives it.
    pub fn parse(name: &str) -> Option<Kind> {
        match name {
            "account" => Some(Kind::Account),
            "outside" => Some(Kind::Outside),
            _ => None,
        }
    }
}
