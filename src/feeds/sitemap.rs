//! `sitemap.xml`: the story list and every published story, with the day
//! each last changed, for search engines.

use quick_xml::events::{BytesDecl, BytesText, Event};
use quick_xml::Writer;
use rocket::get;
use rocket::http::ContentType;
use sqlx::AnyPool;

use super::Document;
use crate::db::Db;
use crate::error::{Error, Result};
use crate::stories::share::story_path;
use crate::web::times::rfc3339;
use crate::web::PublicOrigin;

/// A sitemap holds at most 50,000 addresses; one is the story list.
const STORIES_MAX: i64 = 49_999;

/// A published story's address and when it last changed.
#[derive(sqlx::FromRow)]
struct Listed {
    slug: String,
    changed: i64,
}

#[get("/sitemap.xml")]
pub async fn sitemap(db: &Db, origin: PublicOrigin) -> Result<Document> {
    let stories = listed(db.pool()).await?;
    let newest = stories.iter().map(|s| s.changed).max();
    let mut pages = vec![(origin.url("/"), newest)];
    for story in &stories {
        pages.push((origin.url(&story_path(&story.slug)), Some(story.changed)));
    }
    let xml = write(&pages).map_err(|e| Error::internal_from("writing the sitemap failed", e))?;
    let document = Document::new(
        ContentType::new("application", "xml").with_params(("charset", "utf-8")),
        xml,
        3600,
    );
    Ok(match newest {
        Some(newest) => document.modified(newest),
        None => document,
    })
}

/// Every published story, newest first.
async fn listed(db: &AnyPool) -> Result<Vec<Listed>> {
    Ok(sqlx::query_as(
        "SELECT COALESCE(slug, CAST(id AS TEXT)) AS slug, CASE WHEN published_at > updated_at THEN published_at ELSE updated_at END AS changed
         FROM stories WHERE published_at IS NOT NULL
         ORDER BY published_at DESC, id DESC LIMIT $1",
    )
    .bind(STORIES_MAX)
    .fetch_all(db)
    .await?)
}

/// The sitemap of `pages` (address, last change).
fn write(pages: &[(String, Option<i64>)]) -> std::io::Result<String> {
    let mut writer = Writer::new(Vec::new());
    writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    writer
        .create_element("urlset")
        .with_attribute(("xmlns", "http://www.sitemaps.org/schemas/sitemap/0.9"))
        .write_inner_content(|w| {
            for (url, changed) in pages {
                w.create_element("url").write_inner_content(|w| {
                    w.create_element("loc")
                        .write_text_content(BytesText::new(url))?;
                    if let Some(changed) = changed {
                        w.create_element("lastmod")
                            .write_text_content(BytesText::new(&rfc3339(*changed)))?;
                    }
                    Ok(())
                })?;
            }
            Ok(())
        })?;
    String::from_utf8(writer.into_inner())
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
}
