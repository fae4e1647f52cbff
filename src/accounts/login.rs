//! Logging in and out.

use rocket::http::{CookieJar, Status};
use rocket::response::Redirect;
use rocket::{get, post, Either, State};
use rocket_dyn_templates::Template;

use super::entry::{Blame, Credentials, Door, Entry, Onward, Refusal};
use super::resume;
use crate::auth::{users, CsrfForm, CsrfToken, CurrentUser, Limit, NoFields, Sessions};
use crate::db::Db;
use crate::error::Result;
use crate::web::{local_path, FormReply, Layout, Resumers};

#[get("/login?<next>&<then>")]
pub fn login_form(
    next: Option<&str>,
    then: Option<&str>,
    user: Option<CurrentUser>,
    layout: Layout,
) -> Either<Redirect, Template> {
    Door::Login.form(Onward::query(next, then), user, &layout)
}

#[post("/login", data = "<form>")]
pub async fn login(
    form: CsrfForm<Credentials>,
    entry: Entry<'_>,
    resumers: &State<Resumers>,
) -> Result<FormReply> {
    let form = form.0;
    let username = form.username.trim();
    if username.is_empty() || form.password.is_empty() {
        let error = "Enter your username and password.";
        return Ok(entry.refuse(
            Door::Login,
            &form,
            Status::UnprocessableEntity,
            Refusal(Blame::Both, error),
        ));
    }
    let settings = entry.settings;
    // A browser this account logged in from before has a failure limit of
    // its own: failures elsewhere, under the account's name or from its
    // address, do not lock it out.
    let known = entry.known_device(username);
    let limits: Vec<Limit> = match &known {
        Some(device) => vec![Limit::device(device, settings.login_failures_per_username)],
        None => Limit::username(username, settings.login_failures_per_username)
            .into_iter()
            .chain(
                (entry.client.0)
                    .map(|ip| Limit::address("login", ip, settings.login_failures_per_address)),
            )
            .collect(),
    };
    let attempt = match entry.attempt(limits).await {
        Ok(attempt) => attempt,
        Err(wait) => {
            let error = match known {
                Some(_) => format!("Too many failed logins. Try again in {wait} seconds."),
                None => format!(
                    "Too many failed logins. Try again in {wait} seconds, \
                     or log in from a browser you have used with this account before."
                ),
            };
            return Ok(entry.too_many(Door::Login, &form, wait, &error));
        }
    };

    // An unknown username costs the same hash check as a wrong password; an
    // impossible password is wrong without one.
    let pool = entry.db.pool();
    let (user, hash) = users::credentials(pool, username).await?.unzip();
    let password = form.password.clone();
    let verified = password.len() <= users::PASSWORD_MAX_BYTES
        && entry.passwords.verify(password, hash).await?;
    let Some(user) = user.filter(|_| verified) else {
        attempt.count().await;
        let error = "Wrong username or password.";
        return Ok(entry.refuse(
            Door::Login,
            &form,
            Status::Unauthorized,
            Refusal(Blame::Both, error),
        ));
    };

    attempt.succeed().await;
    let standing = users::standing(pool, user).await?;
    if standing.disabled {
        let error = "This account has been disabled. Ask an administrator to enable it.";
        return Ok(entry.refuse(
            Door::Login,
            &form,
            Status::Forbidden,
            Refusal(Blame::Neither, error),
        ));
    }
    // An admin who logged in from no page in particular starts at work.
    let mut form = form;
    if local_path(&form.next) == "/" && standing.admin {
        form.next = "/admin".into();
    }
    let reply = entry.enter(user, &form).await?;
    resume::finish(resumers, user, &form.then).await;
    Ok(reply)
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
