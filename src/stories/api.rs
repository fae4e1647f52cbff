//! The JSON API for scripts and widgets: the same figures as the pages,
//! under the same rules (the list is public, a story needs a login).

use std::sync::Arc;

use rocket::serde::json::Json;
use rocket::{get, State};
use serde::Serialize;

use super::cache::StoryCache;
use super::pages::find;
use super::queries;
use super::StoryFigures;
use crate::auth::CurrentUser;
use crate::db::Db;
use crate::error::Result;
use crate::live::Live;

#[derive(Serialize)]
pub struct StoryList {
    stories: Vec<StoryFigures>,
}

#[get("/stories")]
pub async fn list(db: &Db, live: &State<Arc<Live>>) -> Result<Json<StoryList>> {
    let stories = queries::published(db.pool())
        .await?
        .into_iter()
        .map(|story| StoryFigures::of(story, live))
        .collect();
    Ok(Json(StoryList { stories }))
}

#[get("/stories/<key>")]
pub async fn show(
    key: &str,
    _reader: CurrentUser,
    db: &Db,
    stories: &State<StoryCache>,
    live: &State<Arc<Live>>,
) -> Result<Json<StoryFigures>> {
    let story = find(db.pool(), stories, key).await?;
    Ok(Json(StoryFigures {
        id: story.id,
        slug: story.slug.clone(),
        title: story.title.clone(),
        read_count: story.read_count(),
        current_viewers: live.viewers(story.id),
    }))
}
