//! driftcost: drift detection and cost deltas for Terraform/OpenTofu workspaces.
//!
//! The data flows one way, one module per stage:
//!
//! - [`jobs`]: job files (`jobs/*.toml`): workspaces, tools, schedules, ignore rules.
//! - [`runner`]: runs terraform/tofu (init, refresh-only plan, show) per workspace.
//! - [`plan`]: terraform's plan JSON (`terraform show -json`), typed where we read it.
//! - [`drift`]: drift items from a refresh-only plan and the recorded state; ignore rules, fingerprints, state integrity.
//! - [`backend`]: the state a workspace's backend recorded (local, s3, gcs, azurerm).
//! - [`cost`]: the cost engine; resource → cost components → price → monthly cost.
//! - [`pricing`]: the pricing tables the engine looks prices up in, and their import.
//! - [`scan`]: one workspace end to end: plan → drift → cost of drift → integrity.
//! - [`output`]: rendering a cost estimate as a table, JSON, Markdown or HTML.
//! - [`notify`]: scan findings as deduplicated messages (email, Slack, webhook, GitHub issue) and their delivery.
//!
//! The binary (`src/main.rs`) only parses arguments, calls these, prints and
//! sets the exit code.

pub mod backend;
pub mod cost;
pub mod drift;
pub mod jobs;
pub mod notify;
pub mod output;
pub mod plan;
pub mod pricing;
pub mod runner;
pub mod scan;
