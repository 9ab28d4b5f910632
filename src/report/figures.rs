//! The fleet figures from a [`ReportInput`]: the store has already cut each
//! workspace's succeeded runs into drift episodes (one fingerprint from the
//! run that first records it to the succeeded run that no longer does), so
//! this is one pass over episodes, drifting runs and scan counts.
//!
//! Definitions (documented in `mod.rs` too):
//! - scans: finished runs in the period except cancelled ones; failed scans:
//!   `failed` and `timed_out`; failure rate = failed / scans.
//! - a drift event: a fingerprint a succeeded run records that the
//!   workspace's previous succeeded run did not. It is resolved by the first
//!   later succeeded run without it; time to resolve = between the two runs.
//! - drift open now: the items of the latest succeeded run; its age from the
//!   first run of the unbroken streak that recorded the oldest of them (for
//!   drift already open when the period began: the first succeeded run that
//!   ever recorded it).
//! - cost of drift now: the latest succeeded run's monthly cost of drift.
//! - cost of drift over the period: each succeeded run's monthly cost of
//!   drift, charged for the time until the next succeeded run (or now), at
//!   730 hours a month: what the drift cost while it was there.

use super::{AttributeCount, FleetReport, GroupFigures, TypeCount, WorkspaceFigures};
use crate::store::{DriftEpisode, DriftRun, LatestRun, ReportInput, ScanCounts};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Seconds in the 730-hour month the monthly costs are quoted for.
const MONTH_SECONDS: i64 = 730 * 3600;

/// How many resource types and attributes the fleet-wide lists keep.
pub const TOP: usize = 10;

pub(super) fn compute(
    input: &ReportInput,
    job_file_of: &dyn Fn(&str) -> Option<String>,
) -> FleetReport {
    let mut per_ws: BTreeMap<&str, Parts<'_>> = BTreeMap::new();
    for c in &input.scans {
        per_ws.entry(&c.workspace).or_default().scans = Some(c);
    }
    for e in &input.episodes {
        per_ws.entry(&e.workspace).or_default().episodes.push(e);
    }
    for r in &input.drift_runs {
        per_ws.entry(&r.workspace).or_default().drift_runs.push(r);
    }
    for l in &input.latest {
        per_ws.entry(&l.workspace).or_default().latest = Some(l);
    }
    let mut types: HashMap<String, u64> = HashMap::new();
    let mut attrs: HashMap<(String, String), u64> = HashMap::new();
    let workspaces: Vec<WorkspaceFigures> = per_ws
        .into_iter()
        .map(|(ws, parts)| {
            workspace_figures(input, ws, &parts, job_file_of(ws), &mut types, &mut attrs)
        })
        .collect();
    // Workspaces whose only run is the baseline had nothing in the period but
    // may still have drift open: they stay in the report.
    let mut by_file: BTreeMap<String, Vec<&WorkspaceFigures>> = BTreeMap::new();
    for w in &workspaces {
        by_file
            .entry(w.job_file.clone().unwrap_or_default())
            .or_default()
            .push(w);
    }
    let job_files = by_file
        .iter()
        .map(|(file, ws)| group(file.clone(), ws))
        .collect();
    let totals = group(
        "(fleet)".to_string(),
        &workspaces.iter().collect::<Vec<_>>(),
    );
    let mut top_resource_types: Vec<TypeCount> = types
        .into_iter()
        .map(|(resource_type, drift_events)| TypeCount {
            resource_type,
            drift_events,
        })
        .collect();
    top_resource_types.sort_by(|a, b| {
        (b.drift_events, &a.resource_type).cmp(&(a.drift_events, &b.resource_type))
    });
    top_resource_types.truncate(TOP);
    let mut top_attributes: Vec<AttributeCount> = attrs
        .into_iter()
        .map(
            |((resource_type, attribute), drift_events)| AttributeCount {
                resource_type,
                attribute,
                drift_events,
            },
        )
        .collect();
    top_attributes.sort_by(|a, b| {
        (b.drift_events, &a.resource_type, &a.attribute).cmp(&(
            a.drift_events,
            &b.resource_type,
            &b.attribute,
        ))
    });
    top_attributes.truncate(TOP);
    FleetReport {
        version: "1",
        since: input.since,
        until: input.now,
        workspaces,
        job_files,
        totals,
        top_resource_types,
        top_attributes,
    }
}

/// `ingress[0].cidr_blocks[12]` → `ingress[*].cidr_blocks[*]`: list positions
/// are not the attribute. Map keys (`tags["a.b"]`) are kept.
pub(super) fn attribute_of(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut rest = path;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find(']') {
            Some(close) if after[..close].bytes().all(|b| b.is_ascii_digit()) && close > 0 => {
                out.push_str("[*]");
                rest = &after[close + 1..];
            }
            _ => {
                out.push('[');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn seconds(a: DateTime<Utc>, b: DateTime<Utc>) -> i64 {
    (b - a).num_seconds().max(0)
}

/// What the store has on one workspace.
#[derive(Default)]
struct Parts<'a> {
    scans: Option<&'a ScanCounts>,
    episodes: Vec<&'a DriftEpisode>,
    drift_runs: Vec<&'a DriftRun>,
    latest: Option<&'a LatestRun>,
}

fn workspace_figures(
    input: &ReportInput,
    ws: &str,
    parts: &Parts<'_>,
    job_file: Option<String>,
    types: &mut HashMap<String, u64>,
    attrs: &mut HashMap<(String, String), u64>,
) -> WorkspaceFigures {
    let mut f = WorkspaceFigures {
        workspace: ws.to_string(),
        job_file,
        ..WorkspaceFigures::default()
    };
    if let Some(c) = parts.scans {
        f.scans = c.scans;
        f.failed_scans = c.failed;
    }
    let mut resolve_secs: Vec<i64> = Vec::new();
    let mut ws_types: HashMap<&str, u64> = HashMap::new();
    let mut oldest_open: Option<DateTime<Utc>> = None;
    for e in &parts.episodes {
        let first = if e.first_at < input.since {
            // Open when the period began: not an event of the period.
            input
                .first_seen
                .get(&(e.workspace.clone(), e.fingerprint.clone()))
                .copied()
                .unwrap_or(e.first_at)
                .min(e.first_at)
        } else {
            f.drift_events += 1;
            *ws_types.entry(&e.resource_type).or_default() += 1;
            *types.entry(e.resource_type.clone()).or_default() += 1;
            let mut seen = HashSet::new();
            for path in &e.attributes {
                let a = attribute_of(path);
                if seen.insert(a.clone()) {
                    *attrs.entry((e.resource_type.clone(), a)).or_default() += 1;
                }
            }
            e.first_at
        };
        match e.resolved_at {
            Some(at) => resolve_secs.push(seconds(first, at)),
            None => {
                f.open_drift_items += 1;
                oldest_open = Some(oldest_open.map_or(first, |o| o.min(first)));
            }
        }
    }
    let mut period_cost = Decimal::ZERO;
    let mut period_unpriced = false;
    for r in &parts.drift_runs {
        charge(
            r,
            input.now,
            input.since,
            &mut period_cost,
            &mut period_unpriced,
        );
    }
    if let Some(last) = parts.latest {
        f.last_succeeded_at = Some(last.finished_at);
        if last.drift_count > 0 {
            match last.cost_delta {
                Some(c) => f.monthly_cost_of_drift_now = Some(c),
                None => f.cost_now_unpriced = true,
            }
        } else {
            f.monthly_cost_of_drift_now = Some(Decimal::ZERO);
        }
    }
    f.oldest_open_drift_seconds = oldest_open.map(|first| seconds(first, input.now));
    f.resolved = resolve_secs.len() as u64;
    f.resolve_seconds_sum = resolve_secs.iter().sum();
    f.max_time_to_resolve_seconds = resolve_secs.iter().copied().max();
    f.mean_time_to_resolve_seconds = mean(f.resolve_seconds_sum, f.resolved);
    f.failure_rate = rate(f.failed_scans, f.scans);
    f.cost_of_drift_in_period =
        (!period_unpriced || !period_cost.is_zero()).then_some(period_cost.normalize());
    f.period_cost_partly_unpriced = period_unpriced;
    f.top_resource_type = ws_types
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
        .map(|(t, _)| t.to_string());
    f
}

/// Adds what `run`'s drift cost from its finish (or the period's start)
/// until the next succeeded run (or now).
fn charge(
    run: &DriftRun,
    now: DateTime<Utc>,
    since: DateTime<Utc>,
    sum: &mut Decimal,
    unpriced: &mut bool,
) {
    let from = run.finished_at.max(since);
    let secs = seconds(from, run.next_at.unwrap_or(now));
    if secs == 0 {
        return;
    }
    match run.cost_delta {
        Some(monthly) => {
            *sum += monthly * Decimal::from(secs) / Decimal::from(MONTH_SECONDS);
        }
        None => *unpriced = true,
    }
}

fn mean(sum: i64, n: u64) -> Option<i64> {
    (n > 0).then(|| (sum as f64 / n as f64).round() as i64)
}

fn rate(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

fn group(name: String, ws: &[&WorkspaceFigures]) -> GroupFigures {
    let mut g = GroupFigures {
        name,
        workspaces: ws.len() as u64,
        ..GroupFigures::default()
    };
    let mut cost_now = Decimal::ZERO;
    let mut cost_period = Decimal::ZERO;
    let mut types: HashMap<&str, u64> = HashMap::new();
    for w in ws {
        g.scans += w.scans;
        g.failed_scans += w.failed_scans;
        g.drift_events += w.drift_events;
        g.resolved += w.resolved;
        g.resolve_seconds_sum += w.resolve_seconds_sum;
        g.max_time_to_resolve_seconds = g
            .max_time_to_resolve_seconds
            .max(w.max_time_to_resolve_seconds);
        g.open_drift_items += w.open_drift_items;
        if w.open_drift_items > 0 {
            g.drifted_workspaces += 1;
        }
        g.oldest_open_drift_seconds = g.oldest_open_drift_seconds.max(w.oldest_open_drift_seconds);
        cost_now += w.monthly_cost_of_drift_now.unwrap_or_default();
        if w.cost_now_unpriced {
            g.workspaces_with_unpriced_drift += 1;
        }
        cost_period += w.cost_of_drift_in_period.unwrap_or_default();
        if w.period_cost_partly_unpriced {
            g.period_cost_partly_unpriced = true;
        }
        if let Some(t) = &w.top_resource_type {
            *types.entry(t).or_default() += 1;
        }
    }
    g.failure_rate = rate(g.failed_scans, g.scans);
    g.mean_time_to_resolve_seconds = mean(g.resolve_seconds_sum, g.resolved);
    g.monthly_cost_of_drift_now = cost_now.normalize();
    g.cost_of_drift_in_period = cost_period.normalize();
    g
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_positions_are_not_attributes() {
        assert_eq!(attribute_of("tags.owner"), "tags.owner");
        assert_eq!(
            attribute_of("ingress[0].cidr_blocks[12]"),
            "ingress[*].cidr_blocks[*]"
        );
        assert_eq!(attribute_of(r#"tags["a.b"]"#), r#"tags["a.b"]"#);
        assert_eq!(attribute_of("x[]"), "x[]");
        assert_eq!(attribute_of("x["), "x[");
    }
}
