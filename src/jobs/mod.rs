//! Job files (`jobs/*.toml`): which workspaces to scan, how, how often, and
//! whom to tell.
//!
//! ```toml
//! concurrency = 4             # per file: at most 4 of these workspaces at once (before any [table])
//!
//! [defaults]
//! tool = "terraform"          # or "tofu", or a path
//! version = "~1.11"           # semver requirement, checked with `version -json`
//! timeout = "15m"
//! mode = "refresh-only"       # or "plan"
//! ignore = ["*.*.tags_all.*"]
//! schedule = "0 6 * * 1-5"    # 5-field cron, 6/7-field, @hourly…, @every 15m
//! timezone = "Europe/Berlin"  # IANA name; default UTC
//! jitter = "10m"              # spread runs over [tick, tick + 10m), stable per workspace
//! notify = ["platform-email"]
//! cost_threshold = { warn = "100", fail = "500" }   # monthly USD increase
//! # add `allow_unpriced = true` to judge on priced components only
//! policies = ["policies/cost", "policies/drift"]   # Rego folders, relative to this file
//!
//! [[workspace]]
//! name = "network-prod"
//! dir = "../infra/network/prod"      # relative to this file
//! env = ["AWS_PROFILE"]              # names passed through; never values
//! vars = { env = "prod" }
//! var_files = ["prod.tfvars"]
//! backend = { kind = "s3", bucket = "tfstate", key = "network/prod.tfstate", region = "eu-west-1" }
//!
//! [notify.platform-email]
//! kind = "email"
//! # … see [`notify`]
//! ```
//! Secrets are referenced by environment-variable name only; a job file holds
//! no credentials. [`load_dir`] checks a whole `jobs/` directory and reports
//! every problem at once, each with file, line and field.

mod dir;
mod errors;
mod model;
pub mod notify;
mod parse;
mod validate;

pub use dir::load_dir;
pub use errors::JobError;
pub use model::{
    CostThreshold, DEFAULT_TIMEOUT, GitSource, JobFile, MAX_JITTER, Workspace, redact_url,
};
pub use notify::NotifyTarget;
pub(crate) use parse::Ctx;
pub use validate::{
    MAX_REMINDER, MAX_TIMEOUT, MAX_WORKSPACE_NAME_CHARS, MIN_REMINDER, MIN_TIMEOUT,
    bounded_duration, name_looks_secret,
};
