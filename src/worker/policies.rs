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

use crate::announce::CostThresholds;
use crate::announce::policy::COST_THRESHOLD_POLICY;
use crate::drift::CostTotals;
use crate::jobs::CostThreshold;
use crate::notify::message::{CostLevel, MoneyChange};
use crate::notify::render::{money as money_text, signed_money};
use crate::policy::{InputKind, Limits, PolicySet};
use crate::scan::{Analysis, WorkspaceScan};
use crate::store::{
    ApprovalDecision, PolicyFinding, PolicyLevel, RunId, RunPolicies, RunResult, Store,
    approval_fingerprint,
};
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
    // One row per drifted resource, with the amount `of` picks.
    let rows = |of: &dyn Fn(&crate::drift::CostEffect) -> Option<Decimal>| -> Vec<Value> {
        analysis
            .costs
            .iter()
            .map(|(address, c)| {
                json!({
                    "name": address,
                    "resourceType": types.get(address.as_str()).copied().unwrap_or_default(),
                    "monthlyCost": money(of(c)),
                })
            })
            .collect()
    };
    let side = |after: bool| {
        rows(&|c| {
            if after {
                c.monthly_after
            } else {
                c.monthly_before
            }
        })
    };
    let diff = rows(&|c| c.delta());
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

/// The job's `cost_threshold` as the built-in policy `builtin.cost_threshold`
/// on the cost input: rule `warn` and rule `deny` (the fail level), each a
/// `pass` when configured and not reached. The level is decided exactly as
/// the `cost_threshold` notification decides it
/// ([`CostThresholds::level_of`]): a delta that leaves out components
/// without a price reaches the highest level set unless `allow_unpriced`.
pub fn cost_threshold_findings(
    threshold: Option<&CostThreshold>,
    analysis: &Analysis,
) -> Vec<PolicyFinding> {
    let Some(t) = threshold.filter(|t| t.warn.is_some() || t.fail.is_some()) else {
        return Vec::new();
    };
    let thresholds = CostThresholds {
        warn: t.warn,
        fail: t.fail,
        allow_unpriced: t.allow_unpriced,
    };
    let totals = CostTotals::of(
        analysis
            .result
            .items
            .iter()
            .filter_map(|i| analysis.costs.get(&i.address)),
    );
    let money = MoneyChange {
        before: totals.monthly_before,
        after: totals.monthly_after,
        delta: totals.delta,
        unpriced_components: totals.unpriced_components,
    };
    let money = (money.before.is_some() || money.after.is_some() || money.unpriced_components > 0)
        .then_some(money);
    let reached = thresholds.level_of(money.as_ref());
    let delta = money
        .and_then(|m| m.delta)
        .map(signed_money)
        .unwrap_or_else(|| "unknown".into());
    let unpriced = money.map_or(0, |m| m.unpriced_components);
    let finding = |rule: &str, level: PolicyLevel, msg: String| PolicyFinding {
        input: InputKind::Cost,
        policy: COST_THRESHOLD_POLICY.into(),
        rule: rule.into(),
        level,
        msg,
        approval: None,
        file: String::new(),
    };
    let mut out = Vec::new();
    for (rule, level, limit, cost_level) in [
        ("warn", PolicyLevel::Warn, t.warn, CostLevel::Warn),
        ("deny", PolicyLevel::Fail, t.fail, CostLevel::Fail),
    ] {
        let Some(limit) = limit else { continue };
        if reached.is_some_and(|(l, _)| l >= cost_level) {
            let why = if unpriced > 0 && !t.allow_unpriced {
                format!(
                    " ({unpriced} component(s) without a price make it a lower bound; set cost_threshold.allow_unpriced = true to judge on priced components only)"
                )
            } else {
                String::new()
            };
            out.push(finding(
                rule,
                level,
                format!(
                    "monthly cost change of the drift {delta}/mo reached the {} threshold of {}{why}",
                    cost_level.as_str(),
                    money_text(limit)
                ),
            ));
        } else {
            out.push(finding(rule, PolicyLevel::Pass, String::new()));
        }
    }
    out
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

/// The approval run `run` of `workspace` carries forward, by the binding
/// rule of `crate::store` approvals: its policies ask for an approval, and
/// the latest decision on an earlier run with the same fingerprint (the same
/// drift items and the same findings asking) approved it. `None` otherwise,
/// and when the store cannot be read (the run then waits for an approval).
pub async fn carried_approval(
    store: &Store,
    workspace: &str,
    run: RunId,
    result: &RunResult,
) -> Option<ApprovalDecision> {
    let policies = result.policies.as_ref()?;
    if policies.count(PolicyLevel::NeedsApproval) == 0 {
        return None;
    }
    let fingerprint = approval_fingerprint(
        result.drift_items.iter().map(|i| i.fingerprint.as_str()),
        &policies.findings,
    );
    match store.carried_approval(workspace, &fingerprint, run).await {
        Ok(d) => d,
        Err(e) => {
            tracing::warn!(workspace, run, error = %e, "earlier approvals unreadable; the run waits for an approval");
            None
        }
    }
}

/// The policy results of a finished scan: `None` without policies or
/// without an analysis (a failed scan has nothing to judge).
pub async fn for_scan(
    folders: Vec<LoadedPolicies>,
    threshold: Option<&CostThreshold>,
    scan: &WorkspaceScan,
    result: &RunResult,
) -> Option<RunPolicies> {
    let analysis = scan.analysis.as_ref()?;
    let builtin = cost_threshold_findings(threshold, analysis);
    if folders.is_empty() {
        return (!builtin.is_empty()).then(|| RunPolicies::new(builtin));
    }
    let inputs = PolicyInputs::of_scan(&scan.workspace, analysis, result.report_json.as_deref());
    let kinds = inputs.kinds();
    let evaluated =
        tokio::task::spawn_blocking(move || evaluate(&folders, &inputs, Limits::default())).await;
    match evaluated {
        Ok(p) => p.map(|p| with_builtin(p, builtin)),
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

fn with_builtin(p: RunPolicies, builtin: Vec<PolicyFinding>) -> RunPolicies {
    if builtin.is_empty() {
        return p;
    }
    let mut all = p.findings;
    all.extend(builtin);
    RunPolicies::new(all)
}

/// The policies of `ws` (its job file's `policies`) on a scan made outside
/// the worker (`driftcost scan --config`): loaded now, evaluated on the
/// calling thread. `None` without policies or without an analysis.
pub fn for_scan_blocking(ws: &crate::jobs::Workspace, scan: &WorkspaceScan) -> Option<RunPolicies> {
    let analysis = scan.analysis.as_ref()?;
    let builtin = cost_threshold_findings(ws.cost_threshold.as_ref(), analysis);
    if ws.policies.is_empty() {
        return (!builtin.is_empty()).then(|| RunPolicies::new(builtin));
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
    evaluate(&folders, &inputs, Limits::default()).map(|p| with_builtin(p, builtin))
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
    use crate::announce::build::tests::sensitive_analysis;
    use rust_decimal_macros::dec;

    fn levels(f: &[PolicyFinding]) -> Vec<(&str, PolicyLevel)> {
        f.iter().map(|f| (f.rule.as_str(), f.level)).collect()
    }

    #[test]
    fn cost_threshold_is_a_builtin_policy_with_warn_and_deny_rules() {
        // The fixture's drift costs 14.71 → 19.31 a month: +4.60.
        let a = sensitive_analysis();
        let th = |warn, fail| CostThreshold {
            warn,
            fail,
            allow_unpriced: false,
        };
        assert!(cost_threshold_findings(None, &a).is_empty());
        let warn_only = cost_threshold_findings(Some(&th(Some(dec!(1)), Some(dec!(10)))), &a);
        assert_eq!(
            levels(&warn_only),
            [("warn", PolicyLevel::Warn), ("deny", PolicyLevel::Pass)]
        );
        assert_eq!(warn_only[0].policy, "builtin.cost_threshold");
        assert_eq!(warn_only[0].input, InputKind::Cost);
        assert_eq!(
            warn_only[0].msg,
            "monthly cost change of the drift +$4.60/mo reached the warn threshold of $1.00"
        );
        let fail = cost_threshold_findings(Some(&th(Some(dec!(1)), Some(dec!(4.60)))), &a);
        assert_eq!(
            levels(&fail),
            [("warn", PolicyLevel::Warn), ("deny", PolicyLevel::Fail)]
        );
        assert_eq!(RunPolicies::new(fail).outcome, PolicyLevel::Fail);
        let under = cost_threshold_findings(Some(&th(None, Some(dec!(5)))), &a);
        assert_eq!(levels(&under), [("deny", PolicyLevel::Pass)]);

        // A delta that leaves components out is a lower bound: it reaches the
        // highest level set, as the cost_threshold notification decides.
        let mut unpriced = sensitive_analysis();
        for c in unpriced.costs.values_mut() {
            c.unpriced_components = 2;
        }
        let f = cost_threshold_findings(Some(&th(None, Some(dec!(5)))), &unpriced);
        assert_eq!(levels(&f), [("deny", PolicyLevel::Fail)]);
        assert!(
            f[0].msg.contains("2 component(s) without a price"),
            "{}",
            f[0].msg
        );
        let allowed = CostThreshold {
            allow_unpriced: true,
            ..th(None, Some(dec!(5)))
        };
        let f = cost_threshold_findings(Some(&allowed), &unpriced);
        assert_eq!(levels(&f), [("deny", PolicyLevel::Pass)]);
    }

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
