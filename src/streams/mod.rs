//! The live streams: server-sent events that keep open pages fresh. What a
//! stream sends ([`feeds`]) is independent of the server that carries it:
//! Rocket's routes, or the optional lean live listener on `live_port`.

mod budget;
mod count;
pub mod feeds;
mod http;
#[cfg(test)]
mod http_fuzz;
mod inbox_feed;
mod limits;
mod listener;
mod pings;
mod routes;
mod source;

use std::collections::HashSet;
use std::sync::{Arc, Weak};
use std::time::Duration;

use rocket::fairing::AdHoc;
use rocket::Route;
use sqlx::AnyPool;

pub use budget::{Budget, Refusal, StreamLimits};
pub use count::StreamCount;
pub use listener::LiveListener;
pub use pings::PingLimits;
pub use source::Feeds;

use crate::auth::Sessions;
use crate::config::Settings;
use crate::ids::SessionId;

/// How often memory freed by closed streams is looked at.
const TRIM_EVERY: Duration = Duration::from_secs(1);

pub fn routes() -> Vec<Route> {
    rocket::routes![routes::story, routes::list, routes::inbox, routes::here]
}

/// How often open streams are checked for logins that ended elsewhere
/// (another process, another node) or expired.
const CHECK_LOGINS_EVERY: Duration = Duration::from_secs(1);

/// Manages the feeds (after the stories and the notifications are in
/// place) within their budgets, starts giving back the memory of closed
/// streams, closing the streams of ended logins, and the live listener
/// when `live_port` is set.
pub fn stage(settings: &Settings) -> AdHoc {
    let live_port = settings.live_port;
    let settings = settings.clone();
    AdHoc::try_on_ignite("Live streams", move |rocket| async move {
        let limits = limits::stream_limits(&settings, limits::raise_open_file_limit());
        rocket::info!(
            "live streams: at most {} open, {} for visitors, {} per address, {} per login",
            limits.total,
            limits.anonymous,
            limits.per_address,
            limits.per_session
        );
        let parts = (
            Feeds::from_rocket(&rocket, limits),
            rocket.state::<Sessions>(),
        );
        let (Some(feeds), Some(sessions)) = parts else {
            rocket::error!(
                "the live streams need the database, the engine, sessions, stories and inboxes"
            );
            return Err(rocket);
        };
        rocket::tokio::spawn(close_ended_logins(
            Arc::downgrade(&feeds.budget),
            sessions.clone(),
            feeds.db.clone(),
        ));
        let count = Arc::downgrade(&feeds.count);
        rocket::tokio::spawn(async move {
            let mut tick = rocket::tokio::time::interval(TRIM_EVERY);
            loop {
                tick.tick().await;
                let Some(count) = count.upgrade() else { break };
                count.release_if_shrunk();
            }
        });
        let pings = Arc::new(PingLimits::new(settings.pings_per_minute));
        let idle = Arc::downgrade(&pings);
        rocket::tokio::spawn(async move {
            let mut tick = rocket::tokio::time::interval(pings::FORGET_IDLE_EVERY);
            loop {
                tick.tick().await;
                let Some(pings) = idle.upgrade() else { break };
                pings.forget_idle();
            }
        });
        Ok(rocket
            .manage(feeds)
            .manage(pings)
            .attach(listener::stage(live_port)))
    })
}

/// Closes the streams of logins that ended: at once when they end in this
/// process, and within [`CHECK_LOGINS_EVERY`] otherwise (expiry, a command
/// run beside the server). Runs until the budget is gone.
async fn close_ended_logins(budget: Weak<Budget>, sessions: Sessions, db: AnyPool) {
    loop {
        rocket::tokio::select! {
            () = sessions.some_ended() => {}
            () = rocket::tokio::time::sleep(CHECK_LOGINS_EVERY) => {}
        }
        let Some(budget) = budget.upgrade() else {
            break;
        };
        let open = budget.sessions();
        if open.is_empty() {
            continue;
        }
        match sessions.still_valid(&db, &open).await {
            Ok(valid) => {
                let ended: HashSet<SessionId> =
                    open.into_iter().filter(|id| !valid.contains(id)).collect();
                sessions.forget_ended(&ended);
                budget.end_sessions(ended);
            }
            Err(e) => rocket::warn!("cannot check the logins of open streams: {e}"),
        }
    }
}
