//! The job model: workspaces with defaults applied and paths resolved, as
//! every later stage reads them. Built only by [`super::parse`].

use super::NotifyTarget;
use crate::runner::{PlanMode, Tool};
use crate::schedule::Schedule;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Longest jitter window accepted (a monthly schedule spread over a month).
pub const MAX_JITTER: Duration = Duration::from_secs(31 * 24 * 3600);

/// Default per-run timeout when neither the workspace nor the defaults set one.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30 * 60);

/// Alert levels for a run's monthly cost increase (USD).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CostThreshold {
    pub warn: Option<Decimal>,
    pub fail: Option<Decimal>,
    /// `allow_unpriced = true`: judge on the priced delta alone. By default a
    /// delta that leaves out components without a price never stays below a
    /// threshold (it reaches the highest level set), since it is a lower bound.
    pub allow_unpriced: bool,
}

/// A workspace whose code lives in a git repository: fetched (shallow) for
/// every run, so a scan always sees the ref as it is now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GitSource {
    /// Clone URL; credentials come from git's own helpers or SSH agent, never
    /// from the job file (a URL with a password is refused at load).
    pub url: String,
    /// Branch, tag or commit; `None`: the remote's HEAD.
    pub reference: Option<String>,
    /// The root module's directory inside the repository.
    pub path: PathBuf,
}

impl GitSource {
    /// The URL without any user-info, for messages and logs.
    pub fn display_url(&self) -> String {
        redact_url(&self.url)
    }
}

pub use crate::git::redact_url;

/// One workspace with defaults applied and paths resolved.
#[derive(Debug, Clone)]
pub struct Workspace {
    pub name: String,
    /// The root module; for a git workspace, a checkout made for each run
    /// (empty until then).
    pub dir: PathBuf,
    /// Set when the code comes from git instead of a local directory.
    pub git: Option<GitSource>,
    pub tool: Tool,
    pub mode: PlanMode,
    pub timeout: Duration,
    /// When to scan it, in its time zone; `None`: on demand only.
    pub schedule: Option<Schedule>,
    /// Width of the jitter window; see [`Workspace::jitter_offset`].
    pub jitter: Duration,
    pub vars: Vec<(String, String)>,
    pub var_files: Vec<PathBuf>,
    /// Environment variable names to pass through to terraform.
    pub env: Vec<String>,
    pub terraform_workspace: Option<String>,
    pub ignore: Vec<String>,
    pub usage_file: Option<PathBuf>,
    /// Backend settings as written (`kind = "s3"`, …); `None` means: read the
    /// workspace's own `backend` block.
    pub backend: Option<toml::Table>,
    pub disabled: bool,
    /// Names of targets in the file's `[notify.<name>]` sections.
    pub notify: Vec<String>,
    pub cost_threshold: Option<CostThreshold>,
    /// Policy folders (`policies = [...]`, resolved against the job file's
    /// folder) the worker evaluates after each scan; a workspace's list
    /// replaces the defaults' list.
    pub policies: Vec<PathBuf>,
    /// Where it was defined, for error messages.
    pub source: PathBuf,
    /// Line of its `name` in `source` (0 when not from a file).
    pub line: usize,
}

impl Workspace {
    /// An ad-hoc workspace for a directory (no job file): terraform defaults,
    /// no schedule, no notifications.
    pub fn in_dir(dir: &Path) -> Workspace {
        Workspace {
            name: dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "workspace".into()),
            dir: dir.to_path_buf(),
            git: None,
            tool: Tool::default(),
            mode: PlanMode::RefreshOnly,
            timeout: DEFAULT_TIMEOUT,
            schedule: None,
            jitter: Duration::ZERO,
            vars: Vec::new(),
            var_files: Vec::new(),
            env: Vec::new(),
            terraform_workspace: None,
            ignore: Vec::new(),
            usage_file: None,
            backend: None,
            disabled: false,
            notify: Vec::new(),
            cost_threshold: None,
            policies: Vec::new(),
            source: dir.to_path_buf(),
            line: 0,
        }
    }

    /// This workspace's stable place in its jitter window.
    pub fn jitter_offset(&self) -> Duration {
        crate::schedule::jitter_offset(&self.name, self.jitter)
    }
}

/// A parsed job file.
#[derive(Debug, Clone)]
pub struct JobFile {
    pub path: PathBuf,
    /// At most this many of this file's workspaces run at once; `None`: only
    /// the worker's global limit applies.
    pub concurrency: Option<usize>,
    pub workspaces: Vec<Workspace>,
    /// Targets defined in `[notify.<name>]`, by name.
    pub notify: BTreeMap<String, NotifyTarget>,
}
