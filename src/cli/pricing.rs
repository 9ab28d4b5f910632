//! `driftcost pricing import` and `driftcost pricing update`.

use anyhow::Context;
use clap::{Args, Subcommand};
use driftcost::pricing::import::{AwsCsvOptions, ImportedTables, import_aws_csv};
use driftcost::pricing::update::{DEFAULT_BASE_URL, NoProgress, Progress, UpdateOptions, update};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Mutex;

#[derive(Subcommand)]
pub enum PricingCommand {
    /// Convert official price-list files into pricing tables for `--pricing-dir`.
    Import(ImportArgs),
    /// Download current prices from AWS's public Price List bulk API (no credentials)
    /// into pricing tables for `--pricing-dir`; an interrupted update resumes.
    Update(UpdateArgs),
}

#[derive(Args)]
pub struct UpdateArgs {
    /// Offer codes to refresh (comma-separated, e.g. AmazonEC2,AmazonRDS);
    /// default: every service driftcost prices.
    #[arg(long = "service", value_delimiter = ',', value_name = "SERVICE")]
    services: Vec<String>,
    /// Region codes to refresh (comma-separated); default: the seven regions the
    /// shipped tables cover (us-east-1, us-east-2, us-west-2, eu-west-1,
    /// eu-central-1, ap-southeast-1, ap-northeast-1).
    #[arg(long = "region", value_delimiter = ',', value_name = "REGION")]
    regions: Vec<String>,
    /// Directory to write the tables to (as `<dir>/aws/<OfferCode>/<region>.csv`,
    /// plus the manifest `<dir>/pricing-update.json`).
    #[arg(long, value_name = "DIR", default_value = "driftcost-prices")]
    out: PathBuf,
    /// Where the Price List is served from.
    #[arg(long, value_name = "URL", default_value = DEFAULT_BASE_URL)]
    base_url: String,
    /// Keep the downloaded offer files (under `<dir>/.pricing-update/`).
    #[arg(long)]
    keep_downloads: bool,
    /// Draw a progress bar (default: when standard error is a terminal).
    #[arg(long, num_args = 0..=1, default_missing_value = "true")]
    progress: Option<bool>,
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
    match cmd {
        PricingCommand::Import(args) => run_import(args),
        PricingCommand::Update(args) => run_update(args),
    }
}

fn run_import(args: ImportArgs) -> anyhow::Result<ExitCode> {
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

fn run_update(args: UpdateArgs) -> anyhow::Result<ExitCode> {
    let opts = UpdateOptions {
        base_url: args.base_url,
        services: args.services,
        regions: args.regions,
        out: args.out,
        keep_downloads: args.keep_downloads,
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let bar = Bar::default();
    let show = args
        .progress
        .unwrap_or_else(|| std::io::stderr().is_terminal());
    let progress: &dyn Progress = if show { &bar } else { &NoProgress };
    let started = std::time::Instant::now();
    let summary = runtime.block_on(update(&opts, progress))?;
    for f in &summary.files {
        println!(
            "{} {}: version {}, published {}: {} rows read, {} prices kept ({})",
            f.service, f.region, f.version, f.publication_date, f.rows_read, f.prices_kept, f.url
        );
    }
    for (service, region) in &summary.not_offered {
        println!("{service} {region}: not offered in this region (no offer file), skipped");
    }
    for (path, rows) in &summary.written {
        println!("wrote {} ({rows} prices)", path.display());
    }
    if summary.written.is_empty() {
        println!(
            "no prices kept: the files hold no rows of the families driftcost prices (src/pricing/families.rs)"
        );
    }
    println!(
        "downloaded {} bytes in {:.1} s; use the tables with: driftcost cost breakdown --pricing-dir {} --plan <plan.json>",
        summary.downloaded_bytes,
        started.elapsed().as_secs_f64(),
        opts.out.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// One indicatif bar per file, on standard error.
#[derive(Default)]
struct Bar {
    bar: Mutex<Option<indicatif::ProgressBar>>,
}

impl Progress for Bar {
    fn start(&self, label: &str, total: Option<u64>, done: u64) {
        let bar = match total {
            Some(t) => indicatif::ProgressBar::new(t),
            None => indicatif::ProgressBar::new_spinner(),
        };
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{msg:24} {bar:30} {bytes}/{total_bytes} · {bytes_per_sec} · {eta}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar.set_message(label.to_string());
        bar.set_position(done);
        if let Ok(mut slot) = self.bar.lock() {
            *slot = Some(bar);
        }
    }

    fn advance(&self, bytes: u64) {
        if let Ok(slot) = self.bar.lock()
            && let Some(bar) = slot.as_ref()
        {
            bar.inc(bytes);
        }
    }

    fn finish(&self, label: &str, complete: bool) {
        if let Ok(mut slot) = self.bar.lock()
            && let Some(bar) = slot.take()
        {
            if complete {
                bar.finish_with_message(label.to_string());
            } else {
                bar.abandon_with_message(format!("{label} (interrupted)"));
            }
        }
    }
}
