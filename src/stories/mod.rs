//! Stories for readers: the list, the story page, unique reads, and the
//! JSON API.

pub mod api;
pub mod cache;
pub mod markdown;
pub mod pages;
pub mod queries;
pub mod reads;
mod samples;
pub mod slugs;

use std::sync::Arc;

use rocket::fairing::AdHoc;
use rocket::Route;
use rocket_db_pools::Database;
use serde::Serialize;

use crate::db::Db;
use crate::live::Live;
pub use cache::{CachedStory, StoryCache};
pub use reads::Reads;

/// A story's title and live figures, as the list and the API show them.
#[derive(Debug, Clone, Serialize)]
pub struct StoryFigures {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub read_count: i64,
    pub current_viewers: usize,
}

impl StoryFigures {
    fn of(story: queries::StorySummary, live: &Live) -> StoryFigures {
        StoryFigures {
            current_viewers: live.viewers(story.id),
            id: story.id,
            slug: story.slug,
            title: story.title,
            read_count: story.read_count,
        }
    }
}

pub fn routes() -> Vec<Route> {
    rocket::routes![pages::index, pages::show]
}

pub fn api_routes() -> Vec<Route> {
    rocket::routes![api::list, api::show]
}

/// Starts the read writer and the story cache, and adds the sample stories
/// to a new database when `sample_stories` is on. Runs after the migrations.
pub fn stage(sample_stories: bool) -> AdHoc {
    AdHoc::try_on_ignite("Stories", move |rocket| async move {
        let Some(db) = Db::fetch(&rocket) else {
            return Err(rocket);
        };
        let pool = db.pool().clone();
        let Some(live) = rocket.state::<Arc<Live>>().cloned() else {
            rocket::error!("the live figures must be set up before the stories");
            return Err(rocket);
        };
        if let Err(e) = slugs::fill_missing(&pool).await {
            rocket::error!("giving stories their URL names failed: {e}");
            return Err(rocket);
        }
        if sample_stories {
            if let Err(e) = samples::add_if_new(&pool).await {
                rocket::error!("adding the sample stories failed: {e}");
                return Err(rocket);
            }
        }
        Ok(rocket
            .manage(StoryCache::new())
            .manage(Reads::start(pool, live)))
    })
}
