//! iCalendar (RFC 5545) for activities: one event, or a feed of many.
//! Times are local to Europe/Warsaw (`TZID` with its `VTIMEZONE`); UIDs
//! are built from the activity's id, so they stay when its title changes.

use jiff::civil::{Date, Time};

/// One activity as a calendar event.
#[derive(Clone, Debug)]
pub struct Event {
    /// Stable: the same activity always gives the same UID.
    pub uid: String,
    pub summary: String,
    pub description: String,
    pub location: String,
    pub url: String,
    pub starts_on: Date,
    pub ends_on: Date,
    /// `None`: an all-day event.
    pub start_time: Option<Time>,
    pub duration_minutes: i64,
}

/// The Warsaw time zone as calendars expect it (EU rules since 1996).
const VTIMEZONE: &str = "BEGIN:VTIMEZONE\r\nTZID:Europe/Warsaw\r\n\
BEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST\r\n\
DTSTART:19700329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\n\
BEGIN:STANDARD\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET\r\n\
DTSTART:19701025T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\n\
END:VTIMEZONE\r\n";

/// Escapes a TEXT value.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Writes one content line, folded at 75 octets without splitting a
/// character, ended by CRLF.
fn line(out: &mut String, text: &str) {
    let mut width = 0;
    for c in text.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
}

fn local(d: Date, t: Time) -> String {
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}",
        d.year(),
        d.month(),
        d.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

fn day(d: Date) -> String {
    format!("{:04}{:02}{:02}", d.year(), d.month(), d.day())
}

/// A calendar with the events; `stamp` is when it was made (UTC).
pub fn calendar(name: &str, events: &[Event], stamp: jiff::Timestamp) -> String {
    let mut out = String::new();
    for l in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Koalicja//Szkolenia i wydarzenia//PL",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ] {
        line(&mut out, l);
    }
    line(&mut out, &format!("X-WR-CALNAME:{}", escape(name)));
    line(&mut out, "X-WR-TIMEZONE:Europe/Warsaw");
    out.push_str(VTIMEZONE);
    let dtstamp = stamp.strftime("%Y%m%dT%H%M%SZ").to_string();
    for e in events {
        line(&mut out, "BEGIN:VEVENT");
        line(&mut out, &format!("UID:{}", e.uid));
        line(&mut out, &format!("DTSTAMP:{dtstamp}"));
        match e.start_time {
            Some(t) => {
                let days = (e.ends_on - e.starts_on).get_days().max(0) + 1;
                let per_day = e.duration_minutes.max(0) / i64::from(days);
                let end = e.ends_on.at(t.hour(), t.minute(), 0, 0)
                    + jiff::SignedDuration::from_mins(per_day);
                line(
                    &mut out,
                    &format!("DTSTART;TZID=Europe/Warsaw:{}", local(e.starts_on, t)),
                );
                line(
                    &mut out,
                    &format!("DTEND;TZID=Europe/Warsaw:{}", local(end.date(), end.time())),
                );
            }
            None => {
                line(
                    &mut out,
                    &format!("DTSTART;VALUE=DATE:{}", day(e.starts_on)),
                );
                let next = e.ends_on.tomorrow().unwrap_or(e.ends_on);
                line(&mut out, &format!("DTEND;VALUE=DATE:{}", day(next)));
            }
        }
        line(&mut out, &format!("SUMMARY:{}", escape(&e.summary)));
        if !e.description.is_empty() {
            line(&mut out, &format!("DESCRIPTION:{}", escape(&e.description)));
        }
        if !e.location.is_empty() {
            line(&mut out, &format!("LOCATION:{}", escape(&e.location)));
        }
        if !e.url.is_empty() {
            line(&mut out, &format!("URL:{}", e.url));
        }
        line(&mut out, "END:VEVENT");
    }
    line(&mut out, "END:VCALENDAR");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::{date, time};

    fn event() -> Event {
        Event {
            uid: "aktywnosc-7@koalicja".into(),
            summary: "Szkolenie: ustawa o pożytku, współpraca; zażółć gęślą jaźń".into(),
            description: "Linia 1\nLinia 2".into(),
            location: "Płońsk, ul. Płocka 39".into(),
            url: "https://example.org/szkolenia/x".into(),
            starts_on: date(2026, 3, 28),
            ends_on: date(2026, 3, 28),
            start_time: Some(time(10, 0, 0, 0)),
            duration_minutes: 360,
        }
    }

    #[test]
    fn an_event_has_local_times_escaped_text_and_short_lines() {
        let cal = calendar("Szkolenia", &[event()], jiff::Timestamp::UNIX_EPOCH);
        assert!(
            cal.contains("DTSTART;TZID=Europe/Warsaw:20260328T100000\r\n"),
            "{cal}"
        );
        assert!(
            cal.contains("DTEND;TZID=Europe/Warsaw:20260328T160000\r\n"),
            "{cal}"
        );
        assert!(cal.contains("TZID:Europe/Warsaw\r\n"));
        assert!(cal.contains("DESCRIPTION:Linia 1\\nLinia 2"));
        assert!(cal.contains("LOCATION:Płońsk\\, ul. Płocka 39"));
        for l in cal.split("\r\n") {
            assert!(l.len() <= 75, "{l}");
        }
        let unfolded = cal.replace("\r\n ", "");
        assert!(unfolded
            .contains("SUMMARY:Szkolenie: ustawa o pożytku\\, współpraca\\; zażółć gęślą jaźń"));
    }

    #[test]
    fn a_three_day_event_ends_on_its_last_day_and_an_untimed_one_is_all_day() {
        let mut e = event();
        e.ends_on = date(2026, 3, 30);
        e.duration_minutes = 3 * 360;
        let cal = calendar("x", &[e.clone()], jiff::Timestamp::UNIX_EPOCH);
        assert!(
            cal.contains("DTEND;TZID=Europe/Warsaw:20260330T160000"),
            "{cal}"
        );
        e.start_time = None;
        let cal = calendar("x", &[e], jiff::Timestamp::UNIX_EPOCH);
        assert!(cal.contains("DTSTART;VALUE=DATE:20260328"));
        assert!(cal.contains("DTEND;VALUE=DATE:20260331"));
    }
}
