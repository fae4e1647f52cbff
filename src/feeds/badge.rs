//! The "N reading now" badge: a small SVG image of a published story's
//! live readership that any site may embed (`<img src=…/badge.svg>`).

use quick_xml::escape::escape;
use rocket::http::ContentType;
use rocket::response::Redirect;
use rocket::{get, Either, State};

use super::Document;
use crate::db::Db;
use crate::error::Result;
use crate::live::Engine;
use crate::stories::share::{story_path, SITE_NAME};
use crate::stories::{moved, StoryCache};
use crate::web::PublicOrigin;

/// Seconds a badge may be kept: the figure is live, so briefly.
const MAX_AGE: u32 = 10;

/// Pixels per character of the badge's 11 px sans-serif text, roughly.
const CHAR_WIDTH: usize = 7;
const PADDING: usize = 12;

#[get("/stories/<key>/badge.svg")]
pub async fn badge(
    key: &str,
    db: &Db,
    stories: &State<StoryCache>,
    live: &State<Engine>,
) -> Result<Either<Document, Redirect>> {
    let Some(story) = stories.find(db.pool(), key).await? else {
        return Ok(Either::Right(moved(db.pool(), key, "/badge.svg").await?));
    };
    let viewers = live.viewers_of(story.id).await;
    let reads = story.read_count();
    let svg = render(&story.title, viewers, reads);
    Ok(Either::Left(
        Document::new(ContentType::SVG, svg, MAX_AGE).embeddable(),
    ))
}

/// The HTML that shows the badge of the story at `slug` on another site,
/// linked to the story.
pub fn embed_snippet(origin: &PublicOrigin, slug: &str, title: &str) -> String {
    let page = origin.url(&story_path(slug));
    let alt = escape(format!("Readers of {title} on {SITE_NAME} right now"));
    format!(r#"<a href="{page}"><img src="{page}/badge.svg" alt="{alt}"></a>"#)
}

/// The badge: "Folio | N reading now", named for screen readers with the
/// story's title and its total reads.
fn render(title: &str, viewers: usize, reads: i64) -> String {
    let figure = format!("{viewers} reading now");
    let reads_word = if reads == 1 { "read" } else { "reads" };
    let label = escape(format!("{title}: {figure}, {reads} {reads_word}")).into_owned();
    let left = SITE_NAME.chars().count() * CHAR_WIDTH + PADDING;
    let right = figure.chars().count() * CHAR_WIDTH + PADDING;
    let width = left + right;
    let (left_mid, right_mid) = (left / 2, left + right / 2);
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="20" viewBox="0 0 {width} 20" role="img" aria-label="{label}">
<title>{label}</title>
<rect width="{width}" height="20" rx="3" fill="#555"/>
<rect x="{left}" width="{right}" height="20" rx="3" fill="#1f6f5c"/>
<rect x="{left}" width="4" height="20" fill="#1f6f5c"/>
<g fill="#fff" font-family="Verdana,DejaVu Sans,Geneva,sans-serif" font-size="11" text-anchor="middle">
<text x="{left_mid}" y="14">{site}</text>
<text x="{right_mid}" y="14">{figure}</text>
</g>
</svg>
"##,
        site = SITE_NAME,
    )
}

#[cfg(test)]
mod tests {
    use super::{embed_snippet, render};
    use crate::web::PublicOrigin;

    #[test]
    fn the_snippet_links_the_badge_to_its_story() {
        let origin = PublicOrigin("https://example.com".into());
        assert_eq!(
            embed_snippet(&origin, "night-train", "Night & Day"),
            "<a href=\"https://example.com/stories/night-train\"><img \
             src=\"https://example.com/stories/night-train/badge.svg\" \
             alt=\"Readers of Night &amp; Day on Folio right now\"></a>"
        );
    }

    #[test]
    fn the_title_is_escaped() {
        let svg = render("<b>\"Tom\" & 'Jerry'</b>", 2, 1);
        assert!(svg.contains(
            "&lt;b&gt;&quot;Tom&quot; &amp; &apos;Jerry&apos;&lt;/b&gt;: 2 reading now, 1 read"
        ));
        assert!(!svg.contains("<b>"));
    }
}
