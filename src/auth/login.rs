//! Logging in and out.

use rocket::form::FromForm;
use rocket::http::{CookieJar, Status};
use rocket::response::Redirect;
use rocket::Either;
use rocket::{get, post, State};
use rocket_dyn_templates::{context, Template};

use super::csrf::{CsrfForm, CsrfToken, NoFields};
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
pub struct LoginForm {
    #[field(default = String::new())]
    username: String,
    #[field(default = String::new())]
    password: String,
    #[field(default = String::new())]
    next: String,
}

fn login_page(layout: &Layout, username: &str, next: &str, error: Option<&str>) -> Template {
    Template::render(
        "auth/login.html",
        context! { layout, username, next: local_path(next), error },
    )
}

#[get("/login?<next>")]
pub fn login_form(
    next: Option<&str>,
    user: Option<CurrentUser>,
    layout: Layout,
) -> Either<Redirect, Template> {
    let next = next.unwrap_or("/");
    match user {
        Some(_) => Either::Left(Redirect::to(local_path(next).to_string())),
        None => Either::Right(login_page(&layout, "", next, None)),
    }
}

#[allow(clippy::too_many_arguments)]
#[post("/login", data = "<form>")]
pub async fn login(
    form: CsrfForm<LoginForm>,
    db: &Db,
    jar: &CookieJar<'_>,
    layout: Layout,
    client: ClientIp,
    settings: &State<Settings>,
    passwords: &State<Passwords>,
    sessions: &State<Sessions>,
    throttle: &State<Throttle>,
) -> Result<FormReply> {
    let LoginForm {
        username,
        password,
        next,
    } = form.0;
    let username = username.trim();
    let rejected = |status, error: &str| {
        FormReply::rejected(status, login_page(&layout, username, &next, Some(error)))
    };
    if username.is_empty() || password.is_empty() {
        return Ok(rejected(
            Status::UnprocessableEntity,
            "Enter your username and password.",
        ));
    }

    let limits = Limit::username(username, settings.login_failures_per_username)
        .into_iter()
        .chain(
            client
                .0
                .map(|ip| Limit::address("login", ip, settings.login_failures_per_address)),
        );
    let attempt = match throttle.begin(limits) {
        Ok(attempt) => attempt,
        Err(retry_after) => {
            let message = format!("Too many failed logins. Try again in {retry_after} seconds.");
            return Ok(FormReply::Rejected {
                status: Status::TooManyRequests,
                page: login_page(&layout, username, &next, Some(&message)),
                retry_after: Some(retry_after),
            });
        }
    };

    // An unknown username costs the same hash check as a wrong password; an
    // impossible password is wrong without one.
    let (user_id, hash) = users::credentials(db.pool(), username).await?.unzip();
    let verified =
        password.len() <= users::PASSWORD_MAX_BYTES && passwords.verify(password, hash).await?;
    let Some(user_id) = user_id.filter(|_| verified) else {
        attempt.count();
        return Ok(rejected(
            Status::Unauthorized,
            "Wrong username or password.",
        ));
    };

    attempt.succeed();
    if users::is_disabled(db.pool(), user_id).await? {
        return Ok(rejected(
            Status::Forbidden,
            "This account has been disabled. Ask an administrator to enable it.",
        ));
    }
    let target = Redirect::to(local_path(&next).to_string());
    // A new login replaces whatever session this browser had, and gets a
    // new CSRF token.
    sessions.end(db.pool(), jar).await?;
    sessions.start(db.pool(), jar, user_id).await?;
    CsrfToken::rotate(jar);
    Ok(FormReply::Done(target))
}

#[post("/logout", data = "<_form>")]
pub async fn logout(
    _form: CsrfForm<NoFields>,
    db: &Db,
    jar: &CookieJar<'_>,
    sessions: &State<Sessions>,
) -> Result<Redirect> {
    sessions.end(db.pool(), jar).await?;
    CsrfToken::rotate(jar);
    Ok(Redirect::to("/"))
}
