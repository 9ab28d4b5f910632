//! Policy results for people (terminal table, Markdown) and tools (JSON).
//!
//! JSON contract (`"version": "1"`, additive changes keep it):
//!
//! ```json
//! {
//!   "version": "1",
//!   "input": "plan",                       // | cost | drift
//!   "result": "fail",                      // worst level: pass | warn | needs_approval | fail
//!   "summary": {"fail": 1, "needs_approval": 0, "warn": 1, "pass": 4},
//!   "findings": [                          // fail, needs_approval, warn, then pass
//!     {"policy": "cost.monthly_cap", "rule": "deny", "level": "fail",
//!      "msg": "monthly cost 1200.00 USD is over the cap of 1000 USD",
//!      "file": "policies/cost/monthly_cap.rego"},
//!     {"policy": "drift.db", "rule": "deny", "level": "needs_approval",
//!      "msg": "…", "approval": "dba-team", "file": "…"}
//!   ]
//! }
//! ```
//!
//! A passing rule with no message has `"msg": ""`.

use super::result::{Evaluation, InputKind, Level};
use crate::escape::markdown_in_html as md;
use comfy_table::{Table, presets};
use serde::Serialize;
use std::fmt::Write as _;

pub const JSON_VERSION: &str = "1";

#[derive(Serialize)]
struct JsonDoc<'a> {
    version: &'static str,
    input: &'static str,
    result: &'static str,
    summary: JsonSummary,
    findings: &'a [super::Finding],
}

#[derive(Serialize)]
struct JsonSummary {
    fail: usize,
    needs_approval: usize,
    warn: usize,
    pass: usize,
}

pub fn render_json(kind: InputKind, eval: &Evaluation) -> String {
    let doc = JsonDoc {
        version: JSON_VERSION,
        input: kind.as_str(),
        result: eval.level().as_str(),
        summary: JsonSummary {
            fail: eval.count(Level::Fail),
            needs_approval: eval.count(Level::NeedsApproval),
            warn: eval.count(Level::Warn),
            pass: eval.count(Level::Pass),
        },
        findings: &eval.findings,
    };
    serde_json::to_string_pretty(&doc).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

/// One line per failure, approval and warning; passes are counted.
pub fn render_table(eval: &Evaluation) -> String {
    let mut table = Table::new();
    table.load_preset(presets::UTF8_FULL_CONDENSED);
    table.set_header(["Result", "Policy", "Rule", "Message"]);
    for f in eval.findings.iter().filter(|f| f.level != Level::Pass) {
        let msg = match &f.approval {
            Some(team) => format!("{} (approval: {team})", f.msg),
            None => f.msg.clone(),
        };
        table.add_row([
            f.level.as_str().to_uppercase(),
            f.policy.clone(),
            f.rule.clone(),
            msg,
        ]);
    }
    let mut out = String::new();
    if eval.findings.iter().any(|f| f.level != Level::Pass) {
        let _ = writeln!(out, "{table}");
    }
    let _ = write!(out, "{}", summary_line(eval));
    out
}

/// `n` and the word for one or for several.
fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn summary_line(eval: &Evaluation) -> String {
    let mut parts = vec![
        format!("{} failed", eval.count(Level::Fail)),
        plural(eval.count(Level::Warn), "warning", "warnings"),
    ];
    let approvals = eval.count(Level::NeedsApproval);
    if approvals > 0 {
        parts.push(plural(approvals, "needs approval", "need approval"));
    }
    parts.push(format!("{} passed", eval.count(Level::Pass)));
    format!(
        "Policies: {} (result: {})",
        parts.join(", "),
        eval.level().as_str()
    )
}

/// The "Policies" section of a PR comment: failed first, then approvals
/// needed, then warnings; passes counted. Empty when nothing was evaluated.
pub fn render_markdown(eval: &Evaluation) -> String {
    if eval.findings.is_empty() {
        return String::new();
    }
    let mut out = String::new();
    let icon = match eval.level() {
        Level::Fail => "❌",
        Level::NeedsApproval => "⏸️",
        Level::Warn => "⚠️",
        Level::Pass => "✅",
    };
    let _ = writeln!(out, "{icon} {}\n", summary_line(eval));
    let shown: Vec<_> = eval
        .findings
        .iter()
        .filter(|f| f.level != Level::Pass)
        .collect();
    if !shown.is_empty() {
        out.push_str("| Result | Policy | Rule | Message |\n|---|---|---|---|\n");
        for f in shown {
            let level = match f.level {
                Level::Fail => "❌ fail".to_string(),
                Level::NeedsApproval => format!(
                    "⏸️ needs approval ({})",
                    md(f.approval.as_deref().unwrap_or(""))
                ),
                Level::Warn => "⚠️ warn".to_string(),
                Level::Pass => "✅ pass".to_string(),
            };
            let _ = writeln!(
                out,
                "| {level} | {} | {} | {} |",
                md(&f.policy),
                md(&f.rule),
                md(&f.msg)
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::result::{Finding, Level};

    fn finding(level: Level) -> Finding {
        Finding {
            policy: "p".into(),
            rule: "deny".into(),
            level,
            msg: "m".into(),
            approval: (level == Level::NeedsApproval).then(|| "dba".into()),
            file: "p.rego".into(),
        }
    }

    #[test]
    fn the_summary_counts_in_words_for_one_and_for_several() {
        let mut eval = Evaluation {
            findings: vec![
                finding(Level::Fail),
                finding(Level::Warn),
                finding(Level::NeedsApproval),
            ],
        };
        assert_eq!(
            summary_line(&eval),
            "Policies: 1 failed, 1 warning, 1 needs approval, 0 passed (result: fail)"
        );
        eval.findings.extend([
            finding(Level::Warn),
            finding(Level::NeedsApproval),
            finding(Level::Pass),
        ]);
        assert_eq!(
            summary_line(&eval),
            "Policies: 1 failed, 2 warnings, 2 need approval, 1 passed (result: fail)"
        );
    }
}
