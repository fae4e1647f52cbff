//! Cross-site request forgery protection by double submission: a random
//! token lives in a private (encrypted, unreadable to scripts) cookie and in a
//! hidden field of every form; a form is accepted only when the two match.

use std::marker::PhantomData;

use rocket::data::{self, ByteUnit, Data, FromData};
use rocket::form::{Form, FromForm};
use rocket::http::{ContentType, Cookie, CookieJar, RawStr, SameSite};
use rocket::outcome::Outcome;
use rocket::request::{self, FromRequest, Request};

use crate::config::Settings;
use crate::error::{stash, Error};
use crate::util::{random_token, same_secret};

const COOKIE: &str = "csrf";
const EXPIRED: &str = "This form has expired or did not come from this site. \
    Go back, reload the page and try again.";

/// The CSRF token of this browser, created on first use. Pages put it in
/// their forms' hidden `csrf_token` field.
#[derive(Debug, Clone)]
pub struct CsrfToken(pub String);

impl CsrfToken {
    /// The token in the cookie jar, if the browser has one.
    pub fn peek(jar: &CookieJar<'_>) -> Option<String> {
        jar.get_private(COOKIE).map(|c| c.value().to_string())
    }

    /// This request's token: the browser's, or a new one sent with the response.
    pub fn of(req: &Request<'_>) -> CsrfToken {
        let secure = req
            .rocket()
            .state::<Settings>()
            .is_some_and(|s| s.secure_cookies);
        req.local_cache(|| CsrfToken::get_or_create(req.cookies(), secure))
            .clone()
    }

    /// Drops the browser's token, so the next page gets a new one: on login
    /// and logout, so a token planted before cannot outlive them.
    pub fn rotate(jar: &CookieJar<'_>) {
        jar.remove_private(Cookie::build(COOKIE).path("/"));
    }

    fn get_or_create(jar: &CookieJar<'_>, secure: bool) -> CsrfToken {
        if let Some(token) = Self::peek(jar) {
            return CsrfToken(token);
        }
        let token = random_token();
        jar.add_private(
            Cookie::build((COOKIE, token.clone()))
                .path("/")
                .http_only(true)
                .same_site(SameSite::Lax)
                .secure(secure)
                .expires(None),
        );
        CsrfToken(token)
    }
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for CsrfToken {
    type Error = std::convert::Infallible;

    async fn from_request(req: &'r Request<'_>) -> request::Outcome<Self, Self::Error> {
        Outcome::Success(CsrfToken::of(req))
    }
}

/// Whether `sent` is this browser's token.
pub fn token_matches(jar: &CookieJar<'_>, sent: Option<&str>) -> bool {
    match (CsrfToken::peek(jar), sent) {
        (Some(expected), Some(sent)) => same_secret(expected.as_bytes(), sent.as_bytes()),
        _ => false,
    }
}

/// The refusal of a form whose token did not match.
pub fn expired() -> Error {
    Error::Forbidden(EXPIRED.into())
}

#[derive(FromForm)]
struct TokenField {
    csrf_token: String,
}

/// A submitted form whose CSRF token matched; the only way handlers accept
/// forms, so none can forget the check. Any other field of the body is
/// parsed into `T`, read up to the size limit `L` names.
pub struct CsrfForm<T, L: SizeLimit = Short>(pub T, PhantomData<L>);

/// Which of Rocket's size limits a form is read under.
pub trait SizeLimit: Send + 'static {
    /// The limit's name (`limits.<name>` in the configuration).
    const NAME: &'static str;
    /// When the configuration names none.
    const DEFAULT: ByteUnit;
}

/// Forms of a few fields: `limits.form`.
pub struct Short;

impl SizeLimit for Short {
    const NAME: &'static str = "form";
    const DEFAULT: ByteUnit = ByteUnit::Kibibyte(64);
}

/// The story editor's form: `limits.story`. Well above the longest story
/// Folio keeps, so that a longer one is refused by the editor, with its
/// text shown again, rather than cut off unread.
pub struct Long;

impl SizeLimit for Long {
    const NAME: &'static str = "story";
    const DEFAULT: ByteUnit = ByteUnit::Mebibyte(16);
}

#[rocket::async_trait]
impl<'r, T: for<'a> FromForm<'a> + Send + 'static, L: SizeLimit> FromData<'r> for CsrfForm<T, L> {
    type Error = ();

    async fn from_data(req: &'r Request<'_>, data: Data<'r>) -> data::Outcome<'r, Self> {
        match parse(req, data, L::NAME, L::DEFAULT).await {
            Ok(value) => Outcome::Success(CsrfForm(value, PhantomData)),
            Err(error) => Outcome::Error((stash(req, error), ())),
        }
    }
}

async fn parse<T: for<'a> FromForm<'a> + 'static>(
    req: &Request<'_>,
    data: Data<'_>,
    limit_name: &str,
    default: ByteUnit,
) -> Result<T, Error> {
    if req.content_type() != Some(&ContentType::Form) {
        return Err(Error::BadRequest("Expected a submitted form.".into()));
    }
    let limit = req.limits().get(limit_name).unwrap_or(default);
    let body = data
        .open(limit)
        .into_string()
        .await
        .map_err(|e| Error::BadRequest(format!("The form could not be read: {e}")))?;
    if !body.is_complete() {
        return Err(Error::PayloadTooLarge);
    }
    let expected = CsrfToken::peek(req.cookies());
    let body = RawStr::new(body.as_str());
    let sent = Form::<TokenField>::parse_encoded(body)
        .ok()
        .map(|f| f.csrf_token);
    match (expected, sent) {
        (Some(expected), Some(sent)) if same_secret(expected.as_bytes(), sent.as_bytes()) => {}
        _ => return Err(Error::Forbidden(EXPIRED.into())),
    }
    Form::<T>::parse_encoded(body)
        .map_err(|errors| Error::BadRequest(format!("The form could not be read: {errors}")))
}

/// The fields of a form that sends nothing but its CSRF token (a logout button).
pub struct NoFields;

#[rocket::async_trait]
impl<'r> FromForm<'r> for NoFields {
    type Context = ();

    fn init(_: rocket::form::Options) {}

    fn push_value(_: &mut (), _: rocket::form::ValueField<'r>) {}

    async fn push_data(_: &mut (), _: rocket::form::DataField<'r, '_>) {}

    fn finalize(_: ()) -> rocket::form::Result<'r, Self> {
        Ok(NoFields)
    }
}

/// A script's request whose `X-CSRF-Token` header matches this browser's
/// token: how pages' own scripts prove a POST came from Folio.
pub struct CsrfHeader;

#[rocket::async_trait]
impl<'r> FromRequest<'r> for CsrfHeader {
    type Error = ();

    async fn from_request(req: &'r Request<'_>) -> request::Outcome<Self, ()> {
        let expected = CsrfToken::peek(req.cookies());
        let sent = req.headers().get_one("X-CSRF-Token");
        match (expected, sent) {
            (Some(expected), Some(sent)) if same_secret(expected.as_bytes(), sent.as_bytes()) => {
                Outcome::Success(CsrfHeader)
            }
            _ => Outcome::Error((stash(req, Error::Forbidden(EXPIRED.into())), ())),
        }
    }
}
