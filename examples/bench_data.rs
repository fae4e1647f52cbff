//! Fills a Folio database for benchmarks: stories, readers and logged-in
//! sessions, and writes each reader's cookies (made for the same secret key
//! the server will use: session, stream ticket and CSRF token) to a file
//! for the load generator.
//! With `--follow`, every reader follows that story.
//!
//! cargo run --release --example bench_data -- \
//!     --db bench-data/folio.db --secret-key "$KEY" --readers 20000 --stories 50 --cookies cookies.txt

use std::io::Write;

use clap::Parser;
use sha2::{Digest, Sha256};
use sqlx::sqlite::SqlitePoolOptions;

#[derive(Parser)]
struct Args {
    /// The SQLite file to fill (created, with Folio's schema, if missing).
    #[arg(long)]
    db: String,
    /// The server's ROCKET_SECRET_KEY: 32 bytes, base64.
    #[arg(long)]
    secret_key: String,
    #[arg(long, default_value_t = 20_000)]
    readers: usize,
    #[arg(long, default_value_t = 50)]
    stories: usize,
    /// Where to write one `Cookie:` header value per reader.
    #[arg(long)]
    cookies: String,
    /// A story (1 to `stories`) that every reader follows.
    #[arg(long)]
    follow: Option<i64>,
}

#[path = "support/cookies.rs"]
mod cookies;

/// When the benchmark sessions end: far beyond any run.
const EXPIRES_AT: i64 = 4_102_444_800;

const BODY: &str = include_str!("../src/stories/samples/lighthouse.md");

#[rocket::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let key = cookies::CookieMint::new(&args.secret_key).await;
    if let Some(story) = args.follow {
        if story < 1 || story > args.stories as i64 {
            return Err(
                format!("--follow {story}: there are stories 1 to {}", args.stories).into(),
            );
        }
    }

    folio::db::ensure_data_dir(&args.db)?;
    let options = folio::db::sqlite_options(&format!("sqlite://{}", args.db))?
        .synchronous(sqlx::sqlite::SqliteSynchronous::Off);
    let db = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await?;
    folio::db::migrator(folio::db::Backend::Sqlite)
        .run(&db)
        .await?;

    let passwords = folio::auth::password::Passwords::new().await?;
    let password_hash = passwords.hash("benchmark password".into()).await?;
    let mut tx = db.begin().await?;
    for n in 0..args.stories {
        sqlx::query(
            "INSERT INTO stories (title, body, published_at, created_at, updated_at)
             VALUES (?, ?, 1, 1, 1)",
        )
        .bind(format!("Benchmark story {}", n + 1))
        .bind(BODY)
        .execute(&mut *tx)
        .await?;
    }
    let mut out = std::io::BufWriter::new(std::fs::File::create(&args.cookies)?);
    for n in 0..args.readers {
        let user_id: i64 = sqlx::query_scalar(
            "INSERT INTO users (username, password_hash, created_at) VALUES (?, ?, 1) RETURNING id",
        )
        .bind(format!("bench{n}"))
        .bind(&password_hash)
        .fetch_one(&mut *tx)
        .await?;
        let token = folio::util::random_token();
        let session: i64 = sqlx::query_scalar(
            "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, 1, ?)
             RETURNING id",
        )
        .bind(&Sha256::digest(token.as_bytes())[..])
        .bind(user_id)
        .bind(EXPIRES_AT)
        .fetch_one(&mut *tx)
        .await?;
        if let Some(story) = args.follow {
            sqlx::query("INSERT INTO follows (story_id, user_id, created_at) VALUES (?, ?, 1)")
                .bind(story)
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
        }
        let reader = key.reader(&token, session, EXPIRES_AT).await;
        let csrf = key.private("csrf", &folio::util::random_token()).await;
        writeln!(out, "{reader}; csrf={csrf}")?;
    }
    tx.commit().await?;
    out.flush()?;
    let following = match args.follow {
        Some(story) => format!(", all following story {story}"),
        None => String::new(),
    };
    println!(
        "{} stories, {} readers with sessions{following}; cookies in {}",
        args.stories, args.readers, args.cookies
    );
    Ok(())
}
