//! The pages of signing in and out, the second factor, and passwords
//! (change, reset by an e-mailed one-time link). The workflow, with the
//! limits of failed attempts (answered 429 with `Retry-After`), is
//! `service::sign_in`.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;

use super::paths;
use super::ui::{Block, Field, Form, Kind, Page};
use crate::app::AppState;
use crate::domain::auth;
use crate::service::sign_in::{self, Reset};
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
    let verified =
        sign_in::password(state.db(), state.clock(), &email, &f.password, &v.address).await?;
    let Some(verified) = verified else {
        return sign_in_view(
            &v,
            &f.email,
            &f.dalej,
            "Nieprawidłowy adres e-mail lub hasło.",
            "",
        );
    };
    start_session(&state, &v, verified.account, verified.second_factor, {
        if verified.second_factor {
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
    let token = sign_in::start_session(
        state.db(),
        state.clock(),
        v.token_hash.as_deref(),
        account,
        second_factor_due,
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
    let ok = sign_in::second_factor(
        state.db(),
        state.clock(),
        state.secret_key(),
        account,
        &hash,
        &f.code,
        &v.address,
    )
    .await?;
    if !ok {
        return code_view(
            &v,
            &f.dalej,
            "Kod jest nieprawidłowy albo został już użyty.",
        );
    }
    Ok(Redirect::to(next_path(&f.dalej)).into_response())
}

async fn sign_out(State(state): State<AppState>, Anyone(v): Anyone) -> Result<Response> {
    if let Some(hash) = &v.token_hash {
        sign_in::sign_out(state.db(), hash).await?;
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
    let errors = sign_in::change_password(
        state.db(),
        state.clock(),
        staff.account_id,
        &f.current,
        &f.password,
        &f.repeat,
    )
    .await?;
    if !errors.is_empty() {
        return password_view(&staff, &v, &errors, "");
    }
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
    sign_in::request_reset(state.db(), state.clock(), &email, &v.address).await?;
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
    if sign_in::reset_valid(state.db(), state.clock(), &token).await? {
        reset_view(&v, &token, &[])
    } else {
        reset_gone(&v)
    }
}

async fn reset(
    State(state): State<AppState>,
    Anyone(v): Anyone,
    Path(token): Path<String>,
    BodyForm(f): BodyForm<PasswordForm>,
) -> Result<Response> {
    match sign_in::reset(state.db(), state.clock(), &token, &f.password, &f.repeat).await? {
        Reset::Gone => reset_gone(&v),
        Reset::Refused(errors) => reset_view(&v, &token, &errors),
        Reset::Done => {
            Ok(Redirect::to(&format!("{}?komunikat=reset", paths::SIGN_IN)).into_response())
        }
    }
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
    let on = sign_in::totp_on(
        state.db(),
        state.clock(),
        state.secret_key(),
        staff.account_id,
        &f.secret,
        &f.code,
    )
    .await?;
    if !on {
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
    Ok(Redirect::to(&format!("{}?komunikat=totp", paths::TOTP)).into_response())
}

async fn totp_off(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    BodyForm(f): BodyForm<TotpForm>,
) -> Result<Response> {
    if !sign_in::totp_off(state.db(), state.clock(), staff.account_id, &f.password).await? {
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
    Ok(Redirect::to(&format!("{}?komunikat=totp-off", paths::TOTP)).into_response())
}
