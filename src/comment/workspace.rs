//! Planning a workspace directory for the comment: `init`, `plan -out` and
//! `show -json` through the runner (an isolated working copy and its own
//! `TF_DATA_DIR`, so the directory itself is never written to), and the
//! drift the plan found, masked by the drift engine, for the comment's drift
//! section.

use crate::drift::{AttributeChange, DisplayValue, DriftMode, DriftResult, IgnoreRules, detect};
use crate::escape::markdown_in_html as escape;
use crate::plan::Plan;
use crate::runner::{self, PlanMode, RunError, RunSpec, RunnerSettings, Tool};
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// How to run terraform for a workspace directory.
#[derive(Debug, Clone)]
pub struct WorkspacePlanOptions {
    pub tool: Tool,
    pub runner: RunnerSettings,
    /// For the whole run (init, plan, show).
    pub timeout: Duration,
    /// Extra environment for terraform (treated as secrets in its logs).
    pub env: Vec<(String, String)>,
}

impl Default for WorkspacePlanOptions {
    fn default() -> Self {
        WorkspacePlanOptions {
            tool: Tool::default(),
            runner: RunnerSettings::default(),
            timeout: Duration::from_secs(15 * 60),
            env: Vec::new(),
        }
    }
}

/// Why a workspace directory could not be planned; names the directory.
#[derive(Debug, thiserror::Error)]
pub enum WorkspacePlanError {
    #[error("{}: not a directory with .tf files; pass a terraform root module directory or the JSON of `terraform show -json <planfile>`", dir.display())]
    NotAWorkspace { dir: PathBuf },
    #[error("planning the workspace in {}: {source}", dir.display())]
    Terraform {
        dir: PathBuf,
        #[source]
        source: Box<RunError>,
    },
}

/// Runs a full plan (not refresh-only: the comment prices what the code
/// would change) of the workspace in `dir` and returns the loaded plan. The
/// plan JSON holds sensitive values: it stays in memory and is dropped here.
pub async fn plan_workspace_dir(
    dir: &Path,
    name: &str,
    opts: &WorkspacePlanOptions,
    cancel: &CancellationToken,
) -> Result<Plan, WorkspacePlanError> {
    if !has_tf_files(dir) {
        return Err(WorkspacePlanError::NotAWorkspace {
            dir: dir.to_path_buf(),
        });
    }
    let spec = RunSpec {
        workspace: name.to_string(),
        dir: dir.to_path_buf(),
        tool: opts.tool.clone(),
        mode: PlanMode::Plan,
        vars: Vec::new(),
        var_files: Vec::new(),
        env: opts.env.clone(),
        terraform_workspace: None,
        timeout: opts.timeout,
    };
    let out = runner::run(&spec, &opts.runner, cancel)
        .await
        .map_err(|source| WorkspacePlanError::Terraform {
            dir: dir.to_path_buf(),
            source: Box::new(source),
        })?;
    Ok(out.plan)
}

/// `dir` holds at least one `.tf` file (a root module, or a module directory).
pub(crate) fn has_tf_files(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries
            .flatten()
            .any(|e| e.path().extension().is_some_and(|x| x == "tf") && e.path().is_file())
    })
}

/// A workspace the comment could not price: which one, which side (`head
/// abc123` or `base abc123`) and terraform's first error line. The line comes
/// from the runner's diagnostics, already redacted; it never holds plan or
/// state values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkspaceFailure {
    pub workspace: String,
    pub side: String,
    pub reason: String,
}

/// Longest failure reason shown, in characters.
const MAX_REASON_CHARS: usize = 300;

impl WorkspaceFailure {
    pub fn new(workspace: &str, side: String, error: &WorkspacePlanError) -> Self {
        WorkspaceFailure {
            workspace: workspace.to_string(),
            side,
            reason: first_error_line(error),
        }
    }
}

/// Terraform's first error, on one line: the first error diagnostic (file,
/// line, summary), else the first line of its output, else our own message
/// without the temporary directory it ran in.
fn first_error_line(error: &WorkspacePlanError) -> String {
    let text = match error {
        WorkspacePlanError::NotAWorkspace { .. } => "no .tf files in the directory".to_string(),
        WorkspacePlanError::Terraform { source, .. } => match source.as_ref() {
            RunError::StepFailed {
                step,
                diagnostics,
                output_tail,
                ..
            } => {
                let diag = diagnostics
                    .iter()
                    .find(|d| d.severity == "error")
                    .or(diagnostics.first())
                    .map(ToString::to_string);
                let what = diag
                    .or_else(|| {
                        output_tail
                            .lines()
                            .map(str::trim)
                            .find(|l| !l.is_empty())
                            .map(str::to_string)
                    })
                    .unwrap_or_else(|| "no diagnostic was printed".into());
                format!("{step} failed: {what}")
            }
            other => {
                let text = other.to_string();
                // Every runner message starts with `workspace NAME: `.
                match text.split_once(": ") {
                    Some((head, rest)) if head.starts_with("workspace ") => rest.to_string(),
                    _ => text,
                }
            }
        },
    };
    let line = text.lines().next().unwrap_or_default().trim();
    if line.chars().count() > MAX_REASON_CHARS {
        let cut: String = line.chars().take(MAX_REASON_CHARS - 1).collect();
        format!("{cut}…")
    } else {
        line.to_string()
    }
}

/// One line per failed workspace, escaped like the drift section.
pub(crate) fn render_failures(failed: &[WorkspaceFailure]) -> String {
    failed
        .iter()
        .map(|f| {
            format!(
                "- <code>{}</code> could not be planned ({}): {}\n",
                escape(&f.workspace),
                escape(&f.side),
                escape(&f.reason)
            )
        })
        .collect()
}

/// The drift of one workspace as the comment shows it.
#[derive(Debug, Clone)]
pub struct WorkspaceDrift {
    pub workspace: String,
    pub result: DriftResult,
}

/// The drift terraform reported in the plan's `resource_drift` (changes made
/// outside terraform), with sensitive values already masked by the drift
/// engine. `None` when nothing drifted.
pub fn plan_drift(workspace: &str, plan: &Plan) -> Option<WorkspaceDrift> {
    let result = detect(plan, None, DriftMode::RefreshOnly, &IgnoreRules::default()).ok()?;
    result.has_drift().then(|| WorkspaceDrift {
        workspace: workspace.to_string(),
        result,
    })
}

/// Attribute lines shown per resource before "… and N more".
const MAX_CHANGES_SHOWN: usize = 10;
/// Longest value shown, in characters.
const MAX_VALUE_CHARS: usize = 80;

/// The drift section: one collapsible block per workspace, in the shape the
/// comment's shortening understands (`<details>` / `<summary>` lines).
pub(crate) fn render_drift(drift: &[WorkspaceDrift]) -> String {
    let mut out = String::new();
    for d in drift.iter().filter(|d| d.result.has_drift()) {
        let n = d.result.items.len();
        out.push_str("<details>\n");
        out.push_str(&format!(
            "<summary>Drift in {}: {n} resource{} changed outside terraform</summary>\n\n",
            escape(&d.workspace),
            if n == 1 { "" } else { "s" }
        ));
        for item in &d.result.items {
            out.push_str(&format!(
                "- <code>{}</code> ({})\n",
                escape(&item.address),
                item.kind.label()
            ));
            for c in item.changes.iter().take(MAX_CHANGES_SHOWN) {
                out.push_str(&format!("  - {}\n", change_line(c)));
            }
            if item.changes.len() > MAX_CHANGES_SHOWN {
                out.push_str(&format!(
                    "  - … and {} more\n",
                    item.changes.len() - MAX_CHANGES_SHOWN
                ));
            }
        }
        out.push_str("\n</details>\n");
    }
    out
}

/// `path`: before → after; a sensitive change shows only that it changed.
fn change_line(c: &AttributeChange) -> String {
    let path = format!("<code>{}</code>", escape(&c.path));
    if c.sensitive {
        return format!("{path}: (sensitive)");
    }
    format!("{path}: {} → {}", value(&c.before), value(&c.after))
}

fn value(v: &DisplayValue) -> String {
    let s = match v {
        // Never reached for sensitive changes (masked above), but the mask wins anyway.
        DisplayValue::Sensitive => return "(sensitive)".into(),
        other => other.to_string(),
    };
    let s = if s.chars().count() > MAX_VALUE_CHARS {
        let cut: String = s.chars().take(MAX_VALUE_CHARS - 1).collect();
        format!("{cut}…")
    } else {
        s
    };
    format!("<code>{}</code>", escape(&s))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::parse_plan;

    fn fixture(name: &str) -> Plan {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        parse_plan(&std::fs::read(&path).unwrap(), &path).unwrap()
    }

    #[test]
    fn drift_section_masks_sensitive_values_and_shows_others() {
        let plan = fixture("drift_sensitive_password.json");
        let drift = plan_drift("db", &plan).expect("the fixture has drift");
        let text = render_drift(&[drift]);
        assert!(
            text.starts_with("<details>\n<summary>Drift in db: "),
            "{text}"
        );
        assert!(
            text.contains("<code>aws&#95;db&#95;instance.main</code>"),
            "{text}"
        );
        assert!(
            text.contains("<code>password</code>: (sensitive)"),
            "{text}"
        );
        assert!(
            text.contains("<code>allocated&#95;storage</code>: <code>20</code> → <code>50</code>"),
            "{text}"
        );
        for secret in ["hunter2", "rotated-OUT-OF-BAND"] {
            assert!(!text.contains(secret), "{secret} leaked: {text}");
        }
    }

    #[test]
    fn failure_lines_are_escaped_and_one_line_each() {
        let failed = [WorkspaceFailure {
            workspace: "envs/<prod>".into(),
            side: "head abc123".into(),
            reason: "main.tf line 2: bad `x`</details>".into(),
        }];
        let text = render_failures(&failed);
        assert_eq!(text.lines().count(), 1, "{text}");
        assert!(
            text.starts_with(
                "- <code>envs/&lt;prod&gt;</code> could not be planned (head abc123): "
            ),
            "{text}"
        );
        assert!(
            !text.contains("</details>") && !text.contains('`'),
            "{text}"
        );
    }

    #[test]
    fn the_reason_is_the_first_line_without_the_temporary_directory() {
        let e = WorkspacePlanError::Terraform {
            dir: PathBuf::from("/tmp/driftcost-pr-x/head/web"),
            source: Box::new(RunError::Cancelled {
                workspace: "web".into(),
                step: crate::runner::Step::Init,
                steps: Vec::new(),
            }),
        };
        let f = WorkspaceFailure::new("web", "head abc".into(), &e);
        assert_eq!(f.reason, "cancelled during init");
    }

    #[test]
    fn no_drift_no_section() {
        let plan = fixture("drift_none.json");
        assert!(plan_drift("x", &plan).is_none());
        assert_eq!(render_drift(&[]), "");
    }

    #[test]
    fn a_directory_without_tf_files_is_named_in_the_error() {
        let tmp = tempfile::tempdir().unwrap();
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let err = rt
            .block_on(plan_workspace_dir(
                tmp.path(),
                "x",
                &WorkspacePlanOptions::default(),
                &CancellationToken::new(),
            ))
            .unwrap_err()
            .to_string();
        assert!(err.starts_with(&tmp.path().display().to_string()), "{err}");
        assert!(err.contains("not a directory with .tf files"), "{err}");
    }
}
