//! The pull-request comment bot: one Markdown comment with the monthly cost
//! of every plan in a pull request, posted to GitHub and kept up to date.
//!
//! [`render_comment`] builds the body from a [`CostReport`](crate::output::CostReport)
//! with the cost Markdown renderer (one hidden marker per project) under one
//! hidden marker for the whole comment ([`comment_marker`]), shortened to fit
//! GitHub's 65,536-character limit rather than rejected. [`post_comment`]
//! finds our earlier comment by that marker (never by author or text) and
//! applies one of Infracost's behaviours: update, new, hide-and-new,
//! delete-and-new. [`plan_workspace_dir`] plans a workspace directory
//! through the runner, and [`plan_drift`] gives the masked drift the comment
//! shows under the cost.

mod body;
mod github;
mod pr_job;
mod workspace;

pub use body::{
    CommentExtras, MAX_COMMENT_CHARS, comment_marker, head_sha_marker, render_comment,
    render_comment_with, render_failure_notice,
};
pub use github::{
    Behavior, PostAction, Posted, PullRequest, find_comment, post_comment, pull_request_head,
};
pub use pr_job::{
    PrBotSettings, PrJob, PrJobOutcome, PrJobQueue, PrJobReceiver, Queued, affected_workspaces,
    run_pr_job, run_pr_jobs,
};
pub use workspace::{
    WorkspaceDrift, WorkspaceFailure, WorkspacePlanError, WorkspacePlanOptions, plan_drift,
    plan_workspace_dir,
};

/// Why a comment could not be posted; each message names the repository and
/// pull request and says what to fix.
#[derive(Debug, thiserror::Error)]
pub enum CommentError {
    #[error("--repo {repo:?} is not OWNER/NAME (e.g. acme/infra)")]
    BadRepo { repo: String },
    #[error("--github-api-url {url:?} is not a URL ({reason})")]
    BadApiUrl { url: String, reason: String },
    #[error("cannot create the GitHub client ({reason})")]
    Client { reason: String },
    #[error("{doing} on {repo}#{pr}: HTTP {status} from GitHub: {message}; {hint}")]
    Http {
        doing: String,
        repo: String,
        pr: u64,
        status: u16,
        message: String,
        hint: String,
    },
    #[error(
        "{doing} on {repo}#{pr}: cannot reach GitHub ({reason}); check --github-api-url and the network"
    )]
    Network {
        doing: String,
        repo: String,
        pr: u64,
        reason: String,
    },
    #[error("{doing} on {repo}#{pr}: {what}; check that --github-api-url points at the GitHub API")]
    Unexpected {
        doing: String,
        repo: String,
        pr: u64,
        what: String,
    },
}
