//! What the fleet report (`src/report/`) reads from the store, aggregated
//! by the database so that a fleet of thousands of workspaces and months of
//! runs moves thousands of rows, not millions:
//! - scan counts per workspace in the period;
//! - drift episodes: each unbroken streak of succeeded runs recording one
//!   drift fingerprint (gaps-and-islands over the succeeded runs), with when
//!   it was first recorded and the succeeded run that no longer had it;
//! - the succeeded runs that recorded drift, each with the time of the next
//!   succeeded run (what the drift cost is charged over);
//! - the latest succeeded run of each workspace.
//!
//! "In scope" is every succeeded run of the period plus each workspace's last
//! succeeded run before it (the baseline: what was open when it began).
//! Read-only; the figures are computed by the report, not here.

use super::Store;
use super::db::{Ts, micros, on_pool};
use super::error::{StoreError, query};
use super::runs::parse_money;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::Deserialize;
use sqlx::Row;
use std::collections::HashMap;

/// Scans of one workspace in the period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanCounts {
    pub workspace: String,
    /// Finished runs but cancelled ones.
    pub scans: u64,
    /// `failed` and `timed_out`.
    pub failed: u64,
    /// Finished runs of any status (cancelled included).
    pub runs: u64,
}

/// One streak of succeeded runs recording the same drift fingerprint.
#[derive(Debug, Clone, PartialEq)]
pub struct DriftEpisode {
    pub workspace: String,
    pub fingerprint: String,
    pub resource_type: String,
    /// The first run of the streak (before the period: it was open already).
    pub first_at: DateTime<Utc>,
    /// The succeeded run after the streak, which no longer had it; `None`: open.
    pub resolved_at: Option<DateTime<Utc>>,
    /// Attribute paths it changes, as stored (`ingress[0].cidr_blocks[1]`).
    pub attributes: Vec<String>,
}

/// A succeeded run in scope that recorded drift.
#[derive(Debug, Clone, PartialEq)]
pub struct DriftRun {
    pub workspace: String,
    pub finished_at: DateTime<Utc>,
    /// The workspace's next succeeded run; `None`: this is the latest.
    pub next_at: Option<DateTime<Utc>>,
    /// Monthly cost of its drift; `None` when nothing was priced.
    pub cost_delta: Option<Decimal>,
}

/// A workspace's latest succeeded run.
#[derive(Debug, Clone, PartialEq)]
pub struct LatestRun {
    pub workspace: String,
    pub finished_at: DateTime<Utc>,
    pub drift_count: i64,
    pub cost_delta: Option<Decimal>,
}

/// Everything the fleet report is computed from.
#[derive(Debug, Clone, Default)]
pub struct ReportInput {
    pub since: DateTime<Utc>,
    pub now: DateTime<Utc>,
    pub scans: Vec<ScanCounts>,
    pub episodes: Vec<DriftEpisode>,
    pub drift_runs: Vec<DriftRun>,
    pub latest: Vec<LatestRun>,
    /// For drift open when the period began: when each (workspace,
    /// fingerprint) was first recorded by any succeeded run.
    pub first_seen: HashMap<(String, String), DateTime<Utc>>,
}

const BASELINE_IDS: &str =
    "SELECT MAX(id) FROM runs WHERE status = 'succeeded' AND finished_at < $1 GROUP BY workspace";

/// The succeeded runs in scope, numbered per workspace in time order. Id
/// order is time order within a workspace: a run is queued only once the
/// one before it has finished (one active run per workspace), so the
/// windows follow the (workspace, id) index instead of sorting.
fn in_scope() -> String {
    format!(
        "s AS MATERIALIZED (SELECT id, workspace, finished_at, drift_count, cost_delta, \
         ROW_NUMBER() OVER (PARTITION BY workspace ORDER BY id) AS rn, \
         LEAD(finished_at) OVER (PARTITION BY workspace ORDER BY id) AS next_at \
         FROM runs WHERE status = 'succeeded' AND (finished_at >= $1 OR id IN ({BASELINE_IDS})))"
    )
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

impl Store {
    /// What the fleet report for `[since, now]` needs (`now` from the store's clock).
    pub async fn report_input(&self, since: DateTime<Utc>) -> Result<ReportInput, StoreError> {
        let now = self.now().await?;
        let since = micros(since);
        on_pool!(self, pool, d => {
            let read = |op: &'static str| move |e| StoreError::Query { op, source: e };

            let mut scans = Vec::new();
            for row in sqlx::query(
                "SELECT workspace, COUNT(*) AS runs, \
                 SUM(CASE WHEN status <> 'cancelled' THEN 1 ELSE 0 END) AS scans, \
                 SUM(CASE WHEN status IN ('failed', 'timed_out') THEN 1 ELSE 0 END) AS failed \
                 FROM runs WHERE finished_at >= $1 AND status NOT IN ('queued', 'running') \
                 GROUP BY workspace",
            )
            .bind(Ts(since))
            .fetch_all(pool)
            .await
            .map_err(query("count scans for the report"))?
            {
                let r = read("read scan counts");
                let runs: i64 = row.try_get("runs").map_err(r)?;
                let n: i64 = row.try_get("scans").map_err(r)?;
                let failed: i64 = row.try_get("failed").map_err(r)?;
                scans.push(ScanCounts {
                    workspace: row.try_get("workspace").map_err(r)?,
                    scans: n as u64,
                    failed: failed as u64,
                    runs: runs as u64,
                });
            }

            // One query for both, so the runs in scope are numbered once.
            let mut episodes = Vec::new();
            let mut drift_runs = Vec::new();
            for row in sqlx::query(&format!(
                "WITH {s}, \
                 i AS (SELECT s.workspace, d.fingerprint, d.resource_type, s.rn, \
                       s.rn - ROW_NUMBER() OVER (PARTITION BY s.workspace, d.fingerprint ORDER BY s.rn) AS island \
                       FROM drift_items d JOIN s ON s.id = d.run_id), \
                 e AS (SELECT workspace, fingerprint, MIN(resource_type) AS resource_type, \
                       MIN(rn) AS first_rn, MAX(rn) AS last_rn FROM i GROUP BY workspace, fingerprint, island) \
                 SELECT 'episode' AS kind, e.workspace, e.fingerprint, e.resource_type, \
                 f.finished_at AS at1, r.finished_at AS at2, CAST(item.item AS TEXT) AS text \
                 FROM e JOIN s f ON f.workspace = e.workspace AND f.rn = e.first_rn \
                 LEFT JOIN s r ON r.workspace = e.workspace AND r.rn = e.last_rn + 1 \
                 LEFT JOIN drift_items item ON item.run_id = f.id AND item.fingerprint = e.fingerprint \
                 UNION ALL \
                 SELECT 'run', workspace, NULL, NULL, finished_at, next_at, CAST(cost_delta AS TEXT) \
                 FROM s WHERE drift_count > 0",
                s = in_scope()
            ))
            .bind(Ts(since))
            .fetch_all(pool)
            .await
            .map_err(query("read drift episodes for the report"))?
            {
                let r = read("read drift episodes");
                let kind: String = row.try_get("kind").map_err(r)?;
                let workspace: String = row.try_get("workspace").map_err(r)?;
                let text: Option<String> = row.try_get("text").map_err(r)?;
                if kind == "run" {
                    drift_runs.push(DriftRun {
                        workspace,
                        finished_at: row.try_get("at1").map_err(r)?,
                        next_at: row.try_get("at2").map_err(r)?,
                        cost_delta: parse_money("runs.cost_delta", text)?,
                    });
                    continue;
                }
                let attributes = match text {
                    Some(text) => serde_json::from_str::<ItemPaths>(&text)
                        .map_err(|e| StoreError::Corrupt {
                            what: "drift_items.item",
                            message: e.to_string(),
                        })?
                        .changes
                        .into_iter()
                        .map(|c| c.path)
                        .collect(),
                    None => Vec::new(),
                };
                let fingerprint: Option<String> = row.try_get("fingerprint").map_err(r)?;
                let resource_type: Option<String> = row.try_get("resource_type").map_err(r)?;
                episodes.push(DriftEpisode {
                    workspace,
                    fingerprint: fingerprint.unwrap_or_default(),
                    resource_type: resource_type.unwrap_or_default(),
                    first_at: row.try_get("at1").map_err(r)?,
                    resolved_at: row.try_get("at2").map_err(r)?,
                    attributes,
                });
            }
            // The same fingerprint twice in one run makes duplicate rows.
            episodes.sort_by(|a, b| {
                (&a.workspace, &a.fingerprint, a.first_at).cmp(&(&b.workspace, &b.fingerprint, b.first_at))
            });
            episodes.dedup_by(|a, b| {
                a.workspace == b.workspace && a.fingerprint == b.fingerprint && a.first_at == b.first_at
            });

            let mut latest = Vec::new();
            for row in sqlx::query(
                "SELECT workspace, finished_at, drift_count, CAST(cost_delta AS TEXT) AS cost_delta \
                 FROM runs WHERE id IN (SELECT MAX(id) FROM runs WHERE status = 'succeeded' GROUP BY workspace)",
            )
            .fetch_all(pool)
            .await
            .map_err(query("read the latest runs for the report"))?
            {
                let r = read("read the latest runs");
                let cost: Option<String> = row.try_get("cost_delta").map_err(r)?;
                latest.push(LatestRun {
                    workspace: row.try_get("workspace").map_err(r)?,
                    finished_at: row.try_get("finished_at").map_err(r)?,
                    drift_count: row.try_get("drift_count").map_err(r)?,
                    cost_delta: parse_money("runs.cost_delta", cost)?,
                });
            }

            let mut first_seen = HashMap::new();
            for row in sqlx::query(&format!(
                "SELECT r.workspace, d.fingerprint, MIN(r.finished_at) AS first_seen \
                 FROM drift_items d JOIN runs r ON r.id = d.run_id \
                 WHERE r.status = 'succeeded' AND r.finished_at < $1 AND d.fingerprint IN \
                 (SELECT fingerprint FROM drift_items WHERE run_id IN ({BASELINE_IDS})) \
                 GROUP BY r.workspace, d.fingerprint"
            ))
            .bind(Ts(since))
            .fetch_all(pool)
            .await
            .map_err(query("read first sightings of drift for the report"))?
            {
                let r = read("read first sightings of drift");
                let workspace: String = row.try_get(0).map_err(r)?;
                let fingerprint: String = row.try_get(1).map_err(r)?;
                let at: DateTime<Utc> = row.try_get(2).map_err(r)?;
                first_seen.insert((workspace, fingerprint), at);
            }
            Ok(ReportInput {
                since,
                now,
                scans,
                episodes,
                drift_runs,
                latest,
                first_seen,
            })
        })
    }
}
