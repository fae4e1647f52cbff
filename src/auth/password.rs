//! Argon2id password hashing, on the blocking thread pool: a hash takes
//! ~20 ms of CPU and 19 MiB of memory, which would stall every request on an
//! async worker. A semaphore bounds how many run at once, so a flood of
//! logins queues instead of exhausting memory.

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use rocket::tokio::sync::Semaphore;
use rocket::tokio::task::spawn_blocking;

use super::strength;
use crate::error::{Error, Result};
use crate::util::random_token;

/// Hashes passwords and checks them. Holds a hash of a random password so
/// that checking a login for an unknown user costs the same as for a known one.
pub struct Passwords {
    dummy_hash: String,
    running: Semaphore,
}

impl Passwords {
    pub async fn new() -> Result<Passwords> {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let mut passwords = Passwords {
            dummy_hash: String::new(),
            running: Semaphore::new(cores),
        };
        passwords.dummy_hash = passwords.hash(random_token()).await?;
        Ok(passwords)
    }

    /// An Argon2id hash (PHC string) of `password`, with a fresh random salt.
    pub async fn hash(&self, password: String) -> Result<String> {
        let _permit = self.permit().await?;
        spawn_blocking(move || {
            let salt = SaltString::generate(&mut OsRng);
            Argon2::default()
                .hash_password(password.as_bytes(), &salt)
                .map(|hash| hash.to_string())
                .map_err(|e| Error::internal(format!("password hashing failed: {e}")))
        })
        .await
        .map_err(|e| Error::internal_from("password hashing failed", e))?
    }

    /// Checks `password` against `stored`, or against the dummy hash when
    /// there is no such user, so both cases take the same time.
    pub async fn verify(&self, password: String, stored: Option<String>) -> Result<bool> {
        let known = stored.is_some();
        let hash = stored.unwrap_or_else(|| self.dummy_hash.clone());
        let _permit = self.permit().await?;
        let matches = spawn_blocking(move || {
            let Ok(parsed) = PasswordHash::new(&hash) else {
                return false;
            };
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .await
        .map_err(|e| Error::internal_from("password check failed", e))?;
        Ok(known && matches)
    }

    /// Why `password` is too easy to guess for `username`, if it is
    /// ([`strength::weakness`]). On the blocking threads, and in turn with
    /// the hashes: weighing a password can cost as much as hashing it.
    pub async fn weakness(&self, password: &str, username: &str) -> Result<Option<String>> {
        let (password, username) = (password.to_string(), username.to_string());
        let _permit = self.permit().await?;
        spawn_blocking(move || strength::weakness(&password, &username))
            .await
            .map_err(|e| Error::internal_from("password check failed", e))
    }

    async fn permit(&self) -> Result<rocket::tokio::sync::SemaphorePermit<'_>> {
        self.running
            .acquire()
            .await
            .map_err(|e| Error::internal_from("password hashing unavailable", e))
    }
}
