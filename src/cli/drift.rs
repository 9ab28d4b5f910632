//! `driftcost drift`: drift from a refresh-only plan a pipeline already made.

use super::common::{OutputFormat, PricingArgs, write_or_print};
use anyhow::Context;
use clap::Args;
use driftcost::drift::report::{DriftReport, render_json, render_markdown, render_table};
use driftcost::drift::{
    DriftMode, IgnoreRules, IntegrityStore, JsonFileIntegrityStore, load_lifecycle_ignores,
};
use driftcost::plan::load_plan;
use driftcost::scan::{Recorded, Settings, analyze};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub struct DriftArgs {
    /// JSON of `terraform show -json` of a refresh-only (or, with --mode plan, a normal) plan.
    #[arg(long)]
    plan: Option<PathBuf>,
    /// The recorded state (state v4 JSON, e.g. from `terraform state pull`) to diff against.
    #[arg(long)]
    state: Option<PathBuf>,
    /// What to report: `refresh-only` (changed outside terraform) or `plan` (also code not applied).
    #[arg(long, value_enum, default_value_t = Mode::RefreshOnly)]
    mode: Mode,
    /// Ignore rule (glob on `type.name.attribute.path`, `!` negates); repeatable.
    #[arg(long = "ignore")]
    ignore: Vec<String>,
    /// The workspace's directory, to honour `lifecycle { ignore_changes }` in its .tf files.
    #[arg(long)]
    tf_dir: Option<PathBuf>,
    /// Remember lineage/serial/sha256 here and alert when the state rolls back or changes under the same serial.
    #[arg(long)]
    integrity_file: Option<PathBuf>,
    /// Name shown in reports and used for the integrity record.
    #[arg(long, default_value = "default")]
    workspace: String,
    /// Output format; JSON is the versioned drift report (src/drift/report.rs).
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    format: OutputFormat,
    #[command(flatten)]
    pricing: PricingArgs,
    /// Write the report here instead of standard output.
    #[arg(long, short)]
    out: Option<PathBuf>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Mode {
    RefreshOnly,
    Plan,
}

pub fn run(args: DriftArgs) -> anyhow::Result<ExitCode> {
    let Some(plan_path) = &args.plan else {
        anyhow::bail!(
            "--plan is required: the JSON of `terraform show -json` of a refresh-only plan (or use `driftcost drift show WORKSPACE` for the latest stored scan)"
        );
    };
    let mut plan = load_plan(plan_path)?;
    // Drift from a plan terraform could not finish would be "no drift" about
    // resources it never looked at.
    plan.ensure_complete(plan_path)?;
    let state_bytes = match &args.state {
        Some(p) => Some(
            std::fs::read(p).with_context(|| format!("cannot read state file {}", p.display()))?,
        ),
        None => None,
    };
    let lifecycle = match &args.tf_dir {
        Some(dir) => load_lifecycle_ignores(dir, None)?,
        None => Vec::new(),
    };
    let rules = IgnoreRules::new(&args.ignore, &lifecycle)?;
    let (table, cost) = args.pricing.load(&args.workspace)?;
    let mode = match args.mode {
        Mode::RefreshOnly => DriftMode::RefreshOnly,
        Mode::Plan => DriftMode::Plan,
    };
    let mut store = match &args.integrity_file {
        Some(p) => Some(JsonFileIntegrityStore::open(p)?),
        None => None,
    };
    let source = args
        .state
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    let parsed = match state_bytes.as_deref() {
        Some(bytes) => Some(Recorded::parse(bytes, &source)?),
        None => None,
    };
    let recorded = parsed.as_ref().map(|(state, integrity)| Recorded {
        source: &source,
        state,
        integrity: integrity.clone(),
    });
    let settings = Settings {
        mode,
        rules: &rules,
        table: table.get(),
        cost: &cost,
    };
    let analysis = analyze(
        &args.workspace,
        &mut plan,
        recorded,
        &settings,
        store.as_mut().map(|s| s as &mut dyn IntegrityStore),
    )?;
    for w in &analysis.result.warnings {
        tracing::warn!("{w}");
    }
    let report = DriftReport {
        workspace: &args.workspace,
        result: &analysis.result,
        costs: &analysis.costs,
        integrity_alerts: &analysis.integrity_alerts,
    };
    let text = match args.format {
        OutputFormat::Table => render_table(&report),
        OutputFormat::Json => render_json(&report),
        OutputFormat::Markdown => render_markdown(&report),
        OutputFormat::Html => anyhow::bail!("drift reports are table, json or markdown"),
    };
    write_or_print(args.out.as_deref(), &text)?;
    Ok(ExitCode::from(analysis.outcome().exit_code()))
}
