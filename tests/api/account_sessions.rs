//! The sessions page: every login of the account with its device, address
//! and times; ending one, or all but this browser's, signs those out at
//! once, their open pages included.

use std::time::Duration;

use folio::auth::Sessions;
use rocket::http::Status;
use rocket::tokio::time::Instant;

use crate::account_helpers::{
    another_login, is_logged_in, logged_in_at, session_ids, FIREFOX_ON_LINUX, SAFARI_ON_IPHONE,
};
use crate::helpers::{spawn_app, TestApp};

#[rocket::async_test]
async fn the_sessions_page_lists_each_login_with_its_device_and_address_and_marks_this_one() {
    let app = spawn_app().await;
    let laptop = logged_in_at(&app, "alice", "10.9.8.7:5000", FIREFOX_ON_LINUX).await;
    let phone = logged_in_at(&app, "alice", "192.0.2.44:6000", SAFARI_ON_IPHONE).await;
    app.reader("bob").await;

    let page = laptop.get(&app, "/account/sessions").await;

    assert_eq!(page.status, Status::Ok);
    assert!(page.body.contains("Firefox on Linux"), "{}", page.body);
    assert!(page.body.contains("Safari on iPhone"));
    assert!(page.body.contains("10.9.8.7") && page.body.contains("192.0.2.44"));
    let items: Vec<&str> = page.body.split("<li class=\"login").skip(1).collect();
    assert_eq!(items.len(), 2, "bob's login is not listed");
    let laptops = items
        .iter()
        .find(|i| i.contains("Firefox on Linux"))
        .expect("the laptop");
    let phones = items
        .iter()
        .find(|i| i.contains("Safari on iPhone"))
        .expect("the phone");
    assert!(laptops.contains("This browser") && !phones.contains("This browser"));
    let from_phone = phone.get(&app, "/account/sessions").await;
    assert_eq!(from_phone.body.matches("This browser").count(), 1);
}

async fn last_seen(app: &TestApp, id: i64) -> i64 {
    app.count(&format!(
        "SELECT last_seen_at FROM sessions WHERE id = {id}"
    ))
    .await
}

#[rocket::async_test]
async fn last_use_is_kept_in_memory_and_written_in_batches() {
    let app = spawn_app().await;
    let laptop = logged_in_at(&app, "alice", "10.9.8.7:5000", FIREFOX_ON_LINUX).await;
    let phone = logged_in_at(&app, "alice", "192.0.2.44:6000", SAFARI_ON_IPHONE).await;
    let phone_id = session_ids(&app, "alice").await[1];
    sqlx::query("UPDATE sessions SET last_seen_at = 1000000000 WHERE id = $1")
        .bind(phone_id)
        .execute(&app.db)
        .await
        .expect("an old last use");
    let page = laptop.get(&app, "/account/sessions").await;
    assert!(page.body.contains("2001-09-09 01:46"), "{}", page.body);

    assert_eq!(phone.get(&app, "/").await.status, Status::Ok);

    let page = laptop.get(&app, "/account/sessions").await;
    assert!(
        !page.body.contains("2001-09-09"),
        "the phone's use shows at once"
    );
    assert_eq!(
        last_seen(&app, phone_id).await,
        1_000_000_000,
        "no write per request"
    );
    let sessions = app.client.rocket().state::<Sessions>().expect("sessions");
    sessions.write_last_seen(&app.db).await.expect("written");
    assert!(
        last_seen(&app, phone_id).await > 1_000_000_000,
        "written in the batch"
    );
}

#[rocket::async_test]
async fn ending_one_login_signs_it_out_and_closes_its_pages_at_once() {
    let app = spawn_app().await;
    let story = app.add_story("A story", "Text").await;
    let laptop = app.reader("alice").await;
    let phone = another_login(&app, "alice").await;
    let bob = app.reader("bob").await;
    let mut phones_page = phone.events(&app, &format!("/live/stories/{story}")).await;
    let mut bobs_page = bob.events(&app, &format!("/live/stories/{story}")).await;
    bobs_page.until_figures(2, 0).await;
    let phone_id = session_ids(&app, "alice").await[1];

    let ended = Instant::now();
    let page = laptop
        .post_form(&app, &format!("/account/sessions/{phone_id}/end"), &[])
        .await;

    assert_eq!(page.status, Status::SeeOther);
    assert_eq!(page.location(), Some("/account/sessions"));
    assert!(phones_page.ended().await, "the phone's page is signed out");
    bobs_page.until_figures(1, 0).await;
    assert!(
        ended.elapsed() < Duration::from_secs(3),
        "took {:?}",
        ended.elapsed()
    );
    let list = laptop.get(&app, "/account/sessions").await;
    assert!(list.body.contains("That login is ended"), "{}", list.body);
    assert!(!is_logged_in(&app, &phone).await);
    assert!(is_logged_in(&app, &laptop).await);
    assert_eq!(session_ids(&app, "alice").await.len(), 1);
}

#[rocket::async_test]
async fn nobody_can_end_a_login_of_another_account() {
    let app = spawn_app().await;
    let alice = app.reader("alice").await;
    let mallory = app.reader("mallory").await;
    let alices = session_ids(&app, "alice").await[0];

    let page = mallory
        .post_form(&app, &format!("/account/sessions/{alices}/end"), &[])
        .await;

    assert_eq!(page.status, Status::NotFound);
    assert!(is_logged_in(&app, &alice).await);
    assert!(is_logged_in(&app, &mallory).await);
}

#[rocket::async_test]
async fn ending_all_other_logins_keeps_only_this_browser() {
    let app = spawn_app().await;
    let story = app.add_story("A story", "Text").await;
    let laptop = app.reader("alice").await;
    let phone = another_login(&app, "alice").await;
    let tablet = another_login(&app, "alice").await;
    let mut tablets_page = tablet.events(&app, "/live/stories").await;
    let mut laptops_page = laptop.events(&app, &format!("/live/stories/{story}")).await;
    laptops_page.until_figures(1, 0).await;

    let page = laptop
        .post_form(&app, "/account/sessions/end-others", &[])
        .await;

    assert_eq!(page.status, Status::SeeOther);
    let list = laptop.get(&app, "/account/sessions").await;
    assert!(
        list.body.contains("Your 2 other logins are ended"),
        "{}",
        list.body
    );
    assert!(list.body.contains("This browser is your only login"));
    assert!(tablets_page.ended().await);
    assert!(!is_logged_in(&app, &phone).await && !is_logged_in(&app, &tablet).await);
    assert!(is_logged_in(&app, &laptop).await);
    let figures = laptops_page.next_within(Duration::from_secs(2)).await;
    assert!(figures.is_some(), "this browser's page goes on");
}

#[rocket::async_test]
async fn ending_this_browsers_own_login_is_logging_out() {
    let app = spawn_app().await;
    let alice = app.reader("alice").await;
    let phone = another_login(&app, "alice").await;
    let own = session_ids(&app, "alice").await[0];

    let page = alice
        .post_form(&app, &format!("/account/sessions/{own}/end"), &[])
        .await;

    assert_eq!(page.status, Status::SeeOther);
    assert_eq!(page.location(), Some("/"));
    assert!(!is_logged_in(&app, &alice).await);
    assert!(is_logged_in(&app, &phone).await);
}
