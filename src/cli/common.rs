//! Arguments and helpers shared by several commands.

use anyhow::Context;
use clap::{Args, ValueEnum};
use driftcost::cost::{CostOptions, UsageFile};
use driftcost::output::Format;
use driftcost::pricing::PriceTable;
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
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

/// Where prices and usage come from.
#[derive(Args, Clone)]
pub struct PricingArgs {
    /// Usage file in Infracost's format (version 0.1).
    #[arg(long)]
    pub usage_file: Option<PathBuf>,
    /// Directory of pricing tables (e.g. from `pricing import`) whose prices replace
    /// the shipped ones for the same filters.
    #[arg(long, env = "DRIFTCOST_PRICING_DIR")]
    pub pricing_dir: Option<PathBuf>,
    /// Region assumed when neither a resource nor its provider names one.
    #[arg(long, default_value = driftcost::cost::DEFAULT_REGION)]
    pub default_region: String,
}

/// The shipped tables, or ones loaded from `--pricing-dir`.
pub enum Table {
    Shipped(&'static PriceTable),
    Loaded(Box<PriceTable>),
}

impl Table {
    pub fn get(&self) -> &PriceTable {
        match self {
            Table::Shipped(t) => t,
            Table::Loaded(t) => t,
        }
    }
}

impl PricingArgs {
    pub fn load(&self, project_name: &str) -> anyhow::Result<(Table, CostOptions)> {
        let table = match &self.pricing_dir {
            Some(dir) => Table::Loaded(Box::new(PriceTable::shipped_with_overrides(dir)?)),
            None => Table::Shipped(PriceTable::embedded()),
        };
        let usage = match &self.usage_file {
            Some(p) => UsageFile::load(p)?,
            None => UsageFile::default(),
        };
        Ok((
            table,
            CostOptions {
                project_name: project_name.to_string(),
                default_region: self.default_region.clone(),
                usage,
            },
        ))
    }
}

pub fn write_or_print(out: Option<&Path>, text: &str) -> anyhow::Result<()> {
    match out {
        Some(path) => std::fs::write(path, text)
            .with_context(|| format!("cannot write report to {}", path.display())),
        None => {
            use std::io::Write;
            let mut stdout = std::io::stdout().lock();
            match writeln!(stdout, "{text}").and_then(|_| stdout.flush()) {
                // A closed pipe (`| head`) is the reader's choice, not an error.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                other => other.context("cannot write to standard output"),
            }
        }
    }
}

/// The GitHub token from the variable `env` names; the error says what the
/// token must be allowed to do (`may …`) and how to name another variable.
/// Where GitHub is and which environment variable holds the token, for the
/// commands that call GitHub's REST API.
#[derive(Args, Clone)]
pub struct GithubApiArgs {
    /// GitHub's REST API (`https://HOST/api/v3` for GitHub Enterprise).
    #[arg(long, env = "GITHUB_API_URL", default_value = "https://api.github.com")]
    pub github_api_url: String,
    /// Name of the environment variable holding the GitHub token.
    #[arg(long, default_value = "GITHUB_TOKEN")]
    pub token_env: String,
}

impl GithubApiArgs {
    /// The token (trimmed), or an error saying which variable to set for a
    /// token that `may` do what the command needs.
    pub fn token(&self, may: &str) -> anyhow::Result<String> {
        std::env::var(&self.token_env)
            .ok()
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .ok_or_else(|| {
                anyhow::anyhow!(
                    "no GitHub token: set {} to a token that {may} (or name another variable with --token-env)",
                    self.token_env
                )
            })
    }

    /// `e` as an error that, when GitHub's answer was about the token
    /// (`about_token`), says where the token came from.
    pub fn explain<E>(&self, e: E, about_token: bool) -> anyhow::Error
    where
        E: std::error::Error + Send + Sync + 'static,
    {
        let e = anyhow::Error::new(e);
        if about_token {
            e.context(format!("using the token in {}", self.token_env))
        } else {
            e
        }
    }
}
