//! Rate limits of public forms: each request is a row, counted over a
//! window per client address (in the database, so every instance sees the
//! same counts).

use std::collections::HashMap;

use super::script::{Script, Value};
use super::{Engine, Result, Tx};

/// Records requests of `kind`, each an address and a time, in one
/// statement of a script.
pub(super) fn count_into<'q>(script: &mut Script<'q>, kind: &'q str, hits: &[(&'q str, &'q str)]) {
    for chunk in hits.chunks(1000) {
        let rows = super::values(script.engine(), chunk.len(), 3);
        let values = chunk
            .iter()
            .flat_map(|(address, at)| [Value::from(kind), (*address).into(), (*at).into()])
            .collect();
        script.push(
            format!("INSERT INTO form_hit (kind, address, at) VALUES {rows}"),
            values,
        );
    }
}

/// Makes requests of the same addresses wait for each other's count until
/// the transaction ends: on PostgreSQL an advisory lock per address, taken
/// in sorted order (so two transactions cannot wait on each other), all in
/// one statement; SQLite's writers already take turns.
pub async fn lock(tx: &mut Tx, addresses: &[&str]) -> Result<()> {
    if tx.engine() != Engine::Postgres || addresses.is_empty() {
        return Ok(());
    }
    for chunk in addresses.chunks(1000) {
        let rows = super::values(tx.engine(), chunk.len(), 1);
        // The sorted list is fenced (OFFSET 0), so its rows, and the locks,
        // come in its order.
        let sql = format!(
            "SELECT CAST(COUNT(pg_advisory_xact_lock(hashtext('form_hit ' || a))::text) AS BIGINT) \
             FROM (SELECT a FROM (VALUES {rows}) v (a) ORDER BY a OFFSET 0) s"
        );
        let mut q = sqlx::query_scalar::<_, i64>(&sql).persistent(false);
        for address in chunk {
            q = q.bind(*address);
        }
        q.fetch_one(&mut **tx).await?;
    }
    Ok(())
}

/// When requests of `kind` came from each of `addresses` since `since`,
/// read inside the transaction that records the new ones (so concurrent
/// requests of one address are counted one after another). The rows are
/// few: no address gets more than its limit recorded.
pub async fn recent(
    tx: &mut Tx,
    kind: &str,
    addresses: &[&str],
    since: &str,
) -> Result<HashMap<String, Vec<String>>> {
    let mut times: HashMap<String, Vec<String>> = HashMap::new();
    for chunk in addresses.chunks(1000) {
        let list = super::values(tx.engine(), chunk.len(), 1);
        let (k, s) = match tx.engine() {
            Engine::Sqlite => ("?".to_owned(), "?".to_owned()),
            Engine::Postgres => (
                format!("${}", chunk.len() + 1),
                format!("${}", chunk.len() + 2),
            ),
        };
        let sql = format!(
            "SELECT address, at FROM form_hit WHERE address IN ({list}) AND kind = {k} AND at >= {s}"
        );
        // Prepared for this run only, as `batch_query`.
        let mut q = sqlx::query_as::<_, (String, String)>(&sql).persistent(false);
        for address in chunk {
            q = q.bind(*address);
        }
        for (address, at) in q.bind(kind).bind(since).fetch_all(&mut **tx).await? {
            times.entry(address).or_default().push(at);
        }
    }
    Ok(times)
}
