//! Command-line interface (binary only). Exit codes: 0 fine, 1 error, 2 drift
//! found or policy failed.

mod audit;
mod comment;
mod common;
mod completion;
mod cost;
mod demo;
mod drift;
mod drift_pr;
mod jobs;
mod output;
mod policy;
mod pricing;
mod pricing_feeds;
mod report;
mod runs;
mod scan;
mod serve;
mod token;
mod worker;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Heading of the options every command takes, shown apart from each command's own.
const GLOBAL: &str = "Global options";

#[derive(Parser)]
#[command(
    name = "driftcost",
    version,
    about = "Terraform/OpenTofu drift detection with monthly cost deltas"
)]
struct Cli {
    /// Log filter (tracing syntax), e.g. `debug` or `driftcost=trace`; default `warn`,
    /// or `RUST_LOG` when set and this is not.
    #[arg(long, global = true, env = "DRIFTCOST_LOG", help_heading = GLOBAL)]
    log: Option<String>,
    /// Logs as JSON lines (for daemons and log shippers); the final error line too.
    #[arg(long, global = true, help_heading = GLOBAL)]
    log_json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Price a terraform plan offline.
    #[command(subcommand)]
    Cost(cost::CostCommand),
    /// Drift from a plan JSON your pipeline already made (exit 0 none, 2 drift, 1 error).
    Drift(DriftCli),
    /// Scan one workspace with real terraform: refresh-only plan, recorded state, drift, cost of drift.
    Scan(scan::ScanArgs),
    /// Check job files (jobs/*.toml): schedules, targets, secrets by env name only.
    #[command(subcommand)]
    Jobs(jobs::JobsCommand),
    /// Scan every workspace of the job files on its schedule (or once: --once).
    Worker(worker::WorkerCommand),
    /// The HTTP API (trigger scans, read runs and drift, metrics); --with-worker also scans.
    Serve(serve::ServeArgs),
    /// Run history from the store.
    #[command(subcommand)]
    Runs(runs::RunsCommand),
    /// API tokens: create, list, revoke (each change is audited).
    #[command(subcommand)]
    Token(token::TokenCommand),
    /// The audit trail: who did what, when, from where; verify its hash chain.
    #[command(subcommand)]
    Audit(audit::AuditCommand),
    /// Fleet report over the run store: scans, failures, drift, time to resolve, cost of drift.
    Report(report::ReportArgs),
    /// The whole product on this machine: example workspaces, real terraform, drift, cost.
    Demo(demo::DemoArgs),
    /// Build pricing tables from the clouds' official price lists.
    #[command(subcommand)]
    Pricing(pricing::PricingCommand),
    /// Post the monthly cost of a pull request's plans as one comment (kept up to date).
    #[command(subcommand)]
    Comment(comment::CommentCommand),
    /// Policies as code: evaluate Rego on a plan, cost or drift report; run Rego unit tests.
    #[command(subcommand)]
    Policy(policy::PolicyCommand),
    /// Shell completion script (bash, zsh, fish, elvish, powershell) on standard output.
    Completion(completion::CompletionArgs),
    /// The man page (roff) on standard output, or every command's page into --dir.
    Man(completion::ManArgs),
}

/// `drift --plan …` analyses a plan file; `drift show WORKSPACE` reads the store.
#[derive(clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
struct DriftCli {
    #[command(subcommand)]
    show: Option<DriftShow>,
    #[command(flatten)]
    args: drift::DriftArgs,
}

#[derive(Subcommand)]
enum DriftShow {
    /// The latest stored drift of a workspace (exit 0 none, 2 drift).
    Show {
        /// The workspace's name in the job files.
        workspace: String,
        #[command(flatten)]
        store: runs::StoreArgs,
        /// The versioned drift JSON report.
        #[arg(long)]
        json: bool,
    },
    /// A pull request writing intended drift into the .tf literals (cost effect and leftovers in its description).
    Pr(Box<drift_pr::DriftPrArgs>),
}

/// The run store URL: `--store`, else `driftcost.db` beside the jobs directory
/// (made absolute against the current directory, so messages name the file).
pub(crate) fn store_url(store: Option<&str>, jobs: &std::path::Path) -> String {
    match store {
        Some(s) => s.to_string(),
        None => {
            let jobs = std::path::absolute(jobs).unwrap_or_else(|_| jobs.to_path_buf());
            let parent = jobs
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(std::path::Path::new("."));
            parent.join("driftcost.db").display().to_string()
        }
    }
}

/// Records in the audit trail how the job files' notification targets differ
/// from those last seen (`notification_target_changed`); `actor` is the
/// process that loaded them. A trail that cannot be written is logged, and the
/// process goes on: it changes nothing the trail would protect.
pub(crate) async fn note_notification_targets(
    store: &driftcost::store::Store,
    files: &[driftcost::jobs::JobFile],
    actor: &str,
) {
    let actor = format!("{actor} ({})", token::cli_actor());
    match store
        .note_notification_targets(files, &actor, driftcost::store::AuditVia::Worker)
        .await
    {
        Ok(entries) => {
            for e in entries {
                tracing::info!(
                    target: "driftcost::audit",
                    job_file = e.event.target.as_deref(),
                    detail = e.event.detail.as_deref(),
                    "notification targets changed"
                );
            }
        }
        Err(e) => tracing::error!(error = %e, "could not record notification target changes"),
    }
}

/// A path from the command line made absolute once, against the current
/// directory (symlinks kept as typed, `.` dropped), so nothing later joins
/// it to another base a second time.
pub(crate) fn absolute(path: &std::path::Path, what: &str) -> anyhow::Result<std::path::PathBuf> {
    use anyhow::Context;
    if path.as_os_str().is_empty() {
        anyhow::bail!("{what} is empty; give a directory (`.` for the current one)");
    }
    std::path::absolute(path).with_context(|| {
        format!(
            "{what} {}: cannot resolve it against the current directory",
            path.display()
        )
    })
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(&e),
    };
    if let Err(message) = init_logging(cli.log.as_deref(), cli.log_json) {
        report_error(&message, cli.log_json);
        return ExitCode::from(1);
    }
    let json = cli.log_json;
    output::quiet_on_closed_stdout();
    let result = std::panic::catch_unwind(move || dispatch(cli.command));
    match result {
        Ok(Ok(code)) => code,
        Ok(Err(e)) => {
            report_error(&describe(&e), json);
            ExitCode::from(1)
        }
        // The reader of stdout went away (`| head`): stop quietly, as other CLI tools do.
        Err(payload) if output::is_closed_stdout(payload.as_ref()) => ExitCode::SUCCESS,
        Err(payload) => {
            // The panic hook has printed where it happened; say it once more as the error.
            let what = output::panic_message(payload.as_ref());
            report_error(&format!("internal error: {what}"), json);
            ExitCode::from(1)
        }
    }
}

fn dispatch(command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Cost(c) => cost::run(c),
        Command::Drift(DriftCli {
            show:
                Some(DriftShow::Show {
                    workspace,
                    store,
                    json,
                }),
            ..
        }) => runs::run_drift_show(store, workspace, json),
        Command::Drift(DriftCli {
            show: Some(DriftShow::Pr(a)),
            ..
        }) => drift_pr::run(*a),
        Command::Drift(DriftCli { args, .. }) => drift::run(args),
        Command::Scan(a) => scan::run(a),
        Command::Pricing(c) => pricing::run(c),
        Command::Jobs(c) => jobs::run(c),
        Command::Worker(a) => worker::run(a),
        Command::Serve(a) => serve::run(a),
        Command::Runs(c) => runs::run_runs(c),
        Command::Token(c) => token::run(c),
        Command::Audit(c) => audit::run(c),
        Command::Report(a) => report::run(a),
        Command::Demo(a) => demo::run(a),
        Command::Comment(c) => comment::run(c),
        Command::Policy(c) => policy::run(c),
        Command::Completion(a) => completion::run_completion(a),
        Command::Man(a) => completion::run_man(a),
    }
}

/// clap's message as is; `--help`/`--version` exit 0, every usage error 1
/// (clap's own 2 would read as "drift found" to a pipeline).
fn usage_error(e: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    // A closed stdout/stderr must not turn `--help | head` into a panic.
    let _ = e.print();
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => ExitCode::SUCCESS,
        _ => ExitCode::from(1),
    }
}

/// The last line: `error: …`, or one JSON object under `--log-json` so a log
/// shipper reads it like every other line.
fn report_error(message: &str, json: bool) {
    use std::io::Write;
    let line = if json {
        serde_json::json!({
            "timestamp": chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
            "level": "ERROR",
            "message": message,
            "target": "driftcost",
        })
        .to_string()
    } else {
        format!("error: {message}")
    };
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// `--log` (or `DRIFTCOST_LOG`) if given, else `RUST_LOG`, else `warn`. A
/// filter that does not parse is an error naming it, never silently replaced.
/// Colours only on a terminal, and never with `NO_COLOR` set.
fn init_logging(flag: Option<&str>, json: bool) -> Result<(), String> {
    use std::io::IsTerminal;
    let rust_log = std::env::var("RUST_LOG")
        .ok()
        .filter(|v| !v.trim().is_empty());
    let (source, filter) = match (flag, rust_log.as_deref()) {
        (Some(f), _) => ("--log", f.to_string()),
        (None, Some(r)) => ("RUST_LOG", r.to_string()),
        (None, None) => ("--log", "warn".to_string()),
    };
    let parsed = tracing_subscriber::EnvFilter::builder()
        .parse(&filter)
        .map_err(|e| {
            format!(
                "{source} {filter:?} is not a log filter ({e}); use a level (`debug`) or `target=level` pairs (`driftcost=debug,sqlx=warn`)"
            )
        })?;
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let ansi = !json && !no_color && std::io::stderr().is_terminal();
    let builder = tracing_subscriber::fmt()
        .with_env_filter(parsed)
        .with_ansi(ansi)
        .with_writer(std::io::stderr);
    if json {
        builder.json().flatten_event(true).init();
    } else {
        builder.init();
    }
    Ok(())
}

/// The error and those of its causes that add something: library errors
/// already quote their cause, so repeating it would only add noise.
fn describe(e: &anyhow::Error) -> String {
    let mut text = e.to_string();
    for cause in e.chain().skip(1) {
        let c = cause.to_string();
        if !text.contains(&c) {
            text.push_str(": ");
            text.push_str(&c);
        }
    }
    text
}
