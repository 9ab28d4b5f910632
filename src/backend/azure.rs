//! The `azurerm` backend: state blobs in Azure Blob Storage, read with azure_storage_blobs.

use azure_core::StatusCode;
use azure_core::error::ErrorKind;
use azure_storage::{CloudLocation, ConnectionString, StorageCredentials};
use azure_storage_blobs::prelude::ClientBuilder;
use serde::Deserialize;
use serde::de::IgnoredAny;

use super::{BackendEnv, BackendError, DEFAULT_WORKSPACE, ObjectRef, RecordedState};

const BACKEND: &str = "azurerm";
const CREDENTIAL_HINT: &str = "ARM_ACCESS_KEY, ARM_SAS_TOKEN or AZURE_STORAGE_CONNECTION_STRING";

/// Terraform's `backend "azurerm"` block, the fields that locate the state blob.
/// Credentials come from the environment: `ARM_ACCESS_KEY` (account key), `ARM_SAS_TOKEN`,
/// or `AZURE_STORAGE_CONNECTION_STRING`, in that order.
#[derive(Debug, Clone, PartialEq, Deserialize, Default)]
pub struct AzurermConfig {
    pub storage_account_name: String,
    pub container_name: String,
    pub key: String,
    /// driftcost-only: the blob service URL including the account
    /// (`http://127.0.0.1:10000/devstoreaccount1` for Azurite); default is the public cloud.
    #[serde(default)]
    pub endpoint: Option<String>,
    #[serde(default)]
    access_key: Option<IgnoredAny>,
    #[serde(default)]
    sas_token: Option<IgnoredAny>,
    #[serde(default)]
    client_secret: Option<IgnoredAny>,
}

impl AzurermConfig {
    /// A config for one blob with everything else at terraform's defaults.
    pub fn new(
        account: impl Into<String>,
        container: impl Into<String>,
        key: impl Into<String>,
    ) -> AzurermConfig {
        AzurermConfig {
            storage_account_name: account.into(),
            container_name: container.into(),
            key: key.into(),
            ..AzurermConfig::default()
        }
    }

    pub(crate) fn validate(&self) -> Result<(), BackendError> {
        super::require(BACKEND, "storage_account_name", &self.storage_account_name)?;
        super::require(BACKEND, "container_name", &self.container_name)?;
        super::require(BACKEND, "key", &self.key)?;
        super::refuse_secret(
            BACKEND,
            "access_key",
            self.access_key.is_some(),
            "ARM_ACCESS_KEY",
        )?;
        super::refuse_secret(
            BACKEND,
            "sas_token",
            self.sas_token.is_some(),
            "ARM_SAS_TOKEN",
        )?;
        super::refuse_secret(
            BACKEND,
            "client_secret",
            self.client_secret.is_some(),
            "ARM_ACCESS_KEY or ARM_SAS_TOKEN",
        )
    }

    /// Terraform's blob name: the key for `default`, else `<key>env:<workspace>`.
    pub fn blob_name(&self, workspace: &str) -> String {
        if workspace == DEFAULT_WORKSPACE {
            self.key.clone()
        } else {
            format!("{}env:{workspace}", self.key)
        }
    }

    pub(crate) fn location(&self, workspace: &str) -> String {
        format!(
            "azurerm://{}/{}/{}",
            self.storage_account_name,
            self.container_name,
            self.blob_name(workspace)
        )
    }

    fn object(&self, workspace: &str) -> ObjectRef {
        ObjectRef {
            backend: BACKEND,
            container: self.container_name.clone(),
            key: self.blob_name(workspace),
            location: self.location(workspace),
        }
    }

    fn credentials(&self, env: &BackendEnv) -> Result<StorageCredentials, String> {
        if let Some(key) = env.var("ARM_ACCESS_KEY") {
            return Ok(StorageCredentials::access_key(
                self.storage_account_name.clone(),
                key,
            ));
        }
        if let Some(sas) = env.var("ARM_SAS_TOKEN") {
            return StorageCredentials::sas_token(sas.trim_start_matches('?'))
                .map_err(|e| format!("ARM_SAS_TOKEN is not a valid SAS token: {e}"));
        }
        if let Some(conn) = env.var("AZURE_STORAGE_CONNECTION_STRING") {
            return ConnectionString::new(&conn)
                .and_then(|c| c.storage_credentials())
                .map_err(|e| format!("AZURE_STORAGE_CONNECTION_STRING cannot be used: {e}"));
        }
        Err(format!("none of {CREDENTIAL_HINT} is set"))
    }

    pub(crate) async fn read(
        &self,
        workspace: &str,
        env: &BackendEnv,
    ) -> Result<RecordedState, BackendError> {
        let object = self.object(workspace);
        let credentials = self
            .credentials(env)
            .map_err(|detail| object.no_credentials(detail))?;
        let location = match &self.endpoint {
            Some(uri) if !uri.is_empty() => CloudLocation::Custom {
                account: self.storage_account_name.clone(),
                uri: uri.trim_end_matches('/').to_owned(),
            },
            _ => CloudLocation::Public {
                account: self.storage_account_name.clone(),
            },
        };
        tracing::debug!(location = %object.location, "reading recorded state");
        let bytes = ClientBuilder::with_location(location, credentials)
            .blob_client(&self.container_name, &object.key)
            .get_content()
            .await
            .map_err(|e| map_error(&object, e))?;
        object.parse(&bytes)
    }
}

fn map_error(object: &ObjectRef, err: azure_core::Error) -> BackendError {
    let detail = super::error_chain(&err);
    match err.kind() {
        ErrorKind::HttpResponse { status, error_code } => match (status, error_code.as_deref()) {
            (_, Some("BlobNotFound")) => object.not_found(),
            (_, Some("ContainerNotFound")) => object.container_missing(),
            (StatusCode::NotFound, _) => object.not_found(),
            (StatusCode::Forbidden | StatusCode::Unauthorized, _) => {
                object.access_denied(detail, CREDENTIAL_HINT)
            }
            _ => object.service(detail),
        },
        ErrorKind::Io => object.network(detail),
        ErrorKind::Credential => object.no_credentials(detail),
        _ => object.service(detail),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workspace_blobs_follow_terraform() {
        let c = AzurermConfig::new("acct", "tfstate", "prod.terraform.tfstate");
        assert_eq!(c.blob_name("default"), "prod.terraform.tfstate");
        assert_eq!(c.blob_name("dev"), "prod.terraform.tfstateenv:dev");
        assert_eq!(
            c.location("dev"),
            "azurerm://acct/tfstate/prod.terraform.tfstateenv:dev"
        );
    }

    #[tokio::test]
    async fn missing_credentials_say_which_variables() {
        let c = AzurermConfig::new("acct", "tfstate", "k");
        let err = c
            .read("default", &BackendEnv::fixed::<&str, &str>([]))
            .await
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("ARM_ACCESS_KEY") && err.contains("azurerm://acct/tfstate/k"),
            "{err}"
        );
    }
}
