//! The run queue (enqueue, claim, renew, complete, cancel) and its history.

use super::Store;
use super::db::{Ts, WritePool, micros, on_pool};
use super::error::{StoreError, query};
use super::model::*;
use crate::drift::report::CostEffect;
use crate::drift::{DriftItem, IntegrityAlert, IntegrityRecord};
use chrono::{DateTime, TimeDelta, Utc};
use rust_decimal::Decimal;
use sqlx::Row;
use sqlx::types::Json;
use std::collections::BTreeMap;
use std::str::FromStr;
use std::time::Duration;

/// Columns of a [`RunRecord`], in one form both dialects read alike.
const RUN_COLS: &str = "id, workspace, triggered_by, status, attempt, worker, lease_until, \
    queued_at, scheduled_for, started_at, finished_at, duration_ms, tool_version, exit_status, \
    error, state_source, drift_count, CAST(cost_delta AS TEXT) AS cost_delta";

const ACTIVE: &str = "status IN ('queued', 'running')";
const FINISHED: &str = "status NOT IN ('queued', 'running')";

/// Largest page `list_runs` returns, whatever the caller asks for.
pub const MAX_PAGE: u32 = 1000;

/// Reads column `$name` of `$row`, naming the table in the error.
macro_rules! col {
    ($row:expr, $name:expr, $what:literal) => {
        $row.try_get($name)
            .map_err(query(concat!("read ", $what)))?
    };
}

/// Decodes one row selected with [`RUN_COLS`] (works for both row types).
macro_rules! run_from_row {
    ($row:expr) => {{
        let row = $row;
        let trigger: String = col!(row, "triggered_by", "runs");
        let status: String = col!(row, "status", "runs");
        let cost: Option<String> = col!(row, "cost_delta", "runs");
        RunRecord {
            id: col!(row, "id", "runs"),
            workspace: col!(row, "workspace", "runs"),
            trigger: parse_text("runs.triggered_by", &trigger)?,
            status: parse_text("runs.status", &status)?,
            attempt: col!(row, "attempt", "runs"),
            worker: col!(row, "worker", "runs"),
            lease_until: col!(row, "lease_until", "runs"),
            queued_at: col!(row, "queued_at", "runs"),
            scheduled_for: col!(row, "scheduled_for", "runs"),
            started_at: col!(row, "started_at", "runs"),
            finished_at: col!(row, "finished_at", "runs"),
            duration_ms: col!(row, "duration_ms", "runs"),
            tool_version: col!(row, "tool_version", "runs"),
            exit_status: col!(row, "exit_status", "runs"),
            error: col!(row, "error", "runs"),
            state_source: col!(row, "state_source", "runs"),
            drift_item_count: col!(row, "drift_count", "runs"),
            monthly_cost_delta: parse_money("runs.cost_delta", cost)?,
            detail: None,
        }
    }};
}

pub(crate) fn parse_text<T: FromStr<Err = String>>(
    what: &'static str,
    s: &str,
) -> Result<T, StoreError> {
    s.parse()
        .map_err(|message| StoreError::Corrupt { what, message })
}

fn parse_money(what: &'static str, s: Option<String>) -> Result<Option<Decimal>, StoreError> {
    s.map(|s| {
        Decimal::from_str(&s).map_err(|e| StoreError::Corrupt {
            what,
            message: format!("`{s}` is not a decimal ({e})"),
        })
    })
    .transpose()
}

/// A lease as a time span, at most ten years: the CLI refuses more than a
/// day, and a library caller's `Duration::MAX` must not overflow the clock.
fn lease_delta(lease: Duration) -> TimeDelta {
    TimeDelta::from_std(lease)
        .unwrap_or(TimeDelta::MAX)
        .min(TimeDelta::days(3650))
}

impl Store {
    /// Queues a scan unless one is already queued or running for that
    /// workspace: then returns that run's id and `false`. A scheduled enqueue
    /// records `scheduled_for` as the schedule's last firing either way.
    pub async fn enqueue(
        &self,
        workspace: &str,
        trigger: Trigger,
        scheduled_for: Option<DateTime<Utc>>,
    ) -> Result<(RunId, bool), StoreError> {
        let now = self.now().await?;
        self.enqueue_at(workspace, trigger, scheduled_for, now)
            .await
    }

    pub(crate) async fn enqueue_at(
        &self,
        workspace: &str,
        trigger: Trigger,
        scheduled_for: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Result<(RunId, bool), StoreError> {
        let scheduled_for = scheduled_for.map(micros);
        // The active run we collide with may finish between our insert and our
        // look-up; then the next round inserts.
        for _ in 0..5 {
            let found: Option<(RunId, bool)> = on_pool!(self, pool, d => {
                let mut tx = pool.begin_write().await.map_err(query("enqueue"))?;
                let inserted: Option<i64> = sqlx::query_scalar(
                    "INSERT INTO runs (workspace, triggered_by, status, queued_at, scheduled_for) \
                     VALUES ($1, $2, 'queued', $3, $4) ON CONFLICT DO NOTHING RETURNING id",
                )
                .bind(workspace)
                .bind(trigger.as_str())
                .bind(Ts(now))
                .bind(scheduled_for.map(Ts))
                .fetch_optional(&mut *tx)
                .await
                .map_err(query("enqueue"))?;
                let found = match inserted {
                    Some(id) => Some((id, true)),
                    None => sqlx::query_scalar::<_, i64>(&format!(
                        "SELECT id FROM runs WHERE workspace = $1 AND {ACTIVE}"
                    ))
                    .bind(workspace)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(query("enqueue"))?
                    .map(|id| (id, false)),
                };
                if found.is_some() {
                    if let (Trigger::Schedule, Some(at)) = (trigger, scheduled_for) {
                        sqlx::query(
                            "INSERT INTO schedule_marks (workspace, last_fired) VALUES ($1, $2) \
                             ON CONFLICT (workspace) DO UPDATE SET last_fired = excluded.last_fired \
                             WHERE excluded.last_fired > schedule_marks.last_fired",
                        )
                        .bind(workspace)
                        .bind(Ts(at))
                        .execute(&mut *tx)
                        .await
                        .map_err(query("record schedule firing"))?;
                    }
                    tx.commit().await.map_err(query("enqueue"))?;
                }
                found
            });
            if let Some(found) = found {
                return Ok(found);
            }
        }
        Err(StoreError::Query {
            op: "enqueue",
            source: sqlx::Error::Protocol(format!(
                "workspace `{workspace}` kept changing between insert and look-up"
            )),
        })
    }

    /// Claims the oldest queued run, or a running one whose lease ran out (its
    /// worker died): status running, owned by `worker` until now + `lease`,
    /// attempt + 1. `None` when there is nothing to do.
    pub async fn claim(
        &self,
        worker: &str,
        lease: Duration,
    ) -> Result<Option<ClaimedRun>, StoreError> {
        let now = self.now().await?;
        self.claim_at(worker, lease, now).await
    }

    pub(crate) async fn claim_at(
        &self,
        worker: &str,
        lease: Duration,
        now: DateTime<Utc>,
    ) -> Result<Option<ClaimedRun>, StoreError> {
        let until = micros(now + lease_delta(lease));
        on_pool!(self, pool, d => {
            // One statement: atomic on SQLite (it takes the write lock before
            // reading); on PostgreSQL the row lock plus SKIP LOCKED keeps
            // concurrent claimers off the row this one takes.
            let sql = format!(
                "UPDATE runs SET status = 'running', worker = $1, lease_until = $2, \
                 attempt = attempt + 1, started_at = $3 \
                 WHERE id = (SELECT id FROM runs \
                     WHERE status = 'queued' OR (status = 'running' AND lease_until < $3) \
                     ORDER BY queued_at, id LIMIT 1 {}) \
                 RETURNING id, workspace, triggered_by, attempt, queued_at, scheduled_for, lease_until",
                d.skip_locked()
            );
            let row = sqlx::query(&sql)
                .bind(worker)
                .bind(Ts(until))
                .bind(Ts(now))
                .fetch_optional(pool)
                .await
                .map_err(query("claim a run"))?;
            let Some(row) = row else { return Ok(None) };
            let trigger: String = col!(row, "triggered_by", "runs");
            Ok(Some(ClaimedRun {
                id: col!(row, "id", "runs"),
                workspace: col!(row, "workspace", "runs"),
                trigger: parse_text("runs.triggered_by", &trigger)?,
                attempt: col!(row, "attempt", "runs"),
                queued_at: col!(row, "queued_at", "runs"),
                scheduled_for: col!(row, "scheduled_for", "runs"),
                lease_until: col!(row, "lease_until", "runs"),
            }))
        })
    }

    /// Extends the lease to now + `lease`. `false`: this worker no longer owns
    /// the run (its lease ran out and another worker claimed it): stop work.
    pub async fn renew(
        &self,
        run: RunId,
        worker: &str,
        lease: Duration,
    ) -> Result<bool, StoreError> {
        let now = self.now().await?;
        self.renew_at(run, worker, lease, now).await
    }

    pub(crate) async fn renew_at(
        &self,
        run: RunId,
        worker: &str,
        lease: Duration,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let until = micros(now + lease_delta(lease));
        let n = on_pool!(self, pool, d => {
            sqlx::query(
                "UPDATE runs SET lease_until = $1 WHERE id = $2 AND worker = $3 AND status = 'running'",
            )
            .bind(Ts(until))
            .bind(run)
            .bind(worker)
            .execute(pool)
            .await
            .map_err(query("renew a lease"))?
            .rows_affected()
        });
        Ok(n == 1)
    }

    /// Records the result exactly once: only while the run is still running
    /// and owned by `worker`, and everything (run row, drift items, costs,
    /// integrity record, outbox rows) in one transaction. `false`: the run was
    /// completed or re-claimed by someone else, and nothing was written.
    pub async fn complete(
        &self,
        run: RunId,
        worker: &str,
        result: &RunResult,
    ) -> Result<bool, StoreError> {
        let invalid = |message: String| StoreError::InvalidResult { run, message };
        if !result.status.is_finished() {
            return Err(invalid(format!(
                "status `{}` is not final; pass succeeded, failed, timed_out or cancelled",
                result.status
            )));
        }
        let serial = match &result.integrity {
            Some(rec) => Some(
                i64::try_from(rec.serial)
                    .map_err(|_| invalid(format!("state serial {} is out of range", rec.serial)))?,
            ),
            None => None,
        };
        let started = micros(result.started_at);
        let finished = micros(result.finished_at);
        let duration_ms = (finished - started).num_milliseconds().max(0);
        let cost_delta = result.monthly_cost_delta().map(|d| d.to_string());
        let now = self.now().await?;
        on_pool!(self, pool, d => {
            let mut tx = pool.begin_write().await.map_err(query("complete a run"))?;
            let sql = format!(
                "UPDATE runs SET status = $1, started_at = $2, finished_at = $3, duration_ms = $4, \
                 tool_version = $5, exit_status = $6, error = $7, state_source = $8, \
                 drift_count = $9, cost_delta = {}, report_json = $11, lease_until = NULL \
                 WHERE id = $12 AND worker = $13 AND status = 'running' RETURNING workspace",
                d.money("$10")
            );
            let workspace: Option<String> = sqlx::query_scalar(&sql)
                .bind(result.status.as_str())
                .bind(Ts(started))
                .bind(Ts(finished))
                .bind(duration_ms)
                .bind(result.tool_version.as_deref())
                .bind(result.exit_status)
                .bind(result.error.as_deref())
                .bind(result.state_source.as_deref())
                .bind(result.drift_items.len() as i64)
                .bind(cost_delta.as_deref())
                .bind(result.report_json.as_deref())
                .bind(run)
                .bind(worker)
                .fetch_optional(&mut *tx)
                .await
                .map_err(query("complete a run"))?;
            // Dropping the transaction rolls it back: nothing written.
            let Some(workspace) = workspace else { return Ok(false) };
            for (seq, item) in result.drift_items.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO drift_items (run_id, seq, address, resource_type, kind, fingerprint, item) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(run)
                .bind(seq as i32)
                .bind(&item.address)
                .bind(&item.resource_type)
                .bind(item.kind.as_str())
                .bind(&item.fingerprint)
                .bind(Json(item))
                .execute(&mut *tx)
                .await
                .map_err(query("store drift items"))?;
            }
            let cost_sql = format!(
                "INSERT INTO run_costs (run_id, address, monthly_before, monthly_after) VALUES ($1, $2, {}, {})",
                d.money("$3"),
                d.money("$4")
            );
            for (address, c) in &result.costs {
                sqlx::query(&cost_sql)
                    .bind(run)
                    .bind(address)
                    .bind(c.monthly_before.map(|v| v.to_string()))
                    .bind(c.monthly_after.map(|v| v.to_string()))
                    .execute(&mut *tx)
                    .await
                    .map_err(query("store costs"))?;
            }
            if let (Some(rec), Some(serial)) = (&result.integrity, serial) {
                sqlx::query(
                    "INSERT INTO integrity_records (run_id, workspace, lineage, serial, sha256, alerts, recorded_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(run)
                .bind(&workspace)
                .bind(&rec.lineage)
                .bind(serial)
                .bind(&rec.sha256)
                .bind(Json(&result.integrity_alerts))
                .bind(Ts(finished))
                .execute(&mut *tx)
                .await
                .map_err(query("store the integrity record"))?;
            }
            for m in &result.notifications {
                sqlx::query(
                    "INSERT INTO outbox (run_id, target, kind, payload, idempotency_key, status, attempts, \
                     next_attempt_at, created_at) VALUES ($1, $2, $3, $4, $5, 'pending', 0, $6, $6) \
                     ON CONFLICT DO NOTHING",
                )
                .bind(run)
                .bind(&m.target)
                .bind(&m.kind)
                .bind(Json(&m.payload))
                .bind(&m.idempotency_key)
                .bind(Ts(now))
                .execute(&mut *tx)
                .await
                .map_err(query("queue notifications"))?;
            }
            if let Some(state) = &result.notify_state {
                sqlx::query(
                    "INSERT INTO notify_state (workspace, state, updated_at) VALUES ($1, $2, $3) \
                     ON CONFLICT (workspace) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at",
                )
                .bind(&workspace)
                .bind(state)
                .bind(Ts(now))
                .execute(&mut *tx)
                .await
                .map_err(query("store what was announced"))?;
            }
            tx.commit().await.map_err(query("complete a run"))?;
            Ok(true)
        })
    }

    /// What was last announced for `workspace` (the notifier's dedup state, as
    /// the JSON the worker wrote with the run result).
    pub async fn notify_state(&self, workspace: &str) -> Result<Option<String>, StoreError> {
        on_pool!(self, pool, _d => {
            sqlx::query_scalar::<_, String>("SELECT state FROM notify_state WHERE workspace = $1")
                .bind(workspace)
                .fetch_optional(pool)
                .await
                .map_err(query("read the notify state"))
        })
    }

    /// On shutdown: records this worker's running runs as cancelled with
    /// `reason`. Returns how many.
    pub async fn cancel_running(&self, worker: &str, reason: &str) -> Result<u64, StoreError> {
        let now = self.now().await?;
        self.cancel_running_at(worker, reason, now).await
    }

    pub(crate) async fn cancel_running_at(
        &self,
        worker: &str,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        on_pool!(self, pool, d => {
            let mut tx = pool.begin_write().await.map_err(query("cancel runs"))?;
            let rows = sqlx::query(
                "SELECT id, started_at FROM runs WHERE worker = $1 AND status = 'running'",
            )
            .bind(worker)
            .fetch_all(&mut *tx)
            .await
            .map_err(query("cancel runs"))?;
            let mut n = 0;
            for row in rows {
                let id: i64 = col!(row, "id", "runs");
                let started: Option<DateTime<Utc>> = col!(row, "started_at", "runs");
                let ms = started.map(|s| (now - s).num_milliseconds().max(0));
                n += sqlx::query(
                    "UPDATE runs SET status = 'cancelled', error = $1, finished_at = $2, \
                     duration_ms = $3, lease_until = NULL \
                     WHERE id = $4 AND worker = $5 AND status = 'running'",
                )
                .bind(reason)
                .bind(Ts(now))
                .bind(ms)
                .bind(id)
                .bind(worker)
                .execute(&mut *tx)
                .await
                .map_err(query("cancel runs"))?
                .rows_affected();
            }
            tx.commit().await.map_err(query("cancel runs"))?;
            Ok(n)
        })
    }

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
                 CAST(monthly_after AS TEXT) AS after FROM run_costs WHERE run_id = $1",
            )
            .bind(id)
            .fetch_all(pool)
            .await
            .map_err(query("read costs"))?
            {
                let address: String = col!(row, "address", "run_costs");
                let before: Option<String> = col!(row, "before", "run_costs");
                let after: Option<String> = col!(row, "after", "run_costs");
                costs.insert(
                    address,
                    CostEffect {
                        monthly_before: parse_money("run_costs.monthly_before", before)?,
                        monthly_after: parse_money("run_costs.monthly_after", after)?,
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
