//! What the API needs from the rest of driftcost, as one trait.
//!
//! The HTTP layer never touches the run store or the job files directly: it
//! asks an [`ApiBackend`]. The real implementation is a thin adapter over the
//! run store and the loaded jobs; tests use an in-memory one. Records cross the
//! boundary as `serde_json::Value` so the store's record types can change
//! without touching the HTTP layer; the API passes them through unchanged.

use crate::store::{AuditEvent, AuditFilter, Decided, Decision};
use crate::store::{FleetDay, FleetRun, RunStatus, fleet_days};
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;
use std::future::Future;

/// Who a valid token belongs to: its role, and its label (who acted, in the
/// audit trail). Put in the request's extensions by the auth middleware.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub role: Role,
    /// The token's label; `token N` when it has none, empty when the backend
    /// does not know labels.
    pub label: String,
}

/// What a bearer token may do. Ordered: `Admin` ⊇ `Approver` ⊇ `Trigger` ⊇ `Read`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// Read runs, workspaces and metrics.
    Read,
    /// Also start scans.
    Trigger,
    /// Also approve or reject runs whose policies ask for an approval.
    Approver,
    /// Everything: also the audit trail (token management lives in the CLI).
    Admin,
}

impl Role {
    /// Whether a token with this role may do what `required` guards.
    pub fn allows(self, required: Role) -> bool {
        self >= required
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Read => "read",
            Role::Trigger => "trigger",
            Role::Approver => "approver",
            Role::Admin => "admin",
        }
    }
}

impl From<Role> for crate::store::Role {
    fn from(r: Role) -> Self {
        match r {
            Role::Read => crate::store::Role::Read,
            Role::Trigger => crate::store::Role::Trigger,
            Role::Approver => crate::store::Role::Approver,
            Role::Admin => crate::store::Role::Admin,
        }
    }
}

impl From<crate::store::Role> for Role {
    fn from(r: crate::store::Role) -> Self {
        match r {
            crate::store::Role::Read => Role::Read,
            crate::store::Role::Trigger => Role::Trigger,
            crate::store::Role::Approver => Role::Approver,
            crate::store::Role::Admin => Role::Admin,
        }
    }
}

/// Why the backend could not answer. The HTTP layer logs the cause and sends
/// the client only the kind (503 or 500), never store internals.
#[derive(Debug, thiserror::Error)]
pub enum ApiBackendError {
    /// The store cannot be reached or is busy right now; the client may retry
    /// (503 with `Retry-After`).
    #[error("run store unavailable: {0}")]
    Unavailable(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// Anything else (500).
    #[error("run store error: {0}")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// The run store and job definitions, as the API sees them.
///
/// Contract for the JSON records (passed to clients unchanged):
/// - [`run`](ApiBackend::run) and each element of [`runs`](ApiBackend::runs) is
///   one run record and has an integer `"id"` field (the API reads it to build
///   the `next` page cursor of `GET /v1/workspaces/{name}/runs`).
/// - [`workspaces`](ApiBackend::workspaces) returns one summary per workspace.
/// - [`workspace`](ApiBackend::workspace) returns the latest drift and cost of
///   one workspace, `None` when the store has nothing for it yet.
///
/// `verify_token` must compare in constant time (the store keeps only hashes;
/// compare the hash of `secret` with `subtle`-style equality, never `==` on the
/// secret) and must never log `secret`.
pub trait ApiBackend: Send + Sync + 'static {
    /// The role of the token whose secret is `secret`, `None` when unknown or revoked.
    fn verify_token(
        &self,
        secret: &str,
    ) -> impl Future<Output = Result<Option<Role>, ApiBackendError>> + Send;

    /// Who the token whose secret is `secret` belongs to; `None` when unknown
    /// or revoked. The default knows only the role.
    fn identify(
        &self,
        secret: &str,
    ) -> impl Future<Output = Result<Option<Caller>, ApiBackendError>> + Send {
        async move {
            Ok(self.verify_token(secret).await?.map(|role| Caller {
                role,
                label: String::new(),
            }))
        }
    }

    /// Appends `event` to the audit trail.
    fn record_audit(
        &self,
        event: AuditEvent,
    ) -> impl Future<Output = Result<(), ApiBackendError>> + Send;

    /// Audit entries matching `filter`, newest first, each with an integer `"id"`.
    fn audit(
        &self,
        filter: AuditFilter,
    ) -> impl Future<Output = Result<Vec<serde_json::Value>, ApiBackendError>> + Send;

    /// The fleet report (`crate::report::FleetReport` as JSON) from `since` to now.
    fn report(
        &self,
        since: DateTime<Utc>,
    ) -> impl Future<Output = Result<serde_json::Value, ApiBackendError>> + Send;

    /// The role of the live token whose sha256 (lowercase hex of the trimmed
    /// secret) is `sha256_hex`, `None` when unknown or revoked. Page
    /// sessions keep this hash, never the secret, and check it on every
    /// request, so revoking a token ends its sessions at once.
    fn verify_token_sha256(
        &self,
        sha256_hex: &str,
    ) -> impl Future<Output = Result<Option<Role>, ApiBackendError>> + Send;

    /// Who the live token whose sha256 is `sha256_hex` belongs to: the actor
    /// of a page action in the audit trail. The default knows only the role.
    fn identify_sha256(
        &self,
        sha256_hex: &str,
    ) -> impl Future<Output = Result<Option<Caller>, ApiBackendError>> + Send {
        async move {
            Ok(self
                .verify_token_sha256(sha256_hex)
                .await?
                .map(|role| Caller {
                    role,
                    label: String::new(),
                }))
        }
    }

    /// When `name`'s schedule next fires after `now`, `None` without a
    /// schedule (or when the backend does not know the schedules).
    fn next_scheduled(&self, _name: &str, _now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        None
    }

    /// The fleet's last `days` days (UTC) for the pages' trend charts. This
    /// default reads each workspace's newest runs (at most 1000 each)
    /// through the methods above; the store backend answers in two queries.
    fn fleet_days(
        &self,
        days: u32,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<Vec<FleetDay>, ApiBackendError>> + Send {
        async move {
            let mut runs = Vec::new();
            for w in self.workspaces().await? {
                let Some(name) = w.get("workspace").and_then(serde_json::Value::as_str) else {
                    continue;
                };
                for r in self.runs(name, 1000, None).await? {
                    let status = r.get("status").and_then(serde_json::Value::as_str);
                    let finished = r.get("finished_at").and_then(serde_json::Value::as_str);
                    let (Some(status), Some(finished)) = (status, finished) else {
                        continue;
                    };
                    let (Ok(status), Ok(finished_at)) = (
                        status.parse::<RunStatus>(),
                        finished.parse::<DateTime<Utc>>(),
                    ) else {
                        continue;
                    };
                    runs.push(FleetRun {
                        workspace: name.to_string(),
                        status,
                        finished_at,
                        drift_item_count: r
                            .get("drift_item_count")
                            .and_then(serde_json::Value::as_i64)
                            .unwrap_or(0),
                    });
                }
            }
            Ok(fleet_days(&runs, now.date_naive(), days))
        }
    }

    /// Whether `name` is a workspace in the loaded job files. Only those can be
    /// triggered; history of a workspace removed from the jobs stays readable.
    fn known_workspace(&self, name: &str) -> bool;

    /// Queue a scan of `workspace`: `(run id, created)`. `created` is false when
    /// a queued run of that workspace already existed and is returned instead.
    /// `reason` is the caller's free-text note from the request body, if any.
    fn trigger(
        &self,
        workspace: &str,
        reason: Option<&str>,
    ) -> impl Future<Output = Result<(i64, bool), ApiBackendError>> + Send;

    /// One run record, `None` when there is no run with that id.
    fn run(
        &self,
        id: i64,
    ) -> impl Future<Output = Result<Option<serde_json::Value>, ApiBackendError>> + Send;

    /// Records `caller`'s decision on run `id` (see `crate::store::Store::decide`):
    /// only on a finished run whose policies ask for an approval and that has
    /// no decision yet. `reason` is already checked (length; present to reject).
    fn decide(
        &self,
        id: i64,
        decision: Decision,
        caller: &Caller,
        reason: Option<String>,
    ) -> impl Future<Output = Result<Decided, ApiBackendError>> + Send;

    /// One summary per workspace.
    fn workspaces(
        &self,
    ) -> impl Future<Output = Result<Vec<serde_json::Value>, ApiBackendError>> + Send;

    /// Latest drift and cost of one workspace, `None` when nothing is recorded.
    fn workspace(
        &self,
        name: &str,
    ) -> impl Future<Output = Result<Option<serde_json::Value>, ApiBackendError>> + Send;

    /// Runs of `workspace`, newest first, at most `limit`, only ids `< before`
    /// when given.
    fn runs(
        &self,
        workspace: &str,
        limit: u32,
        before: Option<i64>,
    ) -> impl Future<Output = Result<Vec<serde_json::Value>, ApiBackendError>> + Send;

    /// A cheap round trip to the store for `GET /healthz`: `Ok` when it
    /// answers, so a load balancer takes a server whose store is gone out of
    /// rotation instead of sending it requests that would all fail.
    fn health(&self) -> impl Future<Output = Result<(), ApiBackendError>> + Send;

    /// Numbers for `GET /metrics`.
    fn metrics(&self) -> impl Future<Output = Result<Metrics, ApiBackendError>> + Send;
}

/// What `GET /metrics` exposes, read from the store at scrape time.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Metrics {
    /// Number of runs per status as stored (`queued`, `running`, `succeeded`,
    /// `failed`, `timed_out`, `cancelled`). Finished statuses become the
    /// `driftcost_runs_total` counter; `queued` and `running` go down again, so
    /// they are the `driftcost_runs_active` gauge instead.
    pub runs_by_status: BTreeMap<String, u64>,
    /// Durations of finished scans.
    pub scan_durations: ScanDurations,
    /// Workspaces whose latest finished scan found drift.
    pub drifted_workspaces: u64,
    /// Runs waiting to be claimed.
    pub queue_depth: u64,
}

/// Upper bounds (seconds) of the scan duration histogram: terraform scans
/// take from seconds to tens of minutes.
pub const SCAN_DURATION_BUCKETS: [f64; 10] = [
    1.0, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0, 3600.0,
];

/// A Prometheus histogram of scan durations: cumulative bucket counts plus sum
/// and count. Seconds are `f64`: this is telemetry, not money.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ScanDurations {
    /// `(upper bound in seconds, scans that took at most that long)`, bounds
    /// ascending, counts cumulative. The `+Inf` bucket is `count` and is added
    /// by the renderer. May be empty (then only `+Inf`, sum and count).
    pub buckets: Vec<(f64, u64)>,
    pub sum_seconds: f64,
    pub count: u64,
}

impl ScanDurations {
    /// Builds the histogram over [`SCAN_DURATION_BUCKETS`] from raw durations,
    /// for a store that keeps only per-run timings.
    pub fn from_seconds(samples: impl IntoIterator<Item = f64>) -> Self {
        let mut buckets: Vec<(f64, u64)> = SCAN_DURATION_BUCKETS.iter().map(|&b| (b, 0)).collect();
        let (mut sum_seconds, mut count) = (0.0, 0);
        for s in samples {
            sum_seconds += s;
            count += 1;
            for (bound, n) in &mut buckets {
                if s <= *bound {
                    *n += 1;
                }
            }
        }
        ScanDurations {
            buckets,
            sum_seconds,
            count,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_ordered_by_power() {
        assert!(Role::Admin.allows(Role::Trigger));
        assert!(Role::Admin.allows(Role::Read));
        assert!(Role::Trigger.allows(Role::Read));
        assert!(Role::Trigger.allows(Role::Trigger));
        assert!(!Role::Read.allows(Role::Trigger));
        assert!(!Role::Trigger.allows(Role::Admin));
        assert!(Role::Approver.allows(Role::Trigger));
        assert!(!Role::Trigger.allows(Role::Approver));
        assert!(!Role::Approver.allows(Role::Admin));
        assert!(Role::Admin.allows(Role::Approver));
    }

    #[test]
    fn histogram_from_samples_is_cumulative() {
        let h = ScanDurations::from_seconds([0.5, 4.0, 7.0, 4000.0]);
        assert_eq!(h.count, 4);
        assert_eq!(h.sum_seconds, 4011.5);
        assert_eq!(h.buckets[0], (1.0, 1));
        assert_eq!(h.buckets[1], (5.0, 2));
        assert_eq!(h.buckets[2], (10.0, 3));
        assert_eq!(h.buckets.last(), Some(&(3600.0, 3)));
    }
}
