//! Views and unique visitors: counted without a write on the request path,
//! once per visitor per day, never for robots, and without storing who.

use rocket::http::{Header, Status};

use crate::helpers::{spawn_app, Browser, TestApp};

const FIREFOX: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
const SAFARI: &str = "Mozilla/5.0 (Macintosh) AppleWebKit/605.1.15 Version/17.0 Safari/605.1.15";

fn agent(value: &'static str) -> Header<'static> {
    Header::new("User-Agent", value)
}

async fn visitors_today(app: &TestApp) -> i64 {
    app.count("SELECT COALESCE(SUM(visitors), 0) FROM site_days")
        .await
}

#[rocket::async_test]
async fn each_visitor_counts_once_a_day_and_robots_not_at_all() {
    let app = spawn_app().await;
    let same = Browser::at("203.0.113.9:5000");
    for uri in ["/", "/login", "/signup", "/"] {
        assert_eq!(
            same.get_with(&app, uri, agent(FIREFOX)).await.status,
            Status::Ok
        );
    }
    app.flush_visits().await;
    assert_eq!(visitors_today(&app).await, 1);

    // Another browser on the same address is another visitor; robots,
    // requests without a User-Agent, health checks and assets are not.
    Browser::at("203.0.113.9:5001")
        .get_with(&app, "/", agent(SAFARI))
        .await;
    Browser::at("203.0.113.10:5000")
        .get_with(&app, "/", agent("Googlebot/2.1"))
        .await;
    Browser::at("203.0.113.11:5000").get(&app, "/").await;
    Browser::at("203.0.113.12:5000")
        .get_with(&app, "/health", agent(FIREFOX))
        .await;
    Browser::at("203.0.113.13:5000")
        .get_with(&app, "/static/folio.css", agent(FIREFOX))
        .await;
    app.flush_visits().await;
    assert_eq!(visitors_today(&app).await, 2);

    // A flush later, the same visitor is still counted once.
    same.get_with(&app, "/", agent(FIREFOX)).await;
    app.flush_visits().await;
    assert_eq!(visitors_today(&app).await, 2);
}

#[rocket::async_test]
async fn no_address_or_user_agent_is_stored() {
    let app = spawn_app().await;
    Browser::at("198.51.100.77:1234")
        .get_with(&app, "/", agent(FIREFOX))
        .await;
    app.flush_visits().await;
    assert_eq!(visitors_today(&app).await, 1);

    for file in ["folio.db", "folio.db-wal"] {
        let path = app.dir.path().join(file);
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("198.51.100.77"), "{file} holds the address");
        assert!(
            !text.contains("Firefox/128.0"),
            "{file} holds the User-Agent"
        );
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM visitor_salts").await,
        1,
        "only today's salt"
    );
}

#[rocket::async_test]
async fn every_story_open_is_a_view_and_they_survive_a_clean_shutdown() {
    let app = spawn_app().await;
    let story = app.add_story("Watched", "Text").await;
    let reader = app.reader("reader").await;
    for _ in 0..3 {
        let page = reader
            .get_with(&app, &format!("/stories/{story}"), agent(FIREFOX))
            .await;
        assert_eq!(page.status, Status::Ok);
    }
    // A robot's open is no view.
    reader.get(&app, &format!("/stories/{story}")).await;

    let TestApp { client, dir, .. } = app;
    client.terminate().await;
    // Folio closed its pool; look at the file afresh.
    let url = crate::databases::database_url(dir.path());
    let db = folio::db::connect(&url, 1, std::time::Duration::from_secs(30))
        .await
        .expect("the database opens");

    let views: i64 = sqlx::query_scalar("SELECT view_count FROM stories WHERE id = $1")
        .bind(story)
        .fetch_one(&db)
        .await
        .expect("a story");
    let by_day: i64 =
        sqlx::query_scalar("SELECT CAST(SUM(views) AS BIGINT) FROM story_days WHERE story_id = $1")
            .bind(story)
            .fetch_one(&db)
            .await
            .expect("the story's days");
    let site: i64 = sqlx::query_scalar("SELECT CAST(SUM(views) AS BIGINT) FROM site_days")
        .fetch_one(&db)
        .await
        .expect("the site's days");
    assert_eq!((views, by_day, site), (3, 3, 3));
}
