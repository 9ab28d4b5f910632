//! Helpers shared by the integration tests (one binary, `tests/it/`): servers, terraform
//! workspaces, the driftcost CLI, git, notifications and the API's in-memory store.

pub mod cli;
pub mod cost_json;
pub mod git;
pub mod memory_backend;
pub mod notify;
pub mod servers;
pub mod store;
pub mod terraform;
