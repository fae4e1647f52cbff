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
    save(db, &salt).await?;
    Ok(salt)
}

/// Stores `salt` as its day's and forgets every earlier day's salt and
/// visitor hashes.
pub async fn save(db: &AnyPool, salt: &Salt) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    sqlx::query(
        "INSERT INTO visitor_salts (day, salt) VALUES ($1, $2) ON CONFLICT (day) DO NOTHING",
    )
    .bind(salt.day)
    .bind(&salt.bytes[..])
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM visitor_salts WHERE day < $1")
        .bind(salt.day)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM visitors WHERE day < $1")
        .bind(salt.day)
        .execute(&mut *tx)
        .await?;
    tx.commit().await
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
}
