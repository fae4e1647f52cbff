//! `robots.txt`: search engines may index the stories, not the private
//! pages, and find them all in the sitemap.

use rocket::get;
use rocket::http::ContentType;

use super::Document;
use crate::web::PublicOrigin;

/// Paths that are private or meaningless to a search engine.
const PRIVATE: &[&str] = &[
    "/admin",
    "/api/",
    "/live/",
    "/account",
    "/notifications",
    "/following",
    "/login",
    "/signup",
    "/logout",
    "/metrics",
    "/health",
];

#[get("/robots.txt")]
pub fn robots(origin: PublicOrigin) -> Document {
    let mut text = String::from("User-agent: *\nAllow: /\n");
    for path in PRIVATE {
        text.push_str(&format!("Disallow: {path}\n"));
    }
    text.push_str(&format!("\nSitemap: {}\n", origin.url("/sitemap.xml")));
    Document::new(ContentType::Plain, text, 3600)
}
