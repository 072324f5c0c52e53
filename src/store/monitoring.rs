//! The cooperation monitor's facts: one row per JST and year
//! (`domain::records::MonitoringForm`), changed with an audit entry and
//! the monitor's topic (`Topics::MONITOR`).

use std::collections::HashMap;

use serde_json::json;
use sqlx::Row;

use super::audit::{self, Entry};
use super::teryt::UnitRow;
use super::{Db, Result, Tx};
use crate::domain::monitoring::Facts;
use crate::domain::records::MonitoringForm;

/// The text columns, in the order `form_of` and `upsert` use them.
const TEXTS: [&str; 16] = [
    "stage",
    "resolution",
    "council",
    "programme_url",
    "journal",
    "ruling",
    "elements",
    "consultation_rules",
    "consultation_form",
    "consultation_url",
    "consultation_report_url",
    "council_opinion",
    "report_url",
    "council_exists",
    "council_requested_by",
    "council_term",
];
/// The dates, NULL when not known.
const DATES: [&str; 7] = [
    "adopted_on",
    "annulled_on",
    "consultation_announced_on",
    "report_submitted_on",
    "report_published_on",
    "council_requested_on",
    "checked_on",
];
/// The numbers, NULL when not known.
const NUMBERS: [&str; 7] = [
    "last_year",
    "funds",
    "consultation_days",
    "competitions",
    "competitions_amount",
    "small_grants",
    "small_grants_amount",
];

fn texts(f: &MonitoringForm) -> [String; 16] {
    [
        f.stage.clone(),
        f.resolution.clone(),
        f.council.clone(),
        f.programme_url.clone(),
        f.journal.clone(),
        f.ruling.clone(),
        f.stored_elements(),
        f.consultation_rules.clone(),
        f.consultation_form.clone(),
        f.consultation_url.clone(),
        f.consultation_report_url.clone(),
        f.council_opinion.clone(),
        f.report_url.clone(),
        f.council_exists.clone(),
        f.council_requested_by.clone(),
        f.council_term.clone(),
    ]
}

fn dates(f: &MonitoringForm) -> [&str; 7] {
    [
        &f.adopted_on,
        &f.annulled_on,
        &f.consultation_announced_on,
        &f.report_submitted_on,
        &f.report_published_on,
        &f.council_requested_on,
        &f.checked_on,
    ]
}

fn numbers(f: &MonitoringForm) -> [&str; 7] {
    [
        &f.last_year,
        &f.funds,
        &f.consultation_days,
        &f.competitions,
        &f.competitions_amount,
        &f.small_grants,
        &f.small_grants_amount,
    ]
}

fn columns() -> String {
    TEXTS
        .iter()
        .chain(&DATES)
        .chain(&NUMBERS)
        .copied()
        .collect::<Vec<_>>()
        .join(", ")
}

fn form_of(r: &sqlx::any::AnyRow) -> Result<MonitoringForm> {
    let text = |c: &str| -> Result<String> { Ok(r.try_get::<String, _>(c)?) };
    let date =
        |c: &str| -> Result<String> { Ok(r.try_get::<Option<String>, _>(c)?.unwrap_or_default()) };
    let number = |c: &str| -> Result<String> {
        Ok(r.try_get::<Option<i64>, _>(c)?
            .map_or_else(String::new, |n| n.to_string()))
    };
    let mut f = MonitoringForm {
        stage: text("stage")?,
        resolution: text("resolution")?,
        council: text("council")?,
        programme_url: text("programme_url")?,
        journal: text("journal")?,
        ruling: text("ruling")?,
        consultation_rules: text("consultation_rules")?,
        consultation_form: text("consultation_form")?,
        consultation_url: text("consultation_url")?,
        consultation_report_url: text("consultation_report_url")?,
        council_opinion: text("council_opinion")?,
        report_url: text("report_url")?,
        council_exists: text("council_exists")?,
        council_requested_by: text("council_requested_by")?,
        council_term: text("council_term")?,
        adopted_on: date("adopted_on")?,
        annulled_on: date("annulled_on")?,
        consultation_announced_on: date("consultation_announced_on")?,
        report_submitted_on: date("report_submitted_on")?,
        report_published_on: date("report_published_on")?,
        council_requested_on: date("council_requested_on")?,
        checked_on: date("checked_on")?,
        last_year: number("last_year")?,
        funds: number("funds")?,
        consultation_days: number("consultation_days")?,
        competitions: number("competitions")?,
        competitions_amount: number("competitions_amount")?,
        small_grants: number("small_grants")?,
        small_grants_amount: number("small_grants_amount")?,
        notes: text("notes")?,
        ..MonitoringForm::default()
    };
    f.set_elements(&text("elements")?);
    Ok(f)
}

/// A year's facts as recorded, with who checked them last.
#[derive(Clone, Debug, Default)]
pub struct Record {
    pub year: i16,
    pub form: MonitoringForm,
    /// The name of the staff member who checked them.
    pub checked_by: String,
    /// Invented by the demo.
    pub sample: bool,
}

/// Every year recorded for a JST, oldest first.
pub async fn history(db: &Db, teryt: &str) -> Result<Vec<Record>> {
    records(db, teryt, None).await
}

/// One year's facts as recorded, if any.
pub async fn get(db: &Db, teryt: &str, year: i16) -> Result<Option<Record>> {
    Ok(records(db, teryt, Some(year)).await?.pop())
}

/// A JST's records, of one year or of all.
async fn records(db: &Db, teryt: &str, year: Option<i16>) -> Result<Vec<Record>> {
    let rows = sqlx::query(&format!(
        "SELECT m.year, {}, m.notes, m.sample, COALESCE(a.name, '') AS checker FROM monitoring m \
         LEFT JOIN account a ON a.id = m.checked_by WHERE m.local_government = $1 \
         AND ($2 IS NULL OR m.year = $2) ORDER BY m.year",
        columns()
    ))
    .bind(teryt)
    .bind(year.map(i64::from))
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Record {
                year: i16::try_from(r.try_get::<i64, _>("year")?).unwrap_or_default(),
                form: form_of(r)?,
                checked_by: r.try_get("checker")?,
                sample: r.try_get::<i64, _>("sample")? == 1,
            })
        })
        .collect()
}

/// The facts of `year` of every JST under `within` (a TERYT prefix), by
/// TERYT code.
pub async fn of_year(db: &Db, within: &str, year: i16) -> Result<HashMap<String, MonitoringForm>> {
    let rows = sqlx::query(&format!(
        "SELECT m.local_government, {}, m.notes FROM monitoring m          WHERE m.local_government LIKE $1 AND m.year = $2",
        columns()
    ))
    .bind(format!("{within}%"))
    .bind(i64::from(year))
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("local_government")?, form_of(r)?)))
        .collect()
}

fn audit_json(f: &MonitoringForm) -> serde_json::Value {
    let mut map = serde_json::Map::new();
    for (k, v) in TEXTS.iter().zip(texts(f)) {
        map.insert((*k).into(), json!(v));
    }
    for (k, v) in DATES
        .iter()
        .zip(dates(f))
        .chain(NUMBERS.iter().zip(numbers(f)))
    {
        map.insert((*k).into(), json!(v));
    }
    map.insert("notes".into(), json!(f.notes));
    serde_json::Value::Object(map)
}

/// Writes a year's facts, new or changed.
async fn upsert(
    tx: &mut Tx,
    teryt: &str,
    year: i16,
    f: &MonitoringForm,
    checked_by: Option<i64>,
    now: &str,
) -> Result<()> {
    // Staff's checked facts replace invented ones; the demo's are marked.
    let sample = checked_by.is_none();
    let names: Vec<&str> = TEXTS
        .iter()
        .chain(&DATES)
        .chain(&NUMBERS)
        .copied()
        .collect();
    let all = names.len();
    let params: Vec<String> = (1..=all + 7).map(|i| format!("${i}")).collect();
    let updates: Vec<String> = names
        .iter()
        .chain(&[
            "notes",
            "checked_by",
            "sample",
            "updated_at",
            "elements_found",
        ])
        .map(|c| format!("{c} = excluded.{c}"))
        .collect();
    let sql = format!(
        "INSERT INTO monitoring ({}, notes, checked_by, sample, updated_at, elements_found, \
         local_government, year) \
         VALUES ({}) ON CONFLICT (local_government, year) DO UPDATE SET {}",
        names.join(", "),
        params.join(", "),
        updates.join(", ")
    );
    let mut q = sqlx::query(&sql);
    for v in texts(f) {
        q = q.bind(v);
    }
    for v in dates(f) {
        q = q.bind((!v.is_empty()).then(|| v.to_owned()));
    }
    for v in numbers(f) {
        q = q.bind(v.parse::<i64>().ok());
    }
    q.bind(&f.notes)
        .bind(checked_by)
        .bind(i64::from(sample))
        .bind(now)
        .bind(Facts::elements_found(&f.stored_elements()).map(i64::from))
        .bind(teryt)
        .bind(i64::from(year))
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Saves a year's facts for a JST, as `who` checked them.
pub async fn save(
    db: &Db,
    who: i64,
    teryt: &str,
    year: i16,
    f: &MonitoringForm,
    now: jiff::Timestamp,
) -> Result<()> {
    save_all(db, who, &[(teryt.to_owned(), year, f.clone())], now).await
}

/// Saves the facts of many JSTs and years in one transaction (an import):
/// all of them or, on an error, none.
pub async fn save_all(
    db: &Db,
    who: i64,
    all: &[(String, i16, MonitoringForm)],
    now: jiff::Timestamp,
) -> Result<()> {
    let now = &crate::clock::stamp(now);
    let mut befores = Vec::with_capacity(all.len());
    for (teryt, year, _) in all {
        befores.push(get(db, teryt, *year).await?.map(|r| audit_json(&r.form)));
    }
    let mut tx = db.begin_write().await?;
    for ((teryt, year, f), before) in all.iter().zip(befores) {
        upsert(&mut tx, teryt, *year, f, Some(who), now).await?;
        let mut entry = Entry::new(
            Some(who),
            if before.is_some() { "update" } else { "create" },
            "monitoring",
            format!("{teryt}/{year}"),
            now,
        )
        .after(audit_json(f));
        if let Some(before) = before {
            entry = entry.before(before);
        }
        audit::record(&mut tx, &entry).await?;
    }
    super::bump_version(&mut tx, super::Topics::MONITOR).await?;
    tx.commit().await
}

/// Facts loaded with the demo programme (no audit: no one changed them).
pub async fn insert_loaded(
    tx: &mut Tx,
    teryt: &str,
    year: i16,
    f: &MonitoringForm,
    now: jiff::Timestamp,
) -> Result<()> {
    upsert(tx, teryt, year, f, None, &crate::clock::stamp(now)).await
}

/// A JST of the region's table with its facts of the years a status of
/// `year` reads (a multi-year programme may reach ten years ahead).
#[derive(Clone, Debug)]
pub struct Unit {
    pub unit: UnitRow,
    /// The county (powiat or city with powiat rights) it lies in, itself
    /// for a county, none for the voivodeship.
    pub county: Option<String>,
    pub facts: Vec<Facts>,
    /// Some of the facts are the demo's invented ones.
    pub sample: bool,
}

/// The JSTs under `within` (a TERYT prefix: the region, a county) in
/// Polish alphabetical order, each with its facts of `year` and those of
/// the ten years before that may cover it (a multi-year programme).
pub async fn region(db: &Db, within: &str, year: i16) -> Result<Vec<Unit>> {
    region_with(db, within, year, year).await
}

/// `region`, with the facts of `also` too (a year before `year`: the
/// report due this year, read in December beside next year's programme).
pub async fn region_with(db: &Db, within: &str, year: i16, also: i16) -> Result<Vec<Unit>> {
    let units = super::teryt::jsts_within(db, within).await?;
    Ok(join(&units, facts_within(db, within, year, also).await?))
}

/// The facts `region_with` reads, by JST: of `year`, of `also`, and of
/// the ten years before `year` that may cover it; and whether some are
/// the demo's. Read from one covering index (`monitoring_statuses`):
/// the unary `+` keeps SQLite from the index on the year alone, whose
/// every row it would then fetch (21 ms instead of 5 for the country).
pub async fn facts_within(
    db: &Db,
    within: &str,
    year: i16,
    also: i16,
) -> Result<HashMap<String, (Vec<Facts>, bool)>> {
    let rows = sqlx::query(
        "SELECT local_government, year, stage, adopted_on, last_year, annulled_on, \
         consultation_announced_on, report_submitted_on, report_published_on, checked_on, \
         sample, elements_found, council_exists, competitions, small_grants FROM monitoring \
         WHERE local_government LIKE $1 AND +year >= $2 AND +year <= $3 \
         AND (year = $3 OR year = $4 OR last_year >= $3) ORDER BY local_government, year",
    )
    .bind(format!("{within}%"))
    .bind(i64::from(year) - 10)
    .bind(i64::from(year))
    .bind(i64::from(also))
    .fetch_all(db.pool())
    .await?;
    let mut out: HashMap<String, (Vec<Facts>, bool)> = HashMap::new();
    for r in &rows {
        let date = |c: &str| -> Result<Option<jiff::civil::Date>> {
            Ok(r.try_get::<Option<String>, _>(c)?
                .and_then(|d| d.parse().ok()))
        };
        let count = |c: &str| -> Result<Option<u32>> {
            Ok(r.try_get::<Option<i64>, _>(c)?
                .and_then(|n| u32::try_from(n).ok()))
        };
        let facts = Facts {
            year: i16::try_from(r.try_get::<i64, _>("year")?).unwrap_or_default(),
            stage: crate::domain::monitoring::Stage::parse(&r.try_get::<String, _>("stage")?),
            adopted_on: date("adopted_on")?,
            last_year: r
                .try_get::<Option<i64>, _>("last_year")?
                .and_then(|y| i16::try_from(y).ok()),
            annulled_on: date("annulled_on")?,
            consultation_announced_on: date("consultation_announced_on")?,
            report_submitted_on: date("report_submitted_on")?,
            report_published_on: date("report_published_on")?,
            checked_on: date("checked_on")?,
            elements_found: r
                .try_get::<Option<i64>, _>("elements_found")?
                .and_then(|n| u8::try_from(n).ok()),
            council_exists: Facts::council(&r.try_get::<String, _>("council_exists")?),
            grants: Facts::grants(count("competitions")?, count("small_grants")?),
        };
        let sample = r.try_get::<i64, _>("sample")? == 1;
        let entry = out
            .entry(r.try_get::<String, _>("local_government")?)
            .or_default();
        entry.0.push(facts);
        entry.1 |= sample;
    }
    Ok(out)
}

/// The units (in their order) with their facts from `facts_within`.
pub fn join(units: &[UnitRow], mut facts: HashMap<String, (Vec<Facts>, bool)>) -> Vec<Unit> {
    units
        .iter()
        .map(|unit| {
            let (facts, sample) = facts.remove(&unit.teryt).unwrap_or_default();
            Unit {
                county: (unit.teryt.len() >= 4).then(|| unit.teryt[..4].to_owned()),
                unit: unit.clone(),
                facts,
                sample,
            }
        })
        .collect()
}

/// Whether the demo's invented facts are loaded (some are left).
pub async fn has_samples(db: &Db) -> Result<bool> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT sample FROM monitoring WHERE sample = 1 LIMIT 1")
            .fetch_optional(db.pool())
            .await?;
    Ok(found.is_some())
}

/// The JSTs and years whose facts staff saved in `[from, until)`, with
/// the JST's name, by name.
pub async fn saved_between(
    db: &Db,
    from: jiff::Timestamp,
    until: jiff::Timestamp,
) -> Result<Vec<(String, String, i16)>> {
    let rows = sqlx::query(
        "SELECT m.local_government, g.display_name, m.year FROM monitoring m \
         JOIN local_government g ON g.teryt = m.local_government \
         WHERE m.sample = 0 AND m.updated_at >= $1 AND m.updated_at < $2 \
         ORDER BY g.sort_key, m.local_government, m.year",
    )
    .bind(crate::clock::stamp(from))
    .bind(crate::clock::stamp(until))
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get(0)?,
                r.try_get(1)?,
                i16::try_from(r.try_get::<i64, _>(2)?).unwrap_or_default(),
            ))
        })
        .collect()
}

/// Fills the count of elements found of rows written before it was kept
/// (`elements_found`, migration 0032); run after the migrations, it does
/// nothing once every row with elements has its count.
pub async fn fill_elements_found(db: &Db) -> Result<()> {
    loop {
        let rows: Vec<(String, i64, String)> = sqlx::query_as(
            "SELECT local_government, year, elements FROM monitoring \
             WHERE elements_found IS NULL AND elements <> '' LIMIT 5000",
        )
        .fetch_all(db.pool())
        .await?;
        if rows.is_empty() {
            return Ok(());
        }
        let mut tx = db.begin_write().await?;
        for (teryt, year, elements) in &rows {
            sqlx::query(
                "UPDATE monitoring SET elements_found = $1 WHERE local_government = $2 AND year = $3",
            )
            .bind(Facts::elements_found(elements).map(i64::from).unwrap_or(0))
            .bind(teryt)
            .bind(*year)
            .execute(&mut *tx)
            .await?;
        }
        super::bump_version(&mut tx, super::Topics::MONITOR).await?;
        tx.commit().await?;
    }
}
