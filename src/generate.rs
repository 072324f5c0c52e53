//! Synthetic data sets at scale, for benchmarks and capacity planning:
//! `koalicja generate --scale national` fills an empty database with a
//! plausible country-wide programme (every JST of the national register,
//! 100,000 organisations, 1,000,000 people, 50,000 activities, 2,000,000
//! attendance records, 200,000 trips). Deterministic for a given seed.

use crate::demo::people::{self, Rng};
use crate::domain::activity::{ActivityKind, Audience, Gender, Group};
use crate::domain::search::{fold, sort_key};
use crate::domain::teryt::{self, FileError, Unit};
use crate::store::activities::{person_key, person_sort_key};
use crate::store::bulk::{self, Value};
use crate::store::programme::{self, NewProject};
use crate::store::{self, bump_version, Db, StoreError};

/// The national TERYT register, as GUS ships it.
pub const TERYT_PL: &str = include_str!("../assets/teryt-terc-pl.csv");

/// How much to generate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scale {
    pub organisations: usize,
    pub people: usize,
    pub activities: usize,
    pub attendances: usize,
    pub trips: usize,
}

impl Scale {
    pub const NATIONAL: Scale = Scale {
        organisations: 100_000,
        people: 1_000_000,
        activities: 50_000,
        attendances: 2_000_000,
        trips: 200_000,
    };
    /// A thousandth of national, for tests.
    pub const SMALL: Scale = Scale {
        organisations: 100,
        people: 1_000,
        activities: 50,
        attendances: 2_000,
        trips: 200,
    };

    pub fn parse(name: &str) -> Option<Scale> {
        match name {
            "national" => Some(Scale::NATIONAL),
            "small" => Some(Scale::SMALL),
            _ => None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    #[error("baza danych nie jest pusta; dane syntetyczne generuje się tylko do pustej bazy")]
    NotEmpty,
    #[error("wbudowany plik TERYT jest uszkodzony: {0}")]
    Teryt(#[from] FileError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Rows per batch handed to the store (and per progress line).
const BATCH: usize = 50_000;
/// A stride coprime with any number of people that is not a multiple of
/// 7,919 (a prime): stepping by it visits distinct people.
const STRIDE: usize = 7_919;
/// Activities happen between these days (inclusive), counted from 2021-01-01.
const DAYS: i64 = 6 * 365;

pub async fn generate(
    db: &Db,
    scale: Scale,
    seed: u64,
    at: jiff::Timestamp,
) -> Result<(), GenerateError> {
    if !db.is_empty().await? || bulk::count(db, "person").await? > 0 {
        return Err(GenerateError::NotEmpty);
    }
    let now = &crate::clock::stamp(at);
    let units = teryt::parse_file(TERYT_PL)?;
    store::teryt::import(db, &units, at).await?;
    let gminy: Vec<&Unit> = units
        .iter()
        .filter(|u| {
            (u.kind.depth() == 2 && u.teryt.is_jst())
                || u.kind == teryt::UnitKind::MiastoNaPrawachPowiatu
        })
        .collect();
    let mut rng = Rng::new(seed);

    let mut tx = db.begin_write().await?;
    let project = programme::insert_project(
        &mut tx,
        &NewProject {
            slug: "koalicja-ogolnopolska",
            name: "Ogólnopolska Koalicja na rzecz dialogu NGO-JST (dane syntetyczne)",
            lead_name: "Federacja przykładowa",
            starts_on: jiff::civil::date(2021, 1, 1),
            ends_on: jiff::civil::date(2026, 12, 31),
            summary_md: "Zestaw danych syntetycznych w skali kraju: wszystkie JST z rejestru TERYT, \
                         organizacje, osoby, działania, obecności i przejazdy. Służy do testów wydajności.",
            funder_sentence: "Dane syntetyczne – projekt nie istnieje.",
        },
        at,
    )
    .await?;
    bump_version(&mut tx, store::Topics::ALL).await?;
    tx.commit().await?;

    let org_jst: Vec<&str> = (0..scale.organisations)
        .map(|_| rng.pick(&gminy).teryt.as_str())
        .collect();
    load(
        db,
        "organisation",
        &[
            "id",
            "name",
            "legal_form",
            "local_government",
            "created_at",
            "updated_at",
            "search_key",
            "sort_key",
        ],
        scale.organisations,
        |i| {
            let (name, legal) = people::organisation_name(&mut rng);
            let name = format!("{name} – organizacja syntetyczna nr {}", i + 1);
            let key = fold(&name);
            let order = sort_key(&name);
            vec![
                Value::Int(i as i64 + 1),
                Value::Text(name),
                Value::Text(legal.to_owned()),
                Value::Text(org_jst[i].to_owned()),
                Value::Text(now.to_owned()),
                Value::Text(now.to_owned()),
                Value::Text(key),
                Value::Text(order),
            ]
        },
    )
    .await?;

    let person_cols = [
        "id",
        "first_name",
        "last_name",
        "gender",
        "person_group",
        "organisation_id",
        "local_government",
        "created_at",
        "updated_at",
        "search_key",
        "sort_key",
    ];
    load(db, "person", &person_cols, scale.people, |i| {
        let fake = people::person(&mut rng);
        let roll = rng.below(100);
        let group = match roll {
            0..=69 => Group::Ngo,
            70..=94 => Group::Official,
            95..=97 => Group::Authority,
            _ => Group::Other,
        };
        let (org, jst) = if group == Group::Ngo {
            let org = rng.below(scale.organisations);
            (
                Value::Int(org as i64 + 1),
                Value::Text(org_jst[org].to_owned()),
            )
        } else {
            (
                Value::NullInt,
                Value::Text(rng.pick(&gminy).teryt.as_str().to_owned()),
            )
        };
        let key = person_key(&fake.first_name, &fake.last_name, None);
        let order = person_sort_key(&fake.first_name, &fake.last_name);
        vec![
            Value::Int(i as i64 + 1),
            Value::Text(fake.first_name),
            Value::Text(fake.last_name),
            Value::Text(
                if fake.female {
                    Gender::Female
                } else {
                    Gender::Male
                }
                .code()
                .to_owned(),
            ),
            Value::Text(group.code().to_owned()),
            org,
            jst,
            Value::Text(now.to_owned()),
            Value::Text(now.to_owned()),
            Value::Text(key),
            Value::Text(order),
        ]
    })
    .await?;

    // Local cooperation programmes, one JST each; their meetings happen there.
    let works = (scale.activities / 25).max(1);
    let work_jst: Vec<&str> = (0..works)
        .map(|_| rng.pick(&gminy).teryt.as_str())
        .collect();
    load(
        db,
        "local_work",
        &[
            "id",
            "project_id",
            "slug",
            "title",
            "local_government",
            "office",
            "period",
            "summary_md",
            "deliverables_md",
            "created_at",
            "updated_at",
        ],
        works,
        |i| {
            vec![
                Value::Int(i as i64 + 1),
                Value::Int(project),
                Value::Text(format!("program-{}", i + 1)),
                Value::Text(format!("Lokalny program współpracy nr {}", i + 1)),
                Value::Text(work_jst[i].to_owned()),
                Value::Text("urząd gminy".to_owned()),
                Value::Text("2021–2026".to_owned()),
                Value::Text(String::new()),
                Value::Text(String::new()),
                Value::Text(now.to_owned()),
                Value::Text(now.to_owned()),
            ]
        },
    )
    .await?;

    // Activities: kind, date, place; sizes scaled so attendance adds up.
    let plan: Vec<(ActivityKind, String, Option<&str>, usize)> = (0..scale.activities)
        .map(|i| {
            let kind = match rng.below(100) {
                0..=29 => ActivityKind::Training,
                30..=44 => ActivityKind::Workshop,
                45..=74 => ActivityKind::Meeting,
                75..=94 => ActivityKind::Advisory,
                95..=97 => ActivityKind::Seminar,
                98 => ActivityKind::Debate,
                _ => ActivityKind::Conference,
            };
            let day = jiff::civil::date(2021, 1, 1)
                .checked_add(jiff::Span::new().days(rng.below(DAYS as usize) as i64))
                .unwrap_or(jiff::civil::date(2021, 1, 1));
            let online = kind == ActivityKind::Advisory
                || (kind != ActivityKind::Meeting && rng.below(5) == 0);
            let place = match kind {
                ActivityKind::Meeting => Some(work_jst[i % works]),
                _ => (!online).then(|| rng.pick(&gminy).teryt.as_str()),
            };
            let weight = match kind {
                ActivityKind::Advisory => 1,
                ActivityKind::Training | ActivityKind::Workshop => 25,
                ActivityKind::Meeting => 15,
                ActivityKind::Seminar => 60,
                ActivityKind::Debate => 120,
                ActivityKind::Conference => 300,
            };
            (kind, day.to_string(), place, weight)
        })
        .collect();
    let sizes = proportional(
        &plan.iter().map(|p| p.3).collect::<Vec<_>>(),
        scale.attendances,
        scale.people,
    );
    let activity_cols = [
        "id",
        "project_id",
        "slug",
        "kind",
        "title",
        "topic",
        "summary_md",
        "starts_on",
        "ends_on",
        "start_time",
        "duration_minutes",
        "online",
        "venue",
        "local_government",
        "audience",
        "capacity",
        "local_work_id",
        "created_at",
        "updated_at",
    ];
    load(db, "activity", &activity_cols, scale.activities, |i| {
        let (kind, day, place, _) = &plan[i];
        let minutes = match kind {
            ActivityKind::Advisory => 60 + 30 * rng.below(4) as i64,
            ActivityKind::Meeting => 120 + 30 * rng.below(3) as i64,
            _ => 360,
        };
        vec![
            Value::Int(i as i64 + 1),
            Value::Int(project),
            Value::Text(format!("{day}-{}-{}", kind.code(), i + 1)),
            Value::Text(kind.code().to_owned()),
            Value::Text(format!("{} nr {}", capitalised(kind.label()), i + 1)),
            Value::Text("współpraca NGO i JST".to_owned()),
            Value::Text(String::new()),
            Value::Text(day.clone()),
            Value::Text(day.clone()),
            Value::Text("10:00".to_owned()),
            Value::Int(minutes),
            Value::Int(i64::from(place.is_none())),
            Value::Text(
                if place.is_some() {
                    "siedziba urzędu"
                } else {
                    "online"
                }
                .to_owned(),
            ),
            place.map_or(Value::NullText, |p| Value::Text(p.to_owned())),
            Value::Text(Audience::Both.code().to_owned()),
            Value::Int(sizes[i] as i64),
            if *kind == ActivityKind::Meeting {
                Value::Int((i % works) as i64 + 1)
            } else {
                Value::NullInt
            },
            Value::Text(now.to_owned()),
            Value::Text(now.to_owned()),
        ]
    })
    .await?;

    // Attendance, activity by activity, distinct people within each.
    let attendance_cols = [
        "activity_id",
        "person_id",
        "project_id",
        "attended_on",
        "activity_kind",
        "created_at",
    ];
    let rows = plan.iter().enumerate().flat_map(|(a, (kind, day, _, _))| {
        let start = (a * 104_729) % scale.people;
        (0..sizes[a]).map(move |k| (a, start + k * STRIDE, *kind, day))
    });
    let mut batch = Vec::with_capacity(BATCH);
    let mut loaded = 0;
    for (a, p, kind, day) in rows {
        batch.push(vec![
            Value::Int(a as i64 + 1),
            Value::Int((p % scale.people) as i64 + 1),
            Value::Int(project),
            Value::Text(day.clone()),
            Value::Text(kind.code().to_owned()),
            Value::Text(now.to_owned()),
        ]);
        if batch.len() == BATCH {
            bulk::insert(db, "attendance", &attendance_cols, &batch).await?;
            loaded += batch.len();
            batch.clear();
            progress("attendance", loaded, scale.attendances);
        }
    }
    bulk::insert(db, "attendance", &attendance_cols, &batch).await?;
    progress("attendance", loaded + batch.len(), scale.attendances);

    let trip_cols = [
        "id",
        "project_id",
        "travelled_on",
        "route",
        "kilometres",
        "activity_id",
        "created_at",
        "updated_at",
    ];
    load(db, "trip", &trip_cols, scale.trips, |i| {
        let a = rng.below(scale.activities);
        vec![
            Value::Int(i as i64 + 1),
            Value::Int(project),
            Value::Text(plan[a].1.clone()),
            Value::Text("siedziba – miejsce działania – siedziba".to_owned()),
            Value::Int(10 + rng.below(390) as i64),
            Value::Int(a as i64 + 1),
            Value::Text(now.to_owned()),
            Value::Text(now.to_owned()),
        ]
    })
    .await?;

    let rules = crate::config::MonitoringConfig::default().rules();
    crate::demo::monitoring::generate(db, &units, &rules, at, seed).await?;

    for table in ["organisation", "person", "local_work", "activity", "trip"] {
        bulk::continue_ids(db, table).await?;
    }
    bulk::rebuild_summaries(db, project).await?;
    let mut tx = db.begin_write().await?;
    bump_version(&mut tx, store::Topics::ALL).await?;
    tx.commit().await?;
    bulk::analyze(db).await?;
    Ok(())
}

/// Loads `total` rows made by `row(i)` in batches, with progress lines.
async fn load(
    db: &Db,
    table: &'static str,
    columns: &[&'static str],
    total: usize,
    mut row: impl FnMut(usize) -> Vec<Value>,
) -> Result<(), StoreError> {
    let mut start = 0;
    while start < total {
        let end = (start + BATCH).min(total);
        let rows: Vec<Vec<Value>> = (start..end).map(&mut row).collect();
        bulk::insert(db, table, columns, &rows).await?;
        start = end;
        progress(table, end, total);
    }
    Ok(())
}

fn progress(table: &str, done: usize, total: usize) {
    tracing::info!(table, done, total, "generating");
}

/// Splits `total` in proportion to `weights`, each part at most `cap`, the
/// parts adding up to `total` exactly (when the caps allow).
fn proportional(weights: &[usize], total: usize, cap: usize) -> Vec<usize> {
    let sum: usize = weights.iter().sum::<usize>().max(1);
    let mut parts: Vec<usize> = weights.iter().map(|w| (w * total / sum).min(cap)).collect();
    let mut missing = total.saturating_sub(parts.iter().sum());
    let n = parts.len();
    let mut i = 0;
    while missing > 0 && n > 0 && i < n * (total + 1) {
        if parts[i % n] < cap {
            parts[i % n] += 1;
            missing -= 1;
        }
        i += 1;
    }
    parts
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_add_up_to_the_total() {
        let parts = proportional(&[1, 25, 300, 15], 1000, 10_000);
        assert_eq!(parts.iter().sum::<usize>(), 1000);
        assert!(parts[2] > parts[1] && parts[1] > parts[0]);
    }

    #[test]
    fn the_stride_visits_distinct_people() {
        for people in [1_000usize, 1_000_000] {
            let seen: std::collections::HashSet<usize> =
                (0..500).map(|k| (3 + k * STRIDE) % people).collect();
            assert_eq!(seen.len(), 500);
        }
    }
}
