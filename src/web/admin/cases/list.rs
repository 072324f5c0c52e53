//! The list of cases, filtered and paged, as a page or a file.

use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;

use super::{day_of, status_text, subject, url, BASE, DEADLINES};
use crate::app::AppState;
use crate::domain::access::{Action, Area};
use crate::domain::cases::{Register, Status};
use crate::domain::format;
use crate::store::cases::{self, Filter};
use crate::web::admin::ui::{Block, Cell, Field, Form, Kind, Page, Table};
use crate::web::admin::{export, require};
use crate::web::extract::Query;
use crate::web::session::Signed;
use crate::web::{Error, Result};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct ListQuery {
    rejestr: String,
    stan: String,
    numer: String,
    otwarte: String,
    strona: Option<String>,
    format: String,
    komunikat: Option<String>,
}

impl ListQuery {
    /// The filter the address asks for; unknown codes are refused.
    fn filter(&self) -> Result<Filter> {
        let bad = |what: &str| Error::BadRequest(format!("Nieznany {what} w adresie strony."));
        Ok(Filter {
            register: match self.rejestr.as_str() {
                "" => None,
                r => Some(Register::from_code(r).ok_or_else(|| bad("rejestr"))?),
            },
            status: match self.stan.as_str() {
                "" => None,
                s => Some(Status::from_code(s).ok_or_else(|| bad("stan"))?),
            },
            open: self.otwarte == "1",
            number: match crate::domain::search::query_problem(&self.numer) {
                Some(problem) => return Err(Error::BadRequest(problem)),
                None => self.numer.clone(),
            },
        })
    }

    fn url(&self) -> String {
        let q = super::super::query(&[
            ("rejestr", &self.rejestr),
            ("stan", &self.stan),
            ("numer", &self.numer),
            ("otwarte", &self.otwarte),
        ]);
        super::super::with_query(BASE, &q)
    }
}

pub(super) async fn list(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    Query(q): Query<ListQuery>,
) -> Result<Response> {
    require(&staff, Area::Cases, Action::View)?;
    let filter = q.filter()?;
    let w = export::Window::of(&q.format, q.strona.as_deref())?;
    let found = cases::list(
        state.db(),
        &filter,
        &staff.scope(Area::Cases),
        w.limit,
        w.offset,
    )
    .await?;
    let mut t = Table::new(
        "Sprawy",
        &[
            "Numer",
            "Sprawa",
            "JST",
            "Stan",
            "Prowadzi",
            "Zgłoszono",
            "Termin odpowiedzi",
        ],
    );
    t.total = found.total;
    t.rows = found
        .items
        .iter()
        .map(|c| {
            vec![
                Cell::link(c.number.clone(), url(c.id)),
                subject(c).into(),
                c.jst_name.clone().unwrap_or_default().into(),
                status_text(c).into(),
                c.assignee_name.clone().unwrap_or_default().into(),
                day_of(c.created_at).into(),
                c.next_due.map(format::date).unwrap_or_default().into(),
            ]
        })
        .collect();
    if let Some(file) = w.file(&t, "sprawy") {
        return file;
    }
    w.decorate(&mut t, &q.url());
    Page::new("Sprawy", Some(&staff), &v.csrf)
        .section(BASE)
        .notice(super::super::notice(q.komunikat.as_deref()))
        .block(Block::Links(vec![(
            DEADLINES.to_owned(),
            "Terminy odpowiedzi".into(),
        )]))
        .block(Block::Form(filters(&q)))
        .block(Block::Table(t))
        .render()
}

/// The form of the list's filters, as the address set them.
fn filters(q: &ListQuery) -> Form {
    Form::filter(
        BASE,
        vec![
            Field::text("numer", "Numer sprawy", q.numer.clone())
                .hint("Cały numer, np. INT/2026/012, albo jego część."),
            Field::select(
                "rejestr",
                "Rodzaj",
                q.rejestr.clone(),
                [
                    ("", "wszystkie"),
                    ("INT", "interwencje"),
                    ("DOR", "doradztwo"),
                ],
            ),
            Field::select(
                "stan",
                "Stan",
                q.stan.clone(),
                std::iter::once(("", "każdy"))
                    .chain(Status::ALL.iter().map(|s| (s.code(), s.label()))),
            ),
            Field::new(
                "otwarte",
                "Tylko otwarte",
                Kind::Checkbox,
                if q.otwarte == "1" { "1" } else { "" },
            ),
        ],
    )
}
