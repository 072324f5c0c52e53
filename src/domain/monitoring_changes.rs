//! What moved in the cooperation monitor from one day to the next: the
//! statuses a deadline changed overnight (on 1 December the programmes
//! not adopted, on 1 June the reports missing) and the JSTs whose facts
//! staff saved. The coordinators' daily e-mail lists them once.

use jiff::civil::Date;

use super::monitoring::{programme_status, report_status, Facts, Rules};

/// A JST as the digest reads it.
pub struct Unit<'a> {
    pub teryt: &'a str,
    pub name: &'a str,
    pub facts: &'a [Facts],
}

/// One line of the digest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub teryt: String,
    pub name: String,
    /// "program na 2027: projekt → nieuchwalony w terminie".
    pub what: String,
}

/// The statuses that differ between `yesterday` and `today` for the
/// programme of `year` and the report due in `today`'s year, from the
/// same facts: the changes the calendar made.
pub fn overnight(rules: &Rules, units: &[Unit<'_>], year: i16, today: Date) -> Vec<Change> {
    let Ok(yesterday) = today.yesterday() else {
        return Vec::new();
    };
    let report_year = today.year();
    let mut out = Vec::new();
    for u in units {
        let before = programme_status(rules, year, u.facts, yesterday);
        let now = programme_status(rules, year, u.facts, today);
        if before != now {
            out.push(Change {
                teryt: u.teryt.to_owned(),
                name: u.name.to_owned(),
                what: format!("program na {year}: {} → {}", before.label(), now.label()),
            });
        }
        let own = u.facts.iter().find(|f| f.year == report_year);
        let before = report_status(rules, own, yesterday);
        let now = report_status(rules, own, today);
        if before != now {
            out.push(Change {
                teryt: u.teryt.to_owned(),
                name: u.name.to_owned(),
                what: format!(
                    "sprawozdanie za {}: {} → {}",
                    report_year - 1,
                    before.label(),
                    now.label()
                ),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::monitoring::Stage;
    use jiff::civil::date;

    #[test]
    fn on_1_december_a_draft_becomes_overdue_and_nothing_else_moves() {
        let r = crate::domain::monitoring::tests::rules();
        let draft = [Facts {
            year: 2027,
            stage: Some(Stage::Draft),
            ..Facts::default()
        }];
        let units = [Unit {
            teryt: "1420011",
            name: "Płońsk",
            facts: &draft,
        }];
        let moved = overnight(&r, &units, 2027, date(2026, 12, 1));
        assert_eq!(moved.len(), 1);
        assert_eq!(
            moved[0].what,
            "program na 2027: projekt → nieuchwalony w terminie"
        );
        assert!(overnight(&r, &units, 2027, date(2026, 12, 2)).is_empty());
    }
}
