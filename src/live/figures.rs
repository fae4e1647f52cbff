//! What the live engine carries to open pages: a story's figures, the
//! changes story lists receive, and a reader's inbox with the update that
//! changed it.

use std::borrow::Cow;
use std::sync::Arc;

use serde::Serialize;

use crate::ids::{StoryId, UpdateId};

/// What a story page shows live.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Figures {
    pub viewers: usize,
    pub reads: i64,
}

/// A changed figure of one story, as story lists receive it; absent fields
/// did not change.
#[derive(Debug, Clone, Serialize)]
pub struct ListFigures {
    pub id: StoryId,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub viewers: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reads: Option<i64>,
}

/// A batch of changes for story lists.
pub type ListBatch = Arc<[ListFigures]>;

/// What story lists hear.
#[derive(Debug, Clone)]
pub enum ListMessage {
    /// Some stories' figures changed.
    Figures(ListBatch),
    /// Stories were published, unpublished, renamed or deleted: the list
    /// itself changed.
    Changed,
}

/// An update as an in-page notice shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Notice {
    pub id: UpdateId,
    pub story_id: StoryId,
    pub story: String,
    pub url: String,
    pub kind: Cow<'static, str>,
    pub text: String,
}

/// What a reader's open pages show about their inbox.
#[derive(Debug, Clone, Default)]
pub struct Inbox {
    pub unread: i64,
    /// Rises with every change; of two states the higher version is newer.
    pub version: i64,
    /// Whether pages show notices as updates arrive.
    pub live_notices: bool,
    /// The update that brought this change, if one did.
    pub notice: Option<Arc<Notice>>,
}

impl Inbox {
    /// Replaces `self` with `newer` if it is newer, or the same state with
    /// the notice that brought it (a page that caught up on opening may get
    /// the state before the push that carries its notice); true if it did.
    pub fn advance(&mut self, newer: Inbox) -> bool {
        let adds_notice =
            newer.version == self.version && newer.notice.is_some() && self.notice.is_none();
        if newer.version <= self.version && !adds_notice {
            return false;
        }
        *self = newer;
        true
    }

    /// The same state without the update that brought it.
    pub fn without_notice(self) -> Inbox {
        Inbox {
            notice: None,
            ..self
        }
    }
}
