//! The run history: single runs with what they recorded, pages of runs,
//! the latest per workspace, integrity records and metrics. Read-only.

use super::Store;
use super::db::on_pool;
use super::error::{StoreError, query};
use super::model::*;
use super::runs::*;
use crate::drift::CostEffect;
use crate::drift::{DriftItem, IntegrityAlert, IntegrityRecord};
use chrono::{DateTime, Utc};
use sqlx::Row;
use sqlx::types::Json;
use std::collections::BTreeMap;

impl Store {
    /// One run with everything it recorded.
    pub async fn get_run(&self, id: RunId) -> Result<Option<RunRecord>, StoreError> {
        let run = on_pool!(self, pool, d => {
            let row = sqlx::query(&format!("SELECT {RUN_COLS} FROM runs WHERE id = $1"))
                .bind(id)
                .fetch_optional(pool)
                .await
                .map_err(query("read a run"))?;
            match row {
                Some(row) => Some(run_from_row!(&row)),
                None => None,
            }
        });
        match run {
            Some(mut run) => {
                run.detail = Some(self.detail(id).await?);
                Ok(Some(run))
            }
            None => Ok(None),
        }
    }

    async fn detail(&self, id: RunId) -> Result<RunDetail, StoreError> {
        on_pool!(self, pool, d => {
            let report_json: Option<String> =
                sqlx::query_scalar("SELECT report_json FROM runs WHERE id = $1")
                    .bind(id)
                    .fetch_one(pool)
                    .await
                    .map_err(query("read a run report"))?;
            let drift_items: Vec<DriftItem> = sqlx::query_scalar::<_, Json<DriftItem>>(
                "SELECT item FROM drift_items WHERE run_id = $1 ORDER BY seq",
            )
            .bind(id)
            .fetch_all(pool)
            .await
            .map_err(query("read drift items"))?
            .into_iter()
            .map(|j| j.0)
            .collect();
            let mut costs = BTreeMap::new();
            for row in sqlx::query(
                "SELECT address, CAST(monthly_before AS TEXT) AS before, \
                 CAST(monthly_after AS TEXT) AS after, unpriced_components FROM run_costs WHERE run_id = $1",
            )
            .bind(id)
            .fetch_all(pool)
            .await
            .map_err(query("read costs"))?
            {
                let address: String = col!(row, "address", "run_costs");
                let before: Option<String> = col!(row, "before", "run_costs");
                let after: Option<String> = col!(row, "after", "run_costs");
                let unpriced: i64 = col!(row, "unpriced_components", "run_costs");
                costs.insert(
                    address,
                    CostEffect {
                        monthly_before: parse_money("run_costs.monthly_before", before)?,
                        monthly_after: parse_money("run_costs.monthly_after", after)?,
                        unpriced_components: usize::try_from(unpriced).unwrap_or(0),
                    },
                );
            }
            let integrity_row = sqlx::query(
                "SELECT lineage, serial, sha256, alerts FROM integrity_records WHERE run_id = $1",
            )
            .bind(id)
            .fetch_optional(pool)
            .await
            .map_err(query("read the integrity record"))?;
            let (integrity, integrity_alerts) = match integrity_row {
                Some(row) => {
                    let serial: i64 = col!(row, "serial", "integrity_records");
                    let alerts: Json<Vec<IntegrityAlert>> = col!(row, "alerts", "integrity_records");
                    (
                        Some(IntegrityRecord {
                            lineage: col!(row, "lineage", "integrity_records"),
                            serial: serial as u64,
                            sha256: col!(row, "sha256", "integrity_records"),
                        }),
                        alerts.0,
                    )
                }
                None => (None, Vec::new()),
            };
            Ok(RunDetail {
                drift_items,
                costs,
                integrity,
                integrity_alerts,
                report_json,
            })
        })
    }

    /// Newest first; pass the last id of a page as `before` for the next page.
    /// `limit` is capped at [`MAX_PAGE`].
    pub async fn list_runs(
        &self,
        workspace: Option<&str>,
        limit: u32,
        before: Option<RunId>,
    ) -> Result<Vec<RunRecord>, StoreError> {
        let limit = i64::from(limit.min(MAX_PAGE));
        let mut conds = Vec::new();
        if workspace.is_some() {
            conds.push(format!("workspace = ${}", conds.len() + 2));
        }
        if before.is_some() {
            conds.push(format!("id < ${}", conds.len() + 2));
        }
        let filter = if conds.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", conds.join(" AND "))
        };
        let sql = format!("SELECT {RUN_COLS} FROM runs {filter} ORDER BY id DESC LIMIT $1");
        on_pool!(self, pool, d => {
            let mut q = sqlx::query(&sql).bind(limit);
            if let Some(w) = workspace {
                q = q.bind(w);
            }
            if let Some(b) = before {
                q = q.bind(b);
            }
            let rows = q.fetch_all(pool).await.map_err(query("list runs"))?;
            let mut out = Vec::with_capacity(rows.len());
            for row in &rows {
                out.push(run_from_row!(row));
            }
            Ok(out)
        })
    }

    /// The workspace's latest run in a final status (any of them), with detail.
    pub async fn latest_finished(&self, workspace: &str) -> Result<Option<RunRecord>, StoreError> {
        self.latest_where(workspace, FINISHED).await
    }

    /// The workspace's latest succeeded run, with detail: its current drift.
    pub async fn latest_succeeded(&self, workspace: &str) -> Result<Option<RunRecord>, StoreError> {
        self.latest_where(workspace, "status = 'succeeded'").await
    }

    async fn latest_where(
        &self,
        workspace: &str,
        cond: &str,
    ) -> Result<Option<RunRecord>, StoreError> {
        // Runs of one workspace never overlap, so the highest id finished last.
        let id: Option<i64> = on_pool!(self, pool, d => {
            sqlx::query_scalar(&format!(
                "SELECT MAX(id) FROM runs WHERE workspace = $1 AND {cond}"
            ))
            .bind(workspace)
            .fetch_one(pool)
            .await
            .map_err(query("find the latest run"))?
        });
        match id {
            Some(id) => self.get_run(id).await,
            None => Ok(None),
        }
    }

    /// Every workspace that has runs: its latest run and its latest drift.
    pub async fn workspaces(&self) -> Result<Vec<WorkspaceSummary>, StoreError> {
        let (latest, succeeded) = on_pool!(self, pool, d => {
            let mut latest = Vec::new();
            for row in &sqlx::query(&format!(
                "SELECT {RUN_COLS} FROM runs WHERE id IN \
                 (SELECT MAX(id) FROM runs GROUP BY workspace) ORDER BY workspace"
            ))
            .fetch_all(pool)
            .await
            .map_err(query("list workspaces"))?
            {
                latest.push(run_from_row!(row));
            }
            let mut succeeded = BTreeMap::new();
            for row in &sqlx::query(&format!(
                "SELECT {RUN_COLS} FROM runs WHERE id IN \
                 (SELECT MAX(id) FROM runs WHERE status = 'succeeded' GROUP BY workspace)"
            ))
            .fetch_all(pool)
            .await
            .map_err(query("list workspaces"))?
            {
                let r = run_from_row!(row);
                succeeded.insert(r.workspace.clone(), r);
            }
            (latest, succeeded)
        });
        Ok(latest
            .into_iter()
            .map(|last| {
                let ok = succeeded.get(&last.workspace);
                WorkspaceSummary {
                    last_run_at: last
                        .finished_at
                        .or(last.started_at)
                        .unwrap_or(last.queued_at),
                    last_success_id: ok.map(|r| r.id),
                    last_success_at: ok.and_then(|r| r.finished_at),
                    drifted: ok.is_some_and(|r| r.drift_item_count > 0),
                    drift_item_count: ok.map_or(0, |r| r.drift_item_count),
                    monthly_cost_delta: ok.and_then(|r| r.monthly_cost_delta),
                    last_run_id: last.id,
                    last_status: last.status,
                    workspace: last.workspace,
                }
            })
            .collect())
    }

    /// The state integrity record of the workspace's latest run that has one,
    /// for comparing with the next scan.
    pub async fn last_integrity(
        &self,
        workspace: &str,
    ) -> Result<Option<IntegrityRecord>, StoreError> {
        on_pool!(self, pool, d => {
            let row = sqlx::query(
                "SELECT lineage, serial, sha256 FROM integrity_records WHERE workspace = $1 \
                 ORDER BY run_id DESC LIMIT 1",
            )
            .bind(workspace)
            .fetch_optional(pool)
            .await
            .map_err(query("read the integrity record"))?;
            let Some(row) = row else { return Ok(None) };
            let serial: i64 = col!(row, "serial", "integrity_records");
            Ok(Some(IntegrityRecord {
                lineage: col!(row, "lineage", "integrity_records"),
                serial: serial as u64,
                sha256: col!(row, "sha256", "integrity_records"),
            }))
        })
    }

    /// When a schedule last fired for the workspace (queued or deduplicated),
    /// so that after downtime a missed schedule runs once, not once per tick.
    pub async fn last_scheduled(
        &self,
        workspace: &str,
    ) -> Result<Option<DateTime<Utc>>, StoreError> {
        on_pool!(self, pool, d => {
            Ok(sqlx::query_scalar::<_, DateTime<Utc>>(
                "SELECT last_fired FROM schedule_marks WHERE workspace = $1",
            )
            .bind(workspace)
            .fetch_optional(pool)
            .await
            .map_err(query("read the last schedule firing"))?)
        })
    }

    /// Counts for `GET /metrics`.
    pub async fn metrics(&self) -> Result<StoreMetrics, StoreError> {
        let buckets: Vec<String> = DURATION_BUCKETS_MS
            .iter()
            .map(|ms| format!("CAST(COALESCE(SUM(CASE WHEN duration_ms <= {ms} THEN 1 ELSE 0 END), 0) AS BIGINT)"))
            .collect();
        let duration_sql = format!(
            "SELECT COUNT(*), CAST(COALESCE(SUM(duration_ms), 0) AS BIGINT), {} \
             FROM runs WHERE duration_ms IS NOT NULL AND {FINISHED}",
            buckets.join(", ")
        );
        on_pool!(self, pool, d => {
            let mut m = StoreMetrics::default();
            for s in RunStatus::ALL {
                m.runs_by_status.insert(s, 0);
            }
            for row in sqlx::query("SELECT status, COUNT(*) AS n FROM runs GROUP BY status")
                .fetch_all(pool)
                .await
                .map_err(query("count runs"))?
            {
                let status: String = col!(row, "status", "runs");
                let n: i64 = col!(row, "n", "runs");
                m.runs_by_status
                    .insert(parse_text("runs.status", &status)?, n as u64);
            }
            m.queue_depth = m.runs_by_status[&RunStatus::Queued];
            m.oldest_queued_at = sqlx::query_scalar::<_, Option<DateTime<Utc>>>(
                "SELECT MIN(queued_at) FROM runs WHERE status = 'queued'",
            )
            .fetch_one(pool)
            .await
            .map_err(query("read queue age"))?;
            let ws: i64 = sqlx::query_scalar("SELECT COUNT(DISTINCT workspace) FROM runs")
                .fetch_one(pool)
                .await
                .map_err(query("count workspaces"))?;
            m.workspaces = ws as u64;
            let drifted: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM runs WHERE drift_count > 0 AND id IN \
                 (SELECT MAX(id) FROM runs WHERE status = 'succeeded' GROUP BY workspace)",
            )
            .fetch_one(pool)
            .await
            .map_err(query("count drifted workspaces"))?;
            m.drifted_workspaces = drifted as u64;
            let pending: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')",
            )
            .fetch_one(pool)
            .await
            .map_err(query("count the outbox"))?;
            m.outbox_pending = pending as u64;
            let row = sqlx::query(&duration_sql)
                .fetch_one(pool)
                .await
                .map_err(query("sum run durations"))?;
            let count: i64 = col!(row, 0, "runs");
            m.durations.count = count as u64;
            m.durations.sum_ms = col!(row, 1, "runs");
            for (i, le) in DURATION_BUCKETS_MS.iter().enumerate() {
                let n: i64 = col!(row, i + 2, "runs");
                m.durations.buckets.push((*le, n as u64));
            }
            Ok(m)
        })
    }
}
