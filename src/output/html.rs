//! One self-contained HTML page (inline CSS, no scripts, no external assets)
//! that can be attached to a CI run or mailed: the project summary, then per
//! project the resources with their components, totals and notes. Every string
//! from the plan is escaped; a for_each key can hold `"<script>`.

use super::CostReport;
use super::format::{change, money, quantity};
use super::notes::{project_notes, unpriced_sentence};
use super::table::{component_cost, resource_cost};
use crate::cost::{ProjectCost, ResourceCost};
pub(crate) use crate::escape::html as escape;
use rust_decimal::Decimal;
use std::fmt::Write;

const STYLE: &str = "\
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:2rem;color:#1f2328;line-height:1.4}
h1{font-size:1.5rem}h2{font-size:1.25rem;margin-top:2.5rem}h3{font-size:1rem}
table{border-collapse:collapse;margin:1rem 0}
th,td{padding:.3rem .8rem;border-bottom:1px solid #d0d7de;text-align:left;vertical-align:top}
th{background:#f6f8fa}
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr.resource td{font-weight:600;border-top:2px solid #d0d7de}
tfoot td{font-weight:600}
.up{color:#cf222e}.down{color:#1a7f37}
.muted{color:#656d76}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em}
";

pub(crate) fn render(report: &CostReport) -> String {
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str("<title>driftcost cost report</title>\n");
    let _ = writeln!(out, "<style>\n{STYLE}</style>\n</head>\n<body>");
    out.push_str("<h1>driftcost cost report</h1>\n");
    if !report.time_generated.is_empty() {
        let _ = writeln!(
            out,
            "<p class=\"muted\">Generated {} · {}</p>",
            escape(&report.time_generated),
            escape(report.currency)
        );
    }
    summary_table(&mut out, report);
    for (i, p) in report.projects.iter().enumerate() {
        project_section(&mut out, i, p);
    }
    out.push_str("</body>\n</html>\n");
    out
}

fn change_cell(past: Decimal, future: Decimal) -> String {
    let class = match (future - past).round_dp(2) {
        d if d > Decimal::ZERO => "num up",
        d if d < Decimal::ZERO => "num down",
        _ => "num",
    };
    format!(
        "<td class=\"{class}\">{}</td>",
        escape(&change(past, future))
    )
}

fn summary_table(out: &mut String, report: &CostReport) {
    out.push_str("<table class=\"summary\">\n<thead><tr><th>Project</th><th class=\"num\">Monthly before</th><th class=\"num\">Monthly after</th><th class=\"num\">Change</th></tr></thead>\n<tbody>\n");
    for (i, p) in report.projects.iter().enumerate() {
        let (past, future) = (
            p.past_breakdown.total_monthly_cost,
            p.breakdown.total_monthly_cost,
        );
        let _ = writeln!(
            out,
            "<tr><td><a href=\"#project-{i}\">{}</a></td><td class=\"num\">{}</td><td class=\"num\">{}</td>{}</tr>",
            escape(&p.name),
            money(past),
            money(future),
            change_cell(past, future)
        );
    }
    out.push_str("</tbody>\n");
    if report.projects.len() > 1 {
        let _ = writeln!(
            out,
            "<tfoot><tr><td>All projects</td><td class=\"num\">{}</td><td class=\"num\">{}</td>{}</tr></tfoot>",
            money(report.past_total_monthly_cost),
            money(report.total_monthly_cost),
            change_cell(report.past_total_monthly_cost, report.total_monthly_cost)
        );
    }
    out.push_str("</table>\n");
    if let Some(s) = unpriced_sentence(report.unpriced_components, report.past_unpriced_components)
    {
        let _ = writeln!(
            out,
            "<p class=\"unpriced\"><strong>Totals:</strong> {}</p>",
            escape(&s)
        );
    }
}

fn project_section(out: &mut String, index: usize, p: &ProjectCost) {
    let _ = writeln!(
        out,
        "<section id=\"project-{index}\">\n<h2>Project: {}</h2>",
        escape(&p.name)
    );
    if let Some(path) = &p.metadata.path {
        let _ = writeln!(
            out,
            "<p class=\"muted\">Plan: <code>{}</code></p>",
            escape(path)
        );
    }
    out.push_str("<table class=\"resources\">\n<thead><tr><th>Name</th><th class=\"num\">Monthly qty</th><th>Unit</th><th class=\"num\">Monthly cost</th></tr></thead>\n<tbody>\n");
    if p.breakdown.resources.is_empty() {
        out.push_str("<tr><td colspan=\"4\" class=\"muted\">No priced resources.</td></tr>\n");
    }
    for r in &p.breakdown.resources {
        let _ = writeln!(
            out,
            "<tr class=\"resource\"><td><code>{}</code></td><td></td><td></td><td class=\"num\">{}</td></tr>",
            escape(&r.name),
            escape(&resource_cost(r))
        );
        children(out, r, 1);
    }
    let (past, future) = (
        p.past_breakdown.total_monthly_cost,
        p.breakdown.total_monthly_cost,
    );
    let _ = writeln!(
        out,
        "</tbody>\n<tfoot>\n<tr><td colspan=\"3\">Monthly cost before</td><td class=\"num\">{}</td></tr>\n<tr><td colspan=\"3\">Monthly cost after</td><td class=\"num\">{}</td></tr>\n<tr><td colspan=\"3\">Change</td>{}</tr>\n</tfoot>\n</table>",
        money(past),
        money(future),
        change_cell(past, future)
    );
    if let Some(s) = unpriced_sentence(
        p.breakdown.unpriced_components,
        p.past_breakdown.unpriced_components,
    ) {
        let _ = writeln!(
            out,
            "<p class=\"unpriced\"><strong>Totals:</strong> {}</p>",
            escape(&s)
        );
    }
    let notes = project_notes(p);
    if !notes.is_empty() {
        out.push_str("<h3>Notes</h3>\n<ul class=\"notes\">\n");
        for n in notes {
            let _ = writeln!(out, "<li>{}</li>", escape(&n));
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</section>\n");
}

/// Components, then subresources, each level indented a step further.
fn children(out: &mut String, r: &ResourceCost, depth: usize) {
    let pad = format!("padding-left:{:.1}em", 0.8 + 1.5 * depth as f32);
    for c in &r.cost_components {
        let _ = writeln!(
            out,
            "<tr><td style=\"{pad}\">{}</td><td class=\"num\">{}</td><td>{}</td><td class=\"num\">{}</td></tr>",
            escape(&c.name),
            c.monthly_quantity.map_or_else(|| "-".into(), quantity),
            escape(&c.unit),
            escape(&component_cost(c))
        );
    }
    for sub in &r.subresources {
        let _ = writeln!(
            out,
            "<tr><td style=\"{pad}\"><code>{}</code></td><td></td><td></td><td class=\"num\">{}</td></tr>",
            escape(&sub.name),
            escape(&resource_cost(sub))
        );
        children(out, sub, depth + 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::fixtures::{project, sample_project};

    fn rendered() -> String {
        render(&CostReport::new(
            vec![sample_project()],
            "2025-06-01T12:00:00Z".into(),
        ))
    }

    #[test]
    fn page_is_self_contained() {
        let html = rendered();
        assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
        assert!(html.trim_end().ends_with("</html>"));
        assert!(html.contains("<style>"));
        for external in ["<script", "<link", "src=", "http://", "https://", "@import"] {
            assert!(!html.contains(external), "page references {external}");
        }
    }

    #[test]
    fn totals_say_how_many_components_they_leave_out() {
        let html = rendered();
        assert_eq!(
            html.matches("<strong>Totals:</strong> not in the totals: 2 components after the plan without a price").count(),
            2,
            "{html}"
        );
    }

    #[test]
    fn addresses_are_escaped() {
        let html = rendered();
        assert!(html.contains(
            "<tr class=\"resource\"><td><code>aws_instance.web[&quot;&lt;script&gt;&quot;]</code></td><td></td><td></td><td class=\"num\">$16.78</td></tr>"
        ));
        assert_eq!(escape("a'b&c"), "a&#39;b&amp;c");
        let evil = project("<b>\"x\"</b>", vec![], vec![]);
        let html = render(&CostReport::new(vec![evil], "<t>".into()));
        assert!(html.contains("<h2>Project: &lt;b&gt;&quot;x&quot;&lt;/b&gt;</h2>"));
        assert!(html.contains("Generated &lt;t&gt;"));
        assert!(!html.contains("<b>"));
    }

    #[test]
    fn components_totals_and_notes_are_shown() {
        let html = rendered();
        assert!(html.contains(
            "<tr><td style=\"padding-left:2.3em\">NAT gateway</td><td class=\"num\">730</td><td>hours</td><td class=\"num\">$32.85</td></tr>"
        ));
        assert!(html.contains(
            "<tr><td style=\"padding-left:3.8em\">Storage (gp3)</td><td class=\"num\">20</td><td>GB</td><td class=\"num\">$1.60</td></tr>"
        ));
        assert!(html.contains("<td class=\"num\">usage-based</td>"));
        assert!(html.contains(
            "<tr><td colspan=\"3\">Change</td><td class=\"num up\">+$41.40 (+255.1%)</td></tr>"
        ));
        assert!(html.contains(
            "<tr><td><a href=\"#project-0\">prod</a></td><td class=\"num\">$16.23</td><td class=\"num\">$57.63</td><td class=\"num up\">+$41.40 (+255.1%)</td></tr>"
        ));
        assert!(html.contains("<li>not priced: 3 × aws_foo</li>"));
        assert!(html.contains(
            "<li>aws_nat_gateway.main → Data processed ($0.045 per GB) is usage-based: set it in a usage file</li>"
        ));
    }
}
