//! The Redis live engine when Redis goes away: killed and started again
//! empty, or stalled while its connections hold. The node goes on with its
//! own figures, says so, and uses Redis again once it answers.

use std::time::{Duration, Instant};

use folio::ids::UserId;
use folio::live::Viewing;
use rocket::tokio::time::sleep;

use crate::helpers::patience;
use crate::redis_engine::{counts, linked, node, Redis, STORY, TTL};

#[rocket::async_test]
#[ignore = "needs redis-server"]
async fn redis_going_away_and_coming_back_costs_no_figures_for_long() {
    let redis = Redis::start();
    let port = redis.port;
    let a = node(&redis).await;
    let _stream = Viewing::start(&a, STORY, UserId(1)).await;
    assert_eq!(a.ping(STORY, UserId(2)).await, 2);

    drop(redis);
    // The node goes on with its own figures, and says why.
    assert_eq!(a.ping(STORY, UserId(3)).await, 3);
    let deadline = Instant::now() + patience(Duration::from_secs(5));
    while a.problem().is_none() {
        assert!(Instant::now() < deadline, "Redis's absence went unnoticed");
        sleep(Duration::from_millis(20)).await;
    }
    counts(&a, 3, patience(Duration::from_secs(1))).await;

    // A new, empty Redis on the same port: the node links again, and its
    // stream and the pages' next pings (pages ping again and again) make
    // the count right again within the time-to-live.
    let _redis = Redis::on(port);
    linked(&a).await;
    let deadline = Instant::now() + patience(TTL);
    loop {
        a.ping(STORY, UserId(2)).await;
        a.ping(STORY, UserId(3)).await;
        let now = a.viewers_of(STORY).await;
        if now == 3 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{now} viewers, not 3, after {TTL:?}"
        );
        sleep(Duration::from_millis(250)).await;
    }
}

#[rocket::async_test]
#[ignore = "needs redis-server"]
async fn a_redis_that_stalls_while_the_subscription_holds_is_used_again_once_it_answers() {
    let redis = Redis::start();
    let a = node(&redis).await;
    a.ping(STORY, UserId(1)).await;
    // Redis stops answering commands for a while (its connections stay).
    let client = redis::Client::open(redis.url()).expect("a Redis URL");
    let mut admin = client
        .get_multiplexed_async_connection()
        .await
        .expect("a connection");
    redis::cmd("CLIENT")
        .arg("PAUSE")
        .arg(1500)
        .arg("ALL")
        .query_async::<()>(&mut admin)
        .await
        .expect("CLIENT PAUSE");
    a.total_viewers().await;
    assert!(a.problem().is_some(), "a stalled Redis went unnoticed");

    // Once it answers again, the node uses it again within a few seconds.
    let deadline = Instant::now() + patience(Duration::from_secs(5));
    loop {
        a.total_viewers().await;
        if a.problem().is_none() {
            break;
        }
        assert!(Instant::now() < deadline, "Redis never counted as back");
        sleep(Duration::from_millis(100)).await;
    }
    a.ping(STORY, UserId(1)).await;
    a.ping(STORY, UserId(2)).await;
    counts(&a, 2, patience(Duration::from_secs(1))).await;
}

#[rocket::async_test]
#[ignore = "needs redis-server"]
async fn an_idle_node_keeps_saying_redis_is_away_for_as_long_as_it_is() {
    let redis = Redis::start();
    let a = node(&redis).await;
    drop(redis);
    let deadline = Instant::now() + patience(Duration::from_secs(5));
    while a.problem().is_none() {
        assert!(Instant::now() < deadline, "Redis's absence went unnoticed");
        sleep(Duration::from_millis(20)).await;
    }
    // Nobody reads anything: the node's own rounds (recounts, presence
    // refreshes) send Redis nothing, so they cannot say it is back.
    let watched = Instant::now();
    while watched.elapsed() < Duration::from_secs(3) {
        assert!(
            a.problem().is_some(),
            "said Redis answers {:?} after it went away",
            watched.elapsed()
        );
        sleep(Duration::from_millis(20)).await;
    }
}
