//! Folio seen from outside: the Atom feeds (all stories, and each story's
//! updates), the sitemap and `robots.txt` for search engines, and the
//! "reading now" badge other sites embed. Every answer is public, says
//! nothing of drafts, and carries an ETag so that pollers get a 304.

mod atom;
mod badge;
mod document;
mod robots;
mod sitemap;

use rocket::Route;

pub use badge::embed_snippet;
pub use document::Document;

pub fn routes() -> Vec<Route> {
    rocket::routes![
        atom::site_feed,
        atom::story_feed,
        sitemap::sitemap,
        robots::robots,
        badge::badge
    ]
}
