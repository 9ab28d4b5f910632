//! `driftcost cost breakdown|diff`.

use super::common::{OutputFormat, PricingArgs, write_or_print};
use super::policy::PolicyArgs;
use clap::{Args, Subcommand};
use driftcost::cost::estimate;
use driftcost::output::{
    CostReport, apply_previous, load_previous, match_previous, render, render_diff, write_report,
};
use driftcost::plan::load_plan;
use driftcost::policy::{Evaluation, InputKind, render_json, render_markdown, render_table};
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
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    format: OutputFormat,
    #[command(flatten)]
    pricing: PricingArgs,
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
    #[command(flatten)]
    policy: PolicyArgs,
}

pub fn run(cmd: CostCommand) -> anyhow::Result<ExitCode> {
    let (args, diff_only) = match cmd {
        CostCommand::Breakdown(a) => (a, false),
        CostCommand::Diff(a) => (a, true),
    };
    let plan = load_plan(&args.plan)?;
    let name = args
        .project_name
        .clone()
        .unwrap_or_else(|| args.plan.display().to_string());
    let (table, opts) = args.pricing.load(&name)?;
    let mut warnings = opts.usage.warnings(&plan);
    if plan.complete == Some(false) {
        warnings.push(format!(
            "{} is an incomplete plan (\"complete\": false): resources whose changes terraform deferred are not priced",
            args.plan.display()
        ));
    }
    for w in &warnings {
        tracing::warn!("{w}");
    }
    let mut project = estimate(&plan, table.get(), &opts);
    // The estimate owns what it shows. The plan is not freed: the process
    // ends right after printing, and freeing a large plan's hundreds of
    // thousands of JSON values one by one took ~5% of the run; the
    // operating system takes the memory back at exit.
    std::mem::forget(plan);
    // Numbers that cannot be right refuse the estimate: nothing is printed.
    project
        .check_inputs()
        .map_err(|e| anyhow::anyhow!("{}: {e}", args.plan.display()))?;
    project.metadata.path = Some(args.plan.display().to_string());
    if let Some(previous) = &args.compare_to {
        let previous = load_previous(previous)?;
        let matched = match_previous(&previous, &project.name)?;
        apply_previous(&mut project, matched);
    }
    let mut report = CostReport::new(vec![project], now_rfc3339());
    report.warnings = warnings;
    // Policies read the cost JSON exactly as `--format json` writes it. The
    // document is only built when there are policies: for a large plan it is
    // a second copy of the whole report.
    let policies = if args.policy.policies.is_empty() {
        None
    } else {
        args.policy
            .evaluate(InputKind::Cost, &serde_json::to_value(&report)?)?
    };
    if args.out.is_none() && policies.is_none() {
        // Standard output: written as rendered (JSON streams).
        let stdout = std::io::stdout().lock();
        let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout);
        let written = write_report(args.format.into(), &report, diff_only, &mut out)
            .and_then(|()| std::io::Write::flush(&mut out));
        // As the plan above: left to the operating system at exit.
        std::mem::forget(report);
        return match written {
            // A closed pipe (`| head`) is the reader's choice, not an error.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
            Err(e) => Err(anyhow::Error::new(e).context("cannot write to standard output")),
            Ok(()) => Ok(ExitCode::SUCCESS),
        };
    }
    let mut text = if diff_only {
        render_diff(args.format.into(), &report)
    } else {
        render(args.format.into(), &report)
    };
    if let Some(eval) = &policies {
        text = with_policies(args.format, text, eval)?;
    }
    write_or_print(args.out.as_deref(), &text)?;
    Ok(policies
        .as_ref()
        .map(super::policy::exit_code)
        .unwrap_or(ExitCode::SUCCESS))
}

/// The report with the policy results: a `policies` object in JSON (the
/// document of `policy eval --format json`), a section after the table,
/// Markdown or HTML.
fn with_policies(format: OutputFormat, text: String, eval: &Evaluation) -> anyhow::Result<String> {
    Ok(match format {
        OutputFormat::Json => {
            let mut doc: serde_json::Value = serde_json::from_str(&text)?;
            let policies: serde_json::Value =
                serde_json::from_str(&render_json(InputKind::Cost, eval))?;
            if let Some(obj) = doc.as_object_mut() {
                obj.insert("policies".into(), policies);
            }
            serde_json::to_string_pretty(&doc)?
        }
        OutputFormat::Table => format!("{text}\n\n{}", render_table(eval)),
        OutputFormat::Markdown => format!("{text}\n#### Policies\n\n{}", render_markdown(eval)),
        OutputFormat::Html => {
            let section = format!(
                "<h3>Policies</h3>\n<pre>{}</pre>\n",
                driftcost::escape::html(&render_table(eval))
            );
            match text.rfind("</body>") {
                Some(at) => format!("{}{section}{}", &text[..at], &text[at..]),
                None => format!("{text}\n{section}"),
            }
        }
    })
}

fn now_rfc3339() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}
