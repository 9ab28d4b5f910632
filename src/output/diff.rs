//! `cost diff`, as Infracost's diff: only the resources the plan changes
//! (created, updated, replaced, destroyed), each with its monthly cost before
//! → after and the change (a destroyed resource shows its cost as a negative
//! change), and under it the components that changed. A component whose
//! price key changed is paired with the one it replaces and shown once:
//! `Instance usage (Linux/UNIX, on-demand, t3.medium → m5.xlarge)`.
//! Then the totals before, after and the change.

use super::CostReport;
use super::format::{change, money, quantity, signed_money};
use super::html::escape;
use super::markdown::action_label;
use super::notes::{plural, project_notes};
use super::table::{component_cost, resource_cost};
use crate::cost::{CostComponent, ProjectCost, ResourceCost};
use rust_decimal::Decimal;
use std::fmt::Write;

/// One changed resource.
pub(crate) struct ResourceDiff<'a> {
    pub name: &'a str,
    /// `+` created/added, `-` destroyed/removed, `~` updated/replaced.
    pub sign: char,
    pub label: &'static str,
    pub before: Option<&'a ResourceCost>,
    pub after: Option<&'a ResourceCost>,
    pub delta: Option<Decimal>,
    pub components: Vec<ComponentDiff<'a>>,
}

/// One changed component, or a pair where one replaces the other.
pub(crate) struct ComponentDiff<'a> {
    pub name: String,
    pub sign: char,
    pub before: Option<&'a CostComponent>,
    pub after: Option<&'a CostComponent>,
}

impl ComponentDiff<'_> {
    pub fn delta(&self) -> Option<Decimal> {
        match (
            self.before.map(|c| c.monthly_cost),
            self.after.map(|c| c.monthly_cost),
        ) {
            (Some(None), _) | (_, Some(None)) | (None, None) => None,
            (b, a) => Some(a.flatten().unwrap_or_default() - b.flatten().unwrap_or_default()),
        }
    }

    pub fn quantity(&self) -> String {
        let q = |c: Option<&CostComponent>| c.and_then(|c| c.monthly_quantity);
        match (q(self.before), q(self.after)) {
            (Some(b), Some(a)) if b != a => format!("{} → {}", quantity(b), quantity(a)),
            (_, Some(a)) => quantity(a),
            (Some(b), None) => quantity(b),
            (None, None) => "-".into(),
        }
    }

    pub fn unit(&self) -> &str {
        self.after.or(self.before).map_or("", |c| c.unit.as_str())
    }
}

fn find<'a>(resources: &'a [ResourceCost], name: &str) -> Option<&'a ResourceCost> {
    resources.iter().find(|r| r.name == name)
}

/// The changed resources of a project, in the diff's order.
pub(crate) fn resources(p: &ProjectCost) -> Vec<ResourceDiff<'_>> {
    p.diff
        .resources
        .iter()
        .map(|d| {
            let before = find(&p.past_breakdown.resources, &d.name);
            let after = find(&p.breakdown.resources, &d.name);
            let label = action_label(&d.metadata.actions, before.is_some(), after.is_some());
            let sign = match (before.is_some(), after.is_some()) {
                (false, true) => '+',
                (true, false) => '-',
                _ => '~',
            };
            ResourceDiff {
                name: &d.name,
                sign,
                label,
                before,
                after,
                delta: d.monthly_cost,
                components: components(before, after),
            }
        })
        .collect()
}

/// What makes two components the same line on the bill except for their
/// price key: the part they belong to, the unit, and the price filter's
/// service, family and attribute names (or, for lines read back from a
/// report, the name up to its parenthesis).
fn pair_key(name: &str, c: &CostComponent) -> String {
    let part = name.rsplit_once(": ").map_or("", |(p, _)| p);
    let f = &c.price_filter;
    if f.cloud.is_empty() {
        let base = c.name.split(" (").next().unwrap_or_default();
        format!("{part}|{}|{base}", c.unit)
    } else {
        let attrs: Vec<&str> = f.attributes.iter().map(|(k, _)| *k).collect();
        format!(
            "{part}|{}|{}|{}|{}",
            c.unit,
            f.service,
            f.product_family,
            attrs.join(",")
        )
    }
}

fn components<'a>(
    before: Option<&'a ResourceCost>,
    after: Option<&'a ResourceCost>,
) -> Vec<ComponentDiff<'a>> {
    let past = before.map(ResourceCost::all_components).unwrap_or_default();
    let future = after.map(ResourceCost::all_components).unwrap_or_default();
    let mut used_past = vec![false; past.len()];
    let mut out = Vec::new();
    let mut unmatched_future = Vec::new();
    for (name, fc) in &future {
        match past
            .iter()
            .enumerate()
            .find(|(i, (n, _))| !used_past[*i] && n == name)
        {
            Some((i, (_, pc))) => {
                used_past[i] = true;
                if changed(pc, fc) {
                    out.push(ComponentDiff {
                        name: name.clone(),
                        sign: '~',
                        before: Some(pc),
                        after: Some(fc),
                    });
                }
            }
            None => unmatched_future.push((name, *fc)),
        }
    }
    for (name, fc) in unmatched_future {
        let key = pair_key(name, fc);
        let pair = past
            .iter()
            .enumerate()
            .find(|(i, (n, pc))| !used_past[*i] && pair_key(n, pc) == key);
        match pair {
            Some((i, (pname, pc))) => {
                used_past[i] = true;
                out.push(ComponentDiff {
                    name: merge_names(pname, name),
                    sign: '~',
                    before: Some(pc),
                    after: Some(fc),
                });
            }
            None => out.push(ComponentDiff {
                name: name.clone(),
                sign: '+',
                before: None,
                after: Some(fc),
            }),
        }
    }
    for (i, (name, pc)) in past.iter().enumerate() {
        if !used_past[i] {
            out.push(ComponentDiff {
                name: name.clone(),
                sign: '-',
                before: Some(pc),
                after: None,
            });
        }
    }
    out
}

fn changed(a: &CostComponent, b: &CostComponent) -> bool {
    a.monthly_cost != b.monthly_cost
        || a.monthly_quantity != b.monthly_quantity
        || a.price != b.price
        || a.status != b.status
}

/// `Instance usage (…, t3.medium)` and `Instance usage (…, m5.xlarge)` →
/// `Instance usage (…, t3.medium → m5.xlarge)`: the common start and end kept
/// once, cut at word boundaries.
pub(crate) fn merge_names(before: &str, after: &str) -> String {
    if before == after {
        return after.to_string();
    }
    let is_sep = |c: char| matches!(c, ' ' | '(' | ')' | ',' | '/' | ':' | '[' | ']');
    let b: Vec<char> = before.chars().collect();
    let a: Vec<char> = after.chars().collect();
    let mut pre = b.iter().zip(&a).take_while(|(x, y)| x == y).count();
    while pre > 0 && !is_sep(b[pre - 1]) {
        pre -= 1;
    }
    let max_suf = b.len().min(a.len()) - pre;
    let mut suf = b
        .iter()
        .rev()
        .zip(a.iter().rev())
        .take(max_suf)
        .take_while(|(x, y)| x == y)
        .count();
    while suf > 0 && !is_sep(b[b.len() - suf]) {
        suf -= 1;
    }
    let s = |v: &[char]| v.iter().collect::<String>();
    format!(
        "{}{} → {}{}",
        s(&b[..pre]),
        s(&b[pre..b.len() - suf]),
        s(&a[pre..a.len() - suf]),
        s(&b[b.len() - suf..])
    )
}

/// The project's notes without those about resources the plan leaves unchanged.
fn diff_notes(p: &ProjectCost) -> Vec<String> {
    let unchanged: Vec<&str> = p
        .breakdown
        .resources
        .iter()
        .chain(&p.past_breakdown.resources)
        .map(|r| r.name.as_str())
        .filter(|n| !p.diff.resources.iter().any(|d| d.name == *n))
        .collect();
    project_notes(p)
        .into_iter()
        .filter(|note| {
            !unchanged.iter().any(|n| {
                note.strip_prefix(n)
                    .is_some_and(|rest| rest.starts_with(' ') || rest.starts_with(':'))
            })
        })
        .collect()
}

/// What the diff's totals leave out, from the changed resources.
fn unpriced_in_changes(p: &ProjectCost) -> Option<String> {
    let n = p.diff.unpriced_components;
    (n > 0).then(|| {
        format!(
            "not in the totals: {n} component{} of the changed resources without a price (usage-based without usage, or no price found); the change is a lower bound",
            plural(n)
        )
    })
}

fn side_cost(r: Option<&ResourceCost>) -> String {
    r.map_or_else(|| "-".into(), resource_cost)
}

fn side_component(c: Option<&CostComponent>) -> String {
    c.map_or_else(|| "-".into(), component_cost)
}

fn delta_text(d: Option<Decimal>) -> String {
    d.map(signed_money).unwrap_or_default()
}

const COLUMNS: usize = 6;

/// The terminal table of `cost diff`.
pub(crate) fn render_table(report: &CostReport) -> String {
    let mut out = String::new();
    for (i, p) in report.projects.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let mut rows: Vec<Option<[String; COLUMNS]>> = Vec::new();
        let mut text = vec![format!(" Project: {}", p.name)];
        if let Some(path) = &p.metadata.path {
            text.push(format!(" Plan: {path}"));
        }
        out.push_str(&text.join("\n"));
        out.push_str("\n\n");
        rows.push(Some(
            ["Name", "Monthly qty", "Unit", "Before", "After", "Change"].map(String::from),
        ));
        rows.push(None);
        let changed = resources(p);
        for r in &changed {
            rows.push(Some([
                format!("{} {}{}", r.sign, r.name, r.label),
                String::new(),
                String::new(),
                side_cost(r.before),
                side_cost(r.after),
                delta_text(r.delta),
            ]));
            for c in &r.components {
                rows.push(Some([
                    format!("    {} {}", c.sign, c.name),
                    c.quantity(),
                    c.unit().to_string(),
                    side_component(c.before),
                    side_component(c.after),
                    delta_text(c.delta()),
                ]));
            }
        }
        if changed.is_empty() {
            rows.push(Some(
                ["No resource changes its monthly cost.", "", "", "", "", ""].map(String::from),
            ));
        }
        let (past, future) = (
            p.past_breakdown.total_monthly_cost,
            p.breakdown.total_monthly_cost,
        );
        rows.push(None);
        rows.push(Some(
            ["Monthly cost before", "", "", "", "", &money(past)].map(String::from),
        ));
        rows.push(Some(
            ["Monthly cost after", "", "", "", "", &money(future)].map(String::from),
        ));
        rows.push(Some(
            ["Change", "", "", "", "", &change(past, future)].map(String::from),
        ));
        out.push_str(&layout(&rows));
        if let Some(s) = unpriced_in_changes(p) {
            let _ = writeln!(out, " Totals: {s}");
        }
        let notes = diff_notes(p);
        if !notes.is_empty() {
            out.push_str("\n Notes:\n");
            for n in notes {
                let _ = writeln!(out, "   - {n}");
            }
        }
    }
    if report.projects.len() > 1 {
        let _ = writeln!(
            out,
            "\n All {} projects: {} → {} ({})",
            report.projects.len(),
            money(report.past_total_monthly_cost),
            money(report.total_monthly_cost),
            change(report.past_total_monthly_cost, report.total_monthly_cost)
        );
    }
    if report.projects.is_empty() {
        out.push_str("No projects in this report.\n");
    }
    out
}

/// Pads rows into columns (text left, money right); `None` is a rule.
fn layout(rows: &[Option<[String; COLUMNS]>]) -> String {
    let mut widths = [0usize; COLUMNS];
    for row in rows.iter().flatten() {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let full = widths.iter().sum::<usize>() + 2 * (COLUMNS - 1);
    let mut out = String::new();
    for row in rows {
        let line = match row {
            None => format!(" {}", "─".repeat(full.max(40))),
            Some(cells) => {
                let mut line = String::from(" ");
                for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
                    if i > 0 {
                        line.push_str("  ");
                    }
                    let pad = w - cell.chars().count();
                    // Name and unit left, quantity and money right.
                    if i == 0 || i == 2 {
                        line.push_str(cell);
                        line.push_str(&" ".repeat(pad));
                    } else {
                        line.push_str(&" ".repeat(pad));
                        line.push_str(cell);
                    }
                }
                line
            }
        };
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The HTML page of `cost diff`: the same rows as the table.
pub(crate) fn render_html(report: &CostReport) -> String {
    let mut out = String::from(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>driftcost cost diff</title>\n<style>\nbody{font-family:system-ui,sans-serif;margin:2rem}table{border-collapse:collapse}th,td{padding:.3rem .8rem;border-bottom:1px solid #d0d7de;text-align:left}.num{text-align:right;white-space:nowrap}\n</style>\n</head>\n<body>\n<h1>driftcost cost diff</h1>\n",
    );
    for p in &report.projects {
        let _ = writeln!(out, "<h2>Project: {}</h2>", escape(&p.name));
        out.push_str("<table>\n<thead><tr><th>Name</th><th class=\"num\">Monthly qty</th><th>Unit</th><th class=\"num\">Before</th><th class=\"num\">After</th><th class=\"num\">Change</th></tr></thead>\n<tbody>\n");
        let changed = resources(p);
        if changed.is_empty() {
            out.push_str("<tr><td colspan=\"6\">No resource changes its monthly cost.</td></tr>\n");
        }
        for r in &changed {
            let _ = writeln!(
                out,
                "<tr><td><code>{} {}</code>{}</td><td></td><td></td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                r.sign,
                escape(r.name),
                escape(r.label),
                escape(&side_cost(r.before)),
                escape(&side_cost(r.after)),
                escape(&delta_text(r.delta))
            );
            for c in &r.components {
                let _ = writeln!(
                    out,
                    "<tr><td style=\"padding-left:2em\">{} {}</td><td class=\"num\">{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                    c.sign,
                    escape(&c.name),
                    escape(&c.quantity()),
                    escape(c.unit()),
                    escape(&side_component(c.before)),
                    escape(&side_component(c.after)),
                    escape(&delta_text(c.delta()))
                );
            }
        }
        let (past, future) = (
            p.past_breakdown.total_monthly_cost,
            p.breakdown.total_monthly_cost,
        );
        let _ = writeln!(
            out,
            "</tbody>\n<tfoot>\n<tr><td colspan=\"5\">Monthly cost before</td><td class=\"num\">{}</td></tr>\n<tr><td colspan=\"5\">Monthly cost after</td><td class=\"num\">{}</td></tr>\n<tr><td colspan=\"5\">Change</td><td class=\"num\">{}</td></tr>\n</tfoot>\n</table>",
            money(past),
            money(future),
            escape(&change(past, future))
        );
        if let Some(s) = unpriced_in_changes(p) {
            let _ = writeln!(
                out,
                "<p class=\"unpriced\"><strong>Totals:</strong> {}</p>",
                escape(&s)
            );
        }
        let notes = diff_notes(p);
        if !notes.is_empty() {
            out.push_str("<h3>Notes</h3>\n<ul>\n");
            for n in notes {
                let _ = writeln!(out, "<li>{}</li>", escape(&n));
            }
            out.push_str("</ul>\n");
        }
    }
    out.push_str("</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_merged_at_word_boundaries() {
        assert_eq!(
            merge_names(
                "Instance usage (Linux/UNIX, on-demand, t3.medium)",
                "Instance usage (Linux/UNIX, on-demand, m5.xlarge)"
            ),
            "Instance usage (Linux/UNIX, on-demand, t3.medium → m5.xlarge)"
        );
        assert_eq!(
            merge_names(
                "Instance usage (Linux/UNIX, on-demand, t3.medium)",
                "Instance usage (Linux/UNIX, on-demand, t3.large)"
            ),
            "Instance usage (Linux/UNIX, on-demand, t3.medium → t3.large)"
        );
        assert_eq!(
            merge_names(
                "Storage (general purpose SSD, gp2)",
                "Storage (general purpose SSD, gp3)"
            ),
            "Storage (general purpose SSD, gp2 → gp3)"
        );
        assert_eq!(merge_names("a", "a"), "a");
    }
}
