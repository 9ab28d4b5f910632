//! The terminal table: per project, each resource with its components as a
//! tree (subresources indented), monthly quantity, unit and cost in aligned
//! columns, then the totals before and after the plan, then the notes.
//! Plain text, no colors, so it reads the same in a CI log.

use super::CostReport;
use super::format::{change, money, quantity};
use super::notes::{project_notes, unpriced_sentence};
use crate::cost::{ComponentStatus, CostComponent, ProjectCost, ResourceCost};
use std::borrow::Cow;
use std::fmt::Write as _;

/// One line of the table: four cells, or free text that ignores the columns.
/// Cells borrow from the report where they can (units, names): a large plan
/// has hundreds of thousands of them.
enum Row<'a> {
    Cells([Cow<'a, str>; 4]),
    Text(String),
    Blank,
    Rule,
}

const HEADER: [&str; 4] = ["Name", "Monthly qty", "Unit", "Monthly cost"];

pub(crate) fn render(report: &CostReport) -> String {
    let mut out = String::new();
    for (i, project) in report.projects.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&layout(&project_rows(project)));
    }
    if report.projects.len() > 1 {
        out.push('\n');
        out.push_str(&layout(&[
            Row::Text(format!("All {} projects", report.projects.len())),
            Row::Rule,
            cells(
                "Monthly cost before",
                "",
                "",
                money(report.past_total_monthly_cost),
            ),
            cells(
                "Monthly cost after",
                "",
                "",
                money(report.total_monthly_cost),
            ),
            cells(
                "Change",
                "",
                "",
                change(report.past_total_monthly_cost, report.total_monthly_cost),
            ),
        ]));
        if let Some(s) =
            unpriced_sentence(report.unpriced_components, report.past_unpriced_components)
        {
            out.push_str(&format!(" Totals: {s}\n"));
        }
    }
    if report.projects.is_empty() {
        out.push_str("No projects in this report.\n");
    }
    out
}

fn cells<'a>(
    name: impl Into<Cow<'a, str>>,
    qty: impl Into<Cow<'a, str>>,
    unit: impl Into<Cow<'a, str>>,
    cost: impl Into<Cow<'a, str>>,
) -> Row<'a> {
    Row::Cells([name.into(), qty.into(), unit.into(), cost.into()])
}

fn project_rows(project: &ProjectCost) -> Vec<Row<'_>> {
    let mut rows = vec![Row::Text(format!("Project: {}", project.name))];
    if let Some(path) = &project.metadata.path {
        rows.push(Row::Text(format!("Plan: {path}")));
    }
    rows.push(Row::Blank);
    rows.push(Row::Cells(HEADER.map(Cow::Borrowed)));
    rows.push(Row::Rule);
    if project.breakdown.resources.is_empty() {
        rows.push(Row::Text("No priced resources.".into()));
    }
    for r in &project.breakdown.resources {
        rows.push(cells(r.name.as_str(), "", "", resource_cost(r)));
        push_children(&mut rows, r, "");
        rows.push(Row::Blank);
    }
    rows.push(Row::Rule);
    let past = project.past_breakdown.total_monthly_cost;
    let future = project.breakdown.total_monthly_cost;
    rows.push(cells("Monthly cost before", "", "", money(past)));
    rows.push(cells("Monthly cost after", "", "", money(future)));
    rows.push(cells("Change", "", "", change(past, future)));
    if let Some(s) = unpriced_sentence(
        project.breakdown.unpriced_components,
        project.past_breakdown.unpriced_components,
    ) {
        rows.push(Row::Text(format!("Totals: {s}")));
    }
    let notes = project_notes(project);
    if !notes.is_empty() {
        rows.push(Row::Blank);
        rows.push(Row::Text("Notes:".into()));
        rows.extend(notes.into_iter().map(|n| Row::Text(format!("  - {n}"))));
    }
    rows
}

/// Components first, then subresources, drawn as a tree under `indent`.
fn push_children<'a>(rows: &mut Vec<Row<'a>>, r: &'a ResourceCost, indent: &str) {
    let total = r.cost_components.len() + r.subresources.len();
    let branch = |i: usize| {
        if i + 1 == total {
            ("└─ ", "   ")
        } else {
            ("├─ ", "│  ")
        }
    };
    for (i, c) in r.cost_components.iter().enumerate() {
        let (b, _) = branch(i);
        rows.push(cells(
            format!("{indent}{b}{}", c.name),
            c.monthly_quantity
                .map_or(Cow::Borrowed("-"), |q| quantity(q).into()),
            c.unit.as_str(),
            component_cost(c),
        ));
    }
    for (j, sub) in r.subresources.iter().enumerate() {
        let (b, cont) = branch(r.cost_components.len() + j);
        rows.push(cells(
            format!("{indent}{b}{}", sub.name),
            "",
            "",
            resource_cost(sub),
        ));
        push_children(rows, sub, &format!("{indent}{cont}"));
    }
}

/// What the cost column says when there is no number: never `$0.00` for a
/// cost we do not know.
pub(crate) fn component_cost(c: &CostComponent) -> String {
    match (c.monthly_cost, c.status) {
        (Some(m), _) => money(m),
        (None, ComponentStatus::UsageMissing) => "usage-based".into(),
        (None, ComponentStatus::NoPriceFound) => "no price".into(),
        (None, ComponentStatus::Priced) => "-".into(),
    }
}

pub(crate) fn resource_cost(r: &ResourceCost) -> String {
    if let Some(m) = r.monthly_cost {
        return money(m);
    }
    let all = r.all_components();
    if all
        .iter()
        .any(|(_, c)| c.status == ComponentStatus::NoPriceFound)
    {
        "no price".into()
    } else if all.iter().any(|(_, c)| c.usage_based) {
        "usage-based".into()
    } else {
        "-".into()
    }
}

/// Pads the cell rows into columns (name and unit left, numbers right);
/// each line is written in place, without trailing spaces.
fn layout(rows: &[Row]) -> String {
    let mut widths = [0usize; 4];
    for row in rows {
        if let Row::Cells(c) = row {
            for (w, cell) in widths.iter_mut().zip(c) {
                *w = (*w).max(cell.chars().count());
            }
        }
    }
    let full = widths.iter().sum::<usize>() + 2 * (widths.len() - 1);
    let mut out = String::new();
    for row in rows {
        let start = out.len();
        // Writing to a String cannot fail.
        let _ = match row {
            Row::Cells([name, qty, unit, cost]) => write!(
                out,
                " {name:<w0$}  {qty:>w1$}  {unit:<w2$}  {cost:>w3$}",
                w0 = widths[0],
                w1 = widths[1],
                w2 = widths[2],
                w3 = widths[3],
            ),
            Row::Text(t) => write!(out, " {t}"),
            Row::Blank => Ok(()),
            Row::Rule => {
                out.push(' ');
                (0..full).for_each(|_| out.push('─'));
                Ok(())
            }
        };
        let kept = out[start..].trim_end().len();
        out.truncate(start + kept);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::fixtures::{SCRIPT_ADDRESS, project, sample_project};

    fn rendered() -> String {
        render(&CostReport::new(vec![sample_project()], String::new()))
    }

    fn line<'a>(text: &'a str, starts: &str) -> &'a str {
        text.lines()
            .find(|l| l.trim_start().starts_with(starts))
            .unwrap_or_else(|| panic!("no line starting {starts:?} in\n{text}"))
    }

    #[test]
    fn columns_line_up_under_the_header() {
        let text = rendered();
        let header = line(&text, "Name");
        let width = header.chars().count();
        let qty_end = header.find("Monthly qty").unwrap() + "Monthly qty".len();
        for starts in [
            "├─ NAT gateway",
            "└─ Data processed",
            "├─ Instance usage",
            "└─ Storage (gp3)",
            "Monthly cost after",
            "Change",
        ] {
            let l = line(&text, starts);
            assert_eq!(l.chars().count(), width, "cost column misaligned: {l:?}");
        }
        // Quantities are right-aligned under "Monthly qty" (header is ASCII up to there).
        let nat = line(&text, "├─ NAT gateway");
        let nat_prefix: String = nat.chars().take(qty_end).collect();
        assert!(nat_prefix.ends_with("730"), "{nat:?}");
        let storage = line(&text, "└─ Storage (gp3)");
        let storage_prefix: String = storage.chars().take(qty_end).collect();
        assert!(storage_prefix.ends_with(" 20"), "{storage:?}");
    }

    #[test]
    fn resources_show_components_subresources_and_totals() {
        let text = rendered();
        assert!(text.starts_with(" Project: prod\n Plan: prod.plan.json\n"));
        assert!(line(&text, SCRIPT_ADDRESS).ends_with("$16.78"));
        assert!(line(&text, "├─ Instance usage").ends_with("$15.18"));
        assert!(line(&text, "└─ root_block_device").ends_with("$1.60"));
        // The subresource's component sits one level deeper.
        assert!(text.contains("\n    └─ Storage (gp3)"));
        assert!(line(&text, "└─ Data processed").ends_with("usage-based"));
        assert!(line(&text, "aws_instance.big").ends_with("no price"));
        assert!(line(&text, "Monthly cost before").ends_with("$16.23"));
        assert!(line(&text, "Monthly cost after").ends_with("$57.63"));
        assert!(line(&text, "Change").ends_with("+$41.40 (+255.1%)"));
    }

    #[test]
    fn totals_say_how_many_components_they_leave_out() {
        let text = rendered();
        assert!(
            text.contains(
                " Totals: not in the totals: 2 components after the plan without a price"
            ),
            "{text}"
        );
        let all = CostReport::new(vec![sample_project(), sample_project()], String::new());
        let text = render(&all);
        let overall = &text[text.find(" All 2 projects").unwrap()..];
        assert!(
            overall.contains("4 components after the plan without a price"),
            "{overall}"
        );
    }

    #[test]
    fn notes_follow_the_totals() {
        let text = rendered();
        let notes_at = text.find(" Notes:").expect("notes section");
        assert!(notes_at > text.find("Monthly cost after").unwrap());
        let notes = &text[notes_at..];
        assert!(notes.contains(
            "  - aws_nat_gateway.main → Data processed ($0.045 per GB) is usage-based: set it in a usage file"
        ));
        assert!(notes.contains("  - not priced: 3 × aws_foo"));
        assert!(
            notes.contains(
                "  - aws_instance.big → Instance usage: no price found for aws AmazonEC2"
            )
        );
        assert!(notes.contains("  - 2 free resources (no charge)"));
        assert!(notes.contains("  - region guessed for 1 resource"));
    }

    #[test]
    fn several_projects_get_an_overall_total() {
        let report = CostReport::new(
            vec![sample_project(), project("empty", vec![], vec![])],
            String::new(),
        );
        let text = render(&report);
        assert!(text.contains(" Project: empty"));
        assert!(text.contains(" No priced resources."));
        let all = &text[text.find(" All 2 projects").expect("overall section")..];
        assert!(line(all, "Monthly cost after").ends_with("$57.63"));
    }
}
