//! Fills a Folio database for the dashboard benchmark: 1,000 stories,
//! 100,000 readers, 1,000,000 reads and 10,000,000 views over two years
//! (the sizes are arguments). Reads are real rows, so their daily figures
//! come from Folio's own triggers; views are stored as Folio stores them,
//! in the per-day figures, with their sources (300 a day) and devices and
//! browsers (60 pairs a day).
//!
//! cargo run --release --example bench_admin -- --db bench-admin/folio.db

use clap::Parser;
use sqlx::sqlite::{SqlitePoolOptions, SqliteSynchronous};

#[derive(Parser)]
struct Args {
    /// The SQLite file to fill (created, with Folio's schema).
    #[arg(long)]
    db: String,
    #[arg(long, default_value_t = 1_000)]
    stories: i64,
    #[arg(long, default_value_t = 100_000)]
    readers: i64,
    #[arg(long, default_value_t = 1_000_000)]
    reads: i64,
    #[arg(long, default_value_t = 10_000_000)]
    views: i64,
    #[arg(long, default_value_t = 730)]
    days: i64,
    /// Referring sites of views on each day (at most 500 are kept a day).
    #[arg(long, default_value_t = 300)]
    sources: i64,
    /// Browsers on each of five kinds of device, each day.
    #[arg(long, default_value_t = 12)]
    browsers: i64,
}

#[rocket::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    if args.reads > args.readers * args.stories {
        return Err("more reads than (reader, story) pairs".into());
    }
    folio::db::ensure_data_dir(&args.db)?;
    let options = folio::db::sqlite_options(&format!("sqlite://{}", args.db))?
        .synchronous(SqliteSynchronous::Off);
    let db = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await?;
    folio::db::migrator(folio::db::Backend::Sqlite)
        .run(&db)
        .await?;
    let today = folio::visits::today();
    let first_day = today - args.days + 1;
    let started = std::time::Instant::now();

    let hash = folio::auth::password::Passwords::new()
        .await?
        .hash("benchmark password".into())
        .await?;
    let mut tx = db.begin().await?;
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
         INSERT INTO users (username, password_hash, created_at)
         SELECT printf('reader%06d', i), ?2, ?3 FROM n",
    )
    .bind(args.readers)
    .bind(&hash)
    .bind(first_day * 86_400)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
         INSERT INTO stories (slug, title, body, published_at, created_at, updated_at)
         SELECT printf('story-%d', i), printf('Story number %d', i),
                'A story written for the benchmark.', ?2, ?2, ?2 FROM n",
    )
    .bind(args.stories)
    .bind(first_day * 86_400)
    .execute(&mut *tx)
    .await?;
    println!(
        "{} readers, {} stories: {:?}",
        args.readers,
        args.stories,
        started.elapsed()
    );

    // Read i is reader (i mod readers) reading their (i / readers)-th story:
    // distinct pairs, spread evenly over the stories and the days.
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ?1 - 1)
         INSERT INTO reads (story_id, user_id, read_at)
         SELECT ((i / ?2) * 97 + (i % ?2) * 31) % ?3 + 1, i % ?2 + 1,
                ?4 + (i * 7919) % (?5 * 86400)
         FROM n",
    )
    .bind(args.reads)
    .bind(args.readers)
    .bind(args.stories)
    .bind(first_day * 86_400)
    .bind(args.days)
    .execute(&mut *tx)
    .await?;
    println!("{} reads: {:?}", args.reads, started.elapsed());

    // Views per (story, day), varying, then the remainder on the last cell
    // so the total is exact.
    sqlx::query(
        "WITH RECURSIVE d(day) AS (SELECT ?1 UNION ALL SELECT day + 1 FROM d WHERE day < ?2)
         INSERT INTO story_days (story_id, day, views)
         SELECT stories.id, d.day, 1 + (stories.id * 7 + d.day * 13) % 26 FROM stories, d
         WHERE true
         ON CONFLICT (story_id, day) DO UPDATE SET views = excluded.views",
    )
    .bind(first_day)
    .bind(today)
    .execute(&mut *tx)
    .await?;
    let stored: i64 = sqlx::query_scalar("SELECT SUM(views) FROM story_days")
        .fetch_one(&mut *tx)
        .await?;
    let scale = args.views as f64 / stored as f64;
    sqlx::query("UPDATE story_days SET views = CAST(views * ?1 AS INTEGER)")
        .bind(scale)
        .execute(&mut *tx)
        .await?;
    let scaled: i64 = sqlx::query_scalar("SELECT SUM(views) FROM story_days")
        .fetch_one(&mut *tx)
        .await?;
    sqlx::query(
        "UPDATE story_days SET views = views + ?1
         WHERE (story_id, day) = (SELECT story_id, day FROM story_days ORDER BY story_id DESC, day DESC LIMIT 1)",
    )
    .bind(args.views - scaled)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE stories SET view_count = (SELECT SUM(views) FROM story_days WHERE story_id = stories.id)",
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO site_days (day, views, visitors)
         SELECT day, SUM(views), SUM(views) / 4 FROM story_days WHERE true GROUP BY day
         ON CONFLICT (day) DO UPDATE SET views = excluded.views, visitors = excluded.visitors",
    )
    .execute(&mut *tx)
    .await?;
    // Sources and devices as the view counter rolls them up: each day's
    // views spread over many sites (a long tail) and device/browser pairs.
    sqlx::query(
        "WITH RECURSIVE s(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM s WHERE k + 1 < ?1)
         INSERT INTO source_days (day, source, views)
         SELECT day, CASE k WHEN 0 THEN '(direct)' WHEN 1 THEN '(internal)'
                            ELSE 'site' || k || '.example' END,
                MAX(1, views / (k + 2)) FROM site_days, s WHERE true
         ON CONFLICT (day, source) DO UPDATE SET views = excluded.views",
    )
    .bind(args.sources)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "WITH RECURSIVE b(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM b WHERE k + 1 < ?1),
              d(name, n) AS (VALUES ('Desktop', 0), ('Phone', 1), ('Tablet', 2),
                                    ('TV or console', 3), ('Other', 4))
         INSERT INTO device_days (day, device, browser, views)
         SELECT day, d.name, 'Browser ' || b.k, MAX(1, views / ((d.n + 2) * (b.k + 2)))
         FROM site_days, d, b WHERE true
         ON CONFLICT (day, device, browser) DO UPDATE SET views = excluded.views",
    )
    .bind(args.browsers)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    let (reads, views): (i64, i64) =
        sqlx::query_as("SELECT (SELECT COUNT(*) FROM reads), (SELECT SUM(views) FROM site_days)")
            .fetch_one(&db)
            .await?;
    println!(
        "{reads} reads and {views} views over {} days: {:?}",
        args.days,
        started.elapsed()
    );
    db.close().await;
    Ok(())
}
