//! The statistics dashboards: totals, ranges, top stories, per-story pages,
//! and CSV files that say what the pages show.

use rocket::http::{Header, Status};

use crate::helpers::{spawn_app, Browser, TestApp};

const FIREFOX: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";

/// The number in the element with this id.
fn figure(body: &str, id: &str) -> i64 {
    let start = body
        .find(&format!("id=\"{id}\">"))
        .unwrap_or_else(|| panic!("no #{id} on the page"))
        + id.len()
        + 6;
    let end = start + body[start..].find('<').expect("the element ends");
    body[start..end].parse().expect("a number")
}

fn today() -> i64 {
    folio::visits::today()
}

/// Opens a story page as a browser would (with a User-Agent, so it counts).
async fn open(app: &TestApp, reader: &Browser, story: i64) {
    let uri = format!("/stories/{story}");
    reader
        .get_with(app, &uri, Header::new("User-Agent", FIREFOX))
        .await;
}

/// Two stories: "Popular" read by three readers and viewed five times,
/// "Quiet" read by one; plus 40-day-old history straight in the rollups.
async fn site_with_history(app: &TestApp) -> (i64, i64) {
    let popular = app.add_story("Popular", "Text").await;
    let quiet = app.add_story("Quiet, \"really\"", "Text").await;
    for name in ["ann", "bob", "cyd"] {
        open(app, &app.reader(name).await, popular).await;
    }
    let reader = app.reader("dee").await;
    for _ in 0..2 {
        open(app, &reader, popular).await;
    }
    reader.get(app, &format!("/stories/{quiet}")).await;
    app.flush_visits().await;
    let old = today() - 40;
    sqlx::query("INSERT INTO site_days (day, views, reads, visitors) VALUES ($1, 100, 10, 7)")
        .bind(old)
        .execute(&app.db)
        .await
        .expect("old site figures");
    sqlx::query("INSERT INTO story_days (story_id, day, views, reads) VALUES ($1, $2, 100, 10)")
        .bind(quiet)
        .bind(old)
        .execute(&app.db)
        .await
        .expect("old story figures");
    (popular, quiet)
}

#[rocket::async_test]
async fn the_dashboard_adds_up_the_chosen_range() {
    let app = spawn_app().await;
    let admin = app.admin("editor").await;
    site_with_history(&app).await;

    let week = admin.get(&app, "/admin?range=7").await;
    assert_eq!(week.status, Status::Ok);
    assert_eq!(figure(&week.body, "range-views"), 5);
    assert_eq!(figure(&week.body, "range-reads"), 5);
    assert!(figure(&week.body, "range-visitors") >= 1);
    assert_eq!(figure(&week.body, "total-reads"), 5);
    assert!(week.body.contains("<svg class=\"chart\""));
    let top = &week.body[week.body.find("id=\"top-stories\"").expect("a top table")..];
    assert!(top.find("Popular").expect("Popular") < top.find("Quiet").expect("Quiet"));

    let all = admin.get(&app, "/admin?range=all").await;
    assert_eq!(figure(&all.body, "range-views"), 105);
    assert_eq!(figure(&all.body, "range-reads"), 15);
    let top = &all.body[all.body.find("id=\"top-stories\"").expect("a top table")..];
    assert!(top.find("Quiet").expect("Quiet") < top.find("Popular").expect("Popular"));

    let from = folio::admin::stats::range::date_of(today() - 45);
    let to = folio::admin::stats::range::date_of(today() - 35);
    let custom = admin
        .get(&app, &format!("/admin?from={from}&to={to}"))
        .await;
    assert_eq!(figure(&custom.body, "range-views"), 100);
    assert_eq!(figure(&custom.body, "range-reads"), 10);
    assert_eq!(figure(&custom.body, "range-visitors"), 7);
}

#[rocket::async_test]
async fn the_csv_files_hold_what_the_page_shows() {
    let app = spawn_app().await;
    let admin = app.admin("editor").await;
    site_with_history(&app).await;

    for range in ["range=7", "range=90", "range=all"] {
        let page = admin.get(&app, &format!("/admin?{range}")).await;
        let csv = admin
            .get(&app, &format!("/admin/stats/daily.csv?{range}"))
            .await;
        assert_eq!(csv.status, Status::Ok);
        assert!(csv
            .header("Content-Type")
            .unwrap_or_default()
            .starts_with("text/csv"));
        assert!(csv
            .header("Content-Disposition")
            .unwrap_or_default()
            .contains("attachment"));
        let mut lines = csv.body.lines();
        assert_eq!(lines.next(), Some("date,views,new_reads,unique_visitors"));
        let mut sums = [0i64; 3];
        let mut days = 0;
        for line in lines {
            let fields: Vec<i64> = line
                .split(',')
                .skip(1)
                .map(|f| f.parse().expect("a number"))
                .collect();
            for (sum, value) in sums.iter_mut().zip(fields) {
                *sum += value;
            }
            days += 1;
        }
        assert_eq!(
            sums,
            [
                figure(&page.body, "range-views"),
                figure(&page.body, "range-reads"),
                figure(&page.body, "range-visitors")
            ],
            "{range}"
        );
        assert!(days >= 7, "{range}: one line per day");

        let top = admin
            .get(&app, &format!("/admin/stats/top.csv?{range}"))
            .await;
        let table = &page.body[page.body.find("id=\"top-stories\"").expect("a top table")..];
        let csv_titles: Vec<String> = top
            .body
            .lines()
            .skip(1)
            .map(|line| line.split(',').nth(2).expect("a title").to_string())
            .collect();
        assert_eq!(
            csv_titles.len(),
            table.matches("/stats?").count(),
            "{range}"
        );
        for pair in csv_titles.windows(2) {
            let plain = |t: &str| {
                t.trim_matches('"')
                    .split(',')
                    .next()
                    .unwrap_or("")
                    .to_string()
            };
            let (a, b) = (plain(&pair[0]), plain(&pair[1]));
            assert!(table.find(&a) < table.find(&b), "{range}: {a} before {b}");
        }
    }
}

#[rocket::async_test]
async fn a_story_has_its_own_statistics_page_and_csv() {
    let app = spawn_app().await;
    let admin = app.admin("editor").await;
    let (popular, quiet) = site_with_history(&app).await;

    let page = admin
        .get(&app, &format!("/admin/stories/{popular}/stats?range=30"))
        .await;
    assert_eq!(page.status, Status::Ok);
    assert_eq!(figure(&page.body, "range-views"), 5);
    assert_eq!(figure(&page.body, "range-reads"), 4);
    assert_eq!(figure(&page.body, "story-views"), 5);

    let csv = admin
        .get(&app, &format!("/admin/stories/{quiet}/stats.csv?range=all"))
        .await;
    assert_eq!(csv.status, Status::Ok);
    let views: i64 = csv
        .body
        .lines()
        .skip(1)
        .map(|l| {
            l.split(',')
                .nth(1)
                .expect("views")
                .parse::<i64>()
                .expect("a number")
        })
        .sum();
    assert_eq!(views, 100);
    assert_eq!(
        admin.get(&app, "/admin/stories/999/stats").await.status,
        Status::NotFound
    );
}

#[rocket::async_test]
async fn a_bad_range_is_explained_not_failed() {
    let app = spawn_app().await;
    let admin = app.admin("editor").await;
    let cases = [
        (
            "/admin?from=2026-13-01&to=2026-12-01",
            "The start date must be a date like",
        ),
        (
            "/admin?from=2026-02-01&to=2026-01-01",
            "must not be after the end date",
        ),
        ("/admin?from=2026-02-01", "needs an end date"),
        ("/admin?range=week", "is not a range"),
        ("/admin?from=1000-01-01&to=2026-01-01", "at most"),
    ];
    for (uri, message) in cases {
        let page = admin.get(&app, uri).await;
        assert_eq!(page.status, Status::BadRequest, "{uri}");
        assert!(page.body.contains(message), "{uri}");
        assert!(page.body.contains("Showing the last 30 days"), "{uri}");
    }
    let csv = admin.get(&app, "/admin/stats/daily.csv?range=week").await;
    assert_eq!(csv.status, Status::BadRequest);
}

/// Top stories and sources over ranges that start and end anywhere in a
/// week: each day counted once, whether summed by week or by day.
#[rocket::async_test]
async fn top_stories_and_sources_add_up_any_range_of_days() {
    let app = spawn_app().await;
    let admin = app.admin("editor").await;
    let story = app.add_story("Daily", "Text").await;
    let first = today() - 60;
    // Day i of the window: i views and one new read.
    for i in 0..60 {
        sqlx::query("INSERT INTO story_days (story_id, day, views, reads) VALUES ($1, $2, $3, 1)")
            .bind(story)
            .bind(first + i)
            .bind(i)
            .execute(&app.db)
            .await
            .expect("a day's figures");
        sqlx::query("INSERT INTO source_days (day, source, views) VALUES ($1, 'news.example', $2)")
            .bind(first + i)
            .bind(i)
            .execute(&app.db)
            .await
            .expect("a day's sources");
    }
    // A later change to a day, as the view counter's flush makes.
    sqlx::query("UPDATE story_days SET views = views + 1000 WHERE story_id = $1 AND day = $2")
        .bind(story)
        .bind(first + 20)
        .execute(&app.db)
        .await
        .expect("a flush");
    sqlx::query("UPDATE source_days SET views = views + 1000 WHERE day = $1")
        .bind(first + 20)
        .execute(&app.db)
        .await
        .expect("a flush");
    let date = folio::admin::stats::range::date_of;
    for (from, to) in [
        (0, 59),
        (3, 17),
        (5, 6),
        (20, 20),
        (13, 41),
        (1, 50),
        (19, 21),
    ] {
        let uri = format!(
            "/admin/stats/top.csv?from={}&to={}",
            date(first + from),
            date(first + to)
        );
        let csv = admin.get(&app, &uri).await;
        let line = csv.body.lines().nth(1).expect("a story");
        let fields: Vec<&str> = line.split(',').collect();
        let reads = to - from + 1;
        let views = (from..=to).sum::<i64>() + if (from..=to).contains(&20) { 1000 } else { 0 };
        assert_eq!(
            (fields[3].parse::<i64>().ok(), fields[4].parse::<i64>().ok()),
            (Some(reads), Some(views)),
            "days {from}..={to}: {line}"
        );
        let page = admin
            .get(&app, &uri.replace("/admin/stats/top.csv", "/admin"))
            .await;
        let row = format!("<td>news.example</td><td class=\"num\">{views}</td>");
        assert!(page.body.contains(&row), "days {from}..={to}: no {row}");
    }
}
