//! Command-line interface (binary only). Exit codes: 0 fine, 1 error, 2 drift
//! found or policy failed.

mod cost;
mod pricing;

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
    /// Build pricing tables from the clouds' official price lists.
    #[command(subcommand)]
    Pricing(pricing::PricingCommand),
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(&cli.log, cli.log_json);
    let result = match cli.command {
        Command::Cost(c) => cost::run(c),
        Command::Pricing(c) => pricing::run(c),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
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
