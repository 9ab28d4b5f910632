//! The notification outbox: rows written by `complete` in the run's
//! transaction, delivered at least once by whichever notifier claims them.

use super::Store;
use super::db::{Ts, micros, on_pool};
use super::error::{StoreError, query};
use super::model::OutboxMessage;
use chrono::{DateTime, TimeDelta, Utc};
use sqlx::Row;
use sqlx::types::Json;
use std::time::Duration;

impl Store {
    /// Claims up to `limit` messages that are due (pending and past their
    /// retry time) or whose sender's lease ran out, oldest first, for `lease`.
    pub async fn claim_outbox(
        &self,
        worker: &str,
        lease: Duration,
        limit: u32,
    ) -> Result<Vec<OutboxMessage>, StoreError> {
        let now = self.now().await?;
        self.claim_outbox_at(worker, lease, limit, now).await
    }

    pub(crate) async fn claim_outbox_at(
        &self,
        worker: &str,
        lease: Duration,
        limit: u32,
        now: DateTime<Utc>,
    ) -> Result<Vec<OutboxMessage>, StoreError> {
        let until = micros(now + TimeDelta::from_std(lease).unwrap_or(TimeDelta::MAX));
        let mut out = on_pool!(self, pool, d => {
            let sql = format!(
                "UPDATE outbox SET status = 'sending', worker = $1, lease_until = $2, attempts = attempts + 1 \
                 WHERE id IN (SELECT id FROM outbox \
                     WHERE (status = 'pending' AND next_attempt_at <= $3) \
                        OR (status = 'sending' AND lease_until < $3) \
                     ORDER BY next_attempt_at, id LIMIT $4 {}) \
                 RETURNING id, run_id, target, kind, payload, idempotency_key, attempts, last_error",
                d.skip_locked()
            );
            let rows = sqlx::query(&sql)
                .bind(worker)
                .bind(Ts(until))
                .bind(Ts(now))
                .bind(i64::from(limit))
                .fetch_all(pool)
                .await
                .map_err(query("claim outbox messages"))?;
            let mut out = Vec::with_capacity(rows.len());
            for row in rows {
                let read = |e| StoreError::Query { op: "read outbox", source: e };
                let payload: Json<serde_json::Value> = row.try_get("payload").map_err(read)?;
                out.push(OutboxMessage {
                    id: row.try_get("id").map_err(read)?,
                    run_id: row.try_get("run_id").map_err(read)?,
                    target: row.try_get("target").map_err(read)?,
                    kind: row.try_get("kind").map_err(read)?,
                    payload: payload.0,
                    idempotency_key: row.try_get("idempotency_key").map_err(read)?,
                    attempts: row.try_get("attempts").map_err(read)?,
                    last_error: row.try_get("last_error").map_err(read)?,
                });
            }
            out
        });
        out.sort_by_key(|m| m.id);
        Ok(out)
    }

    /// The message was delivered; it is never claimed again.
    pub async fn mark_sent(&self, id: i64) -> Result<(), StoreError> {
        let now = self.now().await?;
        on_pool!(self, pool, d => {
            sqlx::query(
                "UPDATE outbox SET status = 'sent', sent_at = $1, lease_until = NULL, last_error = NULL \
                 WHERE id = $2",
            )
            .bind(Ts(now))
            .bind(id)
            .execute(pool)
            .await
            .map_err(query("mark an outbox message sent"))?;
        });
        Ok(())
    }

    /// Delivery failed: claimable again from `retry_at`. The caller picks the
    /// back-off from `attempts`, and calls [`Store::mark_dead`] to give up.
    pub async fn mark_failed(
        &self,
        id: i64,
        error: &str,
        retry_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool, d => {
            sqlx::query(
                "UPDATE outbox SET status = 'pending', last_error = $1, next_attempt_at = $2, \
                 lease_until = NULL, worker = NULL WHERE id = $3 AND status <> 'sent'",
            )
            .bind(error)
            .bind(Ts(micros(retry_at)))
            .bind(id)
            .execute(pool)
            .await
            .map_err(query("mark an outbox message failed"))?;
        });
        Ok(())
    }

    /// Gives up on a message (a permanent error, or too many attempts).
    pub async fn mark_dead(&self, id: i64, error: &str) -> Result<(), StoreError> {
        on_pool!(self, pool, d => {
            sqlx::query(
                "UPDATE outbox SET status = 'dead', last_error = $1, lease_until = NULL \
                 WHERE id = $2 AND status <> 'sent'",
            )
            .bind(error)
            .bind(id)
            .execute(pool)
            .await
            .map_err(query("give up on an outbox message"))?;
        });
        Ok(())
    }
}
