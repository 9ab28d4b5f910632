//! A whole `jobs/` directory: every `*.toml` file, checked together.

use super::{JobError, JobFile};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Loads every `*.toml` in `dir` (sorted by name, not recursive). Reports
/// every problem of every file, plus workspace names used in two files (the
/// run store and the API know a workspace by name alone).
pub fn load_dir(dir: &Path) -> Result<Vec<JobFile>, Vec<JobError>> {
    let read_err = |source| {
        vec![JobError::Read {
            path: dir.to_path_buf(),
            source,
        }]
    };
    let mut paths: Vec<PathBuf> = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(read_err)? {
        let path = entry.map_err(read_err)?.path();
        if path.extension().is_some_and(|e| e == "toml") && path.is_file() {
            paths.push(path);
        }
    }
    paths.sort();

    let mut files = Vec::new();
    let mut errors = Vec::new();
    let mut first_use: BTreeMap<String, (PathBuf, usize)> = BTreeMap::new();
    for path in paths {
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(source) => {
                errors.push(JobError::Read { path, source });
                continue;
            }
        };
        let (file, file_errors, names) = JobFile::parse_partial(&text, &path);
        let file_ok = file_errors.is_empty();
        errors.extend(file_errors);
        // Duplicates are checked on every named workspace, valid or not, so
        // fixing one problem does not reveal another.
        for (name, line) in names {
            match first_use.get(&name) {
                Some((first_path, first_line)) => errors.push(JobError::Invalid {
                    path: path.clone(),
                    line,
                    field: "name".into(),
                    message: format!(
                        "workspace `{name}` is already defined in {} line {first_line}; names must be unique across all job files",
                        first_path.display()
                    ),
                }),
                None => {
                    first_use.insert(name, (path.clone(), line));
                }
            }
        }
        if file_ok {
            files.push(file);
        }
    }
    if errors.is_empty() {
        Ok(files)
    } else {
        Err(errors)
    }
}
