//! The coordinators' daily e-mail of the cooperation monitor: what the
//! calendar changed overnight and whose facts were saved the day before.

use super::registration::message;
use crate::domain::format;
use crate::domain::monitoring_changes::Change;
use crate::store::outbox::Message;

/// Lines listed before "i N więcej": the dashboard has the rest.
const LIMIT: usize = 200;

fn list(out: &mut String, lines: &[String]) {
    for l in lines.iter().take(LIMIT) {
        out.push_str(&format!("- {l}\n"));
    }
    if lines.len() > LIMIT {
        out.push_str(&format!("- i {} więcej\n", lines.len() - LIMIT));
    }
}

/// The day's digest; none when nothing moved.
pub fn digest(
    to: &str,
    today: jiff::civil::Date,
    overnight: &[Change],
    saved: &[(String, String, i16)],
    base_url: &str,
) -> Option<Message> {
    if overnight.is_empty() && saved.is_empty() {
        return None;
    }
    let mut text = format!(
        "Dzień dobry,\n\nzmiany w monitoringu współpracy samorządów z organizacjami \
         pozarządowymi na dzień {}.\n",
        format::date(today)
    );
    if !overnight.is_empty() {
        text.push_str(&format!(
            "\nStatusy zmienione przez upływ terminu ({}):\n",
            overnight.len()
        ));
        let lines: Vec<String> = overnight
            .iter()
            .map(|c| format!("{} ({}): {}", c.name, c.teryt, c.what))
            .collect();
        list(&mut text, &lines);
    }
    if !saved.is_empty() {
        text.push_str(&format!(
            "\nFakty zapisane przez zespół poprzedniego dnia ({}):\n",
            saved.len()
        ));
        let lines: Vec<String> = saved
            .iter()
            .map(|(teryt, name, year)| {
                format!("{name}, rok {year} — {base_url}/admin/monitoring/{teryt}/{year}")
            })
            .collect();
        list(&mut text, &lines);
    }
    text.push_str(&format!(
        "\nPulpit monitoringu z lukami do interwencji: {base_url}/admin/monitoring/pulpit\n\n\
         Wiadomość wysyłana raz dziennie osobom koordynującym projekt."
    ));
    Some(message(
        to,
        format!("Monitoring współpracy: zmiany na {}", format::date(today)),
        text,
        None,
    ))
}
