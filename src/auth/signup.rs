//! Creating an account.

use rocket::form::FromForm;
use rocket::http::{CookieJar, Status};
use rocket::response::Redirect;
use rocket::Either;
use rocket::{get, post, State};
use rocket_dyn_templates::{context, Template};

use super::csrf::CsrfForm;
use super::guards::{CurrentUser, Layout};
use super::password;
use super::sessions::Sessions;
use super::users;
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

#[post("/signup", data = "<form>")]
pub async fn signup(
    form: CsrfForm<SignupForm>,
    db: &Db,
    jar: &CookieJar<'_>,
    layout: Layout,
    sessions: &State<Sessions>,
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
    let hash = password::hash(password).await?;
    let Some(user_id) = users::create(db.pool(), username, &hash).await? else {
        return Ok(rejected(
            Status::Conflict,
            "That username is taken. Choose another one.",
        ));
    };

    sessions.end(db.pool(), jar).await?;
    sessions.start(db.pool(), jar, user_id).await?;
    Ok(FormReply::Done(Redirect::to(local_path(&next).to_string())))
}
