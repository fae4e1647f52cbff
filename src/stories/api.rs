//! The JSON API for scripts and widgets: the same figures as the pages,
//! under the same rules (the list is public, a story needs a login).

use rocket::serde::json::Json;
use rocket::{get, State};
use serde::Serialize;

use super::cache::StoryCache;
use super::{figures_of, queries, StoryFigures};
use crate::auth::CurrentUser;
use crate::db::Db;
use crate::error::Result;
use crate::live::Engine;

#[derive(Serialize)]
pub struct StoryList {
    stories: Vec<StoryFigures>,
}

#[get("/stories")]
pub async fn list(db: &Db, live: &State<Engine>) -> Result<Json<StoryList>> {
    let stories = figures_of(queries::published(db.pool()).await?, live).await;
    Ok(Json(StoryList { stories }))
}

#[get("/stories/<key>")]
pub async fn show(
    key: &str,
    _reader: CurrentUser,
    db: &Db,
    stories: &State<StoryCache>,
    live: &State<Engine>,
) -> Result<Json<StoryFigures>> {
    let story = stories.require(db.pool(), key).await?;
    Ok(Json(StoryFigures {
        id: story.id,
        slug: story.slug.clone(),
        title: story.title.clone(),
        read_count: story.read_count(),
        current_viewers: live.viewers_of(story.id).await,
    }))
}
