//! The daily secret salt that makes visitor hashes unlinkable across days.
//! It is kept in the database only for the day it serves (so a restart does
//! not count today's visitors twice) and deleted, with the day's hashes,
//! once the day is over.

use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::AnyPool;

/// A visitor's hash: enough bits to keep a day's visitors apart, too few
/// and too salted to tell anything about them.
pub type VisitorHash = [u8; 16];

/// One day's salt.
#[derive(Clone)]
pub struct Salt {
    pub day: i64,
    bytes: [u8; 32],
}

impl Salt {
    /// A new random salt for `day`.
    pub fn new(day: i64) -> Salt {
        let mut bytes = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut bytes);
        Salt { day, bytes }
    }

    /// The visitor behind an address and a User-Agent, for this day only.
    pub fn hash(&self, address: &str, user_agent: &str) -> VisitorHash {
        let mut hasher = Sha256::new();
        hasher.update(self.bytes);
        hasher.update(address.as_bytes());
        hasher.update([0]);
        hasher.update(user_agent.as_bytes());
        let digest = hasher.finalize();
        let mut hash = [0u8; 16];
        hash.copy_from_slice(&digest[..16]);
        hash
    }
}

/// Today's salt from the database, or a new one, saved; older salts and
/// visitor hashes are deleted.
pub async fn load(db: &AnyPool, day: i64) -> Result<Salt, sqlx::Error> {
    let stored: Option<Vec<u8>> =
        sqlx::query_scalar("SELECT salt FROM visitor_salts WHERE day = $1")
            .bind(day)
            .fetch_optional(db)
            .await?;
    let salt = match stored.and_then(|bytes| <[u8; 32]>::try_from(bytes).ok()) {
        Some(bytes) => Salt { day, bytes },
        None => Salt::new(day),
    };
    save(db, &salt).await
}

/// Stores `salt` as its day's, unless another process sharing the
/// database stored one first, and forgets every earlier day's salt and
/// visitor hashes. Returns the day's stored salt, the one to use: every
/// process must hash a visitor alike to count them once.
pub async fn save(db: &AnyPool, salt: &Salt) -> Result<Salt, sqlx::Error> {
    let mut tx = db.begin().await?;
    sqlx::query(
        "INSERT INTO visitor_salts (day, salt) VALUES ($1, $2) ON CONFLICT (day) DO NOTHING",
    )
    .bind(salt.day)
    .bind(&salt.bytes[..])
    .execute(&mut *tx)
    .await?;
    let stored: Vec<u8> = sqlx::query_scalar("SELECT salt FROM visitor_salts WHERE day = $1")
        .bind(salt.day)
        .fetch_one(&mut *tx)
        .await?;
    let stored = match <[u8; 32]>::try_from(stored) {
        Ok(bytes) => Salt {
            day: salt.day,
            bytes,
        },
        Err(_) => salt.clone(),
    };
    sqlx::query("DELETE FROM visitor_salts WHERE day < $1")
        .bind(salt.day)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM visitors WHERE day < $1")
        .bind(salt.day)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(stored)
}

#[cfg(test)]
mod tests {
    use super::Salt;

    #[test]
    fn the_same_visitor_is_a_stranger_the_next_day() {
        let (today, tomorrow) = (Salt::new(1), Salt::new(2));
        let agent = "Mozilla/5.0";
        assert_eq!(
            today.hash("192.0.2.1", agent),
            today.hash("192.0.2.1", agent)
        );
        assert_ne!(
            today.hash("192.0.2.1", agent),
            today.hash("192.0.2.2", agent)
        );
        assert_ne!(
            today.hash("192.0.2.1", agent),
            tomorrow.hash("192.0.2.1", agent)
        );
    }

    /// Two processes sharing a database, both starting a day's salt: the
    /// one stored first is the one both go on with.
    #[rocket::async_test]
    async fn the_first_salt_stored_for_a_day_is_every_processs() {
        let dir = tempfile::tempdir().expect("a directory");
        let url = format!("sqlite://{}/folio.db", dir.path().display());
        let db = crate::db::connect(&url, 2, std::time::Duration::from_secs(5))
            .await
            .expect("a database");
        crate::db::migrator(crate::db::Backend::Sqlite)
            .run(&db)
            .await
            .expect("migrated");
        let (mine, theirs) = (Salt::new(20_000), Salt::new(20_000));
        let first = super::save(&db, &theirs).await.expect("saved");
        let second = super::save(&db, &mine).await.expect("saved");
        assert_eq!(first.bytes, theirs.bytes);
        assert_eq!(second.bytes, theirs.bytes, "the salt stored first is kept");
        let loaded = super::load(&db, 20_000).await.expect("loaded");
        assert_eq!(loaded.bytes, theirs.bytes);
    }
}
