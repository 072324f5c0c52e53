//! Building queries: filtered lists (`Where`), multi-row `VALUES` and
//! `IN` lists, ranges of TERYT codes, folded text for search.
//!
//! No SQL comes here from outside the store: `Where` takes only `&'static
//! str` fragments and binds every value as a parameter.

use super::{Db, Engine, Result};
use crate::domain::access::Scope;
use sqlx::Any;

/// Bounds `[low, high)` of the TERYT codes that start with `prefix`: every
/// unit inside another shares its code's prefix, and a range (unlike
/// `LIKE`) is answered from an index on both engines. Codes are digits, and
/// ':' sorts right after '9'.
pub(super) fn code_range(prefix: &str) -> (String, String) {
    (prefix.to_owned(), format!("{prefix}:"))
}

/// How many rows of `table` lie in a unit or inside it (by their
/// `local_government` column).
pub(super) async fn count_within(db: &Db, table: &'static str, prefix: &str) -> Result<i64> {
    let (low, high) = code_range(prefix);
    let sql = format!(
        "SELECT COUNT(*) FROM {table} WHERE local_government >= $1 AND local_government < $2"
    );
    Ok(sqlx::query_scalar(&sql)
        .bind(low)
        .bind(high)
        .fetch_one(&db.pool)
        .await?)
}

/// A statement whose text changes with the size of a batch (a `VALUES`
/// or `IN` list): prepared for this run only, so that its many shapes do
/// not push the statements used on every request out of a connection's
/// cache.
pub(super) fn batch_query(sql: &str) -> sqlx::query::Query<'_, Any, sqlx::any::AnyArguments<'_>> {
    sqlx::query(sql).persistent(false)
}

/// Ids for `IN (…)`: numbers from the database, written into the text as
/// such (nothing a user typed).
pub(super) fn id_list(ids: &[i64]) -> String {
    ids.iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// `rows` parenthesised groups of `columns` parameters, for a multi-row
/// `VALUES`: `(?, ?), (?, ?)` on SQLite, which looks named parameters
/// (`$n`) up by a linear scan and so makes a statement with thousands of
/// them quadratic, while its anonymous `?` are numbered in order at no
/// cost; `($1, $2), ($3, $4)` on PostgreSQL. The statement must have no
/// other parameters.
pub(super) fn values(engine: Engine, rows: usize, columns: usize) -> String {
    let mut sql = String::with_capacity(rows * columns * 4);
    for r in 0..rows {
        sql.push_str(if r == 0 { "(" } else { ", (" });
        for c in 0..columns {
            if c > 0 {
                sql.push_str(", ");
            }
            match engine {
                Engine::Sqlite => sql.push('?'),
                Engine::Postgres => {
                    sql.push('$');
                    sql.push_str(&(r * columns + c + 1).to_string());
                }
            }
        }
        sql.push(')');
    }
    sql
}

/// A value bound to a `Where`'s parameter.
#[derive(Clone, Debug)]
enum Value {
    Text(String),
    Int(i64),
}

/// A `WHERE` clause being built: conditions (fixed SQL fragments) joined
/// by `AND`, every value bound as a parameter.
#[derive(Clone, Debug)]
pub struct Where {
    sql: String,
    binds: Vec<Value>,
}

impl Default for Where {
    fn default() -> Self {
        Where {
            sql: "1 = 1".into(),
            binds: Vec::new(),
        }
    }
}

impl Where {
    /// The placeholder of a new parameter holding `value`.
    fn parameter(&mut self, value: Value) -> String {
        self.binds.push(value);
        format!("${}", self.binds.len())
    }

    /// Adds `cond`, its `?` standing for a new parameter holding `value`.
    fn with(&mut self, cond: &'static str, value: Value) -> &mut Self {
        let n = self.parameter(value);
        self.sql.push_str(" AND ");
        self.sql.push_str(&cond.replace('?', &n));
        self
    }

    /// Adds a condition with one text parameter, written `?` in `cond`.
    pub fn text(&mut self, cond: &'static str, value: impl Into<String>) -> &mut Self {
        self.with(cond, Value::Text(value.into()))
    }

    /// Adds a condition with one integer parameter, written `?` in `cond`.
    pub fn int(&mut self, cond: &'static str, value: i64) -> &mut Self {
        self.with(cond, Value::Int(value))
    }

    /// Adds a condition with no parameters.
    pub fn raw(&mut self, cond: &'static str) -> &mut Self {
        self.sql.push_str(" AND ");
        self.sql.push_str(cond);
        self
    }

    /// `column` folded (`fold_sql`) matches the `LIKE` pattern `pattern`.
    pub fn folded_like(&mut self, column: &'static str, pattern: impl Into<String>) -> &mut Self {
        let n = self.parameter(Value::Text(pattern.into()));
        self.sql.push_str(" AND ");
        self.sql.push_str(&fold_sql(column));
        self.sql.push_str(" LIKE ");
        self.sql.push_str(&n);
        self
    }

    /// `column` is one of `values`; none: nothing matches.
    pub fn any_of<S: Into<String>>(
        &mut self,
        column: &'static str,
        values: impl IntoIterator<Item = S>,
    ) -> &mut Self {
        let values = values.into_iter().map(|v| Value::Text(v.into())).collect();
        self.in_list(column, values)
    }

    fn in_list(&mut self, column: &'static str, values: Vec<Value>) -> &mut Self {
        if values.is_empty() {
            return self.raw("1 = 0");
        }
        let list: Vec<String> = values.into_iter().map(|v| self.parameter(v)).collect();
        self.sql.push_str(" AND ");
        self.sql.push_str(column);
        self.sql.push_str(" IN (");
        self.sql.push_str(&list.join(", "));
        self.sql.push(')');
        self
    }

    /// Records inside a unit, by a TERYT column.
    pub fn within(&mut self, column: &'static str, prefix: &str) -> &mut Self {
        let (low, high) = code_range(prefix);
        let (low, high) = (
            self.parameter(Value::Text(low)),
            self.parameter(Value::Text(high)),
        );
        self.sql
            .push_str(&format!(" AND {column} >= {low} AND {column} < {high}"));
        self
    }

    /// Limits rows to what a scope reaches. `unit` is the TERYT column,
    /// `trainer` the trainer's account column and `project` the project
    /// column, where the table has them; a scope whose column the table
    /// lacks reaches nothing.
    pub fn scope(
        &mut self,
        scope: &Scope,
        unit: Option<&'static str>,
        trainer: Option<&'static str>,
        project: Option<&'static str>,
    ) -> &mut Self {
        let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit()) && !s.is_empty();
        match scope {
            Scope::All => self,
            Scope::Within(areas) => match unit {
                Some(col) => {
                    let areas: Vec<&String> = areas.iter().filter(|a| digits(a)).collect();
                    if areas.is_empty() {
                        return self.raw("1 = 0");
                    }
                    let mut parts = Vec::new();
                    for area in areas {
                        let (low, high) = code_range(area);
                        let low = self.parameter(Value::Text(low));
                        let high = self.parameter(Value::Text(high));
                        parts.push(format!("({col} >= {low} AND {col} < {high})"));
                    }
                    self.sql.push_str(&format!(" AND ({})", parts.join(" OR ")));
                    self
                }
                None => self.raw("1 = 0"),
            },
            Scope::TrainerOf(id) => match trainer {
                Some(col) => {
                    let n = self.parameter(Value::Int(*id));
                    self.sql.push_str(&format!(" AND {col} = {n}"));
                    self
                }
                None => self.raw("1 = 0"),
            },
            Scope::Projects(ids) => match project {
                Some(col) => self.in_list(col, ids.iter().copied().map(Value::Int).collect()),
                None => self.raw("1 = 0"),
            },
        }
    }

    pub fn sql(&self) -> &str {
        &self.sql
    }

    /// How many rows of `from` (a table or joins, with their aliases) the
    /// conditions keep: the total of a paged list.
    pub async fn count(&self, db: &Db, from: &'static str) -> Result<i64> {
        let sql = format!("SELECT COUNT(*) FROM {from} WHERE {}", self.sql);
        Ok(self
            .bind_scalar(sqlx::query_scalar(&sql))
            .fetch_one(db.pool())
            .await?)
    }

    /// Binds the parameters to a query built from `sql()`.
    pub fn bind<'q>(
        &'q self,
        q: sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>>,
    ) -> sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>> {
        self.binds.iter().fold(q, |q, b| match b {
            Value::Text(s) => q.bind(s.as_str()),
            Value::Int(i) => q.bind(*i),
        })
    }

    /// Binds the parameters to a `query_as` built from `sql()`.
    pub fn bind_as<'q, O>(
        &'q self,
        q: sqlx::query::QueryAs<'q, Any, O, sqlx::any::AnyArguments<'q>>,
    ) -> sqlx::query::QueryAs<'q, Any, O, sqlx::any::AnyArguments<'q>> {
        self.binds.iter().fold(q, |q, b| match b {
            Value::Text(s) => q.bind(s.as_str()),
            Value::Int(i) => q.bind(*i),
        })
    }

    /// Binds the parameters to a `query_scalar` built from `sql()`.
    pub fn bind_scalar<'q, O>(
        &'q self,
        q: sqlx::query::QueryScalar<'q, Any, O, sqlx::any::AnyArguments<'q>>,
    ) -> sqlx::query::QueryScalar<'q, Any, O, sqlx::any::AnyArguments<'q>> {
        self.binds.iter().fold(q, |q, b| match b {
            Value::Text(s) => q.bind(s.as_str()),
            Value::Int(i) => q.bind(*i),
        })
    }
}

/// SQL that folds a text column like `domain::search::fold` does for
/// Polish letters (lower case, no diacritics), for tables with few rows
/// and no stored search key.
pub fn fold_sql(column: &'static str) -> String {
    const PAIRS: &[(&str, &str)] = &[
        ("ą", "a"),
        ("ć", "c"),
        ("ę", "e"),
        ("ł", "l"),
        ("ń", "n"),
        ("ó", "o"),
        ("ś", "s"),
        ("ź", "z"),
        ("ż", "z"),
        ("Ą", "A"),
        ("Ć", "C"),
        ("Ę", "E"),
        ("Ł", "L"),
        ("Ń", "N"),
        ("Ó", "O"),
        ("Ś", "S"),
        ("Ź", "Z"),
        ("Ż", "Z"),
    ];
    let mut e = column.to_owned();
    for (from, to) in PAIRS {
        e = format!("REPLACE({e}, '{from}', '{to}')");
    }
    format!("LOWER({e})")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_anonymous_on_sqlite_and_numbered_on_postgresql() {
        assert_eq!(values(Engine::Sqlite, 2, 3), "(?, ?, ?), (?, ?, ?)");
        assert_eq!(values(Engine::Postgres, 2, 2), "($1, $2), ($3, $4)");
        assert_eq!(values(Engine::Postgres, 1, 1), "($1)");
    }

    #[test]
    fn scopes_bind_their_values() {
        let mut w = Where::default();
        w.scope(
            &Scope::Within(vec!["1461".into(), "x' OR 1=1".into()]),
            Some("g.teryt"),
            None,
            None,
        );
        assert_eq!(w.sql(), "1 = 1 AND ((g.teryt >= $1 AND g.teryt < $2))");
        let mut w = Where::default();
        w.int("a.project_id = ?", 7)
            .scope(&Scope::Projects(vec![1, 2]), None, None, Some("p"));
        assert_eq!(w.sql(), "1 = 1 AND a.project_id = $1 AND p IN ($2, $3)");
        let mut w = Where::default();
        w.scope(&Scope::Projects(vec![]), None, None, Some("p"));
        assert_eq!(w.sql(), "1 = 1 AND 1 = 0");
    }
}
