//! The `gcs` backend: state objects in Google Cloud Storage, read with google-cloud-storage.

use google_cloud_storage::client::Storage;
use serde::Deserialize;
use serde::de::IgnoredAny;

use super::{BackendEnv, BackendError, ObjectRef, RecordedState};

const BACKEND: &str = "gcs";
const CREDENTIAL_HINT: &str = "Application Default Credentials: GOOGLE_APPLICATION_CREDENTIALS, gcloud ADC or the metadata server";

/// Terraform's `backend "gcs"` block, the fields that locate the state object.
/// Credentials come from Application Default Credentials, never from here.
#[derive(Debug, Clone, PartialEq, Deserialize, Default)]
pub struct GcsConfig {
    pub bucket: String,
    /// Folder of the state objects; each workspace is `<prefix>/<workspace>.tfstate`.
    #[serde(default)]
    pub prefix: String,
    /// Terraform's name for an endpoint override (`https://…/storage/v1/` or an emulator's URL).
    #[serde(default, alias = "endpoint")]
    pub storage_custom_endpoint: Option<String>,
    /// driftcost-only: send no credentials (for an emulator such as fake-gcs-server).
    #[serde(default)]
    pub anonymous_credentials: bool,
    #[serde(default)]
    credentials: Option<IgnoredAny>,
    #[serde(default)]
    access_token: Option<IgnoredAny>,
    #[serde(default)]
    encryption_key: Option<IgnoredAny>,
}

impl GcsConfig {
    /// A config for `bucket`/`prefix` with everything else at terraform's defaults.
    pub fn new(bucket: impl Into<String>, prefix: impl Into<String>) -> GcsConfig {
        GcsConfig {
            bucket: bucket.into(),
            prefix: prefix.into(),
            ..GcsConfig::default()
        }
    }

    pub(crate) fn validate(&self) -> Result<(), BackendError> {
        super::require(BACKEND, "bucket", &self.bucket)?;
        super::refuse_secret(
            BACKEND,
            "credentials",
            self.credentials.is_some(),
            "GOOGLE_APPLICATION_CREDENTIALS",
        )?;
        super::refuse_secret(
            BACKEND,
            "access_token",
            self.access_token.is_some(),
            "GOOGLE_APPLICATION_CREDENTIALS",
        )?;
        if self.encryption_key.is_some() {
            return Err(BackendError::Config {
                backend: BACKEND,
                problem: "`encryption_key` (customer-supplied encryption) is not supported for reading state; \
                          remove it or scan this workspace without a recorded-state diff"
                    .into(),
            });
        }
        Ok(())
    }

    /// Terraform's object name: `<prefix>/<workspace>.tfstate` (no folder for an empty prefix).
    pub fn object_name(&self, workspace: &str) -> String {
        let prefix = self.prefix.trim_end_matches('/');
        if prefix.is_empty() {
            format!("{workspace}.tfstate")
        } else {
            format!("{prefix}/{workspace}.tfstate")
        }
    }

    pub(crate) fn location(&self, workspace: &str) -> String {
        format!("gs://{}/{}", self.bucket, self.object_name(workspace))
    }

    fn object(&self, workspace: &str) -> ObjectRef {
        ObjectRef {
            backend: BACKEND,
            container: self.bucket.clone(),
            key: self.object_name(workspace),
            location: self.location(workspace),
        }
    }

    /// A storage client for this backend: the configured endpoint, anonymous or ADC credentials.
    pub async fn client(&self) -> Result<Storage, String> {
        // The storage client's reqwest is built without a bundled crypto provider; use
        // the one aws-sdk already links (installing twice is harmless).
        let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
        let mut builder = Storage::builder();
        if let Some(endpoint) = self.storage_custom_endpoint.as_deref() {
            // Terraform's value ends in `/storage/v1/`; the client wants the host root.
            let root = endpoint
                .trim_end_matches('/')
                .trim_end_matches("/storage/v1");
            builder = builder.with_endpoint(root);
        }
        if self.anonymous_credentials {
            builder = builder.with_credentials(
                google_cloud_auth::credentials::anonymous::Builder::new().build(),
            );
        }
        builder.build().await.map_err(|e| super::error_chain(&e))
    }

    pub(crate) async fn read(
        &self,
        workspace: &str,
        _env: &BackendEnv,
    ) -> Result<RecordedState, BackendError> {
        let object = self.object(workspace);
        let client = self.client().await.map_err(|detail| {
            object.no_credentials(format!("{detail}; set up {CREDENTIAL_HINT}"))
        })?;
        tracing::debug!(location = %object.location, "reading recorded state");
        let mut resp = client
            .read_object(format!("projects/_/buckets/{}", self.bucket), &object.key)
            .send()
            .await
            .map_err(|e| map_error(&object, &e))?;
        let mut bytes = Vec::new();
        while let Some(chunk) = resp.next().await {
            let chunk = chunk.map_err(|e| map_error(&object, &e))?;
            bytes.extend_from_slice(&chunk);
        }
        object.parse(&bytes)
    }
}

fn map_error(object: &ObjectRef, err: &google_cloud_storage::Error) -> BackendError {
    let detail = super::error_chain(err);
    if err.is_authentication() {
        return object.no_credentials(format!("{detail}; set up {CREDENTIAL_HINT}"));
    }
    // A transport error can still carry an HTTP status (a plain-text 404 from a
    // proxy or emulator is reported that way), so the status decides first.
    let status = err
        .http_status_code()
        .or_else(|| err.status().map(|s| grpc_to_http(s.code)));
    if status.is_none()
        && (err.is_connect() || err.is_io() || err.is_timeout() || err.is_transport())
    {
        return object.network(detail);
    }
    match status {
        Some(404) => {
            let message = err
                .status()
                .map(|s| s.message.to_lowercase())
                .unwrap_or_default();
            let payload = err
                .http_payload()
                .map(|p| String::from_utf8_lossy(p).to_lowercase())
                .unwrap_or_default();
            let text = format!("{message} {payload}");
            if [
                "bucket does not exist",
                "bucket not found",
                "no such bucket",
            ]
            .iter()
            .any(|phrase| text.contains(phrase))
            {
                object.container_missing()
            } else {
                object.not_found()
            }
        }
        Some(401 | 403) => object.access_denied(detail, CREDENTIAL_HINT),
        _ => object.service(detail),
    }
}

fn grpc_to_http(code: google_cloud_gax::error::rpc::Code) -> u16 {
    use google_cloud_gax::error::rpc::Code;
    match code {
        Code::NotFound => 404,
        Code::PermissionDenied => 403,
        Code::Unauthenticated => 401,
        _ => 500,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workspace_objects_follow_terraform() {
        let c = GcsConfig::new("b", "envs/net/");
        assert_eq!(c.object_name("default"), "envs/net/default.tfstate");
        assert_eq!(c.object_name("dev"), "envs/net/dev.tfstate");
        assert_eq!(
            GcsConfig::new("b", "").object_name("default"),
            "default.tfstate"
        );
        assert_eq!(c.location("dev"), "gs://b/envs/net/dev.tfstate");
    }
}
