//! Job files (`jobs/*.toml`): which workspaces to scan, how, and how often.
//!
//! ```toml
//! [defaults]
//! tool = "terraform"          # or "tofu", or a path
//! version = "~1.11"           # semver requirement, checked with `version -json`
//! timeout = "15m"
//! mode = "refresh-only"       # or "plan"
//! ignore = ["*.*.tags_all.*"]
//!
//! [[workspace]]
//! name = "network-prod"
//! dir = "../infra/network/prod"      # relative to this file
//! env = ["AWS_PROFILE"]              # names passed through; never values
//! vars = { env = "prod" }
//! var_files = ["prod.tfvars"]
//! backend = { kind = "s3", bucket = "tfstate", key = "network/prod.tfstate", region = "eu-west-1" }
//! ```
//! Secrets are referenced by environment-variable name only; a job file holds
//! no credentials.

use crate::runner::{PlanMode, RunSpec, Tool};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;
use toml::Spanned;

/// Default per-run timeout when neither the workspace nor the defaults set one.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30 * 60);

#[derive(Debug, thiserror::Error)]
pub enum JobError {
    #[error("cannot read job file {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: {message}", path.display())]
    Parse { path: PathBuf, message: String },
    #[error("{} line {line}: {field}: {message}", path.display())]
    Invalid {
        path: PathBuf,
        line: usize,
        field: String,
        message: String,
    },
    #[error("{}: no workspace named `{name}`; defined: {}", path.display(), known.join(", "))]
    UnknownWorkspace {
        path: PathBuf,
        name: String,
        known: Vec<String>,
    },
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    defaults: RawSettings,
    #[serde(default, rename = "workspace")]
    workspaces: Vec<RawWorkspace>,
}

/// Settings a workspace may set and `[defaults]` may provide.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSettings {
    tool: Option<Spanned<String>>,
    version: Option<Spanned<String>>,
    timeout: Option<Spanned<String>>,
    mode: Option<PlanMode>,
    schedule: Option<Spanned<String>>,
    ignore: Option<Vec<String>>,
    env: Option<Vec<Spanned<String>>>,
    usage_file: Option<Spanned<String>>,
    backend: Option<toml::Table>,
    disabled: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWorkspace {
    name: Spanned<String>,
    dir: Spanned<String>,
    #[serde(default)]
    vars: BTreeMap<String, String>,
    #[serde(default)]
    var_files: Vec<Spanned<String>>,
    terraform_workspace: Option<String>,
    // The shared settings are spelled out (not `#[serde(flatten)]`): flattening
    // loses the spans that error messages need for line numbers.
    tool: Option<Spanned<String>>,
    version: Option<Spanned<String>>,
    timeout: Option<Spanned<String>>,
    mode: Option<PlanMode>,
    schedule: Option<Spanned<String>>,
    ignore: Option<Vec<String>>,
    env: Option<Vec<Spanned<String>>>,
    usage_file: Option<Spanned<String>>,
    backend: Option<toml::Table>,
    disabled: Option<bool>,
}

impl RawWorkspace {
    fn settings(&self) -> RawSettings {
        RawSettings {
            tool: self.tool.clone(),
            version: self.version.clone(),
            timeout: self.timeout.clone(),
            mode: self.mode,
            schedule: self.schedule.clone(),
            ignore: self.ignore.clone(),
            env: self.env.clone(),
            usage_file: self.usage_file.clone(),
            backend: self.backend.clone(),
            disabled: self.disabled,
        }
    }
}

/// One workspace with defaults applied and paths resolved.
#[derive(Debug, Clone)]
pub struct Workspace {
    pub name: String,
    pub dir: PathBuf,
    pub tool: Tool,
    pub mode: PlanMode,
    pub timeout: Duration,
    pub schedule: Option<String>,
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
    /// Where it was defined, for error messages.
    pub source: PathBuf,
}

impl Workspace {
    /// The runner's spec; env values are read now from driftcost's environment.
    pub fn run_spec(&self) -> RunSpec {
        RunSpec {
            workspace: self.name.clone(),
            dir: self.dir.clone(),
            tool: self.tool.clone(),
            mode: self.mode,
            vars: self.vars.clone(),
            var_files: self.var_files.clone(),
            env: self
                .env
                .iter()
                .filter_map(|k| std::env::var(k).ok().map(|v| (k.clone(), v)))
                .collect(),
            terraform_workspace: self.terraform_workspace.clone(),
            timeout: self.timeout,
        }
    }
}

/// A parsed job file.
#[derive(Debug, Clone)]
pub struct JobFile {
    pub path: PathBuf,
    pub workspaces: Vec<Workspace>,
}

impl JobFile {
    pub fn load(path: &Path) -> Result<JobFile, JobError> {
        let text = std::fs::read_to_string(path).map_err(|source| JobError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Self::parse(&text, path)
    }

    pub fn workspace(&self, name: &str) -> Result<&Workspace, JobError> {
        self.workspaces
            .iter()
            .find(|w| w.name == name)
            .ok_or_else(|| JobError::UnknownWorkspace {
                path: self.path.clone(),
                name: name.to_string(),
                known: self.workspaces.iter().map(|w| w.name.clone()).collect(),
            })
    }

    /// Parses job TOML; relative paths resolve against the file's directory.
    pub fn parse(text: &str, path: &Path) -> Result<JobFile, JobError> {
        let raw: RawFile = toml::from_str(text).map_err(|e| JobError::Parse {
            path: path.to_path_buf(),
            message: match e.span() {
                Some(span) => format!("line {}: {}", line_of(text, span.start), e.message()),
                None => e.message().to_string(),
            },
        })?;
        let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let invalid =
            |span: std::ops::Range<usize>, field: &str, message: String| JobError::Invalid {
                path: path.to_path_buf(),
                line: line_of(text, span.start),
                field: field.to_string(),
                message,
            };
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        let mut workspaces = Vec::new();
        for w in raw.workspaces {
            let name = w.name.get_ref().trim().to_string();
            if name.is_empty() {
                return Err(invalid(
                    w.name.span(),
                    "name",
                    "is empty; give the workspace a unique name".into(),
                ));
            }
            if let Some(first) = seen.insert(name.clone(), line_of(text, w.name.span().start)) {
                return Err(invalid(
                    w.name.span(),
                    "name",
                    format!("`{name}` is already used at line {first}; names must be unique"),
                ));
            }
            let s = merge(&raw.defaults, &w.settings());
            let dir = base.join(w.dir.get_ref());
            if !dir.is_dir() {
                return Err(invalid(
                    w.dir.span(),
                    "dir",
                    format!(
                        "{} is not a directory (paths are relative to the job file)",
                        dir.display()
                    ),
                ));
            }
            let tool = match &s.tool {
                None => Tool::default(),
                Some(t) => Tool {
                    binary: PathBuf::from(t.get_ref()),
                    version: None,
                },
            };
            let version = match &s.version {
                None => None,
                Some(v) => Some(semver::VersionReq::parse(v.get_ref()).map_err(|e| {
                    invalid(v.span(), "version", format!("`{}` is not a version requirement ({e}); e.g. \"~1.11\" or \">=1.5, <2\"", v.get_ref()))
                })?),
            };
            let timeout = match &s.timeout {
                None => DEFAULT_TIMEOUT,
                Some(t) => humantime::parse_duration(t.get_ref()).map_err(|e| {
                    invalid(
                        t.span(),
                        "timeout",
                        format!("`{}` is not a duration ({e}); e.g. \"15m\"", t.get_ref()),
                    )
                })?,
            };
            for e in s.env.iter().flatten() {
                let n = e.get_ref();
                if n.is_empty()
                    || n.contains('=')
                    || !n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                {
                    return Err(invalid(
                        e.span(),
                        "env",
                        format!(
                            "`{n}` is not an environment variable name; list names only, never values"
                        ),
                    ));
                }
            }
            workspaces.push(Workspace {
                name,
                dir,
                tool: Tool { version, ..tool },
                mode: s.mode.unwrap_or_default(),
                timeout,
                schedule: s.schedule.map(Spanned::into_inner),
                vars: w.vars.into_iter().collect(),
                var_files: w
                    .var_files
                    .into_iter()
                    .map(|f| base.join(f.into_inner()))
                    .collect(),
                env: s
                    .env
                    .into_iter()
                    .flatten()
                    .map(Spanned::into_inner)
                    .collect(),
                terraform_workspace: w.terraform_workspace,
                ignore: s.ignore.unwrap_or_default(),
                usage_file: s.usage_file.map(|u| base.join(u.into_inner())),
                backend: s.backend,
                disabled: s.disabled.unwrap_or(false),
                source: path.to_path_buf(),
            });
        }
        Ok(JobFile {
            path: path.to_path_buf(),
            workspaces,
        })
    }
}

/// Workspace settings over defaults; `ignore` lists are concatenated (defaults first).
fn merge(defaults: &RawSettings, ws: &RawSettings) -> RawSettings {
    let d = defaults.clone();
    let w = ws.clone();
    RawSettings {
        tool: w.tool.or(d.tool),
        version: w.version.or(d.version),
        timeout: w.timeout.or(d.timeout),
        mode: w.mode.or(d.mode),
        schedule: w.schedule.or(d.schedule),
        ignore: match (d.ignore, w.ignore) {
            (None, None) => None,
            (a, b) => Some(
                a.into_iter()
                    .flatten()
                    .chain(b.into_iter().flatten())
                    .collect(),
            ),
        },
        env: match (d.env, w.env) {
            (None, None) => None,
            (a, b) => Some(
                a.into_iter()
                    .flatten()
                    .chain(b.into_iter().flatten())
                    .collect(),
            ),
        },
        usage_file: w.usage_file.or(d.usage_file),
        backend: w.backend.or(d.backend),
        disabled: w.disabled.or(d.disabled),
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())]
        .bytes()
        .filter(|b| *b == b'\n')
        .count()
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<JobFile, JobError> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("ws/a")).unwrap();
        let path = dir.path().join("jobs.toml");
        JobFile::parse(text, &path)
    }

    #[test]
    fn defaults_apply_and_paths_resolve() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("ws/a")).unwrap();
        let text = "[defaults]\ntimeout = \"2m\"\nignore = [\"*.*.tags_all.*\"]\nversion = \"~1.11\"\n\n[[workspace]]\nname = \"a\"\ndir = \"ws/a\"\nignore = [\"aws_s3_bucket.logs\"]\nenv = [\"AWS_PROFILE\"]\n";
        let f = JobFile::parse(text, &dir.path().join("jobs.toml")).unwrap();
        let w = f.workspace("a").unwrap();
        assert_eq!(w.timeout, Duration::from_secs(120));
        assert_eq!(w.ignore, vec!["*.*.tags_all.*", "aws_s3_bucket.logs"]);
        assert_eq!(w.dir, dir.path().join("ws/a"));
        assert!(
            w.tool
                .version
                .as_ref()
                .unwrap()
                .matches(&semver::Version::new(1, 11, 4))
        );
        assert!(
            f.workspace("b")
                .unwrap_err()
                .to_string()
                .contains("no workspace named `b`; defined: a")
        );
    }

    #[test]
    fn errors_name_line_and_field() {
        let e = parse("[[workspace]]\nname = \"a\"\ndir = \"nope\"\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("jobs.toml line 3: dir: "), "{e}");
        let e = parse("[[workspace]]\nname = \"a\"\ndir = \"ws/a\"\ncolour = 1\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("line 1") || e.contains("line 4"), "{e}");
        assert!(e.contains("unknown field `colour`"), "{e}");
        let e = parse("[[workspace]]\nname = \"a\"\ndir = \"ws/a\"\nenv = [\"TOKEN=abc\"]\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("line 4: env: `TOKEN=abc` is not an environment variable name"),
            "{e}"
        );
        let e = parse("[[workspace]]\nname = \"a\"\ndir = \"ws/a\"\n[[workspace]]\nname = \"a\"\ndir = \"ws/a\"\n").unwrap_err().to_string();
        assert!(
            e.contains("line 5: name: `a` is already used at line 2"),
            "{e}"
        );
        let e = parse("[[workspace]]\nname = \"a\"\ndir = \"ws/a\"\ntimeout = \"soon\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("line 4: timeout: `soon` is not a duration"),
            "{e}"
        );
    }
}
