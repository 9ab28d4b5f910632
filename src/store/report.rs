//! What the fleet report (`crate::report`) reads from the store: the finished
//! runs of a period, each workspace's last succeeded run before it (so drift
//! already open when the period starts is known), their drift items, and the
//! attribute paths of each drift fingerprint. Read-only; the figures are
//! computed by the report, not here.

use super::Store;
use super::db::{Ts, micros, on_pool};
use super::error::{StoreError, query};
use super::model::RunStatus;
use super::runs::{parse_money, parse_text};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::Deserialize;
use sqlx::Row;
use std::collections::HashMap;

/// One finished run as the report needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportRun {
    pub id: i64,
    pub workspace: String,
    pub status: RunStatus,
    pub finished_at: DateTime<Utc>,
    pub drift_count: i64,
    /// The run's monthly cost of drift; `None` when nothing was priced.
    pub cost_delta: Option<Decimal>,
    /// The workspace's last succeeded run before the period (its drift is
    /// what was open when the period began), not a run of the period.
    pub baseline: bool,
}

/// One drift item of a succeeded run.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportDriftItem {
    pub run_id: i64,
    pub resource_type: String,
    pub fingerprint: String,
}

/// Everything the fleet report is computed from.
#[derive(Debug, Clone, Default)]
pub struct ReportInput {
    pub since: DateTime<Utc>,
    pub now: DateTime<Utc>,
    /// Finished runs by workspace, then finish time: baselines first.
    pub runs: Vec<ReportRun>,
    /// Drift items of the succeeded runs among `runs`.
    pub items: Vec<ReportDriftItem>,
    /// Attribute paths each drift fingerprint changes (as stored: `tags.owner`).
    pub attributes: HashMap<String, Vec<String>>,
    /// For drift open at the start of the period: when each (workspace,
    /// fingerprint) was first recorded by a succeeded run.
    pub first_seen: HashMap<(String, String), DateTime<Utc>>,
}

const RUN_COLS: &str =
    "id, workspace, status, finished_at, drift_count, CAST(cost_delta AS TEXT) AS cost_delta";
const BASELINE_IDS: &str =
    "SELECT MAX(id) FROM runs WHERE status = 'succeeded' AND finished_at < $1 GROUP BY workspace";

#[derive(Deserialize)]
struct ItemPaths {
    #[serde(default)]
    changes: Vec<PathOnly>,
}

#[derive(Deserialize)]
struct PathOnly {
    path: String,
}

impl Store {
    /// The runs, drift items and first sightings of drift the fleet report
    /// for `[since, now]` needs (`now` from the store's clock).
    pub async fn report_input(&self, since: DateTime<Utc>) -> Result<ReportInput, StoreError> {
        let now = self.now().await?;
        let since = micros(since);
        let op = "read runs for the report";
        on_pool!(self, pool, d => {
            let mut runs = Vec::new();
            for (sql, baseline) in [
                (
                    format!(
                        "SELECT {RUN_COLS} FROM runs WHERE finished_at >= $1 \
                         AND status NOT IN ('queued', 'running')"
                    ),
                    false,
                ),
                (
                    format!("SELECT {RUN_COLS} FROM runs WHERE id IN ({BASELINE_IDS})"),
                    true,
                ),
            ] {
                let rows = sqlx::query(&sql)
                    .bind(Ts(since))
                    .fetch_all(pool)
                    .await
                    .map_err(query(op))?;
                for row in &rows {
                    let read = |e| StoreError::Query { op, source: e };
                    let status: String = row.try_get("status").map_err(read)?;
                    let cost: Option<String> = row.try_get("cost_delta").map_err(read)?;
                    runs.push(ReportRun {
                        id: row.try_get("id").map_err(read)?,
                        workspace: row.try_get("workspace").map_err(read)?,
                        status: parse_text("runs.status", &status)?,
                        finished_at: row.try_get("finished_at").map_err(read)?,
                        drift_count: row.try_get("drift_count").map_err(read)?,
                        cost_delta: parse_money("runs.cost_delta", cost)?,
                        baseline,
                    });
                }
            }
            runs.sort_by(|a, b| {
                (a.workspace.as_str(), !a.baseline, a.finished_at, a.id)
                    .cmp(&(b.workspace.as_str(), !b.baseline, b.finished_at, b.id))
            });

            let item_runs = format!(
                "SELECT id FROM runs WHERE status = 'succeeded' AND drift_count > 0 \
                 AND (finished_at >= $1 OR id IN ({BASELINE_IDS}))"
            );
            let items: Vec<ReportDriftItem> = sqlx::query_as::<_, (i64, String, String)>(&format!(
                "SELECT run_id, resource_type, fingerprint FROM drift_items WHERE run_id IN ({item_runs})"
            ))
            .bind(Ts(since))
            .fetch_all(pool)
            .await
            .map_err(query("read drift items for the report"))?
            .into_iter()
            .map(|(run_id, resource_type, fingerprint)| ReportDriftItem {
                run_id,
                resource_type,
                fingerprint,
            })
            .collect();

            // One stored item per fingerprint is enough for its attribute paths.
            let mut attributes = HashMap::new();
            let rows: Vec<(String, String)> = sqlx::query_as(&format!(
                "SELECT d.fingerprint, CAST(d.item AS TEXT) AS item FROM drift_items d JOIN \
                 (SELECT fingerprint, MIN(run_id) AS run_id FROM drift_items \
                  WHERE run_id IN ({item_runs}) GROUP BY fingerprint) f \
                 ON d.fingerprint = f.fingerprint AND d.run_id = f.run_id"
            ))
            .bind(Ts(since))
            .fetch_all(pool)
            .await
            .map_err(query("read drift item paths for the report"))?;
            for (fingerprint, item) in rows {
                let paths: ItemPaths =
                    serde_json::from_str(&item).map_err(|e| StoreError::Corrupt {
                        what: "drift_items.item",
                        message: e.to_string(),
                    })?;
                attributes.insert(
                    fingerprint,
                    paths.changes.into_iter().map(|c| c.path).collect(),
                );
            }

            let mut first_seen = HashMap::new();
            let rows = sqlx::query(&format!(
                "SELECT r.workspace, d.fingerprint, MIN(r.finished_at) AS first_seen \
                 FROM drift_items d JOIN runs r ON r.id = d.run_id \
                 WHERE r.status = 'succeeded' AND r.finished_at < $1 AND d.fingerprint IN \
                 (SELECT fingerprint FROM drift_items WHERE run_id IN ({BASELINE_IDS})) \
                 GROUP BY r.workspace, d.fingerprint"
            ))
            .bind(Ts(since))
            .fetch_all(pool)
            .await
            .map_err(query("read first sightings of drift for the report"))?;
            for row in &rows {
                let read = |e| StoreError::Query { op: "read first sightings of drift", source: e };
                let workspace: String = row.try_get(0).map_err(read)?;
                let fingerprint: String = row.try_get(1).map_err(read)?;
                let at: DateTime<Utc> = row.try_get(2).map_err(read)?;
                first_seen.insert((workspace, fingerprint), at);
            }
            Ok(ReportInput {
                since,
                now,
                runs,
                items,
                attributes,
                first_seen,
            })
        })
    }
}
