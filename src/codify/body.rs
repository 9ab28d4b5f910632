//! The drift pull request's title and description: a hidden marker, the
//! codified changes, the monthly cost effect of the drift and what was left
//! for a person. Values come from [`Codified`] only (HCL text of non-sensitive
//! literals); sensitive attributes are listed by name.

use super::Codified;
use crate::drift::CostEffect;
use rust_decimal::{Decimal, RoundingStrategy};
use std::collections::BTreeMap;

/// Found in the body of the pull request we opened for `workspace`.
pub fn pr_marker(workspace: &str) -> String {
    format!("<!-- driftcost:drift-pr workspace={workspace} -->")
}

pub fn pr_title(workspace: &str, codified: &Codified) -> String {
    let n = codified.changes.len();
    let s = if n == 1 { "" } else { "s" };
    format!("driftcost: codify drift in {workspace} ({n} change{s})")
}

/// Markdown description. `costs` by drifted address, as the drift report has them.
pub fn pr_body(
    workspace: &str,
    codified: &Codified,
    costs: &BTreeMap<String, CostEffect>,
) -> String {
    let mut b = String::new();
    b.push_str(&pr_marker(workspace));
    b.push_str(&format!(
        "\n## Drift in `{workspace}`, written into the configuration\n\n\
         Resources of workspace `{workspace}` were changed outside terraform. This pull request \
         changes the `.tf` literals to the values the resources have now, so the next plan is \
         clean. If a change was a mistake, close this pull request and run `terraform apply` to \
         put the resource back instead.\n\n"
    ));

    b.push_str(&format!("### Codified ({})\n\n", codified.changes.len()));
    b.push_str(
        "| Resource | Attribute | In the configuration | Now | File |\n|---|---|---|---|---|\n",
    );
    for c in &codified.changes {
        b.push_str(&format!(
            "| {} | `{}` | {} | {} | `{}:{}` |\n",
            c.addresses
                .iter()
                .map(|a| code(a))
                .collect::<Vec<_>>()
                .join("<br>"),
            cell(&c.attribute),
            code(&c.old),
            code(&c.new),
            c.file.display(),
            c.line
        ));
    }

    b.push_str("\n### Monthly cost effect of the drift\n\n");
    if costs.is_empty() {
        b.push_str("None of the drifted resources could be priced.\n");
    } else {
        b.push_str("| Resource | Before | After | Change |\n|---|---:|---:|---:|\n");
        let (mut before, mut after) = (Decimal::ZERO, Decimal::ZERO);
        let mut complete = true;
        for (address, e) in costs {
            let show = |d: Option<Decimal>| d.map_or_else(|| "unknown".to_string(), money);
            b.push_str(&format!(
                "| {} | {} | {} | {} |\n",
                code(address),
                show(e.monthly_before),
                show(e.monthly_after),
                e.delta()
                    .map_or_else(|| "unknown".to_string(), signed_money)
            ));
            match (e.monthly_before, e.monthly_after) {
                (Some(x), Some(y)) => {
                    before += x;
                    after += y;
                }
                _ => complete = false,
            }
        }
        b.push_str(&format!(
            "| **Total** | {} | {} | **{}** |\n",
            money(before),
            money(after),
            signed_money(after - before)
        ));
        if !complete {
            b.push_str("\nThe total leaves out resources whose cost is unknown on one side.\n");
        }
    }

    if !codified.not_codified.is_empty() {
        b.push_str(&format!(
            "\n### Not codified ({})\n\nThese changes stay as they are; they need a person.\n\n\
             | Resource | Attribute | Why |\n|---|---|---|\n",
            codified.not_codified.len()
        ));
        for n in &codified.not_codified {
            b.push_str(&format!(
                "| {} | {} | {} |\n",
                code(&n.address),
                n.attribute.as_deref().map_or_else(
                    || "(whole resource)".to_string(),
                    |a| format!("`{}`", cell(a))
                ),
                cell(&n.reason)
            ));
        }
    }
    b.push_str("\n<sub>Opened by `driftcost drift pr`; it updates this description when the drift changes.</sub>\n");
    b
}

/// The approval a policy asked for on the recorded run of the same drift,
/// as the pull request mentions it (plain text, escaped here).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrApproval {
    /// The run of the workspace whose drift is the same as this pull request's.
    pub run_id: i64,
    /// Still waiting for a decision.
    pub pending: bool,
    /// "awaiting approval from dba" or "approved by alice (approver) at …: reason".
    pub summary: String,
    /// The run's page (`<public url>/runs/N`), when the public URL is known.
    pub run_url: Option<String>,
}

/// The "Approval" section of the description: the drift waits for (or
/// got) an approval; where an approver decides.
pub fn approval_section(a: &PrApproval) -> String {
    let summary = crate::escape::markdown(&a.summary);
    let run = match &a.run_url {
        Some(url) => format!("[run #{}]({url})", a.run_id),
        None => format!("run #{}", a.run_id),
    };
    if a.pending {
        format!(
            "\n### Approval\n\nA policy asks for an approval of this drift: {run} is **{summary}**. \
             Merge only once it is approved: a token with role approver or admin approves or rejects it \
             on the run page or with `POST /v1/runs/{}/approve` (or `/reject`).\n",
            a.run_id
        )
    } else {
        format!(
            "\n### Approval\n\nA policy asked for an approval of this drift: {run} was **{summary}**.\n"
        )
    }
}

/// Inline code in a table cell, on one line, `|` escaped, long values cut.
fn code(s: &str) -> String {
    let one_line = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let cut: String = if one_line.chars().count() > 80 {
        one_line.chars().take(77).collect::<String>() + "..."
    } else {
        one_line
    };
    let ticks = if cut.contains('`') { "`` " } else { "`" };
    let close = if cut.contains('`') { " ``" } else { "`" };
    format!("{ticks}{}{close}", cut.replace('|', "\\|"))
}

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn money(d: Decimal) -> String {
    let c = d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    let sign = if c.is_sign_negative() && !c.is_zero() {
        "-"
    } else {
        ""
    };
    format!("{sign}${:.2}", c.abs())
}

fn signed_money(d: Decimal) -> String {
    let c = d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    if c > Decimal::ZERO {
        format!("+{}", money(c))
    } else {
        money(c)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{CodifiedChange, NotCodified};
    use super::*;
    use rust_decimal_macros::dec;
    use std::path::PathBuf;

    #[test]
    fn body_has_marker_changes_costs_and_leftovers() {
        let codified = Codified {
            files: Vec::new(),
            changes: vec![CodifiedChange {
                addresses: vec!["aws_instance.web".into()],
                attribute: "instance_type".into(),
                file: PathBuf::from("main.tf"),
                line: 9,
                old: "\"t3.micro\"".into(),
                new: "\"m5.large\"".into(),
            }],
            not_codified: vec![NotCodified {
                address: "aws_db_instance.orders".into(),
                attribute: Some("password".into()),
                reason: "sensitive: never written into code".into(),
            }],
        };
        let costs = BTreeMap::from([(
            "aws_instance.web".to_string(),
            CostEffect {
                monthly_before: Some(dec!(7.592)),
                monthly_after: Some(dec!(70.08)),
                unpriced_components: 0,
            },
        )]);
        let body = pr_body("shop", &codified, &costs);
        assert!(body.starts_with("<!-- driftcost:drift-pr workspace=shop -->\n"));
        assert!(body.contains(
            "| `aws_instance.web` | `instance_type` | `\"t3.micro\"` | `\"m5.large\"` | `main.tf:9` |"
        ), "{body}");
        assert!(
            body.contains("| `aws_instance.web` | $7.59 | $70.08 | +$62.49 |"),
            "{body}"
        );
        assert!(
            body.contains("| **Total** | $7.59 | $70.08 | **+$62.49** |"),
            "{body}"
        );
        assert!(body.contains("### Not codified (1)"));
        assert!(body.contains(
            "| `aws_db_instance.orders` | `password` | sensitive: never written into code |"
        ));
        assert_eq!(
            pr_title("shop", &codified),
            "driftcost: codify drift in shop (1 change)"
        );
    }
}
