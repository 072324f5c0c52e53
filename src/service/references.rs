//! Records named by what staff typed (a number, a code or a name): a JST,
//! an organisation, a person. When several records match, the message
//! lists them with their numbers (and a JST's as choices to pick). A
//! typed text longer than any name it could find is not looked up. Used
//! by the back office's forms (`web::admin::pick`) and the CSV import.

use crate::domain::records::{too_long, FieldErrors, MAX_SEARCH, MAX_TITLE};
use crate::store::teryt::{self, Resolved};
use crate::store::Result;
use crate::store::{organisations, Db};

/// The JST meant by `typed` (empty: none), found by
/// `domain::jst_match`; `chosen` is the code picked among the choices the
/// form showed (the `{field}_wybor` radio buttons), taken when it is one of
/// what `typed` means. Otherwise a field message, and when several JSTs fit,
/// them as choices ("Płońsk — gmina miejska, powiat płoński").
pub async fn jst(
    db: &Db,
    typed: &str,
    chosen: Option<&str>,
    field: &'static str,
    errors: &mut FieldErrors,
) -> Result<Option<String>> {
    let Some(t) = typed_text(typed, MAX_SEARCH, field, errors) else {
        return Ok(None);
    };
    match teryt::resolve(db, t).await? {
        Resolved::One(one) => return Ok(Some(one.candidate.teryt)),
        Resolved::Several(many) => {
            if let Some(c) = chosen.filter(|c| many.iter().any(|m| m.candidate.teryt == *c)) {
                return Ok(Some(c.to_owned()));
            }
            let list: Vec<String> = many.iter().map(|m| m.choice_label()).collect();
            errors.add(
                field,
                format!(
                    "Pasuje kilka samorządów: {}. Wybierz jeden z listy albo wpisz kod TERYT.",
                    list.join("; ")
                ),
            );
            errors.offer(
                field,
                many.iter()
                    .map(|m| (m.candidate.teryt.clone(), m.choice_label()))
                    .collect(),
            );
        }
        Resolved::TooMany(n) => errors.add(
            field,
            format!(
                "„{t}” pasuje do zbyt wielu samorządów ({n}). Wpisz pełną nazwę, np. „gmina Płońsk”, „powiat płoński”, albo kod TERYT."
            ),
        ),
        Resolved::Nothing => {
            let why = teryt::not_found(db, t).await?;
            errors.add(
                field,
                format!(
                    "{why} Wpisz nazwę gminy, powiatu lub województwa (np. „gmina Jednorożec”, „powiat płoński”) albo kod TERYT."
                ),
            )
        }
        Resolved::TooShort => errors.add(field, crate::domain::jst_match::too_short()),
    }
    Ok(None)
}

/// How a JST field shows the recorded `code` (none: empty): the name as
/// people write it ("Płońsk (gmina wiejska)", "powiat płoński") when that
/// name finds the same JST again, so the form can be saved as it is;
/// otherwise the code.
pub async fn jst_shown(db: &Db, code: Option<&str>) -> Result<String> {
    let Some(code) = code.filter(|c| !c.is_empty()) else {
        return Ok(String::new());
    };
    let Ok(teryt) = crate::domain::teryt::Teryt::parse(code) else {
        return Ok(code.to_owned());
    };
    let Some(unit) = teryt::get(db, &teryt).await? else {
        return Ok(code.to_owned());
    };
    Ok(match teryt::resolve(db, &unit.display_name).await? {
        Resolved::One(one) if one.candidate.teryt == code => unit.display_name,
        _ => code.to_owned(),
    })
}

/// The organisation meant by `typed` (empty: none); a field message otherwise.
pub async fn organisation(
    db: &Db,
    typed: &str,
    field: &'static str,
    errors: &mut FieldErrors,
) -> Result<Option<i64>> {
    let Some(t) = typed_text(typed, MAX_TITLE, field, errors) else {
        return Ok(None);
    };
    let found = organisations::find(db, t, 6).await?;
    match found.as_slice() {
        [(id, _)] => return Ok(Some(*id)),
        [] => errors.add(
            field,
            format!("Nie znaleziono organizacji „{t}”. Wpisz jej nazwę albo numer."),
        ),
        many => {
            let list: Vec<String> = many
                .iter()
                .take(5)
                .map(|(id, n)| format!("{n} (nr {id})"))
                .collect();
            errors.add(
                field,
                format!(
                    "Pasuje kilka organizacji: {}. Wpisz numer.",
                    list.join("; ")
                ),
            );
        }
    }
    Ok(None)
}

/// The person meant by `typed`: a number, an e-mail, or a name.
pub async fn person(
    db: &Db,
    typed: &str,
    field: &'static str,
    errors: &mut FieldErrors,
) -> Result<Option<i64>> {
    if typed.trim().is_empty() {
        errors.add(field, "Podaj numer osoby, jej e-mail albo imię i nazwisko.");
        return Ok(None);
    }
    let Some(t) = typed_text(typed, MAX_SEARCH, field, errors) else {
        return Ok(None);
    };
    if let Ok(id) = t.trim_start_matches('#').parse::<i64>() {
        if crate::store::people::get(db, id).await?.is_some() {
            return Ok(Some(id));
        }
    } else if t.contains('@') {
        if let Some(id) = crate::store::people::by_email(db, t).await? {
            return Ok(Some(id));
        }
    } else {
        let filter = crate::store::people::Filter {
            query: t.to_owned(),
            ..Default::default()
        };
        let found =
            crate::store::people::list(db, &filter, &crate::domain::access::Scope::All, 6, 0)
                .await?;
        match found.items.as_slice() {
            [one] => return Ok(Some(one.id)),
            [] => {}
            many => {
                let list: Vec<String> = many
                    .iter()
                    .take(5)
                    .map(|p| format!("{} {} (nr {})", p.first_name, p.last_name, p.id))
                    .collect();
                errors.add(
                    field,
                    format!("Pasuje kilka osób: {}. Wpisz numer.", list.join("; ")),
                );
                return Ok(None);
            }
        }
    }
    errors.add(
        field,
        format!("Nie znaleziono osoby „{t}”. Dodaj ją najpierw w dziale Osoby."),
    );
    Ok(None)
}

/// What was typed, trimmed: `None` when empty, or when longer than `max`
/// (with the field's message).
fn typed_text<'a>(
    typed: &'a str,
    max: usize,
    field: &'static str,
    errors: &mut FieldErrors,
) -> Option<&'a str> {
    let t = typed.trim();
    if t.is_empty() {
        return None;
    }
    if t.chars().count() > max {
        errors.add(field, too_long(max));
        return None;
    }
    Some(t)
}
