//! The identifiers of Folio's records as types of their own, so that a
//! story's id cannot be passed where a user's is expected (`post(story,
//! author)` takes a `StoryId` and a `UserId`, not two numbers). Each is
//! stored, sent and shown as the plain integer it wraps.

use std::fmt;

use rocket::request::FromParam;
use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
            sqlx::Type,
        )]
        #[serde(transparent)]
        #[sqlx(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        /// A path segment of digits; anything else does not match the route.
        impl<'a> FromParam<'a> for $name {
            type Error = std::num::ParseIntError;

            fn from_param(param: &'a str) -> Result<Self, Self::Error> {
                param.parse().map($name)
            }
        }
    };
}

id_type!(
    /// A story.
    StoryId
);
id_type!(
    /// An account: a reader or an admin.
    UserId
);
id_type!(
    /// One login of one account (a row of `sessions`).
    SessionId
);
id_type!(
    /// A story update posted to followers (a row of `story_updates`).
    UpdateId
);
id_type!(
    /// An API token (a row of `api_tokens`).
    TokenId
);
