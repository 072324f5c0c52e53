//! Fields where staff type an organisation or a JST (a number, a code or a
//! name) and the server finds the record: works without JavaScript; when
//! several records match, the message lists them with their numbers.

use crate::domain::records::FieldErrors;
use crate::store::{offices, organisations, Db};
use crate::web::Result;

/// The JST meant by `typed` (empty: none); a field message otherwise.
pub async fn jst(
    db: &Db,
    typed: &str,
    field: &'static str,
    errors: &mut FieldErrors,
) -> Result<Option<String>> {
    let t = typed.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let found = offices::find(db, t, 6).await?;
    match found.as_slice() {
        [one] => return Ok(Some(one.teryt.clone())),
        [] => errors.add(field, format!("Nie znaleziono JST „{t}”. Wpisz nazwę gminy, powiatu lub województwa albo kod TERYT.")),
        many => {
            let list: Vec<String> = many
                .iter()
                .take(5)
                .map(|u| format!("{} ({}, kod {})", u.name, u.kind_label(), u.teryt))
                .collect();
            errors.add(field, format!("Pasuje kilka JST: {}. Wpisz kod TERYT.", list.join("; ")));
        }
    }
    Ok(None)
}

/// The organisation meant by `typed` (empty: none); a field message otherwise.
pub async fn organisation(
    db: &Db,
    typed: &str,
    field: &'static str,
    errors: &mut FieldErrors,
) -> Result<Option<i64>> {
    let t = typed.trim();
    if t.is_empty() {
        return Ok(None);
    }
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
    let t = typed.trim();
    if t.is_empty() {
        errors.add(field, "Podaj numer osoby, jej e-mail albo imię i nazwisko.");
        return Ok(None);
    }
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
