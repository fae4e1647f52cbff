//! Creating an account.

use rocket::http::Status;
use rocket::response::Redirect;
use rocket::{get, post, Either};
use rocket_dyn_templates::Template;

use super::entry::{Credentials, Door, Entry};
use crate::auth::{users, CsrfForm, CurrentUser, Limit};
use crate::error::Result;
use crate::web::{FormReply, Layout};

#[get("/signup?<next>")]
pub fn signup_form(
    next: Option<&str>,
    user: Option<CurrentUser>,
    layout: Layout,
) -> Either<Redirect, Template> {
    Door::Signup.form(next, user, &layout)
}

#[post("/signup", data = "<form>")]
pub async fn signup(form: CsrfForm<Credentials>, entry: Entry<'_>) -> Result<FormReply> {
    let form = form.0;
    let username = form.username.trim();
    let problem = users::username_problem(username)
        .or_else(|| users::password_problem(&form.password, username));
    if let Some(problem) = problem {
        return Ok(entry.refuse(Door::Signup, &form, Status::UnprocessableEntity, &problem));
    }
    // Each signup costs a password check and a hash: a few per address and
    // window, whether the password is then refused or not.
    let allowed = entry.settings.signups_per_address;
    let limits = (entry.client.0).map(|ip| Limit::address("signup", ip, allowed));
    let attempt = match entry.attempt(limits) {
        Ok(attempt) => attempt,
        Err(wait) => {
            let error =
                format!("Too many new accounts from your network. Try again in {wait} seconds.");
            return Ok(entry.too_many(Door::Signup, &form, wait, &error));
        }
    };
    attempt.count();
    if let Some(weakness) = entry.passwords.weakness(&form.password, username).await? {
        let status = Status::UnprocessableEntity;
        return Ok(entry.refuse(Door::Signup, &form, status, &weakness));
    }
    let hash = entry.passwords.hash(form.password.clone()).await?;
    let Some(user) = users::create(entry.db.pool(), username, &hash).await? else {
        let error = "That username is taken. Choose another one.";
        return Ok(entry.refuse(Door::Signup, &form, Status::Conflict, error));
    };
    entry.enter(user, &form).await
}
