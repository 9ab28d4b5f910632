//! The report as terminal tables: per workspace, per job file, then the
//! most-drifted resource types and attributes. Money rounded to cents.

use super::{FleetReport, human_duration};
use crate::cost::round_cents;
use comfy_table::{Table, presets::UTF8_BORDERS_ONLY};
use rust_decimal::Decimal;

fn usd(d: Option<Decimal>, unpriced: bool) -> String {
    match d {
        Some(d) if unpriced => format!("{} + unpriced", round_cents(d)),
        Some(d) => round_cents(d).to_string(),
        None if unpriced => "unpriced".to_string(),
        None => "-".to_string(),
    }
}

fn pct(r: Option<f64>) -> String {
    r.map(|r| format!("{:.1}%", r * 100.0))
        .unwrap_or_else(|| "-".into())
}

fn dur(s: Option<i64>) -> String {
    s.map(human_duration).unwrap_or_else(|| "-".into())
}

const HEADER: [&str; 11] = [
    "scans",
    "failure rate",
    "drift events",
    "mean to resolve",
    "max to resolve",
    "open now",
    "oldest open",
    "monthly drift cost now (USD)",
    "drift cost in period (USD)",
    "top resource type",
    "",
];

/// Every table of the report, one after the other.
pub fn render_table(r: &FleetReport) -> String {
    let mut out = format!(
        "Fleet report {} to {}\n",
        r.since.format("%Y-%m-%d %H:%M UTC"),
        r.until.format("%Y-%m-%d %H:%M UTC")
    );
    let mut t = Table::new();
    t.load_preset(UTF8_BORDERS_ONLY);
    let mut header = vec!["workspace", "job file"];
    header.extend(&HEADER[..10]);
    t.set_header(header);
    for w in &r.workspaces {
        t.add_row(vec![
            w.workspace.clone(),
            w.job_file.clone().unwrap_or_else(|| "-".into()),
            w.scans.to_string(),
            pct(w.failure_rate),
            w.drift_events.to_string(),
            dur(w.mean_time_to_resolve_seconds),
            dur(w.max_time_to_resolve_seconds),
            w.open_drift_items.to_string(),
            dur(w.oldest_open_drift_seconds),
            usd(w.monthly_cost_of_drift_now, w.cost_now_unpriced),
            usd(w.cost_of_drift_in_period, w.period_cost_partly_unpriced),
            w.top_resource_type.clone().unwrap_or_else(|| "-".into()),
        ]);
    }
    out.push_str(&format!("{t}\n\nBy job file\n"));
    let mut t = Table::new();
    t.load_preset(UTF8_BORDERS_ONLY);
    let mut header = vec!["job file", "workspaces"];
    header.extend(&HEADER[..9]);
    t.set_header(header);
    for g in r.job_files.iter().chain([&r.totals]) {
        t.add_row(vec![
            if g.name.is_empty() {
                "(no job file)".into()
            } else {
                g.name.clone()
            },
            g.workspaces.to_string(),
            g.scans.to_string(),
            pct(g.failure_rate),
            g.drift_events.to_string(),
            dur(g.mean_time_to_resolve_seconds),
            dur(g.max_time_to_resolve_seconds),
            g.open_drift_items.to_string(),
            dur(g.oldest_open_drift_seconds),
            usd(
                Some(g.monthly_cost_of_drift_now),
                g.workspaces_with_unpriced_drift > 0,
            ),
            usd(
                Some(g.cost_of_drift_in_period),
                g.period_cost_partly_unpriced,
            ),
        ]);
    }
    out.push_str(&format!("{t}\n\nMost-drifted resource types\n"));
    let mut t = Table::new();
    t.load_preset(UTF8_BORDERS_ONLY);
    t.set_header(vec!["resource type", "drift events"]);
    for c in &r.top_resource_types {
        t.add_row(vec![c.resource_type.clone(), c.drift_events.to_string()]);
    }
    out.push_str(&format!("{t}\n\nMost-drifted attributes\n"));
    let mut t = Table::new();
    t.load_preset(UTF8_BORDERS_ONLY);
    t.set_header(vec!["resource type", "attribute", "drift events"]);
    for c in &r.top_attributes {
        t.add_row(vec![
            c.resource_type.clone(),
            c.attribute.clone(),
            c.drift_events.to_string(),
        ]);
    }
    out.push_str(&format!("{t}\n"));
    out
}
