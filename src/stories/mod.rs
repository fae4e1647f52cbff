//! Stories for readers: the list (in pages, sorted, searched), the story
//! page, unique reads, following a story, and the JSON API.

pub mod api;
pub mod cache;
pub mod cards;
pub mod catalogue;
mod follows;
pub mod list_page;
pub mod list_params;
pub mod listing;
pub mod markdown;
pub mod pages;
pub mod queries;
pub mod reading_now;
pub mod reads;
mod resume;
pub mod rows;
mod samples;
pub mod schedule;
pub mod search;
pub mod share;
pub mod shells;
pub mod slugs;
pub mod summary;

use rocket::fairing::AdHoc;
use rocket::Route;
use rocket_db_pools::Database;
use serde::Serialize;

use crate::db::Db;
use crate::ids::StoryId;
use crate::live::Engine;
use crate::notifications::Inboxes;
use crate::web::Resumers;
pub use cache::{CachedStory, StoryCache};
pub use reads::Reads;
use std::sync::Arc;

/// 301 from `/stories/<key><rest>` to the same address under the story's
/// current name, when `key` is a name the story had before; else 404.
pub async fn moved(
    db: &sqlx::AnyPool,
    key: &str,
    rest: &str,
) -> crate::error::Result<rocket::response::Redirect> {
    match queries::renamed_slug(db, key).await? {
        Some(slug) => Ok(rocket::response::Redirect::moved(format!(
            "{}{rest}",
            share::story_path(&slug)
        ))),
        None => Err(crate::error::Error::NotFound),
    }
}

/// A story's title and live figures, as the list and the API show them.
#[derive(Debug, Clone, Serialize)]
pub struct StoryFigures {
    pub id: StoryId,
    pub slug: String,
    pub title: String,
    pub read_count: i64,
    pub current_viewers: usize,
}

/// The figures of `stories`, with their viewers now.
pub async fn figures_of(stories: Vec<queries::StorySummary>, live: &Engine) -> Vec<StoryFigures> {
    let ids: Vec<StoryId> = stories.iter().map(|story| story.id).collect();
    let viewers = live.viewers(&ids).await;
    stories
        .into_iter()
        .enumerate()
        .map(|(i, story)| StoryFigures {
            id: story.id,
            slug: story.slug,
            title: story.title,
            read_count: story.read_count,
            // An engine that could not count a story says nothing of it:
            // the story is still listed.
            current_viewers: viewers.get(i).copied().unwrap_or(0),
        })
        .collect()
}

pub fn routes() -> Vec<Route> {
    rocket::routes![
        list_page::index,
        pages::show,
        follows::follow,
        follows::unfollow
    ]
}

pub fn api_routes() -> Vec<Route> {
    rocket::routes![api::list, api::show]
}

/// Starts the read writer and the story cache, and adds the sample stories
/// to a new database when `sample_stories` is on. Runs after the migrations
/// and the live engine.
pub fn stage(sample_stories: bool) -> AdHoc {
    AdHoc::try_on_ignite("Stories", move |rocket| async move {
        let Some(db) = Db::fetch(&rocket) else {
            return Err(rocket);
        };
        let pool = db.pool().clone();
        let Some(live) = rocket.state::<Engine>().cloned() else {
            rocket::error!("the live engine must be set up before the stories");
            return Err(rocket);
        };
        if let Err(e) = slugs::fill_missing(&pool).await {
            rocket::error!("giving stories their URL names failed: {e}");
            return Err(rocket);
        }
        if let Err(e) = queries::fill_missing_summaries(&pool).await {
            rocket::error!("working out the stories' excerpts failed: {e}");
            return Err(rocket);
        }
        if sample_stories {
            if let Err(e) = samples::add_if_new(&pool).await {
                rocket::error!("adding the sample stories failed: {e}");
                return Err(rocket);
            }
        }
        let Some(inboxes) = rocket.state::<Inboxes>().cloned() else {
            rocket::error!("the notifications must be set up before the stories");
            return Err(rocket);
        };
        let stories = StoryCache::new();
        // Stories changed on another node.
        let forgetful = stories.clone();
        crate::live::on_forget(&live, move |what| match what {
            crate::live::Forget::Story { story } => forgetful.invalidate(story),
            crate::live::Forget::Everything => forgetful.invalidate_all(),
            _ => {}
        });
        let resumers: Resumers = Arc::new(resume::FollowResumer {
            db: pool.clone(),
            stories: stories.clone(),
            inboxes,
            live: live.clone(),
        });
        let shells = shells::KeptPages::new(live.presence_ttl().as_secs());
        let schedule = schedule::Schedule::default();
        schedule.start(pool.clone(), stories.clone(), live.clone());
        Ok(rocket
            .manage(stories)
            .manage(shells)
            .manage(schedule)
            .manage(resumers)
            .manage(Reads::start(pool, live)))
    })
}
