//! The backend's JSON records (the API contract) read into what the pages
//! show. Unknown fields are ignored and missing ones default, so a record
//! from a newer or older store still renders.

use crate::drift::CostEffect;
use crate::drift::{DriftItem, IntegrityAlert, IntegrityRecord};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// One run (`GET /v1/runs/{id}`, or one element of a runs page).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct RunView {
    pub id: i64,
    pub workspace: String,
    pub trigger: String,
    pub status: String,
    pub attempt: i32,
    pub queued_at: Option<DateTime<Utc>>,
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
    pub detail: Option<DetailView>,
    /// Policy results, when the store records them (shown as they come).
    pub policies: Option<Value>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct DetailView {
    pub drift_items: Vec<DriftItem>,
    pub costs: BTreeMap<String, CostEffect>,
    pub integrity: Option<IntegrityRecord>,
    pub integrity_alerts: Vec<IntegrityAlert>,
}

impl RunView {
    /// When it finished, else started, else was queued.
    pub(crate) fn at(&self) -> Option<DateTime<Utc>> {
        self.finished_at.or(self.started_at).or(self.queued_at)
    }
}

/// One workspace of `GET /v1/workspaces`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct WorkspaceView {
    pub workspace: String,
    pub configured: bool,
    pub last_run_id: Option<i64>,
    pub last_status: Option<String>,
    pub last_run_at: Option<DateTime<Utc>>,
    pub last_success_id: Option<i64>,
    pub last_success_at: Option<DateTime<Utc>>,
    pub drifted: bool,
    pub drift_item_count: i64,
    pub monthly_cost_delta: Option<Decimal>,
}

/// `v` read as `T`, with what failed for the log.
pub(crate) fn read<T: serde::de::DeserializeOwned>(v: Value) -> Result<T, String> {
    serde_json::from_value(v).map_err(|e| e.to_string())
}

/// A status as people read it: `timed_out` → `timed out`.
pub(crate) fn words(s: &str) -> String {
    s.replace('_', " ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn records_read_with_unknown_and_missing_fields() {
        let r: RunView = read(json!({
            "id": 7, "workspace": "prod", "status": "failed", "some_new_field": 1,
            "monthly_cost_delta": "12.50", "finished_at": "2026-03-05T10:00:00Z"
        }))
        .unwrap();
        assert_eq!(r.id, 7);
        assert_eq!(r.monthly_cost_delta, Some(Decimal::new(1250, 2)));
        assert!(r.detail.is_none() && r.error.is_none());
        let w: WorkspaceView =
            read(json!({"workspace": "x", "configured": true, "last_run_id": null})).unwrap();
        assert!(w.last_run_id.is_none() && w.configured);
    }
}
