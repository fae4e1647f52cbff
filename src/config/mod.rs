//! Folio's own settings, read from the same figment as Rocket's
//! (defaults < `Rocket.toml` < `ROCKET_*` environment variables), and the
//! checks that stop a start with a message naming the setting at fault.

mod database_url;
mod logging;
mod post_budgets;
mod public_url;
mod secret_key;

pub use database_url::{check_database_url, database_url, with_database_default};
pub use logging::{logging, Logging};
pub use post_budgets::PostBudget;
pub use secret_key::{check_secret_key, development_key_warning, SecretKeyUse};

use std::path::PathBuf;

use rocket::figment::providers::{Env, Format, Serialized, Toml};
use rocket::figment::{Figment, Profile};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// Settings that belong to Folio rather than to Rocket. Every key is
/// documented in the README with its default and environment form.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Directory holding the SQLite database; created on first start.
    pub data_dir: PathBuf,
    /// Add a few sample stories to a database that has never had any.
    pub sample_stories: bool,
    /// Seconds a viewer stays counted without a sign of life.
    pub presence_ttl: u64,
    /// Days a login lasts.
    pub session_days: u64,
    /// Failed logins allowed per username within `throttle_window` seconds.
    pub login_failures_per_username: u32,
    /// Failed logins allowed per client address within `throttle_window` seconds.
    pub login_failures_per_address: u32,
    /// Signups allowed per client address within `throttle_window` seconds.
    pub signups_per_address: u32,
    /// Length of the throttling window, in seconds.
    pub throttle_window: u64,
    /// A second port serving only the live streams, for large audiences
    /// (see the README); none by default.
    pub live_port: Option<u16>,
    /// Mark cookies `Secure` (sent over HTTPS only): turn on when Folio is
    /// served over HTTPS through a proxy.
    pub secure_cookies: bool,
    /// When set, `/metrics` answers only requests that bring
    /// `Authorization: Bearer <metrics_token>`.
    pub metrics_token: Option<String>,
    /// Live streams one login may hold open (one per open page).
    pub streams_per_session: usize,
    /// Live streams one client address (IPv6: one /64) may hold open.
    pub streams_per_address: usize,
    /// Live streams all visitors who are not logged in may hold together;
    /// half of `max_streams` when unset.
    pub anonymous_streams: Option<usize>,
    /// Live streams open at once in all; when unset, three quarters of the
    /// process's open-file limit (keeping at least 256 files for the rest).
    pub max_streams: Option<usize>,
    /// Logins one account may have at once; a new login ends the oldest.
    pub sessions_per_account: u64,
    /// Hours a password-reset link issued by an admin stays usable.
    pub reset_link_hours: u64,
    /// Story-page pings one login may send per minute (its open pages send
    /// one every `presence_ttl`/3 seconds each).
    pub pings_per_minute: u32,
    /// `POST /api/log` per reader: actions a second, at once, a day, and
    /// bytes stored a day (see [`PostBudget`]; 0: no limit).
    pub activity_reader_actions_per_second: u32,
    pub activity_reader_action_burst: u32,
    pub activity_reader_actions_per_day: u32,
    pub activity_reader_bytes_per_day: u64,
    /// The same per API token.
    pub activity_token_actions_per_second: u32,
    pub activity_token_action_burst: u32,
    pub activity_token_actions_per_day: u32,
    pub activity_token_bytes_per_day: u64,
    /// Without `metrics_token`, `/metrics` answers only requests from this
    /// machine (a loopback address, not passed on by a proxy); `true`
    /// opens it to everyone who can reach Folio.
    pub metrics_public: bool,
    /// The address readers reach Folio at (`https://stories.example.com`),
    /// for absolute links in feeds, the sitemap and sharing tags; when
    /// unset, taken from each request's `Host`.
    pub public_url: Option<String>,
    /// Let stories show images from other sites (any HTTPS address);
    /// otherwise only images uploaded to Folio show.
    pub remote_images: bool,
    /// A Redis (`redis://host:6379/`) that several Folio nodes share for
    /// who is reading now and for live changes; none: this process alone.
    pub redis_url: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            data_dir: PathBuf::from("data"),
            sample_stories: true,
            presence_ttl: 30,
            session_days: 30,
            login_failures_per_username: 5,
            login_failures_per_address: 20,
            signups_per_address: 10,
            throttle_window: 300,
            secure_cookies: false,
            live_port: None,
            metrics_token: None,
            streams_per_session: 16,
            streams_per_address: 100,
            anonymous_streams: None,
            max_streams: None,
            sessions_per_account: 10,
            reset_link_hours: 24,
            pings_per_minute: 120,
            activity_reader_actions_per_second: post_budgets::READER.actions_per_second,
            activity_reader_action_burst: post_budgets::READER.action_burst,
            activity_reader_actions_per_day: post_budgets::READER.actions_per_day,
            activity_reader_bytes_per_day: post_budgets::READER.bytes_per_day,
            activity_token_actions_per_second: post_budgets::TOKEN.actions_per_second,
            activity_token_action_burst: post_budgets::TOKEN.action_burst,
            activity_token_actions_per_day: post_budgets::TOKEN.actions_per_day,
            activity_token_bytes_per_day: post_budgets::TOKEN.bytes_per_day,
            metrics_public: false,
            public_url: None,
            remote_images: false,
            redis_url: None,
        }
    }
}

impl Settings {
    /// Reads the settings, naming the key and the problem when one is wrong.
    pub fn from_figment(figment: &Figment) -> Result<Settings> {
        let mut settings: Settings = figment
            .extract()
            .map_err(|e| Error::Config(format!("bad setting: {e}")))?;
        let ranges = [
            ("presence_ttl", settings.presence_ttl, 1, 86_400, "seconds"),
            ("session_days", settings.session_days, 1, 3_650, "days"),
            (
                "streams_per_session",
                settings.streams_per_session as u64,
                1,
                10_000,
                "streams",
            ),
            (
                "streams_per_address",
                settings.streams_per_address as u64,
                1,
                1_000_000,
                "streams",
            ),
            (
                "anonymous_streams",
                settings.anonymous_streams.unwrap_or(1) as u64,
                1,
                10_000_000,
                "streams",
            ),
            (
                "max_streams",
                settings.max_streams.unwrap_or(1) as u64,
                1,
                10_000_000,
                "streams",
            ),
            (
                "pings_per_minute",
                u64::from(settings.pings_per_minute),
                1,
                1_000_000,
                "pings",
            ),
            (
                "sessions_per_account",
                settings.sessions_per_account,
                1,
                1_000,
                "logins",
            ),
            (
                "reset_link_hours",
                settings.reset_link_hours,
                1,
                720,
                "hours",
            ),
            (
                "throttle_window",
                settings.throttle_window,
                1,
                86_400,
                "seconds",
            ),
        ];
        if settings
            .metrics_token
            .as_deref()
            .is_some_and(|t| t.trim().len() < 16)
        {
            return Err(Error::Config(
                "bad setting: metrics_token must be at least 16 characters \
                 (try `openssl rand -hex 24`)"
                    .into(),
            ));
        }
        for (key, value, min, max, unit) in ranges {
            if !(min..=max).contains(&value) {
                return Err(Error::Config(format!(
                    "bad setting: {key} is {value}; it must be between {min} and {max} {unit}"
                )));
            }
        }
        if let Some(url) = &settings.public_url {
            settings.public_url = Some(public_url::normalized(url)?);
        }
        settings.reader_post_budget().check()?;
        settings.token_post_budget().check()?;
        Ok(settings)
    }

    /// What one reader may post to the activity log.
    pub fn reader_post_budget(&self) -> PostBudget {
        PostBudget {
            who: "reader",
            actions_per_second: self.activity_reader_actions_per_second,
            action_burst: self.activity_reader_action_burst,
            actions_per_day: self.activity_reader_actions_per_day,
            bytes_per_day: self.activity_reader_bytes_per_day,
        }
    }

    /// What one API token may post to the activity log.
    pub fn token_post_budget(&self) -> PostBudget {
        PostBudget {
            who: "token",
            actions_per_second: self.activity_token_actions_per_second,
            action_burst: self.activity_token_action_burst,
            actions_per_day: self.activity_token_actions_per_day,
            bytes_per_day: self.activity_token_bytes_per_day,
        }
    }

    /// The database URL used when none is configured: `folio.db` in the data directory.
    pub fn default_database_url(&self) -> String {
        format!("sqlite://{}", self.data_dir.join("folio.db").display())
    }
}

/// The figment Folio runs with: Rocket's defaults, then Folio's defaults,
/// then `Rocket.toml`, then `ROCKET_*` environment variables, then
/// `DATABASE_URL` as an alias for `databases.folio.url`.
pub fn figment() -> Figment {
    Figment::from(rocket::Config::default())
        .merge(Serialized::defaults(Settings::default()))
        // Forms of a few fields; the story editor's has a limit of its own,
        // well above the 1 MB a story may have, so that a longer one is
        // refused with its text shown again.
        .merge(Serialized::default("limits.form", "256 KiB"))
        .merge(Serialized::default("limits.story", "16 MiB"))
        .merge(Serialized::default("limits.json", "1 MiB"))
        // One line per request; `critical` for errors only.
        .merge(Serialized::default("log_level", "normal"))
        // Trust no client-sent address header unless configured: otherwise
        // anyone could dodge the per-address login throttle.
        .merge(Serialized::default("ip_header", false))
        .merge(Toml::file(Env::var_or("ROCKET_CONFIG", "Rocket.toml")).nested())
        .merge(Env::prefixed("ROCKET_").ignore(&["PROFILE"]).global())
        .merge(
            Env::raw()
                .only(&["FOLIO_ADMIN_USERNAME", "FOLIO_ADMIN_PASSWORD"])
                .map(|key| {
                    key.as_str()
                        .replace("FOLIO_", "first_")
                        .to_lowercase()
                        .into()
                })
                .global(),
        )
        .merge(
            Env::raw()
                .only(&["DATABASE_URL"])
                .map(|_| "databases.folio.url".into())
                .global(),
        )
        .select(Profile::from_env_or(
            "ROCKET_PROFILE",
            rocket::Config::DEFAULT_PROFILE,
        ))
}
