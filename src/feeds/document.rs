//! A public document (feed, sitemap, badge, `robots.txt`) answered with an
//! ETag and cache headers, or with 304 when the client already has it.

use rocket::http::{ContentType, Status};
use rocket::request::Request;
use rocket::response::{self, Responder, Response};
use sha2::{Digest, Sha256};

/// A body with its type and how long caches may keep it.
pub struct Document {
    body: String,
    content_type: ContentType,
    max_age: u32,
    last_modified: Option<i64>,
    embeddable: bool,
}

impl Document {
    pub fn new(content_type: ContentType, body: String, max_age: u32) -> Document {
        Document {
            body,
            content_type,
            max_age,
            last_modified: None,
            embeddable: false,
        }
    }

    /// Adds `Last-Modified` (unix seconds).
    pub fn modified(mut self, unix: i64) -> Document {
        self.last_modified = Some(unix);
        self
    }

    /// Lets pages of any other site load it (an image they embed).
    pub fn embeddable(mut self) -> Document {
        self.embeddable = true;
        self
    }

    fn etag(&self) -> String {
        let digest = Sha256::digest(self.body.as_bytes());
        format!("\"{}\"", hex::encode(&digest[..16]))
    }
}

/// `unix` seconds as an HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`).
fn http_date(unix: i64) -> String {
    chrono::DateTime::from_timestamp(unix, 0)
        .unwrap_or_default()
        .format("%a, %d %b %Y %H:%M:%S GMT")
        .to_string()
}

impl<'r> Responder<'r, 'static> for Document {
    fn respond_to(self, req: &'r Request<'_>) -> response::Result<'static> {
        let etag = self.etag();
        let mut response = Response::build();
        response
            .raw_header("ETag", etag.clone())
            .raw_header("Cache-Control", format!("public, max-age={}", self.max_age));
        if let Some(unix) = self.last_modified {
            response.raw_header("Last-Modified", http_date(unix));
        }
        if self.embeddable {
            response
                .raw_header("Cross-Origin-Resource-Policy", "cross-origin")
                .raw_header("Access-Control-Allow-Origin", "*");
        }
        // Only the ETag decides: a date alone would miss a story deleted
        // without a newer change.
        let fresh = req.headers().get("If-None-Match").any(|value| {
            value
                .split(',')
                .any(|tag| tag.trim() == etag || tag.trim() == "*")
        });
        if fresh {
            return response.status(Status::NotModified).ok();
        }
        response
            .header(self.content_type)
            .sized_body(self.body.len(), std::io::Cursor::new(self.body))
            .ok()
    }
}

#[cfg(test)]
mod tests {
    use super::http_date;

    #[test]
    fn http_dates_are_in_gmt() {
        assert_eq!(http_date(784_111_777), "Sun, 06 Nov 1994 08:49:37 GMT");
    }
}
