//! GitHub issue: one open issue per workspace (found by a hidden marker and
//! the `driftcost` label), opened on drift, updated and commented on change,
//! closed when the drift is resolved.

mod config;
pub(crate) mod render;
pub(crate) mod send;

pub use config::GithubIssueTarget;
pub use render::{IssueText, github_comment, github_issue, workspace_marker};
