//! Hearing about stories' updates: the update an admin posts and its
//! fan-out to every follower, the notifications feed, the "Following"
//! page, and the per-reader inbox state every page shows (the unread badge
//! reaches the page frame through [`UnreadCounts`]).

mod fanout;
mod feed;
mod following;
mod inbox;
pub mod listing;
pub mod queries;
mod reader;

use rocket::fairing::AdHoc;
use rocket::Route;
use rocket_db_pools::Database;
use sqlx::AnyPool;

pub use fanout::TEXT_MAX;
pub use fanout::{normalized, post, refresh_open_pages, text_problem, Kind, NewUpdate, Posted};
pub use inbox::{Inboxes, ReaderState};
pub use reader::ReaderInbox;

use crate::db::Db;
use crate::ids::UserId;
use crate::live::{on_forget, Engine, Forget};
use crate::web::{Badges, UnreadCounts};

pub fn routes() -> Vec<Route> {
    rocket::routes![
        following::following,
        feed::page,
        feed::mark_one,
        feed::mark_all,
        feed::preferences,
    ]
}

/// Manages the inbox states, and the unread counts of the page frame.
pub fn stage() -> AdHoc {
    AdHoc::try_on_ignite("Notifications", |rocket| async move {
        let Some(db) = Db::fetch(&rocket) else {
            return Err(rocket);
        };
        let inboxes = Inboxes::new();
        if let Some(live) = rocket.state::<Engine>() {
            hear_other_nodes(live, &inboxes, db.pool());
        }
        let badges: Badges = std::sync::Arc::new(InboxBadges {
            inboxes: inboxes.clone(),
            db: db.pool().clone(),
        });
        Ok(rocket.manage(inboxes).manage(badges))
    })
}

/// Inboxes changed on another node: forgotten here, and when many changed
/// (an update posted there), this node's open pages are sent theirs.
fn hear_other_nodes(live: &Engine, inboxes: &Inboxes, db: &AnyPool) {
    let (engine, inboxes, db) = (live.clone(), inboxes.clone(), db.clone());
    on_forget(live, move |what| match what {
        Forget::Inbox { user } => inboxes.forget(user),
        Forget::Inboxes | Forget::Everything => {
            let (engine, inboxes, db) = (engine.clone(), inboxes.clone(), db.clone());
            rocket::tokio::spawn(async move {
                if let Err(e) = fanout::refresh_pages_here(&db, &engine, &inboxes).await {
                    rocket::error!("inboxes changed on another node were not refreshed here: {e}");
                }
            });
        }
        _ => {}
    });
}

/// The unread badge, from the readers' inbox states.
struct InboxBadges {
    inboxes: Inboxes,
    db: AnyPool,
}

#[rocket::async_trait]
impl UnreadCounts for InboxBadges {
    async fn unread(&self, user: UserId) -> Option<i64> {
        match self.inboxes.get(&self.db, user).await {
            Ok(state) => Some(state.unread),
            Err(e) => {
                rocket::error!("could not read the inbox of user {user}: {e}");
                None
            }
        }
    }

    fn unread_if_known(&self, user: UserId) -> Option<i64> {
        self.inboxes.peek(user).map(|state| state.unread)
    }
}
