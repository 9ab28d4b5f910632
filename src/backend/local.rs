//! The `local` backend: state in a file next to the configuration, terraform's default.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::{BackendError, DEFAULT_WORKSPACE, ObjectRef, RecordedState};

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
    pub(crate) fn relative_to(self, dir: &Path) -> LocalConfig {
        LocalConfig {
            path: dir.join(self.path),
            workspace_dir: dir.join(self.workspace_dir),
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

    fn object(&self, workspace: &str) -> ObjectRef {
        let path = self.state_path(workspace);
        let dir = path
            .parent()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        ObjectRef {
            backend: BACKEND,
            container: dir,
            key: path
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default(),
            location: path.display().to_string(),
        }
    }

    pub(crate) async fn read(&self, workspace: &str) -> Result<RecordedState, BackendError> {
        let object = self.object(workspace);
        let path = self.state_path(workspace);
        // A state file is small; reading it inline keeps the local backend free of a
        // blocking-pool dependency.
        let bytes = std::fs::read(&path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => {
                if path
                    .parent()
                    .is_some_and(|p| !p.as_os_str().is_empty() && !p.exists())
                {
                    object.container_missing()
                } else {
                    object.not_found()
                }
            }
            std::io::ErrorKind::PermissionDenied => object.access_denied(
                e.to_string(),
                "file permissions of the user driftcost runs as",
            ),
            _ => object.service(e.to_string()),
        })?;
        object.parse(&bytes)
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
        assert!(matches!(err, BackendError::NotFound { .. }), "{err}");
        assert!(err.to_string().contains("terraform.tfstate"), "{err}");
    }
}
