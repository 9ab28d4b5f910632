//! Command-line interface (binary only). Exit codes: 0 fine, 1 error, 2 drift
//! found or policy failed.

mod common;
mod cost;
mod drift;
mod jobs;
mod pricing;
mod scan;

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
    Drift(drift::DriftArgs),
    /// Scan one workspace with real terraform: refresh-only plan, recorded state, drift, cost of drift.
    Scan(scan::ScanArgs),
    /// Check job files (jobs/*.toml): schedules, targets, secrets by env name only.
    #[command(subcommand)]
    Jobs(jobs::JobsCommand),
    /// Build pricing tables from the clouds' official price lists.
    #[command(subcommand)]
    Pricing(pricing::PricingCommand),
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(&cli.log, cli.log_json);
    let result = match cli.command {
        Command::Cost(c) => cost::run(c),
        Command::Drift(a) => drift::run(a),
        Command::Scan(a) => scan::run(a),
        Command::Pricing(c) => pricing::run(c),
        Command::Jobs(c) => jobs::run(c),
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
