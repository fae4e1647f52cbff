//! Story pages' live streams, read through the local client.

use std::sync::Arc;
use std::time::Duration;

use folio::ids::{StoryId, UserId};
use folio::live::{Engine, MemoryEngine, Viewing};
use rocket::http::{Header, Status};

use crate::helpers::{spawn_app, spawn_app_with, Browser, TestApp};

fn live(app: &TestApp) -> &Engine {
    app.client
        .rocket()
        .state::<Engine>()
        .expect("the live engine")
}

#[rocket::async_test]
async fn a_story_stream_starts_with_the_current_figures() {
    let app = spawn_app().await;
    let story = app.add_story("A story", "Text").await;
    let alice = app.reader("alice").await;
    alice.get(&app, &format!("/stories/{story}")).await;

    let mut events = alice.events(&app, &format!("/live/stories/{story}")).await;

    let first = events.next().await.expect("a first event");
    assert_eq!(first.name, "figures");
    assert_eq!(first.data["viewers"], 1);
    assert_eq!(first.data["reads"], 1);
}

#[rocket::async_test]
async fn a_second_session_raises_the_count_on_open_streams() {
    let app = spawn_app().await;
    let story = app.add_story("A story", "Text").await;
    let (alice, bob) = (app.reader("alice").await, app.reader("bob").await);
    let uri = format!("/live/stories/{story}");
    let mut alices = alice.events(&app, &uri).await;
    alices.until_figures(1, 0).await;

    let mut bobs = bob.events(&app, &uri).await;

    bobs.until_figures(2, 0).await;
    alices.until_figures(2, 0).await;
}

#[rocket::async_test]
async fn one_session_in_two_tabs_is_one_viewer_until_its_last_tab_closes() {
    let app = spawn_app().await;
    let story = app.add_story("A story", "Text").await;
    let (alice, bob, carol) = (
        app.reader("alice").await,
        app.reader("bob").await,
        app.reader("carol").await,
    );
    let uri = format!("/live/stories/{story}");
    let first_tab = alice.events(&app, &uri).await;
    let second_tab = alice.events(&app, &uri).await;
    let mut bobs = bob.events(&app, &uri).await;
    bobs.until_figures(2, 0).await;

    drop(first_tab);
    let _carols = carol.events(&app, &uri).await;

    // Had the first tab's closing counted as Alice leaving, Bob would see 1
    // before 3, or stay at 2 (a repeat of 2 is the publisher catching up
    // with his own arrival).
    let moved = |e: &crate::events::Received| e.name == "figures" && e.data["viewers"] != 2;
    let (next, _) = bobs.until("a count other than 2", moved).await;
    assert_eq!(next.data["viewers"], 3, "{next:?}");
    drop(second_tab);
    bobs.until_figures(2, 0).await;
}

#[rocket::async_test]
async fn closing_a_stream_lowers_the_count_on_the_others() {
    let app = spawn_app().await;
    let story = app.add_story("A story", "Text").await;
    let (alice, bob) = (app.reader("alice").await, app.reader("bob").await);
    let uri = format!("/live/stories/{story}");
    let mut alices = alice.events(&app, &uri).await;
    let bobs = bob.events(&app, &uri).await;
    alices.until_figures(2, 0).await;

    drop(bobs);

    alices.until_figures(1, 0).await;
}

#[rocket::async_test]
async fn a_first_read_pushes_the_new_read_count() {
    let app = spawn_app().await;
    let story = app.add_story("A story", "Text").await;
    let (alice, bob) = (app.reader("alice").await, app.reader("bob").await);
    alice.get(&app, &format!("/stories/{story}")).await;
    let mut alices = alice.events(&app, &format!("/live/stories/{story}")).await;
    alices.until_figures(1, 1).await;

    bob.get(&app, &format!("/stories/{story}")).await;

    alices.until_figures(2, 2).await;
}

#[rocket::async_test]
async fn a_silent_viewer_stops_counting_after_the_ttl_and_a_pinging_one_does_not() {
    let app = spawn_app_with(|f| f.merge(("presence_ttl", 1))).await;
    let story = app.add_story("A story", "Text").await;
    let (silent, pinging) = (app.reader("silent").await, app.reader("pinging").await);
    let uri = format!("/live/stories/{story}");
    let _silent_stream = silent.events(&app, &uri).await;
    let _pinging_stream = pinging.events(&app, &uri).await;
    let mut list = Browser::new().events(&app, "/live/stories").await;
    list.until("two viewers", |e| e.data[0]["viewers"] == 2)
        .await;
    let token = pinging.csrf_token(&app).await;

    // The pinging reader pings every 300 ms; the silent one never does.
    let pings = async {
        for _ in 0..10 {
            let page = pinging
                .post_with(
                    &app,
                    &format!("/api/stories/{story}/here"),
                    Header::new("X-CSRF-Token", token.clone()),
                )
                .await;
            assert_eq!(page.status, Status::NoContent);
            rocket::tokio::time::sleep(Duration::from_millis(300)).await;
        }
    };
    let (_, (expired, _)) = rocket::tokio::join!(
        pings,
        list.until("one viewer", |e| e.data[0]["viewers"] == 1)
    );

    assert_eq!(expired.data[0]["viewers"], 1);
    assert_eq!(
        live(&app).viewers_of(StoryId(story)).await,
        1,
        "the pinging reader still counts after 3 TTLs"
    );
}

#[rocket::async_test]
async fn a_ping_needs_the_csrf_header_and_a_login() {
    let app = spawn_app().await;
    let story = app.add_story("A story", "Text").await;
    let alice = app.reader("alice").await;
    let uri = format!("/api/stories/{story}/here");

    let no_header = alice
        .post_with(&app, &uri, Header::new("X-Nothing", ""))
        .await;
    let wrong = alice
        .post_with(&app, &uri, Header::new("X-CSRF-Token", "forged"))
        .await;
    let anonymous = Browser::new()
        .post_with(&app, &uri, Header::new("X-CSRF-Token", "x"))
        .await;

    assert_eq!(no_header.status, Status::Forbidden);
    assert_eq!(wrong.status, Status::Forbidden);
    assert_eq!(anonymous.status, Status::Unauthorized);
    assert_eq!(live(&app).viewers_of(StoryId(story)).await, 0);
}

#[rocket::async_test]
async fn a_stream_without_a_valid_session_is_refused() {
    let app = spawn_app().await;
    let story = app.add_story("A story", "Text").await;
    let draft = app.add_draft("A draft", "Text").await;
    let forged = Browser::new();
    forged.set_cookie("session", "not a real session");

    let anonymous = Browser::new()
        .get(&app, &format!("/live/stories/{story}"))
        .await;
    let forged = forged.get(&app, &format!("/live/stories/{story}")).await;
    let alice = app.reader("alice").await;
    let draft = alice.get(&app, &format!("/live/stories/{draft}")).await;
    let unknown = alice.get(&app, "/live/stories/999").await;

    assert_eq!(anonymous.status, Status::Unauthorized);
    assert_eq!(anonymous.json()["error"], "You need to log in first.");
    assert_eq!(forged.status, Status::Unauthorized);
    assert_eq!(draft.status, Status::NotFound);
    assert_eq!(unknown.status, Status::NotFound);
    assert_eq!(live(&app).viewers_of(StoryId(story)).await, 0);
}

#[rocket::async_test]
async fn nothing_is_left_behind_when_every_viewer_leaves() {
    let app = spawn_app().await;
    let story = app.add_story("A story", "Text").await;
    let (alice, bob) = (app.reader("alice").await, app.reader("bob").await);
    let uri = format!("/live/stories/{story}");
    let streams = vec![
        alice.events(&app, &uri).await,
        alice.events(&app, &uri).await,
        bob.events(&app, &uri).await,
    ];
    assert_eq!(live(&app).open_story_channels(), 1);
    assert_eq!(live(&app).viewers_of(StoryId(story)).await, 2);

    drop(streams);

    assert_eq!(live(&app).open_story_channels(), 0);
    assert_eq!(live(&app).viewers_of(StoryId(story)).await, 0);
    assert_eq!(live(&app).total_viewers().await, 0);
}

#[rocket::async_test]
async fn streams_end_when_folio_shuts_down() {
    let app = spawn_app().await;
    let story = app.add_story("A story", "Text").await;
    let alice = app.reader("alice").await;
    let mut story_stream = alice.events(&app, &format!("/live/stories/{story}")).await;
    let mut list_stream = alice.events(&app, "/live/stories").await;
    story_stream.next().await.expect("first figures");

    app.client.rocket().shutdown().notify();

    assert!(story_stream.ended().await);
    assert!(list_stream.ended().await);
}

#[rocket::async_test]
async fn a_burst_of_arrivals_reaches_an_open_page_as_a_handful_of_messages() {
    let live: Engine = Arc::new(MemoryEngine::new(Duration::from_secs(30)));
    let (_, mut page) = live.watch_story(StoryId(1), 0).await.expect("a channel");
    let mut viewers = Vec::new();

    for session in 0..1_000 {
        viewers.push(Viewing::start(&live, StoryId(1), UserId(session)).await);
    }
    live.publish_pending().await;

    let figures = rocket::tokio::time::timeout(Duration::from_secs(1), page.changed())
        .await
        .expect("a change")
        .expect("figures");
    assert_eq!(figures.viewers, 1_000);
    // Everything arrived in that one message: nothing more is pending.
    live.publish_pending().await;
    let more = rocket::tokio::time::timeout(Duration::from_millis(50), page.changed()).await;
    assert!(more.is_err(), "a second message: {more:?}");
}

#[rocket::async_test]
async fn a_page_that_joined_between_publications_hears_of_a_leave_that_restores_the_old_count() {
    let live: Engine = Arc::new(MemoryEngine::new(Duration::from_secs(30)));
    let alice = Viewing::start(&live, StoryId(1), UserId(1)).await;
    let (first, _alices_page) = live.watch_story(StoryId(1), 0).await.expect("a channel");
    assert_eq!(first.viewers, 1);
    live.publish_pending().await;

    // Bob arrives and sees two; Alice leaves before the next publication,
    // which so finds the count it published last time.
    let _bob = Viewing::start(&live, StoryId(1), UserId(2)).await;
    let (seen, mut bobs_page) = live.watch_story(StoryId(1), 0).await.expect("a channel");
    assert_eq!(seen.viewers, 2);
    drop(alice);
    live.publish_pending().await;

    let figures = rocket::tokio::time::timeout(Duration::from_secs(1), bobs_page.changed())
        .await
        .expect("Bob's page hears of the leave")
        .expect("figures");
    assert_eq!(figures.viewers, 1);
}

async fn ping(app: &TestApp, browser: &Browser, token: &str, story: i64) -> crate::client::Page {
    let uri = format!("/api/stories/{story}/here");
    let header = Header::new("X-CSRF-Token", token.to_string());
    browser.post_with(app, &uri, header).await
}

#[rocket::async_test]
async fn a_login_pinging_faster_than_its_pages_could_is_refused_for_a_while() {
    let app = spawn_app_with(|f| f.merge(("pings_per_minute", 8))).await;
    let story = app.add_story("A story", "Text").await;
    let (alice, bob) = (app.reader("alice").await, app.reader("bob").await);
    let (alices, bobs) = (alice.csrf_token(&app).await, bob.csrf_token(&app).await);

    // Eight a minute come in bursts of two.
    assert_eq!(
        ping(&app, &alice, &alices, story).await.status,
        Status::NoContent
    );
    assert_eq!(
        ping(&app, &alice, &alices, story).await.status,
        Status::NoContent
    );
    let refused = ping(&app, &alice, &alices, story).await;

    assert_eq!(refused.status, Status::TooManyRequests);
    let wait: u64 = (refused.header("Retry-After"))
        .and_then(|s| s.parse().ok())
        .expect("Retry-After");
    assert!((1..=8).contains(&wait), "Retry-After: {wait}");
    assert!(refused.json()["error"].as_str().is_some());
    let other = ping(&app, &bob, &bobs, story).await;
    assert_eq!(other.status, Status::NoContent, "others go on");
}
