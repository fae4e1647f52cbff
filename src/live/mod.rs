//! Live figures: who is viewing what right now.

mod presence;

use std::sync::Arc;
use std::time::Duration;

use rocket::fairing::AdHoc;

pub use presence::Presence;

use crate::config::Settings;

/// Manages the presence registry and the timer that expires silent viewers.
pub fn stage(settings: &Settings) -> AdHoc {
    let ttl = Duration::from_secs(settings.presence_ttl);
    AdHoc::on_ignite("Presence", move |rocket| async move {
        let presence = Arc::new(Presence::new(ttl));
        let weak = Arc::downgrade(&presence);
        rocket::tokio::spawn(async move {
            let mut tick = rocket::tokio::time::interval(Duration::from_secs(1));
            loop {
                tick.tick().await;
                // Stops when the Rocket that owns the registry is gone.
                let Some(presence) = weak.upgrade() else {
                    break;
                };
                presence.run_pending_tasks();
            }
        });
        rocket.manage(presence)
    })
}
