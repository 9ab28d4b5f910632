//! Fleet reports: per workspace and per job file over a period — scans,
//! failure rate, drift events, mean and max time to resolve drift, drift open
//! now and its age, cost of drift now and over the period, the most-drifted
//! resource types and attributes. Read from the run store
//! ([`Store::report_input`]); rendered as a terminal table, versioned JSON,
//! CSV and Parquet (polars frames, for BI tools) and HTML (maud, escaped).
//!
//! The definitions of every figure are in `figures.rs`. Money is
//! `rust_decimal`: JSON carries it as decimal strings, CSV and Parquet as
//! decimal columns, the table and HTML round to cents by the one rule of
//! `crate::cost::round_cents`. Unknown cost is `null` / "unpriced", never 0.
//! This module does no I/O but the store read in [`FleetReport::load`].

mod figures;
mod frame;
mod html;
mod table;

pub use figures::TOP;
pub use frame::{
    ReportFrameError, frame_by_job_file, frame_by_workspace, write_csv, write_parquet,
};
pub use html::{render_html, report_tables};
pub use table::render_table;

use crate::store::{ReportInput, Store, StoreError};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::Serialize;

/// The fleet report; serialized as the `GET /v1/report` and `report --format
/// json` document (`"version": "1"`).
#[derive(Debug, Clone, Serialize)]
pub struct FleetReport {
    pub version: &'static str,
    pub since: DateTime<Utc>,
    pub until: DateTime<Utc>,
    /// By workspace name.
    pub workspaces: Vec<WorkspaceFigures>,
    /// By job file path (`""`: workspaces no job file names any more).
    pub job_files: Vec<GroupFigures>,
    /// The whole fleet.
    pub totals: GroupFigures,
    /// Drift events per resource type, most first (at most [`TOP`]).
    pub top_resource_types: Vec<TypeCount>,
    /// Drift events per resource type and attribute path (list positions as
    /// `[*]`), most first (at most [`TOP`]).
    pub top_attributes: Vec<AttributeCount>,
}

/// One workspace's figures. Durations are whole seconds.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct WorkspaceFigures {
    pub workspace: String,
    /// The job file that defines it, when known.
    pub job_file: Option<String>,
    pub scans: u64,
    pub failed_scans: u64,
    /// failed / scans, `null` without scans.
    pub failure_rate: Option<f64>,
    pub drift_events: u64,
    pub resolved: u64,
    #[serde(skip)]
    pub resolve_seconds_sum: i64,
    pub mean_time_to_resolve_seconds: Option<i64>,
    pub max_time_to_resolve_seconds: Option<i64>,
    pub open_drift_items: u64,
    pub oldest_open_drift_seconds: Option<i64>,
    pub last_succeeded_at: Option<DateTime<Utc>>,
    /// The latest succeeded scan's monthly cost of drift (0 without drift);
    /// `null` when its drift is not priced (`cost_now_unpriced`).
    #[serde(with = "rust_decimal::serde::str_option")]
    pub monthly_cost_of_drift_now: Option<Decimal>,
    pub cost_now_unpriced: bool,
    /// What drift cost while it was open in the period; `null` when none of
    /// it could be priced. `period_cost_partly_unpriced`: some could not.
    #[serde(with = "rust_decimal::serde::str_option")]
    pub cost_of_drift_in_period: Option<Decimal>,
    pub period_cost_partly_unpriced: bool,
    /// The resource type with the most drift events here.
    pub top_resource_type: Option<String>,
}

/// Figures summed over several workspaces (a job file, the fleet).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct GroupFigures {
    pub name: String,
    pub workspaces: u64,
    pub scans: u64,
    pub failed_scans: u64,
    pub failure_rate: Option<f64>,
    pub drift_events: u64,
    pub resolved: u64,
    #[serde(skip)]
    pub resolve_seconds_sum: i64,
    /// Over all resolutions in the group.
    pub mean_time_to_resolve_seconds: Option<i64>,
    pub max_time_to_resolve_seconds: Option<i64>,
    pub open_drift_items: u64,
    pub drifted_workspaces: u64,
    pub oldest_open_drift_seconds: Option<i64>,
    /// Sum over the workspaces whose cost is known; see
    /// `workspaces_with_unpriced_drift` for those left out.
    #[serde(with = "rust_decimal::serde::str")]
    pub monthly_cost_of_drift_now: Decimal,
    pub workspaces_with_unpriced_drift: u64,
    #[serde(with = "rust_decimal::serde::str")]
    pub cost_of_drift_in_period: Decimal,
    pub period_cost_partly_unpriced: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TypeCount {
    pub resource_type: String,
    pub drift_events: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttributeCount {
    pub resource_type: String,
    pub attribute: String,
    pub drift_events: u64,
}

impl FleetReport {
    /// Computes the report from what the store holds; `job_file_of` names the
    /// job file of a workspace (None: unknown).
    pub fn from_input(
        input: &ReportInput,
        job_file_of: &(dyn Fn(&str) -> Option<String> + Sync),
    ) -> FleetReport {
        figures::compute(input, job_file_of)
    }

    /// Reads the period from `since` to the store's now and computes it.
    pub async fn load(
        store: &Store,
        since: DateTime<Utc>,
        job_file_of: &(dyn Fn(&str) -> Option<String> + Sync),
    ) -> Result<FleetReport, StoreError> {
        let input = store.report_input(since).await?;
        Ok(Self::from_input(&input, job_file_of))
    }
}

/// `30d`, `12h`, `2w`: how far back a report looks. Errors say what to write.
pub fn parse_since(text: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>, String> {
    let t = text.trim();
    if let Ok(at) = DateTime::parse_from_rfc3339(t) {
        return Ok(at.with_timezone(&Utc));
    }
    let bad = || {
        format!(
            "`{text}` is not a period; use a number and a unit (`30d`, `12h`, `2w`) or an RFC 3339 time (`2026-01-01T00:00:00Z`)"
        )
    };
    let (num, unit) = t.split_at(t.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?);
    let n: i64 = num.parse().map_err(|_| bad())?;
    let span = match unit {
        "m" => chrono::TimeDelta::try_minutes(n),
        "h" => chrono::TimeDelta::try_hours(n),
        "d" => chrono::TimeDelta::try_days(n),
        "w" => chrono::TimeDelta::try_weeks(n),
        _ => None,
    }
    .ok_or_else(bad)?;
    now.checked_sub_signed(span).ok_or_else(bad)
}

/// A duration as people read it: `3d 4h`, `5h 12m`, `42s`.
pub fn human_duration(secs: i64) -> String {
    let (d, h, m) = (secs / 86_400, secs % 86_400 / 3600, secs % 3600 / 60);
    match (d, h, m) {
        (0, 0, 0) => format!("{secs}s"),
        (0, 0, m) => format!("{m}m"),
        (0, h, m) => format!("{h}h {m}m"),
        (d, h, _) => format!("{d}d {h}h"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_parse_and_errors_say_the_form() {
        let now: DateTime<Utc> = "2026-03-31T00:00:00Z".parse().unwrap();
        assert_eq!(
            parse_since("30d", now).unwrap(),
            "2026-03-01T00:00:00Z".parse::<DateTime<Utc>>().unwrap()
        );
        assert_eq!(
            parse_since("2026-01-01T00:00:00Z", now).unwrap(),
            "2026-01-01T00:00:00Z".parse::<DateTime<Utc>>().unwrap()
        );
        for bad in ["", "d", "30", "30y", "-3d", "999999999999999999d"] {
            let e = parse_since(bad, now).unwrap_err();
            assert!(e.contains("30d"), "{bad}: {e}");
        }
    }

    #[test]
    fn durations_read_like_people_write_them() {
        assert_eq!(human_duration(42), "42s");
        assert_eq!(human_duration(600), "10m");
        assert_eq!(human_duration(3 * 3600 + 120), "3h 2m");
        assert_eq!(human_duration(2 * 86_400 + 5 * 3600), "2d 5h");
    }
}
