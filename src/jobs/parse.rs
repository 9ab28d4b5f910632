//! Reading a job file: TOML with spans, every setting checked where it is
//! written, defaults merged, paths resolved. All problems of a file are
//! collected ([`Ctx`]) so `jobs check` can report them at once.

use super::validate::{self, MAX_TIMEOUT, MIN_TIMEOUT, bounded_duration, name_looks_secret};
use super::{
    CostThreshold, DEFAULT_TIMEOUT, GitSource, JobError, JobFile, MAX_JITTER, Workspace, notify,
};
use crate::backend::BackendConfig;
use crate::env::token_problem;
use crate::notify::config::{RawTarget, show};
use crate::runner::{PlanMode, Tool};
use crate::schedule::{Schedule, Tz, parse_timezone};
use rust_decimal::Decimal;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use toml::Spanned;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    concurrency: Option<Spanned<toml::Value>>,
    #[serde(default)]
    defaults: RawSettings,
    #[serde(default, rename = "workspace")]
    workspaces: Vec<RawWorkspace>,
    #[serde(default)]
    notify: BTreeMap<String, Spanned<RawTarget>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawThreshold {
    warn: Option<Spanned<toml::Value>>,
    fail: Option<Spanned<toml::Value>>,
    #[serde(default)]
    allow_unpriced: bool,
}

/// Declares the settings a workspace may set and `[defaults]` may provide
/// once, for both tables. They are spelled out in each struct (not
/// `#[serde(flatten)]`) because flattening loses the spans that error messages
/// need for line numbers.
macro_rules! shared_settings {
    ($($field:ident: $ty:ty,)+) => {
        /// Settings a workspace may set and `[defaults]` may provide.
        #[derive(Debug, Default, Clone, Deserialize)]
        #[serde(deny_unknown_fields)]
        struct RawSettings {
            $($field: $ty,)+
            /// Only to point a misplaced per-file setting to the top of the file.
            concurrency: Option<Spanned<toml::Value>>,
        }

        #[derive(Debug, Deserialize)]
        #[serde(deny_unknown_fields)]
        struct RawWorkspace {
            name: Spanned<String>,
            dir: Option<Spanned<String>>,
            git: Option<Spanned<RawGit>>,
            #[serde(default)]
            vars: BTreeMap<Spanned<String>, String>,
            #[serde(default)]
            var_files: Vec<Spanned<String>>,
            terraform_workspace: Option<String>,
            $($field: $ty,)+
        }

        impl RawWorkspace {
            /// The workspace's own settings, to lay over `[defaults]`.
            #[allow(clippy::clone_on_copy)]
            fn settings(&self) -> RawSettings {
                RawSettings {
                    $($field: self.$field.clone(),)+
                    concurrency: None,
                }
            }
        }
    };
}

shared_settings! {
    tool: Option<Spanned<String>>,
    version: Option<Spanned<String>>,
    timeout: Option<Spanned<String>>,
    mode: Option<PlanMode>,
    schedule: Option<Spanned<String>>,
    timezone: Option<Spanned<String>>,
    jitter: Option<Spanned<String>>,
    ignore: Option<Vec<String>>,
    env: Option<Vec<Spanned<String>>>,
    usage_file: Option<Spanned<String>>,
    backend: Option<Spanned<toml::Table>>,
    disabled: Option<bool>,
    notify: Option<Vec<Spanned<String>>>,
    cost_threshold: Option<Spanned<RawThreshold>>,
    policies: Option<Vec<Spanned<String>>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGit {
    url: String,
    #[serde(rename = "ref")]
    reference: Option<String>,
    path: Option<String>,
}

/// Collects the problems of one file, each with its line.
pub(crate) struct Ctx<'a> {
    text: &'a str,
    path: &'a Path,
    pub(crate) errors: Vec<JobError>,
}

impl Ctx<'_> {
    fn line(&self, offset: usize) -> usize {
        line_of(self.text, offset)
    }

    pub(crate) fn invalid(&mut self, span: Range<usize>, field: &str, message: String) {
        let line = self.line(span.start);
        self.errors.push(JobError::Invalid {
            path: self.path.to_path_buf(),
            line,
            field: field.to_string(),
            message,
        });
    }
}

impl JobFile {
    pub fn load(path: &Path) -> Result<JobFile, JobError> {
        Self::load_all(path).map_err(|mut e| e.remove(0))
    }

    /// Like [`load`](Self::load), with every problem of the file.
    pub fn load_all(path: &Path) -> Result<JobFile, Vec<JobError>> {
        let text = std::fs::read_to_string(path).map_err(|source| {
            vec![JobError::Read {
                path: path.to_path_buf(),
                source,
            }]
        })?;
        Self::parse_all(&text, path)
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
    /// Returns the first problem; [`parse_all`](Self::parse_all) returns all.
    pub fn parse(text: &str, path: &Path) -> Result<JobFile, JobError> {
        Self::parse_all(text, path).map_err(|mut e| e.remove(0))
    }

    pub fn parse_all(text: &str, path: &Path) -> Result<JobFile, Vec<JobError>> {
        let (file, errors, _) = Self::parse_partial(text, path);
        if errors.is_empty() {
            Ok(file)
        } else {
            Err(errors)
        }
    }

    /// The valid part of the file, the problems with the rest (workspaces
    /// with a problem are left out), and every workspace name with its line.
    pub(crate) fn parse_partial(
        text: &str,
        path: &Path,
    ) -> (JobFile, Vec<JobError>, Vec<(String, usize)>) {
        let mut file = JobFile {
            path: path.to_path_buf(),
            concurrency: None,
            workspaces: Vec::new(),
            notify: BTreeMap::new(),
        };
        let raw: RawFile = match toml::from_str(text) {
            Ok(r) => r,
            Err(e) => {
                let err = JobError::Parse {
                    path: path.to_path_buf(),
                    line: e.span().map(|s| line_of(text, s.start)),
                    message: e.message().trim_end().to_string(),
                };
                return (file, vec![err], Vec::new());
            }
        };
        let mut ctx = Ctx {
            text,
            path,
            errors: Vec::new(),
        };
        let base = path.parent().map(Path::to_path_buf).unwrap_or_default();

        if let Some(c) = &raw.concurrency {
            match c.get_ref().as_integer() {
                Some(n) if n >= 1 => file.concurrency = usize::try_from(n).ok(),
                _ => ctx.invalid(
                    c.span(),
                    "concurrency",
                    format!(
                        "`{}` is not a run count; expected a whole number ≥ 1, e.g. concurrency = 4",
                        show(c.get_ref())
                    ),
                ),
            }
        }
        if let Some(c) = &raw.defaults.concurrency {
            ctx.invalid(
                c.span(),
                "defaults.concurrency",
                "concurrency is per job file: put `concurrency = N` at the top of the file, before [defaults]".into(),
            );
        }
        for (name, t) in &raw.notify {
            if let Some(target) = notify::parse_target(&mut ctx, name, t.span(), t.get_ref()) {
                file.notify.insert(name.clone(), target);
            }
        }
        // Settings in [defaults] are checked once, even with no workspace.
        let defaults_ok = ctx.errors.len();
        check_settings(&mut ctx, &raw.defaults, &raw.notify, "defaults.", &base);
        let defaults_ok = ctx.errors.len() == defaults_ok;

        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        let mut names = Vec::new();
        for w in raw.workspaces {
            let before = ctx.errors.len();
            let name = w.name.get_ref().trim().to_string();
            let line = ctx.line(w.name.span().start);
            if name.is_empty() {
                ctx.invalid(
                    w.name.span(),
                    "name",
                    "is empty; give the workspace a unique name".into(),
                );
            } else if let Some(problem) = validate::workspace_name_problem(&name) {
                ctx.invalid(w.name.span(), "name", problem);
            } else if let Some(first) = seen.insert(name.clone(), line) {
                seen.insert(name.clone(), first);
                ctx.invalid(
                    w.name.span(),
                    "name",
                    format!("`{name}` is already used at line {first}; names must be unique"),
                );
            } else {
                names.push((name.clone(), line));
            }
            for key in w.vars.keys() {
                let k = key.get_ref();
                if name_looks_secret(k) {
                    ctx.invalid(
                        key.span(),
                        &format!("vars.{k}"),
                        format!("looks like a secret, and job files hold no secrets; pass it through the environment instead: add \"TF_VAR_{k}\" to `env` and set TF_VAR_{k} in the worker's environment"),
                    );
                }
            }
            for f in &w.var_files {
                let p = base.join(f.get_ref());
                if !p.is_file() {
                    ctx.invalid(
                        f.span(),
                        "var_files",
                        format!(
                            "{} is not a file (paths are relative to the job file)",
                            p.display()
                        ),
                    );
                }
            }
            let own = w.settings();
            check_settings(&mut ctx, &own, &raw.notify, "", &base);
            let s = merge(&raw.defaults, &own);
            let mut dir = PathBuf::new();
            let mut git = None;
            match (&w.dir, &w.git) {
                (Some(d), None) => {
                    dir = base.join(d.get_ref());
                    if !dir.is_dir() {
                        ctx.invalid(
                            d.span(),
                            "dir",
                            format!(
                                "{} is not a directory (paths are relative to the job file)",
                                dir.display()
                            ),
                        );
                    }
                }
                (None, Some(g)) => git = check_git(&mut ctx, g),
                (Some(_), Some(g)) => ctx.invalid(
                    g.span(),
                    "git",
                    "set either `dir` or `git`, not both".into(),
                ),
                (None, None) => ctx.invalid(
                    w.name.span(),
                    "dir",
                    "missing; set `dir` (relative to this file) or `git = { url = \"…\", ref = \"main\", path = \"envs/prod\" }`".into(),
                ),
            }
            let workspace_ok = ctx.errors.len() == before;
            if !(workspace_ok && defaults_ok) {
                continue;
            }
            // Everything below was validated by check_settings.
            let tool = match &s.tool {
                None => Tool::default(),
                Some(t) => Tool {
                    binary: PathBuf::from(t.get_ref()),
                    version: None,
                },
            };
            let version = s
                .version
                .as_ref()
                .and_then(|v| semver::VersionReq::parse(v.get_ref()).ok());
            let tz = s
                .timezone
                .as_ref()
                .and_then(|t| parse_timezone(t.get_ref()).ok())
                .unwrap_or(Tz::UTC);
            file.workspaces.push(Workspace {
                name,
                dir,
                git,
                tool: Tool { version, ..tool },
                mode: s.mode.unwrap_or_default(),
                timeout: s
                    .timeout
                    .as_ref()
                    .and_then(|t| humantime::parse_duration(t.get_ref()).ok())
                    .unwrap_or(DEFAULT_TIMEOUT),
                schedule: s
                    .schedule
                    .as_ref()
                    .and_then(|e| Schedule::parse(e.get_ref(), tz).ok()),
                jitter: s
                    .jitter
                    .as_ref()
                    .and_then(|j| humantime::parse_duration(j.get_ref()).ok())
                    .unwrap_or_default(),
                vars: w
                    .vars
                    .into_iter()
                    .map(|(k, v)| (k.into_inner(), v))
                    .collect(),
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
                backend: s.backend.map(Spanned::into_inner),
                disabled: s.disabled.unwrap_or(false),
                notify: s
                    .notify
                    .into_iter()
                    .flatten()
                    .map(Spanned::into_inner)
                    .collect(),
                cost_threshold: s
                    .cost_threshold
                    .as_ref()
                    .and_then(|t| threshold(&mut ctx, t)),
                policies: s
                    .policies
                    .into_iter()
                    .flatten()
                    .map(|p| base.join(p.into_inner()))
                    .collect(),
                source: path.to_path_buf(),
                line,
            });
        }
        let mut errors = ctx.errors;
        errors.sort_by_key(JobError::line);
        (file, errors, names)
    }
}

/// Checks the settings one section sets (defaults or one workspace), so an
/// error is reported once, at the line that has it.
fn check_settings(
    ctx: &mut Ctx,
    s: &RawSettings,
    targets: &BTreeMap<String, Spanned<RawTarget>>,
    prefix: &str,
    base: &Path,
) {
    let field = |f: &str| format!("{prefix}{f}");
    if let Some(v) = &s.version
        && let Err(e) = semver::VersionReq::parse(v.get_ref())
    {
        ctx.invalid(
            v.span(),
            &field("version"),
            format!(
                "`{}` is not a version requirement ({e}); e.g. \"~1.11\" or \">=1.5, <2\"",
                v.get_ref()
            ),
        );
    }
    if let Some(t) = &s.timeout
        && let Err(e) = bounded_duration(t.get_ref(), MIN_TIMEOUT, MAX_TIMEOUT)
    {
        ctx.invalid(t.span(), &field("timeout"), e);
    }
    if let Some(t) = &s.jitter {
        match humantime::parse_duration(t.get_ref()) {
            Err(e) => ctx.invalid(
                t.span(),
                &field("jitter"),
                format!("`{}` is not a duration ({e}); e.g. \"15m\"", t.get_ref()),
            ),
            Ok(d) if d > MAX_JITTER => ctx.invalid(
                t.span(),
                &field("jitter"),
                format!(
                    "`{}` is longer than 31 days; jitter spreads runs within a schedule's period, e.g. \"10m\"",
                    t.get_ref()
                ),
            ),
            Ok(_) => {}
        }
    }
    if let Some(u) = &s.usage_file {
        let p = base.join(u.get_ref());
        if !p.is_file() {
            ctx.invalid(
                u.span(),
                &field("usage_file"),
                format!(
                    "{} is not a file (paths are relative to the job file)",
                    p.display()
                ),
            );
        }
    }
    let mut tz = Tz::UTC;
    if let Some(t) = &s.timezone {
        match parse_timezone(t.get_ref()) {
            Ok(z) => tz = z,
            Err(e) => ctx.invalid(t.span(), &field("timezone"), e.to_string()),
        }
    }
    if let Some(e) = &s.schedule {
        match Schedule::parse(e.get_ref(), tz) {
            Err(err) => ctx.invalid(e.span(), &field("schedule"), err.to_string()),
            // The worker would load it and never run it.
            Ok(sched) if sched.next_after(chrono::Utc::now()).is_none() => ctx.invalid(
                e.span(),
                &field("schedule"),
                format!(
                    "`{}` never fires (no such date from now on, e.g. February 30); check the day-of-month and month fields",
                    e.get_ref()
                ),
            ),
            Ok(_) => {}
        }
    }
    for e in s.env.iter().flatten() {
        let n = e.get_ref();
        if n.is_empty()
            || n.contains('=')
            || !n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            ctx.invalid(
                e.span(),
                &field("env"),
                format!("`{n}` is not an environment variable name; list names only, never values"),
            );
        } else if let Some(problem) = token_problem(n) {
            ctx.invalid(e.span(), &field("env"), problem);
        }
    }
    for n in s.notify.iter().flatten() {
        if !targets.contains_key(n.get_ref()) {
            let defined: Vec<&str> = targets.keys().map(String::as_str).collect();
            ctx.invalid(
                n.span(),
                &field("notify"),
                format!(
                    "no target named `{}` in this file; define it in a [notify.{}] section{}",
                    n.get_ref(),
                    n.get_ref(),
                    if defined.is_empty() {
                        String::new()
                    } else {
                        format!(" (defined: {})", defined.join(", "))
                    }
                ),
            );
        }
    }
    if let Some(b) = &s.backend {
        let checked = b
            .get_ref()
            .clone()
            .try_into::<BackendConfig>()
            .map_err(|e| e.message().to_string())
            .and_then(|c| c.validate().map_err(|e| e.to_string()));
        if let Err(message) = checked {
            ctx.invalid(
                b.span(),
                &field("backend"),
                format!("{message}; expected kind = \"local\" | \"s3\" | \"gcs\" | \"azurerm\" with terraform's backend settings, credentials from the environment"),
            );
        }
    }
    for p in s.policies.iter().flatten() {
        if let Some(problem) = policy_folder_problem(&base.join(p.get_ref())) {
            ctx.invalid(p.span(), &field("policies"), problem);
        }
    }
    if let Some(t) = &s.cost_threshold {
        let before = ctx.errors.len();
        let _ = threshold(ctx, t);
        // Rename the fields to where they were written.
        for e in &mut ctx.errors[before..] {
            if let JobError::Invalid { field: f, .. } = e {
                *f = format!("{prefix}{f}");
            }
        }
    }
}

/// Why a `policies` entry cannot be used: not a folder, or a folder whose
/// policies do not load (the policy error names the `.rego` file, line and
/// column). The worker loads the same folders, so what passes here runs.
fn policy_folder_problem(dir: &Path) -> Option<String> {
    if !dir.is_dir() {
        return Some(format!(
            "{} is not a folder (paths are relative to the job file); give a folder of .rego files",
            dir.display()
        ));
    }
    crate::policy::PolicySet::load(dir)
        .err()
        .map(|e| e.to_string())
}

fn threshold(ctx: &mut Ctx, t: &Spanned<RawThreshold>) -> Option<CostThreshold> {
    let before = ctx.errors.len();
    let amount = |ctx: &mut Ctx, which: &str, v: &Option<Spanned<toml::Value>>| {
        let v = v.as_ref()?;
        let field = format!("cost_threshold.{which}");
        let parsed = match v.get_ref() {
            toml::Value::String(s) => Decimal::from_str(s.trim()).map_err(|_| {
                format!("`{s}` is not an amount; expected monthly USD like \"100\" or \"99.50\"")
            }),
            toml::Value::Integer(i) => Ok(Decimal::from(*i)),
            toml::Value::Float(f) => Err(format!(
                "write {f} as a string (\"{f}\") so the amount is exact"
            )),
            other => Err(format!(
                "`{}` is not an amount; expected monthly USD like \"100\"",
                show(other)
            )),
        };
        match parsed {
            Ok(d) if d.is_sign_negative() => {
                ctx.invalid(
                    v.span(),
                    &field,
                    format!("`{d}` is negative; thresholds are monthly cost increases in USD, ≥ 0"),
                );
                None
            }
            Ok(d) => Some(d),
            Err(m) => {
                ctx.invalid(v.span(), &field, m);
                None
            }
        }
    };
    let warn = amount(ctx, "warn", &t.get_ref().warn);
    let fail = amount(ctx, "fail", &t.get_ref().fail);
    if let (Some(w), Some(f)) = (warn, fail)
        && w > f
    {
        ctx.invalid(
            t.span(),
            "cost_threshold",
            format!("warn ({w}) is above fail ({f}); warn should be the lower level"),
        );
    }
    (ctx.errors.len() == before).then_some(CostThreshold {
        warn,
        fail,
        allow_unpriced: t.get_ref().allow_unpriced,
    })
}

/// A git source: a URL without credentials, a ref and a relative path inside
/// the repo, none of which git could read as an option.
fn check_git(ctx: &mut Ctx<'_>, g: &Spanned<RawGit>) -> Option<GitSource> {
    let raw = g.get_ref();
    let url = raw.url.trim();
    if url.is_empty() {
        ctx.invalid(
            g.span(),
            "git.url",
            "is empty; give the repository's clone URL".into(),
        );
        return None;
    }
    let before = ctx.errors.len();
    if let Some(problem) = validate::git_url_problem(url) {
        ctx.invalid(g.span(), "git.url", problem);
    }
    let reference = raw.reference.clone().filter(|r| !r.trim().is_empty());
    if let Some(problem) = reference.as_deref().and_then(validate::git_ref_problem) {
        ctx.invalid(g.span(), "git.ref", problem);
    }
    let path_text = raw.path.as_deref().unwrap_or("");
    let path = PathBuf::from(path_text);
    if path.is_absolute()
        || path_text.starts_with('-')
        || path
            .components()
            .any(|c| matches!(c, std::path::Component::ParentDir))
    {
        ctx.invalid(
            g.span(),
            "git.path",
            format!(
                "`{}` must be a relative path inside the repository, without `..` and not starting with `-`",
                path.display()
            ),
        );
    }
    (ctx.errors.len() == before).then(|| GitSource {
        url: url.to_string(),
        reference,
        path,
    })
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
        timezone: w.timezone.or(d.timezone),
        jitter: w.jitter.or(d.jitter),
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
        notify: w.notify.or(d.notify),
        cost_threshold: w.cost_threshold.or(d.cost_threshold),
        policies: w.policies.or(d.policies),
        concurrency: None,
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
    use crate::jobs::{load_dir, redact_url};
    use crate::notify::{SmtpSecurity, Target};
    use std::time::Duration;

    fn parse(text: &str) -> Result<JobFile, JobError> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("ws/a")).unwrap();
        let path = dir.path().join("jobs.toml");
        JobFile::parse(text, &path)
    }

    #[test]
    fn git_sources_are_checked_at_load() {
        let f = parse("[[workspace]]\nname = \"a\"\ngit = { url = \"https://github.com/org/infra.git\", ref = \"v1.2\", path = \"envs/prod\" }\n").unwrap();
        let git = f.workspaces[0].git.clone().unwrap();
        assert_eq!(git.reference.as_deref(), Some("v1.2"));
        assert_eq!(git.path, PathBuf::from("envs/prod"));

        let e = parse("[[workspace]]\nname = \"a\"\ngit = { url = \"https://bot:hunter2@github.com/org/infra.git\" }\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("line 3: git.url: ") && e.contains("password"),
            "{e}"
        );
        assert!(!e.contains("hunter2"), "{e}");
        let e = parse(
            "[[workspace]]\nname = \"a\"\ngit = { url = \"https://h/r.git\", path = \"../x\" }\n",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("git.path"), "{e}");
        let e = parse(
            "[[workspace]]\nname = \"a\"\ndir = \"ws/a\"\ngit = { url = \"https://h/r.git\" }\n",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("either `dir` or `git`"), "{e}");
        let e = parse("[[workspace]]\nname = \"a\"\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("line 2: dir: missing"), "{e}");
        let e = parse(
            "[[workspace]]\nname = \"a\"\ngit = { url = \"https://h/r.git\", branch = \"x\" }\n",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("branch"), "{e}");
        assert_eq!(
            redact_url("https://x-access-token:abc@github.com/o/r.git"),
            "https://github.com/o/r.git"
        );
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
    fn errors(text: &str) -> Vec<String> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("ws/a")).unwrap();
        JobFile::parse_all(text, &dir.path().join("jobs.toml"))
            .unwrap_err()
            .iter()
            .map(|e| e.compact().rsplit_once("jobs.toml").unwrap().1.to_string())
            .collect()
    }

    const TARGETS: &str = r#"
[notify.platform-email]
kind = "email"
to = ["platform@example.com", "oncall@example.com"]
from = "driftcost <driftcost@example.com>"
smtp_host = "smtp.example.com"
tls = "implicit"
username_env = "SMTP_USERNAME"
password_env = "SMTP_PASSWORD"
reminder = "24h"

[notify.slack-infra]
kind = "slack"
url_env = "SLACK_INFRA_WEBHOOK_URL"

[notify.hook]
kind = "webhook"
url_env = "DRIFT_HOOK_URL"
secret_env = "DRIFT_HOOK_SECRET"

[notify.issues]
kind = "github_issue"
repo = "acme/infra"
token_env = "GITHUB_TOKEN"
labels = ["drift"]
base_url = "https://github.example.com/api/v3"
"#;

    #[test]
    fn schedule_notify_threshold_and_concurrency() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("ws/a")).unwrap();
        let text = format!(
            "concurrency = 3\n[defaults]\nschedule = \"0 6 * * 1-5\"\ntimezone = \"Europe/Berlin\"\njitter = \"10m\"\nnotify = [\"platform-email\"]\ncost_threshold = {{ warn = \"100\", fail = \"500.50\" }}\n\n[[workspace]]\nname = \"a\"\ndir = \"ws/a\"\n\n[[workspace]]\nname = \"b\"\ndir = \"ws/a\"\nschedule = \"@hourly\"\ntimezone = \"UTC\"\nnotify = [\"slack-infra\", \"issues\"]\ncost_threshold = {{ fail = 20 }}\n{TARGETS}"
        );
        let f = JobFile::parse(&text, &dir.path().join("jobs.toml")).unwrap();
        assert_eq!(f.concurrency, Some(3));
        let a = f.workspace("a").unwrap();
        let sched = a.schedule.as_ref().unwrap();
        assert_eq!(sched.to_string(), "0 6 * * 1-5 (Europe/Berlin)");
        assert_eq!(a.jitter, Duration::from_secs(600));
        assert!(a.jitter_offset() < a.jitter);
        assert_eq!(a.notify, ["platform-email"]);
        assert_eq!(
            a.cost_threshold,
            Some(CostThreshold {
                warn: Some(Decimal::from(100)),
                fail: Some(Decimal::from_str("500.50").unwrap()),
                allow_unpriced: false,
            })
        );
        assert_eq!(a.line, 10);
        let b = f.workspace("b").unwrap();
        assert_eq!(b.schedule.as_ref().unwrap().to_string(), "@hourly");
        assert_eq!(b.notify, ["slack-infra", "issues"]);
        assert_eq!(b.cost_threshold.unwrap().fail, Some(Decimal::from(20)));
        assert_eq!(b.cost_threshold.unwrap().warn, None);
        assert_eq!(f.notify.len(), 4);
        match &f.notify["platform-email"].target {
            Target::Email(e) => {
                assert_eq!(e.to, ["platform@example.com", "oncall@example.com"]);
                assert_eq!(e.security, SmtpSecurity::Tls);
                assert_eq!(e.port(), 465);
                assert_eq!(e.password_env.as_deref(), Some("SMTP_PASSWORD"));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            f.notify["platform-email"].reminder,
            Some(Duration::from_secs(86400))
        );
        match &f.notify["hook"].target {
            Target::Webhook(w) => {
                assert_eq!(w.url_env, "DRIFT_HOOK_URL");
                assert_eq!(w.secret_env, "DRIFT_HOOK_SECRET");
            }
            other => panic!("{other:?}"),
        }
        match &f.notify["issues"].target {
            Target::GithubIssue(g) => {
                assert_eq!(g.repo, "acme/infra");
                assert_eq!(g.labels, ["drift"]);
                assert_eq!(
                    g.api_url.as_deref(),
                    Some("https://github.example.com/api/v3")
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn schedule_and_timezone_errors_name_line_and_field() {
        assert_eq!(
            errors("[[workspace]]\nname = \"a\"\ndir = \"ws/a\"\nschedule = \"*/5 * * *\"\n"),
            [
                ":4: schedule: `*/5 * * *` has 4 fields; expected 5 fields (min hour dom mon dow), 6/7 fields (sec min hour dom mon dow [year]), @hourly, @daily, @midnight, @weekly, @monthly, @yearly, @annually or @every <duration>"
            ]
        );
        assert_eq!(
            errors("[defaults]\ntimezone = \"Mars/Olympus\"\n"),
            [
                ":2: defaults.timezone: `Mars/Olympus` is not an IANA time zone; use a name like \"Europe/Berlin\", \"America/New_York\" or \"UTC\""
            ]
        );
        let e = errors(
            "[[workspace]]\nname = \"a\"\ndir = \"ws/a\"\nschedule = \"0 24 * * *\"\njitter = \"a bit\"\n[[workspace]]\nname = \"b\"\ndir = \"ws/a\"\njitter = \"40days\"\n",
        );
        assert_eq!(
            e[0],
            ":4: schedule: `0 24 * * *`: hour field `24` is invalid; expected 0–23, `*`, a list (1,5), a range (1-5) or a step (*/15)"
        );
        assert!(
            e[1].starts_with(":5: jitter: `a bit` is not a duration"),
            "{e:?}"
        );
        assert!(
            e[2].starts_with(":9: jitter: `40days` is longer than 31 days"),
            "{e:?}"
        );
    }

    #[test]
    fn policies_resolve_against_the_file_and_a_workspace_list_replaces_the_defaults() {
        let dir = tempfile::tempdir().unwrap();
        for (folder, package) in [
            ("policies/cost", "cost.cap"),
            ("policies/drift", "drift.db"),
        ] {
            let d = dir.path().join(folder);
            std::fs::create_dir_all(&d).unwrap();
            std::fs::write(
                d.join("p.rego"),
                format!("package {package}\nimport rego.v1\ndeny contains \"x\" if false\n"),
            )
            .unwrap();
        }
        std::fs::create_dir_all(dir.path().join("ws/a")).unwrap();
        let text = "[defaults]\npolicies = [\"policies/cost\", \"policies/drift\"]\n\n[[workspace]]\nname = \"a\"\ndir = \"ws/a\"\n\n[[workspace]]\nname = \"b\"\ndir = \"ws/a\"\npolicies = [\"policies/drift\"]\n\n[[workspace]]\nname = \"c\"\ndir = \"ws/a\"\npolicies = []\n";
        let f = JobFile::parse(text, &dir.path().join("jobs.toml")).unwrap();
        let a = f.workspace("a").unwrap();
        assert_eq!(
            a.policies,
            [
                dir.path().join("policies/cost"),
                dir.path().join("policies/drift")
            ]
        );
        assert_eq!(
            f.workspace("b").unwrap().policies,
            [dir.path().join("policies/drift")]
        );
        assert!(f.workspace("c").unwrap().policies.is_empty());
    }

    #[test]
    fn policy_folders_must_exist_and_load_with_the_rego_location_named() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("ws/a")).unwrap();
        let bad = dir.path().join("policies/bad");
        std::fs::create_dir_all(&bad).unwrap();
        std::fs::write(
            bad.join("broken.rego"),
            "package bad\nimport rego.v1\n\ndeny contains msg if {\n  msg := \n}\n",
        )
        .unwrap();
        let text = "[defaults]\npolicies = [\"policies/missing\"]\n\n[[workspace]]\nname = \"a\"\ndir = \"ws/a\"\npolicies = [\"policies/bad\"]\n";
        let errors: Vec<String> = JobFile::parse_all(text, &dir.path().join("jobs.toml"))
            .unwrap_err()
            .iter()
            .map(JobError::compact)
            .collect();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(
            errors[0].contains("jobs.toml:2: defaults.policies: ")
                && errors[0].contains("policies/missing is not a folder"),
            "{errors:?}"
        );
        assert!(
            errors[1].contains("jobs.toml:7: policies: ") && errors[1].contains("broken.rego:5:"),
            "{errors:?}"
        );
    }

    #[test]
    fn every_problem_is_reported() {
        let e = errors(
            "concurrency = 0\n[[workspace]]\nname = \"a\"\ndir = \"nope\"\ntimeout = \"soon\"\nnotify = [\"pager\"]\n[[workspace]]\nname = \"b\"\ndir = \"ws/a\"\ncost_threshold = { warn = 1.5, fail = \"-3\" }\n[[workspace]]\nname = \"c\"\ndir = \"ws/a\"\ncost_threshold = { warn = \"9\", fail = \"5\" }\n",
        );
        assert_eq!(e.len(), 7, "{e:#?}");
        assert_eq!(
            e[0],
            ":1: concurrency: `0` is not a run count; expected a whole number ≥ 1, e.g. concurrency = 4"
        );
        assert!(
            e[1].starts_with(":4: dir: ")
                && e[1].ends_with("nope is not a directory (paths are relative to the job file)"),
            "{e:#?}"
        );
        assert!(
            e[2].starts_with(":5: timeout: `soon` is not a duration"),
            "{e:#?}"
        );
        assert_eq!(
            e[3],
            ":6: notify: no target named `pager` in this file; define it in a [notify.pager] section"
        );
        assert_eq!(
            e[4],
            ":10: cost_threshold.warn: write 1.5 as a string (\"1.5\") so the amount is exact"
        );
        assert_eq!(
            e[5],
            ":10: cost_threshold.fail: `-3` is negative; thresholds are monthly cost increases in USD, ≥ 0"
        );
        assert_eq!(
            e[6],
            ":14: cost_threshold: warn (9) is above fail (5); warn should be the lower level"
        );
    }

    #[test]
    fn notify_targets_are_validated() {
        let e = errors(
            "[notify.mail]\nkind = \"email\"\nto = \"ops@example.com\"\nfrom = \"d@example.com\"\nsmtp_host = \"smtp\"\npassword = \"hunter2\"\ntls = \"ssl\"\n\n[notify.chat]\nkind = \"slack\"\nurl = \"https://hooks.slack.com/services/T0/B0/XYZ\"\n\n[notify.hook]\nkind = \"webhook\"\nurl_env = \"https://example.com/hook\"\nsecret = \"abc\"\ncolour = \"red\"\n\n[notify.pager]\nkind = \"pagerduty\"\n\n[notify.gh]\nkind = \"github_issue\"\nrepo = \"infra\"\ntoken = \"ghp_x\"\n",
        );
        let want = [
            ":6: notify.mail.password: this would put a secret in the job file; put the value in an environment variable and name the variable instead: `password_env = \"SMTP_PASSWORD\"`",
            ":7: notify.mail.tls: `ssl` is not a TLS mode; expected \"starttls\" (port 587), \"implicit\" (port 465) or \"none\"",
            ":11: notify.chat.url: a webhook URL is a secret (anyone holding it can post); put the value in an environment variable and name the variable instead: `url_env = \"SLACK_WEBHOOK_URL\"`",
            ":9: notify.chat.url_env: missing; kind \"slack\" needs `url_env`",
            ":17: notify.hook.colour: unknown field for kind \"webhook\"; expected one of: kind, reminder, url_env, secret_env",
            ":16: notify.hook.secret: this would put a secret in the job file; put the value in an environment variable and name the variable instead: `secret_env = \"DRIFT_WEBHOOK_SECRET\"`",
            ":15: notify.hook.url_env: `https://example.com/hook` is not an environment variable name; give the variable's name (e.g. \"SMTP_PASSWORD\"), never its value",
            ":13: notify.hook.secret_env: missing; webhooks are always signed (HMAC-SHA256): set secret_env to the name of the variable holding the key, e.g. secret_env = \"DRIFT_WEBHOOK_SECRET\"",
            ":20: notify.pager.kind: `pagerduty` is not a notification kind; expected \"email\", \"slack\", \"webhook\" or \"github_issue\"",
            ":25: notify.gh.token: this would put a secret in the job file; put the value in an environment variable and name the variable instead: `token_env = \"GITHUB_TOKEN\"`",
            ":22: notify.gh.token_env: missing; kind \"github_issue\" needs `token_env`",
            ":24: notify.gh.repo: `infra` is not a repository; expected \"owner/name\"",
        ];
        for w in want {
            assert!(e.iter().any(|g| g == w), "missing {w}\ngot {e:#?}");
        }
        assert_eq!(e.len(), want.len(), "{e:#?}");
    }

    #[test]
    fn backend_settings_are_checked_at_load() {
        let e = errors(
            "[[workspace]]\nname = \"a\"\ndir = \"ws/a\"\nbackend = { kind = \"s3\", bucket = \"b\", key = \"k\", region = \"eu-west-1\", secret_key = \"abc\" }\n",
        );
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(e[0].starts_with(":4: backend: "), "{e:?}");
        assert!(e[0].contains("secret_key"), "{e:?}");
    }

    #[test]
    fn concurrency_in_defaults_points_to_the_top() {
        let e = errors("[defaults]\nconcurrency = 2\n");
        assert_eq!(
            e,
            [
                ":2: defaults.concurrency: concurrency is per job file: put `concurrency = N` at the top of the file, before [defaults]"
            ]
        );
    }

    #[test]
    fn load_dir_reports_all_files_and_cross_file_duplicates() {
        let dir = tempfile::tempdir().unwrap();
        let jobs = dir.path().join("jobs");
        std::fs::create_dir_all(&jobs).unwrap();
        std::fs::create_dir_all(dir.path().join("ws")).unwrap();
        std::fs::write(
            jobs.join("a.toml"),
            "[[workspace]]\nname = \"net\"\ndir = \"../ws\"\n",
        )
        .unwrap();
        std::fs::write(
            jobs.join("b.toml"),
            "# comment\n[[workspace]]\nname = \"app\"\ndir = \"../ws\"\n\n[[workspace]]\nname = \"net\"\ndir = \"../ws\"\n",
        )
        .unwrap();
        std::fs::write(jobs.join("c.toml"), "[defaults]\nschedule = \"@often\"\n").unwrap();
        std::fs::write(jobs.join("notes.md"), "not a job file").unwrap();
        let errs: Vec<String> = load_dir(&jobs)
            .unwrap_err()
            .iter()
            .map(JobError::compact)
            .collect();
        assert_eq!(errs.len(), 2, "{errs:#?}");
        assert_eq!(
            errs[0],
            format!(
                "{}:7: name: workspace `net` is already defined in {} line 2; names must be unique across all job files",
                jobs.join("b.toml").display(),
                jobs.join("a.toml").display()
            )
        );
        assert!(
            errs[1].starts_with(&format!(
                "{}:2: defaults.schedule: `@often` is not a known shorthand",
                jobs.join("c.toml").display()
            )),
            "{errs:?}"
        );

        std::fs::remove_file(jobs.join("c.toml")).unwrap();
        std::fs::write(
            jobs.join("b.toml"),
            "[[workspace]]\nname = \"app\"\ndir = \"../ws\"\n",
        )
        .unwrap();
        let files = load_dir(&jobs).unwrap();
        let names: Vec<&str> = files
            .iter()
            .flat_map(|f| f.workspaces.iter().map(|w| w.name.as_str()))
            .collect();
        assert_eq!(names, ["net", "app"]);
        assert!(load_dir(&dir.path().join("missing")).is_err());
    }
}
