//! Policy results stored with a run: one row per finding and the run's
//! overall outcome (`runs.policy_outcome`, migration 0007). Written by
//! [`super::Store::complete`] in the run's own transaction, so a run is never
//! stored with half its findings; read back by [`super::Store::run_policies`].
//!
//! A policy that could not be evaluated (syntax or runtime error, stopped at
//! its time limit) is stored as a finding of level `error` with the error as
//! its message: an error is shown, never read as a pass.

use super::Store;
use super::db::on_pool;
use super::error::{StoreError, query};
use super::model::text_enum;
use super::runs::{col, parse_text};
use crate::policy::{InputKind, Level};
use serde::{Deserialize, Serialize};
use sqlx::Row;
use std::fmt;
use std::str::FromStr;

/// How a finding counts, and a run's overall outcome: the worst of its
/// findings (`error` is worst: the policies could not decide).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PolicyLevel {
    Pass,
    Warn,
    NeedsApproval,
    Fail,
    Error,
}
text_enum!(PolicyLevel {
    Pass => "pass",
    Warn => "warn",
    NeedsApproval => "needs_approval",
    Fail => "fail",
    Error => "error",
});

impl From<Level> for PolicyLevel {
    fn from(l: Level) -> Self {
        match l {
            Level::Pass => PolicyLevel::Pass,
            Level::Warn => PolicyLevel::Warn,
            Level::NeedsApproval => PolicyLevel::NeedsApproval,
            Level::Fail => PolicyLevel::Fail,
        }
    }
}

/// One stored result of one rule of one policy on one input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyFinding {
    /// The input the policy read: `plan`, `cost` or `drift`.
    pub input: InputKind,
    /// The Rego package (`cost.monthly_cap`, `builtin.cost_threshold`).
    pub policy: String,
    pub rule: String,
    pub level: PolicyLevel,
    pub msg: String,
    /// The team a `needs_approval` finding asks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approval: Option<String>,
    /// The policy's `.rego` file(s), relative to its folder.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub file: String,
}

/// A run's policy results: the outcome and every finding, worst first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunPolicies {
    pub outcome: PolicyLevel,
    pub findings: Vec<PolicyFinding>,
}

impl RunPolicies {
    /// Sorts the findings (errors, fails, approvals, warnings, passes; then
    /// by policy, rule, message) and takes the worst as the outcome.
    pub fn new(mut findings: Vec<PolicyFinding>) -> RunPolicies {
        findings.sort_by(|a, b| {
            b.level
                .cmp(&a.level)
                .then_with(|| a.policy.cmp(&b.policy))
                .then_with(|| a.rule.cmp(&b.rule))
                .then_with(|| a.msg.cmp(&b.msg))
                .then_with(|| a.input.as_str().cmp(b.input.as_str()))
        });
        findings.dedup();
        let outcome = findings
            .iter()
            .map(|f| f.level)
            .max()
            .unwrap_or(PolicyLevel::Pass);
        RunPolicies { outcome, findings }
    }

    /// The findings at `level`.
    pub fn at(&self, level: PolicyLevel) -> impl Iterator<Item = &PolicyFinding> {
        self.findings.iter().filter(move |f| f.level == level)
    }

    pub fn count(&self, level: PolicyLevel) -> usize {
        self.at(level).count()
    }
}

/// Inserts `$policies` (a `&RunPolicies`) for run `$run` inside the
/// transaction `$tx` of either dialect, and sets the run's outcome.
macro_rules! insert_policies {
    ($tx:expr, $run:expr, $policies:expr) => {{
        let p: &$crate::store::RunPolicies = $policies;
        sqlx::query("UPDATE runs SET policy_outcome = $1 WHERE id = $2")
            .bind(p.outcome.as_str())
            .bind($run)
            .execute(&mut *$tx)
            .await
            .map_err(query("store the policy outcome"))?;
        for (seq, f) in p.findings.iter().enumerate() {
            sqlx::query(
                "INSERT INTO run_policy_findings (run_id, seq, input_kind, policy, rule, level, msg, approval, file) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind($run)
            .bind(i32::try_from(seq).unwrap_or(i32::MAX))
            .bind(f.input.as_str())
            .bind(&f.policy)
            .bind(&f.rule)
            .bind(f.level.as_str())
            .bind(&f.msg)
            .bind(f.approval.as_deref())
            .bind(&f.file)
            .execute(&mut *$tx)
            .await
            .map_err(query("store policy findings"))?;
        }
    }};
}
pub(super) use insert_policies;

fn input_kind(s: &str) -> Result<InputKind, String> {
    match s {
        "plan" => Ok(InputKind::Plan),
        "cost" => Ok(InputKind::Cost),
        "drift" => Ok(InputKind::Drift),
        other => Err(format!(
            "unknown input kind `{other}` (expected plan, cost or drift)"
        )),
    }
}

impl Store {
    /// The policy results stored with run `id`; `None` when the run had no
    /// policies (or is not finished, or does not exist).
    pub async fn run_policies(&self, id: i64) -> Result<Option<RunPolicies>, StoreError> {
        on_pool!(self, pool, _d => {
            let outcome: Option<Option<String>> =
                sqlx::query_scalar("SELECT policy_outcome FROM runs WHERE id = $1")
                    .bind(id)
                    .fetch_optional(pool)
                    .await
                    .map_err(query("read the policy outcome"))?;
            let Some(Some(outcome)) = outcome else {
                return Ok(None);
            };
            let outcome: PolicyLevel = parse_text("runs.policy_outcome", &outcome)?;
            let rows = sqlx::query(
                "SELECT input_kind, policy, rule, level, msg, approval, file \
                 FROM run_policy_findings WHERE run_id = $1 ORDER BY seq",
            )
            .bind(id)
            .fetch_all(pool)
            .await
            .map_err(query("read policy findings"))?;
            let mut findings = Vec::with_capacity(rows.len());
            for row in rows {
                let input: String = col!(row, "input_kind", "run_policy_findings");
                let level: String = col!(row, "level", "run_policy_findings");
                findings.push(PolicyFinding {
                    input: input_kind(&input).map_err(|message| StoreError::Corrupt {
                        what: "run_policy_findings.input_kind",
                        message,
                    })?,
                    policy: col!(row, "policy", "run_policy_findings"),
                    rule: col!(row, "rule", "run_policy_findings"),
                    level: parse_text("run_policy_findings.level", &level)?,
                    msg: col!(row, "msg", "run_policy_findings"),
                    approval: col!(row, "approval", "run_policy_findings"),
                    file: col!(row, "file", "run_policy_findings"),
                });
            }
            Ok(Some(RunPolicies { outcome, findings }))
        })
    }
}

impl fmt::Display for RunPolicies {
    /// Plain text for `runs show`: the outcome, then every finding that is
    /// not a pass (worst first), then how many passed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "policies: {}", self.outcome)?;
        for x in self
            .findings
            .iter()
            .filter(|x| x.level != PolicyLevel::Pass)
        {
            let approval = x
                .approval
                .as_deref()
                .map(|t| format!(" (approval: {t})"))
                .unwrap_or_default();
            writeln!(
                f,
                "  {:<14} {} {}/{}: {}{approval}",
                x.level.as_str().to_uppercase(),
                x.input.as_str(),
                x.policy,
                x.rule,
                x.msg
            )?;
        }
        let passed = self.count(PolicyLevel::Pass);
        if passed > 0 {
            writeln!(f, "  {passed} passed")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{RunResult, RunStatus, Trigger};
    use std::time::Duration;

    fn finding(input: InputKind, policy: &str, level: PolicyLevel, msg: &str) -> PolicyFinding {
        PolicyFinding {
            input,
            policy: policy.into(),
            rule: "deny".into(),
            level,
            msg: msg.into(),
            approval: (level == PolicyLevel::NeedsApproval).then(|| "dba".to_string()),
            file: format!("{policy}.rego"),
        }
    }

    #[test]
    fn the_outcome_is_the_worst_finding_and_errors_are_worst() {
        let p = RunPolicies::new(vec![
            finding(InputKind::Cost, "a", PolicyLevel::Pass, ""),
            finding(InputKind::Drift, "b", PolicyLevel::Warn, "old drift"),
            finding(
                InputKind::Drift,
                "c",
                PolicyLevel::Error,
                "stopped after 5s",
            ),
            finding(InputKind::Drift, "d", PolicyLevel::Fail, "db drifted"),
        ]);
        assert_eq!(p.outcome, PolicyLevel::Error);
        let order: Vec<PolicyLevel> = p.findings.iter().map(|f| f.level).collect();
        assert_eq!(
            order,
            [
                PolicyLevel::Error,
                PolicyLevel::Fail,
                PolicyLevel::Warn,
                PolicyLevel::Pass
            ]
        );
        assert_eq!(RunPolicies::new(Vec::new()).outcome, PolicyLevel::Pass);
        let text = p.to_string();
        assert!(text.starts_with("policies: error\n"), "{text}");
        assert!(
            text.contains("FAIL           drift d/deny: db drifted"),
            "{text}"
        );
        assert!(text.contains("  1 passed"), "{text}");
    }

    #[tokio::test]
    async fn findings_are_stored_with_the_run_and_read_back_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path().join("runs.db").to_str().unwrap())
            .await
            .unwrap();
        let mut ids = Vec::new();
        for with in [true, false] {
            let (id, _) = store.enqueue("prod", Trigger::Manual, None).await.unwrap();
            store
                .claim("w:1", Duration::from_secs(60))
                .await
                .unwrap()
                .unwrap();
            let now = chrono::Utc::now();
            let mut r = RunResult::bare(RunStatus::Succeeded, now, now, None);
            r.policies = with.then(|| {
                RunPolicies::new(vec![
                    finding(
                        InputKind::Drift,
                        "drift.db",
                        PolicyLevel::NeedsApproval,
                        "db",
                    ),
                    finding(
                        InputKind::Cost,
                        "cost.cap",
                        PolicyLevel::Warn,
                        "near the cap",
                    ),
                ])
            });
            assert!(store.complete(id, "w:1", &r).await.unwrap());
            ids.push((id, r.policies));
        }
        for (id, written) in ids {
            assert_eq!(store.run_policies(id).await.unwrap(), written);
        }
        assert_eq!(store.run_policies(9999).await.unwrap(), None);
    }
}
