//! The story list's live stream.

use crate::helpers::{spawn_app, Browser};

#[rocket::async_test]
async fn the_list_stream_starts_with_every_published_story() {
    let app = spawn_app().await;
    let one = app.add_story("One", "Text").await;
    let two = app.add_story("Two", "Text").await;
    app.add_draft("Draft", "Text").await;
    app.reader("alice")
        .await
        .get(&app, &format!("/stories/{one}"))
        .await;

    let mut list = Browser::new().events(&app, "/live/stories").await;

    let first = list.next().await.expect("a snapshot");
    assert_eq!(first.name, "stories");
    let stories = first.data.as_array().expect("a list");
    assert_eq!(stories.len(), 2);
    let figures = |id| {
        stories
            .iter()
            .find(|s| s["id"] == id)
            .expect("the story")
            .clone()
    };
    assert_eq!(figures(one)["reads"], 1);
    assert_eq!(figures(one)["viewers"], 1);
    assert_eq!(figures(two)["reads"], 0);
    assert_eq!(figures(two)["viewers"], 0);
}

#[rocket::async_test]
async fn the_list_stream_pushes_new_viewers_and_reads() {
    let app = spawn_app().await;
    let story = app.add_story("One", "Text").await;
    let alice = app.reader("alice").await;
    let mut list = Browser::new().events(&app, "/live/stories").await;
    list.next().await.expect("a snapshot");

    alice.get(&app, &format!("/stories/{story}")).await;

    let (change, _) = list
        .until("a read and a viewer", |e| {
            e.data
                .as_array()
                .into_iter()
                .flatten()
                .any(|s| s["id"] == story && s["reads"] == 1 && s["viewers"] == 1)
        })
        .await;
    assert_eq!(change.name, "stories");
}
