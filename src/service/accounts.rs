//! Staff accounts: creation with checked input, shared by the command line
//! (`koalicja create-admin`) and the accounts page, and changes of role,
//! areas and whether an account may sign in; their TOTP secrets, sealed at
//! rest under the server's key (`domain::sealed`).

use crate::domain::access::Role;
use crate::domain::auth;
use crate::domain::records::{self, FieldErrors, MAX_NAME};
use crate::domain::sealed::{self, SecretKey};
use crate::store::accounts::{self, AccountChange, NewAccount};
use crate::store::{Db, StoreError};

/// Why an account was not created: a field of the form and a Polish
/// message, or the database failing.
#[derive(Debug, thiserror::Error)]
pub enum NotCreated {
    #[error("{message}")]
    Refused {
        field: &'static str,
        message: String,
    },
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
}

fn refused(field: &'static str, message: impl Into<String>) -> NotCreated {
    NotCreated::Refused {
        field,
        message: message.into(),
    }
}

/// Creates an account; the field and a Polish message say what is wrong
/// otherwise. Areas are TERYT codes (a city with powiat rights by either
/// of its codes), each counted once.
pub async fn create_account(
    db: &Db,
    email: &str,
    name: &str,
    role: &str,
    password: &str,
    areas: &[String],
    now: jiff::Timestamp,
) -> Result<i64, NotCreated> {
    let mut errors = FieldErrors::default();
    let email = records::required_email(&mut errors, "email", email);
    let name = records::required(&mut errors, "name", name, MAX_NAME);
    if let Some((field, message)) = errors.all().first() {
        return Err(refused(field, message.clone()));
    }
    let role = Role::from_code(role).ok_or_else(|| {
        refused(
            "role",
            format!("Nieznana rola „{role}” (admin, coordinator, partner, trainer, advisor)."),
        )
    })?;
    if let Some(problem) = auth::password_problem(password) {
        return Err(refused("password", problem));
    }
    // A city with powiat rights is one area whichever code is given.
    let mut unique: Vec<String> = Vec::new();
    for a in areas {
        let a = crate::domain::teryt::canonical(a.trim()).to_owned();
        if !unique.contains(&a) {
            unique.push(a);
        }
    }
    let areas = unique;
    if let Some(a) = unknown_area(db, &areas).await? {
        return Err(refused(
            "areas",
            format!("Nie ma jednostki o kodzie TERYT {a}."),
        ));
    }
    let hash = auth::password_hash_or_message(password).map_err(|m| refused("password", m))?;
    let projects = crate::store::programme::main_project(db)
        .await?
        .map(|p| vec![p.id])
        .unwrap_or_default();
    accounts::create(
        db,
        &NewAccount {
            email: &email,
            name: &name,
            role,
            password_hash: &hash,
            projects: &projects,
            areas: &areas,
        },
        now,
    )
    .await?
    .ok_or_else(|| refused("email", format!("Konto {email} już istnieje.")))
}

/// The first of `areas` that is no unit of the register, if any.
async fn unknown_area<'a>(db: &Db, areas: &'a [String]) -> Result<Option<&'a str>, StoreError> {
    for a in areas {
        let known = match crate::domain::teryt::Teryt::parse(a) {
            Ok(t) => crate::store::teryt::get(db, &t).await?.is_some(),
            Err(_) => false,
        };
        if !known {
            return Ok(Some(a));
        }
    }
    Ok(None)
}

/// Why an account was not changed.
#[derive(Debug, thiserror::Error)]
pub enum NotChanged {
    /// A Polish message of what is wrong with the request.
    #[error("{0}")]
    Refused(String),
    #[error("no such account")]
    NotFound,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Changes an account's role, areas (TERYT codes) and whether it may sign
/// in; `who` may not take the administrator's role from, nor block, their
/// own account.
pub async fn update_account(
    db: &Db,
    who: i64,
    id: i64,
    role: &str,
    areas: &[String],
    active: bool,
    now: jiff::Timestamp,
) -> Result<(), NotChanged> {
    let role = Role::from_code(role).ok_or_else(|| NotChanged::Refused("Nieznana rola.".into()))?;
    for a in areas {
        let Ok(t) = crate::domain::teryt::Teryt::parse(a) else {
            return Err(NotChanged::Refused(format!(
                "Nieprawidłowy kod TERYT: {a}."
            )));
        };
        if crate::store::teryt::get(db, &t).await?.is_none() {
            return Err(NotChanged::Refused(format!(
                "Nie ma jednostki o kodzie TERYT {a}."
            )));
        }
    }
    if id == who && (!active || role != Role::Admin) {
        return Err(NotChanged::Refused(
            "Nie możesz odebrać sobie roli administratora ani zablokować własnego konta.".into(),
        ));
    }
    let change = AccountChange {
        role,
        areas,
        active,
    };
    if !accounts::update(db, who, id, &change, now).await? {
        return Err(NotChanged::NotFound);
    }
    Ok(())
}

/// What a TOTP secret is bound to when sealed: its account.
fn totp_context(account: i64) -> String {
    format!("totp:{account}")
}

/// A TOTP secret as it is stored: sealed under `key` for `account`.
pub fn seal_totp(key: &SecretKey, account: i64, secret: &str) -> Result<String, StoreError> {
    sealed::seal(key, &totp_context(account), secret).map_err(|_| StoreError::Random)
}

/// The TOTP secret in a stored value; `None` (and a warning in the log) if
/// it does not open under this key, e.g. another instance's.
pub fn open_totp(key: &SecretKey, account: i64, stored: &str) -> Option<String> {
    let secret = sealed::open(key, &totp_context(account), stored);
    if secret.is_none() {
        tracing::warn!(
            account,
            "TOTP secret does not open: is secret_key the one it was sealed with?"
        );
    }
    secret
}

/// Seals the TOTP secrets stored before they were encrypted (at start);
/// how many it sealed.
pub async fn seal_totp_secrets(db: &Db, key: &SecretKey) -> Result<usize, StoreError> {
    let mut sealed_now = 0;
    for (account, stored) in accounts::totp_secrets(db).await? {
        if sealed::is_sealed(&stored) {
            continue;
        }
        let sealed = seal_totp(key, account, &stored)?;
        if accounts::rewrite_totp_secret(db, account, &stored, &sealed).await? {
            sealed_now += 1;
        }
    }
    if sealed_now > 0 {
        tracing::info!(accounts = sealed_now, "TOTP secrets sealed");
    }
    Ok(sealed_now)
}
