//! Filing of the public forms' reports (advisory requests and
//! interventions): the limit of reports per address, the day's budget of
//! files per address and in total, the case's number, and the
//! confirmation e-mail queued with the case.

use jiff::{SignedDuration, Timestamp};

use crate::clock::warsaw;
use crate::config::Settings;
use crate::domain::attachments::{Budget, Refused, BUDGET_WINDOW};
use crate::domain::reports::Report;
use crate::domain::teryt::Teryt;
use crate::store::cases::{self, Count, Filed, NewCase, StoredFile};
use crate::store::{teryt, Db, Result};

/// Reports one address may send in `WINDOW` seconds.
pub const PER_ADDRESS: usize = 10;
pub const WINDOW: i64 = 60 * 60;

/// The bytes of files the public may send in a day, from the settings.
fn budget(settings: &Settings) -> Budget {
    Budget::from_mb(
        settings.upload_budget_per_address_mb,
        settings.upload_budget_total_mb,
    )
}

/// Since when files count against the budget.
fn budget_since(now: Timestamp) -> Timestamp {
    now - SignedDuration::from_secs(BUDGET_WINDOW)
}

/// Whether `adding` bytes of files from `address` fit the day's budget: a
/// first look before the files are written (filing counts again under its
/// locks).
pub async fn files_fit(
    db: &Db,
    settings: &Settings,
    address: &str,
    adding: u64,
    now: Timestamp,
) -> Result<std::result::Result<(), Refused>> {
    if adding == 0 {
        return Ok(Ok(()));
    }
    let (by_address, by_all) = cases::uploads_since(db, address, budget_since(now)).await?;
    Ok(budget(settings).check(by_address, by_all, adding))
}

/// A report to file.
pub struct Filing<'a> {
    /// The report; what it is about gives the register it is numbered in.
    pub report: &'a Report,
    /// The JST's TERYT code, if the report names one.
    pub local_government: Option<&'a str>,
    /// Its files, already written.
    pub files: &'a [StoredFile],
    /// The sender's address, counted for the limit of reports.
    pub address: &'a str,
    /// The hash of the receipt its confirmation page is reached by.
    pub receipt_hash: &'a str,
}

/// Files a report as a case with the next number of its register and the
/// year (in Warsaw), queuing its confirmation; refused when the address
/// sent `PER_ADDRESS` reports within `WINDOW`, or its files go over the
/// day's budget.
pub async fn file(db: &Db, settings: &Settings, f: &Filing<'_>, now: Timestamp) -> Result<Filed> {
    let jst_name = match f.local_government.map(Teryt::parse) {
        Some(Ok(code)) => teryt::get(db, &code).await?.map(|u| u.display_name),
        _ => None,
    };
    let r = f.report;
    let case = NewCase {
        year: now.to_zoned(warsaw()).year(),
        report: r,
        local_government: f.local_government,
        files: f.files,
        address: f.address,
        since: now - SignedDuration::from_secs(WINDOW),
        receipt_hash: f.receipt_hash,
        budget_since: budget_since(now),
    };
    let budget = budget(settings);
    let refuse = |count: Count<'_>| match count {
        Count::Reports(times) if times.len() >= PER_ADDRESS => {
            Some(Filed::Limited(times.iter().min().copied().unwrap_or(now)))
        }
        Count::Reports(_) => None,
        Count::Files {
            by_address,
            by_all,
            adding,
        } => budget
            .check(by_address, by_all, adding)
            .err()
            .map(Filed::OverBudget),
    };
    let mail = |number: &str| {
        crate::mail::cases::confirmation(
            &r.email,
            number,
            r.subject,
            jst_name.as_deref(),
            &settings.base_url,
        )
    };
    cases::create(db, &case, refuse, mail, now).await
}
