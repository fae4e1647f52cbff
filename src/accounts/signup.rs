//! Creating an account.

use rocket::http::Status;
use rocket::response::Redirect;
use rocket::{get, post, Either, State};
use rocket_dyn_templates::Template;

use super::entry::{Blame, Credentials, Door, Entry, Onward, Refusal};
use super::resume;
use crate::auth::{users, CsrfForm, CurrentUser, Limit};
use crate::error::Result;
use crate::web::{FormReply, Layout, Resumers};

#[get("/signup?<next>&<then>")]
pub fn signup_form(
    next: Option<&str>,
    then: Option<&str>,
    user: Option<CurrentUser>,
    layout: Layout,
) -> Either<Redirect, Template> {
    Door::Signup.form(Onward::query(next, then), user, &layout)
}

#[post("/signup", data = "<form>")]
pub async fn signup(
    form: CsrfForm<Credentials>,
    entry: Entry<'_>,
    resumers: &State<Resumers>,
) -> Result<FormReply> {
    let form = form.0;
    let username = form.username.trim();
    let problem = match users::username_problem(username) {
        Some(problem) => Some((Blame::Username, problem)),
        None => users::password_problem(&form.password, username)
            .map(|problem| (Blame::Password, problem)),
    };
    if let Some((blame, problem)) = problem {
        return Ok(entry.refuse(
            Door::Signup,
            &form,
            Status::UnprocessableEntity,
            Refusal(blame, &problem),
        ));
    }
    // Each signup costs a password check and a hash: a few per address and
    // window, whether the password is then refused or not.
    let allowed = entry.settings.signups_per_address;
    let limits = (entry.client.0).map(|ip| Limit::address("signup", ip, allowed));
    let attempt = match entry.attempt(limits).await {
        Ok(attempt) => attempt,
        Err(wait) => {
            let error =
                format!("Too many new accounts from your network. Try again in {wait} seconds.");
            return Ok(entry.too_many(Door::Signup, &form, wait, &error));
        }
    };
    attempt.count().await;
    if let Some(weakness) = entry.passwords.weakness(&form.password, username).await? {
        let status = Status::UnprocessableEntity;
        return Ok(entry.refuse(
            Door::Signup,
            &form,
            status,
            Refusal(Blame::Password, &weakness),
        ));
    }
    let hash = entry.passwords.hash(form.password.clone()).await?;
    let Some(user) = users::create(entry.db.pool(), username, &hash).await? else {
        let error = "That username is taken. Choose another one.";
        return Ok(entry.refuse(
            Door::Signup,
            &form,
            Status::Conflict,
            Refusal(Blame::Username, error),
        ));
    };
    let reply = entry.enter(user, &form).await?;
    resume::finish(resumers, user, &form.then).await;
    Ok(reply)
}
