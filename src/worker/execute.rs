//! One claimed run: scan the workspace while holding the lease, then turn the
//! scan into the record the store keeps.

use crate::drift::MemoryIntegrityStore;
use crate::drift::report::{DriftReport, render_json, render_markdown, render_table};
use crate::jobs::Workspace;
use crate::pricing::PriceTable;
use crate::runner::RunnerSettings;
use crate::scan::{Failure, Outcome, WorkspaceScan, scan_workspace};
use crate::store::{RunResult, RunStatus};
use chrono::{DateTime, Utc};

/// The store's view of a finished scan. Only masked values reach it: drift
/// items carry `DisplayValue`s, the report is the versioned drift JSON.
pub fn run_result(
    scan: &WorkspaceScan,
    started_at: DateTime<Utc>,
    finished_at: DateTime<Utc>,
) -> RunResult {
    let status = match (scan.outcome, scan.failure) {
        (Outcome::Errored, Some(Failure::TimedOut)) => RunStatus::TimedOut,
        (Outcome::Errored, Some(Failure::Cancelled)) => RunStatus::Cancelled,
        (Outcome::Errored, _) => RunStatus::Failed,
        _ => RunStatus::Succeeded,
    };
    let exit_status = match scan.failure {
        Some(Failure::Terraform { exit_code }) => exit_code,
        _ => None,
    };
    let (drift_items, costs, integrity, integrity_alerts, report_json) = match &scan.analysis {
        Some(a) => {
            let report = DriftReport {
                workspace: &scan.workspace,
                result: &a.result,
                costs: &a.costs,
                integrity_alerts: &a.integrity_alerts,
            };
            (
                a.result.items.clone(),
                a.costs.clone(),
                a.integrity.clone(),
                a.integrity_alerts.clone(),
                Some(render_json(&report)),
            )
        }
        None => Default::default(),
    };
    RunResult {
        status,
        started_at,
        finished_at,
        tool_version: scan.tool_version.clone(),
        exit_status,
        error: scan.error.clone(),
        state_source: scan.state_source.clone(),
        drift_items,
        costs,
        integrity,
        integrity_alerts,
        report_json,
        notifications: Vec::new(),
        notify_state: None,
        policies: None,
    }
}

/// The drift report of a scan as a terminal table and as Markdown, for
/// consumers that show it (the demo); `None` when the scan has no analysis.
pub fn drift_reports(scan: &WorkspaceScan) -> Option<(String, String)> {
    let a = scan.analysis.as_ref()?;
    let report = DriftReport {
        workspace: &scan.workspace,
        result: &a.result,
        costs: &a.costs,
        integrity_alerts: &a.integrity_alerts,
    };
    Some((render_table(&report), render_markdown(&report)))
}

/// A run that failed before any scan started (its workspace is unknown).
pub fn failed(started_at: DateTime<Utc>, error: String) -> RunResult {
    RunResult {
        status: RunStatus::Failed,
        started_at,
        finished_at: Utc::now(),
        tool_version: None,
        exit_status: None,
        error: Some(error),
        state_source: None,
        drift_items: Vec::new(),
        costs: Default::default(),
        integrity: None,
        integrity_alerts: Vec::new(),
        report_json: None,
        notifications: Vec::new(),
        notify_state: None,
        policies: None,
    }
}

/// Scans `ws` with the integrity record the store kept from the last scan, so
/// a rolled-back or replaced state is noticed across worker restarts.
pub async fn scan(
    ws: &Workspace,
    runner: &RunnerSettings,
    table: &PriceTable,
    last_integrity: Option<crate::drift::IntegrityRecord>,
    cancel: &tokio_util::sync::CancellationToken,
) -> WorkspaceScan {
    let mut integrity = MemoryIntegrityStore::default();
    if let Some(rec) = last_integrity {
        use crate::drift::IntegrityStore;
        // Recording into memory cannot fail.
        let _ = integrity.record(&ws.name, rec);
    }
    scan_workspace(ws, runner, table, Some(&mut integrity), cancel).await
}
