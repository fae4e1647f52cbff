//! Views and visitors counted in memory between flushes. A request only
//! takes a lock and bumps a number; the flusher writes the tally to the
//! database in one transaction per second.

use std::collections::{BTreeMap, HashMap, HashSet};

use sqlx::AnyPool;

use super::device::Device;
use super::salt::VisitorHash;
use super::source;
use crate::ids::StoryId;

/// Most visitors remembered per day before the memory is cleared (the
/// database still counts each once).
const SEEN_MAX: usize = 1_000_000;
/// Most distinct sources kept per day; views from further ones count as
/// "(other)", so made-up referrers cannot fill the database.
const SOURCES_MAX: usize = 500;

/// Where a view came from and on what.
pub struct Origin {
    pub source: String,
    pub device: Device,
}

/// What was counted since the last flush.
#[derive(Default)]
pub struct Tally {
    /// Views per (day, story).
    views: HashMap<(i64, StoryId), i64>,
    /// Views per (day, source).
    sources: HashMap<(i64, String), i64>,
    /// Views per (day, device, browser).
    devices: HashMap<(i64, &'static str, String), i64>,
    /// The sources named so far today.
    source_names: HashSet<String>,
    source_day: i64,
    /// Visitors not yet written, per day.
    visitors: HashSet<(i64, VisitorHash)>,
    /// Visitors already written today: a returning visitor costs nothing.
    seen: HashSet<VisitorHash>,
    seen_day: i64,
}

impl Tally {
    pub fn view(&mut self, day: i64, story: StoryId, origin: Origin) {
        *self.views.entry((day, story)).or_default() += 1;
        if day != self.source_day {
            self.source_names.clear();
            self.source_day = day;
        }
        let known = self.source_names.contains(&origin.source);
        let source = if known || self.source_names.len() < SOURCES_MAX {
            if !known {
                self.source_names.insert(origin.source.clone());
            }
            origin.source
        } else {
            source::OTHER.to_string()
        };
        *self.sources.entry((day, source)).or_default() += 1;
        let device = (day, origin.device.kind, origin.device.browser);
        *self.devices.entry(device).or_default() += 1;
    }

    pub fn visitor(&mut self, day: i64, hash: VisitorHash) {
        if day != self.seen_day {
            self.seen.clear();
            self.seen_day = day;
        }
        if self.seen.len() >= SEEN_MAX {
            self.seen.clear();
        }
        if self.seen.insert(hash) {
            self.visitors.insert((day, hash));
        }
    }

    pub fn is_empty(&self) -> bool {
        self.views.is_empty() && self.visitors.is_empty() && self.sources.is_empty()
    }

    /// Takes what is to be written, leaving the memory of who was seen.
    pub fn take(&mut self) -> Tally {
        Tally {
            views: std::mem::take(&mut self.views),
            visitors: std::mem::take(&mut self.visitors),
            sources: std::mem::take(&mut self.sources),
            devices: std::mem::take(&mut self.devices),
            ..Tally::default()
        }
    }

    /// Puts back a tally whose write failed, to be tried again.
    pub fn restore(&mut self, failed: Tally) {
        for (key, views) in failed.views {
            *self.views.entry(key).or_default() += views;
        }
        self.visitors.extend(failed.visitors);
        for (key, views) in failed.sources {
            *self.sources.entry(key).or_default() += views;
        }
        for (key, views) in failed.devices {
            *self.devices.entry(key).or_default() += views;
        }
    }

    /// Writes the tally in one transaction: views to their story and day
    /// (and to the story's all-time counter), visitors once per day.
    ///
    /// Rows are locked in the order every writer of counters keeps (see
    /// the `db` module): stories by id, each before its days, the site's
    /// days last.
    pub async fn write(&self, db: &AnyPool) -> Result<(), sqlx::Error> {
        let mut tx = db.begin().await?;
        let mut views: Vec<(StoryId, i64, i64)> = self
            .views
            .iter()
            .map(|(&(day, story), &views)| (story, day, views))
            .collect();
        views.sort_unstable();
        let mut site: BTreeMap<i64, i64> = BTreeMap::new();
        for (story, day, views) in views {
            *site.entry(day).or_default() += views;
            sqlx::query("UPDATE stories SET view_count = view_count + $1 WHERE id = $2")
                .bind(views)
                .bind(story)
                .execute(&mut *tx)
                .await?;
            // A story deleted meanwhile takes its views with it.
            sqlx::query(
                "INSERT INTO story_days (story_id, day, views)
                 SELECT $1, $2, $3 WHERE EXISTS (SELECT 1 FROM stories WHERE id = $1)
                 ON CONFLICT (story_id, day) DO UPDATE SET views = story_days.views + excluded.views",
            )
            .bind(story)
            .bind(day)
            .bind(views)
            .execute(&mut *tx)
            .await?;
        }
        for (day, views) in site {
            sqlx::query(
                "INSERT INTO site_days (day, views) VALUES ($1, $2)
                 ON CONFLICT (day) DO UPDATE SET views = site_days.views + excluded.views",
            )
            .bind(day)
            .bind(views)
            .execute(&mut *tx)
            .await?;
        }
        for ((day, source), views) in &self.sources {
            sqlx::query(
                "INSERT INTO source_days (day, source, views) VALUES ($1, $2, $3)
                 ON CONFLICT (day, source) DO UPDATE SET views = source_days.views + excluded.views",
            )
            .bind(day)
            .bind(source)
            .bind(views)
            .execute(&mut *tx)
            .await?;
        }
        for ((day, device, browser), views) in &self.devices {
            sqlx::query(
                "INSERT INTO device_days (day, device, browser, views) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (day, device, browser) DO UPDATE SET views = device_days.views + excluded.views",
            )
            .bind(day)
            .bind(*device)
            .bind(browser)
            .bind(views)
            .execute(&mut *tx)
            .await?;
        }
        let mut visitors: Vec<&(i64, VisitorHash)> = self.visitors.iter().collect();
        visitors.sort_unstable();
        for (day, hash) in visitors {
            // The trigger counts the visitor on site_days if the row is new.
            sqlx::query("INSERT INTO visitors (day, hash) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .bind(day)
                .bind(&hash[..])
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await
    }
}

#[cfg(test)]
mod tests {
    use super::{Origin, Tally};
    use crate::ids::StoryId;
    use crate::visits::device::Device;

    fn from(source: &str) -> Origin {
        Origin {
            source: source.to_string(),
            device: Device {
                kind: "Phone",
                browser: "Firefox".to_string(),
            },
        }
    }

    #[test]
    fn a_visitor_counts_once_a_day_and_again_the_next_day() {
        let mut tally = Tally::default();
        let visitor = [7u8; 16];
        tally.visitor(100, visitor);
        tally.visitor(100, visitor);
        let first = tally.take();
        assert_eq!(first.visitors.len(), 1);
        tally.visitor(100, visitor);
        assert!(tally.is_empty(), "already written today");
        tally.visitor(101, visitor);
        assert_eq!(tally.take().visitors.len(), 1, "a new day, a new count");
    }

    #[test]
    fn views_add_up_per_story_and_day_and_survive_a_failed_write() {
        let mut tally = Tally::default();
        tally.view(100, StoryId(1), from("a.example"));
        tally.view(100, StoryId(1), from("a.example"));
        tally.view(100, StoryId(2), from("b.example"));
        let failed = tally.take();
        tally.view(100, StoryId(1), from("a.example"));
        tally.restore(failed);
        assert_eq!(tally.views.get(&(100, StoryId(1))), Some(&3));
        assert_eq!(tally.views.get(&(100, StoryId(2))), Some(&1));
        assert_eq!(tally.sources.get(&(100, "a.example".to_string())), Some(&3));
        assert_eq!(
            tally.devices.get(&(100, "Phone", "Firefox".to_string())),
            Some(&4)
        );
    }

    #[test]
    fn sources_past_the_daily_limit_count_as_other() {
        let mut tally = Tally::default();
        for i in 0..super::SOURCES_MAX + 10 {
            tally.view(100, StoryId(1), from(&format!("site{i}.example")));
        }
        tally.take();
        tally.view(100, StoryId(1), from("site0.example"));
        tally.view(100, StoryId(1), from("late.example"));
        assert_eq!(
            tally.sources.get(&(100, "site0.example".to_string())),
            Some(&1)
        );
        assert_eq!(tally.sources.get(&(100, "(other)".to_string())), Some(&1));
        tally.view(101, StoryId(1), from("late.example"));
        assert_eq!(
            tally.sources.get(&(101, "late.example".to_string())),
            Some(&1),
            "a new day"
        );
    }
}
