//! `driftcost pricing import`.

use clap::{Args, Subcommand};
use driftcost::pricing::import::{AwsCsvOptions, ImportedTables, import_aws_csv};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum PricingCommand {
    /// Convert official price-list files into pricing tables for `--pricing-dir`.
    Import(ImportArgs),
}

#[derive(Args)]
pub struct ImportArgs {
    /// AWS Price List CSV offer files (index.csv from
    /// pricing.us-east-1.amazonaws.com/offers/v1.0/aws/<Service>/current[/<region>]/).
    #[arg(long = "aws-csv", value_name = "FILE", num_args = 1.., required_unless_present_any = ["azure_retail", "gcp_billing"])]
    aws_csv: Vec<PathBuf>,
    #[command(flatten)]
    feeds: super::pricing_feeds::FeedArgs,
    /// Directory to write the tables to (as `<dir>/aws/<OfferCode>.csv`).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Keep only these regions (comma-separated region codes).
    #[arg(long, value_delimiter = ',', value_name = "REGIONS")]
    regions: Vec<String>,
}

pub fn run(cmd: PricingCommand) -> anyhow::Result<ExitCode> {
    let PricingCommand::Import(args) = cmd;
    let opts = AwsCsvOptions {
        regions: args.regions,
    };
    let mut tables = ImportedTables::default();
    for path in &args.aws_csv {
        let summary = import_aws_csv(path, &opts, &mut tables)?;
        println!("{summary}");
    }
    super::pricing_feeds::import(&args.feeds, &mut tables)?;
    let written = tables.write(&args.out)?;
    if written.is_empty() {
        anyhow::bail!(
            "no prices kept, nothing written to {}: check --regions and that the files are offer files of services driftcost prices (see src/pricing/families.rs)",
            args.out.display()
        );
    }
    for t in &written {
        print!("wrote {} ({} prices", t.path.display(), t.rows);
        if t.ambiguous_filters > 0 {
            print!(
                "; {} left out because rows with the same attributes disagree",
                t.ambiguous_filters
            );
        }
        println!(")");
    }
    println!(
        "use them with: driftcost cost breakdown --pricing-dir {} --plan <plan.json>",
        args.out.display()
    );
    Ok(ExitCode::SUCCESS)
}
