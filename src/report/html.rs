//! The report as one self-contained HTML page (maud: every value escaped),
//! with the same tables as the terminal and a small stylesheet; no script.

use super::{FleetReport, GroupFigures, human_duration};
use crate::cost::round_cents;
use maud::{DOCTYPE, Markup, html};
use rust_decimal::Decimal;

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:1rem;color:#111}\
table{border-collapse:collapse;margin:0 0 1.5rem;font-size:.9rem}\
th,td{border:1px solid #bbb;padding:.25rem .5rem;text-align:left}\
td.n{text-align:right}caption{text-align:left;font-weight:600;padding:.25rem 0}\
.wrap{overflow-x:auto}";

fn usd(d: Option<Decimal>, unpriced: bool) -> String {
    match d {
        Some(d) if unpriced => format!("{} + unpriced", round_cents(d)),
        Some(d) => round_cents(d).to_string(),
        None if unpriced => "unpriced".to_string(),
        None => "–".to_string(),
    }
}

fn pct(r: Option<f64>) -> String {
    r.map(|r| format!("{:.1}%", r * 100.0))
        .unwrap_or_else(|| "–".into())
}

fn dur(s: Option<i64>) -> String {
    s.map(human_duration).unwrap_or_else(|| "–".into())
}

fn group_row(g: &GroupFigures) -> Markup {
    html! {
        tr {
            th scope="row" { (if g.name.is_empty() { "(no job file)" } else { &g.name }) }
            td.n { (g.workspaces) }
            td.n { (g.scans) }
            td.n { (pct(g.failure_rate)) }
            td.n { (g.drift_events) }
            td.n { (dur(g.mean_time_to_resolve_seconds)) }
            td.n { (dur(g.max_time_to_resolve_seconds)) }
            td.n { (g.open_drift_items) }
            td.n { (dur(g.oldest_open_drift_seconds)) }
            td.n { (usd(Some(g.monthly_cost_of_drift_now), g.workspaces_with_unpriced_drift > 0)) }
            td.n { (usd(Some(g.cost_of_drift_in_period), g.period_cost_partly_unpriced)) }
        }
    }
}

/// The report's tables as a page; the pages of `serve` can embed
/// [`report_tables`] instead.
pub fn render_html(r: &FleetReport) -> String {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { "driftcost fleet report" }
                style { (STYLE) }
            }
            body {
                main {
                    h1 { "Fleet report" }
                    p {
                        (r.since.format("%Y-%m-%d %H:%M UTC").to_string()) " to "
                        (r.until.format("%Y-%m-%d %H:%M UTC").to_string())
                    }
                    (report_tables(r))
                }
            }
        }
    }
    .into_string()
}

/// The tables alone (per workspace, per job file, most-drifted types and
/// attributes), for embedding in another page.
pub fn report_tables(r: &FleetReport) -> Markup {
    html! {
        div.wrap { table {
            caption { "By workspace" }
            thead { tr {
                th scope="col" { "Workspace" } th scope="col" { "Job file" }
                th scope="col" { "Scans" } th scope="col" { "Failure rate" }
                th scope="col" { "Drift events" } th scope="col" { "Mean to resolve" }
                th scope="col" { "Max to resolve" } th scope="col" { "Open now" }
                th scope="col" { "Oldest open" } th scope="col" { "Monthly drift cost now (USD)" }
                th scope="col" { "Drift cost in period (USD)" } th scope="col" { "Top resource type" }
            } }
            tbody { @for w in &r.workspaces { tr {
                th scope="row" { (w.workspace) }
                td { (w.job_file.as_deref().unwrap_or("–")) }
                td.n { (w.scans) }
                td.n { (pct(w.failure_rate)) }
                td.n { (w.drift_events) }
                td.n { (dur(w.mean_time_to_resolve_seconds)) }
                td.n { (dur(w.max_time_to_resolve_seconds)) }
                td.n { (w.open_drift_items) }
                td.n { (dur(w.oldest_open_drift_seconds)) }
                td.n { (usd(w.monthly_cost_of_drift_now, w.cost_now_unpriced)) }
                td.n { (usd(w.cost_of_drift_in_period, w.period_cost_partly_unpriced)) }
                td { (w.top_resource_type.as_deref().unwrap_or("–")) }
            } } }
        } }
        div.wrap { table {
            caption { "By job file" }
            thead { tr {
                th scope="col" { "Job file" } th scope="col" { "Workspaces" }
                th scope="col" { "Scans" } th scope="col" { "Failure rate" }
                th scope="col" { "Drift events" } th scope="col" { "Mean to resolve" }
                th scope="col" { "Max to resolve" } th scope="col" { "Open now" }
                th scope="col" { "Oldest open" } th scope="col" { "Monthly drift cost now (USD)" }
                th scope="col" { "Drift cost in period (USD)" }
            } }
            tbody { @for g in &r.job_files { (group_row(g)) } }
            tfoot { (group_row(&r.totals)) }
        } }
        div.wrap { table {
            caption { "Most-drifted resource types" }
            thead { tr { th scope="col" { "Resource type" } th scope="col" { "Drift events" } } }
            tbody { @for c in &r.top_resource_types { tr {
                th scope="row" { (c.resource_type) } td.n { (c.drift_events) }
            } } }
        } }
        div.wrap { table {
            caption { "Most-drifted attributes" }
            thead { tr {
                th scope="col" { "Resource type" } th scope="col" { "Attribute" }
                th scope="col" { "Drift events" }
            } }
            tbody { @for c in &r.top_attributes { tr {
                td { (c.resource_type) } th scope="row" { (c.attribute) } td.n { (c.drift_events) }
            } } }
        } }
    }
}
