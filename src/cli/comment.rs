//! `driftcost comment github`: price a pull request's plans and post (or
//! update) one Markdown comment with their monthly cost.

use super::common::{GithubApiArgs, PricingArgs, write_or_print};
use super::policy::PolicyArgs;
use anyhow::Context;
use clap::{Args, Subcommand, ValueEnum};
use driftcost::comment::{
    Behavior, CommentError, CommentExtras, PostAction, PullRequest, WorkspaceDrift,
    WorkspacePlanOptions, comment_marker, plan_drift, plan_workspace_dir, post_comment,
    render_comment_with,
};
use driftcost::cost::estimate;
use driftcost::output::CostReport;
use driftcost::plan::load_plan;
use driftcost::policy::InputKind;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum CommentCommand {
    /// Post the cost of the plans on a GitHub pull request (one comment, found again by a hidden marker).
    Github(GithubArgs),
}

#[derive(Args)]
pub struct GithubArgs {
    /// The repository, OWNER/NAME.
    #[arg(long)]
    repo: String,
    /// The pull request number.
    #[arg(long)]
    pr: u64,
    /// JSON of `terraform show -json <planfile>`, or a workspace directory to plan
    /// (terraform init + plan in a private copy), one per workspace (repeat the flag).
    #[arg(long = "path", required = true, num_args = 1..)]
    paths: Vec<PathBuf>,
    /// What to do with our earlier comment(s), as Infracost's `comment github`.
    #[arg(long, value_enum, default_value_t = BehaviorArg::Update)]
    behavior: BehaviorArg,
    #[command(flatten)]
    github: GithubApiArgs,
    /// Print the comment and do nothing else (no token needed).
    #[arg(long)]
    dry_run: bool,
    #[command(flatten)]
    pricing: PricingArgs,
    #[command(flatten)]
    policy: PolicyArgs,
}

#[derive(Clone, Copy, ValueEnum)]
enum BehaviorArg {
    /// Edit our comment if there is one, else create it.
    Update,
    /// Always add a new comment.
    New,
    /// Minimize our earlier comments as outdated, then add a new one.
    HideAndNew,
    /// Delete our earlier comments, then add a new one.
    DeleteAndNew,
}

impl From<BehaviorArg> for Behavior {
    fn from(b: BehaviorArg) -> Self {
        match b {
            BehaviorArg::Update => Behavior::Update,
            BehaviorArg::New => Behavior::New,
            BehaviorArg::HideAndNew => Behavior::HideAndNew,
            BehaviorArg::DeleteAndNew => Behavior::DeleteAndNew,
        }
    }
}

pub fn run(cmd: CommentCommand) -> anyhow::Result<ExitCode> {
    let CommentCommand::Github(args) = cmd;
    let pr = PullRequest::new(&args.github.github_api_url, &args.repo, args.pr)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let (report, drift) = price(&args, &runtime)?;
    // Policies read the cost JSON of every plan together, as `cost diff --format json` writes it.
    let policies = args
        .policy
        .evaluate(InputKind::Cost, &serde_json::to_value(&report)?)?;
    let exit = policies
        .as_ref()
        .map(super::policy::exit_code)
        .unwrap_or(ExitCode::SUCCESS);
    let marker = comment_marker(&args.repo, args.pr);
    let body = render_comment_with(
        &report,
        &marker,
        CommentExtras {
            drift: &drift,
            failed: &[],
            head_sha: None,
            policies: policies.as_ref(),
        },
    );
    if args.dry_run {
        write_or_print(None, &body)?;
        return Ok(exit);
    }
    let token = args
        .github
        .token(&format!("may comment on {}#{}", args.repo, args.pr))?;
    let posted = runtime
        .block_on(post_comment(
            &pr,
            &token,
            &body,
            &marker,
            args.behavior.into(),
        ))
        .map_err(|e| {
            // These answers are about the token: say where it came from.
            let about_token = matches!(
                e,
                CommentError::Http {
                    status: 401 | 403 | 404,
                    ..
                }
            );
            args.github.explain(e, about_token)
        })?;
    let verb = match posted.action {
        PostAction::Created => "created",
        PostAction::Updated => "updated",
    };
    let mut line = format!("{verb} comment {} on {}#{}", posted.id, args.repo, args.pr);
    if !posted.url.is_empty() {
        line.push_str(&format!(": {}", posted.url));
    }
    if posted.deleted > 0 {
        line.push_str(&format!(" (deleted {} earlier)", posted.deleted));
    }
    if posted.hidden > 0 {
        line.push_str(&format!(" (hid {} earlier)", posted.hidden));
    }
    write_or_print(None, &line)?;
    Ok(exit)
}

/// One project per plan, named after the file or directory (its path when
/// two share a name); a directory is planned first. Drift found in any plan
/// comes back beside the report.
fn price(
    args: &GithubArgs,
    runtime: &tokio::runtime::Runtime,
) -> anyhow::Result<(CostReport, Vec<WorkspaceDrift>)> {
    let mut projects = Vec::new();
    let mut drift = Vec::new();
    let cancel = tokio_util::sync::CancellationToken::new();
    for path in &args.paths {
        let name = project_name(path, &args.paths);
        let plan = if path.is_dir() {
            runtime.block_on(plan_workspace_dir(
                path,
                &name,
                &WorkspacePlanOptions::default(),
                &cancel,
            ))?
        } else {
            load_plan(path)?
        };
        let (table, opts) = args.pricing.load(&name)?;
        let mut project = estimate(&plan, table.get(), &opts);
        // Numbers that cannot be right refuse the comment, as `cost` does:
        // a PR never gets a total computed from them.
        project
            .check_inputs()
            .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        project.metadata.path = Some(path.display().to_string());
        projects.push(project);
        drift.extend(plan_drift(&name, &plan));
    }
    Ok((CostReport::new(projects, now_rfc3339()), drift))
}

fn project_name(path: &Path, all: &[PathBuf]) -> String {
    let stem = |p: &Path| p.file_stem().map(|s| s.to_string_lossy().into_owned());
    let mine = stem(path);
    let shared = all.iter().filter(|p| stem(p) == mine).count() > 1;
    match mine {
        Some(s) if !shared => s,
        _ => path.display().to_string(),
    }
}

fn now_rfc3339() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn projects_are_named_after_files_unless_two_share_a_name() {
        let all = [
            PathBuf::from("prod/plan.json"),
            PathBuf::from("dev/plan.json"),
            PathBuf::from("net/network.json"),
        ];
        assert_eq!(project_name(&all[0], &all), "prod/plan.json");
        assert_eq!(project_name(&all[1], &all), "dev/plan.json");
        assert_eq!(project_name(&all[2], &all), "network");
    }
}
