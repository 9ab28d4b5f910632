//! What can be wrong with a job file: each problem names the file, the line
//! and the field, and says what to write instead.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum JobError {
    #[error("cannot read job file {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}{}: {message}", path.display(), line.map(|l| format!(" line {l}")).unwrap_or_default())]
    Parse {
        path: PathBuf,
        line: Option<usize>,
        message: String,
    },
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

impl JobError {
    /// The line the problem is on, when known.
    pub fn line(&self) -> Option<usize> {
        match self {
            JobError::Parse { line, .. } => *line,
            JobError::Invalid { line, .. } => Some(*line),
            _ => None,
        }
    }

    /// One line in compiler style, `file:line: field: message`, for `jobs check`.
    pub fn compact(&self) -> String {
        match self {
            JobError::Read { path, source } => format!("{}: cannot read: {source}", path.display()),
            JobError::Parse {
                path,
                line: Some(l),
                message,
            } => format!("{}:{l}: {message}", path.display()),
            JobError::Parse {
                path,
                line: None,
                message,
            } => format!("{}: {message}", path.display()),
            JobError::Invalid {
                path,
                line,
                field,
                message,
            } => format!("{}:{line}: {field}: {message}", path.display()),
            e @ JobError::UnknownWorkspace { .. } => e.to_string(),
        }
    }
}
