//! Markdown for pull-request comments: a summary table (before → after →
//! change per project), then one collapsible section per project with the
//! resources whose cost changed and the notes. Each project gets a hidden
//! marker line so the bot finds and updates its own comment.

use super::CostReport;
use super::format::{change, money, quantity, signed_money};
use super::html::escape as html_escape;
use super::notes::{plural, project_notes, unpriced_sentence};
use super::table::{component_cost, resource_cost};
use crate::cost::{CostComponent, ProjectCost, ResourceCost};
pub(crate) use crate::escape::markdown as escape;
use crate::plan::Action;
use rust_decimal::Decimal;

/// Changed resources listed per project; more would push a comment past
/// GitHub's 65,536-character limit on large plans.
const MAX_RESOURCES: usize = 50;

/// The hidden line that identifies this project's cost section in a PR
/// comment. A bot looking for its earlier comment must build the marker with
/// this function: the name is escaped so it cannot end the HTML comment early.
pub fn marker(project_name: &str) -> String {
    let safe = html_escape(project_name).replace("--", "-&#45;");
    format!("<!-- driftcost:cost project={safe} -->")
}

pub(crate) fn render(report: &CostReport) -> String {
    let mut out = String::new();
    for p in &report.projects {
        out.push_str(&marker(&p.name));
        out.push('\n');
    }
    out.push_str(&format!(
        "### driftcost: monthly cost {}\n\n",
        change(report.past_total_monthly_cost, report.total_monthly_cost)
    ));
    out.push_str("| Project | Monthly before | Monthly after | Change |\n");
    out.push_str("| :-- | --: | --: | --: |\n");
    for p in &report.projects {
        let (past, future) = (
            p.past_breakdown.total_monthly_cost,
            p.breakdown.total_monthly_cost,
        );
        out.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            escape(&p.name),
            money(past),
            money(future),
            change(past, future)
        ));
    }
    if report.projects.len() > 1 {
        out.push_str(&format!(
            "| **All projects** | {} | {} | {} |\n",
            money(report.past_total_monthly_cost),
            money(report.total_monthly_cost),
            change(report.past_total_monthly_cost, report.total_monthly_cost)
        ));
    }
    if let Some(s) = unpriced_sentence(report.unpriced_components, report.past_unpriced_components)
    {
        out.push_str(&format!("\n**Totals:** {}\n", escape(&s)));
    }
    if report.projects.is_empty() {
        out.push_str("\nNo projects in this report.\n");
    }
    for p in &report.projects {
        out.push('\n');
        out.push_str(&project_details(p));
    }
    out
}

fn project_details(p: &ProjectCost) -> String {
    let changed = &p.diff.resources;
    let mut out = format!(
        "<details>\n<summary>{}: {}, {} resource{} changed</summary>\n\n",
        html_escape(&p.name),
        change(
            p.past_breakdown.total_monthly_cost,
            p.breakdown.total_monthly_cost
        ),
        changed.len(),
        plural(changed.len())
    );
    if changed.is_empty() {
        out.push_str("No resource changes its monthly cost.\n");
    } else {
        out.push_str("| Resource | Monthly qty | Unit | Before | After | Change |\n");
        out.push_str("| :-- | --: | :-- | --: | --: | --: |\n");
        for d in changed.iter().take(MAX_RESOURCES) {
            let past = find(&p.past_breakdown.resources, &d.name);
            let future = find(&p.breakdown.resources, &d.name);
            resource_rows(&mut out, d, past, future);
        }
        if changed.len() > MAX_RESOURCES {
            out.push_str(&format!(
                "\n…and {} more changed resources; see the JSON or HTML report.\n",
                changed.len() - MAX_RESOURCES
            ));
        }
    }
    let notes = project_notes(p);
    if !notes.is_empty() {
        out.push_str("\n**Notes**\n\n");
        for n in notes {
            out.push_str(&format!("- {}\n", escape(&n)));
        }
    }
    out.push_str("\n</details>\n");
    out
}

fn find<'a>(resources: &'a [ResourceCost], name: &str) -> Option<&'a ResourceCost> {
    resources.iter().find(|r| r.name == name)
}

fn resource_rows(
    out: &mut String,
    diff: &ResourceCost,
    past: Option<&ResourceCost>,
    future: Option<&ResourceCost>,
) {
    let side = |r: Option<&ResourceCost>| r.map_or_else(|| "-".into(), resource_cost);
    out.push_str(&format!(
        "| **{}**{} | | | {} | {} | {} |\n",
        escape(&diff.name),
        action_label(&diff.metadata.actions, past.is_some(), future.is_some()),
        side(past),
        side(future),
        diff.monthly_cost.map(signed_money).unwrap_or_default()
    ));
    let past_components = past.map(ResourceCost::all_components).unwrap_or_default();
    let future_components = future.map(ResourceCost::all_components).unwrap_or_default();
    let mut names: Vec<&str> = future_components.iter().map(|(n, _)| n.as_str()).collect();
    for (n, _) in &past_components {
        if !names.contains(&n.as_str()) {
            names.push(n);
        }
    }
    for name in names {
        let pc = component_named(&past_components, name);
        let fc = component_named(&future_components, name);
        let shown = fc.or(pc).expect("the name came from one side");
        let cost = |c: Option<&CostComponent>| c.map_or_else(|| "-".into(), component_cost);
        let delta = match (
            pc.and_then(|c| c.monthly_cost),
            fc.and_then(|c| c.monthly_cost),
        ) {
            (None, None) => String::new(),
            (p, f) => signed_money(f.unwrap_or_default() - p.unwrap_or(Decimal::ZERO)),
        };
        out.push_str(&format!(
            "| ↳ {} | {} | {} | {} | {} | {} |\n",
            escape(name),
            shown.monthly_quantity.map_or_else(|| "-".into(), quantity),
            escape(&shown.unit),
            cost(pc),
            cost(fc),
            delta
        ));
    }
}

fn component_named<'a>(
    list: &[(String, &'a CostComponent)],
    name: &str,
) -> Option<&'a CostComponent> {
    list.iter().find(|(n, _)| n == name).map(|(_, c)| *c)
}

/// The plan's action, or, when the past side came from a previous report
/// that records none, whether the resource appeared or went away.
pub(crate) fn action_label(actions: &[Action], in_past: bool, in_future: bool) -> &'static str {
    let has = |a| actions.contains(&a);
    if has(Action::Delete) && has(Action::Create) {
        " (replaced)"
    } else if has(Action::Create) {
        " (created)"
    } else if has(Action::Delete) {
        " (destroyed)"
    } else if has(Action::Update) {
        " (updated)"
    } else if !in_future {
        " (removed)"
    } else if !in_past {
        " (added)"
    } else {
        ""
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::fixtures::{project, sample_project};

    fn rendered() -> String {
        render(&CostReport::new(vec![sample_project()], String::new()))
    }

    #[test]
    fn one_marker_per_project_at_the_top() {
        let report = CostReport::new(
            vec![sample_project(), project("staging", vec![], vec![])],
            String::new(),
        );
        let text = render(&report);
        assert!(text.starts_with(
            "<!-- driftcost:cost project=prod -->\n<!-- driftcost:cost project=staging -->\n"
        ));
        assert_eq!(
            marker("a-->b\"<x>"),
            "<!-- driftcost:cost project=a-&#45;&gt;b&quot;&lt;x&gt; -->"
        );
    }

    #[test]
    fn summary_table_shows_before_after_and_signed_change() {
        let text = rendered();
        assert!(text.contains("### driftcost: monthly cost +$41.40 (+255.1%)\n"));
        assert!(text.contains("| prod | $16.23 | $57.63 | +$41.40 (+255.1%) |\n"));
        let shrink = project(
            "shrink",
            vec![crate::output::fixtures::resource(
                "aws_ebs_volume.x",
                "aws_ebs_volume",
                &[Action::Delete],
                vec![crate::output::fixtures::priced(
                    "Storage",
                    "GB",
                    rust_decimal_macros::dec!(1000),
                    rust_decimal_macros::dec!(0.08),
                )],
                vec![],
            )],
            vec![],
        );
        let text = render(&CostReport::new(vec![shrink], String::new()));
        assert!(
            text.contains("| shrink | $80.00 | $0.00 | -$80.00 (-100%) |\n"),
            "{text}"
        );
        assert!(
            text.contains("| **aws\\_ebs\\_volume.x** (destroyed) | | | $80.00 | - | -$80.00 |")
        );
    }

    #[test]
    fn details_list_changed_resources_with_components() {
        let text = rendered();
        assert!(text.contains(
            "<details>\n<summary>prod: +$41.40 (+255.1%), 3 resources changed</summary>\n\n"
        ));
        assert!(
            text.contains(
                "| **aws\\_nat\\_gateway.main** (created) | | | - | $32.85 | +$32.85 |\n"
            )
        );
        assert!(text.contains("| ↳ NAT gateway | 730 | hours | - | $32.85 | +$32.85 |\n"));
        assert!(text.contains("| ↳ Data processed | - | GB | - | usage-based |  |\n"));
        assert!(text.contains(
            "| ↳ root\\_block\\_device: Storage (gp3) | 20 | GB | $0.64 | $1.60 | +$0.96 |\n"
        ));
        // Unchanged resources stay out of the comment.
        assert!(!text.contains("aws\\_ebs\\_volume.data"));
        assert!(text.contains("\n**Notes**\n\n- aws\\_nat\\_gateway.main → Data processed ($0.045 per GB) is usage-based: set it in a usage file\n"));
        assert!(text.contains("- not priced: 3 × aws\\_foo\n"));
        assert!(text.trim_end().ends_with("</details>"));
        assert_eq!(action_label(&[], true, false), " (removed)");
        assert_eq!(
            action_label(&[Action::Create, Action::Delete], true, true),
            " (replaced)"
        );
    }

    #[test]
    fn totals_say_how_many_components_they_leave_out() {
        let text = rendered();
        assert!(
            text.contains(
                "\n**Totals:** not in the totals: 2 components after the plan without a price"
            ),
            "{text}"
        );
    }

    #[test]
    fn for_each_keys_cannot_inject_html() {
        let text = rendered();
        assert!(!text.contains("<script>"), "{text}");
        assert!(!text.contains("\"<"));
        assert!(text.contains(
            "| **aws\\_instance.web\\[&quot;&lt;script&gt;&quot;\\]** (updated) | | | $8.23 | $16.78 | +$8.55 |"
        ));
        assert_eq!(escape("a|b"), "a&#124;b");
    }
}
