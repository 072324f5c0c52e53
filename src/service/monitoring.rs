//! The cooperation monitor's work for staff: a gap of a JST's year turned
//! into an intervention case, addressed to the organ whose duty it was.

use jiff::Timestamp;

use crate::config::Settings;
use crate::domain::access::Staff;
use crate::domain::monitoring_gap::{self, Gap, Known, Organ};
use crate::domain::organ::{self, Jst};
use crate::store::monitoring_cases::{self, GapCase};
use crate::store::teryt::UnitRow;
use crate::store::{accounts, monitoring, Db, Result};

/// A case opened, or found open, for a gap.
pub struct Opened {
    pub id: i64,
    pub number: String,
    /// False: an open case for the same gap existed and is the one given.
    pub created: bool,
}

/// Opens the case of `gap` for the JST's `year`, if the JST has that gap
/// today; none if it has not (the facts changed since the page was shown).
#[allow(clippy::too_many_arguments)]
pub async fn open_case(
    db: &Db,
    settings: &Settings,
    lead_name: &str,
    staff: &Staff,
    unit: &UnitRow,
    year: i16,
    gap: Gap,
    now: Timestamp,
) -> Result<Option<Opened>> {
    let today = now.to_zoned(crate::clock::warsaw()).date();
    let rules = &settings.monitoring;
    let records = monitoring::history(db, &unit.teryt).await?;
    let facts: Vec<_> = records.iter().map(|r| r.form.facts(r.year)).collect();
    if !monitoring_gap::gaps(rules, year, &facts, today).contains(&gap) {
        return Ok(None);
    }
    let record = records.iter().find(|r| r.year == year);
    let own = facts.iter().find(|f| f.year == year);
    let status = match gap {
        Gap::Programme => {
            crate::domain::monitoring::programme_status(rules, year, &facts, today).label()
        }
        Gap::Report => crate::domain::monitoring::report_status(rules, own, today)
            .label()
            .to_owned(),
    };
    let form = record.map(|r| r.form.clone()).unwrap_or_default();
    let description = monitoring_gap::description(
        rules,
        gap,
        &Known {
            jst: &unit.display_name,
            year,
            status: &status,
            stage: own.and_then(|f| f.stage),
            resolution: &form.resolution,
            programme_url: &form.programme_url,
            annulled_on: own.and_then(|f| f.annulled_on),
            ruling: &form.ruling,
            report_submitted_on: own.and_then(|f| f.report_submitted_on),
            report_url: &form.report_url,
            checked_on: own.and_then(|f| f.checked_on),
        },
    );
    let addressee = match gap.organ() {
        // The council as staff recorded it in the latest year that names
        // it, or as the kind of JST names it.
        Organ::CouncilChair => {
            let recorded = records
                .iter()
                .rev()
                .map(|r| r.form.council.trim())
                .find(|c| !c.is_empty());
            let council = recorded.map_or_else(
                || {
                    organ::council(Jst {
                        kind: unit.kind,
                        teryt: &unit.teryt,
                        name: &unit.name,
                    })
                },
                str::to_owned,
            );
            organ::council_chair(&council)
        }
        // The executive: the letters' default, from the office's record.
        Organ::Executive => String::new(),
    };
    let email = accounts::get(db, staff.account_id)
        .await?
        .map(|a| a.email)
        .unwrap_or_default();
    let organisation = if settings.sender_name.is_empty() {
        lead_name
    } else {
        &settings.sender_name
    };
    let (id, number, created) = monitoring_cases::open(
        db,
        &GapCase {
            local_government: &unit.teryt,
            year,
            category: gap.category(),
            addressee: &addressee,
            description: &description,
            account_id: staff.account_id,
            account_name: &staff.name,
            account_email: &email,
            organisation,
        },
        now,
    )
    .await?;
    Ok(Some(Opened {
        id,
        number,
        created,
    }))
}
