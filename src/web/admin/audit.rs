//! The audit log for admins: every change, newest first, filtered by
//! record type, record, action or person.

use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde::Deserialize;

use super::paths::AUDIT as BASE;
use super::ui::{Block, Field, Form, Kind, Page, Table};
use super::{export, require};
use crate::app::AppState;
use crate::domain::access::{Action, Area};
use crate::domain::audit::{action_label, changes, entity_label, ACTIONS, ENTITIES};
use crate::store::audit::{self, Filter};
use crate::web::extract::Query;
use crate::web::session::Signed;
use crate::web::Result;

pub fn router() -> Router<AppState> {
    Router::new().route(BASE, get(list))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AuditQuery {
    entity: String,
    entity_id: String,
    action: String,
    account: String,
    strona: Option<String>,
    format: String,
}

async fn list(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    Query(q): Query<AuditQuery>,
) -> Result<Response> {
    require(&staff, Area::Audit, Action::View)?;
    let filter = Filter {
        entity: q.entity.clone(),
        entity_id: q.entity_id.clone(),
        action: q.action.clone(),
        account_id: q.account.parse().ok(),
    };
    let w = export::Window::of(&q.format, q.strona.as_deref())?;
    let found = audit::list(state.db(), &filter, w.limit, w.offset).await?;
    let mut t = Table::new(
        "Dziennik zmian",
        &["Kiedy", "Kto", "Działanie", "Rekord", "Nr", "Zmiany"],
    );
    t.total = found.total;
    t.rows = found
        .items
        .iter()
        .map(|l| {
            let json = |t: &Option<String>| {
                t.as_deref()
                    .and_then(|t| serde_json::from_str::<serde_json::Value>(t).ok())
            };
            let (before, after) = (json(&l.before), json(&l.after));
            vec![
                when(&l.at).into(),
                l.account.clone().unwrap_or_else(|| "system".into()).into(),
                action_label(&l.action).into(),
                entity_label(&l.entity).into(),
                l.entity_id.clone().into(),
                changes(&l.entity, before.as_ref(), after.as_ref())
                    .join("\n")
                    .into(),
            ]
        })
        .collect();
    if let Some(file) = w.file(&t, "dziennik-zmian") {
        return file;
    }
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (k, val) in [
        ("entity", &q.entity),
        ("entity_id", &q.entity_id),
        ("action", &q.action),
        ("account", &q.account),
    ] {
        if !val.is_empty() {
            query.append_pair(k, val);
        }
    }
    let query = query.finish();
    let base = if query.is_empty() {
        BASE.to_owned()
    } else {
        format!("{BASE}?{query}")
    };
    w.decorate(&mut t, &base);
    Page::new("Dziennik zmian", Some(&staff), &v.csrf)
        .section(BASE)
        .block(Block::Text(
            "Dane osobowe występują tu tylko jako numery rekordów.".into(),
        ))
        .block(Block::Form(Form::filter(
            BASE,
            vec![
                Field::select(
                    "entity",
                    "Rodzaj rekordu",
                    q.entity.clone(),
                    std::iter::once(("", "wszystkie")).chain(ENTITIES.iter().copied()),
                ),
                Field::text("entity_id", "Numer rekordu", q.entity_id.clone()),
                Field::select(
                    "action",
                    "Działanie",
                    q.action.clone(),
                    std::iter::once(("", "wszystkie")).chain(ACTIONS.iter().copied()),
                ),
                Field::new("account", "Numer konta", Kind::Text, q.account.clone()),
            ],
        )))
        .block(Block::Table(t))
        .render()
}

/// "2026-12-02T05:10:00Z" as Warsaw time: "2 grudnia 2026, 06:10".
fn when(at: &str) -> String {
    at.parse::<jiff::Timestamp>()
        .map(|t| {
            let local = t.to_zoned(crate::app::warsaw());
            format!(
                "{}, {}",
                crate::domain::format::date(local.date()),
                local.strftime("%H:%M")
            )
        })
        .unwrap_or_else(|_| at.to_owned())
}
