//! The guard that carries authentication: a handler that takes
//! `CurrentUser` cannot run for a visitor who is not logged in.

use std::ops::Deref;

use rocket::outcome::Outcome;
use rocket::request::{self, FromRequest, Request};
use rocket::State;

use super::sessions::{SessionUser, Sessions};
use crate::db::Db;
use crate::error::{stash, Error};

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

/// The logged-in user of this request, if any: looked up once, then
/// remembered for the rest of the request.
pub async fn session_user<'r>(req: &'r Request<'_>) -> Option<&'r SessionUser> {
    let lookup = req
        .local_cache_async(async {
            let user = match (
                req.guard::<&State<Sessions>>().await,
                req.rocket().state::<Db>(),
            ) {
                (Outcome::Success(sessions), Some(db)) => {
                    sessions.current(db.pool(), req.cookies()).await
                }
                _ => Err(Error::internal("sessions are not set up")),
            };
            match user {
                Ok(user) => Lookup(user),
                Err(e) => {
                    rocket::error!("session lookup failed: {e}");
                    Lookup(None)
                }
            }
        })
        .await;
    lookup.0.as_ref()
}

/// The logged-in user as far as this request already knows, without
/// waiting on anything: for error pages, which render after the guards ran.
pub fn known_session_user<'r>(req: &'r Request<'_>) -> Option<&'r SessionUser> {
    req.local_cache(|| Lookup(None)).0.as_ref()
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for CurrentUser {
    type Error = ();

    async fn from_request(req: &'r Request<'_>) -> request::Outcome<Self, ()> {
        match session_user(req).await {
            Some(user) => Outcome::Success(CurrentUser(user.clone())),
            None => Outcome::Error((stash(req, Error::LoginRequired), ())),
        }
    }
}
