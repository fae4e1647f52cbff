//! The dashboard's main chart (axes, table, metric switcher), its
//! comparison with the period before, and where story views came from
//! (sources, devices, browsers). Expected figures are worked out here from
//! the seeded data.

use std::collections::HashMap;

use rocket::http::{Header, Status};

use crate::helpers::{spawn_app, TestApp};

const FIREFOX_LINUX: &str =
    "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
const SAFARI_IPHONE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) \
     AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1";
const CHROME_WINDOWS: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 \
     (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";

fn today() -> i64 {
    folio::visits::today()
}

/// The rows of the table with this id, as the text of their cells.
fn table(body: &str, id: &str) -> Vec<Vec<String>> {
    let start = body
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id} in {body}"));
    let rest = &body[start..];
    let table = &rest[..rest.find("</table>").expect("the table ends")];
    let body = &table[table.find("<tbody>").expect("a body")..];
    body.split("<tr")
        .skip(1)
        .map(|row| {
            row.split("<td")
                .skip(1)
                .map(|cell| {
                    let cell = &cell[cell.find('>').expect("a cell") + 1..];
                    let cell = &cell[..cell.find("</td>").expect("the cell ends")];
                    strip_tags(cell).trim().to_string()
                })
                .collect()
        })
        .collect()
}

fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in html.chars() {
        match c {
            '<' => inside = true,
            '>' => inside = false,
            c if !inside => out.push(c),
            _ => {}
        }
    }
    out
}

/// The text of the element with this id.
fn text_of(body: &str, id: &str) -> String {
    let start = body
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id}"));
    let rest = &body[start..];
    let rest = &rest[rest.find('>').expect("a tag") + 1..];
    rest[..rest.find('<').expect("the element ends")].to_string()
}

/// The headline's change text after the element with this id.
fn change_after(body: &str, id: &str) -> String {
    let start = body.find(&format!("id=\"{id}\"")).expect("a headline");
    let rest = &body[start..];
    let rest = &rest[rest.find("class=\"change").expect("a change")..];
    let rest = &rest[rest.find('>').expect("a tag") + 1..];
    rest[..rest.find('<').expect("the element ends")].to_string()
}

/// Fourteen days of site figures, today's last: (views, reads, visitors).
async fn seed_fortnight(app: &TestApp) -> Vec<(i64, i64, i64)> {
    let days: Vec<(i64, i64, i64)> = (0..14)
        .map(|i| (10 + 3 * i, i % 4, 5 + (i * 7) % 11))
        .collect();
    for (i, (views, reads, visitors)) in days.iter().enumerate() {
        sqlx::query("INSERT INTO site_days (day, views, reads, visitors) VALUES ($1, $2, $3, $4)")
            .bind(today() - 13 + i as i64)
            .bind(views)
            .bind(reads)
            .bind(visitors)
            .execute(&app.db)
            .await
            .expect("seeded figures");
    }
    days
}

/// "+12%" or "−5%", truncated towards zero, as a reader would check it.
fn expected_change(now: i64, before: i64) -> String {
    let percent = (now - before) * 100 / before;
    if percent >= 0 {
        format!("+{percent}%")
    } else {
        format!("−{}%", -percent)
    }
}

#[rocket::async_test]
async fn each_figure_is_compared_with_the_period_before() {
    let app = spawn_app().await;
    let admin = app.admin("editor").await;
    let days = seed_fortnight(&app).await;
    let (before, now) = days.split_at(7);
    let sum = |part: &[(i64, i64, i64)], pick: fn(&(i64, i64, i64)) -> i64| -> i64 {
        part.iter().map(pick).sum()
    };

    let page = admin.get(&app, "/admin?range=7").await;
    assert_eq!(page.status, Status::Ok);
    for (id, pick) in [
        ("headline-views", (|d| d.0) as fn(&(i64, i64, i64)) -> i64),
        ("headline-reads", |d| d.1),
        ("headline-visitors", |d| d.2),
    ] {
        let (n, b) = (sum(now, pick), sum(before, pick));
        assert_eq!(text_of(&page.body, id), n.to_string(), "{id}");
        assert_eq!(change_after(&page.body, id), expected_change(n, b), "{id}");
    }
}

#[rocket::async_test]
async fn the_main_chart_has_labelled_axes_a_table_and_a_choice_of_figure() {
    let app = spawn_app().await;
    let admin = app.admin("editor").await;
    let days = seed_fortnight(&app).await;

    let page = admin.get(&app, "/admin?range=30&metric=views").await;
    let chart = &page.body[page.body.find("id=\"main-chart\"").expect("a main chart")..];
    let chart = &chart[..chart.find("</svg>").expect("an svg")];
    let labels = chart.matches("class=\"tick\"").count();
    assert!(labels >= 6, "{labels} axis labels");
    assert!(chart.contains("aria-label=\"views, one bar each\""));
    // The table: a row per day, the seeded views on the last fourteen.
    let rows = table(&page.body, "chart-table");
    assert_eq!(rows.len(), 30);
    let shown: Vec<String> = rows[16..].iter().map(|r| r[1].clone()).collect();
    let seeded: Vec<String> = days.iter().map(|d| d.0.to_string()).collect();
    assert_eq!(shown, seeded);

    let reads = admin.get(&app, "/admin?range=30&metric=reads").await;
    let rows = table(&reads.body, "chart-table");
    assert_eq!(rows[29][1], days[13].1.to_string());

    let bad = admin.get(&app, "/admin?metric=pies").await;
    assert_eq!(bad.status, Status::BadRequest);
    assert!(bad.body.contains("is not a figure to chart"));
}

#[rocket::async_test]
async fn story_views_are_told_apart_by_source_device_and_browser() {
    let app = spawn_app().await;
    let admin = app.admin("editor").await;
    let story = app.add_story("Harbour Lights", "Text").await;
    // (address, Referer, User-Agent, expected source, device, browser)
    let seeds = [
        (
            "",
            Some("https://news.example.com/item/1"),
            FIREFOX_LINUX,
            "news.example.com",
            "Desktop",
            "Firefox",
        ),
        (
            "",
            Some("https://www.news.example.com/"),
            SAFARI_IPHONE,
            "news.example.com",
            "Phone",
            "Safari",
        ),
        (
            "",
            Some("https://blog.example.org/post"),
            CHROME_WINDOWS,
            "blog.example.org",
            "Desktop",
            "Chrome",
        ),
        (
            "?ref=newsletter",
            Some("https://mail.example.net/"),
            SAFARI_IPHONE,
            "newsletter",
            "Phone",
            "Safari",
        ),
        (
            "",
            None,
            FIREFOX_LINUX,
            "Direct or unknown",
            "Desktop",
            "Firefox",
        ),
        (
            "",
            Some("http://localhost/stories"),
            CHROME_WINDOWS,
            "Links on this site",
            "Desktop",
            "Chrome",
        ),
        (
            "",
            Some("https://news.example.com/item/2"),
            FIREFOX_LINUX,
            "news.example.com",
            "Desktop",
            "Firefox",
        ),
    ];
    let reader = app.reader("reader").await;
    for (query, referrer, agent, ..) in seeds {
        let mut headers = vec![
            Header::new("User-Agent", agent),
            Header::new("Host", "localhost"),
        ];
        if let Some(referrer) = referrer {
            headers.push(Header::new("Referer", referrer));
        }
        let page = reader
            .get_with_all(&app, &format!("/stories/{story}{query}"), headers)
            .await;
        assert_eq!(page.status, Status::Ok);
    }
    app.flush_visits().await;

    let page = admin.get(&app, "/admin?range=7").await;
    let total = seeds.len() as i64;
    for (id, pick) in [
        (
            "sources-table",
            (|s| s.3)
                as fn(
                    &(
                        &str,
                        Option<&str>,
                        &str,
                        &'static str,
                        &'static str,
                        &'static str,
                    ),
                ) -> &'static str,
        ),
        ("devices-table", |s| s.4),
        ("browsers-table", |s| s.5),
    ] {
        let mut expected: HashMap<&str, i64> = HashMap::new();
        for seed in &seeds {
            *expected.entry(pick(seed)).or_default() += 1;
        }
        let rows = table(&page.body, id);
        assert_eq!(rows.len(), expected.len(), "{id}: {rows:?}");
        let mut previous = i64::MAX;
        for row in &rows {
            let views: i64 = row[1].parse().expect("views");
            assert_eq!(Some(&views), expected.get(row[0].as_str()), "{id}: {row:?}");
            assert!(views <= previous, "{id} is ordered by views");
            previous = views;
            let percent = (200 * views + total) / (2 * total);
            assert_eq!(row[2], format!("{percent}%"), "{id}: {row:?}");
        }
    }
    // No address, path or User-Agent is kept: only the names above.
    let kept: Vec<String> = sqlx::query_scalar("SELECT source FROM source_days")
        .fetch_all(&app.db)
        .await
        .expect("sources");
    assert!(kept.iter().all(|s| !s.contains('/')), "{kept:?}");
}

#[rocket::async_test]
async fn an_empty_site_says_how_figures_will_appear() {
    let app = spawn_app().await;
    let admin = app.admin("editor").await;
    let story = app.add_story("Quiet", "Text").await;
    let page = admin.get(&app, "/admin").await;
    assert!(page.body.contains("No visitors in this range yet."));
    assert!(page.body.contains("When readers follow a link to a story"));
    assert!(page.body.contains("Nobody is reading a story right now."));
    // The story nobody reads is listed only when someone does.
    let idle = format!("<tr data-story-id=\"{story}\" hidden>");
    assert!(page.body.contains(&idle), "{}", page.body);

    let reader = app.reader("reader").await;
    reader.get(&app, &format!("/stories/{story}")).await;
    let page = admin.get(&app, "/admin").await;
    assert!(page
        .body
        .contains(&format!("<tr data-story-id=\"{story}\">")));
    assert!(page.body.contains("data-nobody hidden"));
}
