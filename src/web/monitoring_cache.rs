//! The monitor's table of a region for a year, computed once (every JST's
//! statuses and index from its facts and today's date) and kept while
//! neither the monitor's facts nor the register change and the date stays
//! (`AppState::refresh` clears it): the table's pages, filters, map, CSV
//! and JSON of a year are then cut from it rather than read again.
//!
//! The register's JSTs of a region, in Polish order, are kept apart while
//! the register stands, so a year's table after a change of the facts
//! reads only the facts.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use crate::store::teryt::UnitRow;
use crate::store::{Db, Result, Topics};

/// The topics the kept tables are made from.
pub const TOPICS: Topics = Topics::MONITOR.with(Topics::REGISTER);

/// Years kept at most (a region's table is a few hundred kB nationally).
const MAX_ENTRIES: usize = 32;

/// The region's rows for a year, and its counties (code, name).
pub struct RegionYear {
    pub rows: Vec<super::monitoring::Row>,
    pub counties: Vec<(String, String)>,
}

#[derive(Default)]
pub struct MonitorCache {
    map: RwLock<HashMap<(String, i16), Arc<RegionYear>>>,
    generation: AtomicU64,
    units: RwLock<HashMap<String, Arc<Vec<UnitRow>>>>,
    register_generation: AtomicU64,
}

impl MonitorCache {
    pub fn get(&self, region: &str, year: i16) -> Option<Arc<RegionYear>> {
        self.map
            .read()
            .ok()
            .and_then(|m| m.get(&(region.to_owned(), year)).cloned())
    }

    /// The generation to pass to `keep` for a table read after this call.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Keeps a table unless the cache was cleared since `generation`.
    pub fn keep(
        &self,
        region: &str,
        year: i16,
        table: RegionYear,
        generation: u64,
    ) -> Arc<RegionYear> {
        let table = Arc::new(table);
        if let Ok(mut m) = self.map.write() {
            if self.generation.load(Ordering::Acquire) == generation {
                if m.len() >= MAX_ENTRIES {
                    m.clear();
                }
                m.insert((region.to_owned(), year), table.clone());
            }
        }
        table
    }

    pub fn clear(&self) {
        if let Ok(mut m) = self.map.write() {
            self.generation.fetch_add(1, Ordering::AcqRel);
            m.clear();
        }
    }

    /// The register's JSTs under `region` in Polish order, kept while the
    /// register stands.
    pub async fn units(&self, db: &Db, region: &str) -> Result<Arc<Vec<UnitRow>>> {
        if let Some(u) = self.units.read().ok().and_then(|m| m.get(region).cloned()) {
            return Ok(u);
        }
        let generation = self.register_generation.load(Ordering::Acquire);
        let units = Arc::new(crate::store::teryt::jsts_within(db, region).await?);
        if let Ok(mut m) = self.units.write() {
            if self.register_generation.load(Ordering::Acquire) == generation {
                if m.len() >= MAX_ENTRIES {
                    m.clear();
                }
                m.insert(region.to_owned(), units.clone());
            }
        }
        Ok(units)
    }

    /// Drops the kept register as well as the tables.
    pub fn clear_register(&self) {
        if let Ok(mut m) = self.units.write() {
            self.register_generation.fetch_add(1, Ordering::AcqRel);
            m.clear();
        }
        self.clear();
    }
}
