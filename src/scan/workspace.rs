//! Scanning one configured workspace: runner → backend → analysis.

use super::{Analysis, Outcome, Recorded, Settings, analyze};
use crate::backend::{BackendConfig, BackendEnv, DEFAULT_WORKSPACE};
use crate::cost::{CostOptions, UsageFile};
use crate::drift::{
    DriftMode, IgnoreRules, IntegrityRecord, IntegrityStore, load_lifecycle_ignores,
};
use crate::jobs::Workspace;
use crate::pricing::PriceTable;
use crate::runner::{self, PlanMode, RunSpec, RunnerSettings, Step, StepLog};
use serde::Serialize;
use std::time::Instant;
use tokio_util::sync::CancellationToken;

/// Everything one scan of one workspace produced. Holds no sensitive value:
/// the plan JSON is dropped once analysed, logs are redacted.
#[derive(Debug)]
pub struct WorkspaceScan {
    pub workspace: String,
    pub outcome: Outcome,
    pub tool_version: Option<String>,
    /// Where the recorded state was read from.
    pub state_source: Option<String>,
    pub analysis: Option<Analysis>,
    /// Why the scan errored (names the workspace and the step).
    pub error: Option<String>,
    /// What kind of failure `error` is, so a run store can tell a timeout or
    /// a cancellation from a terraform error without parsing text.
    pub failure: Option<Failure>,
    pub timings: Timings,
    pub steps: Vec<StepLog>,
}

/// Why an errored scan failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Failure {
    /// The job or workspace configuration (ignore rules, usage file, backend settings).
    Config,
    /// A git workspace's code could not be fetched.
    Source,
    /// terraform could not be started or exited with an error.
    Terraform {
        exit_code: Option<i32>,
    },
    TimedOut,
    Cancelled,
    /// The recorded state could not be read or is not a state file.
    State,
    /// The plan or the state could not be analysed.
    Analysis,
}

/// Wall times in milliseconds.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Timings {
    pub total_ms: u128,
    pub init_ms: u128,
    pub plan_ms: u128,
    pub show_ms: u128,
    pub state_read_ms: u128,
}

impl WorkspaceScan {
    fn errored(
        ws: &Workspace,
        failure: Failure,
        error: String,
        started: Instant,
        steps: Vec<StepLog>,
    ) -> Self {
        WorkspaceScan {
            workspace: ws.name.clone(),
            outcome: Outcome::Errored,
            tool_version: None,
            state_source: None,
            analysis: None,
            error: Some(error),
            failure: Some(failure),
            timings: Timings {
                total_ms: started.elapsed().as_millis(),
                ..Timings::default()
            },
            steps,
        }
    }
}

/// Scans one workspace. Never panics and never reports an error as "no drift":
/// every failure becomes [`Outcome::Errored`] with the reason. A git
/// workspace is fetched first, into a checkout that lives for this scan only.
pub async fn scan_workspace(
    ws: &Workspace,
    runner_settings: &RunnerSettings,
    table: &PriceTable,
    integrity_store: Option<&mut (dyn IntegrityStore + Send)>,
    cancel: &CancellationToken,
) -> WorkspaceScan {
    let Some(git) = ws.git.as_ref().filter(|_| !ws.disabled) else {
        return scan_dir(ws, runner_settings, table, integrity_store, cancel).await;
    };
    let started = Instant::now();
    let checkout =
        match super::source::checkout(git, &runner_settings.work_root, ws.timeout, cancel).await {
            Ok(c) => c,
            Err(e) => {
                return WorkspaceScan::errored(
                    ws,
                    Failure::Source,
                    format!("workspace {}: {e}", ws.name),
                    started,
                    Vec::new(),
                );
            }
        };
    tracing::info!(workspace = %ws.name, url = %git.display_url(), commit = %checkout.commit, "fetched");
    let local = Workspace {
        dir: checkout.dir.clone(),
        git: None,
        ..ws.clone()
    };
    scan_dir(&local, runner_settings, table, integrity_store, cancel).await
}

/// The runner's spec for a workspace; the values of the variables it passes
/// through (`env = [...]`) are read now, from driftcost's own environment.
pub fn run_spec(ws: &Workspace) -> RunSpec {
    RunSpec {
        workspace: ws.name.clone(),
        dir: ws.dir.clone(),
        tool: ws.tool.clone(),
        mode: ws.mode,
        vars: ws.vars.clone(),
        var_files: ws.var_files.clone(),
        env: ws
            .env
            .iter()
            .filter_map(|k| std::env::var(k).ok().map(|v| (k.clone(), v)))
            .collect(),
        terraform_workspace: ws.terraform_workspace.clone(),
        timeout: ws.timeout,
    }
}

async fn scan_dir(
    ws: &Workspace,
    runner_settings: &RunnerSettings,
    table: &PriceTable,
    integrity_store: Option<&mut (dyn IntegrityStore + Send)>,
    cancel: &CancellationToken,
) -> WorkspaceScan {
    let started = Instant::now();
    if ws.disabled {
        return WorkspaceScan {
            workspace: ws.name.clone(),
            outcome: Outcome::Disabled,
            tool_version: None,
            state_source: None,
            analysis: None,
            error: None,
            failure: None,
            timings: Timings::default(),
            steps: Vec::new(),
        };
    }
    // Configuration problems are found before terraform is started.
    let (rules, usage, backend) = match read_config(ws) {
        Ok(c) => c,
        Err(e) => return WorkspaceScan::errored(ws, Failure::Config, e, started, Vec::new()),
    };

    let run = match runner::run(&run_spec(ws), runner_settings, cancel).await {
        Ok(run) => run,
        Err(e) => {
            let steps = match &e {
                runner::RunError::StepFailed { steps, .. }
                | runner::RunError::TimedOut { steps, .. }
                | runner::RunError::Cancelled { steps, .. } => steps.clone(),
                _ => Vec::new(),
            };
            let failure = match &e {
                runner::RunError::TimedOut { .. } => Failure::TimedOut,
                runner::RunError::Cancelled { .. } => Failure::Cancelled,
                runner::RunError::StepFailed { exit_code, .. } => Failure::Terraform {
                    exit_code: *exit_code,
                },
                runner::RunError::Plan { .. } => Failure::Analysis,
                runner::RunError::Workdir { .. } | runner::RunError::VersionMismatch { .. } => {
                    Failure::Config
                }
                _ => Failure::Terraform { exit_code: None },
            };
            return WorkspaceScan::errored(ws, failure, e.to_string(), started, steps);
        }
    };

    let state_started = Instant::now();
    let tf_workspace = ws
        .terraform_workspace
        .as_deref()
        .unwrap_or(DEFAULT_WORKSPACE);
    let recorded = match backend.read(tf_workspace, &BackendEnv::process()).await {
        Ok(r) => r,
        Err(e) => {
            return WorkspaceScan::errored(
                ws,
                Failure::State,
                format!("workspace {}: reading the recorded state: {e}", ws.name),
                started,
                run.steps,
            );
        }
    };
    let state_read_ms = state_started.elapsed().as_millis();

    let cost = CostOptions {
        project_name: ws.name.clone(),
        usage,
        ..CostOptions::default()
    };
    let settings = Settings {
        mode: match ws.mode {
            PlanMode::RefreshOnly => DriftMode::RefreshOnly,
            PlanMode::Plan => DriftMode::Plan,
        },
        rules: &rules,
        table,
        cost: &cost,
    };
    let mut plan = run.plan;
    let rec = Recorded {
        source: &recorded.source,
        state: &recorded.state,
        integrity: IntegrityRecord {
            lineage: recorded.lineage.clone(),
            serial: recorded.serial,
            sha256: recorded.bytes_sha256.clone(),
        },
    };
    let analysis = analyze(
        &ws.name,
        &mut plan,
        Some(rec),
        &settings,
        integrity_store.map(|s| s as &mut dyn IntegrityStore),
    );
    let ms = |step: Step| {
        run.steps
            .iter()
            .filter(|s| s.step == step)
            .map(|s| s.elapsed_ms)
            .sum()
    };
    let timings = Timings {
        total_ms: started.elapsed().as_millis(),
        init_ms: ms(Step::Init),
        plan_ms: ms(Step::Plan),
        show_ms: ms(Step::Show),
        state_read_ms,
    };
    match analysis {
        Ok(a) => WorkspaceScan {
            workspace: ws.name.clone(),
            outcome: a.outcome(),
            tool_version: Some(run.tool_version),
            state_source: Some(recorded.source),
            analysis: Some(a),
            error: None,
            failure: None,
            timings,
            steps: run.steps,
        },
        Err(e) => WorkspaceScan {
            timings,
            ..WorkspaceScan::errored(
                ws,
                Failure::Analysis,
                format!("workspace {}: {e}", ws.name),
                started,
                run.steps,
            )
        },
    }
}

/// The job's backend settings, else the workspace's own `backend` block, else
/// terraform's default local state.
/// What the scan needs from the workspace's files and job settings, read
/// before terraform starts: ignore rules (with `lifecycle.ignore_changes`),
/// the usage file and the backend. The error names the workspace.
fn read_config(ws: &Workspace) -> Result<(IgnoreRules, UsageFile, BackendConfig), String> {
    let in_ws = |e: &dyn std::fmt::Display| format!("workspace {}: {e}", ws.name);
    let lifecycle = load_lifecycle_ignores(&ws.dir, None).map_err(|e| in_ws(&e))?;
    let rules = IgnoreRules::new(&ws.ignore, &lifecycle).map_err(|e| in_ws(&e))?;
    let usage = match &ws.usage_file {
        Some(p) => UsageFile::load(p).map_err(|e| in_ws(&e))?,
        None => UsageFile::default(),
    };
    Ok((rules, usage, backend_for(ws)?))
}

fn backend_for(ws: &Workspace) -> Result<BackendConfig, String> {
    let config = match &ws.backend {
        Some(table) => table.clone().try_into::<BackendConfig>().map_err(|e| {
            format!("{}: workspace {}: backend: {}; expected kind = \"local\" | \"s3\" | \"gcs\" | \"azurerm\" with terraform's backend settings", ws.source.display(), ws.name, e.message())
        })?,
        None => BackendConfig::from_workspace_dir(&ws.dir).map_err(|e| format!("workspace {}: {e}", ws.name))?,
    };
    let config = config.relative_to(&ws.dir);
    config
        .validate()
        .map_err(|e| format!("workspace {}: {e}", ws.name))?;
    Ok(config)
}
