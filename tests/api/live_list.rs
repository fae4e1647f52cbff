//! The story list's live stream.

use std::time::Duration;

use folio::ids::{StoryId, UserId};
use folio::live::Engine;

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

#[rocket::async_test]
async fn a_list_that_falls_behind_gets_a_fresh_snapshot_and_nothing_older() {
    let app = spawn_app().await;
    let story = app.add_story("One", "Text").await;
    let live = app.client.rocket().state::<Engine>().expect("live figures");
    let mut list = Browser::new().events(&app, "/live/stories").await;
    list.next().await.expect("a snapshot");

    // A hundred published changes while this page reads nothing: more than
    // the channel keeps.
    for session in 0..100 {
        live.ping(StoryId(story), UserId(1_000 + session)).await;
        live.publish_pending().await;
    }
    let caught_up = list.next().await.expect("a snapshot after falling behind");
    // Nothing older may follow the snapshot.
    let stale = list.next_within(Duration::from_millis(300)).await;
    live.ping(StoryId(story), UserId(2_000)).await;
    live.publish_pending().await;
    let next = list.next().await.expect("the next change");

    assert_eq!(caught_up.data[0]["viewers"], 100, "{caught_up:?}");
    assert!(
        stale.is_none(),
        "an older change followed the snapshot: {stale:?}"
    );
    assert_eq!(next.data[0]["viewers"], 101, "{next:?}");
}
