//! Views and unique visitors, for the dashboards. A story-page open is a
//! view; every page request counts its visitor once per day, identified only
//! by a hash of a daily secret salt with the address and User-Agent (no
//! address is stored, and the salt is deleted when its day ends). Robots
//! and health checks are not visitors. Nothing is written on the request
//! path: counts gather in memory and are written once a second, and on
//! shutdown.

mod bots;
mod device;
mod salt;
mod source;
mod tally;

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rocket::fairing::{AdHoc, Fairing, Info, Kind};
use rocket::http::{Method, Status};
use rocket::outcome::Outcome;
use rocket::request::{self, FromRequest, Request};
use rocket::{Build, Orbit, Response, Rocket};
use rocket_db_pools::Database;
use sqlx::AnyPool;

pub use bots::is_bot;
use device::Devices;
use salt::Salt;
pub use source::{DIRECT, INTERNAL, OTHER};
use tally::{Origin, Tally};

use crate::db::Db;
use crate::error::{Error, Result};
use crate::ids::StoryId;
pub use crate::util::today;

/// How often counts are written.
const FLUSH_EVERY: Duration = Duration::from_secs(1);

/// The counters, managed by Rocket as `Arc<Visits>`.
pub struct Visits {
    db: AnyPool,
    tally: Mutex<Tally>,
    salt: Mutex<Salt>,
    /// The day of the salt last saved: the salt is written when it changes,
    /// not on every flush.
    saved_day: AtomicI64,
    /// Serialises flushes, so a tally is never written twice at once.
    flushing: rocket::tokio::sync::Mutex<()>,
    devices: Devices,
}

impl Visits {
    async fn start(db: AnyPool) -> Result<Arc<Visits>, sqlx::Error> {
        let salt = salt::load(&db, today()).await?;
        Ok(Arc::new(Visits {
            db,
            tally: Mutex::new(Tally::default()),
            saved_day: AtomicI64::new(salt.day),
            salt: Mutex::new(salt),
            flushing: Default::default(),
            devices: Devices::default(),
        }))
    }

    /// Counts one open of `story`'s page, with where it came from and on
    /// what.
    pub fn view(&self, story: StoryId, from: &ViewFrom<'_>) {
        let origin = Origin {
            source: source::source_of(from.campaign, from.referrer, from.host),
            device: self.devices.of(from.user_agent.unwrap_or_default()),
        };
        if let Ok(mut tally) = self.tally.lock() {
            tally.view(today(), story, origin);
        }
    }

    /// Counts the visitor behind `address` and `user_agent` for today.
    pub fn visitor(&self, address: &str, user_agent: &str) {
        let day = today();
        let (hash, day) = match self.salt.lock() {
            Ok(mut salt) => {
                if day > salt.day {
                    // A new day: a new salt; the flusher saves it and
                    // forgets the old one.
                    *salt = Salt::new(day);
                }
                // A request that began just before midnight counts on the
                // new day rather than bringing the old salt back.
                (salt.hash(address, user_agent), salt.day)
            }
            Err(_) => return,
        };
        if let Ok(mut tally) = self.tally.lock() {
            tally.visitor(day, hash);
        }
    }

    /// Writes everything counted so far. On failure the counts are kept
    /// for the next try.
    pub async fn flush(&self) {
        let _one_at_a_time = self.flushing.lock().await;
        // The day's end retires the salt even when nobody visits.
        let salt = self.salt.lock().ok().map(|mut salt| {
            let day = today();
            if day > salt.day {
                *salt = Salt::new(day);
            }
            salt.clone()
        });
        if let Some(salt) = salt.filter(|s| s.day != self.saved_day.load(Ordering::Acquire)) {
            match salt::save(&self.db, &salt).await {
                Ok(stored) => {
                    // Another node's salt for the day, if it saved first.
                    if let Ok(mut salt) = self.salt.lock() {
                        if salt.day == stored.day {
                            *salt = stored.clone();
                        }
                    }
                    self.saved_day.store(stored.day, Ordering::Release)
                }
                Err(e) => rocket::warn!("saving the visitor salt failed: {e}"),
            }
        }
        let pending = match self.tally.lock() {
            Ok(mut tally) if !tally.is_empty() => tally.take(),
            _ => return,
        };
        if let Err(e) = pending.write(&self.db).await {
            rocket::warn!("writing views and visitors failed ({e}); will retry");
            if let Ok(mut tally) = self.tally.lock() {
                tally.restore(pending);
            }
        }
    }
}

/// Whether this request's client is a person (not a robot or a health check).
pub struct Person(pub bool);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Person {
    type Error = std::convert::Infallible;

    async fn from_request(req: &'r Request<'_>) -> request::Outcome<Self, Self::Error> {
        Outcome::Success(Person(!is_bot(req.headers().get_one("User-Agent"))))
    }
}

/// What a page request says of where it came from: its campaign
/// parameter (`utm_source` or `ref`), `Referer`, `Host` and `User-Agent`.
pub struct ViewFrom<'r> {
    campaign: Option<&'r str>,
    referrer: Option<&'r str>,
    host: Option<&'r str>,
    user_agent: Option<&'r str>,
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for ViewFrom<'r> {
    type Error = std::convert::Infallible;

    async fn from_request(req: &'r Request<'_>) -> request::Outcome<Self, Self::Error> {
        let param = |name| req.query_value::<&str>(name).and_then(|value| value.ok());
        let headers = req.headers();
        Outcome::Success(ViewFrom {
            campaign: param("utm_source").or_else(|| param("ref")),
            referrer: headers.get_one("Referer"),
            host: headers.get_one("Host"),
            user_agent: headers.get_one("User-Agent"),
        })
    }
}

/// Counts the visitor of every page: a successful GET that answers HTML,
/// outside the admin area and the health checks.
struct CountVisitors;

#[rocket::async_trait]
impl Fairing for CountVisitors {
    fn info(&self) -> Info {
        Info {
            name: "Visitors",
            kind: Kind::Response | Kind::Shutdown,
        }
    }

    async fn on_response<'r>(&self, req: &'r Request<'_>, res: &mut Response<'r>) {
        let path = req.uri().path();
        let page = req.method() == Method::Get
            && res.status() == Status::Ok
            && res.content_type().is_some_and(|t| t.is_html())
            && !["/admin", "/health"].iter().any(|p| path.starts_with(p));
        let agent = req.headers().get_one("User-Agent");
        if !page || is_bot(agent) {
            return;
        }
        if let Some(visits) = req.rocket().state::<Arc<Visits>>() {
            let address = req.client_ip().map(|ip| ip.to_string()).unwrap_or_default();
            visits.visitor(&address, agent.unwrap_or_default());
        }
    }

    async fn on_shutdown(&self, rocket: &Rocket<Orbit>) {
        if let Some(visits) = rocket.state::<Arc<Visits>>() {
            visits.flush().await;
        }
    }
}

/// Starts the counters and their flusher. Runs after the migrations.
pub fn stage() -> impl Fairing {
    AdHoc::try_on_ignite("Views and visitors", |rocket| async move {
        let visits = match start(&rocket).await {
            Ok(visits) => visits,
            Err(e) => {
                rocket::error!("cannot start counting visitors: {e}");
                return Err(rocket);
            }
        };
        let weak = Arc::downgrade(&visits);
        rocket::tokio::spawn(async move {
            let mut tick = rocket::tokio::time::interval(FLUSH_EVERY);
            loop {
                tick.tick().await;
                let Some(visits) = weak.upgrade() else { break };
                visits.flush().await;
            }
        });
        Ok(rocket.manage(visits).attach(CountVisitors))
    })
}

async fn start(rocket: &Rocket<Build>) -> Result<Arc<Visits>> {
    let db = Db::fetch(rocket).ok_or_else(|| Error::internal("the database is not set up"))?;
    Ok(Visits::start(db.pool().clone()).await?)
}

/// Writes what is still in memory: for the end of `launch()`, after the
/// last request.
pub async fn flush_all<P: rocket::Phase>(rocket: &Rocket<P>) {
    if let Some(visits) = rocket.state::<Arc<Visits>>() {
        visits.flush().await;
    }
}
