//! An image sent by a form or a script: `multipart/form-data` with the file
//! in the field `image`, the CSRF token in `csrf_token` (or the
//! `X-CSRF-Token` header) and, from a page's form, `next`, the page to go
//! back to. Read up to `limits.image`.

use rocket::data::{ByteUnit, Data, FromData, ToByteUnit};
use rocket::http::Status;
use rocket::outcome::Outcome;
use rocket::request::Request;

use crate::auth::{expired, token_matches};
use crate::error::{stash, Error};

/// The largest image taken when `limits.image` is not set.
pub const DEFAULT_LIMIT: ByteUnit = ByteUnit::Mebibyte(8);

/// Room in the body for the other fields and the part headers.
const SLACK: ByteUnit = ByteUnit::Kibibyte(64);

/// A sent image, its CSRF token checked; what is wrong with it, if
/// anything, is for the handler to say (on the form's page, or as JSON).
pub struct Upload {
    pub file: Result<File, Error>,
    /// The page the form was on, from a form.
    pub next: Option<String>,
}

/// The file sent, not yet looked at.
pub struct File {
    /// Its name on the sender's machine, for the list only.
    pub name: String,
    pub bytes: Vec<u8>,
}

/// The largest image taken, under the configured limits.
pub fn limit(req: &Request<'_>) -> ByteUnit {
    req.limits().get("image").unwrap_or(DEFAULT_LIMIT)
}

/// A limit in words: "8 MiB", "500 KiB".
pub fn in_words(limit: ByteUnit) -> String {
    limit
        .to_string()
        .replace("MiB", " MiB")
        .replace("KiB", " KiB")
}

#[rocket::async_trait]
impl<'r> FromData<'r> for Upload {
    type Error = ();

    async fn from_data(req: &'r Request<'_>, data: Data<'r>) -> rocket::data::Outcome<'r, Self> {
        match read(req, data).await {
            Ok(upload) => Outcome::Success(upload),
            Err(error) => Outcome::Error((stash(req, error), ())),
        }
    }
}

/// The fields sent so far.
#[derive(Default)]
struct Fields {
    token: Option<String>,
    next: Option<String>,
    file: Option<Result<File, Error>>,
}

async fn read(req: &Request<'_>, data: Data<'_>) -> Result<Upload, Error> {
    let boundary = req
        .content_type()
        .filter(|kind| kind.is_form_data())
        .and_then(|kind| kind.param("boundary"))
        .ok_or_else(|| {
            Error::field_with(
                Status::UnsupportedMediaType,
                "image",
                "Send the image as multipart/form-data, in a field named image.",
            )
        })?;
    let limit = limit(req);
    let constraints = multer::Constraints::new().size_limit(
        multer::SizeLimit::new()
            .whole_stream((limit + SLACK).as_u64())
            .per_field(limit.as_u64()),
    );
    let stream = data.open(limit + SLACK + 1.kibibytes());
    let mut form = multer::Multipart::with_reader_with_constraints(stream, boundary, constraints);
    let mut fields = Fields {
        token: req.headers().get_one("X-CSRF-Token").map(String::from),
        ..Fields::default()
    };
    loop {
        let field = match form.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => {
                // Too large or cut short: the file is refused, but a form
                // whose token came first still gets its page back.
                fields.file.get_or_insert_with(|| Err(unreadable(e, limit)));
                break;
            }
        };
        match field.name() {
            Some("csrf_token") => fields.token = field.text().await.ok(),
            Some("next") => fields.next = field.text().await.ok(),
            Some("image") => {
                let name = field.file_name().unwrap_or_default().to_string();
                fields.file = Some(match field.bytes().await {
                    Ok(bytes) => Ok(File {
                        name,
                        bytes: bytes.to_vec(),
                    }),
                    Err(e) => Err(unreadable(e, limit)),
                });
            }
            _ => {}
        }
    }
    if !token_matches(req.cookies(), fields.token.as_deref()) {
        return Err(expired());
    }
    let file = fields
        .file
        .unwrap_or_else(|| Err(Error::field("image", "Choose an image to upload.")));
    let file = match file {
        Ok(file) if file.bytes.is_empty() => Err(Error::field("image", "That file is empty.")),
        other => other,
    };
    Ok(Upload {
        file,
        next: fields.next,
    })
}

/// Why the body could not be read.
fn unreadable(error: multer::Error, limit: ByteUnit) -> Error {
    match error {
        multer::Error::FieldSizeExceeded { .. } | multer::Error::StreamSizeExceeded { .. } => {
            Error::field_with(
                Status::PayloadTooLarge,
                "image",
                format!(
                    "That image is too large: Folio takes images up to {}.",
                    in_words(limit)
                ),
            )
        }
        other => Error::field("image", format!("The upload could not be read: {other}")),
    }
}
