//! Policy errors: each names the folder or file (with line and column when
//! regorus gives them) and says what to do.

use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    #[error("policy folder {dir}: {reason}; give a folder of .rego files")]
    Folder { dir: PathBuf, reason: String },
    #[error("policy folder {dir} holds no .rego file; give the folder your policies are in")]
    Empty { dir: PathBuf },
    #[error("cannot read {file}: {reason}")]
    Read { file: PathBuf, reason: String },
    #[error("{location}: {message}; fix the policy{snippet}")]
    Syntax {
        location: String,
        message: String,
        snippet: String,
    },
    #[error("{file}: {message}; data files hold one JSON (data.json) or YAML (data.yaml) object")]
    Data { file: PathBuf, message: String },
    #[error(
        "--namespace {namespace}: no package of {dir} is called that or starts with it; packages there: {known}"
    )]
    UnknownNamespace {
        namespace: String,
        dir: PathBuf,
        known: String,
    },
    #[error(
        "policy {package} (rule {rule}) at {location}: {message}; fix the policy (a runtime error is not a pass){snippet}"
    )]
    Runtime {
        package: String,
        rule: String,
        location: String,
        message: String,
        snippet: String,
    },
    #[error(
        "policy {package} (rule {rule}) was stopped after {limit:?}: it did not finish within its time limit; look for a loop or a very large comprehension (in {files})"
    )]
    Timeout {
        package: String,
        rule: String,
        limit: Duration,
        files: String,
    },
    #[error(
        "policy {package} (rule {rule}) gave a {found}; a deny/violation/warn rule holds a set of messages (strings or objects with \"msg\")"
    )]
    Shape {
        package: String,
        rule: String,
        found: String,
    },
    #[error("the {what} input is not valid JSON for a policy: {message}")]
    Input { what: &'static str, message: String },
}

/// A regorus error's text split into `file:line:col`, the message and the
/// source excerpt regorus draws (`--> f.rego:3:7` then `| code` and `| ^`).
pub(crate) fn locate(text: &str, fallback: &str) -> (String, String, String) {
    let mut location = None;
    let mut message = None;
    let mut snippet = String::new();
    for line in text.lines() {
        if let Some(loc) = line.trim_start().strip_prefix("--> ") {
            location.get_or_insert_with(|| loc.trim().to_string());
        } else if let Some(m) = line.strip_prefix("error: ") {
            message.get_or_insert_with(|| m.trim().to_string());
        } else if line.contains('|') && location.is_some() && message.is_none() {
            snippet.push('\n');
            snippet.push_str(line);
        }
    }
    let message = message.unwrap_or_else(|| {
        text.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    });
    (
        location.unwrap_or_else(|| fallback.to_string()),
        message,
        snippet.trim_end().to_string(),
    )
}
