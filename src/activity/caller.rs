//! Who is calling the activity-log API: a script with an API token, or a
//! logged-in reader's own pages.

use rocket::outcome::Outcome;
use rocket::request::{self, FromRequest, Request};

use super::namespace::Namespace;
use super::tokens::ApiTokens;
use crate::auth::{CurrentUser, SessionUser};
use crate::db::Db;
use crate::error::{stash, Error};
use crate::ids::TokenId;

/// The caller of the activity-log API. Without a valid API token or a
/// session the request fails with 401 and a JSON body.
pub enum Caller {
    /// `Authorization: Bearer <token>`: posts for any outside id, reads
    /// everything (every namespace).
    Token(TokenId),
    /// A logged-in reader: posts into their own account, reads only that
    /// (an admin reads everything).
    Reader(SessionUser),
}

impl Caller {
    /// Where what this caller posts is stored.
    pub fn namespace(&self) -> Namespace {
        match self {
            Caller::Token(_) => Namespace::Outside,
            Caller::Reader(reader) => Namespace::Account(reader.user_id),
        }
    }
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Caller {
    type Error = ();

    async fn from_request(req: &'r Request<'_>) -> request::Outcome<Self, ()> {
        if let Some(header) = req.headers().get_one("Authorization") {
            // A token that is wrong is an error, not a reason to try the
            // session instead.
            return match by_token(req, header).await {
                Ok(id) => Outcome::Success(Caller::Token(id)),
                Err(e) => Outcome::Error((stash(req, e), ())),
            };
        }
        match req.guard::<CurrentUser>().await {
            Outcome::Success(user) => Outcome::Success(Caller::Reader(user.0)),
            _ => {
                let error = Error::Unauthorized(
                    "Log in, or send an API token as Authorization: Bearer <token>.".into(),
                );
                Outcome::Error((stash(req, error), ()))
            }
        }
    }
}

async fn by_token(req: &Request<'_>, header: &str) -> Result<TokenId, Error> {
    // The scheme's name is case-insensitive.
    let token = header
        .split_once(' ')
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim())
        .ok_or_else(|| {
            Error::Unauthorized("Send the API token as Authorization: Bearer <token>.".into())
        })?;
    let (Some(tokens), Some(db)) = (
        req.rocket().state::<ApiTokens>(),
        req.rocket().state::<Db>(),
    ) else {
        return Err(Error::internal("API tokens are not set up"));
    };
    tokens
        .check(db.pool(), token)
        .await?
        .ok_or_else(|| Error::Unauthorized("That API token is not valid, or was revoked.".into()))
}
