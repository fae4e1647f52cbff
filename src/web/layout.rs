//! The frame of every page: who is logged in (for the navigation bar, with
//! the unread badge) and the CSRF token (for the logout button).

use std::borrow::Cow;
use std::sync::Arc;

use rocket::outcome::Outcome;
use rocket::request::{self, FromRequest, Request};
use serde::Serialize;

use rocket::request::FlashMessage;

use super::marked::{escaped, mark};
use crate::auth::{known_session_user, session_user, CsrfToken, SessionUser, Sessions, Tickets};
use crate::ids::UserId;

/// The slots of a marked layout: see [`Layout::marked`].
pub const LAYOUT_SLOTS: [&str; 4] = ["csrf", "username", "badge", "said"];

/// What every page's frame needs; a guard that never fails.
#[derive(Debug, Clone, Serialize)]
pub struct Layout {
    pub user: Option<LayoutUser>,
    pub csrf_token: String,
    /// What the action before this page did (a flash message), as HTML:
    /// empty for none.
    pub said: String,
}

/// The logged-in user as the navigation bar shows them.
#[derive(Debug, Clone, Serialize)]
pub struct LayoutUser {
    pub username: String,
    pub is_admin: bool,
    /// The unread badge: the number of unread notifications, empty for none.
    pub badge: String,
}

/// Where the frame learns a reader's unread count. The notifications sit
/// above the frame, so they implement this and `lib.rs` manages it as
/// [`Badges`].
#[rocket::async_trait]
pub trait UnreadCounts: Send + Sync {
    /// `user`'s unread count; `None` if it cannot be read now (the page
    /// still shows, without a count).
    async fn unread(&self, user: UserId) -> Option<i64>;

    /// `user`'s unread count if it is known without waiting: for error pages.
    fn unread_if_known(&self, user: UserId) -> Option<i64>;
}

/// The unread counts, as Rocket manages them.
pub type Badges = Arc<dyn UnreadCounts>;

impl Layout {
    fn new(
        user: Option<&SessionUser>,
        unread: Option<i64>,
        csrf_token: String,
        said: Option<FlashMessage<'_>>,
    ) -> Layout {
        Layout {
            user: user.map(|u| LayoutUser {
                username: u.username.clone(),
                is_admin: u.is_admin,
                badge: match unread.unwrap_or(0) {
                    0 => String::new(),
                    unread => unread.to_string(),
                },
            }),
            csrf_token,
            said: said
                .map(|flash| said_html(flash.kind(), flash.message()))
                .unwrap_or_default(),
        }
    }

    /// A layout with marks for what differs between readers of the same
    /// kind (a visitor, or a reader who is an admin or not): for a kept
    /// shell (see [`super::shells`]), filled with [`Layout::values`].
    pub fn marked(admin: Option<bool>) -> Layout {
        Layout {
            user: admin.map(|is_admin| LayoutUser {
                username: mark(LAYOUT_SLOTS[1]),
                is_admin,
                badge: mark(LAYOUT_SLOTS[2]),
            }),
            csrf_token: mark(LAYOUT_SLOTS[0]),
            said: mark(LAYOUT_SLOTS[3]),
        }
    }

    /// Whether this is a visitor's (`None`) or an admin's frame.
    pub fn admin(&self) -> Option<bool> {
        self.user.as_ref().map(|user| user.is_admin)
    }

    /// What fills the marks of [`Layout::marked`], escaped, in the order of
    /// [`LAYOUT_SLOTS`].
    pub fn values(&self) -> [Cow<'_, str>; 4] {
        let user = self.user.as_ref();
        [
            escaped(&self.csrf_token),
            escaped(user.map_or("", |user| &user.username)),
            user.map_or("", |user| &user.badge).into(),
            self.said.as_str().into(),
        ]
    }

    /// The layout as far as this request already knows it, without waiting
    /// on anything: for error pages, which render after the guards ran.
    pub fn peek(req: &Request<'_>) -> Layout {
        let user = known_session_user(req);
        let unread = user.and_then(|user| {
            let badges = req.rocket().state::<Badges>()?;
            badges.unread_if_known(user.user_id)
        });
        let token = CsrfToken::peek(req.cookies()).unwrap_or_default();
        Layout::new(user, unread, token, None)
    }
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Layout {
    type Error = std::convert::Infallible;

    async fn from_request(req: &'r Request<'_>) -> request::Outcome<Self, Self::Error> {
        let user = session_user(req).await;
        let mut unread = None;
        if let Some(user) = user {
            if let Some(badges) = req.rocket().state::<Badges>() {
                unread = badges.unread(user.user_id).await;
            }
        }
        // A page's live stream may go to the live listener, which knows the
        // reader by a stream ticket: one for this session (sessions from
        // before tickets get theirs here), and none without a session.
        if let Some(sessions) = req.rocket().state::<Sessions>() {
            match user {
                Some(user) => {
                    let secure = sessions.secure_cookies();
                    sessions.tickets().ensure(req.cookies(), user, secure);
                }
                None => Tickets::take_back(req.cookies()),
            }
        }
        let said = req
            .guard::<Option<FlashMessage<'_>>>()
            .await
            .succeeded()
            .flatten();
        Outcome::Success(Layout::new(user, unread, CsrfToken::of(req).0, said))
    }
}

/// A flash message as the frame shows it: a status line, green for what
/// was done, red for what was not.
fn said_html(kind: &str, message: &str) -> String {
    let class = if kind == "error" {
        "alert"
    } else {
        "notice-ok"
    };
    format!(
        "<p class=\"{class} said\" role=\"status\">{}</p>",
        escaped(message)
    )
}
