//! What logging in and signing up share: the form, the page it is on, the
//! throttle that keeps each costly attempt in check, and the new session
//! that ends both.

use rocket::form::FromForm;
use rocket::http::{CookieJar, Status};
use rocket::outcome::{try_outcome, Outcome};
use rocket::request::{self, FromRequest, Request};
use rocket::response::Redirect;
use rocket::Either;
use rocket_dyn_templates::{context, Template};

use crate::auth::LoginPlace;
use crate::auth::Passwords;
use crate::auth::{users, Attempt, ClientIp, CsrfToken, CurrentUser, KnownDevice, Limit};
use crate::auth::{Sessions, Throttle};
use crate::config::Settings;
use crate::db::Db;
use crate::error::{managed, Result};
use crate::ids::UserId;
use crate::web::{is_resumable, local_path, FormReply, Layout};

/// The login or the signup form, as sent.
#[derive(FromForm)]
pub struct Credentials {
    #[field(default = String::new())]
    pub username: String,
    #[field(default = String::new())]
    pub password: String,
    /// Where to go afterwards: a path on this site.
    #[field(default = String::new())]
    pub next: String,
    /// A form to finish once logged in (see [`super::resume`]).
    #[field(default = String::new())]
    pub then: String,
}

/// Which of the two forms.
#[derive(Clone, Copy)]
pub enum Door {
    Login,
    Signup,
}

impl Door {
    fn page(
        self,
        layout: &Layout,
        username: &str,
        go: Onward<'_>,
        error: Option<Refusal<'_>>,
    ) -> Template {
        let next = local_path(go.next);
        let then = if is_resumable(go.then) { go.then } else { "" };
        let (blame, error) = match error {
            Some(Refusal(blame, error)) => (Some(blame), Some(error)),
            None => (None, None),
        };
        let bad_username = matches!(blame, Some(Blame::Username | Blame::Both));
        let bad_password = matches!(blame, Some(Blame::Password | Blame::Both));
        match self {
            Door::Login => Template::render(
                "accounts/login.html",
                context! { layout, username, next, then, error, bad_username, bad_password },
            ),
            Door::Signup => Template::render(
                "accounts/signup.html",
                context! {
                    layout, username, next, then, error, bad_username, bad_password,
                    username_min: users::USERNAME_MIN, username_max: users::USERNAME_MAX,
                    password_min: users::PASSWORD_MIN_CHARS,
                },
            ),
        }
    }

    /// The empty form; a logged-in user goes straight on to `next`.
    pub fn form(
        self,
        go: Onward<'_>,
        user: Option<CurrentUser>,
        layout: &Layout,
    ) -> Either<Redirect, Template> {
        match user {
            Some(_) => Either::Left(Redirect::to(local_path(go.next).to_string())),
            None => Either::Right(self.page(layout, "", go, None)),
        }
    }
}

/// Which fields a refusal is about, so the form marks them.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Blame {
    Username,
    Password,
    Both,
    /// The attempt as a whole (too many, a disabled account).
    Neither,
}

/// Why a form is shown again: the fields at fault and the message.
#[derive(Clone, Copy)]
pub struct Refusal<'a>(pub Blame, pub &'a str);

/// Where a login or signup goes on to: the page `next`, after finishing
/// the form `then` (empty for none).
#[derive(Clone, Copy)]
pub struct Onward<'a> {
    pub next: &'a str,
    pub then: &'a str,
}

impl<'a> Onward<'a> {
    pub fn of(form: &'a Credentials) -> Onward<'a> {
        Onward {
            next: &form.next,
            then: &form.then,
        }
    }

    pub fn query(next: Option<&'a str>, then: Option<&'a str>) -> Onward<'a> {
        Onward {
            next: next.unwrap_or("/"),
            then: then.unwrap_or(""),
        }
    }
}

/// Everything a login or a signup needs of the request and of Folio.
pub struct Entry<'r> {
    pub db: &'r Db,
    jar: &'r CookieJar<'r>,
    pub layout: Layout,
    pub client: ClientIp,
    place: LoginPlace,
    pub settings: &'r Settings,
    pub passwords: &'r Passwords,
    pub sessions: &'r Sessions,
    throttle: &'r Throttle,
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Entry<'r> {
    type Error = ();

    async fn from_request(req: &'r Request<'_>) -> request::Outcome<Self, ()> {
        let db = try_outcome!(managed::<Db>(req));
        let settings = try_outcome!(managed::<Settings>(req));
        let passwords = try_outcome!(managed::<Passwords>(req));
        let sessions = try_outcome!(managed::<Sessions>(req));
        let throttle = try_outcome!(managed::<Throttle>(req));
        let layout = try_outcome!(req.guard::<Layout>().await.map_error(|(s, _)| (s, ())));
        let client = try_outcome!(req.guard::<ClientIp>().await.map_error(|(s, _)| (s, ())));
        let place = try_outcome!(req.guard::<LoginPlace>().await.map_error(|(s, _)| (s, ())));
        Outcome::Success(Entry {
            db,
            jar: req.cookies(),
            layout,
            client,
            place,
            settings,
            passwords,
            sessions,
            throttle,
        })
    }
}

impl Entry<'_> {
    /// The form again, with what was typed (but the password), `error` and
    /// the status that says why.
    pub fn refuse(
        &self,
        door: Door,
        form: &Credentials,
        status: Status,
        refusal: Refusal<'_>,
    ) -> FormReply {
        let username = form.username.trim();
        let page = door.page(&self.layout, username, Onward::of(form), Some(refusal));
        FormReply::rejected(status, page)
    }

    /// Reserves an attempt under `limits`, or says how many seconds to
    /// wait when one of them is used up.
    pub async fn attempt(
        &self,
        limits: impl IntoIterator<Item = Limit>,
    ) -> std::result::Result<Attempt<'_>, u64> {
        self.throttle.begin(limits).await
    }

    /// The form again with 429, `error`, and when to try again.
    pub fn too_many(
        &self,
        door: Door,
        form: &Credentials,
        retry_after: u64,
        error: &str,
    ) -> FormReply {
        let refusal = Refusal(Blame::Neither, error);
        let page = door.page(
            &self.layout,
            form.username.trim(),
            Onward::of(form),
            Some(refusal),
        );
        FormReply::Rejected {
            status: Status::TooManyRequests,
            page,
            retry_after: Some(retry_after),
        }
    }

    /// This browser, if it logged in to `username`'s account before.
    pub fn known_device(&self, username: &str) -> Option<KnownDevice> {
        KnownDevice::of(self.jar, username)
    }

    /// Logs `user` in, then on to the form's `next`.
    pub async fn enter(&self, user: UserId, form: &Credentials) -> Result<FormReply> {
        let target = Redirect::to(local_path(&form.next).to_string());
        self.log_in(user, form.username.trim()).await?;
        Ok(FormReply::Done(target))
    }

    /// Logs `user` (named `username`) in on this browser, replacing
    /// whatever session it had, with a new CSRF token, and remembers the
    /// browser as known to the account.
    pub async fn log_in(&self, user: UserId, username: &str) -> Result<()> {
        let pool = self.db.pool();
        self.sessions.end(pool, self.jar).await?;
        self.sessions
            .start(pool, self.jar, user, &self.place)
            .await?;
        let secure = self.sessions.secure_cookies();
        KnownDevice::remember(self.jar, username, secure);
        CsrfToken::rotate(self.jar);
        Ok(())
    }
}
