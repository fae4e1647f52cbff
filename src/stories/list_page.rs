//! The story list, `/`: a page of published stories in the order asked for
//! (newest, most read, reading now) or the results of a search, with their
//! figures now. Open to visitors, so they can see what there is before
//! signing up.

use std::sync::Arc;

use rocket::form::FromForm;
use rocket::outcome::{try_outcome, Outcome};
use rocket::request::{self, FromRequest, Request};
use rocket::response::content::RawHtml;
use rocket::{get, Responder};
use rocket_dyn_templates::{context, Metadata, Template};

use super::cards::{Card, ListItem};
use super::list_params::{self, Position, Sort};
use super::listing::{self, Indexed, Page, PageLink};
use super::reading_now;
use super::rows::{Lines, Live};
use super::search::{self, QUERY_MAX_CHARS};
use super::shells::KeptPages;
use super::StoryCache;
use crate::auth::CurrentUser;
use crate::db::Db;
use crate::error::{managed, Result};
use crate::ids::StoryId;
use crate::live::Engine;
use crate::notifications::Inboxes;
use crate::util::unix_now;
use crate::web::{query_encode, Layout};

/// What the list's address may ask for.
#[derive(Debug, Default, FromForm)]
pub struct ListQuery {
    sort: Option<String>,
    q: Option<String>,
    after: Option<String>,
    before: Option<String>,
}

#[get("/?<list..>")]
pub async fn index(
    list: ListQuery,
    reader: Option<CurrentUser>,
    layout: Layout,
    db: &Db,
    shelf: Shelf<'_>,
) -> Result<ListPage> {
    let sort = Sort::parse(list.sort.as_deref())?;
    let typed: Option<String> = list
        .q
        .as_deref()
        .map(|q| q.trim().chars().take(QUERY_MAX_CHARS).collect())
        .filter(|q: &String| !q.is_empty());
    let (after, before) = (list.after.as_deref(), list.before.as_deref());
    let pool = db.pool();
    let (page, kept) = match &typed {
        Some(typed) => {
            let offset = list_params::offset(after, before)?;
            let words = search::words(typed);
            (
                listing::found(pool, words.as_deref(), offset).await?.into(),
                false,
            )
        }
        None => match (sort, list_params::position(sort, after, before)?) {
            (Sort::Newest, Position::First) => (shelf.stories.front_page(pool).await?, true),
            (Sort::Newest, at) => (
                listing::indexed(pool, Indexed::Newest, at).await?.into(),
                false,
            ),
            (Sort::MostRead, at) => (
                listing::indexed(pool, Indexed::MostRead, at).await?.into(),
                false,
            ),
            (Sort::ReadingNow, at) => {
                let catalogue = shelf.stories.catalogue(pool).await?;
                let page = reading_now::page(pool, &catalogue, shelf.live, at).await?;
                (Arc::new(page), false)
            }
        },
    };
    let follows: Option<Vec<StoryId>> = match reader {
        Some(reader) => Some(
            shelf
                .inboxes
                .get(pool, reader.user_id)
                .await?
                .follows
                .to_vec(),
        ),
        None => None,
    };
    let (lines, stories) = shelf.lines(&page, kept, follows.as_deref()).await?;
    let address = Address {
        q: typed.as_deref(),
        sort,
    };
    let here = [("after", after), ("before", before)]
        .into_iter()
        .find_map(|(param, cursor)| cursor.filter(|c| !c.is_empty()).map(|c| (param, c)));
    let context = |layout: Layout, lines: Option<String>| {
        context! {
            layout,
            // Tests `lines` without evaluating it: Tera escapes a string to
            // test it, which for the whole list cost 13 % of the page's CPU.
            kept_lines: lines.is_some(),
            lines,
            stories: &stories,
            count: page.cards.len(),
            sort: sort.name(),
            q: typed.as_deref().unwrap_or(""),
            searching: typed.is_some(),
            first_page: page.newer.is_none(),
            here: address.href(here),
            first_href: address.href(None),
            newer: page.newer.as_ref().map(|link| address.link(link)),
            older: page.older.as_ref().map(|link| address.link(link)),
        }
    };
    if let Some(lines) = &lines {
        // The first page, kept: its frame is kept too.
        let html = shelf.kept.front(
            &shelf.templates,
            (&page, &layout, lines),
            |layout, lines| context(layout, Some(lines)),
        )?;
        return Ok(ListPage::Kept(RawHtml(html)));
    }
    Ok(ListPage::Rendered(Box::new(Template::render(
        "stories/index.html",
        context(layout, None),
    ))))
}

/// The list: the first page from its kept shell, any other rendered.
#[derive(Responder)]
pub enum ListPage {
    Kept(RawHtml<String>),
    Rendered(Box<Template>),
}

/// What the list needs besides the database: the live engine for the
/// figures, the readers' follows, the kept pages, and the templates to
/// render kept lines with.
pub struct Shelf<'r> {
    live: &'r Engine,
    inboxes: &'r Inboxes,
    stories: &'r StoryCache,
    kept: &'r KeptPages,
    templates: Metadata<'r>,
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Shelf<'r> {
    type Error = ();

    async fn from_request(req: &'r Request<'_>) -> request::Outcome<Self, ()> {
        Outcome::Success(Shelf {
            live: try_outcome!(managed::<Engine>(req)),
            inboxes: try_outcome!(managed::<Inboxes>(req)),
            stories: try_outcome!(managed::<StoryCache>(req)),
            kept: try_outcome!(managed::<KeptPages>(req)),
            templates: try_outcome!(req.guard::<Metadata<'r>>().await),
        })
    }
}

impl Shelf<'_> {
    /// The page's lines with their figures now, for a reader who follows
    /// `follows` (`None`: a visitor): a kept page's as HTML, from lines
    /// rendered once; any other's as items for the template to render.
    async fn lines<'p>(
        &self,
        page: &'p Page,
        kept: bool,
        follows: Option<&[StoryId]>,
    ) -> Result<(Option<String>, Vec<ListItem<'p>>)> {
        let ids: Vec<StoryId> = page.cards.iter().map(|card| card.id).collect();
        // An engine that could not count a story says nothing of it: the
        // story is still listed.
        let viewers = self.live.viewers(&ids).await;
        let now = unix_now();
        let following = |card: &Card| follows.map(|follows| follows.contains(&card.id));
        let figures = |i: usize, card: &Card, button| {
            Live::now(card, viewers.get(i).copied().unwrap_or(0), now, button)
        };
        if !kept {
            let items = page.cards.iter().enumerate().map(|(i, card)| {
                let button = match following(card) {
                    None => "",
                    Some(false) => "follow",
                    Some(true) => "unfollow",
                };
                card.item(figures(i, card, button))
            });
            return Ok((None, items.collect()));
        }
        let lines = match page.lines.get() {
            Some(lines) => lines,
            None => {
                let rendered = page
                    .cards
                    .iter()
                    .map(|card| Lines::render(card, &self.templates));
                let _ = page.lines.set(rendered.collect::<Result<_>>()?);
                page.lines.get().map(Vec::as_slice).unwrap_or_default()
            }
        };
        let mut html = String::with_capacity(lines.len() * 1_500);
        for (i, (card, lines)) in page.cards.iter().zip(lines).enumerate() {
            lines
                .for_reader(following(card))
                .fill(&mut html, &figures(i, card, ""));
        }
        Ok((Some(html), Vec::new()))
    }
}

/// The list's address without its page: the search, or the order.
struct Address<'a> {
    q: Option<&'a str>,
    sort: Sort,
}

impl Address<'_> {
    fn link(&self, link: &PageLink) -> String {
        self.href(Some((link.param, &link.cursor)))
    }

    fn href(&self, page: Option<(&str, &str)>) -> String {
        let mut params = Vec::new();
        match self.q {
            Some(q) => params.push(format!("q={}", query_encode(q))),
            None if self.sort != Sort::Newest => params.push(format!("sort={}", self.sort.name())),
            None => {}
        }
        if let Some((param, cursor)) = page {
            params.push(format!("{param}={}", query_encode(cursor)));
        }
        match params.is_empty() {
            true => "/".to_string(),
            false => format!("/?{}", params.join("&")),
        }
    }
}
