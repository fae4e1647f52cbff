//! The live streams: server-sent events that keep open pages fresh. What a
//! stream sends ([`feeds`]) is independent of the server that carries it:
//! Rocket's routes, or the optional lean live listener on `live_port`.

mod count;
pub mod feeds;
mod http;
#[cfg(test)]
mod http_fuzz;
mod inbox_feed;
mod listener;
mod routes;
mod source;

use std::time::Duration;

use rocket::fairing::AdHoc;
use rocket::Route;

pub use count::StreamCount;
pub use listener::LiveListener;
pub use source::Feeds;

use crate::config::Settings;

/// How often memory freed by closed streams is looked at.
const TRIM_EVERY: Duration = Duration::from_secs(1);

pub fn routes() -> Vec<Route> {
    rocket::routes![routes::story, routes::list, routes::inbox, routes::here]
}

/// Manages the feeds (after the stories and the notifications are in
/// place), starts giving back the memory of closed streams, and the live
/// listener when `live_port` is set.
pub fn stage(settings: &Settings) -> AdHoc {
    let live_port = settings.live_port;
    AdHoc::try_on_ignite("Live streams", move |rocket| async move {
        let Some(feeds) = Feeds::from_rocket(&rocket) else {
            rocket::error!("the live streams need the database, the engine, stories and inboxes");
            return Err(rocket);
        };
        let count = std::sync::Arc::downgrade(&feeds.count);
        rocket::tokio::spawn(async move {
            let mut tick = rocket::tokio::time::interval(TRIM_EVERY);
            loop {
                tick.tick().await;
                let Some(count) = count.upgrade() else { break };
                count.release_if_shrunk();
            }
        });
        Ok(rocket.manage(feeds).attach(listener::stage(live_port)))
    })
}
