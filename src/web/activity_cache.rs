//! Activities as the registration pages read them (without counts of
//! places), and the catalogue's filter options (its topics, counties and
//! months, three reads over every activity of a list), kept in memory
//! while none of their topics (`TOPICS`) moves.
//! Registrations change places, not activities, so a flood of them does
//! not empty it; a write of an activity, a person, the register or the
//! programme does, in every instance, within one refresh interval.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use crate::store::activities::{self, Activity, CatalogueOptions, Selection};
use crate::store::{Db, Result, Topics};

/// What an activity without its counts is read from.
pub const TOPICS: Topics = Topics::ACTIVITIES
    .with(Topics::PEOPLE)
    .with(Topics::REGISTER)
    .with(Topics::PROGRAMME);

/// Above this many activities the cache starts afresh.
const MAX_ENTRIES: usize = 4096;

/// By id and by slug. Each `clear` starts a new generation; an activity
/// read during an older one is not kept (as in `PageCache`).
#[derive(Default)]
pub struct ActivityCache {
    maps: RwLock<Maps>,
    generation: AtomicU64,
}

#[derive(Default)]
struct Maps {
    by_id: HashMap<i64, Arc<Activity>>,
    by_slug: HashMap<String, Arc<Activity>>,
    /// Per project and selection.
    options: HashMap<(i64, Selection), Arc<CatalogueOptions>>,
}

impl ActivityCache {
    pub async fn by_id(&self, db: &Db, id: i64) -> Result<Option<Arc<Activity>>> {
        self.get(
            |m| m.by_id.get(&id).cloned(),
            activities::by_id_uncounted(db, id),
        )
        .await
    }

    pub async fn by_slug(&self, db: &Db, slug: &str) -> Result<Option<Arc<Activity>>> {
        self.get(
            |m| m.by_slug.get(slug).cloned(),
            activities::by_slug_uncounted(db, slug),
        )
        .await
    }

    /// The filter options of a project's catalogue of `selection`.
    pub async fn options(
        &self,
        db: &Db,
        project: i64,
        selection: Selection,
    ) -> Result<Arc<CatalogueOptions>> {
        let key = (project, selection);
        if let Some(o) = self
            .maps
            .read()
            .ok()
            .and_then(|m| m.options.get(&key).cloned())
        {
            return Ok(o);
        }
        let generation = self.generation.load(Ordering::Acquire);
        let options = Arc::new(activities::catalogue_options(db, project, selection).await?);
        if let Ok(mut m) = self.maps.write() {
            if self.generation.load(Ordering::Acquire) == generation {
                if m.options.len() >= MAX_ENTRIES {
                    m.options.clear();
                }
                m.options.insert(key, options.clone());
            }
        }
        Ok(options)
    }

    /// The activity `hit` finds in memory, else the one `read` gives (kept
    /// unless the cache was cleared meanwhile).
    async fn get(
        &self,
        hit: impl FnOnce(&Maps) -> Option<Arc<Activity>>,
        read: impl std::future::Future<Output = Result<Option<Activity>>>,
    ) -> Result<Option<Arc<Activity>>> {
        if let Some(a) = self.maps.read().ok().and_then(|m| hit(&m)) {
            return Ok(Some(a));
        }
        let generation = self.generation.load(Ordering::Acquire);
        Ok(read.await?.map(|a| self.keep(a, generation)))
    }

    fn keep(&self, a: Activity, generation: u64) -> Arc<Activity> {
        let a = Arc::new(a);
        if let Ok(mut m) = self.maps.write() {
            if self.generation.load(Ordering::Acquire) == generation {
                if m.by_id.len() >= MAX_ENTRIES {
                    *m = Maps::default();
                }
                m.by_id.insert(a.id, a.clone());
                m.by_slug.insert(a.slug.clone(), a.clone());
            }
        }
        a
    }

    pub fn clear(&self) {
        if let Ok(mut m) = self.maps.write() {
            self.generation.fetch_add(1, Ordering::AcqRel);
            *m = Maps::default();
        }
    }
}
