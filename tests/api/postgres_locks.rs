//! On PostgreSQL the writers of counters (first reads, views, read-through
//! steps) run at once, so they lock counter rows in one order, stories by
//! id first: two that took the same rows in different orders would wait
//! for each other until the deadlock detector failed one, a second later.

use std::time::Duration;

use rocket::tokio::time::{sleep, Instant};

use crate::helpers::spawn_app;

#[rocket::async_test]
#[ignore = "needs FOLIO_TEST_POSTGRES: runs in the PostgreSQL pass of .ci/run"]
async fn a_batch_of_first_reads_locks_its_stories_counters_in_id_order() {
    if !crate::databases::on_postgres() {
        eprintln!("a test of PostgreSQL's row locks: runs with FOLIO_TEST_POSTGRES");
        return;
    }
    let app = spawn_app().await;
    let first = app.add_story("First", "One.").await;
    let second = app.add_story("Second", "Two.").await;
    assert!(first < second);
    let users: Vec<i64> = sqlx::query_scalar(
        "INSERT INTO users (username, password_hash, created_at) VALUES ('reader', 'x', 1) RETURNING id",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();

    // The earlier story's row rewritten: a scan of the table now meets it
    // after the later one, so only an explicit order takes it first.
    sqlx::query("UPDATE stories SET title = 'First, again' WHERE id = $1")
        .bind(first)
        .execute(&app.db)
        .await
        .unwrap();

    // Another writer holds the later story's counter row.
    let mut holder = app.db.begin().await.unwrap();
    sqlx::query("SELECT 1 FROM stories WHERE id = $1 FOR NO KEY UPDATE")
        .bind(second)
        .execute(&mut *holder)
        .await
        .unwrap();
    // A batch that names the later story first.
    let db = app.db.clone();
    let batch = rocket::tokio::spawn(async move {
        sqlx::query(
            "INSERT INTO reads (story_id, user_id, read_at) VALUES ($1, $3, 1), ($2, $3, 1)",
        )
        .bind(second)
        .bind(first)
        .bind(users[0])
        .execute(&db)
        .await
    });
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let waiting: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM pg_stat_activity
             WHERE datname = current_database() AND wait_event_type = 'Lock'
               AND query LIKE 'INSERT INTO reads%'",
        )
        .fetch_one(&app.db)
        .await
        .unwrap();
        if waiting > 0 {
            break;
        }
        assert!(Instant::now() < deadline, "the batch never waited");
        sleep(Duration::from_millis(10)).await;
    }

    // The batch waits holding the earlier story: taken in id order, so a
    // writer after it in that order cannot be holding what it waits for.
    let earlier = sqlx::query("SELECT 1 FROM stories WHERE id = $1 FOR NO KEY UPDATE NOWAIT")
        .bind(first)
        .execute(&mut *holder)
        .await;
    assert!(
        earlier.is_err(),
        "the batch took the later story's counter before the earlier one's"
    );
    holder.rollback().await.unwrap();
    batch
        .await
        .unwrap()
        .expect("the batch commits once let through");
    let counts: Vec<i64> =
        sqlx::query_scalar("SELECT read_count FROM stories WHERE id IN ($1, $2) ORDER BY id")
            .bind(first)
            .bind(second)
            .fetch_all(&app.db)
            .await
            .unwrap();
    assert_eq!(counts, [1, 1]);
}
