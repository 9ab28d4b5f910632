//! `driftcost cost breakdown|diff`.

use anyhow::Context;
use clap::{Args, Subcommand, ValueEnum};
use driftcost::cost::{CostOptions, UsageFile, estimate};
use driftcost::output::{
    CostReport, Format, apply_previous, load_previous, match_previous, render,
};
use driftcost::plan::load_plan;
use driftcost::pricing::PriceTable;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum CostCommand {
    /// Monthly cost of every resource before and after the plan.
    Breakdown(CostArgs),
    /// Only what the plan changes, and by how much per month.
    Diff(CostArgs),
}

#[derive(Args)]
pub struct CostArgs {
    /// JSON of `terraform show -json <planfile>`.
    #[arg(long)]
    plan: PathBuf,
    /// Usage file in Infracost's format (version 0.1).
    #[arg(long)]
    usage_file: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    format: OutputFormat,
    /// Directory of pricing tables to use instead of the shipped ones.
    #[arg(long, env = "DRIFTCOST_PRICING_DIR")]
    pricing_dir: Option<PathBuf>,
    /// Region assumed when neither a resource nor its provider names one.
    #[arg(long, default_value = driftcost::cost::DEFAULT_REGION)]
    default_region: String,
    /// Project name shown in reports (defaults to the plan's file name).
    #[arg(long)]
    project_name: Option<String>,
    /// A previous driftcost (or Infracost) JSON report: its breakdown becomes
    /// the "before" side, so the diff shows what changed since that report.
    #[arg(long)]
    compare_to: Option<PathBuf>,
    /// Write the report here instead of standard output.
    #[arg(long, short)]
    out: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum OutputFormat {
    Table,
    Json,
    Markdown,
    Html,
}

impl From<OutputFormat> for Format {
    fn from(f: OutputFormat) -> Self {
        match f {
            OutputFormat::Table => Format::Table,
            OutputFormat::Json => Format::Json,
            OutputFormat::Markdown => Format::Markdown,
            OutputFormat::Html => Format::Html,
        }
    }
}

pub fn run(cmd: CostCommand) -> anyhow::Result<ExitCode> {
    let (args, _diff_only) = match cmd {
        CostCommand::Breakdown(a) => (a, false),
        CostCommand::Diff(a) => (a, true),
    };
    let plan = load_plan(&args.plan)?;
    let usage = match &args.usage_file {
        Some(p) => UsageFile::load(p)?,
        None => UsageFile::default(),
    };
    let owned;
    let table = match &args.pricing_dir {
        Some(dir) => {
            owned = PriceTable::load_dir(dir)?;
            &owned
        }
        None => PriceTable::embedded(),
    };
    let opts = CostOptions {
        project_name: args
            .project_name
            .clone()
            .unwrap_or_else(|| args.plan.display().to_string()),
        default_region: args.default_region.clone(),
        usage,
    };
    let mut project = estimate(&plan, table, &opts);
    project.metadata.path = Some(args.plan.display().to_string());
    if let Some(previous) = &args.compare_to {
        let previous = load_previous(previous)?;
        let matched = match_previous(&previous, &project.name)?;
        apply_previous(&mut project, matched);
    }
    let report = CostReport::new(vec![project], now_rfc3339());
    let text = render(args.format.into(), &report);
    match &args.out {
        Some(path) => std::fs::write(path, text)
            .with_context(|| format!("cannot write report to {}", path.display()))?,
        None => println!("{text}"),
    }
    Ok(ExitCode::SUCCESS)
}

fn now_rfc3339() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}
