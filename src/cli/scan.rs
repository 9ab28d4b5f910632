//! `driftcost scan`: one workspace end to end with real terraform.

use super::common::{OutputFormat, write_or_print};
use anyhow::{Context, bail};
use clap::Args;
use driftcost::drift::report::{DriftReport, render_markdown, render_scan_json, render_table};
use driftcost::drift::{IntegrityStore, JsonFileIntegrityStore};
use driftcost::jobs::{JobFile, Workspace};
use driftcost::pricing::PriceTable;
use driftcost::runner::{PlanMode, RunnerSettings};
use driftcost::scan::{Outcome, WorkspaceScan, scan_workspace};
use std::path::PathBuf;
use std::process::ExitCode;
use tokio_util::sync::CancellationToken;

#[derive(Args)]
pub struct ScanArgs {
    /// The workspace directory (or use --config and --workspace).
    dir: Option<PathBuf>,
    /// A job file (`jobs/*.toml`) that defines the workspace.
    #[arg(long, requires = "workspace", conflicts_with = "dir")]
    config: Option<PathBuf>,
    /// The workspace's name in the job file.
    #[arg(long, requires = "config")]
    workspace: Option<String>,
    /// Backend setting as terraform's `-backend-config` (`kind=s3`, `bucket=…`); repeatable.
    /// Without it the workspace's own backend block is read.
    #[arg(long = "backend-config", value_name = "KEY=VALUE")]
    backend_config: Vec<String>,
    /// Ignore rule (glob on `type.name.attribute.path`, `!` negates); repeatable.
    #[arg(long = "ignore")]
    ignore: Vec<String>,
    /// `refresh-only` (changed outside terraform) or `plan` (also code not applied).
    #[arg(long, value_enum)]
    mode: Option<Mode>,
    /// terraform or tofu binary.
    #[arg(long)]
    tool: Option<PathBuf>,
    /// Input variable `NAME=VALUE`; repeatable.
    #[arg(long = "var", value_name = "NAME=VALUE")]
    vars: Vec<String>,
    /// Variable file; repeatable.
    #[arg(long = "var-file")]
    var_files: Vec<PathBuf>,
    /// terraform workspace (`TF_WORKSPACE`).
    #[arg(long)]
    terraform_workspace: Option<String>,
    /// Kill terraform (and its providers) after this long, e.g. `10m` (1s to 7 days).
    #[arg(long, value_parser = timeout)]
    timeout: Option<std::time::Duration>,
    /// Remember lineage/serial/sha256 here and alert on a rolled-back or rewritten state.
    #[arg(long)]
    integrity_file: Option<PathBuf>,
    /// Provider plugin cache for this scan (`TF_PLUGIN_CACHE_DIR`).
    #[arg(long, env = "DRIFTCOST_PLUGIN_CACHE_DIR")]
    plugin_cache_dir: Option<PathBuf>,
    /// Keep the temporary working copy for debugging.
    #[arg(long)]
    keep_workdir: bool,
    /// Report format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    format: OutputFormat,
    /// Write the report to this file instead of stdout.
    #[arg(long, short)]
    out: Option<PathBuf>,
}

fn timeout(s: &str) -> Result<std::time::Duration, String> {
    driftcost::schedule::duration::RUN_TIMEOUT
        .parse("--timeout", s)
        .map_err(|e| e.to_string())
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Mode {
    RefreshOnly,
    Plan,
}

pub fn run(args: ScanArgs) -> anyhow::Result<ExitCode> {
    // Paths from the command line are resolved once, against the current
    // directory; a job file's own paths then resolve against its folder.
    let mut ws = match (&args.config, &args.dir) {
        (Some(config), _) => {
            let file = JobFile::load(&super::absolute(config, "--config")?)?;
            file.workspace(args.workspace.as_deref().unwrap_or_default())?
                .clone()
        }
        (None, Some(dir)) => Workspace::in_dir(&super::absolute(dir, "the workspace directory")?),
        (None, None) => bail!("give a workspace directory, or --config FILE --workspace NAME"),
    };
    if ws.git.is_none() && !ws.dir.is_dir() {
        bail!(
            "{} is not a directory: pass the workspace's directory (where its .tf files are)",
            ws.dir.display()
        );
    }
    apply_flags(&mut ws, &args)?;
    let settings = RunnerSettings {
        plugin_cache_dir: args.plugin_cache_dir.clone(),
        keep_workdir: args.keep_workdir,
        cli_config_file: std::env::var_os("TF_CLI_CONFIG_FILE").map(PathBuf::from),
        ..RunnerSettings::default()
    };
    let mut store = match &args.integrity_file {
        Some(p) => Some(JsonFileIntegrityStore::open(p)?),
        None => None,
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let cancel = CancellationToken::new();
    let ctrl_c = cancel.clone();
    let scan = runtime.block_on(async {
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                ctrl_c.cancel();
            }
        });
        scan_workspace(
            &ws,
            &settings,
            PriceTable::embedded(),
            store
                .as_mut()
                .map(|s| s as &mut (dyn IntegrityStore + Send)),
            &cancel,
        )
        .await
    });
    if let Some(a) = &scan.analysis {
        for w in &a.result.warnings {
            tracing::warn!(workspace = %scan.workspace, "{w}");
        }
    }
    if scan.outcome == Outcome::Errored {
        bail!(
            "{}",
            scan.error.clone().unwrap_or_else(|| "scan failed".into())
        );
    }
    write_or_print(args.out.as_deref(), &render(&scan, args.format)?)?;
    // The job file's policies (`policies = [...]`), as the worker evaluates
    // them; shown on stderr so the report on stdout stays as it is.
    let mut code = scan.outcome.exit_code();
    if let Some(p) = driftcost::worker::policies::for_scan_blocking(&ws, &scan) {
        eprint!("{p}");
        code = match driftcost::worker::policies::exit_code(p.outcome) {
            Some(1) => 1,
            Some(c) => code.max(c),
            None => code,
        };
    }
    Ok(ExitCode::from(code))
}

fn apply_flags(ws: &mut Workspace, args: &ScanArgs) -> anyhow::Result<()> {
    ws.ignore.extend(args.ignore.iter().cloned());
    if let Some(m) = args.mode {
        ws.mode = match m {
            Mode::RefreshOnly => PlanMode::RefreshOnly,
            Mode::Plan => PlanMode::Plan,
        };
    }
    if let Some(t) = &args.tool {
        ws.tool.binary = t.clone();
    }
    for v in &args.vars {
        let (k, val) = v
            .split_once('=')
            .with_context(|| format!("--var {v}: write NAME=VALUE"))?;
        ws.vars.push((k.to_string(), val.to_string()));
    }
    ws.var_files.extend(args.var_files.iter().cloned());
    if let Some(t) = &args.terraform_workspace {
        ws.terraform_workspace = Some(t.clone());
    }
    if let Some(t) = args.timeout {
        ws.timeout = t;
    }
    if !args.backend_config.is_empty() {
        let mut table = toml::Table::new();
        for kv in &args.backend_config {
            let (k, v) = kv
                .split_once('=')
                .with_context(|| format!("--backend-config {kv}: write KEY=VALUE"))?;
            let value = match v {
                "true" => toml::Value::Boolean(true),
                "false" => toml::Value::Boolean(false),
                _ => toml::Value::String(v.to_string()),
            };
            table.insert(k.to_string(), value);
        }
        ws.backend = Some(table);
    }
    Ok(())
}

fn render(scan: &WorkspaceScan, format: OutputFormat) -> anyhow::Result<String> {
    let analysis = scan
        .analysis
        .as_ref()
        .context("a finished scan has an analysis")?;
    let report = DriftReport {
        workspace: &scan.workspace,
        result: &analysis.result,
        costs: &analysis.costs,
        integrity_alerts: &analysis.integrity_alerts,
    };
    Ok(match format {
        OutputFormat::Table => {
            let mut text = render_table(&report);
            text.push_str(&format!(
                "\nterraform {} · state {} · {} ms (init {} ms, plan {} ms, show {} ms)\n",
                scan.tool_version.as_deref().unwrap_or("?"),
                scan.state_source.as_deref().unwrap_or("?"),
                scan.timings.total_ms,
                scan.timings.init_ms,
                scan.timings.plan_ms,
                scan.timings.show_ms
            ));
            text
        }
        OutputFormat::Markdown => render_markdown(&report),
        // The drift report JSON (src/drift/report.rs) with its `scan` object.
        OutputFormat::Json => render_scan_json(
            &report,
            &serde_json::json!({
                "outcome": scan.outcome,
                "tool_version": scan.tool_version,
                "state_source": scan.state_source,
                "timings": scan.timings,
            }),
        ),
        OutputFormat::Html => bail!("scan reports are table, json or markdown"),
    })
}
