//! Statements run one after another in a transaction, none needing the
//! answer of another: on SQLite sent as one text in one call to the
//! connection's thread (with sqlx every call is a hand-off to that thread
//! and back, and the group commit's writer makes its calls in turn while
//! every registration waits); on PostgreSQL, which takes one statement with
//! parameters per call, one by one.

use sqlx::any::AnyRow;

use super::{Engine, Result, Tx};

/// A bound value.
pub(super) enum Value<'q> {
    Int(Option<i64>),
    Text(Option<&'q str>),
}

impl<'q> From<&'q str> for Value<'q> {
    fn from(s: &'q str) -> Value<'q> {
        Value::Text(Some(s))
    }
}

impl<'q> From<Option<&'q str>> for Value<'q> {
    fn from(s: Option<&'q str>) -> Value<'q> {
        Value::Text(s)
    }
}

impl From<i64> for Value<'_> {
    fn from(n: i64) -> Self {
        Value::Int(Some(n))
    }
}

pub(super) struct Script<'q> {
    engine: Engine,
    statements: Vec<(String, Vec<Value<'q>>)>,
}

impl<'q> Script<'q> {
    pub fn new(engine: Engine) -> Script<'q> {
        Script {
            engine,
            statements: Vec::new(),
        }
    }

    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// The `n`-th (from 1) parameter of a statement: `$n` on PostgreSQL,
    /// `?` on SQLite, whose anonymous parameters are bound in order across
    /// the whole text — so a statement names each of its values once, in
    /// the order they are given.
    pub fn param(&self, n: usize) -> String {
        match self.engine {
            Engine::Sqlite => "?".to_owned(),
            Engine::Postgres => format!("${n}"),
        }
    }

    pub fn push(&mut self, sql: String, values: Vec<Value<'q>>) {
        self.statements.push((sql, values));
    }

    /// Runs the statements in order; the rows any of them return, in order.
    pub async fn run(self, tx: &mut Tx) -> Result<Vec<AnyRow>> {
        match self.engine {
            Engine::Sqlite if self.statements.is_empty() => Ok(Vec::new()),
            Engine::Sqlite => {
                let sql = self
                    .statements
                    .iter()
                    .map(|(sql, _)| sql.as_str())
                    .collect::<Vec<_>>()
                    .join(";\n");
                let values = self.statements.into_iter().flat_map(|(_, v)| v);
                Ok(bind(super::batch_query(&sql), values)
                    .fetch_all(&mut **tx)
                    .await?)
            }
            Engine::Postgres => {
                let mut rows = Vec::new();
                for (sql, values) in self.statements {
                    rows.extend(
                        bind(super::batch_query(&sql), values)
                            .fetch_all(&mut **tx)
                            .await?,
                    );
                }
                Ok(rows)
            }
        }
    }
}

fn bind<'q>(
    mut q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    values: impl IntoIterator<Item = Value<'q>>,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    for v in values {
        q = match v {
            Value::Int(n) => q.bind(n),
            Value::Text(t) => q.bind(t),
        };
    }
    q
}
