//! Reading now over the last 30 minutes: the number of readers on story
//! pages, sampled every few seconds, the highest of each minute kept in
//! memory (a restart starts it afresh: minutes before are "not known").

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rocket::fairing::AdHoc;
use rocket::time::OffsetDateTime;

use super::chart::Point;
use crate::live::Engine;
use crate::util::unix_now;

/// Minutes kept and drawn.
pub const MINUTES: i64 = 30;
/// How often the readers are counted.
const SAMPLE_EVERY: Duration = Duration::from_secs(5);

/// The highest count of each recent minute, managed by Rocket.
#[derive(Default)]
pub struct ReadingHistory {
    minutes: Mutex<VecDeque<(i64, usize)>>,
}

impl ReadingHistory {
    /// Counts `readers` at unix time `now`.
    pub fn record(&self, now: i64, readers: usize) {
        let minute = now.div_euclid(60);
        let Ok(mut minutes) = self.minutes.lock() else {
            return;
        };
        match minutes.back_mut() {
            Some((last, peak)) if *last == minute => *peak = (*peak).max(readers),
            _ => minutes.push_back((minute, readers)),
        }
        while minutes.front().is_some_and(|(m, _)| *m <= minute - MINUTES) {
            minutes.pop_front();
        }
    }

    /// The last [`MINUTES`] minutes up to `now`'s, oldest first, as bars
    /// labelled with their time (UTC) every five minutes.
    pub fn points(&self, now: i64) -> Vec<Point> {
        let minute = now.div_euclid(60);
        let kept: Vec<(i64, usize)> = match self.minutes.lock() {
            Ok(minutes) => minutes.iter().copied().collect(),
            Err(_) => Vec::new(),
        };
        (minute - MINUTES + 1..=minute)
            .map(|m| {
                let value = kept.iter().find(|(k, _)| *k == m).map(|(_, v)| *v as i64);
                let clock = clock(m * 60);
                Point {
                    name: format!("{clock} UTC"),
                    tick: (m % 5 == 0).then(|| clock.clone()),
                    value,
                }
            })
            .collect()
    }
}

fn clock(unix: i64) -> String {
    OffsetDateTime::from_unix_timestamp(unix)
        .map(|t| format!("{:02}:{:02}", t.hour(), t.minute()))
        .unwrap_or_default()
}

/// Manages the history and samples the live engine into it.
pub fn stage() -> AdHoc {
    AdHoc::on_ignite("Reading now history", |rocket| async {
        let history = Arc::new(ReadingHistory::default());
        let sampled = Arc::downgrade(&history);
        rocket
            .manage(history)
            .attach(AdHoc::on_liftoff("Reading now sampler", move |rocket| {
                Box::pin(async move {
                    let Some(live) = rocket.state::<Engine>().cloned() else {
                        return;
                    };
                    rocket::tokio::spawn(async move {
                        let mut tick = rocket::tokio::time::interval(SAMPLE_EVERY);
                        loop {
                            tick.tick().await;
                            let Some(history) = sampled.upgrade() else {
                                break;
                            };
                            history.record(unix_now(), live.total_viewers().await);
                        }
                    });
                })
            }))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_peak_of_each_minute_for_thirty_minutes() {
        let history = ReadingHistory::default();
        let start = 1_800_000_000;
        history.record(start, 3);
        history.record(start + 20, 5);
        history.record(start + 40, 1);
        history.record(start + 120, 2);
        let points = history.points(start + 130);
        assert_eq!(points.len(), 30);
        let last: Vec<_> = points[27..].iter().map(|p| p.value).collect();
        assert_eq!(last, [Some(5), None, Some(2)]);
        assert_eq!(points[0].value, None, "before the first count: not known");
        // Half an hour on, the first minutes are gone.
        history.record(start + 31 * 60, 0);
        assert!(history
            .points(start + 31 * 60)
            .iter()
            .all(|p| p.value != Some(5)));
    }
}
