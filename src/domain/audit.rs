//! How the audit log reads: Polish names of actions, record types and
//! fields, and a change as a list of "pole: było → jest".
//!
//! The log stores codes and JSON (`store::audit`); this turns them into
//! what staff read. Fields take the labels of their forms; vocabulary codes
//! take their labels; unknown codes are shown as they are.

use serde_json::Value;

use super::access::Role;
use super::activity::{ActivityKind, Audience, Gender, Group};
use super::advisory::{SessionForm, Topic};
use super::cases::{Outcome, Status as CaseStatus};
use super::letters::SentVia;
use super::records::LegalForm;
use super::registration::Status as RegistrationStatus;

/// Actions as the log's filter offers them: (code, label).
pub const ACTIONS: &[(&str, &str)] = &[
    ("create", "dodanie"),
    ("update", "zmiana"),
    ("delete", "usunięcie"),
    ("import", "import z pliku"),
    ("withdraw", "wycofanie zgody"),
    ("password", "zmiana hasła"),
    ("totp_on", "włączenie weryfikacji dwuetapowej"),
    ("totp_off", "wyłączenie weryfikacji dwuetapowej"),
];

/// Record types: (code, label).
pub const ENTITIES: &[(&str, &str)] = &[
    ("organisation", "organizacja"),
    ("person", "osoba"),
    ("affiliation", "afiliacja"),
    ("consent", "zgoda"),
    ("office", "urząd JST"),
    ("activity", "działanie"),
    ("attendance", "obecność"),
    ("registration", "zapis"),
    ("agenda_item", "punkt programu"),
    ("trip", "wyjazd"),
    ("page", "strona"),
    ("account", "konto"),
    ("case", "sprawa"),
    ("letter_template", "wzór pisma"),
    ("advisory_session", "konsultacja"),
];

/// Field names with the labels of the forms they are typed into.
const FIELDS: &[(&str, &str)] = &[
    ("name", "nazwa"),
    ("legal_form", "forma prawna"),
    ("krs", "numer KRS"),
    ("nip", "NIP"),
    ("regon", "REGON"),
    ("address", "adres"),
    ("local_government", "JST"),
    ("is_opp", "organizacja pożytku publicznego"),
    ("areas", "obszary"),
    ("first_name", "imię"),
    ("last_name", "nazwisko"),
    ("email", "e-mail"),
    ("phone", "telefon"),
    ("gender", "płeć"),
    ("group", "grupa"),
    ("organisation", "organizacja"),
    ("organisation_id", "organizacja (nr)"),
    ("person_id", "osoba (nr)"),
    ("activity_id", "działanie (nr)"),
    ("case_id", "sprawa (nr)"),
    ("letter_id", "pismo (nr)"),
    ("attachment_id", "plik (nr)"),
    ("assignee_id", "prowadzący (nr konta)"),
    ("advisor_id", "doradca (nr konta)"),
    ("trainer_account_id", "trener (nr konta)"),
    ("changed_personal_fields", "zmienione dane osobowe"),
    ("kind", "rodzaj"),
    ("title", "tytuł"),
    ("topic", "temat"),
    ("starts_on", "data rozpoczęcia"),
    ("ends_on", "data zakończenia"),
    ("start_time", "godzina rozpoczęcia"),
    ("duration_minutes", "czas trwania (min)"),
    ("minutes", "czas (min)"),
    ("online", "online"),
    ("online_link", "łącze do spotkania online"),
    ("venue", "miejsce"),
    ("audience", "odbiorcy"),
    ("capacity", "liczba miejsc"),
    ("co_organiser", "współorganizator"),
    ("registration_closes_on", "koniec zapisów"),
    ("present", "obecność"),
    ("status", "stan"),
    ("outcome", "wynik"),
    ("note", "notatka"),
    ("sent_via", "sposób wysłania"),
    ("reply_due", "termin odpowiedzi"),
    ("replied_on", "data odpowiedzi"),
    ("purpose", "cel zgody"),
    ("text_version", "wersja treści zgody"),
    ("travelled_on", "data"),
    ("route", "trasa"),
    ("kilometres", "kilometry"),
    ("slug", "adres"),
    ("body_md", "treść"),
    ("role", "rola"),
    ("active", "aktywne"),
    ("held_on", "data"),
    ("form", "forma"),
    ("day", "dzień"),
    ("starts_at", "godzina"),
    ("speakers", "prowadzący"),
    ("organ", "organ, do którego kierujemy pisma"),
    ("office_name", "nazwa urzędu"),
    ("address_email", "e-mail urzędu"),
    ("dated_on", "data pisma"),
    ("sent_on", "data wysłania"),
    ("delivered_on", "data doręczenia"),
    ("notified_on", "data powiadomienia o przedłużeniu terminu"),
    ("signatory_function", "funkcja osoby podpisującej"),
    ("website", "strona internetowa"),
    ("bip", "BIP"),
    ("notes", "notatki"),
];

fn lookup(table: &[(&str, &'static str)], code: &str) -> Option<&'static str> {
    table.iter().find(|(c, _)| *c == code).map(|(_, l)| *l)
}

/// "zmiana" for "update"; an unknown code as it is.
pub fn action_label(code: &str) -> String {
    lookup(ACTIONS, code).map_or_else(|| code.to_owned(), str::to_owned)
}

/// "organizacja" for "organisation"; an unknown code as it is.
pub fn entity_label(code: &str) -> String {
    lookup(ENTITIES, code).map_or_else(|| code.to_owned(), str::to_owned)
}

/// "nazwa" for "name"; an unknown field with its underscores as spaces.
pub fn field_label(field: &str) -> String {
    lookup(FIELDS, field).map_or_else(|| field.replace('_', " "), str::to_owned)
}

/// Fields that hold TERYT codes of JSTs (or lists of them).
const JST_FIELDS: &[&str] = &["local_government", "areas"];

/// The TERYT codes a change mentions, for the caller to name them (see
/// `changes`).
pub fn jst_codes(before: Option<&Value>, after: Option<&Value>) -> Vec<String> {
    let mut codes = Vec::new();
    for v in [before, after].into_iter().flatten() {
        let Value::Object(m) = v else { continue };
        for f in JST_FIELDS {
            match m.get(*f) {
                Some(Value::String(s)) => codes.push(s.clone()),
                Some(Value::Array(items)) => {
                    codes.extend(items.iter().filter_map(|i| i.as_str().map(str::to_owned)))
                }
                _ => {}
            }
        }
    }
    codes.sort();
    codes.dedup();
    codes
}

/// How a JST's code is shown: its name as people write it, given by the
/// caller (the log keeps codes; names are in the register).
pub type JstNames<'a> = &'a dyn Fn(&str) -> Option<String>;

/// A value as staff read it: codes of closed lists as their labels, yes/no
/// for flags, dates in Polish, JSTs by name, "—" for nothing.
fn value_text(entity: &str, field: &str, v: &Value, jst: JstNames<'_>) -> String {
    match v {
        Value::Null => "—".into(),
        Value::Bool(b) => if *b { "tak" } else { "nie" }.into(),
        Value::Number(n) => match (field, n.as_i64()) {
            ("is_opp" | "active" | "online" | "present", Some(0)) => "nie".into(),
            ("is_opp" | "active" | "online" | "present", Some(1)) => "tak".into(),
            _ => n.to_string().replace('.', ","),
        },
        Value::String(s) if s.is_empty() => "—".into(),
        Value::String(s) if JST_FIELDS.contains(&field) => jst(s).unwrap_or_else(|| s.clone()),
        Value::String(s) if s.len() == 10 && s.as_bytes()[4] == b'-' => s
            .parse::<jiff::civil::Date>()
            .map(super::format::date)
            .unwrap_or_else(|_| s.clone()),
        Value::String(s) => code_label(entity, field, s).unwrap_or_else(|| s.clone()),
        Value::Array(items) => {
            let items: Vec<String> = items
                .iter()
                .map(|i| match (field, i) {
                    ("changed_personal_fields", Value::String(f)) => field_label(f),
                    _ => value_text(entity, field, i, jst),
                })
                .collect();
            if items.is_empty() {
                "—".into()
            } else {
                items.join(", ")
            }
        }
        Value::Object(_) => v.to_string(),
    }
}

fn code_label(entity: &str, field: &str, code: &str) -> Option<String> {
    let label = match (entity, field) {
        (_, "legal_form") => LegalForm::from_code(code)?.label(),
        (_, "group") => Group::from_code(code)?.label(),
        (_, "gender") => Gender::from_code(code)?.label(),
        (_, "kind") => ActivityKind::from_code(code)?.label(),
        (_, "audience") => Audience::from_code(code)?.label(),
        (_, "role") => Role::from_code(code)?.label(),
        ("registration", "status") => RegistrationStatus::from_code(code)?.label(),
        (_, "status") => CaseStatus::from_code(code)?.label(),
        (_, "outcome") => Outcome::from_code(code)?.label(),
        (_, "sent_via") => SentVia::from_code(code)?.label(),
        ("advisory_session", "form") => SessionForm::from_code(code)?.label(),
        ("advisory_session", "topic") => Topic::from_code(code)?.label(),
        _ => return None,
    };
    Some(label.to_owned())
}

/// A change as lines "pole: było → jest": for a change only the fields
/// that differ, for an addition "pole: jest", for a removal "pole: było".
/// JSTs are named by `jst` (a code it does not know stays a code).
pub fn changes(
    entity: &str,
    before: Option<&Value>,
    after: Option<&Value>,
    jst: JstNames<'_>,
) -> Vec<String> {
    let empty = serde_json::Map::new();
    fn as_map(v: Option<&Value>) -> Option<&serde_json::Map<String, Value>> {
        match v {
            Some(Value::Object(m)) => Some(m),
            _ => None,
        }
    }
    let (b, a) = (as_map(before), as_map(after));
    let mut keys: Vec<&String> = b.unwrap_or(&empty).keys().collect();
    for k in a.unwrap_or(&empty).keys() {
        if !keys.contains(&k) {
            keys.push(k);
        }
    }
    // In the order of the forms, not of the JSON.
    keys.sort_by_key(|k| {
        FIELDS
            .iter()
            .position(|(f, _)| f == k)
            .unwrap_or(usize::MAX)
    });
    let mut lines = Vec::new();
    for k in keys {
        let (old, new) = (b.and_then(|m| m.get(k)), a.and_then(|m| m.get(k)));
        let label = field_label(k);
        let text = |v: &Value| value_text(entity, k, v, jst);
        match (old, new) {
            // Not a value that changed but the list of those that did.
            (_, Some(Value::Array(items))) if k == "changed_personal_fields" => {
                if !items.is_empty() {
                    lines.push(format!("{label}: {}", text(new.unwrap_or(&Value::Null))));
                }
            }
            (Some(o), Some(n)) if o == n => {
                // Unchanged; ids that say which record are still worth a line
                // when nothing else would name it.
                if k.ends_with("_id") && b.is_some_and(|m| m.len() == 1) {
                    lines.push(format!("{label}: {}", text(n)));
                }
            }
            (Some(o), Some(n)) => lines.push(format!("{label}: {} → {}", text(o), text(n))),
            (None, Some(n)) if b.is_some() => {
                lines.push(format!("{label}: — → {}", text(n)));
            }
            (None, Some(n)) => lines.push(format!("{label}: {}", text(n))),
            (Some(o), None) if a.is_some() => {
                lines.push(format!("{label}: {} → —", text(o)));
            }
            (Some(o), None) => lines.push(format!("{label}: {}", text(o))),
            (None, None) => {}
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn actions_records_and_fields_read_in_polish() {
        assert_eq!(action_label("update"), "zmiana");
        assert_eq!(entity_label("organisation"), "organizacja");
        assert_eq!(field_label("legal_form"), "forma prawna");
        assert_eq!(field_label("some_new_field"), "some new field");
    }

    #[test]
    fn a_change_lists_only_what_changed_with_labels() {
        let before =
            json!({"name": "Fundacja A", "legal_form": "fundacja", "is_opp": false, "krs": null});
        let after = json!({"name": "Fundacja B", "legal_form": "stowarzyszenie", "is_opp": false, "krs": "0000123456"});
        assert_eq!(
            changes("organisation", Some(&before), Some(&after), &|_| None),
            vec![
                "nazwa: Fundacja A → Fundacja B",
                "forma prawna: fundacja → stowarzyszenie",
                "numer KRS: — → 0000123456",
            ]
        );
    }

    #[test]
    fn an_addition_lists_its_values_and_codes_take_labels() {
        let after = json!({"status": "confirmed", "activity_id": 7});
        let lines = changes("registration", None, Some(&after), &|_| None);
        assert!(lines.contains(&"działanie (nr): 7".to_owned()), "{lines:?}");
        assert!(lines.iter().all(|l| !l.contains("confirmed")), "{lines:?}");
        let before = json!({"group": "ngo", "organisation_id": 3});
        let after = json!({"group": "official", "organisation_id": 3,
            "changed_personal_fields": ["first_name", "email"]});
        assert_eq!(
            changes("person", Some(&before), Some(&after), &|_| None),
            vec![
                "grupa: liderki i liderzy organizacji → urzędniczki i urzędnicy",
                "zmienione dane osobowe: imię, e-mail",
            ]
        );
    }

    #[test]
    fn offices_dates_jsts_and_a_cases_state_read_as_people_write_them() {
        let names = |code: &str| match code {
            "1420092" => Some("Płońsk (gmina wiejska)".to_owned()),
            "1420011" => Some("Płońsk (gmina miejska)".to_owned()),
            _ => None,
        };
        let before = json!({"local_government": "1420092", "status": "new"});
        let after = json!({"local_government": "1420011", "status": "under_review",
            "reply_due": "2026-12-23"});
        assert_eq!(
            changes("case", Some(&before), Some(&after), &names),
            vec![
                "JST: Płońsk (gmina wiejska) → Płońsk (gmina miejska)",
                "stan: nowa → w analizie",
                "termin odpowiedzi: — → 23 grudnia 2026",
            ]
        );
        assert_eq!(
            jst_codes(Some(&before), Some(&after)),
            vec!["1420011", "1420092"]
        );
        let office = changes(
            "office",
            Some(&json!({"office_name": ""})),
            Some(&json!({"office_name": "Urząd Gminy Płońsk"})),
            &names,
        );
        assert_eq!(office, vec!["nazwa urzędu: — → Urząd Gminy Płońsk"]);
        assert_eq!(field_label("organ"), "organ, do którego kierujemy pisma");
    }
}
