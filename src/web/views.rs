//! Display forms of records: what templates print, already formatted.

use crate::domain::activity::ActivityStatus;
use crate::domain::format;
use crate::domain::stats::{shown, MIN_GROUP};
use crate::store::activities::Activity;
use jiff::civil::Date;

use super::paths;

/// One activity in a list.
pub struct ActivityCard {
    pub url: String,
    pub title: String,
    pub kind: &'static str,
    pub when: String,
    pub date_iso: String,
    pub place: String,
    pub place_url: Option<String>,
    pub audience: &'static str,
    pub topic: String,
    /// A held activity's people on the attendance (without the team); a
    /// planned one's registrations holding a place; nothing if cancelled.
    pub participants: String,
    pub hours: String,
    /// Free places, for activities with a limit that have not ended.
    pub free: Option<String>,
    /// "odwołane" for a cancelled activity.
    pub note: Option<&'static str>,
}

impl ActivityCard {
    pub fn from(a: &Activity) -> ActivityCard {
        ActivityCard {
            url: activity_url(a),
            title: a.title.clone(),
            kind: a.kind.label(),
            when: format::date_span(a.starts_on, a.ends_on),
            date_iso: a.starts_on.to_string(),
            place: if a.online {
                "online".into()
            } else {
                a.venue.clone()
            },
            place_url: a.local_government.as_deref().map(paths::jst),
            audience: a.audience.label(),
            topic: a.topic.clone(),
            participants: match a.status {
                ActivityStatus::Held => people(a.participants),
                ActivityStatus::Planned => format!("zapisane: {}", people(a.confirmed)),
                ActivityStatus::Cancelled => "—".into(),
            },
            hours: format::decimal(a.duration_minutes as f64 / 60.0),
            free: crate::domain::registration::free_places(a.capacity, a.confirmed)
                .filter(|_| a.status == ActivityStatus::Planned)
                .map(format::integer),
            note: (a.status == ActivityStatus::Cancelled).then(|| a.status.label()),
        }
    }
}

/// A public count of people: the number, or "mniej niż 3" for a group
/// too small to show (`domain::stats::shown`).
pub fn people(n: i64) -> String {
    match shown(n) {
        Some(n) => format::integer(n),
        None => format!("mniej niż {MIN_GROUP}"),
    }
}

/// Where an activity's own page is.
pub fn activity_url(a: &Activity) -> String {
    paths::activity(a.kind, a.local_work_id.is_some(), &a.slug)
}

/// The activity's iCalendar file, beside its page (served by
/// `registration::calendar_router` for every page that links it).
pub fn calendar_url(a: &Activity) -> String {
    format!("{}/kalendarz.ics", activity_url(a))
}

pub fn date(iso: &str) -> String {
    parse(iso).map_or_else(|| iso.to_owned(), format::date)
}

fn parse(iso: &str) -> Option<Date> {
    Date::strptime("%Y-%m-%d", iso).ok()
}

/// Links to pages of a numbered list.
#[derive(Clone, Debug)]
pub struct Pager {
    pub current: i64,
    pub pages: i64,
    pub base: String,
    /// The query parameter that carries the page number.
    pub param: &'static str,
}

impl Pager {
    pub const PER_PAGE: i64 = 20;

    pub fn new(base: &str, param: &'static str, current: i64, total: i64) -> Pager {
        Pager {
            current,
            pages: ((total + Self::PER_PAGE - 1) / Self::PER_PAGE).max(1),
            base: base.to_owned(),
            param,
        }
    }

    pub fn offset(current: i64) -> i64 {
        (current - 1) * Self::PER_PAGE
    }

    pub fn prev(&self) -> Option<String> {
        (self.current > 1).then(|| self.url(self.current - 1))
    }

    pub fn next(&self) -> Option<String> {
        (self.current < self.pages).then(|| self.url(self.current + 1))
    }

    fn url(&self, n: i64) -> String {
        if n == 1 {
            self.base.clone()
        } else {
            let join = if self.base.contains('?') { '&' } else { '?' };
            format!("{}{join}{}={n}", self.base, self.param)
        }
    }
}

/// Reads a page number (`?strona=N`); anything but a positive number is
/// refused.
pub fn page_number(raw: Option<&str>) -> Result<i64, super::Error> {
    match raw {
        None => Ok(1),
        Some(s) => s
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=100_000).contains(n))
            .ok_or_else(|| {
                super::Error::BadRequest("Numer strony musi być liczbą dodatnią.".into())
            }),
    }
}

/// "20 najnowszych spośród 1 234" when a list shows only part of the records.
pub fn shown_of(shown: usize, total: i64, which: &str) -> String {
    if (shown as i64) < total {
        format!(
            "{shown} {which} spośród {}",
            crate::domain::format::integer(total)
        )
    } else {
        String::new()
    }
}

/// A stored UTC instant as Warsaw's clock showed it, in Polish:
/// "2026-12-02T05:32:26Z" → "2 grudnia 2026, 06:32".
pub fn instant(at: &str) -> String {
    at.parse::<jiff::Timestamp>()
        .map(|t| {
            let local = t.to_zoned(crate::app::warsaw());
            format!(
                "{}, {}",
                crate::domain::format::date(local.date()),
                local.strftime("%H:%M")
            )
        })
        .unwrap_or_else(|_| at.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_appears_only_when_a_list_is_cut() {
        assert_eq!(
            shown_of(20, 1234, "najnowszych"),
            "20 najnowszych spośród 1\u{a0}234"
        );
        assert_eq!(shown_of(38, 38, "najnowszych"), "");
    }
}
