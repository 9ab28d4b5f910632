//! Helpers shared by the integration tests; each test binary includes this with `mod common;`.

pub mod cli;
pub mod git;
pub mod servers;
pub mod terraform;
