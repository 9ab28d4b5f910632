//! driftcost: drift detection and cost deltas for Terraform/OpenTofu workspaces.
//!
//! The data flows one way, one module per stage:
//!
//! - [`jobs`]: job files (`jobs/*.toml`): workspaces, tools, schedules, ignore rules, notify targets.
//! - [`schedule`]: cron schedules, jitter, the due rule and the scheduling loop.
//! - [`runner`]: runs terraform/tofu (init, refresh-only plan, show) per workspace.
//! - [`plan`]: terraform's plan JSON (`terraform show -json`), typed where we read it.
//! - [`backend`]: the state a workspace's backend recorded (local, s3, gcs, azurerm).
//! - [`drift`]: drift items from a refresh-only plan and the recorded state; ignore rules, fingerprints, state integrity.
//! - [`cost`]: the cost engine; resource → cost components → price → monthly cost.
//! - [`pricing`]: the pricing tables the engine looks prices up in, and their import.
//! - [`codify`]: drift PRs: rewrite the .tf literals behind drift to the real values, and open the PR.
//! - [`scan`]: one workspace end to end: plan → drift → cost of drift → integrity.
//! - [`store`]: the run store: queue, history, drift and cost results, outbox, API tokens (SQLite or PostgreSQL).
//! - [`worker`]: claims queued runs from the store and scans them, many at once, under a lease.
//! - [`api`]: the HTTP API of `driftcost serve` (trigger, runs, workspaces, metrics).
//! - [`env`]: where credentials and secrets are read (the process, or a fixed set of variables).
//! - [`escape`]: escaping text for HTML, Markdown and GitHub's inline HTML.
//! - [`signature`]: the HMAC-SHA256 `sha256=<hex>` scheme of our webhooks and GitHub's.
//! - [`output`]: rendering a cost estimate as a table, JSON, Markdown or HTML.
//! - [`comment`]: the PR comment bot: one cost comment per pull request, posted and kept up to date on GitHub.
//! - [`notify`]: the notification contract and its channels (email, Slack, webhook, GitHub issue): config, rendering, delivery.
//! - [`announce`]: which notifications a scan warrants, deduplicated against what was announced before.
//!
//! The binary (`src/main.rs`) only parses arguments, calls these, prints and
//! sets the exit code.

pub mod announce;
pub mod api;
pub mod backend;
pub mod codify;
pub mod comment;
pub mod cost;
pub mod drift;
pub mod env;
mod error_chain;
pub mod escape;
pub(crate) mod git;
mod github;
pub mod jobs;
pub mod notify;
pub mod output;
pub mod plan;
pub mod pricing;
pub mod report;
pub mod runner;
pub mod scan;
pub mod schedule;
pub mod signature;
pub mod store;
pub mod worker;
