//! The policies of a workspace (`policies = [...]` in its job file),
//! evaluated after each scan on what the scan produced; the findings go into
//! the run's record ([`RunPolicies`]).
//!
//! Inputs a worker run has:
//! - `drift`: the run's drift report JSON, exactly as stored with the run
//!   (sensitive values are masked before a drift item exists);
//! - `cost`: the cost of the drift in the cost JSON's (Infracost) shape: one
//!   project named after the workspace whose past breakdown is the drifted
//!   resources as recorded, whose breakdown is them as they really are now,
//!   and whose diff is the monthly change (`null` where a side has no price);
//! - `plan`: none. The scan drops terraform's plan once analysed, so plan
//!   policies run where a plan is at hand (`policy eval --plan`,
//!   `cost … --policy`, `comment github --policy`) and are skipped here.
//!
//! Which input a policy (Rego package) reads, by one rule: the first of the
//! words `plan`, `cost` and `drift` in its package name (`cost.monthly_cap`,
//! `examples.drift_age`; words split at `.`, `_` and `-`), else in its
//! folder's name (`policies/cost`), else every input the run has. Each
//! package is evaluated on its own, under its own time limit, so one that
//! fails to evaluate (runtime error, stopped at its limit) is stored as an
//! `error` finding naming it and the others still count.

use crate::drift::CostTotals;
use crate::policy::{InputKind, Limits, PolicySet};
use crate::scan::{Analysis, WorkspaceScan};
use crate::store::{PolicyFinding, PolicyLevel, RunPolicies, RunResult};
use rust_decimal::Decimal;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A workspace's policy folder as the worker loaded it at start.
#[derive(Clone)]
pub struct LoadedPolicies {
    pub dir: PathBuf,
    /// The set, or why it did not load (stored as an `error` finding).
    pub set: Result<Arc<PolicySet>, String>,
}

impl std::fmt::Debug for LoadedPolicies {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoadedPolicies")
            .field("dir", &self.dir)
            .field("loaded", &self.set.is_ok())
            .finish()
    }
}

impl LoadedPolicies {
    pub fn load(dir: &Path) -> LoadedPolicies {
        LoadedPolicies {
            dir: dir.to_path_buf(),
            set: PolicySet::load(dir)
                .map(Arc::new)
                .map_err(|e| e.to_string()),
        }
    }
}

/// The documents a run's policies read, by kind; `None`: the run has none.
#[derive(Debug, Clone, Default)]
pub struct PolicyInputs {
    pub plan: Option<Value>,
    pub cost: Option<Value>,
    pub drift: Option<Value>,
}

impl PolicyInputs {
    /// The inputs of a scan with an analysis; `report_json` is the drift
    /// report as stored with the run.
    pub fn of_scan(workspace: &str, analysis: &Analysis, report_json: Option<&str>) -> Self {
        PolicyInputs {
            plan: None,
            cost: Some(cost_input(workspace, analysis)),
            drift: report_json.and_then(|r| serde_json::from_str(r).ok()),
        }
    }

    fn get(&self, kind: InputKind) -> Option<&Value> {
        match kind {
            InputKind::Plan => self.plan.as_ref(),
            InputKind::Cost => self.cost.as_ref(),
            InputKind::Drift => self.drift.as_ref(),
        }
    }

    fn kinds(&self) -> Vec<InputKind> {
        [InputKind::Plan, InputKind::Cost, InputKind::Drift]
            .into_iter()
            .filter(|k| self.get(*k).is_some())
            .collect()
    }
}

fn money(d: Option<Decimal>) -> Value {
    d.map_or(Value::Null, |d| Value::String(d.normalize().to_string()))
}

/// The cost of the drift as cost JSON (see the module doc).
pub fn cost_input(workspace: &str, analysis: &Analysis) -> Value {
    let types: std::collections::BTreeMap<&str, &str> = analysis
        .result
        .items
        .iter()
        .map(|i| (i.address.as_str(), i.resource_type.as_str()))
        .collect();
    let side = |after: bool| -> Vec<Value> {
        analysis
            .costs
            .iter()
            .map(|(address, c)| {
                json!({
                    "name": address,
                    "resourceType": types.get(address.as_str()).copied().unwrap_or_default(),
                    "monthlyCost": money(if after { c.monthly_after } else { c.monthly_before }),
                })
            })
            .collect()
    };
    let diff: Vec<Value> = analysis
        .costs
        .iter()
        .map(|(address, c)| {
            json!({
                "name": address,
                "resourceType": types.get(address.as_str()).copied().unwrap_or_default(),
                "monthlyCost": money(c.delta()),
            })
        })
        .collect();
    let t = CostTotals::of(analysis.costs.values());
    // Only what both sides priced has a total: an unknown side is null, never 0.
    let total =
        |d: Option<Decimal>| money(d.or(analysis.costs.is_empty().then_some(Decimal::ZERO)));
    json!({
        "version": crate::output::JSON_VERSION,
        "currency": "USD",
        "projects": [{
            "name": workspace,
            "metadata": {"source": "drift"},
            "pastBreakdown": {"resources": side(false), "totalMonthlyCost": total(t.monthly_before)},
            "breakdown": {
                "resources": side(true),
                "totalMonthlyCost": total(t.monthly_after),
                "unpricedComponents": t.unpriced_components,
            },
            "diff": {"resources": diff, "totalMonthlyCost": total(t.delta)},
        }],
        "totalMonthlyCost": total(t.monthly_after),
        "pastTotalMonthlyCost": total(t.monthly_before),
        "diffTotalMonthlyCost": total(t.delta),
        "unpricedComponents": t.unpriced_components,
    })
}

/// The inputs a package reads, by the rule in the module doc.
pub fn kinds_for(package: &str, dir: &Path, available: &[InputKind]) -> Vec<InputKind> {
    let named = |text: &str| {
        text.split(['.', '_', '-'])
            .find_map(|w| match w.to_ascii_lowercase().as_str() {
                "plan" => Some(InputKind::Plan),
                "cost" => Some(InputKind::Cost),
                "drift" => Some(InputKind::Drift),
                _ => None,
            })
    };
    let folder = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    match named(package).or_else(|| named(&folder)) {
        Some(k) if available.contains(&k) => vec![k],
        Some(_) => Vec::new(),
        None => available.to_vec(),
    }
}

/// A pass's exit code for a policy outcome: 1 when the policies could not
/// be evaluated, 2 on a fail or a pending approval, none otherwise.
pub fn exit_code(outcome: PolicyLevel) -> Option<u8> {
    match outcome {
        PolicyLevel::Error => Some(1),
        PolicyLevel::Fail | PolicyLevel::NeedsApproval => Some(2),
        PolicyLevel::Pass | PolicyLevel::Warn => None,
    }
}

/// The policy results of a finished scan: `None` without policies or
/// without an analysis (a failed scan has nothing to judge).
pub async fn for_scan(
    folders: Vec<LoadedPolicies>,
    scan: &WorkspaceScan,
    result: &RunResult,
) -> Option<RunPolicies> {
    let analysis = scan.analysis.as_ref()?;
    if folders.is_empty() {
        return None;
    }
    let inputs = PolicyInputs::of_scan(&scan.workspace, analysis, result.report_json.as_deref());
    let kinds = inputs.kinds();
    let evaluated =
        tokio::task::spawn_blocking(move || evaluate(&folders, &inputs, Limits::default())).await;
    match evaluated {
        Ok(p) => p,
        Err(e) => Some(RunPolicies::new(vec![PolicyFinding {
            input: kinds.first().copied().unwrap_or(InputKind::Drift),
            policy: "(all)".into(),
            rule: String::new(),
            level: PolicyLevel::Error,
            msg: format!("policy evaluation stopped: {e}"),
            approval: None,
            file: String::new(),
        }])),
    }
}

/// The policies of `ws` (its job file's `policies`) on a scan made outside
/// the worker (`driftcost scan --config`): loaded now, evaluated on the
/// calling thread. `None` without policies or without an analysis.
pub fn for_scan_blocking(ws: &crate::jobs::Workspace, scan: &WorkspaceScan) -> Option<RunPolicies> {
    let analysis = scan.analysis.as_ref()?;
    if ws.policies.is_empty() {
        return None;
    }
    let report = crate::drift::report::render_json(&crate::drift::report::DriftReport {
        workspace: &scan.workspace,
        result: &analysis.result,
        costs: &analysis.costs,
        integrity_alerts: &analysis.integrity_alerts,
    });
    let folders: Vec<LoadedPolicies> = ws
        .policies
        .iter()
        .map(|d| LoadedPolicies::load(d))
        .collect();
    let inputs = PolicyInputs::of_scan(&scan.workspace, analysis, Some(&report));
    evaluate(&folders, &inputs, Limits::default())
}

/// Evaluates every package of `folders` on the inputs it reads. Blocking
/// (policies run on threads of their own, bounded by `limits`): call from
/// `spawn_blocking`. `None` when there is no folder.
pub fn evaluate(
    folders: &[LoadedPolicies],
    inputs: &PolicyInputs,
    limits: Limits,
) -> Option<RunPolicies> {
    if folders.is_empty() {
        return None;
    }
    let available = inputs.kinds();
    let mut findings = Vec::new();
    for folder in folders {
        let error = |input: InputKind, policy: String, msg: String| PolicyFinding {
            input,
            policy,
            rule: String::new(),
            level: PolicyLevel::Error,
            msg,
            approval: None,
            file: folder.dir.display().to_string(),
        };
        let set = match &folder.set {
            Ok(s) => s,
            Err(e) => {
                let input = available.first().copied().unwrap_or(InputKind::Drift);
                findings.push(error(input, folder.dir.display().to_string(), e.clone()));
                continue;
            }
        };
        for package in set.package_names() {
            for kind in kinds_for(&package, &folder.dir, &available) {
                let Some(input) = inputs.get(kind) else {
                    continue;
                };
                let mut one = PolicySet::clone(set);
                let evaluated = one
                    .filter_namespaces(std::slice::from_ref(&package))
                    .and_then(|()| one.evaluate(kind, input, limits));
                match evaluated {
                    Ok(e) => findings.extend(
                        e.findings
                            .into_iter()
                            // The namespace filter keeps sub-packages too: each is its own policy.
                            .filter(|f| f.policy == package)
                            .map(|f| PolicyFinding {
                                input: kind,
                                policy: f.policy,
                                rule: f.rule,
                                level: f.level.into(),
                                msg: f.msg,
                                approval: f.approval,
                                file: f.file,
                            }),
                    ),
                    Err(e) => findings.push(error(kind, package.clone(), e.to_string())),
                }
            }
        }
    }
    Some(RunPolicies::new(findings))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_package_name_then_the_folder_name_says_the_input() {
        let all = [InputKind::Cost, InputKind::Drift];
        let dir = Path::new("/jobs/policies/examples");
        assert_eq!(
            kinds_for("examples.monthly_cost_cap", dir, &all),
            [InputKind::Cost]
        );
        assert_eq!(
            kinds_for("examples.drift_age", dir, &all),
            [InputKind::Drift]
        );
        assert_eq!(kinds_for("acme.Drift.db", dir, &all), [InputKind::Drift]);
        // "driftcost" is not the word "drift".
        assert_eq!(kinds_for("driftcost.tags", dir, &all), all);
        assert_eq!(
            kinds_for("acme.tags", Path::new("/jobs/policies/cost"), &all),
            [InputKind::Cost]
        );
        // A plan policy is not evaluated where there is no plan.
        assert!(kinds_for("plan.required_tags", dir, &all).is_empty());
        assert_eq!(
            kinds_for("plan.required_tags", dir, &[InputKind::Plan]),
            [InputKind::Plan]
        );
    }
}
