//! The secret key check: every profile but `debug` (`release`, and any
//! other such as `production`) refuses to start without a key of its own,
//! and accepts the repository's public development key only on a loopback
//! address.

use rocket::config::SecretKey;
use rocket::fairing::AdHoc;
use rocket::figment::{Figment, Profile};

use crate::error::{Error, Result};

/// The public key in the repository's `Rocket.toml`, there so that
/// `cargo run --release` works on a fresh checkout. Anyone can read it, so
/// Folio accepts it only while listening on a loopback address.
const DEVELOPMENT_KEY: &str = "SDwEzIVtXvfOPqZ99HfRuqlAqpcTUKeTisG1ri1mpzk=";

/// What the configured secret key allows.
pub enum SecretKeyUse {
    /// A key of the installation's own, or a debug build.
    Fine,
    /// The public development key, on a loopback address: allowed, with a warning.
    Development,
}

/// The secret key check: outside the `debug` profile (where Rocket makes a
/// fresh key at each start), Folio refuses to start without a key of its
/// own, and says how to set one, before anything touches the database.
pub fn check_secret_key(figment: &Figment) -> Result<SecretKeyUse> {
    let profile = figment.profile();
    if profile == rocket::Config::DEBUG_PROFILE {
        return Ok(SecretKeyUse::Fine);
    }
    // An empty value (`ROCKET_SECRET_KEY=` left blank in an env file) is no key.
    let blank = figment
        .extract_inner::<String>("secret_key")
        .is_ok_and(|key| key.trim().is_empty());
    let config: Option<rocket::Config> = match blank {
        true => None,
        false => Some(
            figment
                .extract()
                .map_err(|e| Error::Config(format!("bad setting: {e}")))?,
        ),
    };
    let Some(config) = config.filter(|c| !c.secret_key.is_zero()) else {
        return Err(Error::Config(format!(
            "Folio needs a secret key (secret_key) to encrypt its login cookies, and none is \
             set.\n{}",
            how_to_set(profile)
        )));
    };
    let development: Option<SecretKey> = Figment::from(("secret_key", DEVELOPMENT_KEY))
        .extract_inner("secret_key")
        .ok();
    if development.as_ref() != Some(&config.secret_key) {
        return Ok(SecretKeyUse::Fine);
    }
    if config.address.to_canonical().is_loopback() {
        Ok(SecretKeyUse::Development)
    } else {
        Err(Error::Config(format!(
            "The secret key (secret_key) is the development key from the repository's \
             Rocket.toml, which is public, so Folio uses it only on a loopback address, not on \
             {} (profile {profile}).\n{}",
            config.address,
            how_to_set(profile)
        )))
    }
}

fn how_to_set(profile: &Profile) -> String {
    format!(
        "  Generate a key of your own and pass it in the environment, for example:\n    \
         export ROCKET_SECRET_KEY=\"$(openssl rand -base64 32)\"\n  \
         or set `secret_key` under [{profile}] in Rocket.toml. \
         Keep it stable: changing it logs everybody out."
    )
}

/// Warns, at every start, that the public development key is in use.
pub fn development_key_warning() -> AdHoc {
    AdHoc::on_ignite("Development key warning", |rocket| async {
        rocket::warn!(
            "Folio is using the PUBLIC development secret key from Rocket.toml: anyone can \
             read and make its cookies. It is accepted only on a loopback address. Set \
             ROCKET_SECRET_KEY before serving anyone else."
        );
        rocket
    })
}
