//! The budgets on their own, with their clock running for real.

use rocket::http::Status;

use super::*;
use crate::error::Error;

const SMALL: PostBudget = PostBudget {
    who: "reader",
    actions_per_second: 2,
    action_burst: 5,
    actions_per_day: 8,
    bytes_per_day: 1_000,
};

fn reader(id: i64) -> Poster {
    Poster::Reader(UserId(id))
}

fn limits() -> PostLimits {
    PostLimits::new(
        &SMALL,
        &PostBudget {
            who: "token",
            ..SMALL
        },
    )
}

#[test]
fn a_batch_passes_only_if_every_budget_has_room() {
    let limits = limits();
    assert!(limits.admit_here(reader(1), 5, 100).is_ok());
    let refused = limits
        .admit_here(reader(1), 1, 10)
        .expect_err("the burst is spent");
    assert_eq!(refused.status(), Status::TooManyRequests);
    assert!(
        refused.to_string().contains("2 actions a second"),
        "{refused}"
    );
    // Another reader has a budget of their own.
    assert!(limits.admit_here(reader(2), 5, 100).is_ok());
}

#[test]
fn a_batch_larger_than_a_whole_budget_is_too_large() {
    let limits = limits();
    let error = limits
        .admit_here(reader(1), 6, 10)
        .expect_err("over the burst");
    assert_eq!(error.status(), Status::PayloadTooLarge);
    assert!(error.to_string().contains("at most 5 at once"), "{error}");
    let error = limits
        .admit_here(reader(1), 1, 1_001)
        .expect_err("over a day");
    assert_eq!(error.status(), Status::PayloadTooLarge);
    assert!(error.to_string().contains("1000 bytes"), "{error}");
}

#[test]
fn a_daily_quota_asks_for_hours_not_seconds() {
    let no_rate = PostBudget {
        actions_per_second: 0,
        ..SMALL
    };
    let limits = PostLimits::new(&no_rate, &no_rate);
    assert!(limits.admit_here(reader(1), 5, 10).is_ok());
    match limits.admit_here(reader(1), 4, 10) {
        Err(Error::Limited {
            retry_after,
            message,
        }) => {
            assert!(message.starts_with("Daily quota"), "{message}");
            // One more action of eight a day: three hours.
            assert!(
                (3 * 3600 - 60..=3 * 3600).contains(&retry_after),
                "{retry_after}: {message}"
            );
        }
        other => panic!("expected the daily quota, got {other:?}"),
    }
    assert!(
        limits.admit_here(reader(1), 3, 10).is_ok(),
        "what is left passes"
    );
}

#[test]
fn a_limit_of_zero_is_no_limit() {
    let off = PostBudget {
        who: "token",
        actions_per_second: 0,
        action_burst: 0,
        actions_per_day: 0,
        bytes_per_day: 0,
    };
    let limits = PostLimits::new(&SMALL, &off);
    for _ in 0..100 {
        assert!(limits
            .admit_here(Poster::Token(TokenId(1)), 1_000, 1 << 30)
            .is_ok());
    }
}

#[test]
fn daily_bytes_beyond_four_gibibytes_are_counted_in_larger_units() {
    let big = PostBudget {
        bytes_per_day: 10 << 30,
        ..SMALL
    };
    let limits = PostLimits::new(&big, &big);
    assert!(limits.admit_here(reader(1), 1, 9 << 30).is_ok());
    let refused = limits
        .admit_here(reader(1), 1, 2 << 30)
        .expect_err("over the day");
    assert_eq!(refused.status(), Status::TooManyRequests);
}

#[test]
fn posters_whose_budgets_are_full_again_are_forgotten() {
    let quick = PostBudget {
        who: "reader",
        actions_per_second: 1_000,
        action_burst: 1_000,
        actions_per_day: 0,
        bytes_per_day: 0,
    };
    let limits = PostLimits::new(&quick, &quick);
    for id in 0..1_000 {
        assert!(limits.admit_here(reader(id), 1, 10).is_ok());
    }
    assert_eq!(limits.posters_held(), 1_000);
    // One action refills in a millisecond; then nothing is left to hold.
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while limits.posters_held() > 0 {
        assert!(std::time::Instant::now() < deadline, "never forgotten");
        std::thread::sleep(Duration::from_millis(5));
        limits.forget_full();
    }
}
