//! Rendering cost estimates for people (terminal table, Markdown, HTML) and
//! tools (JSON shaped like Infracost's, versioned).
//!
//! Renderers only read a [`CostReport`]; they never price anything. Money
//! shown to people is rounded to cents (`$1,234.57`); JSON keeps every digit.
//! [`compare`] swaps a project's past side for a previous report's, so
//! `cost diff --compare-to previous.json` shows what changed since then.

pub mod compare;
mod diff;
mod format;
mod html;
mod json;
mod markdown;
mod notes;
mod table;

#[cfg(test)]
pub(crate) mod fixtures;

pub use compare::{CompareError, PreviousProject, apply_previous, load_previous, match_previous};
pub use markdown::marker;

use crate::cost::{ProjectCost, Summary};
use rust_decimal::Decimal;
use serde::Serialize;

/// Output formats of `driftcost cost …`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    Markdown,
    Html,
}

/// Version of the JSON contract; bump on any breaking change.
pub const JSON_VERSION: &str = "1";

/// One cost report: one or more projects (plans, workspaces) and their totals.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CostReport {
    pub version: &'static str,
    pub currency: &'static str,
    pub projects: Vec<ProjectCost>,
    pub total_hourly_cost: Decimal,
    pub total_monthly_cost: Decimal,
    pub past_total_hourly_cost: Decimal,
    pub past_total_monthly_cost: Decimal,
    pub diff_total_hourly_cost: Decimal,
    pub diff_total_monthly_cost: Decimal,
    /// Components after the plan that have no price and are left out of
    /// `total_monthly_cost` (usage-based without usage, or no price found).
    pub unpriced_components: usize,
    /// The same for the side before the plan.
    pub past_unpriced_components: usize,
    pub time_generated: String,
    /// The projects' summaries added up, as Infracost's top-level `summary`.
    pub summary: Summary,
    /// What the caller warned about while making the report (usage file
    /// keys or addresses nothing reads, an incomplete plan); omitted when none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

impl CostReport {
    pub fn new(projects: Vec<ProjectCost>, time_generated: String) -> Self {
        let sum = |f: &dyn Fn(&ProjectCost) -> Decimal| {
            projects.iter().map(f).sum::<Decimal>().normalize()
        };
        let total_monthly_cost = sum(&|p| p.breakdown.total_monthly_cost);
        let past_total_monthly_cost = sum(&|p| p.past_breakdown.total_monthly_cost);
        CostReport {
            version: JSON_VERSION,
            currency: "USD",
            total_hourly_cost: sum(&|p| p.breakdown.total_hourly_cost),
            past_total_hourly_cost: sum(&|p| p.past_breakdown.total_hourly_cost),
            diff_total_hourly_cost: sum(&|p| p.diff.total_hourly_cost),
            diff_total_monthly_cost: (total_monthly_cost - past_total_monthly_cost).normalize(),
            total_monthly_cost,
            past_total_monthly_cost,
            unpriced_components: projects
                .iter()
                .map(|p| p.breakdown.unpriced_components)
                .sum(),
            past_unpriced_components: projects
                .iter()
                .map(|p| p.past_breakdown.unpriced_components)
                .sum(),
            summary: aggregate_summary(&projects),
            warnings: Vec::new(),
            projects,
            time_generated,
        }
    }
}

fn aggregate_summary(projects: &[ProjectCost]) -> Summary {
    let mut total = Summary::default();
    let mut miss_index = foldhash::HashMap::default();
    for s in projects.iter().map(|p| &p.summary) {
        total.total_detected_resources += s.total_detected_resources;
        total.total_supported_resources += s.total_supported_resources;
        total.total_unsupported_resources += s.total_unsupported_resources;
        total.total_usage_based_resources += s.total_usage_based_resources;
        total.total_no_price_resources += s.total_no_price_resources;
        for (t, n) in &s.unsupported_resource_counts {
            *total
                .unsupported_resource_counts
                .entry(t.clone())
                .or_default() += n;
        }
        for (t, n) in &s.no_price_resource_counts {
            *total.no_price_resource_counts.entry(t.clone()).or_default() += n;
        }
        total.usage_based_components_without_usage += s.usage_based_components_without_usage;
        for miss in &s.price_not_found {
            for resource in &miss.resources {
                total.add_price_miss(
                    &mut miss_index,
                    resource.clone(),
                    miss.component.clone(),
                    miss.message.clone(),
                );
            }
        }
        total.region_guessed_resources += s.region_guessed_resources;
        total.input_errors.extend(s.input_errors.iter().cloned());
    }
    total
}

/// Renders a report in the given format.
pub fn render(format: Format, report: &CostReport) -> String {
    match format {
        Format::Json => json::render(report),
        Format::Table => table::render(report),
        Format::Markdown => markdown::render(report),
        Format::Html => html::render(report),
    }
}

/// Writes the report to `out` as it is rendered; JSON streams (never held
/// whole in memory), the other formats are rendered then written. Ends with
/// a newline, as `println!` of [`render`] would.
pub fn write_report<W: std::io::Write + ?Sized>(
    format: Format,
    report: &CostReport,
    diff_only: bool,
    out: &mut W,
) -> std::io::Result<()> {
    if format == Format::Json {
        return json::write(report, out);
    }
    let text = if diff_only {
        render_diff(format, report)
    } else {
        render(format, report)
    };
    out.write_all(text.as_bytes())?;
    out.write_all(b"\n")
}

/// Renders `cost diff`: only what the plan changes. JSON is the same
/// document as [`render`] (its `diff` holds the changed resources); Markdown
/// is already a diff.
pub fn render_diff(format: Format, report: &CostReport) -> String {
    match format {
        Format::Json => json::render(report),
        Format::Table => diff::render_table(report),
        Format::Markdown => markdown::render(report),
        Format::Html => diff::render_html(report),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::fixtures::{project, sample_project};

    #[test]
    fn report_sums_projects_and_their_summaries() {
        let report = CostReport::new(
            vec![sample_project(), sample_project()],
            "2025-01-01T00:00:00Z".into(),
        );
        let one = sample_project();
        assert_eq!(
            report.total_monthly_cost,
            (one.breakdown.total_monthly_cost * Decimal::TWO).normalize()
        );
        assert_eq!(
            report.diff_total_monthly_cost,
            (one.diff_total_monthly_cost() * Decimal::TWO).normalize()
        );
        assert_eq!(report.summary.unsupported_resource_counts["aws_foo"], 6);
        assert_eq!(report.summary.total_no_price_resources, 4);
        // The same miss in both projects is one entry naming both resources.
        assert_eq!(report.summary.price_not_found.len(), 1);
        assert_eq!(report.summary.price_not_found[0].resources.len(), 2);
        let empty = CostReport::new(vec![project("e", vec![], vec![])], String::new());
        assert_eq!(empty.summary.total_detected_resources, 0);
    }
}
