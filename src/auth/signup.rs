//! Creating an account.

use rocket::form::FromForm;
use rocket::http::{CookieJar, Status};
use rocket::response::Redirect;
use rocket::Either;
use rocket::{get, post, State};
use rocket_dyn_templates::{context, Template};

use super::csrf::{CsrfForm, CsrfToken};
use super::guards::{CurrentUser, Layout};
use super::password::Passwords;
use super::sessions::Sessions;
use super::throttle::{ClientIp, Limit, Throttle};
use super::users;
use crate::config::Settings;
use crate::db::Db;
use crate::error::Result;
use crate::forms::{local_path, FormReply};

#[derive(FromForm)]
pub struct SignupForm {
    #[field(default = String::new())]
    username: String,
    #[field(default = String::new())]
    password: String,
    #[field(default = String::new())]
    next: String,
}

fn signup_page(layout: &Layout, username: &str, next: &str, error: Option<&str>) -> Template {
    Template::render(
        "auth/signup.html",
        context! {
            layout, username, next: local_path(next), error,
            username_min: users::USERNAME_MIN, username_max: users::USERNAME_MAX,
            password_min: users::PASSWORD_MIN_CHARS,
        },
    )
}

#[get("/signup?<next>")]
pub fn signup_form(
    next: Option<&str>,
    user: Option<CurrentUser>,
    layout: Layout,
) -> Either<Redirect, Template> {
    let next = next.unwrap_or("/");
    match user {
        Some(_) => Either::Left(Redirect::to(local_path(next).to_string())),
        None => Either::Right(signup_page(&layout, "", next, None)),
    }
}

#[allow(clippy::too_many_arguments)]
#[post("/signup", data = "<form>")]
pub async fn signup(
    form: CsrfForm<SignupForm>,
    db: &Db,
    jar: &CookieJar<'_>,
    layout: Layout,
    client: ClientIp,
    settings: &State<Settings>,
    passwords: &State<Passwords>,
    sessions: &State<Sessions>,
    throttle: &State<Throttle>,
) -> Result<FormReply> {
    let SignupForm {
        username,
        password,
        next,
    } = form.0;
    let username = username.trim();
    let rejected = |status, error: &str| {
        FormReply::rejected(status, signup_page(&layout, username, &next, Some(error)))
    };

    let problem = users::username_problem(username).or_else(|| users::password_problem(&password));
    if let Some(problem) = problem {
        return Ok(rejected(Status::UnprocessableEntity, &problem));
    }
    // Each signup costs a password hash: a few per address and window.
    let limits = client
        .0
        .map(|ip| Limit::address("signup", ip, settings.signups_per_address));
    let attempt = match throttle.begin(limits) {
        Ok(attempt) => attempt,
        Err(retry_after) => {
            let message = format!(
                "Too many new accounts from your network. Try again in {retry_after} seconds."
            );
            return Ok(FormReply::Rejected {
                status: Status::TooManyRequests,
                page: signup_page(&layout, username, &next, Some(&message)),
                retry_after: Some(retry_after),
            });
        }
    };
    attempt.count();
    let hash = passwords.hash(password).await?;
    let Some(user_id) = users::create(db.pool(), username, &hash).await? else {
        return Ok(rejected(
            Status::Conflict,
            "That username is taken. Choose another one.",
        ));
    };

    let target = Redirect::to(local_path(&next).to_string());
    sessions.end(db.pool(), jar).await?;
    sessions.start(db.pool(), jar, user_id).await?;
    CsrfToken::rotate(jar);
    Ok(FormReply::Done(target))
}
