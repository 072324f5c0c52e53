//! Staff accounts: creation with checked input, shared by the command line
//! (`koalicja create-admin`) and the accounts page.

use crate::domain::access::Role;
use crate::domain::auth;
use crate::domain::records::email_ok;
use crate::store::accounts::{self, NewAccount};
use crate::store::Db;

/// Creates an account; a Polish message says what is wrong otherwise.
pub async fn create_account(
    db: &Db,
    email: &str,
    name: &str,
    role: &str,
    password: &str,
    areas: &[String],
    now: &str,
) -> Result<i64, String> {
    let email = email.trim().to_lowercase();
    if !email_ok(&email) {
        return Err("Podaj adres e-mail w postaci nazwa@domena.pl.".into());
    }
    if name.trim().is_empty() {
        return Err("Podaj imię i nazwisko.".into());
    }
    let role = Role::from_code(role).ok_or_else(|| {
        format!("Nieznana rola „{role}” (admin, coordinator, partner, trainer, advisor).")
    })?;
    if let Some(problem) = auth::password_problem(password) {
        return Err(problem);
    }
    // A city with powiat rights is one area whichever code is given.
    let areas: Vec<String> = areas
        .iter()
        .map(|a| crate::domain::teryt::canonical(a).to_owned())
        .collect();
    for a in &areas {
        let known = match crate::domain::teryt::Teryt::parse(a) {
            Ok(t) => crate::store::teryt::get(db, &t)
                .await
                .map_err(|e| e.to_string())?
                .is_some(),
            Err(_) => false,
        };
        if !known {
            return Err(format!("Nie ma jednostki o kodzie TERYT {a}."));
        }
    }
    let hash = auth::password_hash_or_message(password)?;
    let projects = crate::store::programme::main_project(db)
        .await
        .map_err(|e| e.to_string())?
        .map(|p| vec![p.id])
        .unwrap_or_default();
    accounts::create(
        db,
        &NewAccount {
            email: &email,
            name: name.trim(),
            role,
            password_hash: &hash,
            projects: &projects,
            areas: &areas,
        },
        now,
    )
    .await
    .map_err(|e| e.to_string())?
    .ok_or_else(|| format!("Konto {email} już istnieje."))
}
