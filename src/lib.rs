//! driftcost: drift detection and cost deltas for Terraform/OpenTofu workspaces.
//!
//! The data flows one way, one module per stage:
//!
//! - [`plan`]: terraform's plan JSON (`terraform show -json`), typed where we read it.
//! - [`backend`]: the state a workspace's backend recorded (local, s3, gcs, azurerm).
//! - [`cost`]: the cost engine; resource → cost components → price → monthly cost.
//! - [`pricing`]: the pricing tables the engine looks prices up in, and their import.
//! - [`output`]: rendering a cost estimate as a table, JSON, Markdown or HTML.
//!
//! The binary (`src/main.rs`) only parses arguments, calls these, prints and
//! sets the exit code.

pub mod backend;
pub mod cost;
pub mod output;
pub mod plan;
pub mod pricing;
