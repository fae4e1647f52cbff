//! The activity log's posting budgets are every node's together when the
//! nodes share Redis: batches spread over two nodes meet one budget, and a
//! refused batch is stored on neither.

use rocket::figment::Figment;
use sha2::{Digest, Sha256};

use crate::activity_helpers::batch;
use crate::redis_engine::Redis;
use crate::two_nodes::two_nodes_with;
use crate::wire::request_with;

/// `POST /api/log` with an API token: the status and the whole response.
async fn post_log(port: u16, token: &str, body: &str) -> (u16, String) {
    let headers = format!(
        "Authorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n",
        body.len()
    );
    request_with(port, "POST", "/api/log", &headers, body).await
}

#[rocket::async_test]
#[ignore = "needs redis-server"]
async fn posting_budgets_spread_over_both_nodes_meet_one_limit() {
    let redis = Redis::start();
    let four_a_day = |figment: Figment| figment.merge(("activity_token_actions_per_day", 4));
    let (a, b) = two_nodes_with(&redis, four_a_day).await;
    let token = format!("folio_{}", "5e".repeat(32));
    sqlx::query("INSERT INTO api_tokens (name, token_hash, created_at) VALUES ('script', $1, 1)")
        .bind(&Sha256::digest(token.as_bytes())[..])
        .execute(&a.db)
        .await
        .expect("a token");

    // Four actions, alternating nodes: each node has taken two.
    for (n, port) in [a.port, b.port, a.port, b.port].into_iter().enumerate() {
        let (status, response) =
            post_log(port, &token, &batch("script", "CLICK", n as i64, 1)).await;
        assert_eq!(status, 201, "{response}");
    }
    // The fifth is refused on either node, and stored on neither.
    let fifth = batch("script", "CLICK", 4, 1);
    let (status, response) = post_log(a.port, &token, &fifth).await;
    assert_eq!(status, 429, "{response}");
    assert!(response.contains("Daily quota used up"), "{response}");
    assert!(response.contains("Retry-After") || response.contains("retry-after"));
    assert_eq!(post_log(b.port, &token, &fifth).await.0, 429);
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM actions")
        .fetch_one(&a.db)
        .await
        .expect("the actions");
    assert_eq!(stored, 4);
}
