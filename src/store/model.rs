//! What the store takes and hands back. Plain data, serializable for the API.

use crate::drift::CostEffect;
use crate::drift::{DriftItem, IntegrityAlert, IntegrityRecord};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

/// Run ids grow with time on both backends, so they double as the paging key.
pub type RunId = i64;

/// Text stored for an enum; unknown text means a newer driftcost wrote the row.
macro_rules! text_enum {
    ($name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        impl $name {
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                match s {
                    $($text => Ok($name::$variant),)+
                    other => Err(format!(
                        "unknown {} `{other}` (expected one of: {})",
                        stringify!($name),
                        [$($text),+].join(", ")
                    )),
                }
            }
        }
    };
}
pub(crate) use text_enum;

/// Why a run was queued.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    Schedule,
    Api,
    Manual,
}
text_enum!(Trigger { Schedule => "schedule", Api => "api", Manual => "manual" });

/// Where a run is in its life. Queued and running are active; the rest are final.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunStatus {
    Queued,
    Running,
    Succeeded,
    Failed,
    TimedOut,
    Cancelled,
}
text_enum!(RunStatus {
    Queued => "queued",
    Running => "running",
    Succeeded => "succeeded",
    Failed => "failed",
    TimedOut => "timed_out",
    Cancelled => "cancelled",
});

impl RunStatus {
    pub const ALL: [RunStatus; 6] = [
        RunStatus::Queued,
        RunStatus::Running,
        RunStatus::Succeeded,
        RunStatus::Failed,
        RunStatus::TimedOut,
        RunStatus::Cancelled,
    ];

    /// A final status: the run will not change again.
    pub fn is_finished(self) -> bool {
        !matches!(self, RunStatus::Queued | RunStatus::Running)
    }
}

/// What an API token may do; each role includes the ones before it:
/// `read` < `trigger` < `approver` < `admin`. An approver decides on runs
/// that wait for an approval and may also trigger scans (deciding on a run
/// often means scanning again); only an admin reads the audit trail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Read,
    Trigger,
    Approver,
    Admin,
}
text_enum!(Role { Read => "read", Trigger => "trigger", Approver => "approver", Admin => "admin" });

/// A run a worker now owns until `lease_until` (renew before then).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClaimedRun {
    pub id: RunId,
    pub workspace: String,
    pub trigger: Trigger,
    /// 1 on the first claim; more when a worker died holding it.
    pub attempt: i32,
    pub queued_at: DateTime<Utc>,
    pub scheduled_for: Option<DateTime<Utc>>,
    pub lease_until: DateTime<Utc>,
}

/// What a worker hands to [`super::Store::complete`]; written in one transaction.
#[derive(Debug, Clone)]
pub struct RunResult {
    /// A final status (not queued/running).
    pub status: RunStatus,
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
    pub tool_version: Option<String>,
    pub exit_status: Option<i32>,
    pub error: Option<String>,
    /// Where the recorded state was read from (`s3://bucket/key`), never credentials.
    pub state_source: Option<String>,
    /// Already masked: only what `DriftItem` serializes is stored.
    pub drift_items: Vec<DriftItem>,
    /// By drift item address, as in the drift report.
    pub costs: BTreeMap<String, CostEffect>,
    pub integrity: Option<IntegrityRecord>,
    pub integrity_alerts: Vec<IntegrityAlert>,
    /// The versioned drift JSON report, stored byte for byte.
    pub report_json: Option<String>,
    pub notifications: Vec<NewOutboxMessage>,
    /// The notifier's dedup state after this run (JSON), replacing the
    /// workspace's previous one in the same transaction; `None` leaves it.
    pub notify_state: Option<String>,
    /// The policies evaluated on this run and their outcome; `None`: the
    /// workspace has no policies (nothing is stored).
    pub policies: Option<super::RunPolicies>,
}

impl RunResult {
    /// A result with no drift data, for failures, timeouts and cancellations.
    pub fn bare(
        status: RunStatus,
        started_at: DateTime<Utc>,
        finished_at: DateTime<Utc>,
        error: Option<String>,
    ) -> RunResult {
        RunResult {
            status,
            started_at,
            finished_at,
            tool_version: None,
            exit_status: None,
            error,
            state_source: None,
            drift_items: Vec::new(),
            costs: BTreeMap::new(),
            integrity: None,
            integrity_alerts: Vec::new(),
            report_json: None,
            notifications: Vec::new(),
            notify_state: None,
            policies: None,
        }
    }

    /// Sum of the deltas of drift items priced on both sides, as the drift
    /// report's summary computes it; `None` when no item is priced.
    pub fn monthly_cost_delta(&self) -> Option<Decimal> {
        let deltas: Vec<Decimal> = self
            .drift_items
            .iter()
            .filter_map(|i| self.costs.get(&i.address).and_then(CostEffect::delta))
            .collect();
        (!deltas.is_empty()).then(|| deltas.into_iter().sum::<Decimal>().normalize())
    }
}

/// A notification to send once the run is recorded. A key already in the
/// outbox (from this or an earlier run) is not queued again: the notifier
/// picks keys so that this is the deduplication it wants.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewOutboxMessage {
    /// Which configured target (`slack:platform`, `email:oncall`, …).
    pub target: String,
    /// What it is about (`drift_detected`, `drift_resolved`, `integrity_alert`, …).
    pub kind: String,
    pub payload: serde_json::Value,
    pub idempotency_key: String,
}

/// A claimed outbox row: send it, then `mark_sent` or `mark_failed`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutboxMessage {
    pub id: i64,
    pub run_id: RunId,
    pub target: String,
    pub kind: String,
    pub payload: serde_json::Value,
    pub idempotency_key: String,
    /// Including this one.
    pub attempts: i32,
    pub last_error: Option<String>,
}

/// One row of the run history.
#[derive(Debug, Clone, Serialize)]
pub struct RunRecord {
    pub id: RunId,
    pub workspace: String,
    pub trigger: Trigger,
    pub status: RunStatus,
    pub attempt: i32,
    pub worker: Option<String>,
    pub lease_until: Option<DateTime<Utc>>,
    pub queued_at: DateTime<Utc>,
    pub scheduled_for: Option<DateTime<Utc>>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    pub duration_ms: Option<i64>,
    pub tool_version: Option<String>,
    pub exit_status: Option<i32>,
    pub error: Option<String>,
    pub state_source: Option<String>,
    pub drift_item_count: i64,
    pub monthly_cost_delta: Option<Decimal>,
    /// Filled by `get_run` only; lists leave it out to stay small.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<RunDetail>,
}

/// Everything a finished run recorded besides its row.
#[derive(Debug, Clone, Serialize, Default)]
pub struct RunDetail {
    pub drift_items: Vec<DriftItem>,
    pub costs: BTreeMap<String, CostEffect>,
    pub integrity: Option<IntegrityRecord>,
    pub integrity_alerts: Vec<IntegrityAlert>,
    /// The versioned drift JSON report, as the worker wrote it.
    pub report_json: Option<String>,
}

/// One workspace for `GET /v1/workspaces`: its latest run and latest drift.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WorkspaceSummary {
    pub workspace: String,
    pub last_run_id: RunId,
    pub last_status: RunStatus,
    /// When the latest run finished, else started, else was queued.
    pub last_run_at: DateTime<Utc>,
    /// The latest succeeded run: the drift figures below come from it.
    pub last_success_id: Option<RunId>,
    pub last_success_at: Option<DateTime<Utc>>,
    pub drifted: bool,
    pub drift_item_count: i64,
    pub monthly_cost_delta: Option<Decimal>,
}

/// Figures for `GET /metrics`.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct StoreMetrics {
    /// Every status, zero included, so Prometheus series do not vanish.
    pub runs_by_status: BTreeMap<RunStatus, u64>,
    /// Queued runs not yet claimed.
    pub queue_depth: u64,
    pub oldest_queued_at: Option<DateTime<Utc>>,
    pub workspaces: u64,
    /// Workspaces whose latest succeeded run found drift.
    pub drifted_workspaces: u64,
    /// Outbox messages not yet sent (pending or being sent).
    pub outbox_pending: u64,
    /// Finished runs that have a duration.
    pub durations: DurationStats,
}

/// A Prometheus histogram of run durations over all finished runs.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct DurationStats {
    pub count: u64,
    pub sum_ms: i64,
    /// (upper bound in ms, runs at most that long): cumulative, as Prometheus `le` buckets.
    pub buckets: Vec<(i64, u64)>,
}

/// Upper bounds of [`DurationStats::buckets`], in milliseconds.
pub const DURATION_BUCKETS_MS: [i64; 10] = [
    1_000, 5_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 1_800_000, 3_600_000,
];

/// An API token as listed for admins (never the secret or its hash).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TokenInfo {
    pub id: i64,
    pub role: Role,
    pub label: String,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}
