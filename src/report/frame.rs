//! The report as polars frames, one row per workspace or per job file, and
//! their CSV and Parquet files for BI tools. Money columns are
//! `decimal(38, 10)` (rounded half away from zero at the tenth decimal),
//! never floats; unknown cost is null. Durations are whole seconds (Int64),
//! rates Float64, times UTC text (RFC 3339).

use super::{FleetReport, GroupFigures, WorkspaceFigures};
use polars::prelude::*;
use rust_decimal::{Decimal, RoundingStrategy};
use std::io::Write;

/// Digits after the decimal point of money columns.
pub const MONEY_SCALE: u32 = 10;

#[derive(Debug, thiserror::Error)]
pub enum ReportFrameError {
    #[error("cannot build the report table: {0}")]
    Build(#[source] PolarsError),
    #[error("cannot write the report as {format}: {source}; check the output path and free space")]
    Write {
        format: &'static str,
        #[source]
        source: PolarsError,
    },
}

fn money(name: &str, values: impl Iterator<Item = Option<Decimal>>) -> Result<Column, PolarsError> {
    let mantissas: Vec<Option<i128>> = values
        .map(|v| {
            v.map(|d| {
                let mut d =
                    d.round_dp_with_strategy(MONEY_SCALE, RoundingStrategy::MidpointAwayFromZero);
                d.rescale(MONEY_SCALE);
                d.mantissa()
            })
        })
        .collect();
    Ok(Int128Chunked::from_slice_options(name.into(), &mantissas)
        .into_decimal(38, MONEY_SCALE as usize)?
        .into_series()
        .into_column())
}

fn u64s(name: &str, v: impl Iterator<Item = u64>) -> Column {
    Column::new(name.into(), v.collect::<Vec<u64>>())
}

fn i64s(name: &str, v: impl Iterator<Item = Option<i64>>) -> Column {
    Column::new(name.into(), v.collect::<Vec<Option<i64>>>())
}

fn f64s(name: &str, v: impl Iterator<Item = Option<f64>>) -> Column {
    Column::new(name.into(), v.collect::<Vec<Option<f64>>>())
}

fn strs(name: &str, v: impl Iterator<Item = Option<String>>) -> Column {
    Column::new(name.into(), v.collect::<Vec<Option<String>>>())
}

fn bools(name: &str, v: impl Iterator<Item = bool>) -> Column {
    Column::new(name.into(), v.collect::<Vec<bool>>())
}

/// One row per workspace.
pub fn frame_by_workspace(report: &FleetReport) -> Result<DataFrame, ReportFrameError> {
    let w: &[WorkspaceFigures] = &report.workspaces;
    let columns = || -> Result<Vec<Column>, PolarsError> {
        Ok(vec![
            strs("workspace", w.iter().map(|x| Some(x.workspace.clone()))),
            strs("job_file", w.iter().map(|x| x.job_file.clone())),
            u64s("scans", w.iter().map(|x| x.scans)),
            u64s("failed_scans", w.iter().map(|x| x.failed_scans)),
            f64s("failure_rate", w.iter().map(|x| x.failure_rate)),
            u64s("drift_events", w.iter().map(|x| x.drift_events)),
            u64s("resolved", w.iter().map(|x| x.resolved)),
            i64s(
                "mean_time_to_resolve_seconds",
                w.iter().map(|x| x.mean_time_to_resolve_seconds),
            ),
            i64s(
                "max_time_to_resolve_seconds",
                w.iter().map(|x| x.max_time_to_resolve_seconds),
            ),
            u64s("open_drift_items", w.iter().map(|x| x.open_drift_items)),
            i64s(
                "oldest_open_drift_seconds",
                w.iter().map(|x| x.oldest_open_drift_seconds),
            ),
            strs(
                "last_succeeded_at",
                w.iter()
                    .map(|x| x.last_succeeded_at.map(|t| t.to_rfc3339())),
            ),
            money(
                "monthly_cost_of_drift_now_usd",
                w.iter().map(|x| x.monthly_cost_of_drift_now),
            )?,
            bools("cost_now_unpriced", w.iter().map(|x| x.cost_now_unpriced)),
            money(
                "cost_of_drift_in_period_usd",
                w.iter().map(|x| x.cost_of_drift_in_period),
            )?,
            bools(
                "period_cost_partly_unpriced",
                w.iter().map(|x| x.period_cost_partly_unpriced),
            ),
            strs(
                "top_resource_type",
                w.iter().map(|x| x.top_resource_type.clone()),
            ),
        ])
    };
    let cols = columns().map_err(ReportFrameError::Build)?;
    DataFrame::new(w.len(), cols).map_err(ReportFrameError::Build)
}

/// One row per job file.
pub fn frame_by_job_file(report: &FleetReport) -> Result<DataFrame, ReportFrameError> {
    let g: &[GroupFigures] = &report.job_files;
    let columns = || -> Result<Vec<Column>, PolarsError> {
        Ok(vec![
            strs("job_file", g.iter().map(|x| Some(x.name.clone()))),
            u64s("workspaces", g.iter().map(|x| x.workspaces)),
            u64s("scans", g.iter().map(|x| x.scans)),
            u64s("failed_scans", g.iter().map(|x| x.failed_scans)),
            f64s("failure_rate", g.iter().map(|x| x.failure_rate)),
            u64s("drift_events", g.iter().map(|x| x.drift_events)),
            u64s("resolved", g.iter().map(|x| x.resolved)),
            i64s(
                "mean_time_to_resolve_seconds",
                g.iter().map(|x| x.mean_time_to_resolve_seconds),
            ),
            i64s(
                "max_time_to_resolve_seconds",
                g.iter().map(|x| x.max_time_to_resolve_seconds),
            ),
            u64s("open_drift_items", g.iter().map(|x| x.open_drift_items)),
            u64s("drifted_workspaces", g.iter().map(|x| x.drifted_workspaces)),
            i64s(
                "oldest_open_drift_seconds",
                g.iter().map(|x| x.oldest_open_drift_seconds),
            ),
            money(
                "monthly_cost_of_drift_now_usd",
                g.iter().map(|x| Some(x.monthly_cost_of_drift_now)),
            )?,
            u64s(
                "workspaces_with_unpriced_drift",
                g.iter().map(|x| x.workspaces_with_unpriced_drift),
            ),
            money(
                "cost_of_drift_in_period_usd",
                g.iter().map(|x| Some(x.cost_of_drift_in_period)),
            )?,
            bools(
                "period_cost_partly_unpriced",
                g.iter().map(|x| x.period_cost_partly_unpriced),
            ),
        ])
    };
    let cols = columns().map_err(ReportFrameError::Build)?;
    DataFrame::new(g.len(), cols).map_err(ReportFrameError::Build)
}

/// CSV with a header row.
pub fn write_csv(df: &mut DataFrame, out: impl Write) -> Result<(), ReportFrameError> {
    CsvWriter::new(out)
        .include_header(true)
        .finish(df)
        .map_err(|source| ReportFrameError::Write {
            format: "CSV",
            source,
        })
}

/// Parquet (zstd-compressed).
pub fn write_parquet(df: &mut DataFrame, out: impl Write) -> Result<(), ReportFrameError> {
    ParquetWriter::new(out)
        .finish(df)
        .map(drop)
        .map_err(|source| ReportFrameError::Write {
            format: "Parquet",
            source,
        })
}
