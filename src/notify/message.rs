//! The notification every channel renders: one workspace, one event, built
//! from the drift engine's types and nothing else ([`super::build`]).
//!
//! It is also the generic webhook's JSON body, so it is a contract
//! (`"version": "1"`; additive changes keep the version):
//!
//! ```json
//! {
//!   "version": "1",
//!   "kind": "drift_detected",   // | drift_changed | drift_resolved | reminder
//!                               // | cost_threshold | integrity_alert | scan_failed
//!                               // | policy_failed
//!   "workspace": "network-prod",
//!   "run_id": "run-42",
//!   "run_url": "https://driftcost.example.com/runs/run-42",   // omitted when unknown
//!   "summary": {"drifted_resources": 1, "attribute_changes": 2},
//!   "items": [{
//!     "address": "aws_db_instance.main", "resource_type": "aws_db_instance",
//!     "kind": "changed", "kind_label": "changed outside terraform",
//!     "fingerprint": "<sha256 hex>", "new": true,
//!     "changes": [
//!       {"path": "allocated_storage", "text": "allocated_storage: 20 → 50", "sensitive": false},
//!       {"path": "password", "text": "password: (sensitive value changed)", "sensitive": true}
//!     ],
//!     "monthly_cost": {"before": "12.41", "after": "18.16", "delta": "5.75",
//!                      "unpriced_components": 0}   // omitted when not priced
//!   }],
//!   "resolved": ["aws_s3_bucket.logs"],            // addresses that no longer drift
//!   "monthly_cost": {"before": "12.41", "after": "18.16", "delta": "5.75",
//!                    "unpriced_components": 0},   // omitted when nothing priced
//!   // unpriced_components: components without a price (usage-based without
//!   // usage, or no price found) left out of the amounts, which are then lower bounds
//!   "integrity_alerts": [{"kind": "serial_rolled_back", "previous": 5, "current": 4, "message": "…"}],
//!   "threshold": {"level": "warn", "limit": "50", "monthly_delta": "62.49",   // cost_threshold only
//!                 "unpriced_components": 0},   // monthly_delta omitted when nothing is priced on both sides
//!   "error": "workspace x: terraform plan failed: …",                         // scan_failed only
//!   "policies": [{"input": "drift", "policy": "drift.db", "rule": "deny",       // policy_failed only
//!                 "level": "fail", "msg": "…", "approval": "dba"}]              // approval: needs_approval only
//! }
//! ```
//!
//! Money is a decimal string in USD per month. A change carries only its
//! display text (`path: before → after`, or `path: (sensitive value changed)`):
//! the drift engine already masked sensitive values, and this module never
//! sees raw plan or state values, so no channel can leak one.

use crate::drift::IntegrityAlert;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Version of the notification JSON contract.
pub const NOTIFICATION_VERSION: &str = "1";

/// Why a notification is sent; also the webhook's `X-Driftcost-Event`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotificationKind {
    /// Drift where none was announced before.
    DriftDetected,
    /// Drift that differs from what was announced last (new, changed or partly gone).
    DriftChanged,
    /// The announced drift is gone.
    DriftResolved,
    /// The same drift as announced, repeated after the reminder interval.
    Reminder,
    /// The drift's monthly cost delta crossed a warn or fail threshold.
    CostThreshold,
    /// The recorded state's lineage, serial or hash moved in a way terraform never does.
    IntegrityAlert,
    /// The scan did not finish, so nothing is known about drift.
    ScanFailed,
    /// A policy of the workspace failed, asks for an approval, or could not
    /// be evaluated (`policies` lists which).
    PolicyFailed,
}

impl NotificationKind {
    /// Stable snake_case name (JSON, headers, idempotency keys).
    pub fn as_str(self) -> &'static str {
        match self {
            NotificationKind::DriftDetected => "drift_detected",
            NotificationKind::DriftChanged => "drift_changed",
            NotificationKind::DriftResolved => "drift_resolved",
            NotificationKind::Reminder => "reminder",
            NotificationKind::CostThreshold => "cost_threshold",
            NotificationKind::IntegrityAlert => "integrity_alert",
            NotificationKind::ScanFailed => "scan_failed",
            NotificationKind::PolicyFailed => "policy_failed",
        }
    }
}

/// Which run the notification comes from, so readers can open it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RunRef {
    pub run_id: String,
    pub run_url: Option<String>,
}

/// One workspace, one event. See the module docs for the JSON contract.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Notification {
    pub version: String,
    pub kind: NotificationKind,
    pub workspace: String,
    pub run_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run_url: Option<String>,
    pub summary: Summary,
    /// Every drifted resource of this scan, sorted by address.
    #[serde(default)]
    pub items: Vec<NotifiedItem>,
    /// Addresses that drifted when last announced and no longer do.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resolved: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monthly_cost: Option<MoneyChange>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub integrity_alerts: Vec<AlertNote>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<ThresholdInfo>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// `policy_failed`: the findings that failed, ask for an approval or are
    /// errors, worst first. Messages are what the policies wrote, from inputs
    /// that never hold a sensitive value.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub policies: Vec<PolicyNote>,
}

/// One policy finding as people read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyNote {
    /// `plan`, `cost` or `drift`.
    pub input: String,
    pub policy: String,
    pub rule: String,
    /// `fail`, `needs_approval` or `error`.
    pub level: String,
    pub msg: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approval: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Summary {
    pub drifted_resources: usize,
    pub attribute_changes: usize,
}

/// One drifted resource as people read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotifiedItem {
    pub address: String,
    pub resource_type: String,
    /// [`crate::drift::DriftKind::as_str`].
    pub kind: String,
    /// [`crate::drift::DriftKind::label`].
    pub kind_label: String,
    pub fingerprint: String,
    /// Not in the previous announcement (always true for `drift_detected`).
    pub new: bool,
    pub changes: Vec<NotifiedChange>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monthly_cost: Option<MoneyChange>,
}

/// One attribute change, as text only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotifiedChange {
    pub path: String,
    /// `path: before → after`, or `path: (sensitive value changed)`.
    pub text: String,
    pub sensitive: bool,
}

/// Monthly cost before and after the drift; a side is `None` when not priced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoneyChange {
    pub before: Option<Decimal>,
    pub after: Option<Decimal>,
    pub delta: Option<Decimal>,
    /// Components without a price that the amounts leave out (see
    /// [`crate::drift::CostEffect::unpriced_components`]): when not 0 they are lower bounds.
    #[serde(default)]
    pub unpriced_components: usize,
}

/// An integrity alert with its explanation for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertNote {
    #[serde(flatten)]
    pub alert: IntegrityAlert,
    pub message: String,
}

/// How serious a cost threshold breach is, as configured per job.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CostLevel {
    Warn,
    Fail,
}

impl CostLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            CostLevel::Warn => "warn",
            CostLevel::Fail => "fail",
        }
    }
}

/// Which threshold the monthly delta crossed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThresholdInfo {
    pub level: CostLevel,
    /// The configured monthly delta (USD) at or above which this level applies.
    pub limit: Decimal,
    /// The priced delta; `None` (omitted) when no resource is priced on both sides.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monthly_delta: Option<Decimal>,
    /// Components without a price left out of `monthly_delta`. When not 0 and
    /// the job does not set `cost_threshold.allow_unpriced`, the level is
    /// reached because the delta is only a lower bound.
    #[serde(default)]
    pub unpriced_components: usize,
}

impl Notification {
    /// The scan ended in an error: nothing is known about drift.
    pub fn scan_failed(workspace: &str, run: &RunRef, error: &str) -> Notification {
        Notification {
            version: NOTIFICATION_VERSION.to_string(),
            kind: NotificationKind::ScanFailed,
            workspace: workspace.to_string(),
            run_id: run.run_id.clone(),
            run_url: run.run_url.clone(),
            summary: Summary::default(),
            items: Vec::new(),
            resolved: Vec::new(),
            monthly_cost: None,
            integrity_alerts: Vec::new(),
            threshold: None,
            error: Some(error.to_string()),
            policies: Vec::new(),
        }
    }

    /// The versioned JSON body (the generic webhook sends exactly these bytes).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a notification serializes")
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::drift::CostEffect;
    use crate::drift::{DriftMode, DriftResult, IgnoreRules, detect};
    use crate::notify::build::Drifted;
    use crate::plan::parse_plan;
    use rust_decimal_macros::dec;
    use std::collections::BTreeMap;
    use std::path::Path;

    /// What a scan of the sensitive-password fixture finds.
    pub(crate) struct SensitiveDrift {
        pub(crate) result: DriftResult,
        pub(crate) costs: BTreeMap<String, CostEffect>,
        pub(crate) integrity_alerts: Vec<IntegrityAlert>,
    }

    impl SensitiveDrift {
        pub(crate) fn drifted(&self) -> Drifted<'_> {
            Drifted {
                result: &self.result,
                costs: &self.costs,
                integrity_alerts: &self.integrity_alerts,
            }
        }
    }

    /// The engine's own output for the sensitive-password fixture: the secret is
    /// in the plan JSON, so any leak would show.
    pub(crate) fn sensitive_drift() -> SensitiveDrift {
        let p = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/drift_sensitive_password.json");
        let plan = parse_plan(&std::fs::read(&p).unwrap(), &p).unwrap();
        let result: DriftResult =
            detect(&plan, None, DriftMode::RefreshOnly, &IgnoreRules::default()).unwrap();
        let mut costs = BTreeMap::new();
        costs.insert(
            "aws_db_instance.main".to_string(),
            CostEffect {
                monthly_before: Some(dec!(14.71)),
                monthly_after: Some(dec!(19.31)),
                unpriced_components: 0,
            },
        );
        SensitiveDrift {
            result,
            costs,
            integrity_alerts: vec![IntegrityAlert::SerialRolledBack {
                previous: 5,
                current: 4,
            }],
        }
    }

    pub(crate) const SECRETS: [&str; 2] = [
        "hunter2-SUPER-secret-before",
        "rotated-OUT-OF-BAND-s3cret-after",
    ];

    pub(crate) fn run() -> RunRef {
        RunRef {
            run_id: "run-42".into(),
            run_url: Some("https://driftcost.example.com/runs/run-42".into()),
        }
    }

    #[test]
    fn scan_failed_carries_the_error_only() {
        let n = Notification::scan_failed("ws", &run(), "terraform init failed");
        let v: serde_json::Value = serde_json::from_str(&n.to_json()).unwrap();
        assert_eq!(v["kind"], "scan_failed");
        assert_eq!(v["error"], "terraform init failed");
        assert_eq!(v["items"], serde_json::json!([]));
    }
}
