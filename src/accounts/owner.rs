//! The logged-in owner of an account, with what their own pages need to
//! change it: the current password checked again (and throttled per
//! account, so a stolen login cannot become unlimited guesses), new
//! passwords weighed and hashed, logins ended.

use rocket::http::{CookieJar, Status};
use rocket::outcome::{try_outcome, Outcome};
use rocket::request::{self, FromRequest, Request};

use super::fields::FieldErrors;
use crate::auth::{users, CurrentUser, Limit, Passwords, Sessions, Throttle};
use crate::config::Settings;
use crate::db::Db;
use crate::error::{managed, Result};
use crate::web::Layout;

/// A logged-in user on one of their account's pages. Without a login the
/// page sends them to log in, as [`CurrentUser`] does.
pub struct Owner<'r> {
    pub user: CurrentUser,
    pub layout: Layout,
    pub db: &'r Db,
    pub jar: &'r CookieJar<'r>,
    pub passwords: &'r Passwords,
    pub sessions: &'r Sessions,
    throttle: &'r Throttle,
    settings: &'r Settings,
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Owner<'r> {
    type Error = ();

    async fn from_request(req: &'r Request<'_>) -> request::Outcome<Self, ()> {
        let user = try_outcome!(req.guard::<CurrentUser>().await);
        let layout = try_outcome!(req.guard::<Layout>().await.map_error(|(s, _)| (s, ())));
        Outcome::Success(Owner {
            user,
            layout,
            db: try_outcome!(managed::<Db>(req)),
            jar: req.cookies(),
            passwords: try_outcome!(managed::<Passwords>(req)),
            sessions: try_outcome!(managed::<Sessions>(req)),
            throttle: try_outcome!(managed::<Throttle>(req)),
            settings: try_outcome!(managed::<Settings>(req)),
        })
    }
}

/// Why the password typed as the current one was refused.
pub struct Refused {
    pub status: Status,
    pub message: String,
    /// Seconds to wait, when the account's allowance of wrong passwords
    /// is used up.
    pub retry_after: Option<u64>,
}

impl Owner<'_> {
    /// Checks `password` as this account's current one. A wrong one counts
    /// against the account's allowance (`login_failures_per_username` per
    /// `throttle_window`); once that is used up, none is checked until the
    /// window ends.
    pub async fn check_password(&self, password: &str) -> Result<Option<Refused>> {
        if password.is_empty() {
            return Ok(Some(Refused {
                status: Status::UnprocessableEntity,
                message: "Enter your current password.".into(),
                retry_after: None,
            }));
        }
        let allowed = self.settings.login_failures_per_username;
        let limit = Limit::account("account-password", self.user.user_id, allowed);
        let attempt = match self.throttle.begin([limit]).await {
            Ok(attempt) => attempt,
            Err(wait) => {
                return Ok(Some(Refused {
                    status: Status::TooManyRequests,
                    message: format!("Too many wrong passwords. Try again in {wait} seconds."),
                    retry_after: Some(wait),
                }))
            }
        };
        let stored = users::password_hash(self.db.pool(), self.user.user_id).await?;
        let right = password.len() <= users::PASSWORD_MAX_BYTES
            && self.passwords.verify(password.to_string(), stored).await?;
        if right {
            attempt.succeed().await;
            return Ok(None);
        }
        attempt.count().await;
        Ok(Some(Refused {
            status: Status::Unauthorized,
            message: "That is not your current password.".into(),
            retry_after: None,
        }))
    }
}

/// What is wrong with a new password and its confirmation, by the rules
/// that cost nothing to check, under `new_password` and
/// `confirm_password`.
pub fn new_password_problems(new: &str, confirm: &str, username: &str) -> FieldErrors {
    let mut errors = FieldErrors::default();
    if let Some(problem) = users::password_problem(new, username) {
        errors.add("new_password", problem);
    }
    if confirm.is_empty() {
        errors.add("confirm_password", "Type the new password again.");
    } else if new != confirm {
        errors.add(
            "confirm_password",
            "The two new passwords differ. Type the same one twice.",
        );
    }
    errors
}

/// Why `new` is too easy to guess for `username`, under `new_password`
/// (zxcvbn's estimate, costly: after the free checks passed).
pub async fn new_password_weakness(
    passwords: &Passwords,
    new: &str,
    username: &str,
) -> Result<FieldErrors> {
    Ok(match passwords.weakness(new, username).await? {
        Some(weakness) => FieldErrors::one("new_password", weakness),
        None => FieldErrors::default(),
    })
}
