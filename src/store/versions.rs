//! The data versions caches compare against: `meta.data_version` moves
//! with every write, and each topic (`Topics`) has its own counter that
//! moves with the writes that change it, so a cache drops only what
//! depends on what changed; for the places, `place_change` also says of
//! which activities. On PostgreSQL other instances hear of a commit at
//! once and read which counters moved.

use super::{Db, Engine, Result, Tx};
use std::sync::atomic::{AtomicI64, Ordering};

/// How many topics there are: one counter of `meta` each.
const COUNT: usize = 9;

/// What a write changed, as far as the public pages and the caches are
/// concerned: a set of topics, each with a counter of its own in `meta`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Topics(u16);

impl Topics {
    pub const NONE: Topics = Topics(0);
    /// Activities with their agenda, attendance, speakers, recipients and
    /// trips; advisory sessions (activities of their own kind).
    pub const ACTIVITIES: Topics = Topics(1);
    /// Registrations' statuses: the free places of activities.
    pub const PLACES: Topics = Topics(1 << 1);
    pub const ORGANISATIONS: Topics = Topics(1 << 2);
    /// People with their affiliations and consents.
    pub const PEOPLE: Topics = Topics(1 << 3);
    /// The TERYT register and the offices of local governments.
    pub const REGISTER: Topics = Topics(1 << 4);
    /// Cases of interventions and their letters.
    pub const CASES: Topics = Topics(1 << 5);
    /// The project: pages, documents, partners, research, the network, local work.
    pub const PROGRAMME: Topics = Topics(1 << 6);
    /// Staff accounts.
    pub const ACCOUNTS: Topics = Topics(1 << 7);
    /// The cooperation monitor's facts about JSTs.
    pub const MONITOR: Topics = Topics(1 << 8);
    pub const ALL: Topics = Topics((1 << COUNT) - 1);

    /// The keys of `meta` the topics' counters are kept under, bit by bit.
    const KEYS: [&'static str; COUNT] = [
        "activities_version",
        "places_version",
        "organisations_version",
        "people_version",
        "register_version",
        "cases_version",
        "programme_version",
        "accounts_version",
        "monitoring_version",
    ];

    /// The topics of the first set that are not in the second.
    pub const fn without(self, other: Topics) -> Topics {
        Topics(self.0 & !other.0)
    }

    /// Both sets together (`|` where a constant needs it).
    pub const fn with(self, other: Topics) -> Topics {
        Topics(self.0 | other.0)
    }

    /// Whether the sets share a topic.
    pub fn meets(self, other: Topics) -> bool {
        self.0 & other.0 != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The positions (bits) of the topics in the set.
    fn positions(self) -> impl Iterator<Item = usize> {
        (0..COUNT).filter(move |i| self.0 & (1 << i) != 0)
    }

    /// The topic at a position (a bit, below 16), alone; none beyond the
    /// topics there are.
    pub fn bit(position: usize) -> Topics {
        Topics(1u16.checked_shl(position as u32).unwrap_or(0) & Topics::ALL.0)
    }
}

impl std::ops::BitOr for Topics {
    type Output = Topics;
    fn bitor(self, other: Topics) -> Topics {
        self.with(other)
    }
}

/// The counters of `meta`: `data` moves with every write, each topic's
/// with the writes that change it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Versions {
    pub data: i64,
    topics: [i64; COUNT],
}

impl Versions {
    /// Each counter at the newer of the two.
    pub fn max(self, other: Versions) -> Versions {
        let mut v = self;
        v.data = v.data.max(other.data);
        for (mine, theirs) in v.topics.iter_mut().zip(other.topics) {
            *mine = (*mine).max(theirs);
        }
        v
    }

    /// The topics whose counters differ between the two.
    pub fn moved(&self, other: &Versions) -> Topics {
        (0..COUNT)
            .filter(|&i| self.topics[i] != other.topics[i])
            .fold(Topics::NONE, |t, i| t.with(Topics::bit(i)))
    }
}

/// The newest versions this process committed.
#[derive(Debug, Default)]
pub(super) struct Written {
    data: AtomicI64,
    topics: [AtomicI64; COUNT],
}

impl Written {
    /// Notes the versions a transaction committed.
    pub(super) fn record(&self, v: &Versions) {
        self.data.fetch_max(v.data, Ordering::SeqCst);
        for (mine, theirs) in self.topics.iter().zip(v.topics) {
            mine.fetch_max(theirs, Ordering::SeqCst);
        }
    }
}

impl Db {
    /// The newest versions this process's own writes committed (0 before
    /// the first): a change made here is known without a query.
    pub fn written_versions(&self) -> Versions {
        let w = &self.written;
        Versions {
            data: w.data.load(Ordering::SeqCst),
            topics: std::array::from_fn(|i| w.topics[i].load(Ordering::SeqCst)),
        }
    }

    /// The counter every write bumps.
    pub async fn data_version(&self) -> Result<i64> {
        Ok(self.versions().await?.data)
    }

    /// All the counters, in one read.
    pub async fn versions(&self) -> Result<Versions> {
        let rows: Vec<(String, i64)> =
            sqlx::query_as("SELECT key, value FROM meta WHERE key LIKE '%version'")
                .fetch_all(&self.pool)
                .await?;
        Ok(versions_of(&rows))
    }
}

/// The position of the counter of `Topics::PLACES`.
const PLACES: usize = Topics::PLACES.0.trailing_zeros() as usize;
/// Places versions whose changed activities stay in `place_change`.
const PLACES_KEPT: i64 = 10_000;
/// `place_change` is pruned at every this many places versions.
const PRUNE_EVERY: i64 = 1_000;

impl Db {
    /// The slugs of the activities whose free places changed after `from`,
    /// up to `to`; `None` when that is no longer known (never seen, or
    /// pruned since), and every page with free places may have changed.
    pub async fn places_changed(
        &self,
        from: &Versions,
        to: &Versions,
    ) -> Result<Option<Vec<String>>> {
        let (after, upto) = (from.topics[PLACES], to.topics[PLACES]);
        if after == 0 {
            return Ok(None);
        }
        let changed = match self.engine {
            Engine::Sqlite => {
                "SELECT slug FROM activity WHERE id IN \
                 (SELECT activity_id FROM place_change WHERE version > $1 AND version <= $2)"
            }
            // Arrays of subqueries: each planned alone, in a tenth of the
            // time a join of the three takes to plan (planned every time:
            // the range's bounds decide the plan).
            Engine::Postgres => {
                "SELECT slug FROM activity WHERE id = ANY(ARRAY(\
                 SELECT activity_id FROM place_change WHERE xact = ANY(ARRAY(\
                 SELECT xact FROM place_version WHERE version > $1 AND version <= $2))))"
            }
        };
        let slugs: Vec<String> = sqlx::query_scalar(changed)
            .bind(after)
            .bind(upto)
            .fetch_all(&self.pool)
            .await?;
        // Read after the rows: a pruning that took some of them shows here.
        let pruned: i64 = sqlx::query_scalar("SELECT value FROM meta WHERE key = 'places_pruned'")
            .fetch_one(&self.pool)
            .await?;
        Ok((pruned <= after).then_some(slugs))
    }
}

/// Every `PRUNE_EVERY` versions of the places, forgets the changes older
/// than the last `PLACES_KEPT`.
async fn prune_place_changes(tx: &mut Tx) -> Result<()> {
    let version = tx.bumped.topics[PLACES];
    if version % PRUNE_EVERY == 0 && version > PLACES_KEPT {
        let upto = version - PLACES_KEPT;
        let deletes: &[&str] = match tx.engine() {
            Engine::Sqlite => &["DELETE FROM place_change WHERE version <= $1"],
            // A transaction's changes go with the last of its versions.
            Engine::Postgres => &[
                "DELETE FROM place_change c USING place_version v \
                 WHERE v.xact = c.xact AND v.version <= $1 AND NOT EXISTS \
                 (SELECT 1 FROM place_version w WHERE w.xact = c.xact AND w.version > $1)",
                "DELETE FROM place_version WHERE version <= $1",
            ],
        };
        for delete in deletes {
            sqlx::query(delete).bind(upto).execute(&mut **tx).await?;
        }
        sqlx::query("UPDATE meta SET value = $1 WHERE key = 'places_pruned' AND value < $1")
            .bind(upto)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// The channel on which PostgreSQL announces committed changes.
const CHANGES_CHANNEL: &str = "koalicja_data";

/// The counters of rows of `meta` (key, value) read for them.
fn versions_of(rows: &[(String, i64)]) -> Versions {
    let mut v = Versions::default();
    for (key, value) in rows {
        if key == "data_version" {
            v.data = *value;
        } else if let Some(i) = Topics::KEYS.iter().position(|k| k == key) {
            v.topics[i] = *value;
        }
    }
    v
}

/// Marks the topics a write transaction changes; call inside every write
/// transaction, naming what it changes (registrations changing status
/// alone: `bump_counts`). On PostgreSQL the other instances also hear of
/// it the moment it commits (`NOTIFY` is delivered on commit).
pub async fn bump_version(tx: &mut Tx, topics: Topics) -> Result<()> {
    let keys: Vec<String> = std::iter::once("data_version")
        .chain(topics.positions().map(|i| Topics::KEYS[i]))
        .map(|k| format!("'{k}'"))
        .collect();
    let bump = format!(
        "UPDATE meta SET value = value + 1 WHERE key IN ({}) RETURNING key, value",
        keys.join(", ")
    );
    let places = topics.meets(Topics::PLACES);
    let rows: Vec<(String, i64)> = match tx.engine() {
        // One round trip: the counters, the row that names this
        // transaction's places' changes (`place_change`, written by the
        // triggers) with the new places version, and the notice the other
        // instances hear on commit (sent once per transaction, however
        // often asked).
        Engine::Postgres => {
            let named = if places {
                format!(
                    ", p AS (INSERT INTO place_version (version, xact) SELECT value, \
                     CAST(CAST(pg_current_xact_id() AS TEXT) AS BIGINT) FROM u WHERE key = '{}')",
                    Topics::KEYS[PLACES]
                )
            } else {
                String::new()
            };
            sqlx::query_as(&format!(
                "WITH u AS ({bump}){named} SELECT u.key, u.value FROM u, \
                 (SELECT pg_notify('{CHANGES_CHANNEL}', '')) n"
            ))
            .fetch_all(&mut **tx)
            .await?
        }
        Engine::Sqlite => sqlx::query_as(&bump).fetch_all(&mut **tx).await?,
    };
    tx.bumped = tx.bumped.max(versions_of(&rows));
    if !places {
        return Ok(());
    }
    if tx.engine() == Engine::Sqlite {
        // The rows the triggers wrote in this transaction, named with the
        // version it set.
        sqlx::query("UPDATE place_change SET version = $1 WHERE version IS NULL")
            .bind(tx.bumped.topics[PLACES])
            .execute(&mut **tx)
            .await?;
    }
    prune_place_changes(tx).await
}

/// Registrations changed status (the free places pages show), nothing else.
pub async fn bump_counts(tx: &mut Tx) -> Result<()> {
    bump_version(tx, Topics::PLACES).await
}

/// Hears of changes committed by any instance (PostgreSQL only).
pub struct ChangeListener(sqlx::postgres::PgListener);

impl ChangeListener {
    /// `None` on SQLite, where instances poll the versions instead.
    pub async fn connect(db: &Db) -> Result<Option<ChangeListener>> {
        if db.engine != Engine::Postgres {
            return Ok(None);
        }
        let mut listener = sqlx::postgres::PgListener::connect(&db.url).await?;
        listener.listen(CHANGES_CHANNEL).await?;
        Ok(Some(ChangeListener(listener)))
    }

    /// Waits for the next change. A lost connection also counts as a change,
    /// since notifications sent meanwhile are gone.
    pub async fn changed(&mut self) -> Result<()> {
        self.0.try_recv().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_topics_that_moved_are_those_whose_counters_differ() {
        let before = versions_of(&[
            ("data_version".into(), 5),
            ("activities_version".into(), 2),
            ("places_version".into(), 3),
        ]);
        let after = versions_of(&[
            ("data_version".into(), 6),
            ("activities_version".into(), 2),
            ("places_version".into(), 4),
        ]);
        assert_eq!(before.moved(&after), Topics::PLACES);
        assert_eq!(before.max(after), after);
        assert!(Topics::ALL.meets(Topics::ACCOUNTS));
        assert!(!Topics::PLACES.meets(Topics::ORGANISATIONS));
        assert_eq!(Topics::ALL.positions().count(), COUNT);
    }
}
