//! What an evaluation gives: one [`Finding`] per message a rule produced,
//! and one `pass` finding per convention rule that produced none.

use serde::{Deserialize, Serialize};

/// Which document a policy reads as `input`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InputKind {
    /// terraform's plan JSON (`terraform show -json`), sensitive values masked.
    Plan,
    /// driftcost's Infracost-shaped cost JSON.
    Cost,
    /// The drift report JSON.
    Drift,
}

impl InputKind {
    pub fn as_str(self) -> &'static str {
        match self {
            InputKind::Plan => "plan",
            InputKind::Cost => "cost",
            InputKind::Drift => "drift",
        }
    }
}

/// How a finding counts, worst last (so `max` is the overall result).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Pass,
    Warn,
    NeedsApproval,
    Fail,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Pass => "pass",
            Level::Warn => "warn",
            Level::NeedsApproval => "needs_approval",
            Level::Fail => "fail",
        }
    }

    pub fn parse(s: &str) -> Option<Level> {
        Some(match s {
            "pass" => Level::Pass,
            "warn" => Level::Warn,
            "needs_approval" => Level::NeedsApproval,
            "fail" => Level::Fail,
            _ => return None,
        })
    }
}

/// One result of one rule: which policy (package), which rule, its level
/// and message. A passing rule with no message has `msg` empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// The Rego package, e.g. `cost.monthly_cap` (or `builtin.cost_threshold`).
    pub policy: String,
    /// The rule, e.g. `deny`, `warn_untagged`.
    pub rule: String,
    pub level: Level,
    pub msg: String,
    /// The team whose approval a `needs_approval` finding asks for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approval: Option<String>,
    /// The `.rego` file(s) of the package, relative to the policy folder.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub file: String,
}

/// Every finding of one evaluation, fails first, then approvals, warnings
/// and passes; within a level by policy, rule and message.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evaluation {
    pub findings: Vec<Finding>,
}

impl Evaluation {
    /// The worst level found (`pass` when there is nothing).
    pub fn level(&self) -> Level {
        self.findings
            .iter()
            .map(|f| f.level)
            .max()
            .unwrap_or(Level::Pass)
    }

    pub fn count(&self, level: Level) -> usize {
        self.findings.iter().filter(|f| f.level == level).count()
    }

    /// Whether the command's exit code is 2: a fail, or an approval not yet given.
    pub fn failed(&self) -> bool {
        self.level() >= Level::NeedsApproval
    }

    /// Adds another evaluation's findings (another folder or input), keeping the order.
    pub fn extend(&mut self, other: Evaluation) {
        self.findings.extend(other.findings);
        self.sort();
    }

    pub(crate) fn sort(&mut self) {
        self.findings.sort_by(|a, b| {
            b.level
                .cmp(&a.level)
                .then_with(|| a.policy.cmp(&b.policy))
                .then_with(|| a.rule.cmp(&b.rule))
                .then_with(|| a.msg.cmp(&b.msg))
        });
        self.findings.dedup();
    }
}
