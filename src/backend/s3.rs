//! The `s3` backend: state objects in S3 (or an S3-compatible endpoint), read with aws-sdk-s3.

use aws_config::BehaviorVersion;
use aws_config::meta::region::RegionProviderChain;
use aws_sdk_s3::config::{Credentials, Region};
use aws_sdk_s3::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_s3::operation::get_object::GetObjectError;
use serde::Deserialize;
use serde::de::IgnoredAny;

use super::{BackendEnv, BackendError, DEFAULT_WORKSPACE, ObjectRef, RecordedState};

const BACKEND: &str = "s3";
const CREDENTIAL_HINT: &str = "AWS_* variables or the standard AWS credential chain";

/// Terraform's `backend "s3"` block, the fields that locate the state object. Credentials
/// and profiles are not configurable here: they come from the environment / standard chain
/// (env, web identity, SSO-less shared config, ECS/IMDS).
#[derive(Debug, Clone, PartialEq, Deserialize, Default)]
pub struct S3Config {
    pub bucket: String,
    pub key: String,
    /// Falls back to `AWS_REGION`/shared config, then `us-east-1`.
    #[serde(default)]
    pub region: Option<String>,
    /// Deprecated in terraform for `endpoints.s3`, still accepted.
    #[serde(default)]
    pub endpoint: Option<String>,
    #[serde(default)]
    pub endpoints: Endpoints,
    #[serde(default)]
    pub use_path_style: bool,
    /// Deprecated in terraform for `use_path_style`, still accepted.
    #[serde(default)]
    pub force_path_style: bool,
    /// Prefix for non-default workspaces' keys; terraform's default is `env:`.
    #[serde(default)]
    pub workspace_key_prefix: Option<String>,
    #[serde(default)]
    access_key: Option<IgnoredAny>,
    #[serde(default)]
    secret_key: Option<IgnoredAny>,
    #[serde(default)]
    token: Option<IgnoredAny>,
}

/// Terraform's `endpoints = { s3 = "…" }` (other services are not used to read state).
#[derive(Debug, Clone, PartialEq, Deserialize, Default)]
pub struct Endpoints {
    #[serde(default)]
    pub s3: Option<String>,
}

impl S3Config {
    /// A config for `bucket`/`key` with everything else at terraform's defaults.
    pub fn new(bucket: impl Into<String>, key: impl Into<String>) -> S3Config {
        S3Config {
            bucket: bucket.into(),
            key: key.into(),
            ..S3Config::default()
        }
    }

    pub(crate) fn validate(&self) -> Result<(), BackendError> {
        super::require(BACKEND, "bucket", &self.bucket)?;
        super::require(BACKEND, "key", &self.key)?;
        super::refuse_secret(
            BACKEND,
            "access_key",
            self.access_key.is_some(),
            "AWS_ACCESS_KEY_ID",
        )?;
        super::refuse_secret(
            BACKEND,
            "secret_key",
            self.secret_key.is_some(),
            "AWS_SECRET_ACCESS_KEY",
        )?;
        super::refuse_secret(BACKEND, "token", self.token.is_some(), "AWS_SESSION_TOKEN")
    }

    /// The endpoint override, `endpoints.s3` winning over the older `endpoint`.
    pub fn endpoint_url(&self) -> Option<&str> {
        self.endpoints
            .s3
            .as_deref()
            .or(self.endpoint.as_deref())
            .filter(|e| !e.is_empty())
    }

    /// Terraform's key for a workspace: the plain key for `default`, else
    /// `<workspace_key_prefix>/<workspace>/<key>`.
    pub fn object_key(&self, workspace: &str) -> String {
        if workspace == DEFAULT_WORKSPACE {
            return self.key.clone();
        }
        let prefix = self.workspace_key_prefix.as_deref().unwrap_or("env:");
        if prefix.is_empty() {
            format!("{workspace}/{}", self.key)
        } else {
            format!("{prefix}/{workspace}/{}", self.key)
        }
    }

    pub(crate) fn location(&self, workspace: &str) -> String {
        format!("s3://{}/{}", self.bucket, self.object_key(workspace))
    }

    fn object(&self, workspace: &str) -> ObjectRef {
        ObjectRef {
            backend: BACKEND,
            container: self.bucket.clone(),
            key: self.object_key(workspace),
            location: self.location(workspace),
        }
    }

    /// An S3 client for this backend; credentials from `env` when it is fixed, else the
    /// standard chain.
    pub async fn client(&self, env: &BackendEnv) -> aws_sdk_s3::Client {
        let region = match (&self.region, env.var("AWS_REGION")) {
            (Some(r), _) => RegionProviderChain::first_try(Region::new(r.clone())),
            (None, Some(r)) if env.is_fixed() => RegionProviderChain::first_try(Region::new(r)),
            _ => RegionProviderChain::default_provider(),
        }
        .or_else(Region::from_static("us-east-1"));
        let mut loader = aws_config::defaults(BehaviorVersion::latest()).region(region);
        if env.is_fixed() {
            let creds = match (
                env.var("AWS_ACCESS_KEY_ID"),
                env.var("AWS_SECRET_ACCESS_KEY"),
            ) {
                (Some(id), Some(secret)) => Credentials::new(
                    id,
                    secret,
                    env.var("AWS_SESSION_TOKEN"),
                    None,
                    "driftcost-env",
                ),
                // No keys in a fixed env: sign with nothing usable so the error is
                // "access denied" rather than silently using the process's credentials.
                _ => Credentials::new("", "", None, None, "driftcost-env-empty"),
            };
            loader = loader.credentials_provider(creds);
        }
        let shared = loader.load().await;
        let mut conf = aws_sdk_s3::config::Builder::from(&shared)
            .force_path_style(self.use_path_style || self.force_path_style);
        if let Some(url) = self.endpoint_url() {
            conf = conf.endpoint_url(url);
        }
        aws_sdk_s3::Client::from_conf(conf.build())
    }

    pub(crate) async fn read(
        &self,
        workspace: &str,
        env: &BackendEnv,
    ) -> Result<RecordedState, BackendError> {
        let object = self.object(workspace);
        let client = self.client(env).await;
        tracing::debug!(location = %object.location, "reading recorded state");
        let resp = client
            .get_object()
            .bucket(&self.bucket)
            .key(&object.key)
            .send()
            .await
            .map_err(|e| map_error(&object, e))?;
        let bytes = resp
            .body
            .collect()
            .await
            .map_err(|e| object.network(super::error_chain(&e)))?
            .into_bytes();
        object.parse(&bytes)
    }
}

fn map_error<R>(object: &ObjectRef, err: SdkError<GetObjectError, R>) -> BackendError
where
    R: std::fmt::Debug + Send + Sync + 'static,
{
    match &err {
        SdkError::DispatchFailure(_) | SdkError::TimeoutError(_) => {
            return object.network(super::error_chain(&err));
        }
        SdkError::ServiceError(service) => {
            let e = service.err();
            if matches!(e, GetObjectError::NoSuchKey(_)) {
                return object.not_found();
            }
            let detail = format!(
                "{}: {}",
                e.code().unwrap_or("error"),
                e.message().unwrap_or("no message")
            );
            return match e.code() {
                Some("NoSuchKey") => object.not_found(),
                Some("NoSuchBucket") => object.container_missing(),
                Some(
                    "AccessDenied"
                    | "InvalidAccessKeyId"
                    | "SignatureDoesNotMatch"
                    | "ExpiredToken"
                    | "InvalidToken"
                    | "AllAccessDisabled",
                ) => object.access_denied(detail, CREDENTIAL_HINT),
                _ => object.service(detail),
            };
        }
        _ => {}
    }
    // Credential resolution failures surface as construction failures.
    let text = super::error_chain(&err);
    if text.contains("credentials") {
        object.no_credentials(format!(
            "{text}; set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN, or run where instance/task credentials exist"
        ))
    } else {
        object.service(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workspace_keys_follow_terraform() {
        let mut c = S3Config::new("b", "path/terraform.tfstate");
        assert_eq!(c.object_key("default"), "path/terraform.tfstate");
        assert_eq!(c.object_key("dev"), "env:/dev/path/terraform.tfstate");
        c.workspace_key_prefix = Some("workspaces".into());
        assert_eq!(c.object_key("dev"), "workspaces/dev/path/terraform.tfstate");
    }

    #[test]
    fn endpoints_s3_wins_over_endpoint() {
        let mut c = S3Config::new("b", "k");
        c.endpoint = Some("http://old".into());
        assert_eq!(c.endpoint_url(), Some("http://old"));
        c.endpoints.s3 = Some("http://new".into());
        assert_eq!(c.endpoint_url(), Some("http://new"));
    }

    #[test]
    fn secrets_in_config_are_refused() {
        let c: S3Config = serde_json::from_value(
            serde_json::json!({"bucket": "b", "key": "k", "secret_key": "x"}),
        )
        .unwrap();
        let err = c.validate().unwrap_err().to_string();
        assert!(
            err.contains("secret_key") && err.contains("AWS_SECRET_ACCESS_KEY"),
            "{err}"
        );
    }
}
