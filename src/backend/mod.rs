//! State backends: reading the state a workspace's backend has recorded.
//!
//! The drift engine compares a refresh-only plan with the state object terraform last
//! wrote, read here directly with the clouds' Rust SDKs (never through terraform, so a
//! scan sees exactly the bytes a later `terraform apply` would start from). Each backend
//! is one file with the same shape: a serde config struct named after terraform's own
//! backend block, a `state_location` for the workspace, and an async `read`.
//!
//! Settings come from the job file, else from the workspace's own `backend "..." {}`
//! block ([`BackendConfig::from_workspace_dir`]). Credentials never come from either:
//! only from the environment and the clouds' standard credential chains ([`BackendEnv`]).
//!
//! This stage does I/O only; it validates that the object is a terraform v4 state and
//! records its integrity facts (serial, lineage, sha256), and interprets nothing else.

// Backend errors carry bucket, key and location so every message can name them;
// they happen once per scan at most, so their size is not worth boxing.
#![allow(clippy::result_large_err)]

pub mod azure;
pub mod gcs;
pub mod local;
pub mod s3;
mod workspace_block;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use sha2::{Digest, Sha256};

pub use azure::AzurermConfig;
pub use gcs::GcsConfig;
pub use local::LocalConfig;
pub use s3::S3Config;

/// The workspace terraform uses when none is selected; its state lives at the plain key.
pub const DEFAULT_WORKSPACE: &str = "default";

/// Where a workspace's state lives, as a job file (`[backend]`, `kind = "s3"`) or the
/// workspace's own backend block says. Field names follow terraform's backend blocks so
/// a block can be copied into a job file unchanged (credential fields are refused).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "kind")]
pub enum BackendConfig {
    #[serde(rename = "local")]
    Local(LocalConfig),
    #[serde(rename = "s3")]
    S3(S3Config),
    #[serde(rename = "gcs")]
    Gcs(GcsConfig),
    #[serde(rename = "azurerm")]
    Azurerm(AzurermConfig),
}

/// The name the design uses for the backend a workspace's state is read from.
pub type StateBackend = BackendConfig;

impl BackendConfig {
    /// Reads the workspace's own `terraform { backend "..." {} }` block from its `*.tf`
    /// files, taking literal values only, so a job needs no backend section when the
    /// workspace already says where its state lives. No block means terraform's default:
    /// local state in `terraform.tfstate` next to the configuration.
    pub fn from_workspace_dir(dir: &Path) -> Result<BackendConfig, BackendError> {
        workspace_block::from_workspace_dir(dir)
    }

    /// Makes a local backend's relative paths relative to the workspace directory, as
    /// terraform resolves them from the working directory it runs in.
    pub fn relative_to(self, workspace_dir: &Path) -> BackendConfig {
        match self {
            BackendConfig::Local(local) => BackendConfig::Local(local.relative_to(workspace_dir)),
            other => other,
        }
    }

    /// Refuses settings that would make driftcost read credentials from a job file or
    /// that leave the state object unnamed, before any network call.
    pub fn validate(&self) -> Result<(), BackendError> {
        match self {
            BackendConfig::Local(c) => c.validate(),
            BackendConfig::S3(c) => c.validate(),
            BackendConfig::Gcs(c) => c.validate(),
            BackendConfig::Azurerm(c) => c.validate(),
        }
    }

    /// The backend's kind as terraform spells it (`s3`, `gcs`, `azurerm`, `local`).
    pub fn kind(&self) -> &'static str {
        match self {
            BackendConfig::Local(_) => "local",
            BackendConfig::S3(_) => "s3",
            BackendConfig::Gcs(_) => "gcs",
            BackendConfig::Azurerm(_) => "azurerm",
        }
    }

    /// Where `workspace`'s state object lives, for messages and the run record
    /// (`s3://bucket/env:/staging/key`), following terraform's per-backend workspace rules.
    pub fn state_location(&self, workspace: &str) -> String {
        match self {
            BackendConfig::Local(c) => c.state_path(workspace).display().to_string(),
            BackendConfig::S3(c) => c.location(workspace),
            BackendConfig::Gcs(c) => c.location(workspace),
            BackendConfig::Azurerm(c) => c.location(workspace),
        }
    }

    /// Reads and validates `workspace`'s recorded state.
    pub async fn read(
        &self,
        workspace: &str,
        env: &BackendEnv,
    ) -> Result<RecordedState, BackendError> {
        self.validate()?;
        match self {
            BackendConfig::Local(c) => c.read(workspace).await,
            BackendConfig::S3(c) => c.read(workspace, env).await,
            BackendConfig::Gcs(c) => c.read(workspace, env).await,
            BackendConfig::Azurerm(c) => c.read(workspace, env).await,
        }
    }
}

/// The environment credentials are taken from (see [`crate::env`]).
pub use crate::env::Env as BackendEnv;

/// The state object a backend holds for one workspace, with the integrity facts the run
/// store keeps per scan (a rolled-back serial, a new lineage or a changed hash at the same
/// serial is an alert of its own).
#[derive(Debug, Clone, PartialEq)]
pub struct RecordedState {
    /// sha256 of the object's bytes exactly as stored, lowercase hex.
    pub bytes_sha256: String,
    pub serial: u64,
    pub lineage: String,
    pub terraform_version: Option<String>,
    /// The whole state v4 object.
    pub state: serde_json::Value,
    /// Where it was read from (`s3://bucket/key`, `gs://…`, `azurerm://account/container/key`, a path).
    pub source: String,
}

impl RecordedState {
    /// Checks that `bytes` are a terraform state v4 object and records its facts.
    pub fn from_bytes(bytes: &[u8], source: String) -> Result<RecordedState, BackendError> {
        let not_state = |reason: String| BackendError::NotAState {
            location: source.clone(),
            reason,
        };
        let state: serde_json::Value =
            serde_json::from_slice(bytes).map_err(|e| not_state(format!("not JSON ({e})")))?;
        let obj = state
            .as_object()
            .ok_or_else(|| not_state("the JSON is not an object".into()))?;
        match obj.get("version").and_then(|v| v.as_u64()) {
            Some(4) => {}
            Some(v) => {
                return Err(not_state(format!(
                    "state format version {v}; driftcost reads version 4 (terraform >= 0.12), \
                     run terraform against it once to upgrade"
                )));
            }
            None => return Err(not_state("no numeric `version` field".into())),
        }
        let serial = obj
            .get("serial")
            .and_then(|v| v.as_u64())
            .ok_or_else(|| not_state("no numeric `serial` field".into()))?;
        let lineage = obj
            .get("lineage")
            .and_then(|v| v.as_str())
            .ok_or_else(|| not_state("no `lineage` string".into()))?
            .to_owned();
        if !obj.get("resources").is_some_and(|v| v.is_array()) {
            return Err(not_state("no `resources` list".into()));
        }
        let terraform_version = obj
            .get("terraform_version")
            .and_then(|v| v.as_str())
            .map(str::to_owned);
        Ok(RecordedState {
            bytes_sha256: sha256_hex(bytes),
            serial,
            lineage,
            terraform_version,
            state,
            source,
        })
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(64);
    for b in digest {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// Why a recorded state could not be read. Every message names the backend, the
/// bucket/container and key (as a location), and what to check.
#[derive(Debug, thiserror::Error)]
pub enum BackendError {
    #[error(
        "{backend} backend: no state object at {location} (bucket/container `{container}`, key `{key}`); \
         check the key and workspace name (non-default workspaces use terraform's per-backend key rules) \
         and that terraform has written state there at least once"
    )]
    NotFound {
        backend: &'static str,
        container: String,
        key: String,
        location: String,
    },
    #[error(
        "{backend} backend: bucket/container `{container}` does not exist (reading {location}, key `{key}`); \
         check the bucket/container name, the account/project, and the endpoint or region"
    )]
    ContainerMissing {
        backend: &'static str,
        container: String,
        key: String,
        location: String,
    },
    #[error(
        "{backend} backend: access denied reading {location} (bucket/container `{container}`, key `{key}`): {detail}; \
         check that the credentials in the environment ({hint}) may read that object"
    )]
    AccessDenied {
        backend: &'static str,
        container: String,
        key: String,
        location: String,
        detail: String,
        hint: &'static str,
    },
    #[error(
        "{backend} backend: no credentials to read {location} (bucket/container `{container}`, key `{key}`): {detail}"
    )]
    NoCredentials {
        backend: &'static str,
        container: String,
        key: String,
        location: String,
        detail: String,
    },
    #[error(
        "{backend} backend: cannot reach the service to read {location} (bucket/container `{container}`, key `{key}`): {detail}; \
         check the endpoint/region settings and the network path to it"
    )]
    Network {
        backend: &'static str,
        container: String,
        key: String,
        location: String,
        detail: String,
    },
    #[error("{location} is not a terraform state file: {reason}")]
    NotAState { location: String, reason: String },
    /// The `local` backend: a file, so the message speaks of paths, never of buckets.
    #[error("local backend: {message}")]
    LocalFile { path: PathBuf, message: String },
    #[error(
        "{backend} backend: reading {location} (bucket/container `{container}`, key `{key}`) failed: {detail}"
    )]
    Service {
        backend: &'static str,
        container: String,
        key: String,
        location: String,
        detail: String,
    },
    #[error("{backend} backend configuration: {problem}")]
    Config {
        backend: &'static str,
        problem: String,
    },
    #[error("reading the backend block of workspace {dir}: {problem}")]
    WorkspaceBlock { dir: PathBuf, problem: String },
}

/// Names one state object in errors, so each backend builds its errors the same way.
#[derive(Debug, Clone)]
pub(crate) struct ObjectRef {
    pub backend: &'static str,
    pub container: String,
    pub key: String,
    pub location: String,
}

impl ObjectRef {
    pub fn not_found(&self) -> BackendError {
        BackendError::NotFound {
            backend: self.backend,
            container: self.container.clone(),
            key: self.key.clone(),
            location: self.location.clone(),
        }
    }
    pub fn container_missing(&self) -> BackendError {
        BackendError::ContainerMissing {
            backend: self.backend,
            container: self.container.clone(),
            key: self.key.clone(),
            location: self.location.clone(),
        }
    }
    pub fn access_denied(&self, detail: impl Into<String>, hint: &'static str) -> BackendError {
        BackendError::AccessDenied {
            backend: self.backend,
            container: self.container.clone(),
            key: self.key.clone(),
            location: self.location.clone(),
            detail: detail.into(),
            hint,
        }
    }
    pub fn no_credentials(&self, detail: impl Into<String>) -> BackendError {
        BackendError::NoCredentials {
            backend: self.backend,
            container: self.container.clone(),
            key: self.key.clone(),
            location: self.location.clone(),
            detail: detail.into(),
        }
    }
    pub fn network(&self, detail: impl Into<String>) -> BackendError {
        BackendError::Network {
            backend: self.backend,
            container: self.container.clone(),
            key: self.key.clone(),
            location: self.location.clone(),
            detail: detail.into(),
        }
    }
    pub fn service(&self, detail: impl Into<String>) -> BackendError {
        BackendError::Service {
            backend: self.backend,
            container: self.container.clone(),
            key: self.key.clone(),
            location: self.location.clone(),
            detail: detail.into(),
        }
    }
    pub fn parse(&self, bytes: &[u8]) -> Result<RecordedState, BackendError> {
        RecordedState::from_bytes(bytes, self.location.clone())
    }
}

/// Refuses a credential field in a job file or backend block: credentials come from the
/// environment only, so a secret never sits in `jobs/` or in the run store.
pub(crate) fn refuse_secret(
    backend: &'static str,
    field: &'static str,
    present: bool,
    use_instead: &'static str,
) -> Result<(), BackendError> {
    if present {
        return Err(BackendError::Config {
            backend,
            problem: format!(
                "`{field}` is set, but credentials are never read from job files or backend blocks; \
                 remove it and set {use_instead} in the environment"
            ),
        });
    }
    Ok(())
}

pub(crate) fn require(
    backend: &'static str,
    field: &'static str,
    value: &str,
) -> Result<(), BackendError> {
    if value.trim().is_empty() {
        return Err(BackendError::Config {
            backend,
            problem: format!("`{field}` is required and empty"),
        });
    }
    Ok(())
}

pub(crate) use crate::error_chain::error_chain;

#[cfg(test)]
mod tests {
    use super::*;

    const STATE: &str = r#"{"version":4,"terraform_version":"1.11.4","serial":3,"lineage":"abc","outputs":{},"resources":[],"check_results":null}"#;

    #[test]
    fn valid_state_records_serial_lineage_and_hash() {
        let st = RecordedState::from_bytes(STATE.as_bytes(), "x".into()).unwrap();
        assert_eq!(st.serial, 3);
        assert_eq!(st.lineage, "abc");
        assert_eq!(st.terraform_version.as_deref(), Some("1.11.4"));
        assert_eq!(st.bytes_sha256, sha256_hex(STATE.as_bytes()));
        assert_eq!(st.bytes_sha256.len(), 64);
    }

    #[test]
    fn sha256_matches_known_vector() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn non_state_objects_are_named_with_the_reason() {
        let cases = [
            ("hello", "not JSON"),
            ("[1]", "not an object"),
            (
                r#"{"version":3,"serial":1,"lineage":"a","modules":[]}"#,
                "version 3",
            ),
            (r#"{"version":4,"lineage":"a","resources":[]}"#, "serial"),
            (r#"{"version":4,"serial":1,"resources":[]}"#, "lineage"),
            (r#"{"version":4,"serial":1,"lineage":"a"}"#, "resources"),
        ];
        for (body, reason) in cases {
            let err = RecordedState::from_bytes(body.as_bytes(), "s3://b/k".into()).unwrap_err();
            let msg = err.to_string();
            assert!(
                msg.starts_with("s3://b/k is not a terraform state file: "),
                "{msg}"
            );
            assert!(msg.contains(reason), "{msg} should mention {reason}");
        }
    }

    #[test]
    fn job_file_toml_selects_backend_by_kind() {
        let s3: BackendConfig = serde_json::from_value(serde_json::json!({
            "kind": "s3", "bucket": "tfstate", "key": "net/terraform.tfstate", "region": "eu-west-1",
            "endpoints": {"s3": "http://127.0.0.1:9000"}, "use_path_style": true,
            "skip_credentials_validation": true
        }))
        .unwrap();
        assert_eq!(s3.kind(), "s3");
        assert_eq!(
            s3.state_location("default"),
            "s3://tfstate/net/terraform.tfstate"
        );
        assert_eq!(
            s3.state_location("staging"),
            "s3://tfstate/env:/staging/net/terraform.tfstate"
        );
    }

    #[test]
    fn fixed_env_ignores_the_process_environment() {
        let env = BackendEnv::fixed([("ARM_ACCESS_KEY", "k"), ("EMPTY", "")]);
        assert_eq!(env.var("ARM_ACCESS_KEY").as_deref(), Some("k"));
        assert_eq!(env.var("EMPTY"), None);
        assert_eq!(env.var("PATH"), None);
    }
}
