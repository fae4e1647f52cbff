//! What a form submission answers: a redirect when it worked, or the form
//! again, with the user's input and a message, when it did not.

use rocket::http::uri::Origin;
use rocket::http::Status;
use rocket::request::Request;
use rocket::response::{self, Flash, Redirect, Responder};
use rocket_dyn_templates::Template;

/// The answer to a submitted form.
pub enum FormReply {
    /// It worked: go on to this page.
    Done(Redirect),
    /// It worked: go on to this page, which says what was done.
    Said(Flash<Redirect>),
    /// It was refused: the form again, with the status saying why.
    Rejected {
        status: Status,
        page: Template,
        retry_after: Option<u64>,
    },
}

/// A redirect to `to`, whose page says `message`: what an action did.
pub fn said(to: impl Into<String>, message: impl Into<String>) -> Flash<Redirect> {
    Flash::success(Redirect::to(to.into()), message.into())
}

impl FormReply {
    pub fn rejected(status: Status, page: Template) -> FormReply {
        FormReply::Rejected {
            status,
            page,
            retry_after: None,
        }
    }
}

impl<'r> Responder<'r, 'static> for FormReply {
    fn respond_to(self, req: &'r Request<'_>) -> response::Result<'static> {
        match self {
            FormReply::Done(redirect) => redirect.respond_to(req),
            FormReply::Said(said) => said.respond_to(req),
            FormReply::Rejected {
                status,
                page,
                retry_after,
            } => {
                let mut response = page.respond_to(req)?;
                response.set_status(status);
                if let Some(seconds) = retry_after {
                    response.set_raw_header("Retry-After", seconds.to_string());
                }
                Ok(response)
            }
        }
    }
}

/// `next` if it is a valid path on this site, else the home page: a login
/// link must not become a way to send users to another site, nor a
/// redirect that cannot be sent.
pub fn local_path(next: &str) -> &str {
    let local = next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && Origin::parse(next).is_ok();
    if local {
        next
    } else {
        "/"
    }
}

/// Where a small form (a follow button, "mark read") goes back to: `next`
/// for forms on pages; a script that sends none gets 204.
#[derive(Debug, Default, rocket::form::FromForm)]
pub struct Back {
    pub next: Option<String>,
}

/// The answer to such a form.
pub type Done = rocket::Either<Redirect, Status>;

impl Back {
    /// Back to the page the form was on, or 204 for a script.
    pub fn done(self) -> Done {
        match self.next {
            Some(next) => rocket::Either::Left(Redirect::to(local_path(&next).to_string())),
            None => rocket::Either::Right(Status::NoContent),
        }
    }
}
