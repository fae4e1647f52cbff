//! What the nodes tell each other over one Redis channel: figures that
//! changed, story lists to fetch again, inbox states and posted updates.
//! Each message names the node that sent it, which ignores its own.

use std::borrow::Cow;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::ids::{StoryId, UpdateId, UserId};
use crate::live::{Forget, Inbox, Notice};

/// The channel every node publishes on and listens to.
pub const CHANNEL: &str = "folio:live";

/// A message and its sender.
#[derive(Debug, Serialize, Deserialize)]
pub struct Envelope {
    pub node: String,
    #[serde(flatten)]
    pub message: Message,
}

/// One change, as another node needs it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "t", rename_all = "snake_case")]
pub enum Message {
    /// A story's viewers changed: count them again.
    Viewers { story: StoryId },
    /// A story's read counter rose.
    Reads { story: StoryId, count: i64 },
    /// The story list itself changed.
    List,
    /// A reader's inbox changed.
    Inbox { user: UserId, inbox: WireInbox },
    /// An update was posted.
    Posted { notice: WireNotice },
    /// Something to forget from the caches.
    Forget { forget: Forget },
}

/// An inbox state on the wire.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WireInbox {
    pub unread: i64,
    pub version: i64,
    pub live_notices: bool,
    pub notice: Option<WireNotice>,
}

/// A notice on the wire.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WireNotice {
    pub id: UpdateId,
    pub story_id: StoryId,
    pub story: String,
    pub url: String,
    pub kind: String,
    pub text: String,
}

impl From<&Notice> for WireNotice {
    fn from(notice: &Notice) -> WireNotice {
        WireNotice {
            id: notice.id,
            story_id: notice.story_id,
            story: notice.story.clone(),
            url: notice.url.clone(),
            kind: notice.kind.to_string(),
            text: notice.text.clone(),
        }
    }
}

impl From<WireNotice> for Notice {
    fn from(notice: WireNotice) -> Notice {
        Notice {
            id: notice.id,
            story_id: notice.story_id,
            story: notice.story,
            url: notice.url,
            kind: Cow::Owned(notice.kind),
            text: notice.text,
        }
    }
}

impl From<&Inbox> for WireInbox {
    fn from(inbox: &Inbox) -> WireInbox {
        WireInbox {
            unread: inbox.unread,
            version: inbox.version,
            live_notices: inbox.live_notices,
            notice: inbox.notice.as_deref().map(WireNotice::from),
        }
    }
}

impl From<WireInbox> for Inbox {
    fn from(inbox: WireInbox) -> Inbox {
        Inbox {
            unread: inbox.unread,
            version: inbox.version,
            live_notices: inbox.live_notices,
            notice: inbox.notice.map(|notice| Arc::new(notice.into())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_inbox_with_its_notice_crosses_the_wire_unchanged() {
        let notice = Notice {
            id: UpdateId(7),
            story_id: StoryId(3),
            story: "Seat 14".into(),
            url: "/stories/seat-14".into(),
            kind: Cow::Borrowed("chapter"),
            text: "Chapter two".into(),
        };
        let inbox = Inbox {
            unread: 2,
            version: 9,
            live_notices: true,
            notice: Some(Arc::new(notice)),
        };
        let sent = Envelope {
            node: "a".into(),
            message: Message::Inbox {
                user: UserId(5),
                inbox: WireInbox::from(&inbox),
            },
        };
        let text = serde_json::to_string(&sent).expect("json");
        let got: Envelope = serde_json::from_str(&text).expect("an envelope");
        let Message::Inbox { user, inbox: got } = got.message else {
            panic!("not an inbox: {text}");
        };
        let got = Inbox::from(got);
        assert_eq!(
            (user, got.unread, got.version, got.live_notices),
            (UserId(5), 2, 9, true)
        );
        let notice = got.notice.expect("the notice");
        assert_eq!(
            (notice.kind.as_ref(), notice.text.as_str()),
            ("chapter", "Chapter two")
        );
    }
}
