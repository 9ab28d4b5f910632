//! `driftcost drift pr`: a pull request that writes intended drift into the
//! workspace's `.tf` files (literals only), with the drift's cost effect and
//! the changes it could not codify in the description.

use super::common::{GithubApiArgs, PricingArgs, write_or_print};
use anyhow::{Context, bail};
use clap::Args;
use driftcost::codify::{
    PrApproval, PrError, PrFile, PrTarget, approval_section, branch_name, codify, open_pr, pr_body,
    pr_title,
};
use driftcost::drift::{DriftMode, IgnoreRules, load_lifecycle_ignores};
use driftcost::plan::load_plan;
use driftcost::scan::{Settings, analyze};
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

#[derive(Args)]
pub struct DriftPrArgs {
    /// The workspace directory (its .tf files are read, never written).
    #[arg(long)]
    dir: PathBuf,
    /// JSON of `terraform show -json` of a refresh-only plan of that workspace.
    #[arg(long)]
    plan: PathBuf,
    /// The repository, OWNER/NAME.
    #[arg(long)]
    repo: String,
    /// The branch the pull request merges into.
    #[arg(long, default_value = "main")]
    base: String,
    /// Where the workspace directory is inside the repository (default: its root).
    #[arg(long)]
    repo_path: Option<PathBuf>,
    #[command(flatten)]
    github: GithubApiArgs,
    /// Print the diff and the pull request, send nothing (no token needed).
    #[arg(long)]
    dry_run: bool,
    /// Workspace name for the branch and the description (default: the directory's name).
    #[arg(long)]
    workspace: Option<String>,
    /// Ignore rule (glob on `type.name.attribute.path`, `!` negates); repeatable.
    #[arg(long = "ignore")]
    ignore: Vec<String>,
    /// Run store to record the opened pull request in (its audit trail); a
    /// SQLite file / `sqlite:PATH` or `postgres://…`. Without it nothing is recorded.
    #[arg(long, env = "DRIFTCOST_STORE")]
    store: Option<String>,
    /// Where `serve` is reached (`https://driftcost.example.com`): with
    /// --store, the description links the run page of a pending approval.
    #[arg(long, env = "DRIFTCOST_PUBLIC_URL")]
    public_url: Option<String>,
    #[command(flatten)]
    pricing: PricingArgs,
}

/// The approval of the latest finished run of `workspace` in the store at
/// `url`, when a policy asked for one and that run's drift is exactly
/// `fingerprints` (this pull request's drift). Unreadable store: said on
/// stderr, and the pull request goes ahead without it.
async fn recorded_approval(
    url: &str,
    workspace: &str,
    fingerprints: &std::collections::BTreeSet<&str>,
    public_url: Option<&str>,
) -> Option<PrApproval> {
    let found = async {
        let s = driftcost::store::Store::open_existing(url).await?;
        let runs = s.list_runs(Some(workspace), 20, None).await?;
        let mut out = None;
        if let Some(run) = runs
            .iter()
            .find(|r| r.status == driftcost::store::RunStatus::Succeeded)
        {
            let detail = s.get_run(run.id).await?.and_then(|r| r.detail);
            let same: std::collections::BTreeSet<&str> = detail
                .as_ref()
                .map(|d| {
                    d.drift_items
                        .iter()
                        .map(|i| i.fingerprint.as_str())
                        .collect()
                })
                .unwrap_or_default();
            if same == *fingerprints
                && let Some(a) = s.run_approval(run.id).await?
            {
                out = Some(PrApproval {
                    run_id: run.id,
                    pending: a.state == driftcost::store::ApprovalState::Pending,
                    summary: a.summary,
                    run_url: public_url
                        .map(|u| format!("{}/runs/{}", u.trim_end_matches('/'), run.id)),
                });
            }
        }
        s.close().await;
        anyhow::Ok(out)
    };
    match found.await {
        Ok(a) => a,
        Err(e) => {
            eprintln!(
                "warning: the run store could not be read for a pending approval ({e:#}); the description does not mention one"
            );
            None
        }
    }
}

pub fn run(args: DriftPrArgs) -> anyhow::Result<ExitCode> {
    let workspace = match &args.workspace {
        Some(w) => w.clone(),
        None => std::fs::canonicalize(&args.dir)
            .ok()
            .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "default".into()),
    };
    let mut plan = load_plan(&args.plan)?;
    let lifecycle = load_lifecycle_ignores(&args.dir, None)?;
    let rules = IgnoreRules::new(&args.ignore, &lifecycle)?;
    let (table, cost) = args.pricing.load(&workspace)?;
    let settings = Settings {
        mode: DriftMode::RefreshOnly,
        rules: &rules,
        table: table.get(),
        cost: &cost,
    };
    let analysis = analyze(&workspace, &mut plan, None, &settings, None)?;
    let items = &analysis.result.items;
    if items.is_empty() {
        write_or_print(
            None,
            &format!("No drift in workspace {workspace}: nothing to codify, no pull request."),
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut codified = codify(&args.dir, &plan, items)?;
    if codified.changes.is_empty() {
        let mut text = format!(
            "Nothing to codify in workspace {workspace}, no pull request: none of the drift is on a literal in the .tf files."
        );
        for n in &codified.not_codified {
            let attr = n
                .attribute
                .as_deref()
                .map(|a| format!(" {a}"))
                .unwrap_or_default();
            text.push_str(&format!("\n- {}{attr}: {}", n.address, n.reason));
        }
        write_or_print(None, &text)?;
        return Ok(ExitCode::SUCCESS);
    }

    let branch = branch_name(&workspace, items.iter().map(|i| i.fingerprint.as_str()));
    let target = PrTarget::new(&args.github.github_api_url, &args.repo, &args.base, &branch)?;
    // The description names files as the repository has them.
    for c in &mut codified.changes {
        c.file = PathBuf::from(repo_file(args.repo_path.as_deref(), &c.file)?);
    }
    let title = pr_title(&workspace, &codified);
    let mut body = pr_body(&workspace, &codified, &analysis.costs);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    if let Some(url) = &args.store {
        let fingerprints = items.iter().map(|i| i.fingerprint.as_str()).collect();
        if let Some(a) = runtime.block_on(recorded_approval(
            url,
            &workspace,
            &fingerprints,
            args.public_url.as_deref(),
        )) {
            body.push_str(&approval_section(&a));
        }
    }
    let files = codified
        .files
        .iter()
        .map(|f| {
            Ok(PrFile {
                path: repo_file(args.repo_path.as_deref(), &f.path)?,
                original: f.original.clone(),
                updated: f.updated.clone(),
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;

    if args.dry_run {
        let mut text = String::new();
        for f in &codified.files {
            text.push_str(&f.diff);
        }
        text.push_str(&format!(
            "\n--- pull request (dry run: nothing sent) {}:{} → {}\n{title}\n\n{body}",
            args.repo, branch, args.base
        ));
        write_or_print(None, &text)?;
        return Ok(ExitCode::SUCCESS);
    }

    let token = args.github.token(&format!(
        "may push branches and open pull requests in {}",
        args.repo
    ))?;
    let opened = runtime
        .block_on(open_pr(&target, &token, &title, &body, &files))
        .map_err(|e| {
            let about_token = matches!(
                e,
                PrError::Http {
                    status: 401 | 403,
                    ..
                }
            );
            args.github.explain(e, about_token)
        })?;
    let verb = if opened.created { "opened" } else { "updated" };
    let mut line = format!(
        "{verb} pull request #{} in {} from {branch} ({} change(s), {} not codified)",
        opened.number,
        args.repo,
        codified.changes.len(),
        codified.not_codified.len()
    );
    if !opened.url.is_empty() {
        line.push_str(&format!(": {}", opened.url));
    }
    write_or_print(None, &line)?;
    if let Some(url) = &args.store {
        let event = super::token::cli_event(driftcost::store::AuditAction::DriftPrOpened)
            .workspace(workspace.clone())
            .target(if opened.url.is_empty() {
                format!("{}#{}", args.repo, opened.number)
            } else {
                opened.url.clone()
            })
            .detail(format!(
                "{verb} from {branch}: {} change(s), {} not codified",
                codified.changes.len(),
                codified.not_codified.len()
            ));
        runtime
            .block_on(async {
                let s = driftcost::store::Store::open_existing(url).await?;
                s.audit().record(event).await?;
                s.close().await;
                anyhow::Ok(())
            })
            .with_context(|| {
                format!("the pull request was {verb}, but recording it in the audit trail failed")
            })?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `repo_path/rel` as a repository path with `/`, refusing paths that leave it.
fn repo_file(repo_path: Option<&Path>, rel: &Path) -> anyhow::Result<String> {
    let joined = repo_path.unwrap_or(Path::new("")).join(rel);
    let mut parts: Vec<String> = Vec::new();
    for c in joined.components() {
        match c {
            Component::CurDir => {}
            Component::Normal(p) => parts.push(p.to_string_lossy().into_owned()),
            Component::ParentDir if !parts.is_empty() => {
                parts.pop();
            }
            _ => bail!(
                "{} is outside the repository; pass --repo-path, the workspace directory's path inside the repository",
                joined.display()
            ),
        }
    }
    Ok(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repo_paths() {
        assert_eq!(
            repo_file(Some(Path::new("envs/prod")), Path::new("main.tf")).unwrap(),
            "envs/prod/main.tf"
        );
        assert_eq!(
            repo_file(
                Some(Path::new("envs/prod")),
                Path::new("../../modules/app/main.tf")
            )
            .unwrap(),
            "modules/app/main.tf"
        );
        assert!(repo_file(None, Path::new("../x.tf")).is_err());
    }
}
