//! The runner: spawns `terraform` or `tofu` for one workspace — `init`,
//! `plan -refresh-only` (or a full plan) and `show -json` — in an isolated
//! working copy, and returns the plan JSON.
//!
//! It never decides drift (the drift engine reads `resource_drift`); it only
//! guarantees that a run either yields a readable plan or fails with
//! terraform's own diagnostic, the workspace and the step named.

mod diagnostics;
mod process;
mod redact;
mod workdir;

pub use diagnostics::Diagnostic;
pub use redact::Redactor;
pub use workdir::WorkRoot;

use crate::plan::{Plan, PlanError, parse_plan};
use process::{Captured, Ended};
use serde::Serialize;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tokio_util::sync::CancellationToken;

/// Which IaC binary a workspace uses, and which versions it accepts.
#[derive(Debug, Clone)]
pub struct Tool {
    /// `terraform`, `tofu`, or a path.
    pub binary: PathBuf,
    /// A semver requirement (`~1.11`, `>=1.5, <2`, `=1.11.4`); checked with `version -json`.
    pub version: Option<semver::VersionReq>,
}

impl Default for Tool {
    fn default() -> Self {
        Tool {
            binary: "terraform".into(),
            version: None,
        }
    }
}

/// `refresh-only` asks only what changed outside terraform; `plan` also what
/// the code would change.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PlanMode {
    #[default]
    RefreshOnly,
    Plan,
}

/// One workspace run.
#[derive(Debug, Clone)]
pub struct RunSpec {
    pub workspace: String,
    pub dir: PathBuf,
    pub tool: Tool,
    pub mode: PlanMode,
    pub vars: Vec<(String, String)>,
    pub var_files: Vec<PathBuf>,
    /// Extra environment (values already resolved; all are treated as secrets in logs).
    pub env: Vec<(String, String)>,
    /// terraform workspace (`TF_WORKSPACE`), when not `default`.
    pub terraform_workspace: Option<String>,
    pub timeout: Duration,
}

/// Settings shared by all runs of one worker.
#[derive(Debug, Clone)]
pub struct RunnerSettings {
    /// Where per-run temp directories go.
    pub work_root: PathBuf,
    /// `TF_CLI_CONFIG_FILE` for every command (provider mirrors, credentials helpers).
    pub cli_config_file: Option<PathBuf>,
    /// `TF_PLUGIN_CACHE_DIR`. Give each concurrent slot its own directory:
    /// one cache shared by parallel inits races (terraform#31964, #32915).
    pub plugin_cache_dir: Option<PathBuf>,
    /// Bytes kept of each command's stdout and stderr.
    pub output_cap: usize,
    /// Keep the run's temp directory (for debugging).
    pub keep_workdir: bool,
}

impl Default for RunnerSettings {
    fn default() -> Self {
        RunnerSettings {
            work_root: std::env::temp_dir(),
            cli_config_file: None,
            plugin_cache_dir: None,
            output_cap: 256 * 1024,
            keep_workdir: false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Step {
    Prepare,
    Version,
    Init,
    Plan,
    Show,
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Step::Prepare => "preparing the working copy",
            Step::Version => "version",
            Step::Init => "init",
            Step::Plan => "plan",
            Step::Show => "show",
        })
    }
}

/// What one command left behind, with secrets already removed.
#[derive(Debug, Clone, Serialize)]
pub struct StepLog {
    pub step: Step,
    pub elapsed_ms: u128,
    pub exit_code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub truncated: bool,
}

/// A successful run.
#[derive(Debug)]
pub struct RunOutput {
    pub plan: Plan,
    /// The raw `show -json` document (holds sensitive values: never store or print it).
    pub plan_json: Vec<u8>,
    pub tool_version: String,
    pub steps: Vec<StepLog>,
    pub refreshed: Vec<String>,
    pub warnings: Vec<Diagnostic>,
    pub redactor: Redactor,
}

impl RunOutput {
    pub fn elapsed(&self, step: Step) -> Duration {
        Duration::from_millis(
            self.steps
                .iter()
                .filter(|s| s.step == step)
                .map(|s| s.elapsed_ms as u64)
                .sum(),
        )
    }
}

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("workspace {workspace}: cannot start `{}`: {source}; install it or set the workspace's tool binary", binary.display())]
    Spawn {
        workspace: String,
        binary: PathBuf,
        source: std::io::Error,
    },
    #[error("workspace {workspace}: cannot prepare a working copy of {}: {source}", dir.display())]
    Workdir {
        workspace: String,
        dir: PathBuf,
        source: std::io::Error,
    },
    #[error("workspace {workspace}: `{}` is version {found}, but the workspace requires {required}; install a matching version or change `version`", binary.display())]
    VersionMismatch {
        workspace: String,
        binary: PathBuf,
        found: String,
        required: String,
    },
    #[error("workspace {workspace}: {step} failed{}: {}", exit_code.map(|c| format!(" (exit {c})")).unwrap_or_default(), describe(diagnostics, output_tail))]
    StepFailed {
        workspace: String,
        step: Step,
        exit_code: Option<i32>,
        diagnostics: Vec<Diagnostic>,
        /// Last lines of stderr (redacted) when terraform gave no diagnostic.
        output_tail: String,
        steps: Vec<StepLog>,
    },
    #[error("workspace {workspace}: {step} timed out after {}s; terraform and its providers were killed", timeout.as_secs())]
    TimedOut {
        workspace: String,
        step: Step,
        timeout: Duration,
        steps: Vec<StepLog>,
    },
    #[error("workspace {workspace}: cancelled during {step}")]
    Cancelled {
        workspace: String,
        step: Step,
        steps: Vec<StepLog>,
    },
    #[error("workspace {workspace}: `show -json` gave an unreadable plan: {source}")]
    Plan {
        workspace: String,
        source: PlanError,
    },
}

fn describe(diags: &[Diagnostic], tail: &str) -> String {
    if diags.is_empty() {
        return if tail.is_empty() {
            "no diagnostic was printed".into()
        } else {
            tail.to_string()
        };
    }
    diags
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// Runs one workspace: version check, init, plan, show.
pub async fn run(
    spec: &RunSpec,
    settings: &RunnerSettings,
    cancel: &CancellationToken,
) -> Result<RunOutput, RunError> {
    let started = Instant::now();
    std::fs::create_dir_all(&settings.work_root).map_err(|source| RunError::Workdir {
        workspace: spec.workspace.clone(),
        dir: settings.work_root.clone(),
        source,
    })?;
    let tmp = tempfile::Builder::new()
        .prefix(&format!("driftcost-{}-", sanitize(&spec.workspace)))
        .tempdir_in(&settings.work_root)
        .map_err(|source| RunError::Workdir {
            workspace: spec.workspace.clone(),
            dir: settings.work_root.clone(),
            source,
        })?;
    let result = run_in(spec, settings, cancel, tmp.path(), started).await;
    if settings.keep_workdir {
        let kept = tmp.keep();
        tracing::info!(workspace = %spec.workspace, dir = %kept.display(), "kept working copy");
    }
    result
}

fn sanitize(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .take(40)
        .collect()
}

struct Ctx<'a> {
    spec: &'a RunSpec,
    settings: &'a RunnerSettings,
    cancel: &'a CancellationToken,
    env: Vec<(String, String)>,
    deadline: Instant,
    steps: Vec<StepLog>,
    redactor: Redactor,
}

/// `args` for a log line: `-var=NAME=VALUE` keeps only the name, since a
/// variable's value may be a secret.
fn args_for_log(args: &[String]) -> Vec<String> {
    args.iter()
        .map(
            |a| match a.strip_prefix("-var=").and_then(|kv| kv.split_once('=')) {
                Some((name, _)) => format!("-var={name}=[redacted]"),
                None => a.clone(),
            },
        )
        .collect()
}

impl Ctx<'_> {
    async fn command(
        &mut self,
        step: Step,
        args: Vec<String>,
        dir: &Path,
    ) -> Result<Captured, RunError> {
        let ws = || self.spec.workspace.clone();
        let remaining = self.deadline.saturating_duration_since(Instant::now());
        let shown = args_for_log(&args);
        tracing::debug!(workspace = %self.spec.workspace, %step, args = ?shown, "running");
        let ended = process::run(
            &self.spec.tool.binary,
            &args,
            dir,
            &self.env,
            remaining,
            self.settings.output_cap,
            self.cancel,
        )
        .await
        .map_err(|source| RunError::Spawn {
            workspace: ws(),
            binary: self.spec.tool.binary.clone(),
            source,
        })?;
        match ended {
            Ended::Exited(c) => {
                self.log(step, &c);
                Ok(c)
            }
            Ended::TimedOut(c) => {
                self.log(step, &c);
                Err(RunError::TimedOut {
                    workspace: ws(),
                    step,
                    timeout: self.spec.timeout,
                    steps: std::mem::take(&mut self.steps),
                })
            }
            Ended::Cancelled(c) => {
                self.log(step, &c);
                Err(RunError::Cancelled {
                    workspace: ws(),
                    step,
                    steps: std::mem::take(&mut self.steps),
                })
            }
        }
    }

    fn log(&mut self, step: Step, c: &Captured) {
        self.steps.push(StepLog {
            step,
            elapsed_ms: c.elapsed.as_millis(),
            exit_code: c.status,
            stdout: self.redactor.redact(&String::from_utf8_lossy(&c.stdout)),
            stderr: self.redactor.redact(&String::from_utf8_lossy(&c.stderr)),
            truncated: c.stdout_truncated || c.stderr_truncated,
        });
    }

    fn failed(&mut self, step: Step, c: &Captured) -> RunError {
        let mut diagnostics: Vec<Diagnostic> = diagnostics::parse_stream(&c.stdout)
            .errors()
            .cloned()
            .collect();
        if diagnostics.is_empty() {
            diagnostics = diagnostics::parse_text_errors(&String::from_utf8_lossy(&c.stderr));
        }
        for d in &mut diagnostics {
            d.summary = self.redactor.redact(&d.summary);
            d.detail = self.redactor.redact(&d.detail);
        }
        let stderr = self.redactor.redact(&String::from_utf8_lossy(&c.stderr));
        let tail: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
        RunError::StepFailed {
            workspace: self.spec.workspace.clone(),
            step,
            exit_code: c.status,
            diagnostics,
            output_tail: tail[tail.len().saturating_sub(8)..].join("\n"),
            steps: std::mem::take(&mut self.steps),
        }
    }
}

/// The steps of one run, in order; each is a function below.
async fn run_in(
    spec: &RunSpec,
    settings: &RunnerSettings,
    cancel: &CancellationToken,
    tmp: &Path,
    started: Instant,
) -> Result<RunOutput, RunError> {
    let (mut ctx, work) = prepare(spec, settings, cancel, tmp, started)?;
    let tool_version = ctx.version(&work).await?;
    ctx.init(&work).await?;
    let plan_file = tmp.join("driftcost.tfplan");
    let planned = ctx.plan(&work, &plan_file).await?;
    let plan_json = ctx.show(&work, &plan_file).await?;
    ctx.read_plan(plan_json, tool_version, planned)
}

/// The working copy, terraform's environment (automation mode, its own data
/// dir, the passed-through variables) and the deadline for the whole run.
fn prepare<'a>(
    spec: &'a RunSpec,
    settings: &'a RunnerSettings,
    cancel: &'a CancellationToken,
    tmp: &Path,
    started: Instant,
) -> Result<(Ctx<'a>, PathBuf), RunError> {
    let work =
        workdir::prepare(&spec.dir, &tmp.join("src")).map_err(|source| RunError::Workdir {
            workspace: spec.workspace.clone(),
            dir: spec.dir.clone(),
            source,
        })?;
    let mut env = vec![
        ("TF_IN_AUTOMATION".to_string(), "1".to_string()),
        ("TF_INPUT".into(), "0".into()),
        ("CHECKPOINT_DISABLE".into(), "1".into()),
        (
            "TF_DATA_DIR".into(),
            tmp.join("tfdata").display().to_string(),
        ),
    ];
    if let Some(cfg) = &settings.cli_config_file {
        env.push(("TF_CLI_CONFIG_FILE".into(), cfg.display().to_string()));
    }
    if let Some(cache) = &settings.plugin_cache_dir {
        let _ = std::fs::create_dir_all(cache);
        env.push(("TF_PLUGIN_CACHE_DIR".into(), cache.display().to_string()));
    }
    if let Some(w) = &spec.terraform_workspace {
        env.push(("TF_WORKSPACE".into(), w.clone()));
    }
    let mut redactor = Redactor::default();
    for (_, v) in &spec.env {
        redactor.add(v.clone());
    }
    env.extend(spec.env.iter().cloned());
    let ctx = Ctx {
        spec,
        settings,
        cancel,
        env,
        // A timeout beyond what the clock can add is no deadline at all (job
        // files and flags refuse such values; a library caller may not).
        deadline: started
            .checked_add(spec.timeout)
            .unwrap_or_else(|| started + Duration::from_secs(100 * 365 * 24 * 3600)),
        steps: Vec::new(),
        redactor,
    };
    Ok((ctx, work))
}

/// What the plan step leaves for the result besides the plan file.
struct Planned {
    /// Addresses terraform reported refreshing.
    refreshed: Vec<String>,
    warnings: Vec<Diagnostic>,
}

impl Ctx<'_> {
    /// A step that must exit 0.
    async fn step(
        &mut self,
        step: Step,
        args: Vec<String>,
        dir: &Path,
    ) -> Result<Captured, RunError> {
        let c = self.command(step, args, dir).await?;
        if c.status != Some(0) {
            return Err(self.failed(step, &c));
        }
        Ok(c)
    }

    /// `version -json`: the binary exists and satisfies the workspace's
    /// requirement. Returns the version it reports.
    async fn version(&mut self, work: &Path) -> Result<String, RunError> {
        let c = self
            .step(Step::Version, vec!["version".into(), "-json".into()], work)
            .await?;
        let tool_version = serde_json::from_slice::<serde_json::Value>(&c.stdout)
            .ok()
            .and_then(|v| {
                v.get("terraform_version")
                    .and_then(|s| s.as_str())
                    .map(str::to_string)
            })
            .unwrap_or_default();
        if let Some(req) = &self.spec.tool.version {
            let ok = semver::Version::parse(&tool_version).is_ok_and(|v| req.matches(&v));
            if !ok {
                return Err(RunError::VersionMismatch {
                    workspace: self.spec.workspace.clone(),
                    binary: self.spec.tool.binary.clone(),
                    found: if tool_version.is_empty() {
                        "unknown".into()
                    } else {
                        tool_version
                    },
                    required: req.to_string(),
                });
            }
        }
        Ok(tool_version)
    }

    async fn init(&mut self, work: &Path) -> Result<(), RunError> {
        let args = ["init", "-input=false", "-no-color", "-json"];
        self.step(Step::Init, args.map(String::from).to_vec(), work)
            .await
            .map(drop)
    }

    /// `plan` (refresh-only unless the job says otherwise) into `plan_file`.
    async fn plan(&mut self, work: &Path, plan_file: &Path) -> Result<Planned, RunError> {
        let spec = self.spec;
        let mut args = vec!["plan".to_string()];
        if spec.mode == PlanMode::RefreshOnly {
            // A refresh-only plan writes no state, so it must not wait on (or take) the lock.
            args.push("-refresh-only".into());
            args.push("-lock=false".into());
        } else {
            args.push("-lock=false".into());
        }
        args.extend([
            "-input=false".into(),
            "-no-color".into(),
            "-json".into(),
            format!("-out={}", plan_file.display()),
        ]);
        for f in &spec.var_files {
            args.push(format!("-var-file={}", f.display()));
        }
        for (k, v) in &spec.vars {
            args.push(format!("-var={k}={v}"));
        }
        let c = self.step(Step::Plan, args, work).await?;
        let stream = diagnostics::parse_stream(&c.stdout);
        let warnings = stream
            .diagnostics
            .iter()
            .filter(|d| d.severity == "warning")
            .cloned()
            .collect();
        Ok(Planned {
            refreshed: stream.refreshed,
            warnings,
        })
    }

    /// `show -json` of the plan file: the plan JSON, never cut.
    async fn show(&mut self, work: &Path, plan_file: &Path) -> Result<Vec<u8>, RunError> {
        let args = vec![
            "show".into(),
            "-json".into(),
            "-no-color".into(),
            plan_file.display().to_string(),
        ];
        let c = self.step(Step::Show, args, work).await?;
        if c.stdout_truncated {
            // show's output is the plan itself: it must never be cut. Re-read uncapped.
            return Err(RunError::StepFailed {
                workspace: self.spec.workspace.clone(),
                step: Step::Show,
                exit_code: c.status,
                diagnostics: Vec::new(),
                output_tail: format!(
                    "the plan JSON is larger than the output cap of {} bytes; raise it",
                    self.settings.output_cap
                ),
                steps: std::mem::take(&mut self.steps),
            });
        }
        Ok(c.stdout)
    }

    /// The plan's sensitive values join the redactor, the logs captured
    /// before they were known are redacted again (show's output is not kept
    /// at all), and the plan JSON is parsed into the result.
    fn read_plan(
        &mut self,
        plan_json: Vec<u8>,
        tool_version: String,
        planned: Planned,
    ) -> Result<RunOutput, RunError> {
        if let Ok(v) = serde_json::from_slice::<serde_json::Value>(&plan_json) {
            self.redactor.add_sensitive_from_plan(&v);
        }
        let redactor = self.redactor.clone();
        for s in &mut self.steps {
            if s.step != Step::Show {
                s.stdout = redactor.redact(&s.stdout);
                s.stderr = redactor.redact(&s.stderr);
            } else {
                s.stdout = "(plan JSON, not kept in logs)".into();
            }
        }
        let plan = parse_plan(
            &plan_json,
            Path::new(&format!("show -json of workspace {}", self.spec.workspace)),
        )
        .map_err(|source| RunError::Plan {
            workspace: self.spec.workspace.clone(),
            source,
        })?;
        Ok(RunOutput {
            plan,
            plan_json,
            tool_version,
            steps: std::mem::take(&mut self.steps),
            refreshed: planned.refreshed,
            warnings: planned.warnings,
            redactor,
        })
    }
}

#[cfg(test)]
mod log_tests {
    #[test]
    fn var_values_never_reach_the_log() {
        let args: Vec<String> = ["plan", "-var=db_password=hunter2", "-var-file=prod.tfvars"]
            .map(String::from)
            .to_vec();
        let shown = format!("{:?}", super::args_for_log(&args));
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("-var=db_password=[redacted]"), "{shown}");
        assert!(shown.contains("-var-file=prod.tfvars"), "{shown}");
    }
}
