//! Reading a plan file, with errors that say what the file is and what to pass instead.

use super::Plan;
use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// Why a plan file could not be used. Each message names the file and the fix.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    #[error("cannot read plan file {}: {source}; pass the JSON written by `terraform show -json <planfile>`", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{} is a binary terraform plan, not JSON: convert it with `terraform show -json {} > plan.json` and pass plan.json", path.display(), path.display())]
    BinaryPlan { path: PathBuf },
    #[error("{} is empty: write it with `terraform show -json <planfile> > {}`", path.display(), path.display())]
    Empty { path: PathBuf },
    #[error("{} is not JSON (line {line}, column {column}: {message}); pass the output of `terraform show -json <planfile>`", path.display())]
    NotJson {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{} ends early at line {line}, column {column}: the file is truncated; write it again with `terraform show -json <planfile>`", path.display())]
    Truncated {
        path: PathBuf,
        line: usize,
        column: usize,
    },
    #[error("{} is a terraform state file (state version {version}), not a plan: run `terraform plan -out=plan.out` and pass the output of `terraform show -json plan.out`", path.display())]
    StateFile { path: PathBuf, version: String },
    #[error("{} holds state values, not a plan (`terraform show -json` was run without a plan file): pass `terraform show -json <planfile>`", path.display())]
    StateJson { path: PathBuf },
    #[error("{} has plan format_version \"{found}\", but driftcost reads format 1.x (terraform 0.12 and later, OpenTofu): plan with a supported terraform or upgrade driftcost", path.display())]
    UnsupportedFormat { path: PathBuf, found: String },
    #[error("{} is not a terraform plan: {message} (line {line}, column {column}); pass the output of `terraform show -json <planfile>`", path.display())]
    Invalid {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
}

/// Reads and parses a plan file.
pub fn load_plan(path: &Path) -> Result<Plan, PlanError> {
    let bytes = std::fs::read(path).map_err(|source| PlanError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    parse_plan(&bytes, path)
}

/// Parses plan JSON already in memory; `path` only labels errors.
pub fn parse_plan(bytes: &[u8], path: &Path) -> Result<Plan, PlanError> {
    let path_buf = || path.to_path_buf();
    if bytes.starts_with(b"PK\x03\x04") {
        return Err(PlanError::BinaryPlan { path: path_buf() });
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(PlanError::Empty { path: path_buf() });
    }
    let plan: Plan = match serde_json::from_slice(bytes) {
        Ok(plan) => plan,
        Err(e) => return Err(diagnose(bytes, path, e)),
    };
    check_format(&plan.format_version, path)?;
    if plan.resource_changes.is_empty()
        && plan.planned_values.is_none()
        && plan.configuration.is_none()
        && has_key(bytes, "values")
    {
        return Err(PlanError::StateJson { path: path_buf() });
    }
    Ok(plan)
}

fn check_format(version: &str, path: &Path) -> Result<(), PlanError> {
    if version.split('.').next() == Some("1") {
        Ok(())
    } else {
        Err(PlanError::UnsupportedFormat {
            path: path.to_path_buf(),
            found: version.to_string(),
        })
    }
}

/// Top-level keys we look at to tell a state file from a plan.
#[derive(Deserialize)]
struct Probe {
    #[serde(default)]
    format_version: Option<Value>,
    #[serde(default)]
    version: Option<Value>,
    #[serde(default)]
    lineage: Option<IgnoredAny>,
    #[serde(default)]
    values: Option<IgnoredAny>,
}

fn has_key(bytes: &[u8], key: &str) -> bool {
    serde_json::from_slice::<serde_json::Map<String, Value>>(bytes)
        .map(|m| m.contains_key(key))
        .unwrap_or(false)
}

fn diagnose(bytes: &[u8], path: &Path, err: serde_json::Error) -> PlanError {
    use serde_json::error::Category;
    let path_buf = path.to_path_buf();
    match err.classify() {
        Category::Eof => {
            return PlanError::Truncated {
                path: path_buf,
                line: err.line(),
                column: err.column(),
            };
        }
        Category::Syntax | Category::Io => {
            return PlanError::NotJson {
                path: path_buf,
                line: err.line(),
                column: err.column(),
                message: strip_position(&err.to_string()),
            };
        }
        Category::Data => {}
    }
    if let Ok(probe) = serde_json::from_slice::<Probe>(bytes) {
        if probe.format_version.is_none() && probe.lineage.is_some() {
            return PlanError::StateFile {
                path: path_buf,
                version: probe
                    .version
                    .map(|v| v.to_string())
                    .unwrap_or_else(|| "?".into()),
            };
        }
        if let Some(Value::String(v)) = &probe.format_version {
            if let Err(e) = check_format(v, path) {
                return e;
            }
        }
        if probe.format_version.is_some() && probe.values.is_some() {
            return PlanError::StateJson { path: path_buf };
        }
    }
    PlanError::Invalid {
        path: path_buf,
        line: err.line(),
        column: err.column(),
        message: strip_position(&err.to_string()),
    }
}

fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(pos) => msg[..pos].to_string(),
        None => msg.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(json: &str) -> String {
        parse_plan(json.as_bytes(), Path::new("p.json"))
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn names_each_kind_of_bad_input() {
        assert!(err("").contains("p.json is empty"));
        assert!(err("not json").contains("p.json is not JSON (line 1"));
        assert!(err(r#"{"format_version": "1.2", "resource_changes": ["#).contains("truncated"));
        assert!(
            err(r#"{"version": 4, "serial": 3, "lineage": "x", "resources": []}"#)
                .contains("state file (state version 4)")
        );
        assert!(
            err(r#"{"format_version": "1.0", "values": {"root_module": {}}}"#)
                .contains("holds state values")
        );
        assert!(
            err(r#"{"format_version": "2.0", "resource_changes": []}"#)
                .contains("format_version \"2.0\"")
        );
        assert!(
            err(r#"{"format_version": "1.2", "resource_changes": 7}"#)
                .contains("is not a terraform plan")
        );
        assert!(err("PK\u{3}\u{4}rest").contains("binary terraform plan"));
    }

    #[test]
    fn missing_file_names_path() {
        let e = load_plan(Path::new("/nonexistent/plan.json"))
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("cannot read plan file /nonexistent/plan.json"),
            "{e}"
        );
    }
}
