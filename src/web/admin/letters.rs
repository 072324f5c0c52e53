//! Letters of a case: written from a template, printed as a PDF on the
//! letterhead and kept with the case; then how it was sent, the office's
//! notice of a longer deadline, its reply. Also the templates, which
//! admins edit.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use jiff::civil::Date;
use serde::Deserialize;

use super::cases::{done, found, refused, url, BASE};
use super::ui::{invalid, Block, Cell, Field, Form, Kind, Page, Table};
use super::{require, Notice};
use crate::app::AppState;
use crate::domain::access::{Action, Area, Staff};
use crate::domain::attachments::FileType;
use crate::domain::cases::Status;
use crate::domain::format;
use crate::domain::letters::{self, SentVia, PLACEHOLDERS};
use crate::domain::organ::{self, Jst};
use crate::domain::records::OfficeForm;
use crate::domain::records::{self, FieldErrors};
use crate::domain::teryt::Teryt;
use crate::service::cases::{self as service, sender, signature};
use crate::store::cases::Case;
use crate::store::letters::{self as store, Letter, NewLetter, Template};
use crate::store::{offices, teryt};
use crate::web::case_files;
use crate::web::extract::{Form as BodyForm, Path, Query};
use crate::web::session::{Signed, Visitor};
use crate::web::{Error, Result};

pub const TEMPLATES: &str = "/admin/szablony-pism";

pub fn router() -> Router<AppState> {
    Router::new()
        .route(&format!("{BASE}/{{id}}/pismo"), get(draft).post(create))
        .route(
            &format!("{BASE}/{{id}}/pisma/{{letter}}/wysylka"),
            post(sending),
        )
        .route(
            &format!("{BASE}/{{id}}/pisma/{{letter}}/przedluzenie"),
            post(notice),
        )
        .route(
            &format!("{BASE}/{{id}}/pisma/{{letter}}/odpowiedz"),
            post(reply),
        )
        .route(TEMPLATES, get(templates))
        .route(
            &format!("{TEMPLATES}/{{code}}"),
            get(template_page).post(save_template),
        )
}

fn letter_url(case: i64, letter: i64, what: &str) -> String {
    format!("{}/pisma/{letter}/{what}", url(case))
}

fn day(d: Option<Date>) -> String {
    d.map(format::date).unwrap_or_else(|| "—".into())
}

/// The letters part of a case's page: the table, a link per template, and
/// the forms each letter still needs.
pub async fn blocks(
    state: &AppState,
    staff: &Staff,
    v: &Visitor,
    c: &Case,
    errors: &FieldErrors,
    mut page: Page,
) -> Result<Page> {
    let list = store::of_case(state.db(), c.id).await?;
    page = page
        .block(Block::Heading("Pisma".into()))
        .block(Block::Table(table(c, &list)));
    if !staff.can(Area::Cases, Action::Change) || c.status == Status::Closed {
        return Ok(page);
    }
    let today = state.clock().now().to_zoned(crate::clock::warsaw()).date();
    let reminder = reminder_rule(&list, today);
    let mut links = Vec::new();
    let mut later = None;
    for t in store::templates(state.db()).await? {
        if t.code == REMINDER {
            if let Err(e) = reminder {
                later = Some(e.to_string());
                continue;
            }
        }
        links.push((
            format!("{}/pismo?szablon={}", url(c.id), t.code),
            format!("Nowe pismo: {}", t.name),
        ));
    }
    page = page.block(Block::Links(links));
    if let Some(why) = later {
        page = page.block(Block::Text(format!("Przypomnienie: {why}")));
    }
    for l in &list {
        for form in forms(v, c, l, today, errors) {
            page = page.block(Block::Form(form));
        }
    }
    Ok(page)
}

/// The case's letters: when dated, sent, delivered, due and answered.
fn table(c: &Case, list: &[Letter]) -> Table {
    let mut t = Table::new(
        "Pisma do urzędu",
        &[
            "Pismo",
            "Z dnia",
            "Wysłano",
            "Doręczono",
            "Termin odpowiedzi",
            "Odpowiedź",
        ],
    );
    t.total = list.len() as i64;
    t.rows = list
        .iter()
        .map(|l| {
            vec![
                Cell::link(
                    l.title.clone(),
                    format!("{}/pliki/{}", url(c.id), l.attachment_id),
                ),
                format::date(l.dated_on).into(),
                match (l.sent_via, l.sent_on) {
                    (Some(via), Some(on)) => {
                        format!("{} ({})", format::date(on), via.label()).into()
                    }
                    _ => "nie".into(),
                },
                day(l.delivered_on).into(),
                day(l.reply_due).into(),
                day(l.replied_on).into(),
            ]
        })
        .collect();
    t
}

/// The forms a letter still needs: its sending; once sent, the office's
/// reply and, for a request for public information, the notice of a
/// longer deadline.
fn forms(v: &Visitor, c: &Case, l: &Letter, today: Date, errors: &FieldErrors) -> Vec<Form> {
    let today = today.to_string();
    if l.sent_on.is_none() {
        return vec![
            Form::post(
                letter_url(c.id, l.id, "wysylka"),
                &v.csrf,
                "Zapisz wysyłkę",
                vec![
                    Field::select("via", &format!("„{}” — jak wysłano", l.title), "", SentVia::ALL.iter().map(|s| (s.code(), s.label()))),
                    Field::new("sent_on", "Data wysłania", Kind::Date, today.clone()).required(),
                    Field::new("delivered_on", "Data doręczenia", Kind::Date, "").hint(
                        "Od niej biegnie termin odpowiedzi. Przy e-mailu i ePUAP puste oznacza dzień wysłania; przy poczcie jest wymagana: wpisz datę z potwierdzenia odbioru i zapisz wysyłkę, gdy ją znasz.",
                    ),
                ],
            )
            .with_errors(errors),
        ];
    }
    if l.replied_on.is_some() {
        return Vec::new();
    }
    let mut forms = vec![Form::post(
        letter_url(c.id, l.id, "odpowiedz"),
        &v.csrf,
        "Zapisz odpowiedź",
        vec![
            Field::new(
                "replied_on",
                &format!("„{}” — data odpowiedzi urzędu", l.title),
                Kind::Date,
                today.clone(),
            )
            .required(),
            Field::new("reply_note", "Co odpowiedział urząd", Kind::TextArea, "")
                .hint("Skan odpowiedzi dodaj w części Pliki."),
        ],
    )
    .with_errors(errors)];
    if l.public_information && l.notified_on.is_none() {
        forms.push(
            Form::post(
                letter_url(c.id, l.id, "przedluzenie"),
                &v.csrf,
                "Zapisz powiadomienie",
                vec![Field::new("notified_on", &format!("„{}” — urząd powiadomił o przedłużeniu terminu", l.title), Kind::Date, today.clone())
                    .hint("Powiadomienie w ciągu 14 dni wydłuża termin do 2 miesięcy od doręczenia wniosku (art. 13 ust. 2 ustawy o dostępie do informacji publicznej).")],
            )
            .with_errors(errors),
        );
    }
    forms
}

/// The template of reminders: it follows a sent letter whose reply is
/// overdue (`letters::check_reminder`).
const REMINDER: &str = "reminder";

/// Whether a reminder may be written now, after the case's letters.
fn reminder_rule(list: &[Letter], today: Date) -> Result<(), letters::ReminderError> {
    let last = list
        .iter()
        .rev()
        .find(|l| l.sent_on.is_some())
        .map(|l| letters::Earlier {
            reply_due: l.reply_due,
            replied: l.replied_on.is_some(),
        });
    letters::check_reminder(last, today)
}

/// What a letter of a case is made from: the values of the template's
/// placeholders, the lines it is addressed to (the organ, its office, the
/// office's address), and what the office's record says of itself.
struct Draft {
    values: Vec<(&'static str, String)>,
    recipient: Vec<String>,
    /// The JST whose office's record is kept (where staff fill it in).
    teryt: String,
    /// The office's record has a postal address.
    has_address: bool,
    /// The notes on the office's record (the demo's say its data is
    /// illustrative).
    notes: String,
}

/// The day a case was reported, by Warsaw's calendar.
fn reported_on(c: &Case) -> Option<Date> {
    Some(c.created_at.to_zoned(crate::app::warsaw()).date())
}

/// Who a case's letters go to: the office's record (kept under either
/// code of a city with powiat rights), the organ and the office by name.
struct Addressee {
    office: OfficeForm,
    kept_under: String,
    organ_name: String,
    office_name: String,
}

async fn addressee(state: &AppState, c: &Case) -> Result<Addressee> {
    let teryt = c
        .local_government
        .as_deref()
        .and_then(|t| Teryt::parse(t).ok())
        .ok_or_else(|| {
            Error::BadRequest(
                "Najpierw wskaż JST sprawy (część „Prowadzenie i powiązania”).".into(),
            )
        })?;
    let unit = teryt::get(state.db(), &teryt)
        .await?
        .ok_or(Error::NotFound)?;
    let jst = Jst {
        kind: unit.kind,
        teryt: &unit.teryt,
        name: &unit.name,
    };
    // A city with powiat rights has two codes; its office may be kept
    // under either.
    let mut office = offices::get(state.db(), &unit.teryt).await?;
    let mut kept_under = unit.teryt.clone();
    if office == OfficeForm::default() {
        if let Some(pair) = jst.pair() {
            let other = offices::get(state.db(), &pair).await?;
            if other != OfficeForm::default() {
                office = other;
                kept_under = pair;
            }
        }
    }
    let president = state.settings().presidents.contains(&unit.teryt);
    let organ_name = if !c.addressee.is_empty() {
        c.addressee.clone()
    } else if office.organ.is_empty() {
        organ::organ(jst, president)
    } else {
        office.organ.clone()
    };
    let office_name = if office.office_name.is_empty() {
        organ::office(jst)
    } else {
        office.office_name.clone()
    };
    Ok(Addressee {
        office,
        kept_under,
        organ_name,
        office_name,
    })
}

async fn values(state: &AppState, c: &Case) -> Result<Draft> {
    let Addressee {
        office,
        kept_under,
        organ_name,
        office_name,
    } = addressee(state, c).await?;
    let settings = state.settings();
    let recipient = letters::recipient(&organ_name, &office_name, &office.address);
    let earlier = store::of_case(state.db(), c.id).await?;
    let last_sent = earlier.iter().rev().find(|l| l.sent_on.is_some());
    let mut values = vec![
        ("urzad", organ_name),
        ("adres_urzedu", recipient[1..].join(", ")),
        ("znak", c.number.clone()),
        ("kategoria", letters::matter(c.subject).to_owned()),
        ("podstawa_prawna", letters::legal_basis(c.subject)),
        (
            "opis",
            if c.monitoring_year.is_some() {
                letters::monitor_facts(&c.description)
            } else {
                letters::description(c.share_description, &c.description)
            },
        ),
        (
            "zglaszajacy",
            letters::reporter(c.reveal_identity, &c.organisation_name),
        ),
        (
            "data_zgloszenia",
            format!(
                "{} r.",
                reported_on(c)
                    .map(crate::domain::format::date)
                    .unwrap_or_default()
            ),
        ),
        ("email_nadawcy", settings.sender_email.clone()),
        (
            "bezczynnosc",
            letters::inaction_notice(last_sent.is_some_and(|l| l.public_information)),
        ),
    ];
    // Without an earlier letter the placeholder stays as written, and the
    // letter is not made until someone replaces it.
    if let Some(on) = last_sent.and_then(|l| l.sent_on) {
        values.push(("poprzednie_pismo", format!("{} r.", format::date(on))));
    }
    Ok(Draft {
        values,
        recipient,
        teryt: kept_under,
        has_address: !office.address.trim().is_empty(),
        notes: office.notes.trim().to_owned(),
    })
}

/// Refuses a reminder the case does not call for yet.
async fn check_template(state: &AppState, c: &Case, t: &Template) -> Result<()> {
    if t.code != REMINDER {
        return Ok(());
    }
    let list = store::of_case(state.db(), c.id).await?;
    reminder_rule(
        &list,
        state.clock().now().to_zoned(crate::clock::warsaw()).date(),
    )
    .map_err(|e| Error::BadRequest(e.to_string()))
}

/// Why no letter can be made to this office, with a link to its record.
fn no_address(d: &Draft) -> Block {
    Block::Links(vec![(
        format!("{}/{}", super::paths::JST, d.teryt),
        "Urząd nie ma adresu pocztowego, więc pisma nie da się zaadresować. Uzupełnij adres na karcie JST."
            .into(),
    )])
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DraftQuery {
    szablon: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DraftForm {
    template: String,
    title: String,
    dated_on: String,
    body: String,
    signatory_function: String,
}

fn draft_page(
    staff: &Staff,
    v: &Visitor,
    c: &Case,
    d: &Draft,
    f: &DraftForm,
    errors: &FieldErrors,
) -> Page {
    let help: Vec<String> = PLACEHOLDERS
        .iter()
        .map(|(k, d)| format!("{{{{{k}}}}} — {d}"))
        .collect();
    let mut page = Page::new(
        format!("Nowe pismo w sprawie {}", c.number),
        Some(staff),
        &v.csrf,
    )
    .section(BASE);
    if !d.has_address {
        page = page.block(no_address(d));
    }
    if d.has_address {
        page = page.block(Block::Facts(vec![(
            "Adresat pisma".into(),
            d.recipient.join(", ").into(),
        )]));
    }
    if !d.notes.is_empty() {
        page = page.block(Block::Text(format!("Z karty urzędu: {}", d.notes)));
    }
    page.block(Block::Text(
            "Treść wypełniono danymi sprawy; popraw ją przed utworzeniem pisma. Nazwę zgłaszającej organizacji i opis ze zgłoszenia podajemy tylko wtedy, gdy zgłaszający na to pozwolił.".into(),
        ))
        .block(Block::Form(
            Form::post(
                format!("{}/pismo", url(c.id)),
                &v.csrf,
                "Utwórz pismo (PDF)",
                vec![
                    Field::new("template", "", Kind::Hidden, f.template.clone()),
                    Field::text("title", "Tytuł pisma", f.title.clone()).required(),
                    Field::new("dated_on", "Data pisma", Kind::Date, f.dated_on.clone()).required(),
                    Field::new("body", "Treść (Markdown)", Kind::TextArea, f.body.clone())
                        .required()
                        .hint(&format!("Akapity oddziel pustym wierszem; wypunktowania zaczynaj od „- ”. Pola: {}.", help.join("; "))),
                    Field::text("signatory_function", "Funkcja osoby podpisującej", f.signatory_function.clone())
                        .hint("Drukowana pod podpisem, np. „Koordynatorka projektu”; puste: bez funkcji."),
                ],
            )
            .with_errors(errors),
        ))
        .block(Block::Links(vec![(url(c.id), "Wróć do sprawy".into())]))
}

async fn template_of(state: &AppState, code: &str) -> Result<Template> {
    store::template(state.db(), code)
        .await?
        .ok_or(Error::NotFound)
}

async fn draft(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    Path(id): Path<i64>,
    Query(q): Query<DraftQuery>,
) -> Result<Response> {
    let c = open_case(&state, &staff, id).await?;
    let t = template_of(&state, &q.szablon).await?;
    check_template(&state, &c, &t).await?;
    let d = values(&state, &c).await?;
    let f = DraftForm {
        template: t.code.clone(),
        title: t.name.clone(),
        dated_on: state
            .clock()
            .now()
            .to_zoned(crate::clock::warsaw())
            .date()
            .to_string(),
        body: if c.monitoring_year.is_some() {
            letters::fill(&letters::found_in_monitor(&t.body_md), &d.values)
        } else {
            letters::fill(&t.body_md, &d.values)
        },
        signatory_function: state.settings().signatory_function.clone(),
    };
    draft_page(&staff, &v, &c, &d, &f, &FieldErrors::default()).render()
}

/// Checks a letter's draft: its title, date (after the report, not after
/// today; a reminder's after the deadline it recalls), body and the
/// signatory's function; gives the date if it was typed right.
async fn check_draft(
    state: &AppState,
    c: &Case,
    t: &Template,
    f: &DraftForm,
    errors: &mut FieldErrors,
) -> Result<Option<Date>> {
    let title = f.title.trim();
    if title.is_empty() || title.chars().count() > 200 {
        errors.add("title", "Podaj tytuł pisma (najwyżej 200 znaków).");
    } else if let Some(left) = letters::unfilled(title) {
        errors.add(
            "title",
            format!("W tytule zostało pole {left}; wpisz w jego miejsce tekst."),
        );
    }
    let dated_on = date_field(errors, "dated_on", &f.dated_on, None);
    if let (Some(on), Some(reported)) = (dated_on, reported_on(c)) {
        if let Err(e) = letters::check_dated(
            on,
            reported,
            state.clock().now().to_zoned(crate::clock::warsaw()).date(),
        ) {
            errors.add("dated_on", e.to_string());
        }
    }
    // A reminder is also dated after the deadline it recalls.
    if let (Some(on), true) = (dated_on, t.code == REMINDER) {
        let list = store::of_case(state.db(), c.id).await?;
        if let Err(e) = reminder_rule(&list, on) {
            errors.add("dated_on", format!("Data przypomnienia: {e}"));
        }
    }
    if f.body.trim().is_empty() || f.body.chars().count() > 50_000 {
        errors.add("body", "Wpisz treść pisma (najwyżej 50 000 znaków).");
    } else if let Some(left) = letters::unfilled(&f.body) {
        errors.add(
            "body",
            format!("W treści zostało pole {left}, którego nie wypełniono danymi sprawy; wpisz w jego miejsce właściwy tekst."),
        );
    }
    let function = f.signatory_function.trim();
    if function.chars().count() > 200 {
        errors.add("signatory_function", "Najwyżej 200 znaków.");
    }
    Ok(dated_on)
}

async fn create(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    Path(id): Path<i64>,
    BodyForm(f): BodyForm<DraftForm>,
) -> Result<Response> {
    let c = open_case(&state, &staff, id).await?;
    let t = template_of(&state, &f.template).await?;
    check_template(&state, &c, &t).await?;
    let d = values(&state, &c).await?;
    let mut errors = FieldErrors::default();
    let dated_on = check_draft(&state, &c, &t, &f, &mut errors).await?;
    let title = f.title.trim();
    let function = f.signatory_function.trim();
    let Some(dated_on) = dated_on.filter(|_| errors.is_empty() && d.has_address) else {
        return invalid(draft_page(&staff, &v, &c, &d, &f, &errors));
    };
    let recipient = d.recipient;
    let settings = state.settings();
    let site = state.site();
    let pdf = crate::service::cases::letter_pdf::pdf(&letters::PrintedLetter {
        sender: sender(settings, site.lead_name()),
        recipient,
        place: settings.letter_place.clone(),
        dated_on,
        reference: c.number.clone(),
        title: title.to_owned(),
        body_md: f.body.clone(),
        signature: signature(settings, &staff.name, function),
    })?;
    let name = format!("{} {} {}.pdf", title, c.number.replace('/', "-"), dated_on);
    let stored = case_files::save(settings, &name, FileType::Pdf, &pdf).await?;
    store::create(
        state.db(),
        staff.account_id,
        &NewLetter {
            case_id: c.id,
            template: &t,
            title,
            dated_on,
            body_md: &f.body,
            pdf: &stored,
            signatory_function: function,
        },
        state.clock().now(),
    )
    .await?;
    Ok(done(c.id, "pismo"))
}

/// The case behind `id` if letters may be written in it: the person may
/// change it and it is not closed.
async fn open_case(state: &AppState, staff: &Staff, id: i64) -> Result<Case> {
    let c = found(state, staff, id, Action::Change).await?;
    if c.status == Status::Closed {
        return Err(Error::BadRequest(
            "Sprawa jest zamknięta; nowych pism się w niej nie pisze.".into(),
        ));
    }
    Ok(c)
}

/// The letter `letter` of case `id`, if the person may change the case.
async fn letter_of(
    state: &AppState,
    staff: &Staff,
    id: i64,
    letter: i64,
) -> Result<(Case, Letter)> {
    let c = found(state, staff, id, Action::Change).await?;
    let l = store::get(state.db(), letter)
        .await?
        .filter(|l| l.case_id == id)
        .ok_or(Error::NotFound)?;
    Ok((c, l))
}

/// A date field: empty gives `default`, a bad one a message.
fn date_field(
    errors: &mut FieldErrors,
    field: &'static str,
    typed: &str,
    default: Option<Date>,
) -> Option<Date> {
    let t = typed.trim();
    if t.is_empty() {
        if default.is_none() {
            errors.add(field, "To pole jest wymagane.");
        }
        return default;
    }
    let parsed = t.parse::<Date>().ok();
    if parsed.is_none() {
        errors.add(field, "Podaj datę w postaci RRRR-MM-DD, np. 2026-11-30.");
    }
    parsed
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SendingForm {
    via: String,
    sent_on: String,
    delivered_on: String,
}

async fn sending(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    Path((id, letter)): Path<(i64, i64)>,
    BodyForm(f): BodyForm<SendingForm>,
) -> Result<Response> {
    let (c, l) = letter_of(&state, &staff, id, letter).await?;
    let mut errors = FieldErrors::default();
    let via = SentVia::from_code(&f.via);
    if via.is_none() {
        errors.add("via", "Wybierz, jak wysłano pismo.");
    }
    let sent_on = date_field(&mut errors, "sent_on", &f.sent_on, None);
    let typed = if f.delivered_on.trim().is_empty() {
        None
    } else {
        date_field(&mut errors, "delivered_on", &f.delivered_on, None)
    };
    let delivered_on = match (via, sent_on) {
        (Some(via), Some(sent_on)) => match letters::delivery(via, sent_on, typed) {
            Ok(d) => Some(d),
            Err(e) => {
                errors.add(e.field(), e.to_string());
                None
            }
        },
        _ => None,
    };
    let today = state.clock().now().to_zoned(crate::clock::warsaw()).date();
    if let (Some(via), Some(sent_on), Some(delivered_on), true) =
        (via, sent_on, delivered_on, errors.is_empty())
    {
        let now = state.clock().now();
        let db = state.db();
        let sending = (via, sent_on, delivered_on);
        match service::record_sending(db, staff.account_id, &l, sending, today, now).await? {
            Ok(_) => return Ok(done(id, "wyslano")),
            Err(store::Refused::Dates(e)) => errors.add(e.field(), e.to_string()),
            Err(e) => errors.add("via", e.to_string()),
        }
    }
    let kept = [
        ("via", &f.via),
        ("sent_on", &f.sent_on),
        ("delivered_on", &f.delivered_on),
    ];
    refused(&state, &staff, &v, &c, &errors, &kept).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct NoticeForm {
    notified_on: String,
}

async fn notice(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    Path((id, letter)): Path<(i64, i64)>,
    BodyForm(f): BodyForm<NoticeForm>,
) -> Result<Response> {
    let (c, l) = letter_of(&state, &staff, id, letter).await?;
    let mut errors = FieldErrors::default();
    if let Some(on) = date_field(&mut errors, "notified_on", &f.notified_on, None) {
        let now = state.clock().now();
        match service::record_notice(state.db(), staff.account_id, &l, on, now).await? {
            Ok(_) => return Ok(done(id, "zapisano")),
            Err(e) => errors.add("notified_on", e.to_string()),
        }
    }
    let kept = [("notified_on", &f.notified_on)];
    refused(&state, &staff, &v, &c, &errors, &kept).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ReplyForm {
    replied_on: String,
    reply_note: String,
}

async fn reply(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    Path((id, letter)): Path<(i64, i64)>,
    BodyForm(f): BodyForm<ReplyForm>,
) -> Result<Response> {
    let (c, l) = letter_of(&state, &staff, id, letter).await?;
    let mut errors = FieldErrors::default();
    records::optional(&mut errors, "reply_note", &f.reply_note, records::MAX_TEXT);
    if let Some(on) =
        date_field(&mut errors, "replied_on", &f.replied_on, None).filter(|_| errors.is_empty())
    {
        let now = state.clock().now();
        let db = state.db();
        let reply = (on, f.reply_note.as_str());
        match service::record_reply(db, staff.account_id, &l, reply, None, now).await? {
            Ok(()) => return Ok(done(id, "zapisano")),
            Err(e) => errors.add("replied_on", e.to_string()),
        }
    }
    let kept = [("replied_on", &f.replied_on), ("reply_note", &f.reply_note)];
    refused(&state, &staff, &v, &c, &errors, &kept).await
}

async fn templates(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    Query(n): Query<Notice>,
) -> Result<Response> {
    require(&staff, Area::LetterTemplates, Action::View)?;
    let all = store::templates(state.db()).await?;
    let mut t = Table::new("Szablony pism", &["Szablon", "Termin odpowiedzi"]);
    t.total = all.len() as i64;
    t.rows = all
        .iter()
        .map(|t| {
            vec![
                Cell::link(t.name.clone(), format!("{TEMPLATES}/{}", t.code)),
                (if t.public_information {
                    "14 dni, do 2 miesięcy po powiadomieniu"
                } else {
                    "14 dni"
                })
                .into(),
            ]
        })
        .collect();
    Page::new("Szablony pism", Some(&staff), &v.csrf)
        .section(BASE)
        .notice(super::notice(n.komunikat.as_deref()))
        .block(Block::Table(t))
        .render()
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct TemplateForm {
    name: String,
    body: String,
}

fn template_form(
    staff: &Staff,
    v: &Visitor,
    code: &str,
    f: &TemplateForm,
    errors: &FieldErrors,
) -> Page {
    let help: Vec<String> = PLACEHOLDERS
        .iter()
        .map(|(k, d)| format!("{{{{{k}}}}} — {d}"))
        .collect();
    let page = Page::new(format!("Szablon: {}", f.name), Some(staff), &v.csrf).section(BASE);
    if !staff.can(Area::LetterTemplates, Action::Change) {
        return page.block(Block::Preview(crate::web::layout::markdown(&f.body)));
    }
    page.block(Block::Form(
        Form::post(
            format!("{TEMPLATES}/{code}"),
            &v.csrf,
            "Zapisz szablon",
            vec![
                Field::text("name", "Nazwa", f.name.clone()).required(),
                Field::new("body", "Treść (Markdown)", Kind::TextArea, f.body.clone())
                    .required()
                    .hint(&format!("Pola wstawiane ze sprawy: {}.", help.join("; "))),
            ],
        )
        .with_errors(errors),
    ))
    .block(Block::Links(vec![(
        TEMPLATES.to_owned(),
        "Wszystkie szablony".into(),
    )]))
}

async fn template_page(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    Path(code): Path<String>,
) -> Result<Response> {
    require(&staff, Area::LetterTemplates, Action::View)?;
    let t = template_of(&state, &code).await?;
    template_form(
        &staff,
        &v,
        &code,
        &TemplateForm {
            name: t.name,
            body: t.body_md,
        },
        &FieldErrors::default(),
    )
    .render()
}

async fn save_template(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    Path(code): Path<String>,
    BodyForm(f): BodyForm<TemplateForm>,
) -> Result<Response> {
    require(&staff, Area::LetterTemplates, Action::Change)?;
    template_of(&state, &code).await?;
    let mut errors = FieldErrors::default();
    if f.name.trim().is_empty() || f.name.chars().count() > 200 {
        errors.add("name", "Podaj nazwę (najwyżej 200 znaków).");
    }
    if f.body.trim().is_empty() || f.body.chars().count() > 50_000 {
        errors.add("body", "Wpisz treść szablonu (najwyżej 50 000 znaków).");
    }
    if !errors.is_empty() {
        return invalid(template_form(&staff, &v, &code, &f, &errors));
    }
    store::save_template(
        state.db(),
        staff.account_id,
        &code,
        f.name.trim(),
        &f.body,
        state.clock().now(),
    )
    .await?;
    Ok(Redirect::to(&format!("{TEMPLATES}?komunikat=zapisano")).into_response())
}
