//! Signing in and out, the second factor, and passwords (change, reset by
//! an e-mailed one-time link).
//!
//! Brute force: failed attempts are counted in the database for the
//! account from this address, for the address, and for the account from
//! addresses it has not signed in from (`domain::throttle`); reaching a
//! limit answers 429 with `Retry-After` until the oldest counted failure is
//! 15 minutes old. Failures from elsewhere never hold back the owner's
//! own address.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;

use super::paths;
use super::ui::{Block, Field, Form, Kind, Page};
use crate::app::{stamp, AppState};
use crate::domain::auth;
use crate::domain::throttle::{self, Limit, Limits};
use crate::store::accounts;
use crate::web::extract::{Form as BodyForm, Path, Query};
use crate::web::session::{self, Anyone, Signed, Visitor};
use crate::web::{Error, Result};

pub use crate::domain::auth::RESET_VALID;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(paths::SIGN_IN, get(sign_in_page).post(sign_in))
        .route(paths::SECOND_FACTOR, get(code_page).post(code))
        .route(paths::SIGN_OUT, post(sign_out))
        .route(paths::PASSWORD, get(password_page).post(change_password))
        .route(paths::RESET, get(reset_request_page).post(reset_request))
        .route(
            &format!("{}/{{token}}", paths::RESET),
            get(reset_page).post(reset),
        )
        .route(paths::TOTP, get(totp_page).post(totp_on))
        .route(&format!("{}/wylacz", paths::TOTP), post(totp_off))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SignInQuery {
    dalej: String,
    komunikat: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SignInForm {
    email: String,
    password: String,
    dalej: String,
}

/// Where to go after signing in: a back-office path, nothing else (and
/// nothing a `Location` header cannot carry as it is).
fn next_path(dalej: &str) -> &str {
    if dalej.starts_with("/admin")
        && !dalej.starts_with("//")
        && !dalej.contains('\\')
        && dalej.bytes().all(|b| b.is_ascii_graphic())
    {
        dalej
    } else {
        paths::HOME
    }
}

fn sign_in_view(
    v: &Visitor,
    email: &str,
    dalej: &str,
    error: &str,
    notice: &str,
) -> Result<Response> {
    let mut email_field = Field::new("email", "Adres e-mail", Kind::Email, email)
        .required()
        .autocomplete("username");
    email_field.error = error.to_owned();
    let form = Form::post(
        paths::SIGN_IN,
        &v.csrf,
        "Zaloguj się",
        vec![
            email_field,
            Field::new("password", "Hasło", Kind::Password, "")
                .required()
                .autocomplete("current-password"),
            Field::new("dalej", "", Kind::Hidden, dalej),
        ],
    );
    Page::new("Logowanie do panelu", None, &v.csrf)
        .notice(notice)
        .block(Block::Form(form))
        .block(Block::Links(vec![(
            paths::RESET.to_owned(),
            "Nie pamiętasz hasła?".to_owned(),
        )]))
        .render()
}

async fn sign_in_page(Anyone(v): Anyone, Query(q): Query<SignInQuery>) -> Result<Response> {
    sign_in_view(&v, "", &q.dalej, "", super::notice(q.komunikat.as_deref()))
}

/// 429 if the account from this address, the address, or the account
/// from an address it has not signed in from lately used up its failed
/// attempts (`key`: the account's address, or what else is counted).
async fn throttle(state: &AppState, limits: Limits, key: &str, address: &str) -> Result<()> {
    let now = state.clock().now();
    let since = stamp(now - jiff::SignedDuration::from_secs(throttle::WINDOW));
    let failures = accounts::failures(state.db(), key, address, &since).await?;
    let limit = match throttle::reached(limits, &failures) {
        None => return Ok(()),
        Some(Limit::Key) => {
            let known_since =
                stamp(now - jiff::SignedDuration::from_hours(24 * throttle::KNOWN_DAYS));
            if accounts::signed_in_from(state.db(), key, address, &known_since).await? {
                return Ok(());
            }
            Limit::Key
        }
        Some(limit) => limit,
    };
    tracing::warn!(?limit, "sign-in refused: too many failed attempts");
    Err(Error::TooMany(throttle::retry_after(
        failures.tally(limit),
        now,
    )))
}

async fn sign_in(
    State(state): State<AppState>,
    Anyone(v): Anyone,
    BodyForm(f): BodyForm<SignInForm>,
) -> Result<Response> {
    let email = match auth::typed_address(&f.email) {
        Ok(email) => email,
        Err(too_long) => {
            let page = sign_in_view(&v, "", &f.dalej, too_long, "")?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    throttle(&state, throttle::SIGN_IN, &email, &v.address).await?;
    let creds = accounts::credentials(state.db(), &email).await?;
    let ok = match &creds {
        Some(c) => auth::verify_password(&f.password, &c.password_hash) && c.active,
        None => {
            auth::verify_password(&f.password, auth::decoy_hash());
            false
        }
    };
    let now = state.now_text();
    accounts::record_attempt(state.db(), &email, &v.address, ok, &now).await?;
    let Some(creds) = creds.filter(|_| ok) else {
        return sign_in_view(
            &v,
            &f.email,
            &f.dalej,
            "Nieprawidłowy adres e-mail lub hasło.",
            "",
        );
    };
    tracing::info!(account = creds.id, "signed in");
    start_session(&state, &v, creds.id, creds.totp_secret.is_some(), {
        if creds.totp_secret.is_some() {
            format!(
                "{}?dalej={}",
                paths::SECOND_FACTOR,
                form_urlencoded::byte_serialize(next_path(&f.dalej).as_bytes()).collect::<String>()
            )
        } else {
            next_path(&f.dalej).to_owned()
        }
    })
    .await
}

/// Ends the browser's old session, if any, and starts a new one: a new
/// token and a new CSRF token at every sign-in.
async fn start_session(
    state: &AppState,
    v: &Visitor,
    account: i64,
    second_factor_due: bool,
    to: String,
) -> Result<Response> {
    if let Some(old) = &v.token_hash {
        accounts::end_session(state.db(), old).await?;
    }
    let token = auth::new_token().map_err(|_| Error::BadRequest("Spróbuj ponownie.".into()))?;
    let csrf = auth::new_token().map_err(|_| Error::BadRequest("Spróbuj ponownie.".into()))?;
    accounts::create_session(
        state.db(),
        &auth::token_hash(&token),
        account,
        &csrf,
        second_factor_due,
        &state.now_text(),
    )
    .await?;
    let mut response = Redirect::to(&to).into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        session::set_cookie(state, session::SESSION_COOKIE, &token, None),
    );
    Ok(response)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CodeForm {
    code: String,
    dalej: String,
}

fn code_view(v: &Visitor, dalej: &str, error: &str) -> Result<Response> {
    let mut field = Field::new("code", "Kod z aplikacji uwierzytelniającej", Kind::Text, "")
        .required()
        .autocomplete("one-time-code")
        .hint("Sześć cyfr, zmieniają się co 30 sekund.");
    field.error = error.to_owned();
    Page::new("Weryfikacja dwuetapowa", None, &v.csrf)
        .block(Block::Form(Form::post(
            paths::SECOND_FACTOR,
            &v.csrf,
            "Potwierdź",
            vec![field, Field::new("dalej", "", Kind::Hidden, dalej)],
        )))
        .render()
}

async fn code_page(Anyone(v): Anyone, Query(q): Query<SignInQuery>) -> Result<Response> {
    if v.second_factor_due.is_none() {
        return Ok(Redirect::to(paths::SIGN_IN).into_response());
    }
    code_view(&v, &q.dalej, "")
}

async fn code(
    State(state): State<AppState>,
    Anyone(v): Anyone,
    BodyForm(f): BodyForm<CodeForm>,
) -> Result<Response> {
    let (Some(account), Some(hash)) = (v.second_factor_due, v.token_hash.clone()) else {
        return Ok(Redirect::to(paths::SIGN_IN).into_response());
    };
    let key = format!("konto:{account}");
    throttle(&state, throttle::SIGN_IN, &key, &v.address).await?;
    let creds = accounts::credentials_by_id(state.db(), account).await?;
    let step = auth::totp_step(state.clock().now().as_second());
    let accepted = creds.as_ref().and_then(|c| {
        c.totp_secret
            .as_deref()
            .and_then(|stored| crate::staff::open_totp(state.secret_key(), account, stored))
            .and_then(|s| auth::totp_accept(&s, &f.code, step, c.totp_last_step))
    });
    let ok = match accepted {
        Some(s) => accounts::use_totp_step(state.db(), account, s).await?,
        None => false,
    };
    accounts::record_attempt(state.db(), &key, &v.address, ok, &state.now_text()).await?;
    if !ok {
        return code_view(
            &v,
            &f.dalej,
            "Kod jest nieprawidłowy albo został już użyty.",
        );
    }
    accounts::second_factor_done(state.db(), &hash).await?;
    Ok(Redirect::to(next_path(&f.dalej)).into_response())
}

async fn sign_out(State(state): State<AppState>, Anyone(v): Anyone) -> Result<Response> {
    if let Some(hash) = &v.token_hash {
        accounts::end_session(state.db(), hash).await?;
    }
    let mut response =
        Redirect::to(&format!("{}?komunikat=wylogowano", paths::SIGN_IN)).into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        session::set_cookie(&state, session::SESSION_COOKIE, "", Some(0)),
    );
    Ok(response)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PasswordForm {
    current: String,
    password: String,
    repeat: String,
}

fn new_password_fields(errors: &[(&'static str, String)]) -> Vec<Field> {
    let mut fields = vec![
        Field::new("password", "Nowe hasło", Kind::Password, "")
            .required()
            .autocomplete("new-password")
            .hint("Co najmniej 12 znaków. Najlepiej kilka słów."),
        Field::new("repeat", "Powtórz nowe hasło", Kind::Password, "")
            .required()
            .autocomplete("new-password"),
    ];
    for f in &mut fields {
        if let Some((_, m)) = errors.iter().find(|(n, _)| *n == f.name) {
            f.error = m.clone();
        }
    }
    fields
}

fn new_password_errors(f: &PasswordForm) -> Vec<(&'static str, String)> {
    let mut errors = Vec::new();
    if let Some(p) = auth::password_problem(&f.password) {
        errors.push(("password", p));
    } else if f.password != f.repeat {
        errors.push(("repeat", "Hasła nie są takie same.".to_owned()));
    }
    errors
}

fn password_view(
    staff: &crate::domain::access::Staff,
    v: &Visitor,
    errors: &[(&'static str, String)],
    notice: &str,
) -> Result<Response> {
    let mut current = Field::new("current", "Obecne hasło", Kind::Password, "")
        .required()
        .autocomplete("current-password");
    if let Some((_, m)) = errors.iter().find(|(n, _)| *n == "current") {
        current.error = m.clone();
    }
    let mut fields = vec![current];
    fields.extend(new_password_fields(errors));
    Page::new("Moje konto", Some(staff), &v.csrf)
        .section(paths::PASSWORD)
        .notice(notice)
        .block(Block::Heading("Zmiana hasła".into()))
        .block(Block::Form(Form::post(
            paths::PASSWORD,
            &v.csrf,
            "Zmień hasło",
            fields,
        )))
        .block(Block::Links(vec![(
            paths::TOTP.to_owned(),
            "Weryfikacja dwuetapowa (kod z aplikacji)".to_owned(),
        )]))
        .render()
}

async fn password_page(Signed(staff, v): Signed, Query(q): Query<SignInQuery>) -> Result<Response> {
    password_view(&staff, &v, &[], super::notice(q.komunikat.as_deref()))
}

async fn change_password(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    BodyForm(f): BodyForm<PasswordForm>,
) -> Result<Response> {
    let creds = accounts::credentials_by_id(state.db(), staff.account_id).await?;
    let mut errors = Vec::new();
    if !creds.is_some_and(|c| auth::verify_password(&f.current, &c.password_hash)) {
        errors.push(("current", "Obecne hasło jest nieprawidłowe.".to_owned()));
    }
    errors.extend(new_password_errors(&f));
    if !errors.is_empty() {
        return password_view(&staff, &v, &errors, "");
    }
    let hash = auth::hash_password(&f.password)
        .map_err(|_| Error::BadRequest("Spróbuj ponownie.".into()))?;
    accounts::set_password(state.db(), staff.account_id, &hash, &state.now_text()).await?;
    // Every session ended with the old password; this browser gets a new one.
    let visitor = Visitor {
        token_hash: None,
        ..v
    };
    start_session(
        &state,
        &visitor,
        staff.account_id,
        false,
        format!("{}?komunikat=haslo", paths::PASSWORD),
    )
    .await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ResetRequest {
    email: String,
}

fn reset_request_view(v: &Visitor, notice: &str) -> Result<Response> {
    Page::new("Nie pamiętam hasła", None, &v.csrf)
        .notice(notice)
        .block(Block::Text(
            "Podaj adres e-mail konta. Wyślemy na niego łącze do ustawienia nowego hasła, ważne przez godzinę."
                .into(),
        ))
        .block(Block::Form(Form::post(
            paths::RESET,
            &v.csrf,
            "Wyślij łącze",
            vec![Field::new("email", "Adres e-mail", Kind::Email, "")
                .required()
                .autocomplete("username")],
        )))
        .render()
}

async fn reset_request_page(Anyone(v): Anyone) -> Result<Response> {
    reset_request_view(&v, "")
}

async fn reset_request(
    State(state): State<AppState>,
    Anyone(v): Anyone,
    BodyForm(f): BodyForm<ResetRequest>,
) -> Result<Response> {
    let email = match auth::typed_address(&f.email) {
        Ok(email) => email,
        Err(too_long) => {
            let page = reset_request_view(&v, too_long)?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    // Counted like a failed sign-in, so the form cannot flood a mailbox.
    let key = format!("reset:{email}");
    throttle(&state, throttle::RESET, &key, &v.address).await?;
    // The same work whether the address has an account or not: the link
    // is made by the worker (`mail::accounts`), so the answer neither says
    // nor takes longer.
    accounts::request_reset(state.db(), &key, &email, &v.address, &state.now_text()).await?;
    state.jobs_queued();
    reset_request_view(
        &v,
        "Jeśli konto o tym adresie istnieje, wysłaliśmy na nie łącze do ustawienia nowego hasła.",
    )
}

fn reset_view(v: &Visitor, token: &str, errors: &[(&'static str, String)]) -> Result<Response> {
    Page::new("Ustaw nowe hasło", None, &v.csrf)
        .block(Block::Form(Form::post(
            format!("{}/{token}", paths::RESET),
            &v.csrf,
            "Ustaw hasło",
            new_password_fields(errors),
        )))
        .render()
}

fn reset_gone(v: &Visitor) -> Result<Response> {
    let page = Page::new("Łącze nieważne", None, &v.csrf)
        .block(Block::Text(
            "To łącze wygasło albo zostało już użyte. Poproś o nowe.".into(),
        ))
        .block(Block::Links(vec![(
            paths::RESET.to_owned(),
            "Wyślij nowe łącze".to_owned(),
        )]))
        .render()?;
    Ok((StatusCode::GONE, page).into_response())
}

async fn reset_page(
    State(state): State<AppState>,
    Anyone(v): Anyone,
    Path(token): Path<String>,
) -> Result<Response> {
    match accounts::reset_account(state.db(), &auth::token_hash(&token), &state.now_text()).await? {
        Some(_) => reset_view(&v, &token, &[]),
        None => reset_gone(&v),
    }
}

async fn reset(
    State(state): State<AppState>,
    Anyone(v): Anyone,
    Path(token): Path<String>,
    BodyForm(f): BodyForm<PasswordForm>,
) -> Result<Response> {
    let hash = auth::token_hash(&token);
    let now = state.now_text();
    if accounts::reset_account(state.db(), &hash, &now)
        .await?
        .is_none()
    {
        return reset_gone(&v);
    }
    let errors = new_password_errors(&f);
    if !errors.is_empty() {
        return reset_view(&v, &token, &errors);
    }
    let Some(account) = accounts::use_reset(state.db(), &hash, &now).await? else {
        return reset_gone(&v);
    };
    let password = auth::hash_password(&f.password)
        .map_err(|_| Error::BadRequest("Spróbuj ponownie.".into()))?;
    accounts::set_password(state.db(), account, &password, &now).await?;
    tracing::info!(account, "password set by reset link");
    Ok(Redirect::to(&format!("{}?komunikat=reset", paths::SIGN_IN)).into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TotpForm {
    secret: String,
    code: String,
    password: String,
}

async fn totp_page(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    Query(q): Query<SignInQuery>,
) -> Result<Response> {
    let account = accounts::get(state.db(), staff.account_id)
        .await?
        .ok_or(Error::NotFound)?;
    totp_view(
        &staff,
        &v,
        account.has_totp,
        &account.email,
        None,
        "",
        super::notice(q.komunikat.as_deref()),
    )
}

fn totp_view(
    staff: &crate::domain::access::Staff,
    v: &Visitor,
    enabled: bool,
    email: &str,
    secret: Option<String>,
    error: &str,
    notice: &str,
) -> Result<Response> {
    let page = Page::new("Weryfikacja dwuetapowa", Some(staff), &v.csrf)
        .section(paths::PASSWORD)
        .notice(notice);
    if enabled {
        let mut password = Field::new("password", "Hasło", Kind::Password, "")
            .required()
            .autocomplete("current-password");
        password.error = error.to_owned();
        return page
            .block(Block::Text(
                "Weryfikacja dwuetapowa jest włączona: przy logowaniu podajesz kod z aplikacji."
                    .into(),
            ))
            .block(Block::Form(Form::post(
                format!("{}/wylacz", paths::TOTP),
                &v.csrf,
                "Wyłącz weryfikację dwuetapową",
                vec![password],
            )))
            .render();
    }
    let secret = match secret {
        Some(s) => s,
        None => {
            auth::new_totp_secret().map_err(|_| Error::BadRequest("Spróbuj ponownie.".into()))?
        }
    };
    let mut code = Field::new("code", "Kod z aplikacji", Kind::Text, "")
        .required()
        .autocomplete("one-time-code");
    code.error = error.to_owned();
    page.block(Block::Text(
        "Dodaj konto w aplikacji uwierzytelniającej (np. Aegis, FreeOTP, Google Authenticator), wpisując klucz poniżej, a potem podaj kod, który pokaże.".into(),
    ))
    .block(Block::Facts(vec![
        ("Klucz".into(), secret.clone().into()),
        ("Adres dla aplikacji".into(), auth::totp_uri("Koalicja", email, &secret).into()),
    ]))
    .block(Block::Form(Form::post(
        paths::TOTP,
        &v.csrf,
        "Włącz weryfikację dwuetapową",
        vec![Field::new("secret", "", Kind::Hidden, secret), code],
    )))
    .render()
}

async fn totp_on(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    BodyForm(f): BodyForm<TotpForm>,
) -> Result<Response> {
    let account = accounts::get(state.db(), staff.account_id)
        .await?
        .ok_or(Error::NotFound)?;
    let step = auth::totp_step(state.clock().now().as_second());
    if account.has_totp || auth::totp_accept(&f.secret, &f.code, step, None).is_none() {
        return totp_view(
            &staff,
            &v,
            account.has_totp,
            &account.email,
            Some(f.secret),
            "Kod się nie zgadza. Sprawdź klucz i zegar telefonu.",
            "",
        );
    }
    let sealed = crate::staff::seal_totp(state.secret_key(), staff.account_id, &f.secret)?;
    accounts::set_totp(
        state.db(),
        staff.account_id,
        Some(&sealed),
        &state.now_text(),
    )
    .await?;
    accounts::use_totp_step(state.db(), staff.account_id, step).await?;
    Ok(Redirect::to(&format!("{}?komunikat=totp", paths::TOTP)).into_response())
}

async fn totp_off(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    BodyForm(f): BodyForm<TotpForm>,
) -> Result<Response> {
    let creds = accounts::credentials_by_id(state.db(), staff.account_id)
        .await?
        .ok_or(Error::NotFound)?;
    if !auth::verify_password(&f.password, &creds.password_hash) {
        let account = accounts::get(state.db(), staff.account_id)
            .await?
            .ok_or(Error::NotFound)?;
        return totp_view(
            &staff,
            &v,
            true,
            &account.email,
            None,
            "Hasło jest nieprawidłowe.",
            "",
        );
    }
    accounts::set_totp(state.db(), staff.account_id, None, &state.now_text()).await?;
    Ok(Redirect::to(&format!("{}?komunikat=totp-off", paths::TOTP)).into_response())
}
