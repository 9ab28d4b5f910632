//! The webhook's work: for one pull request at one head commit, clone the
//! repository, plan the workspaces the pull request touches in base and
//! head, and post (or update) the cost comment.
//!
//! Which workspaces are planned: every directory holding `.tf` files in the
//! head commit is a module; a module that another module calls with a local
//! `source = "./…"` or `"../…"` is a *called* module, every other one is a
//! root workspace. A root is planned when a changed file (`git diff
//! --name-only base head`) lies directly in it, or directly in a module it
//! calls locally, at any depth. Files outside any module change nothing.
//!
//! A workspace that fails to plan (in base or head) is listed in the comment
//! with terraform's first error line while the others are priced; only when
//! none could be planned is the comment a failure notice.
//!
//! Idempotent per head commit: the comment carries the head SHA in a hidden
//! marker (only when every workspace was planned, so a redelivery retries a
//! failure), and a job whose head SHA our comment already shows posts nothing;
//! a job whose head is no longer the pull request's head posts nothing either;
//! a job already queued or running for the same pull request and head is
//! not queued again ([`PrJobQueue::push`]).
//!
//! The token (for cloning over HTTPS and for the GitHub API) comes from an
//! environment variable; git gets it as an `http.extraheader` through
//! `GIT_CONFIG_*` variables, never in a URL, an argument or a log.

use super::workspace::{
    WorkspaceDrift, WorkspaceFailure, WorkspacePlanOptions, has_tf_files, plan_drift,
    plan_workspace_dir,
};
use super::{
    Behavior, CommentExtras, PullRequest, comment_marker, find_comment, head_sha_marker,
    post_comment, pull_request_head, render_comment_with, render_failure_notice,
};
use crate::cost::{CostOptions, ProjectCost, estimate};
use crate::git::{GitError, run_git};
use crate::output::{CostReport, PreviousProject, apply_previous};
use crate::pricing::PriceTable;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

/// One pull request at one head commit, from a verified webhook delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrJob {
    /// `OWNER/NAME`.
    pub repo: String,
    pub pr: u64,
    pub base_sha: String,
    pub head_sha: String,
    /// Where to fetch both commits from (the base repository's clone URL).
    pub clone_url: String,
}

impl PrJob {
    /// Reads a `pull_request` event; the message names the missing field.
    pub fn from_payload(payload: &Value) -> Result<PrJob, String> {
        let s = |v: &Value, field: &str| {
            v.as_str()
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .ok_or_else(|| format!("the pull_request event has no `{field}`"))
        };
        let pr = &payload["pull_request"];
        let job = PrJob {
            repo: s(&payload["repository"]["full_name"], "repository.full_name")?,
            pr: payload["number"]
                .as_u64()
                .or_else(|| pr["number"].as_u64())
                .ok_or("the pull_request event has no `number`")?,
            base_sha: s(&pr["base"]["sha"], "pull_request.base.sha")?,
            head_sha: s(&pr["head"]["sha"], "pull_request.head.sha")?,
            clone_url: s(&payload["repository"]["clone_url"], "repository.clone_url")?,
        };
        for (field, sha) in [("base", &job.base_sha), ("head", &job.head_sha)] {
            if !is_sha(sha) {
                return Err(format!(
                    "pull_request.{field}.sha {sha:?} is not a hex commit id"
                ));
            }
        }
        Ok(job)
    }

    fn key(&self) -> (String, u64, String) {
        (self.repo.clone(), self.pr, self.head_sha.clone())
    }
}

fn is_sha(s: &str) -> bool {
    (7..=64).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_hexdigit())
}

type InFlight = Arc<Mutex<HashSet<(String, u64, String)>>>;

/// The sending side of the bounded queue, shared by the webhook route.
#[derive(Clone)]
pub struct PrJobQueue {
    tx: mpsc::Sender<Queued>,
    in_flight: InFlight,
}

/// The receiving side, for [`run_pr_jobs`].
pub struct PrJobReceiver {
    rx: mpsc::Receiver<Queued>,
}

/// A job and its place in the in-flight set, released when dropped (done,
/// failed or abandoned alike).
pub struct Queued {
    pub job: PrJob,
    in_flight: InFlight,
}

impl Drop for Queued {
    fn drop(&mut self) {
        if let Ok(mut set) = self.in_flight.lock() {
            set.remove(&self.job.key());
        }
    }
}

impl PrJobQueue {
    /// A queue holding at most `capacity` jobs waiting.
    pub fn bounded(capacity: usize) -> (PrJobQueue, PrJobReceiver) {
        let (tx, rx) = mpsc::channel(capacity.max(1));
        (
            PrJobQueue {
                tx,
                in_flight: InFlight::default(),
            },
            PrJobReceiver { rx },
        )
    }

    /// `Ok(true)`: queued; `Ok(false)`: the same pull request and head is
    /// already queued or running; `Err(())`: the queue is full (or closed).
    #[allow(clippy::result_unit_err)]
    pub fn push(&self, job: PrJob) -> Result<bool, ()> {
        let mut set = self.in_flight.lock().map_err(|_| ())?;
        if !set.insert(job.key()) {
            return Ok(false);
        }
        let queued = Queued {
            job,
            in_flight: Arc::clone(&self.in_flight),
        };
        drop(set);
        // A refused item is dropped here, which frees its key again.
        self.tx.try_send(queued).map(|()| true).map_err(|_| ())
    }
}

impl PrJobReceiver {
    pub async fn recv(&mut self) -> Option<Queued> {
        self.rx.recv().await
    }
}

/// How the bot works: where GitHub is, where the token is, how to plan.
#[derive(Debug, Clone)]
pub struct PrBotSettings {
    /// `https://api.github.com`, or `https://HOST/api/v3`.
    pub github_api_url: String,
    /// Name of the environment variable holding the GitHub token.
    pub token_env: String,
    /// Where clones and plans go (deleted after each job).
    pub work_root: PathBuf,
    pub plan: WorkspacePlanOptions,
    pub git_timeout: Duration,
    pub default_region: String,
}

impl Default for PrBotSettings {
    fn default() -> Self {
        PrBotSettings {
            github_api_url: "https://api.github.com".into(),
            token_env: "GITHUB_TOKEN".into(),
            work_root: std::env::temp_dir(),
            plan: WorkspacePlanOptions::default(),
            git_timeout: Duration::from_secs(300),
            default_region: crate::cost::DEFAULT_REGION.to_string(),
        }
    }
}

/// What one job did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrJobOutcome {
    /// Our comment already shows this head commit.
    AlreadyCommented,
    /// Posted or updated; the workspaces planned, and those that could not
    /// be (named in the comment with terraform's first error).
    Commented {
        workspaces: Vec<String>,
        failed: Vec<String>,
    },
    /// The pull request's head moved on while this job waited or planned:
    /// nothing posted, the newer head's job comments.
    Stale { current_head: String },
    /// No workspace is touched by the pull request: nothing posted.
    NoWorkspaces,
}

/// Works off `queue` one job at a time until `shutdown`; each failure is
/// logged with the repository, pull request and cause, and the next job goes on.
pub async fn run_pr_jobs(
    mut queue: PrJobReceiver,
    settings: PrBotSettings,
    table: Arc<PriceTable>,
    shutdown: CancellationToken,
) {
    loop {
        let queued = tokio::select! {
            q = queue.recv() => match q { Some(q) => q, None => break },
            _ = shutdown.cancelled() => break,
        };
        let job = &queued.job;
        match run_pr_job(job, &settings, &table, &shutdown).await {
            Ok(outcome) => {
                tracing::info!(repo = %job.repo, pr = job.pr, head = %job.head_sha, ?outcome, "pull request done")
            }
            Err(e) => {
                tracing::error!(repo = %job.repo, pr = job.pr, head = %job.head_sha, error = %e, "pull request failed")
            }
        }
    }
}

/// Plans, prices and comments for one job.
pub async fn run_pr_job(
    job: &PrJob,
    settings: &PrBotSettings,
    table: &PriceTable,
    cancel: &CancellationToken,
) -> Result<PrJobOutcome, String> {
    let token = std::env::var(&settings.token_env)
        .ok()
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            format!(
                "no GitHub token: set {} to a token that may read {} and comment on its pull requests",
                settings.token_env, job.repo
            )
        })?;
    let pr =
        PullRequest::new(&settings.github_api_url, &job.repo, job.pr).map_err(|e| e.to_string())?;
    let marker = comment_marker(&job.repo, job.pr);
    if let Some(body) = find_comment(&pr, &token, &marker)
        .await
        .map_err(|e| e.to_string())?
        && body.contains(&head_sha_marker(&job.head_sha))
    {
        return Ok(PrJobOutcome::AlreadyCommented);
    }

    let tmp = tempfile::Builder::new()
        .prefix("driftcost-pr-")
        .tempdir_in(&settings.work_root)
        .map_err(|e| {
            format!(
                "cannot create a work dir in {}: {e}",
                settings.work_root.display()
            )
        })?;
    let git = Git {
        token: &token,
        timeout: settings.git_timeout,
        cancel,
    };
    let repo = tmp.path().join("repo");
    let base_dir = tmp.path().join("base");
    let head_dir = tmp.path().join("head");
    git.fetch(&repo, &job.clone_url, &[&job.base_sha, &job.head_sha])
        .await?;
    for (dir, sha) in [(&base_dir, &job.base_sha), (&head_dir, &job.head_sha)] {
        git.run(
            &repo,
            &[
                "worktree",
                "add",
                "-q",
                "--detach",
                &dir.display().to_string(),
                sha,
            ],
        )
        .await?;
    }
    let changed = git
        .run(
            &repo,
            &["diff", "--name-only", &job.base_sha, &job.head_sha],
        )
        .await?;
    let changed: Vec<&str> = changed.lines().filter(|l| !l.is_empty()).collect();
    let roots = affected_workspaces(&head_dir, &changed);
    if roots.is_empty() {
        return Ok(PrJobOutcome::NoWorkspaces);
    }

    let mut projects = Vec::new();
    let mut drift = Vec::new();
    let mut failed = Vec::new();
    let mut planned = Vec::new();
    for rel in &roots {
        let name = if rel.as_os_str().is_empty() {
            job.repo.rsplit('/').next().unwrap_or("root").to_string()
        } else {
            rel.display().to_string()
        };
        match plan_both(
            job, rel, &name, &head_dir, &base_dir, settings, table, cancel,
        )
        .await
        {
            Ok((project, ws_drift)) => {
                projects.push(project);
                drift.extend(ws_drift);
                planned.push(rel.display().to_string());
            }
            // A stopping server is not a workspace failure: no comment.
            Err(_) if cancel.is_cancelled() => return Err("cancelled while planning".into()),
            Err(failure) => {
                tracing::warn!(repo = %job.repo, pr = job.pr, workspace = %failure.workspace, side = %failure.side, reason = %failure.reason, "workspace could not be planned");
                failed.push(failure);
            }
        }
    }
    // Our comment carries the head marker only when everything was planned,
    // so a redelivery after a failure plans again.
    let body = if projects.is_empty() {
        render_failure_notice(&marker, &failed)
    } else {
        let report = CostReport::new(projects, String::new());
        render_comment_with(
            &report,
            &marker,
            CommentExtras {
                drift: &drift,
                failed: &failed,
                head_sha: failed.is_empty().then_some(job.head_sha.as_str()),
                policies: None,
            },
        )
    };
    // Checked after planning (which takes minutes), right before posting: a
    // push meanwhile, or a late redelivery of an older push, posts nothing.
    let current = pull_request_head(&pr, &token)
        .await
        .map_err(|e| e.to_string())?;
    if current != job.head_sha {
        tracing::info!(repo = %job.repo, pr = job.pr, head = %job.head_sha, current = %current, "the pull request has a newer head; not commenting for an older one");
        return Ok(PrJobOutcome::Stale {
            current_head: current,
        });
    }
    post_comment(&pr, &token, &body, &marker, Behavior::Update)
        .await
        .map_err(|e| e.to_string())?;
    Ok(PrJobOutcome::Commented {
        workspaces: planned,
        failed: failed.into_iter().map(|f| f.workspace).collect(),
    })
}

/// Plans one workspace in head and (when it exists there) base, prices both
/// and returns the head's cost with the base as its previous cost, and the
/// head's drift.
#[allow(clippy::too_many_arguments)]
async fn plan_both(
    job: &PrJob,
    rel: &Path,
    name: &str,
    head_dir: &Path,
    base_dir: &Path,
    settings: &PrBotSettings,
    table: &PriceTable,
    cancel: &CancellationToken,
) -> Result<(ProjectCost, Option<WorkspaceDrift>), WorkspaceFailure> {
    let opts = CostOptions {
        project_name: name.to_string(),
        default_region: settings.default_region.clone(),
        ..CostOptions::default()
    };
    let head_plan = plan_workspace_dir(&head_dir.join(rel), name, &settings.plan, cancel)
        .await
        .map_err(|e| {
            WorkspaceFailure::new(name, format!("head {}", short_sha(&job.head_sha)), &e)
        })?;
    let mut project: ProjectCost = estimate(&head_plan, table, &opts);
    let base_ws = base_dir.join(rel);
    let previous = if has_tf_files(&base_ws) {
        let base_plan = plan_workspace_dir(&base_ws, name, &settings.plan, cancel)
            .await
            .map_err(|e| {
                WorkspaceFailure::new(name, format!("base {}", short_sha(&job.base_sha)), &e)
            })?;
        PreviousProject {
            name: name.to_string(),
            breakdown: estimate(&base_plan, table, &opts).breakdown,
            source: PathBuf::from(format!("base {}", job.base_sha)),
        }
    } else {
        // New workspace: nothing before it.
        PreviousProject {
            name: name.to_string(),
            breakdown: Default::default(),
            source: PathBuf::from("(new workspace)"),
        }
    };
    apply_previous(&mut project, &previous);
    project.metadata.path = Some(rel.display().to_string());
    Ok((project, plan_drift(name, &head_plan)))
}

fn short_sha(sha: &str) -> &str {
    &sha[..sha.len().min(12)]
}

/// Root workspaces (relative to `tree`) touched by `changed` files; see the
/// module docs for the rule.
pub fn affected_workspaces(tree: &Path, changed: &[&str]) -> Vec<PathBuf> {
    let mut modules = Vec::new();
    collect_modules(tree, Path::new(""), &mut modules);
    let module_set: BTreeSet<PathBuf> = modules.iter().cloned().collect();
    // Local module calls: caller → called (both relative to `tree`).
    let mut calls: BTreeMap<PathBuf, BTreeSet<PathBuf>> = BTreeMap::new();
    let mut called = BTreeSet::new();
    for m in &modules {
        for src in local_sources(&tree.join(m)) {
            if let Some(target) = normalize(&m.join(src))
                && module_set.contains(&target)
                && &target != m
            {
                calls.entry(m.clone()).or_default().insert(target.clone());
                called.insert(target);
            }
        }
    }
    let touched: BTreeSet<PathBuf> = changed
        .iter()
        .map(|f| Path::new(f).parent().unwrap_or(Path::new("")).to_path_buf())
        .collect();
    modules
        .iter()
        .filter(|m| !called.contains(*m))
        .filter(|root| {
            // Depth-first over the root's local calls.
            let mut seen = BTreeSet::new();
            let mut stack = vec![(*root).clone()];
            while let Some(m) = stack.pop() {
                if touched.contains(&m) {
                    return true;
                }
                if seen.insert(m.clone()) {
                    stack.extend(calls.get(&m).into_iter().flatten().cloned());
                }
            }
            false
        })
        .cloned()
        .collect()
}

/// Every directory under `dir` holding `.tf` files (skipping `.git`,
/// `.terraform` and other hidden directories).
fn collect_modules(root: &Path, rel: &Path, out: &mut Vec<PathBuf>) {
    let dir = root.join(rel);
    if has_tf_files(&dir) {
        out.push(rel.to_path_buf());
    }
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return;
    };
    let mut subdirs: Vec<_> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| rel.join(e.file_name()))
        .collect();
    subdirs.sort();
    for sub in subdirs {
        collect_modules(root, &sub, out);
    }
}

/// `source = "./…"` and `"../…"` values in the `.tf` files of `dir`.
fn local_sources(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "tf") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        for line in text.lines() {
            let Some(rest) = line.trim().strip_prefix("source") else {
                continue;
            };
            let Some(rest) = rest.trim_start().strip_prefix('=') else {
                continue;
            };
            let Some(value) = rest
                .trim()
                .strip_prefix('"')
                .and_then(|v| v.split('"').next())
            else {
                continue;
            };
            if value.starts_with("./") || value.starts_with("../") {
                out.push(value.to_string());
            }
        }
    }
    out
}

/// `a/b/../c` → `a/c`; `None` when it climbs out of the tree.
fn normalize(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::Normal(n) => out.push(n),
            _ => return None,
        }
    }
    Some(out)
}

struct Git<'a> {
    token: &'a str,
    timeout: Duration,
    cancel: &'a CancellationToken,
}

impl Git<'_> {
    /// A fresh repository in `repo` with `shas` fetched from `url`.
    async fn fetch(&self, repo: &Path, url: &str, shas: &[&str]) -> Result<(), String> {
        std::fs::create_dir_all(repo)
            .map_err(|e| format!("cannot create {}: {e}", repo.display()))?;
        self.run(repo, &["init", "-q"]).await?;
        let mut args = vec!["fetch", "-q", "--no-tags", url];
        args.extend_from_slice(shas);
        self.run(repo, &args)
            .await
            .map_err(|e| format!("fetching the pull request's commits: {e}"))?;
        Ok(())
    }

    /// `git args` in `dir`; stdout, or the last line of stderr (token removed).
    /// The token goes to git as an HTTP header through the environment: not
    /// in argv (`ps`), not in a URL, not in `.git/config`.
    async fn run(&self, dir: &Path, args: &[&str]) -> Result<String, String> {
        use base64::Engine as _;
        let header = format!(
            "Authorization: Basic {}",
            base64::engine::general_purpose::STANDARD
                .encode(format!("x-access-token:{}", self.token))
        );
        let env = [
            ("GIT_CONFIG_COUNT", "1".to_string()),
            ("GIT_CONFIG_KEY_0", "http.extraheader".to_string()),
            ("GIT_CONFIG_VALUE_0", header),
        ];
        let deadline = tokio::time::Instant::now() + self.timeout;
        run_git(dir, args, &env, deadline, self.cancel)
            .await
            .map_err(|e| match e {
                GitError::Start(e) => format!("cannot start git (is it installed?): {e}"),
                GitError::TimedOut => format!(
                    "git {} timed out after {}s",
                    args[0],
                    self.timeout.as_secs()
                ),
                GitError::Cancelled => format!("cancelled during git {}", args[0]),
                GitError::Failed(line) => {
                    format!("git {}: {}", args[0], line.replace(self.token, "[token]"))
                }
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn workspaces_are_roots_touched_directly_or_through_local_modules() {
        let tmp = tempfile::tempdir().unwrap();
        let t = tmp.path();
        let write = |p: &str, text: &str| {
            let p = t.join(p);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        };
        write(
            "envs/prod/main.tf",
            "module \"net\" {\n  source = \"../../modules/net\"\n}\n",
        );
        write(
            "envs/dev/main.tf",
            "module \"app\" {\n  source = \"../../modules/app\"\n}\n",
        );
        write(
            "modules/app/main.tf",
            "module \"net\" {\n  source = \"../net\"\n}\n",
        );
        write("modules/net/main.tf", "");
        write("modules/unused/main.tf", "");
        write(
            "other/main.tf",
            "module \"x\" {\n  source = \"hashicorp/x/aws\"\n}\n",
        );
        write("README.md", "");
        let pb = |v: &[&str]| v.iter().map(PathBuf::from).collect::<Vec<_>>();
        // A module used by both (dev through app): both roots.
        assert_eq!(
            affected_workspaces(t, &["modules/net/variables.tf"]),
            pb(&["envs/dev", "envs/prod"])
        );
        assert_eq!(
            affected_workspaces(t, &["modules/app/main.tf"]),
            pb(&["envs/dev"])
        );
        assert_eq!(
            affected_workspaces(t, &["envs/prod/terraform.tfvars"]),
            pb(&["envs/prod"])
        );
        assert!(affected_workspaces(t, &["README.md", "docs/x.md"]).is_empty());
        // An uncalled module dir is a root of its own.
        assert_eq!(
            affected_workspaces(t, &["modules/unused/main.tf"]),
            pb(&["modules/unused"])
        );
    }

    #[test]
    fn job_from_payload_names_what_is_missing() {
        let payload = json!({
            "action": "opened", "number": 7,
            "pull_request": {"base": {"sha": "a".repeat(40)}, "head": {"sha": "b".repeat(40)}},
            "repository": {"full_name": "acme/infra", "clone_url": "https://github.com/acme/infra.git"}
        });
        let job = PrJob::from_payload(&payload).unwrap();
        assert_eq!(job.pr, 7);
        assert_eq!(job.repo, "acme/infra");
        let mut bad = payload.clone();
        bad["pull_request"]["head"]["sha"] = json!("; rm -rf /");
        assert!(PrJob::from_payload(&bad).unwrap_err().contains("head.sha"));
        let mut bad = payload;
        bad["repository"]
            .as_object_mut()
            .unwrap()
            .remove("clone_url");
        assert!(
            PrJob::from_payload(&bad)
                .unwrap_err()
                .contains("repository.clone_url")
        );
    }

    #[test]
    fn a_failed_fetch_names_the_step_and_never_the_token() {
        let tmp = tempfile::tempdir().unwrap();
        let cancel = CancellationToken::new();
        let git = Git {
            token: "ghs_SECRET-token-value",
            timeout: Duration::from_secs(30),
            cancel: &cancel,
        };
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let err = rt
            .block_on(git.fetch(
                &tmp.path().join("repo"),
                "http://127.0.0.1:9/acme/infra.git",
                &["a".repeat(40).as_str()],
            ))
            .unwrap_err();
        assert!(
            err.starts_with("fetching the pull request's commits: git fetch:"),
            "{err}"
        );
        assert!(!err.contains("SECRET"), "{err}");
        // Nothing of the token was written to the repository's config either.
        let config = std::fs::read_to_string(tmp.path().join("repo/.git/config")).unwrap();
        assert!(
            !config.contains("SECRET") && !config.contains("extraheader"),
            "{config}"
        );
    }

    #[test]
    fn queue_drops_duplicates_in_flight_and_refuses_when_full() {
        let (q, mut rx) = PrJobQueue::bounded(1);
        let job = |head: char| PrJob {
            repo: "a/b".into(),
            pr: 1,
            base_sha: "a".repeat(40),
            head_sha: head.to_string().repeat(40),
            clone_url: "file:///x".into(),
        };
        assert_eq!(q.push(job('b')), Ok(true));
        assert_eq!(q.push(job('b')), Ok(false));
        assert_eq!(q.push(job('c')), Err(()));
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let got = rt.block_on(rx.recv()).unwrap();
        // Still running: a redelivery is dropped.
        assert_eq!(q.push(job('b')), Ok(false));
        drop(got);
        assert_eq!(q.push(job('b')), Ok(true));
        // c was refused, so its key is free again.
        let _ = rt.block_on(rx.recv()).unwrap();
        assert_eq!(q.push(job('c')), Ok(true));
    }
}
