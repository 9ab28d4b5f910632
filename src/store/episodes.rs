//! Drift episodes and drift spans, kept up to date as runs complete so the
//! fleet report reads two small tables instead of re-deriving them from every
//! run of the period (migration 0009 describes the tables).
//!
//! Folding a workspace walks its succeeded runs after the last one folded
//! (`drift_episode_marks`), in id order (time order within a workspace: one
//! active run per workspace), and:
//! - opens an episode for a fingerprint the previous succeeded run did not
//!   record, and resolves an open one the run no longer records (failed runs
//!   are never folded: they neither break nor end a streak);
//! - opens a span for a run that recorded drift and closes the previous
//!   succeeded run's span at this run's finish.
//!
//! `complete` folds the run's workspace in its own transaction; the report
//! first sweeps the runs no one folded (written before migration 0009, or by
//! hand), so a store of any age reads the same figures.

use super::db::{Dialect, Pool, Ts, WritePool};
use super::error::{StoreError, query};
use super::{RunId, Store};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use sqlx::{QueryBuilder, Row};
use std::collections::{BTreeSet, HashMap};
use std::future::Future;

/// The advisory lock that serializes folding on PostgreSQL (workers on
/// several hosts complete runs of different workspaces while a report sweeps).
const PG_FOLD_LOCK: i64 = 0x6472_6966_7465_7069; // "driftepi"

/// Rows per multi-row INSERT (6 parameters a row, well under both limits).
const INSERT_CHUNK: usize = 500;

/// A succeeded run as the fold reads it, with its drift items.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct FoldRun {
    pub id: RunId,
    pub finished_at: DateTime<Utc>,
    pub drift_count: i64,
    /// As stored (decimal text); `None`: not priced.
    pub cost_delta: Option<String>,
    /// (fingerprint, resource type, item JSON) in the run's order.
    pub items: Vec<(String, String, String)>,
}

/// An episode the fold opens.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct NewEpisode {
    pub fingerprint: String,
    pub resource_type: String,
    /// JSON array of attribute paths.
    pub attributes: String,
    pub first_run_id: RunId,
    pub first_at: DateTime<Utc>,
    pub resolved: Option<(RunId, DateTime<Utc>)>,
}

/// A span the fold opens.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct NewSpan {
    pub run_id: RunId,
    pub finished_at: DateTime<Utc>,
    pub next_at: Option<DateTime<Utc>>,
    pub cost_delta: Option<String>,
}

/// What folding some runs writes.
#[derive(Debug, Default, PartialEq)]
pub(super) struct FoldPlan {
    pub new_episodes: Vec<NewEpisode>,
    /// Stored episode id → the run that no longer recorded it.
    pub resolved: Vec<(i64, RunId, DateTime<Utc>)>,
    pub new_spans: Vec<NewSpan>,
    /// The stored open span (its run id) closed at the given time.
    pub closed_span: Option<(RunId, DateTime<Utc>)>,
    /// The last run folded.
    pub through: Option<RunId>,
}

#[derive(Deserialize)]
struct ItemPaths {
    #[serde(default)]
    changes: Vec<PathOnly>,
}

#[derive(Deserialize)]
struct PathOnly {
    path: String,
}

/// The attribute paths of a stored drift item, as a JSON array.
fn attributes_of(item: &str) -> Result<String, StoreError> {
    let paths: Vec<String> = serde_json::from_str::<ItemPaths>(item)
        .map_err(|e| StoreError::Corrupt {
            what: "drift_items.item",
            message: e.to_string(),
        })?
        .changes
        .into_iter()
        .map(|c| c.path)
        .collect();
    Ok(serde_json::Value::from(paths).to_string())
}

/// Where an open episode lives while the walk runs.
#[derive(Clone, Copy)]
enum Open {
    Stored(i64),
    New(usize),
}

/// The walk itself (pure): `open_episodes` maps each open fingerprint of the
/// workspace to its stored episode id, `open_span` is the run id of the
/// stored span still waiting for its next run, `runs` the succeeded runs to
/// fold in id order.
pub(super) fn plan(
    open_episodes: HashMap<String, i64>,
    open_span: Option<RunId>,
    runs: &[FoldRun],
) -> Result<FoldPlan, StoreError> {
    let mut out = FoldPlan::default();
    let mut open: HashMap<String, Open> = open_episodes
        .into_iter()
        .map(|(fp, id)| (fp, Open::Stored(id)))
        .collect();
    // The span of the previous succeeded run, stored or new (index).
    let mut span: Option<Open> = open_span.map(Open::Stored);
    for run in runs {
        match span.take() {
            Some(Open::Stored(id)) => out.closed_span = Some((id, run.finished_at)),
            Some(Open::New(i)) => out.new_spans[i].next_at = Some(run.finished_at),
            None => {}
        }
        if run.drift_count > 0 {
            span = Some(Open::New(out.new_spans.len()));
            out.new_spans.push(NewSpan {
                run_id: run.id,
                finished_at: run.finished_at,
                next_at: None,
                cost_delta: run.cost_delta.clone(),
            });
        }
        let here: BTreeSet<&str> = run.items.iter().map(|(fp, _, _)| fp.as_str()).collect();
        let gone: Vec<String> = open
            .keys()
            .filter(|fp| !here.contains(fp.as_str()))
            .cloned()
            .collect();
        for fp in gone {
            match open.remove(&fp) {
                Some(Open::Stored(id)) => out.resolved.push((id, run.id, run.finished_at)),
                Some(Open::New(i)) => {
                    out.new_episodes[i].resolved = Some((run.id, run.finished_at))
                }
                None => {}
            }
        }
        // The first item of a fingerprint in the run describes the episode.
        for (fp, resource_type, item) in &run.items {
            if open.contains_key(fp) {
                continue;
            }
            open.insert(fp.clone(), Open::New(out.new_episodes.len()));
            out.new_episodes.push(NewEpisode {
                fingerprint: fp.clone(),
                resource_type: resource_type.clone(),
                attributes: attributes_of(item)?,
                first_run_id: run.id,
                first_at: run.finished_at,
                resolved: None,
            });
        }
        out.through = Some(run.id);
    }
    Ok(out)
}

/// Folding on one open transaction's connection, for both backends.
pub(crate) trait FoldConn {
    /// Folds `workspace`'s succeeded runs not folded yet.
    fn fold_workspace<'a>(
        &'a mut self,
        workspace: &'a str,
    ) -> impl Future<Output = Result<(), StoreError>> + Send + 'a;
}

macro_rules! fold_conn {
    ($conn:ty, $db:ty, $d:expr) => {
        impl FoldConn for $conn {
            fn fold_workspace<'a>(
                &'a mut self,
                workspace: &'a str,
            ) -> impl Future<Output = Result<(), StoreError>> + Send + 'a {
                async move {
                    let d: Dialect = $d;
                    let read = |op: &'static str| move |e| StoreError::Query { op, source: e };
                    if d == Dialect::Postgres {
                        sqlx::query("SELECT pg_advisory_xact_lock($1)")
                            .bind(PG_FOLD_LOCK)
                            .execute(&mut *self)
                            .await
                            .map_err(query("lock drift episodes"))?;
                    }
                    let mark: i64 = sqlx::query_scalar(
                        "SELECT through_run_id FROM drift_episode_marks WHERE workspace = $1",
                    )
                    .bind(workspace)
                    .fetch_optional(&mut *self)
                    .await
                    .map_err(query("read the drift episode mark"))?
                    .unwrap_or(0);
                    let rows = sqlx::query(
                        "SELECT r.id, r.finished_at, r.drift_count, CAST(r.cost_delta AS TEXT) AS cost_delta, \
                         d.fingerprint, d.resource_type, CAST(d.item AS TEXT) AS item \
                         FROM runs r LEFT JOIN drift_items d ON d.run_id = r.id \
                         WHERE r.workspace = $1 AND r.status = 'succeeded' AND r.id > $2 \
                         ORDER BY r.id, d.seq",
                    )
                    .bind(workspace)
                    .bind(mark)
                    .fetch_all(&mut *self)
                    .await
                    .map_err(query("read runs to fold into drift episodes"))?;
                    let mut runs: Vec<FoldRun> = Vec::new();
                    for row in rows {
                        let r = read("read runs to fold");
                        let id: RunId = row.try_get("id").map_err(r)?;
                        if runs.last().is_none_or(|last| last.id != id) {
                            runs.push(FoldRun {
                                id,
                                finished_at: row.try_get("finished_at").map_err(r)?,
                                drift_count: row.try_get("drift_count").map_err(r)?,
                                cost_delta: row.try_get("cost_delta").map_err(r)?,
                                items: Vec::new(),
                            });
                        }
                        let fp: Option<String> = row.try_get("fingerprint").map_err(r)?;
                        if let (Some(fp), Some(run)) = (fp, runs.last_mut()) {
                            let resource_type: Option<String> =
                                row.try_get("resource_type").map_err(r)?;
                            let item: Option<String> = row.try_get("item").map_err(r)?;
                            run.items.push((
                                fp,
                                resource_type.unwrap_or_default(),
                                item.unwrap_or_else(|| "{}".into()),
                            ));
                        }
                    }
                    if runs.is_empty() {
                        return Ok(());
                    }
                    let mut open_episodes = HashMap::new();
                    for row in sqlx::query(
                        "SELECT id, fingerprint FROM drift_episodes WHERE workspace = $1 AND resolved_at IS NULL",
                    )
                    .bind(workspace)
                    .fetch_all(&mut *self)
                    .await
                    .map_err(query("read open drift episodes"))?
                    {
                        let r = read("read open drift episodes");
                        open_episodes.insert(row.try_get("fingerprint").map_err(r)?, row.try_get("id").map_err(r)?);
                    }
                    let open_span: Option<RunId> = sqlx::query_scalar(
                        "SELECT MAX(run_id) FROM drift_spans WHERE workspace = $1 AND next_at IS NULL",
                    )
                    .bind(workspace)
                    .fetch_one(&mut *self)
                    .await
                    .map_err(query("read the open drift span"))?;
                    let plan = plan(open_episodes, open_span, &runs)?;

                    for chunk in plan.new_episodes.chunks(INSERT_CHUNK) {
                        let mut qb = QueryBuilder::<$db>::new(
                            "INSERT INTO drift_episodes (workspace, fingerprint, resource_type, attributes, \
                             first_run_id, first_at, resolved_run_id, resolved_at) ",
                        );
                        qb.push_values(chunk, |mut b, e| {
                            b.push_bind(workspace)
                                .push_bind(e.fingerprint.as_str())
                                .push_bind(e.resource_type.as_str())
                                .push_bind(e.attributes.as_str())
                                .push_bind(e.first_run_id)
                                .push_bind(Ts(e.first_at))
                                .push_bind(e.resolved.map(|r| r.0))
                                .push_bind(e.resolved.map(|r| Ts(r.1)));
                        });
                        qb.build()
                            .execute(&mut *self)
                            .await
                            .map_err(query("store drift episodes"))?;
                    }
                    for (id, run, at) in &plan.resolved {
                        sqlx::query("UPDATE drift_episodes SET resolved_run_id = $1, resolved_at = $2 WHERE id = $3")
                            .bind(run)
                            .bind(Ts(*at))
                            .bind(id)
                            .execute(&mut *self)
                            .await
                            .map_err(query("resolve drift episodes"))?;
                    }
                    if let Some((run, at)) = plan.closed_span {
                        sqlx::query("UPDATE drift_spans SET next_at = $1 WHERE run_id = $2")
                            .bind(Ts(at))
                            .bind(run)
                            .execute(&mut *self)
                            .await
                            .map_err(query("close the drift span"))?;
                    }
                    for chunk in plan.new_spans.chunks(INSERT_CHUNK) {
                        let mut qb = QueryBuilder::<$db>::new(
                            "INSERT INTO drift_spans (run_id, workspace, finished_at, next_at, cost_delta) ",
                        );
                        qb.push_values(chunk, |mut b, s| {
                            b.push_bind(s.run_id)
                                .push_bind(workspace)
                                .push_bind(Ts(s.finished_at))
                                .push_bind(s.next_at.map(Ts));
                            if d == Dialect::Postgres {
                                b.push("CAST(")
                                    .push_bind_unseparated(s.cost_delta.as_deref())
                                    .push_unseparated(" AS NUMERIC)");
                            } else {
                                b.push_bind(s.cost_delta.as_deref());
                            }
                        });
                        qb.build()
                            .execute(&mut *self)
                            .await
                            .map_err(query("store drift spans"))?;
                    }
                    if let Some(through) = plan.through {
                        sqlx::query(
                            "INSERT INTO drift_episode_marks (workspace, through_run_id) VALUES ($1, $2) \
                             ON CONFLICT (workspace) DO UPDATE SET through_run_id = excluded.through_run_id",
                        )
                        .bind(workspace)
                        .bind(through)
                        .execute(&mut *self)
                        .await
                        .map_err(query("store the drift episode mark"))?;
                    }
                    Ok(())
                }
            }
        }
    };
}

fold_conn!(sqlx::SqliteConnection, sqlx::Sqlite, Dialect::Sqlite);
fold_conn!(sqlx::PgConnection, sqlx::Postgres, Dialect::Postgres);

/// Which workspaces have succeeded runs in `(swept, max]` not folded yet.
const BEHIND: &str = "SELECT DISTINCT r.workspace FROM runs r \
    LEFT JOIN drift_episode_marks m ON m.workspace = r.workspace \
    WHERE r.id > $1 AND r.id <= $2 AND r.status = 'succeeded' \
    AND (m.through_run_id IS NULL OR r.id > m.through_run_id)";

impl Store {
    /// Folds every succeeded run no completion folded (runs written before
    /// migration 0009, or by hand), once: afterwards only runs with a higher
    /// id are looked at. Cheap when there is nothing to do (one indexed read).
    pub(crate) async fn sweep_drift_episodes(&self) -> Result<(), StoreError> {
        macro_rules! sweep {
            ($pool:expr, $d:expr) => {{
                let pool = $pool;
                let swept: i64 =
                    sqlx::query_scalar("SELECT swept_through FROM drift_fold_state WHERE id = 1")
                        .fetch_one(pool)
                        .await
                        .map_err(query("read the drift episode sweep"))?;
                let max: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM runs")
                    .fetch_one(pool)
                    .await
                    .map_err(query("read the drift episode sweep"))?;
                if max <= swept {
                    return Ok(());
                }
                let mut tx = pool
                    .begin_write()
                    .await
                    .map_err(query("sweep drift episodes"))?;
                if $d == Dialect::Postgres {
                    sqlx::query("SELECT pg_advisory_xact_lock($1)")
                        .bind(PG_FOLD_LOCK)
                        .execute(&mut *tx)
                        .await
                        .map_err(query("lock drift episodes"))?;
                }
                let behind: Vec<String> = sqlx::query_scalar(BEHIND)
                    .bind(swept)
                    .bind(max)
                    .fetch_all(&mut *tx)
                    .await
                    .map_err(query("find runs to fold into drift episodes"))?;
                for workspace in &behind {
                    (*tx).fold_workspace(workspace).await?;
                }
                sqlx::query(
                    "UPDATE drift_fold_state SET swept_through = $1 WHERE id = 1 AND swept_through < $1",
                )
                .bind(max)
                .execute(&mut *tx)
                .await
                .map_err(query("store the drift episode sweep"))?;
                tx.commit().await.map_err(query("sweep drift episodes"))?;
                if !behind.is_empty() {
                    tracing::debug!(
                        workspaces = behind.len(),
                        through = max,
                        "folded earlier runs into drift episodes"
                    );
                }
                Ok(())
            }};
        }
        match &self.pool {
            Pool::Sqlite(pool) => sweep!(pool, Dialect::Sqlite),
            Pool::Postgres(pool) => sweep!(pool, Dialect::Postgres),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(h: i64) -> DateTime<Utc> {
        DateTime::<Utc>::from_timestamp(1_700_000_000 + h * 3600, 0).unwrap()
    }

    fn run(id: RunId, fps: &[&str]) -> FoldRun {
        FoldRun {
            id,
            finished_at: at(id),
            drift_count: fps.len() as i64,
            cost_delta: (!fps.is_empty()).then(|| "5".to_string()),
            items: fps
                .iter()
                .map(|fp| {
                    (
                        fp.to_string(),
                        "aws_instance".to_string(),
                        format!(r#"{{"changes":[{{"path":"tags.{fp}"}}]}}"#),
                    )
                })
                .collect(),
        }
    }

    #[test]
    fn streaks_open_and_resolve_and_spans_chain() {
        // Stored: episode 7 (`a`) open, run 1's span open.
        let open = HashMap::from([("a".to_string(), 7)]);
        let runs = [
            run(2, &["a", "b"]),
            run(3, &["b"]),
            run(4, &[]),
            run(5, &["b", "b"]),
        ];
        let p = plan(open, Some(1), &runs).unwrap();
        assert_eq!(p.closed_span, Some((1, at(2))));
        assert_eq!(p.resolved, vec![(7, 3, at(3))]);
        let eps: Vec<_> = p
            .new_episodes
            .iter()
            .map(|e| (e.fingerprint.as_str(), e.first_run_id, e.resolved))
            .collect();
        assert_eq!(
            eps,
            vec![("b", 2, Some((4, at(4)))), ("b", 5, None)],
            "the same fingerprint twice in one run is one episode"
        );
        assert_eq!(p.new_episodes[0].attributes, r#"["tags.b"]"#);
        let spans: Vec<_> = p.new_spans.iter().map(|s| (s.run_id, s.next_at)).collect();
        assert_eq!(
            spans,
            vec![(2, Some(at(3))), (3, Some(at(4))), (5, None)],
            "a run without drift has no span but ends the one before"
        );
        assert_eq!(p.through, Some(5));
    }

    #[test]
    fn a_broken_item_is_named() {
        let mut r = run(1, &["a"]);
        r.items[0].2 = "not json".into();
        let e = plan(HashMap::new(), None, &[r]).unwrap_err();
        assert!(e.to_string().contains("drift_items.item"), "{e}");
    }
}
