//! The fleet figures from a [`ReportInput`]: one pass over each workspace's
//! runs in time order, following each drift fingerprint from the run that
//! first records it to the succeeded run that no longer does.
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
use crate::store::{ReportInput, ReportRun, RunStatus};
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
    let mut items_by_run: HashMap<i64, Vec<(&str, &str)>> = HashMap::new();
    for i in &input.items {
        items_by_run
            .entry(i.run_id)
            .or_default()
            .push((i.fingerprint.as_str(), i.resource_type.as_str()));
    }
    let mut workspaces = Vec::new();
    let mut types: HashMap<String, u64> = HashMap::new();
    let mut attrs: HashMap<(String, String), u64> = HashMap::new();
    let mut start = 0;
    while start < input.runs.len() {
        let ws = &input.runs[start].workspace;
        let end = start
            + input.runs[start..]
                .iter()
                .position(|r| &r.workspace != ws)
                .unwrap_or(input.runs.len() - start);
        let runs = &input.runs[start..end];
        workspaces.push(workspace_figures(
            input,
            runs,
            &items_by_run,
            job_file_of(ws),
            &mut types,
            &mut attrs,
        ));
        start = end;
    }
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

fn workspace_figures(
    input: &ReportInput,
    runs: &[ReportRun],
    items_by_run: &HashMap<i64, Vec<(&str, &str)>>,
    job_file: Option<String>,
    types: &mut HashMap<String, u64>,
    attrs: &mut HashMap<(String, String), u64>,
) -> WorkspaceFigures {
    let ws = &runs[0].workspace;
    let mut f = WorkspaceFigures {
        workspace: ws.clone(),
        job_file,
        ..WorkspaceFigures::default()
    };
    // fingerprint → (first seen, resource type)
    let mut open: HashMap<&str, (DateTime<Utc>, &str)> = HashMap::new();
    let mut resolve_secs: Vec<i64> = Vec::new();
    let mut ws_types: HashMap<&str, u64> = HashMap::new();
    let mut period_cost = Decimal::ZERO;
    let mut period_unpriced = false;
    let mut last_succeeded: Option<&ReportRun> = None;
    let empty = Vec::new();
    for r in runs {
        if !r.baseline {
            match r.status {
                RunStatus::Cancelled | RunStatus::Queued | RunStatus::Running => {}
                RunStatus::Failed | RunStatus::TimedOut => {
                    f.scans += 1;
                    f.failed_scans += 1;
                }
                RunStatus::Succeeded => f.scans += 1,
            }
        }
        if r.status != RunStatus::Succeeded {
            continue;
        }
        if let Some(prev) = last_succeeded {
            charge(
                prev,
                r.finished_at,
                input.since,
                &mut period_cost,
                &mut period_unpriced,
            );
        }
        let here = items_by_run.get(&r.id).unwrap_or(&empty);
        let present: HashSet<&str> = here.iter().map(|(fp, _)| *fp).collect();
        for &(fp, rtype) in here {
            if open.contains_key(fp) {
                continue;
            }
            let first = if r.baseline {
                input
                    .first_seen
                    .get(&(ws.clone(), fp.to_string()))
                    .copied()
                    .unwrap_or(r.finished_at)
            } else {
                f.drift_events += 1;
                *ws_types.entry(rtype).or_default() += 1;
                *types.entry(rtype.to_string()).or_default() += 1;
                let mut seen = HashSet::new();
                for path in input.attributes.get(fp).into_iter().flatten() {
                    let a = attribute_of(path);
                    if seen.insert(a.clone()) {
                        *attrs.entry((rtype.to_string(), a)).or_default() += 1;
                    }
                }
                r.finished_at
            };
            open.insert(fp, (first, rtype));
        }
        let gone: Vec<&str> = open
            .keys()
            .copied()
            .filter(|fp| !present.contains(fp))
            .collect();
        for fp in gone {
            let (first, _) = open.remove(fp).unwrap_or((r.finished_at, ""));
            if !r.baseline {
                resolve_secs.push(seconds(first, r.finished_at));
            }
        }
        last_succeeded = Some(r);
    }
    if let Some(last) = last_succeeded {
        charge(
            last,
            input.now,
            input.since,
            &mut period_cost,
            &mut period_unpriced,
        );
        f.last_succeeded_at = Some(last.finished_at);
        f.open_drift_items = open.len() as u64;
        if last.drift_count > 0 {
            match last.cost_delta {
                Some(c) => f.monthly_cost_of_drift_now = Some(c),
                None => f.cost_now_unpriced = true,
            }
        } else {
            f.monthly_cost_of_drift_now = Some(Decimal::ZERO);
        }
    }
    f.oldest_open_drift_seconds = open
        .values()
        .map(|(first, _)| seconds(*first, input.now))
        .max();
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

/// Adds what `run`'s drift cost from its finish (or the period's start) to `until`.
fn charge(
    run: &ReportRun,
    until: DateTime<Utc>,
    since: DateTime<Utc>,
    sum: &mut Decimal,
    unpriced: &mut bool,
) {
    if run.drift_count == 0 {
        return;
    }
    let from = run.finished_at.max(since);
    let secs = seconds(from, until);
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
