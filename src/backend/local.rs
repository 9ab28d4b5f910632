//! The `local` backend: state in a file next to the configuration, terraform's default.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::{BackendError, DEFAULT_WORKSPACE, RecordedState};

const BACKEND: &str = "local";

/// Terraform's `backend "local"` block. Relative paths are relative to the workspace
/// directory (see [`super::BackendConfig::relative_to`]).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct LocalConfig {
    /// The default workspace's state file (terraform's default `terraform.tfstate`).
    #[serde(default = "default_path")]
    pub path: PathBuf,
    /// Where non-default workspaces keep `<name>/terraform.tfstate`.
    #[serde(default = "default_workspace_dir")]
    pub workspace_dir: PathBuf,
}

fn default_path() -> PathBuf {
    PathBuf::from("terraform.tfstate")
}

fn default_workspace_dir() -> PathBuf {
    PathBuf::from("terraform.tfstate.d")
}

impl Default for LocalConfig {
    fn default() -> Self {
        LocalConfig {
            path: default_path(),
            workspace_dir: default_workspace_dir(),
        }
    }
}

impl LocalConfig {
    /// Resolves relative paths against the workspace directory, once: the
    /// result is absolute (against the current directory when `dir` is
    /// relative), so resolving it again changes nothing.
    pub(crate) fn relative_to(self, dir: &Path) -> LocalConfig {
        let resolve = |p: PathBuf| {
            let joined = dir.join(p);
            std::path::absolute(&joined).unwrap_or(joined)
        };
        LocalConfig {
            path: resolve(self.path),
            workspace_dir: resolve(self.workspace_dir),
        }
    }

    pub(crate) fn validate(&self) -> Result<(), BackendError> {
        super::require(BACKEND, "path", &self.path.to_string_lossy())
    }

    /// Terraform keeps non-default workspaces at `<workspace_dir>/<name>/terraform.tfstate`.
    pub fn state_path(&self, workspace: &str) -> PathBuf {
        if workspace == DEFAULT_WORKSPACE {
            self.path.clone()
        } else {
            self.workspace_dir.join(workspace).join("terraform.tfstate")
        }
    }

    pub(crate) async fn read(&self, workspace: &str) -> Result<RecordedState, BackendError> {
        let path = self.state_path(workspace);
        let err = |message: String| BackendError::LocalFile {
            path: path.clone(),
            message,
        };
        // A state file is small; reading it inline keeps the local backend free of a
        // blocking-pool dependency.
        let bytes = std::fs::read(&path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => match path.parent() {
                Some(folder) if !folder.as_os_str().is_empty() && !folder.is_dir() => err(format!(
                    "no state file at {}: its folder {} does not exist; check the backend's `path` \
                     (relative to the workspace directory) and the workspace name",
                    path.display(),
                    folder.display()
                )),
                _ => err(format!(
                    "no state file at {}; check the backend's `path` (relative to the workspace \
                     directory) and the workspace name, and that terraform has written state there \
                     at least once (`terraform apply`)",
                    path.display()
                )),
            },
            std::io::ErrorKind::PermissionDenied => err(format!(
                "cannot read {} ({e}); check the file permissions of the user driftcost runs as",
                path.display()
            )),
            _ => err(format!("cannot read {}: {e}", path.display())),
        })?;
        RecordedState::from_bytes(&bytes, path.display().to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workspaces_follow_terraform_layout() {
        let c = LocalConfig::default().relative_to(Path::new("/ws"));
        assert_eq!(c.state_path("default"), Path::new("/ws/terraform.tfstate"));
        assert_eq!(
            c.state_path("dev"),
            Path::new("/ws/terraform.tfstate.d/dev/terraform.tfstate")
        );
    }

    #[tokio::test]
    async fn missing_file_names_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let c = LocalConfig::default().relative_to(dir.path());
        let err = c.read("default").await.unwrap_err();
        assert!(matches!(err, BackendError::LocalFile { .. }), "{err}");
        let msg = err.to_string();
        assert!(msg.contains("terraform.tfstate"), "{msg}");
        assert!(!msg.contains("bucket"), "{msg}");
    }

    #[test]
    fn resolving_twice_is_resolving_once() {
        let once = LocalConfig::default().relative_to(Path::new("jobs/app"));
        assert!(once.path.is_absolute(), "{once:?}");
        assert!(
            once.path.ends_with("jobs/app/terraform.tfstate"),
            "{once:?}"
        );
        let twice = once.clone().relative_to(Path::new("jobs/app"));
        assert_eq!(once, twice);
    }
}
