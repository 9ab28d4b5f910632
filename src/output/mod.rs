//! Rendering cost estimates for people (terminal table, Markdown, HTML) and
//! tools (JSON shaped like Infracost's, versioned).

use crate::cost::ProjectCost;
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
    pub time_generated: String,
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
            projects,
            time_generated,
        }
    }
}

/// Renders a report in the given format.
pub fn render(format: Format, report: &CostReport) -> String {
    match format {
        Format::Json => serde_json::to_string_pretty(report).expect("report serializes"),
        // Placeholder until the table/Markdown/HTML renderers land.
        Format::Table | Format::Markdown | Format::Html => {
            serde_json::to_string_pretty(report).expect("report serializes")
        }
    }
}
