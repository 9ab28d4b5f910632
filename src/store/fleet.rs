//! Read-only queries for the web pages: the fleet's daily trend and the
//! role of a token by its stored hash (page sessions keep the hash, never
//! the secret).

use super::Store;
use super::db::{Ts, on_pool};
use super::error::{StoreError, query};
use super::model::{Role, RunStatus};
use super::runs::{FINISHED, col, parse_text};
use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use serde::Serialize;
use sqlx::Row;
use std::collections::BTreeMap;
use subtle::ConstantTimeEq;

/// One finished run, as little of it as the fleet trend needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FleetRun {
    pub workspace: String,
    pub status: RunStatus,
    pub finished_at: DateTime<Utc>,
    pub drift_item_count: i64,
}

/// One day (UTC) of the fleet: drift open at the end of it and the scans
/// that finished during it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FleetDay {
    pub day: NaiveDate,
    /// Drift items of every workspace's latest succeeded scan as of the end
    /// of the day (a workspace never scanned successfully counts 0).
    pub open_drift: i64,
    /// Scans that finished that day, any final status.
    pub scans: i64,
    /// Of those, failed or timed out.
    pub failures: i64,
}

/// The `days` days ending with `today` from `runs` (any order). Runs before
/// the first day only set each workspace's open drift going in.
pub fn fleet_days(runs: &[FleetRun], today: NaiveDate, days: u32) -> Vec<FleetDay> {
    let days = days.max(1);
    let first = today - TimeDelta::days(i64::from(days) - 1);
    let mut sorted: Vec<&FleetRun> = runs.iter().collect();
    sorted.sort_by_key(|r| r.finished_at);
    let mut open: BTreeMap<&str, i64> = BTreeMap::new();
    let mut out = Vec::with_capacity(days as usize);
    let mut next = sorted.into_iter().peekable();
    let mut day = first;
    while day <= today {
        let (mut scans, mut failures) = (0, 0);
        while let Some(r) = next.next_if(|r| r.finished_at.date_naive() <= day) {
            if r.status == RunStatus::Succeeded {
                open.insert(&r.workspace, r.drift_item_count);
            }
            if r.finished_at.date_naive() == day {
                scans += 1;
                if matches!(r.status, RunStatus::Failed | RunStatus::TimedOut) {
                    failures += 1;
                }
            }
        }
        out.push(FleetDay {
            day,
            open_drift: open.values().sum(),
            scans,
            failures,
        });
        day += TimeDelta::days(1);
    }
    out
}

impl Store {
    /// The fleet's last `days` days (UTC) ending with `now`'s day: one query
    /// for the runs finished in the window and one for each workspace's
    /// latest succeeded run before it.
    pub async fn fleet_days(
        &self,
        days: u32,
        now: DateTime<Utc>,
    ) -> Result<Vec<FleetDay>, StoreError> {
        let days = days.clamp(1, 366);
        let today = now.date_naive();
        let start = (today - TimeDelta::days(i64::from(days) - 1))
            .and_hms_opt(0, 0, 0)
            .map(|t| t.and_utc())
            .unwrap_or(now);
        let runs = on_pool!(self, pool, d => {
            let mut runs = Vec::new();
            let in_window = sqlx::query(&format!(
                "SELECT workspace, status, finished_at, drift_count FROM runs \
                 WHERE {FINISHED} AND finished_at >= $1"
            ))
            .bind(Ts(start))
            .fetch_all(pool)
            .await
            .map_err(query("read the fleet's recent runs"))?;
            let before = sqlx::query(
                "SELECT workspace, status, finished_at, drift_count FROM runs WHERE id IN \
                 (SELECT MAX(id) FROM runs WHERE status = 'succeeded' AND finished_at < $1 \
                 GROUP BY workspace)",
            )
            .bind(Ts(start))
            .fetch_all(pool)
            .await
            .map_err(query("read the fleet's drift before the window"))?;
            for row in in_window.iter().chain(before.iter()) {
                let status: String = col!(row, "status", "runs");
                let finished_at: Option<DateTime<Utc>> = col!(row, "finished_at", "runs");
                let Some(finished_at) = finished_at else { continue };
                runs.push(FleetRun {
                    workspace: col!(row, "workspace", "runs"),
                    status: parse_text("runs.status", &status)?,
                    finished_at,
                    drift_item_count: col!(row, "drift_count", "runs"),
                });
            }
            runs
        });
        Ok(fleet_days(&runs, today, days))
    }

    /// The role of a live token whose stored sha256 (hex) is `sha256_hex`,
    /// `None` when unknown or revoked. Compared in constant time like
    /// [`Store::verify_token`].
    pub async fn verify_token_sha256(&self, sha256_hex: &str) -> Result<Option<Role>, StoreError> {
        let row: Option<(String, String)> = on_pool!(self, pool, d => {
            sqlx::query_as(
                "SELECT token_sha256, role FROM api_tokens WHERE token_sha256 = $1 AND revoked_at IS NULL",
            )
            .bind(sha256_hex)
            .fetch_optional(pool)
            .await
            .map_err(query("verify a session's token"))?
        });
        let Some((stored, role)) = row else {
            return Ok(None);
        };
        if !bool::from(stored.as_bytes().ct_eq(sha256_hex.as_bytes())) {
            return Ok(None);
        }
        Ok(Some(parse_text("api_tokens.role", &role)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn run(ws: &str, status: RunStatus, day: u32, hour: u32, drift: i64) -> FleetRun {
        FleetRun {
            workspace: ws.into(),
            status,
            finished_at: Utc.with_ymd_and_hms(2026, 3, day, hour, 0, 0).unwrap(),
            drift_item_count: drift,
        }
    }

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, day).unwrap()
    }

    #[test]
    fn open_drift_is_each_workspaces_latest_success_at_day_end() {
        let runs = vec![
            // Before the window: sets `a` at 3 going in.
            run("a", RunStatus::Succeeded, 1, 10, 3),
            run("b", RunStatus::Succeeded, 5, 9, 2),
            run("a", RunStatus::Failed, 5, 12, 0),
            run("a", RunStatus::Succeeded, 6, 8, 0),
            run("b", RunStatus::TimedOut, 6, 9, 0),
            run("b", RunStatus::Cancelled, 6, 10, 0),
        ];
        let days = fleet_days(&runs, d(7), 4);
        let got: Vec<_> = days
            .iter()
            .map(|x| (x.day, x.open_drift, x.scans, x.failures))
            .collect();
        assert_eq!(
            got,
            vec![
                (d(4), 3, 0, 0),
                (d(5), 5, 2, 1),
                (d(6), 2, 3, 1),
                (d(7), 2, 0, 0),
            ]
        );
    }

    fn items(n: usize) -> Vec<crate::drift::DriftItem> {
        (0..n)
            .map(|i| {
                serde_json::from_value(serde_json::json!({
                    "address": format!("aws_instance.i{i}"), "resource_type": "aws_instance",
                    "name": format!("i{i}"), "kind": "changed", "cause": "changed_outside_terraform",
                    "changes": [], "fingerprint": format!("f{i}")
                }))
                .unwrap()
            })
            .collect()
    }

    async fn record(store: &Store, ws: &str, status: RunStatus, at: DateTime<Utc>, drift: usize) {
        use super::super::model::{RunResult, Trigger};
        store.enqueue(ws, Trigger::Manual, None).await.unwrap();
        let run = store
            .claim("w", std::time::Duration::from_secs(60))
            .await
            .unwrap()
            .unwrap();
        let mut result = RunResult::bare(status, at, at, None);
        result.drift_items = items(drift);
        assert!(store.complete(run.id, "w", &result).await.unwrap());
    }

    /// The two queries: drift going into the window comes from the latest
    /// success before it; failures and scans from the runs inside it.
    #[tokio::test]
    async fn the_store_reads_the_window_and_the_drift_before_it() {
        let store = Store::open("sqlite::memory:").await.unwrap();
        let at = |day: u32, hour: u32| Utc.with_ymd_and_hms(2026, 3, day, hour, 0, 0).unwrap();
        record(&store, "a", RunStatus::Succeeded, at(1, 1), 4).await;
        record(&store, "a", RunStatus::Succeeded, at(2, 1), 3).await;
        record(&store, "b", RunStatus::Failed, at(2, 2), 0).await;
        record(&store, "b", RunStatus::Succeeded, at(6, 1), 2).await;
        record(&store, "a", RunStatus::TimedOut, at(7, 1), 0).await;
        let days = store.fleet_days(3, at(7, 12)).await.unwrap();
        let got: Vec<_> = days
            .iter()
            .map(|x| (x.day, x.open_drift, x.scans, x.failures))
            .collect();
        assert_eq!(got, vec![(d(5), 3, 0, 0), (d(6), 5, 1, 0), (d(7), 5, 1, 1)]);
    }

    #[test]
    fn zero_days_means_one_and_runs_after_today_are_left_out() {
        let runs = vec![run("a", RunStatus::Succeeded, 9, 1, 4)];
        let days = fleet_days(&runs, d(8), 0);
        assert_eq!(days.len(), 1);
        assert_eq!(days[0].open_drift, 0);
        assert_eq!(days[0].scans, 0);
    }
}
