//! What the fleet report (`src/report/`) reads from the store. Nothing here
//! walks the runs of the period: the drift episodes and drift spans are kept
//! as runs complete (`episodes.rs`), so a fleet of thousands of workspaces
//! and months of runs moves thousands of rows, not millions:
//! - scan counts per workspace in the period (one covering index);
//! - drift episodes: each unbroken streak of succeeded runs recording one
//!   drift fingerprint, with when it was first recorded and the succeeded
//!   run that no longer had it, for those open or resolved in the period;
//! - the succeeded runs that recorded drift, each with the time of the next
//!   succeeded run (what the drift cost is charged over);
//! - the latest succeeded run of each workspace.
//!
//! "In scope" is every succeeded run of the period plus each workspace's last
//! succeeded run before it (the baseline: what was open when it began).
//! Reading first folds runs that no completion folded (a store written before
//! the episode tables); the figures are computed by the report, not here.

use super::Store;
use super::db::{Ts, micros, on_pool};
use super::error::{StoreError, query};
use super::runs::parse_money;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
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
    /// The first run of the streak (before the period: it was open already,
    /// and is not an event of the period).
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

impl Store {
    /// What the fleet report for `[since, now]` needs (`now` from the store's clock).
    pub async fn report_input(&self, since: DateTime<Utc>) -> Result<ReportInput, StoreError> {
        self.sweep_drift_episodes().await?;
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

            // Episodes that touch the period: open, or resolved in it (the
            // run that resolved one is after the baseline exactly when it
            // finished in the period). For one open when the period began,
            // the first sighting of its fingerprint in any earlier episode.
            let mut episodes = Vec::new();
            let mut first_seen = HashMap::new();
            for row in sqlx::query(
                "SELECT e.workspace, e.fingerprint, e.resource_type, e.attributes, e.first_at, e.resolved_at, \
                 CASE WHEN e.first_at < $1 THEN (SELECT MIN(p.first_at) FROM drift_episodes p \
                 WHERE p.workspace = e.workspace AND p.fingerprint = e.fingerprint) END AS first_seen \
                 FROM drift_episodes e WHERE e.resolved_at IS NULL OR e.resolved_at >= $1",
            )
            .bind(Ts(since))
            .fetch_all(pool)
            .await
            .map_err(query("read drift episodes for the report"))?
            {
                let r = read("read drift episodes");
                let attributes: String = row.try_get("attributes").map_err(r)?;
                let episode = DriftEpisode {
                    workspace: row.try_get("workspace").map_err(r)?,
                    fingerprint: row.try_get("fingerprint").map_err(r)?,
                    resource_type: row.try_get("resource_type").map_err(r)?,
                    first_at: row.try_get("first_at").map_err(r)?,
                    resolved_at: row.try_get("resolved_at").map_err(r)?,
                    attributes: serde_json::from_str(&attributes).map_err(|e| StoreError::Corrupt {
                        what: "drift_episodes.attributes",
                        message: e.to_string(),
                    })?,
                };
                let seen: Option<DateTime<Utc>> = row.try_get("first_seen").map_err(r)?;
                if let Some(at) = seen {
                    first_seen.insert((episode.workspace.clone(), episode.fingerprint.clone()), at);
                }
                episodes.push(episode);
            }
            episodes.sort_by(|a, b| {
                (&a.workspace, &a.fingerprint, a.first_at).cmp(&(&b.workspace, &b.fingerprint, b.first_at))
            });

            // Spans in scope: the baseline's (its next run is in the period,
            // or there is none) and every later one.
            let mut drift_runs = Vec::new();
            for row in sqlx::query(
                "SELECT workspace, finished_at, next_at, CAST(cost_delta AS TEXT) AS cost_delta \
                 FROM drift_spans WHERE next_at IS NULL OR next_at >= $1",
            )
            .bind(Ts(since))
            .fetch_all(pool)
            .await
            .map_err(query("read drift spans for the report"))?
            {
                let r = read("read drift spans");
                let cost: Option<String> = row.try_get("cost_delta").map_err(r)?;
                drift_runs.push(DriftRun {
                    workspace: row.try_get("workspace").map_err(r)?,
                    finished_at: row.try_get("finished_at").map_err(r)?,
                    next_at: row.try_get("next_at").map_err(r)?,
                    cost_delta: parse_money("drift_spans.cost_delta", cost)?,
                });
            }

            // The last succeeded run folded is the latest one.
            let mut latest = Vec::new();
            for row in sqlx::query(
                "SELECT r.workspace, r.finished_at, r.drift_count, CAST(r.cost_delta AS TEXT) AS cost_delta \
                 FROM drift_episode_marks m JOIN runs r ON r.id = m.through_run_id",
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
