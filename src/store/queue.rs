//! The run queue: enqueue, claim, renew, complete and cancel, each under
//! the lease and ownership rules of the store's invariants.

use super::Store;
use super::db::{Ts, WritePool, micros, on_pool};
use super::episodes::FoldConn;
use super::error::{StoreError, query};
use super::model::*;
use super::runs::*;
use chrono::{DateTime, Utc};
use sqlx::Row;
use sqlx::types::Json;
use std::time::Duration;

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
                "INSERT INTO run_costs (run_id, address, monthly_before, monthly_after, unpriced_components) \
                 VALUES ($1, $2, {}, {}, $5)",
                d.money("$3"),
                d.money("$4")
            );
            for (address, c) in &result.costs {
                sqlx::query(&cost_sql)
                    .bind(run)
                    .bind(address)
                    .bind(c.monthly_before.map(|v| v.to_string()))
                    .bind(c.monthly_after.map(|v| v.to_string()))
                    .bind(i64::try_from(c.unpriced_components).unwrap_or(i64::MAX))
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
            if result.status == RunStatus::Succeeded {
                (*tx).fold_workspace(&workspace).await?;
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
}
