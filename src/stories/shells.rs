//! The pages readers land on most, kept as shells (see
//! [`crate::web::shells`]): the story page, per story and kind of reader
//! (an admin or not, following the story or not), and the list's first
//! page, per kind of visitor. Each request fills in the reader's name,
//! unread badge and CSRF token, and the page's own figures: for a story,
//! its counts, relative dates and text (kept once, in the story cache); for
//! the list, its lines (kept by [`super::rows`]). Rendering the story page
//! with Tera cost a third of its CPU; filling the marks in costs a copy. A
//! shell is rendered again when its story, the catalogue (its neighbours),
//! the kept page or the public address changes.

use std::sync::Arc;

use rocket_dyn_templates::{context, Metadata};
use serde::Serialize;

use super::catalogue::Catalogue;
use super::listing::Page;
use super::share::Share;
use super::CachedStory;
use crate::error::{Error, Result};
use crate::ids::StoryId;
use crate::web::marked::{mark, Marked};
use crate::web::shells::Shells;
use crate::web::{Layout, PublicOrigin, LAYOUT_SLOTS};

/// A story page's slots after the layout's, in the order of the values
/// [`KeptPages::story`] fills them with.
const STORY_SLOTS: [&str; 6] = [
    "viewers",
    "reads",
    "reads-label",
    "published-ago",
    "updated-ago",
    "body",
];

/// Who a story page's shell is for: the navigation and the follow button
/// differ.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Kind {
    pub admin: bool,
    pub following: bool,
}

/// What a request fills a story page in with.
pub struct Filling<'a> {
    pub layout: &'a Layout,
    pub viewers: usize,
    pub read_count: i64,
    pub published_ago: &'a str,
    pub updated_ago: &'a str,
}

/// The kept shells (cheap to clone: clones share them).
#[derive(Clone)]
pub struct KeptPages {
    stories: Shells<(StoryId, Kind)>,
    front: Shells<Option<bool>>,
    presence_ttl: u64,
}

impl KeptPages {
    /// `presence_ttl`: the live engine's, in seconds, for the page's pings.
    pub fn new(presence_ttl: u64) -> KeptPages {
        KeptPages {
            // A shell without the story's text is a few kilobytes.
            stories: Shells::new(20_000),
            front: Shells::new(3),
            presence_ttl,
        }
    }

    /// The story page of `story` for a reader of `kind`, filled in.
    pub fn story(
        &self,
        templates: &Metadata<'_>,
        kind: Kind,
        (story, catalogue, origin): (&Arc<CachedStory>, &Arc<Catalogue>, &PublicOrigin),
        filling: &Filling<'_>,
    ) -> Result<String> {
        let shell = self
            .stories
            .get((story.id, kind), &[story, catalogue], &origin.0, || {
                self.render_story(templates, kind, story, catalogue, origin)
            })?;
        let [csrf, username, badge, said] = filling.layout.values();
        let (viewers, reads) = (filling.viewers.to_string(), filling.read_count.to_string());
        let values = [
            &*csrf,
            &*username,
            &*badge,
            &*said,
            &viewers,
            &reads,
            if filling.read_count == 1 {
                "read"
            } else {
                "reads"
            },
            filling.published_ago,
            filling.updated_ago,
            &story.html,
        ];
        let mut html = String::with_capacity(shell.text_len() + story.html.len() + 256);
        shell.fill(&mut html, &values);
        Ok(html)
    }

    fn render_story(
        &self,
        templates: &Metadata<'_>,
        kind: Kind,
        story: &CachedStory,
        catalogue: &Catalogue,
        origin: &PublicOrigin,
    ) -> Result<Marked> {
        let around = catalogue.neighbours(story.id);
        let context = context! {
            layout: Layout::marked(Some(kind.admin)),
            story: context! {
                id: story.id, slug: &story.slug, title: &story.title,
                author: &story.author, reading_minutes: story.reading_minutes,
                published_at: &story.published_at, published_exact: &story.published_exact,
                updated_at: &story.updated_at, updated_exact: &story.updated_exact,
                cover: &story.cover,
            },
            share: Share::of(origin, story),
            previous: around.previous,
            next: around.next,
            following: kind.following,
            presence_ttl: self.presence_ttl,
            viewers: mark(STORY_SLOTS[0]),
            reads: mark(STORY_SLOTS[1]),
            reads_label: mark(STORY_SLOTS[2]),
            published_ago: mark(STORY_SLOTS[3]),
            updated_ago: mark(STORY_SLOTS[4]),
            body: mark(STORY_SLOTS[5]),
        };
        render(templates, "stories/show.html", context, &STORY_SLOTS)
    }

    /// The list's first page (kept as `page`) for `layout`'s reader, with
    /// `lines` filled in; `context` gives the page's context for a layout
    /// and its lines.
    pub fn front<C: Serialize>(
        &self,
        templates: &Metadata<'_>,
        (page, layout, lines): (&Arc<Page>, &Layout, &str),
        context: impl FnOnce(Layout, String) -> C,
    ) -> Result<String> {
        let admin = layout.admin();
        let shell = self.front.get(admin, &[page], "", || {
            let context = context(Layout::marked(admin), mark("lines"));
            render(templates, "stories/index.html", context, &["lines"])
        })?;
        let [csrf, username, badge, said] = layout.values();
        let mut html = String::with_capacity(shell.text_len() + lines.len());
        shell.fill(&mut html, &[&csrf, &username, &badge, &said, lines]);
        Ok(html)
    }
}

/// `template` rendered with `context`, cut at the layout's marks and at
/// those of `slots` (in that order).
fn render(
    templates: &Metadata<'_>,
    template: &'static str,
    context: impl Serialize,
    slots: &[&str],
) -> Result<Marked> {
    let (_, html) = templates
        .render(template, context)
        .ok_or_else(|| Error::internal(format!("{template} did not render")))?;
    let slots: Vec<&str> = LAYOUT_SLOTS.iter().chain(slots).copied().collect();
    Ok(Marked::parse(&html, &slots))
}
