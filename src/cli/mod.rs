//! Command-line interface (binary only). Exit codes: 0 fine, 1 error, 2 drift
//! found or policy failed.

mod comment;
mod common;
mod completion;
mod cost;
mod demo;
mod drift;
mod drift_pr;
mod jobs;
mod pricing;
mod runs;
mod scan;
mod serve;
mod worker;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "driftcost",
    version,
    about = "Terraform/OpenTofu drift detection with monthly cost deltas"
)]
struct Cli {
    /// Log filter (tracing syntax), e.g. `debug` or `driftcost=trace`.
    #[arg(long, global = true, env = "DRIFTCOST_LOG", default_value = "warn")]
    log: String,
    /// Logs as JSON lines (for daemons and log shippers).
    #[arg(long, global = true)]
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
    Worker(worker::WorkerArgs),
    /// The HTTP API (trigger scans, read runs and drift, metrics); --with-worker also scans.
    Serve(serve::ServeArgs),
    /// Run history from the store.
    #[command(subcommand)]
    Runs(runs::RunsCommand),
    /// API tokens.
    #[command(subcommand)]
    Token(runs::TokenCommand),
    /// The whole product on this machine: example workspaces, real terraform, drift, cost.
    Demo(demo::DemoArgs),
    /// Build pricing tables from the clouds' official price lists.
    #[command(subcommand)]
    Pricing(pricing::PricingCommand),
    /// Post the monthly cost of a pull request's plans as one comment (kept up to date).
    #[command(subcommand)]
    Comment(comment::CommentCommand),
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

/// The run store URL: `--store`, else `driftcost.db` beside the jobs directory.
pub(crate) fn store_url(store: Option<&str>, jobs: &std::path::Path) -> String {
    match store {
        Some(s) => s.to_string(),
        None => {
            let parent = jobs
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(std::path::Path::new("."));
            parent.join("driftcost.db").display().to_string()
        }
    }
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(&cli.log, cli.log_json);
    let result = match cli.command {
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
        Command::Token(c) => runs::run_token(c),
        Command::Demo(a) => demo::run(a),
        Command::Comment(c) => comment::run(c),
        Command::Completion(a) => completion::run_completion(a),
        Command::Man(a) => completion::run_man(a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {}", describe(&e));
            ExitCode::from(1)
        }
    }
}

fn init_logging(filter: &str, json: bool) {
    let filter = tracing_subscriber::EnvFilter::try_new(filter)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
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
