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
use crate::domain::audit::{action_label, changes, entity_label, jst_codes, ACTIONS, ENTITIES};
use crate::domain::teryt::Teryt;
use crate::store::audit::{self, Filter};
use crate::store::{teryt, Paged};
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
    let names = jst_names(&state, &found.items).await?;
    let mut t = table(&found, &names);
    if let Some(file) = w.file(&t, "dziennik-zmian") {
        return file;
    }
    let base = list_address(&q);
    w.decorate(&mut t, &base);
    Page::new("Dziennik zmian", Some(&staff), &v.csrf)
        .section(BASE)
        .block(Block::Text(
            "Dane osobowe występują tu tylko jako numery rekordów.".into(),
        ))
        .block(Block::Form(filter_form(&q)))
        .block(Block::Table(t))
        .render()
}

/// A stored JSON text, parsed.
fn json(t: &Option<String>) -> Option<serde_json::Value> {
    t.as_deref()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(t).ok())
}

/// JSTs the lines name, by their names as people write them, looked up
/// once a page.
async fn jst_names(state: &AppState, lines: &[audit::Line]) -> Result<Vec<(String, String)>> {
    let mut names: Vec<(String, String)> = Vec::new();
    for l in lines {
        for code in jst_codes(json(&l.before).as_ref(), json(&l.after).as_ref()) {
            if names.iter().any(|(c, _)| *c == code) {
                continue;
            }
            if let Ok(t) = Teryt::parse(&code) {
                if let Some(u) = teryt::get(state.db(), &t).await? {
                    names.push((code, u.display_name));
                }
            }
        }
    }
    Ok(names)
}

/// The log's lines as a table, changes spelled out.
fn table(found: &Paged<audit::Line>, names: &[(String, String)]) -> Table {
    let named = |code: &str| {
        names
            .iter()
            .find(|(c, _)| c == code)
            .map(|(_, n)| n.clone())
    };
    let mut t = Table::new(
        "Dziennik zmian",
        &["Kiedy", "Kto", "Działanie", "Rekord", "Nr", "Zmiany"],
    );
    t.total = found.total;
    t.rows = found
        .items
        .iter()
        .map(|l| {
            let (before, after) = (json(&l.before), json(&l.after));
            vec![
                crate::web::views::instant(&crate::clock::stamp(l.at)).into(),
                l.account.clone().unwrap_or_else(|| "system".into()).into(),
                action_label(&l.action).into(),
                entity_label(&l.entity).into(),
                l.entity_id.clone().into(),
                changes(&l.entity, before.as_ref(), after.as_ref(), &named)
                    .join("\n")
                    .into(),
            ]
        })
        .collect();
    t
}

/// The list's address with its filters, for the pager.
fn list_address(q: &AuditQuery) -> String {
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
    if query.is_empty() {
        BASE.to_owned()
    } else {
        format!("{BASE}?{query}")
    }
}

fn filter_form(q: &AuditQuery) -> Form {
    Form::filter(
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
    )
}
