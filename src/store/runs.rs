//! What the queue and the history share: the columns of a run and how a
//! row reads back into a [`RunRecord`] in both SQL dialects.

use super::error::StoreError;
use chrono::TimeDelta;
use rust_decimal::Decimal;
use std::str::FromStr;
use std::time::Duration;

/// Columns of a [`RunRecord`], in one form both dialects read alike.
pub(super) const RUN_COLS: &str = "id, workspace, triggered_by, status, attempt, worker, lease_until, \
    queued_at, scheduled_for, started_at, finished_at, duration_ms, tool_version, exit_status, \
    error, state_source, drift_count, CAST(cost_delta AS TEXT) AS cost_delta";

pub(super) const ACTIVE: &str = "status IN ('queued', 'running')";
pub(super) const FINISHED: &str = "status NOT IN ('queued', 'running')";

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

pub(super) fn parse_money(
    what: &'static str,
    s: Option<String>,
) -> Result<Option<Decimal>, StoreError> {
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
pub(super) fn lease_delta(lease: Duration) -> TimeDelta {
    TimeDelta::from_std(lease)
        .unwrap_or(TimeDelta::MAX)
        .min(TimeDelta::days(3650))
}

pub(super) use {col, run_from_row};
