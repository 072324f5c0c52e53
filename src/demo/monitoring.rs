//! The demo's facts for the cooperation monitor: invented, as the pages
//! that show them say ("dane przykładowe"). The six JSTs of the
//! programme's local work have every year from 2021; every other JST of
//! the register has the last three years, drawn so that each status
//! occurs and some JSTs stay unchecked ("nieznany").

use jiff::civil::{date, Date};

use super::people::Rng;
use crate::domain::monitoring::Rules;
use crate::domain::records::MonitoringForm;
use crate::domain::teryt::Unit;
use crate::store::{monitoring, StoreError, Tx};

/// The JSTs of the programme's local work (`content::LOCAL_WORKS`).
const PROGRAMME_JSTS: [&str; 6] = ["1412011", "1420", "1422042", "1414032", "1414011", "1417"];

/// A day within `days` after `from`, not after `today`.
fn day_after(rng: &mut Rng, from: Date, days: usize, today: Date) -> Date {
    let d = from
        .checked_add(jiff::Span::new().days(rng.below(days.max(1)) as i64))
        .unwrap_or(from);
    d.min(today)
}

/// The facts of one JST for `year`, as of `today`; `None`: never checked.
fn facts(
    rng: &mut Rng,
    rules: &Rules,
    teryt: &str,
    year: i16,
    today: Date,
    careful: bool,
) -> Option<MonitoringForm> {
    let due = rules.programme_due(year)?;
    let draft_from = date(year - 1, 10, 1);
    if today < draft_from {
        return None;
    }
    let roll = rng.below(100);
    if !careful && roll < 8 {
        return None;
    }
    let mut f = MonitoringForm::default();
    // Programme: adopted on time, late, not at all, or still in work.
    let adopted = if careful { roll < 90 } else { roll < 78 };
    let late = !careful && (70..78).contains(&roll);
    if adopted {
        let on = if late {
            day_after(
                rng,
                due.checked_add(jiff::Span::new().days(1)).ok()?,
                60,
                today,
            )
        } else {
            day_after(rng, date(year - 1, 11, 1), 29, today)
        };
        if on <= today {
            f.stage = "adopted".into();
            f.adopted_on = on.to_string();
            f.resolution = format!(
                "{}/{}/{}",
                ["XI", "XII", "XIV", "XXI"][rng.below(4)],
                10 + rng.below(300),
                year - 1
            );
            f.funds = ((50 + rng.below(2000)) * 1000).to_string();
            f.programme_url = format!("https://bip.example.org/{teryt}/program-wspolpracy-{year}");
            f.consultation_announced_on =
                day_after(rng, date(year - 1, 10, 1), 20, today).to_string();
            f.consultation_days = (7 + rng.below(14)).to_string();
            f.consultation_form = "formularz uwag w BIP".into();
            for (i, slot) in f.elements_mut().into_iter().enumerate() {
                if careful || rng.below(10) > 0 {
                    *slot = format!("§ {}", i + 2);
                }
            }
            if !careful && rng.below(40) == 0 && on < today {
                f.annulled_on = day_after(rng, on, 30, today).to_string();
                f.ruling = format!("WNP-I.4131.{}.{}", 10 + rng.below(900), year - 1);
            }
        } else {
            f.stage = "consultation".into();
        }
    } else {
        f.stage = ["none", "draft", "consultation"][rng.below(3)].into();
    }
    // The report on the year before, due in `year`.
    if let Some(report_due) = rules.report_due(year) {
        let open = date(year, 3, 1);
        if today >= open {
            let r = rng.below(100);
            if careful || r < 80 {
                let submitted = day_after(rng, date(year, 4, 1), 60, today);
                f.report_submitted_on = submitted.to_string();
                f.report_url = format!("https://bip.example.org/{teryt}/sprawozdanie-{}", year - 1);
                if careful || r < 72 {
                    f.report_published_on = day_after(rng, submitted, 7, today).to_string();
                }
            }
        }
        let checked = if today > report_due {
            day_after(
                rng,
                report_due.checked_add(jiff::Span::new().days(1)).ok()?,
                30,
                today,
            )
        } else {
            today
        };
        f.checked_on = checked.to_string();
    }
    // The public-benefit council and the year's competitions.
    let c = rng.below(10);
    f.council_exists = match c {
        _ if careful => "tak",
        0..=5 => "tak",
        6..=8 => "nie",
        _ => "",
    }
    .into();
    if year <= today.year() && (careful || rng.below(10) > 0) {
        let competitions = if careful || rng.below(5) > 0 {
            1 + rng.below(8)
        } else {
            0
        };
        f.competitions = competitions.to_string();
        f.competitions_amount = (competitions * (20 + rng.below(200)) * 1000).to_string();
        let small = rng.below(6);
        f.small_grants = small.to_string();
        f.small_grants_amount = (small * (3 + rng.below(8)) * 1000).to_string();
    }
    if f.checked_on.is_empty() {
        f.checked_on = today.to_string();
    }
    Some(f)
}

/// Loads the facts: the programme's six JSTs from 2021, every other JST
/// of `units` for the last three years up to the one whose programme is
/// due next.
pub async fn load(
    tx: &mut Tx,
    units: &[Unit],
    rules: &Rules,
    now: jiff::Timestamp,
) -> Result<usize, StoreError> {
    let today = now.to_zoned(crate::clock::warsaw()).date();
    let last = today.year() + 1;
    let mut rng = Rng::new(2026);
    let mut loaded = 0;
    for u in units.iter().filter(|u| u.teryt.is_jst()) {
        let teryt = u.teryt.as_str();
        let careful = PROGRAMME_JSTS.contains(&teryt);
        let first = if careful { 2021 } else { last - 2 };
        for year in first..=last {
            if let Some(f) = facts(&mut rng, rules, teryt, year, today, careful) {
                monitoring::insert_loaded(tx, teryt, year, &f, now).await?;
                loaded += 1;
            }
        }
    }
    Ok(loaded)
}

/// Facts for every JST of `units` for the six years up to the one whose
/// programme is due next (`generate --scale national`), marked invented,
/// in transactions of a few hundred JSTs; how many.
pub async fn generate(
    db: &crate::store::Db,
    units: &[Unit],
    rules: &Rules,
    now: jiff::Timestamp,
    seed: u64,
) -> Result<usize, StoreError> {
    let today = now.to_zoned(crate::clock::warsaw()).date();
    let last = today.year() + 1;
    let mut rng = Rng::new(seed);
    let jsts: Vec<&Unit> = units.iter().filter(|u| u.teryt.is_jst()).collect();
    let mut loaded = 0;
    for chunk in jsts.chunks(300) {
        let mut tx = db.begin_write().await?;
        for u in chunk {
            let teryt = u.teryt.as_str();
            for year in last - 5..=last {
                if let Some(f) = facts(&mut rng, rules, teryt, year, today, false) {
                    monitoring::insert_loaded(&mut tx, teryt, year, &f, now).await?;
                    loaded += 1;
                }
            }
        }
        tx.commit().await?;
        tracing::info!(table = "monitoring", done = loaded, "generating");
    }
    Ok(loaded)
}
