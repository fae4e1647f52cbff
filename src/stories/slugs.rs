//! Readable story URLs: a slug from the title, unique among stories. A slug
//! is never all digits, so `/stories/<key>` can tell it from an id.

use sqlx::{AnyConnection, AnyPool};

use crate::error::Result;
use crate::ids::StoryId;

/// The longest slug made from a title.
pub const SLUG_MAX: usize = 80;

/// `title` as lowercase ASCII words joined by '-': "The Café at Night!" is
/// "the-cafe-at-night". Letters outside ASCII become their closest ASCII
/// spelling (deunicode); a title with nothing left becomes "story".
pub fn slugify(title: &str) -> String {
    // Apostrophes join their word: "Don't" is "dont", not "don-t".
    let plain = deunicode::deunicode(&title.replace(['\'', '\u{2019}'], ""));
    let mut slug = String::with_capacity(plain.len());
    for c in plain.chars() {
        if c.is_ascii_alphanumeric() {
            if slug.len() >= SLUG_MAX {
                break;
            }
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    if slug.is_empty() {
        "story".to_string()
    } else if slug.bytes().all(|b| b.is_ascii_digit()) {
        format!("story-{slug}")
    } else {
        slug.to_string()
    }
}

/// Whether `slug` is one Folio could have made: for slugs typed by an admin.
pub fn slug_problem(slug: &str) -> Option<String> {
    if slug.is_empty() || slug.len() > SLUG_MAX {
        return Some(format!("A URL name has 1 to {SLUG_MAX} characters."));
    }
    let allowed = slug
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !allowed || slug.starts_with('-') || slug.ends_with('-') {
        return Some(
            "A URL name uses lowercase letters, digits and '-' (not at either end).".into(),
        );
    }
    if slug.bytes().all(|b| b.is_ascii_digit()) {
        return Some("A URL name needs at least one letter.".into());
    }
    None
}

/// `base`, or `base-2`, `base-3`…: the first not used by another story.
pub async fn unique(
    conn: &mut AnyConnection,
    base: &str,
    story: Option<StoryId>,
) -> Result<String> {
    let mut candidate = base.to_string();
    for n in 2.. {
        let taken: Option<i64> =
            sqlx::query_scalar("SELECT id FROM stories WHERE slug = $1 AND id IS DISTINCT FROM $2")
                .bind(&candidate)
                .bind(story)
                .fetch_optional(&mut *conn)
                .await?;
        if taken.is_none() {
            break;
        }
        let suffix = format!("-{n}");
        let room = SLUG_MAX.saturating_sub(suffix.len()).min(base.len());
        let stem = base.get(..room).unwrap_or(base).trim_end_matches('-');
        candidate = format!("{stem}{suffix}");
    }
    Ok(candidate)
}

/// Gives every story without a slug one: stories made before slugs existed.
pub async fn fill_missing(db: &AnyPool) -> Result<()> {
    let mut tx = db.begin().await?;
    let missing: Vec<(StoryId, String)> =
        sqlx::query_as("SELECT id, title FROM stories WHERE slug IS NULL ORDER BY id")
            .fetch_all(&mut *tx)
            .await?;
    for (id, title) in missing {
        let slug = unique(&mut tx, &slugify(&title), Some(id)).await?;
        sqlx::query("UPDATE stories SET slug = $1 WHERE id = $2")
            .bind(slug)
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_readable_and_never_numbers() {
        assert_eq!(slugify("The Café at Night!"), "the-cafe-at-night");
        assert_eq!(slugify("  Seat 14 "), "seat-14");
        assert_eq!(slugify("1984"), "story-1984");
        assert_eq!(slugify("???"), "story");
        assert_eq!(slugify("Don't stop"), "dont-stop");
        assert_eq!(slugify("Straße, Æther"), "strasse-aether");
        // Other scripts are spelt in ASCII rather than dropped.
        assert_eq!(slugify("Привет мир"), "privet-mir");
        assert!(slugify(&"long ".repeat(100)).len() <= SLUG_MAX);
        assert!(slug_problem(&slugify(&"word ".repeat(100))).is_none());
        assert!(slug_problem("12").is_some());
        assert!(slug_problem("Bad Slug").is_some());
        assert!(slug_problem("-x").is_some());
        assert!(slug_problem("fine-2").is_none());
        let long = slugify(&"word ".repeat(100));
        let mut suffixed = long[..SLUG_MAX - 2].trim_end_matches('-').to_string();
        suffixed.push_str("-2");
        assert!(slug_problem(&suffixed).is_none());
    }
}
