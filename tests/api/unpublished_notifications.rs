//! A story that is no longer published is not shown in its followers'
//! notifications, not even by name: an admin may have renamed it since.

use rocket::http::Status;

use crate::helpers::spawn_app;
use crate::notifications::post_update;

#[rocket::async_test]
async fn a_story_unpublished_and_renamed_is_named_nowhere_in_its_followers_feeds() {
    let app = spawn_app().await;
    let story = app.add_story("Night Train", "Text").await;
    let admin = app.admin("editor").await;
    let alice = app.follower("alice", "night-train").await;
    post_update(&app, &admin, story, "Chapter two is out").await;
    let renamed = admin
        .post_form(
            &app,
            &format!("/admin/stories/{story}"),
            &[
                ("title", "The Secret Sequel"),
                ("slug", "secret-sequel"),
                ("body", "Text"),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(renamed.status, Status::SeeOther, "{}", renamed.body);
    let unpublished = admin
        .post_form(&app, &format!("/admin/stories/{story}/unpublish"), &[])
        .await;
    assert_eq!(unpublished.status, Status::SeeOther, "{}", unpublished.body);

    let feed = alice.get(&app, "/notifications").await;
    let following = alice.get(&app, "/following").await;

    for page in [&feed, &following] {
        assert_eq!(page.status, Status::Ok);
        for name in [
            "Secret Sequel",
            "secret-sequel",
            "Night Train",
            "night-train",
        ] {
            assert!(!page.body.contains(name), "{name} shown: {}", page.body);
        }
        assert!(page.body.contains("no longer published"), "{}", page.body);
    }
    assert!(feed.body.contains("Chapter two is out"), "the update stays");
    // Its follower can still stop following it, by its number.
    let unfollow = format!("action=\"/stories/{story}/unfollow\"");
    assert!(following.body.contains(&unfollow), "{}", following.body);
    let page = alice
        .post_form(&app, &format!("/stories/{story}/unfollow"), &[])
        .await;
    assert_eq!(page.status, Status::NoContent);
    assert_eq!(app.rows_of("follows", "alice").await, 0);
}
