//! What a node misses while its subscription to the other nodes' messages
//! is down: once it is subscribed again, nothing it missed holds on, as it
//! forgets what its caches held (and so does every other node).

use std::time::{Duration, Instant};

use crate::helpers::patience;
use crate::redis_engine::{connection, Redis};
use crate::two_nodes::{log_out, two_nodes_with};
use crate::wire::request;

#[rocket::async_test]
#[ignore = "needs redis-server"]
async fn a_logout_a_node_did_not_hear_holds_there_once_it_listens_again() {
    let redis = Redis::start();
    let (a, b) = two_nodes_with(&redis, |figment| figment).await;
    let ann = a.login_cookie("ann").await;
    // A holds the login in its cache.
    assert_eq!(request(a.port, "GET", "/account", &ann, "").await.0, 200);

    // Redis drops every subscription: for a moment neither node hears the
    // other, and the logout's message is lost.
    let mut connection = connection(&redis).await;
    let _: i64 = redis::cmd("CLIENT")
        .arg("KILL")
        .arg("TYPE")
        .arg("pubsub")
        .query_async(&mut connection)
        .await
        .expect("subscriptions dropped");
    log_out(b.port, &ann).await;

    // A subscribes again within a second or two and lets the login in no
    // longer (not only once its cache would have let it go, a minute on).
    let logged_out = Instant::now();
    while request(a.port, "GET", "/account", &ann, "").await.0 == 200 {
        assert!(
            logged_out.elapsed() < patience(Duration::from_secs(4)),
            "A still let the login in {:?} after the logout",
            logged_out.elapsed()
        );
        rocket::tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
