//! One workspace scan, end to end: the plan (from the runner or a file) and the
//! recorded state go through the drift engine; drifted resources are priced
//! before and after; the recorded state's integrity is checked against the
//! previous scan.
//!
//! This is the only stage that sees all the others; it adds no logic of its
//! own beyond wiring them in order and deciding the outcome.

pub(crate) mod source;
mod workspace;

pub use workspace::{Failure, Timings, WorkspaceScan, run_spec, scan_workspace};

use crate::cost::{CostOptions, estimate};
use crate::drift::CostEffect;
use crate::drift::{
    DriftError, DriftMode, DriftResult, IgnoreRules, IntegrityAlert, IntegrityError,
    IntegrityRecord, IntegrityStore, check, pricing::cost_effects, pricing::pricing_changes,
};
use crate::plan::Plan;
use crate::pricing::PriceTable;
use serde::Serialize;
use std::collections::BTreeMap;

/// The four ways a scan ends. An error is never read as "no drift".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    NoDrift,
    Drifted,
    Errored,
    Disabled,
}

impl Outcome {
    /// CLI exit code: 0 no drift (or disabled), 2 drift, 1 error.
    pub fn exit_code(self) -> u8 {
        match self {
            Outcome::NoDrift | Outcome::Disabled => 0,
            Outcome::Drifted => 2,
            Outcome::Errored => 1,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    #[error(transparent)]
    Drift(#[from] DriftError),
    /// The plan terraform wrote cannot be trusted for drift (incomplete).
    #[error(transparent)]
    Plan(#[from] crate::plan::PlanError),
    /// The drifted resources' values cannot be right (negative sizes,
    /// amounts too large to compute with): one problem per line.
    #[error("the drifted resources cannot be priced:\n{problems}")]
    Inputs { problems: String },
    #[error("recorded state {source_name}: {source}")]
    Integrity {
        source_name: String,
        #[source]
        source: IntegrityError,
    },
}

/// The recorded state as read from the backend.
pub struct Recorded<'a> {
    /// Where it came from (`s3://bucket/key`, a path), for messages.
    pub source: &'a str,
    /// The state v4 object.
    pub state: &'a serde_json::Value,
    /// Its lineage, serial and sha256 of the bytes as stored.
    pub integrity: IntegrityRecord,
}

impl Recorded<'_> {
    /// Parses state bytes read from a file (`driftcost drift --state`).
    pub fn parse(
        bytes: &[u8],
        source: &str,
    ) -> Result<(serde_json::Value, IntegrityRecord), ScanError> {
        let err = |source_err| ScanError::Integrity {
            source_name: source.to_string(),
            source: source_err,
        };
        let integrity = IntegrityRecord::from_state_bytes(bytes).map_err(err)?;
        let value = serde_json::from_slice(bytes).map_err(|e| {
            err(IntegrityError::NotState {
                message: e.to_string(),
            })
        })?;
        Ok((value, integrity))
    }
}

/// What one scan found.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub result: DriftResult,
    pub costs: BTreeMap<String, CostEffect>,
    pub integrity: Option<IntegrityRecord>,
    pub integrity_alerts: Vec<IntegrityAlert>,
}

impl Analysis {
    pub fn outcome(&self) -> Outcome {
        if self.result.has_drift() || !self.integrity_alerts.is_empty() {
            Outcome::Drifted
        } else {
            Outcome::NoDrift
        }
    }
}

/// How to analyse: the same for every workspace of one run, except the rules.
pub struct Settings<'a> {
    pub mode: DriftMode,
    pub rules: &'a IgnoreRules,
    pub table: &'a PriceTable,
    pub cost: &'a CostOptions,
}

/// Analyses a workspace's plan. `plan` is borrowed mutably only to price the
/// drifted resources with the plan's own configuration (regions, providers);
/// it is left as it was.
///
/// Refuses, never reading them as "no drift": an incomplete plan (terraform
/// deferred changes, so it never looked at some resources) and drifted values
/// the cost engine cannot price (negative sizes, amounts out of range).
/// Errored plans are refused when parsed ([`crate::plan::parse_plan`]).
pub fn analyze(
    workspace: &str,
    plan: &mut Plan,
    recorded: Option<Recorded<'_>>,
    settings: &Settings<'_>,
    integrity_store: Option<&mut dyn IntegrityStore>,
) -> Result<Analysis, ScanError> {
    plan.ensure_complete(std::path::Path::new("terraform's plan"))?;
    let recorded_value = recorded.as_ref().map(|r| r.state);
    let integrity = recorded.as_ref().map(|r| r.integrity.clone());
    let result = crate::drift::detect(plan, recorded_value, settings.mode, settings.rules)?;

    // Price each drifted resource before and after with the plan's configuration.
    let synthetic = pricing_changes(&result);
    let original = std::mem::replace(&mut plan.resource_changes, synthetic);
    let project = estimate(plan, settings.table, settings.cost);
    plan.resource_changes = original;
    project
        .check_inputs()
        .map_err(|problems| ScanError::Inputs { problems })?;
    let costs = cost_effects(&result, &project);

    let mut integrity_alerts = Vec::new();
    if let (Some(rec), Some(store)) = (&integrity, integrity_store) {
        integrity_alerts = check(store.last(workspace).as_ref(), rec);
        store
            .record(workspace, rec.clone())
            .map_err(|source| ScanError::Integrity {
                source_name: recorded
                    .as_ref()
                    .map(|r| r.source.to_string())
                    .unwrap_or_default(),
                source,
            })?;
    }
    Ok(Analysis {
        result,
        costs,
        integrity,
        integrity_alerts,
    })
}
