//! Request guards that carry authorization: a handler that takes
//! `CurrentUser` cannot run for a visitor who is not logged in.

use std::ops::Deref;
use std::sync::Arc;

use rocket::outcome::Outcome;
use rocket::request::{self, FromRequest, Request};
use rocket::State;
use serde::Serialize;

use super::csrf::CsrfToken;
use super::sessions::{SessionUser, Sessions};
use crate::db::Db;
use crate::error::{stash, Error};
use crate::notifications::{Inboxes, ReaderState};

/// A logged-in user. Without a valid session the request fails with
/// `Error::LoginRequired`: pages redirect to the login form and come back
/// afterwards, the API answers 401.
#[derive(Debug, Clone)]
pub struct CurrentUser(pub SessionUser);

impl Deref for CurrentUser {
    type Target = SessionUser;
    fn deref(&self) -> &SessionUser {
        &self.0
    }
}

/// The session lookup of this request, done at most once.
struct Lookup(Option<SessionUser>);

async fn lookup<'r>(req: &'r Request<'_>) -> &'r Lookup {
    req.local_cache_async(async {
        let user = match (
            req.guard::<&State<Sessions>>().await,
            req.rocket().state::<Db>(),
        ) {
            (Outcome::Success(sessions), Some(db)) => {
                sessions.current(db.pool(), req.cookies()).await
            }
            _ => Err(Error::Internal("sessions are not set up".into())),
        };
        match user {
            Ok(user) => Lookup(user),
            Err(e) => {
                rocket::error!("session lookup failed: {e}");
                Lookup(None)
            }
        }
    })
    .await
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for CurrentUser {
    type Error = ();

    async fn from_request(req: &'r Request<'_>) -> request::Outcome<Self, ()> {
        match &lookup(req).await.0 {
            Some(user) => Outcome::Success(CurrentUser(user.clone())),
            None => Outcome::Error((stash(req, Error::LoginRequired), ())),
        }
    }
}

/// What every page's frame needs: who is logged in (for the navigation bar)
/// and the CSRF token (for the logout button).
#[derive(Debug, Clone, Serialize)]
pub struct Layout {
    pub user: Option<LayoutUser>,
    pub csrf_token: String,
    /// The reader's inbox state, as read for the badge: pages that show
    /// follows use it rather than look it up again.
    #[serde(skip)]
    pub inbox: Option<Arc<ReaderState>>,
}

/// The logged-in user as the navigation bar shows them.
#[derive(Debug, Clone, Serialize)]
pub struct LayoutUser {
    pub username: String,
    pub is_admin: bool,
    /// The unread badge: the number of unread notifications, empty for none.
    pub badge: String,
}

impl Layout {
    fn new(
        user: Option<&SessionUser>,
        inbox: Option<Arc<ReaderState>>,
        csrf_token: String,
    ) -> Layout {
        Layout {
            user: user.map(|u| LayoutUser {
                username: u.username.clone(),
                is_admin: u.is_admin,
                badge: match inbox.as_ref().map_or(0, |i| i.unread) {
                    0 => String::new(),
                    unread => unread.to_string(),
                },
            }),
            csrf_token,
            inbox,
        }
    }

    /// The layout as far as this request already knows it, without waiting
    /// on anything: for error pages, which render after the guards ran.
    pub fn peek(req: &Request<'_>) -> Layout {
        let user = req.local_cache(|| Lookup(None)).0.as_ref();
        let inbox = user.and_then(|user| {
            let inboxes = req.rocket().state::<Inboxes>()?;
            inboxes.peek(user.user_id)
        });
        let token = CsrfToken::peek(req.cookies()).unwrap_or_default();
        Layout::new(user, inbox, token)
    }
}

/// The reader's inbox state for the badge; none if it cannot be read (the
/// page still shows, without a count).
async fn inbox(req: &Request<'_>, user: &SessionUser) -> Option<Arc<ReaderState>> {
    let inboxes = req.rocket().state::<Inboxes>()?;
    let db = req.rocket().state::<Db>()?;
    match inboxes.get(db.pool(), user.user_id).await {
        Ok(state) => Some(state),
        Err(e) => {
            rocket::error!("could not read the inbox of user {}: {e}", user.user_id);
            None
        }
    }
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Layout {
    type Error = std::convert::Infallible;

    async fn from_request(req: &'r Request<'_>) -> request::Outcome<Self, Self::Error> {
        let user = lookup(req).await.0.as_ref();
        let inbox = match user {
            Some(user) => inbox(req, user).await,
            None => None,
        };
        Outcome::Success(Layout::new(user, inbox, CsrfToken::of(req).0))
    }
}
