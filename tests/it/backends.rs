//! Reading recorded state through each backend from REAL protocol servers: moto (S3),
//! fake-gcs-server (GCS) and Azurite (Azure Blob), started by `scripts/test-servers.sh start`.
//!
//! The state object is one terraform 1.11 wrote (`tests/fixtures/state_v4_terraform_data.json`);
//! the last test has terraform's own `s3` backend write state into moto and reads it back.
//! Without the servers these tests fail, unless `DRIFTCOST_SKIP_SERVER_TESTS=1`.

use crate::support;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};

use driftcost::backend::{BackendConfig, BackendEnv, BackendError};
use sha2::{Digest, Sha256};

const FIXTURE: &[u8] = include_bytes!("../fixtures/state_v4_terraform_data.json");
const FIXTURE_SERIAL: u64 = 6;
const FIXTURE_LINEAGE: &str = "4cf3cf41-3b61-0e52-ffe1-95f976198609";
const NOT_STATE: &[u8] = br#"{"hello": "this is a JSON object but not a terraform state"}"#;
const AZURITE_ACCOUNT: &str = "devstoreaccount1";
const AZURITE_KEY: &str =
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

/// The servers' addresses: from the environment, else from `.test-servers/env`.
fn servers(test: &str) -> Option<HashMap<String, String>> {
    support::servers::vars(
        test,
        "real test servers",
        &[
            "DRIFTCOST_TEST_S3_URL",
            "DRIFTCOST_TEST_GCS_URL",
            "DRIFTCOST_TEST_AZURITE_URL",
        ],
    )
}

/// A bucket/container name no earlier run used, so tests are repeatable on a running server.
fn unique(prefix: &str) -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!(
        "{prefix}-{}-{nanos}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn config(toml_text: &str) -> BackendConfig {
    toml::from_str(toml_text).unwrap_or_else(|e| panic!("job TOML did not parse: {e}\n{toml_text}"))
}

fn aws_env() -> BackendEnv {
    BackendEnv::fixed([
        ("AWS_ACCESS_KEY_ID", "test"),
        ("AWS_SECRET_ACCESS_KEY", "test"),
    ])
}

fn assert_fixture(state: &driftcost::backend::RecordedState, source: &str) {
    assert_eq!(state.serial, FIXTURE_SERIAL);
    assert_eq!(state.lineage, FIXTURE_LINEAGE);
    assert_eq!(state.bytes_sha256, sha256_hex(FIXTURE));
    assert_eq!(state.terraform_version.as_deref(), Some("1.11.4"));
    assert_eq!(state.source, source);
    assert_eq!(state.state["resources"].as_array().map(Vec::len), Some(2));
}

// ---------------------------------------------------------------- S3 (moto)

async fn s3_client(url: &str) -> aws_sdk_s3::Client {
    use aws_sdk_s3::config::{BehaviorVersion, Credentials, Region};
    let conf = aws_sdk_s3::config::Builder::new()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("test", "test", None, None, "static"))
        .endpoint_url(url)
        .force_path_style(true)
        .build();
    aws_sdk_s3::Client::from_conf(conf)
}

async fn s3_put(client: &aws_sdk_s3::Client, bucket: &str, key: &str, body: &[u8]) {
    client
        .put_object()
        .bucket(bucket)
        .key(key)
        .body(body.to_vec().into())
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn s3_reads_state_from_moto() {
    let Some(servers) = servers("s3_reads_state_from_moto") else {
        return;
    };
    let url = &servers["DRIFTCOST_TEST_S3_URL"];
    let client = s3_client(url).await;
    let bucket = unique("tfstate");
    client.create_bucket().bucket(&bucket).send().await.unwrap();
    s3_put(&client, &bucket, "net/terraform.tfstate", FIXTURE).await;
    s3_put(
        &client,
        &bucket,
        "env:/staging/net/terraform.tfstate",
        FIXTURE,
    )
    .await;
    s3_put(&client, &bucket, "net/notes.json", NOT_STATE).await;

    let backend = config(&format!(
        r#"
kind = "s3"
bucket = "{bucket}"
key = "net/terraform.tfstate"
region = "us-east-1"
endpoints = {{ s3 = "{url}" }}
use_path_style = true
skip_credentials_validation = true
"#
    ));
    let state = backend.read("default", &aws_env()).await.unwrap();
    assert_fixture(&state, &format!("s3://{bucket}/net/terraform.tfstate"));

    // Non-default workspaces live under terraform's `env:/<workspace>/` prefix.
    let staging = backend.read("staging", &aws_env()).await.unwrap();
    assert_eq!(
        staging.source,
        format!("s3://{bucket}/env:/staging/net/terraform.tfstate")
    );

    let missing = backend.read("prod", &aws_env()).await.unwrap_err();
    assert!(
        matches!(missing, BackendError::NotFound { .. }),
        "{missing}"
    );
    let msg = missing.to_string();
    assert!(
        msg.contains(&bucket) && msg.contains("env:/prod/net/terraform.tfstate"),
        "{msg}"
    );

    let not_state = config(&format!(
        "kind = \"s3\"\nbucket = \"{bucket}\"\nkey = \"net/notes.json\"\nendpoint = \"{url}\"\nforce_path_style = true\n"
    ));
    let err = not_state.read("default", &aws_env()).await.unwrap_err();
    assert!(
        err.to_string().starts_with(&format!(
            "s3://{bucket}/net/notes.json is not a terraform state file: "
        )),
        "{err}"
    );

    let no_bucket = config(&format!(
        "kind = \"s3\"\nbucket = \"{bucket}-gone\"\nkey = \"k\"\nendpoint = \"{url}\"\nuse_path_style = true\n"
    ));
    let err = no_bucket.read("default", &aws_env()).await.unwrap_err();
    assert!(
        matches!(err, BackendError::ContainerMissing { .. })
            && err.to_string().contains(&format!("{bucket}-gone")),
        "{err}"
    );
}

// ---------------------------------------------------------------- GCS (fake-gcs-server)

fn curl(args: &[&str]) -> String {
    let out = Command::new("curl")
        .args(["-sS", "--fail-with-body", "--max-time", "10"])
        .args(args)
        .output()
        .expect("curl runs");
    let body = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "curl {args:?} failed: {body} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    body
}

fn gcs_upload(url: &str, bucket: &str, name: &str, body: &[u8]) {
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), body).unwrap();
    let upload = format!(
        "{url}/upload/storage/v1/b/{bucket}/o?uploadType=media&name={}",
        name.replace('/', "%2F")
    );
    curl(&[
        "-X",
        "POST",
        "-H",
        "Content-Type: application/json",
        "--data-binary",
        &format!("@{}", file.path().display()),
        &upload,
    ]);
}

#[tokio::test]
async fn gcs_reads_state_from_fake_gcs_server() {
    let Some(servers) = servers("gcs_reads_state_from_fake_gcs_server") else {
        return;
    };
    let url = &servers["DRIFTCOST_TEST_GCS_URL"];
    let bucket = unique("tfstate");
    curl(&[
        "-X",
        "POST",
        "-H",
        "Content-Type: application/json",
        "-d",
        &format!(r#"{{"name":"{bucket}"}}"#),
        &format!("{url}/storage/v1/b"),
    ]);
    gcs_upload(url, &bucket, "envs/net/default.tfstate", FIXTURE);
    gcs_upload(url, &bucket, "envs/net/staging.tfstate", FIXTURE);
    gcs_upload(url, &bucket, "envs/notes/default.tfstate", NOT_STATE);

    let backend = config(&format!(
        r#"
kind = "gcs"
bucket = "{bucket}"
prefix = "envs/net"
storage_custom_endpoint = "{url}/storage/v1/"
anonymous_credentials = true
"#
    ));
    let env = BackendEnv::process();
    let state = backend.read("default", &env).await.unwrap();
    assert_fixture(&state, &format!("gs://{bucket}/envs/net/default.tfstate"));
    let staging = backend.read("staging", &env).await.unwrap();
    assert_eq!(
        staging.source,
        format!("gs://{bucket}/envs/net/staging.tfstate")
    );

    let missing = backend.read("prod", &env).await.unwrap_err();
    assert!(
        matches!(missing, BackendError::NotFound { .. }),
        "{missing}"
    );
    assert!(
        missing.to_string().contains(&bucket)
            && missing.to_string().contains("envs/net/prod.tfstate"),
        "{missing}"
    );

    let not_state = config(&format!(
        "kind = \"gcs\"\nbucket = \"{bucket}\"\nprefix = \"envs/notes\"\nendpoint = \"{url}\"\nanonymous_credentials = true\n"
    ));
    let err = not_state.read("default", &env).await.unwrap_err();
    assert!(
        err.to_string().starts_with(&format!(
            "gs://{bucket}/envs/notes/default.tfstate is not a terraform state file: "
        )),
        "{err}"
    );
}

// ---------------------------------------------------------------- Azure Blob (Azurite)

#[tokio::test]
async fn azurerm_reads_state_from_azurite() {
    use azure_storage::{CloudLocation, StorageCredentials};
    use azure_storage_blobs::prelude::ClientBuilder;

    let Some(servers) = servers("azurerm_reads_state_from_azurite") else {
        return;
    };
    let url = servers["DRIFTCOST_TEST_AZURITE_URL"].clone();
    let port: u16 = url.rsplit(':').next().unwrap().parse().unwrap();
    let container = unique("tfstate");
    let service = ClientBuilder::with_location(
        CloudLocation::Emulator {
            address: "127.0.0.1".into(),
            port,
        },
        StorageCredentials::emulator(),
    );
    service
        .clone()
        .container_client(&container)
        .create()
        .await
        .unwrap();
    for (name, body) in [
        ("prod.terraform.tfstate", FIXTURE),
        ("prod.terraform.tfstateenv:staging", FIXTURE),
        ("notes.json", NOT_STATE),
    ] {
        service
            .clone()
            .blob_client(&container, name)
            .put_block_blob(body.to_vec())
            .content_type("application/json")
            .await
            .unwrap();
    }

    let job = |key: &str| {
        config(&format!(
            r#"
kind = "azurerm"
storage_account_name = "{AZURITE_ACCOUNT}"
container_name = "{container}"
key = "{key}"
endpoint = "{url}/{AZURITE_ACCOUNT}"
"#
        ))
    };
    let env = BackendEnv::fixed([("ARM_ACCESS_KEY", AZURITE_KEY)]);
    let backend = job("prod.terraform.tfstate");
    let state = backend.read("default", &env).await.unwrap();
    assert_fixture(
        &state,
        &format!("azurerm://{AZURITE_ACCOUNT}/{container}/prod.terraform.tfstate"),
    );
    let staging = backend.read("staging", &env).await.unwrap();
    assert!(
        staging
            .source
            .ends_with("prod.terraform.tfstateenv:staging")
    );

    // The connection-string route authenticates the same way.
    let conn = BackendEnv::fixed([(
        "AZURE_STORAGE_CONNECTION_STRING",
        format!(
            "DefaultEndpointsProtocol=http;AccountName={AZURITE_ACCOUNT};AccountKey={AZURITE_KEY};BlobEndpoint={url}/{AZURITE_ACCOUNT};"
        ),
    )]);
    assert_eq!(
        backend.read("default", &conn).await.unwrap().serial,
        FIXTURE_SERIAL
    );

    let missing = backend.read("prod", &env).await.unwrap_err();
    assert!(
        matches!(missing, BackendError::NotFound { .. }),
        "{missing}"
    );
    assert!(
        missing.to_string().contains(&container)
            && missing
                .to_string()
                .contains("prod.terraform.tfstateenv:prod"),
        "{missing}"
    );

    let err = job("notes.json").read("default", &env).await.unwrap_err();
    assert!(
        err.to_string().starts_with(&format!(
            "azurerm://{AZURITE_ACCOUNT}/{container}/notes.json is not a terraform state file: "
        )),
        "{err}"
    );

    let wrong_key = BackendEnv::fixed([(
        "ARM_ACCESS_KEY",
        "d3Jvbmcta2V5LXdyb25nLWtleS13cm9uZy1rZXktd3Jvbmcta2V5LXdyb25nLWtleQ==",
    )]);
    let err = backend.read("default", &wrong_key).await.unwrap_err();
    assert!(matches!(err, BackendError::AccessDenied { .. }), "{err}");
    assert!(err.to_string().contains("ARM_ACCESS_KEY"), "{err}");
}

// ---------------------------------------------------------------- terraform's own s3 backend

/// A workspace with only `terraform_data` resources (built into terraform: no provider
/// download) whose state terraform itself keeps in moto.
fn terraform_data_workspace(dir: &Path, bucket: &str, url: &str) {
    std::fs::write(
        dir.join("main.tf"),
        format!(
            r#"
terraform {{
  backend "s3" {{
    bucket                      = "{bucket}"
    key                         = "ws/terraform.tfstate"
    region                      = "us-east-1"
    endpoints                   = {{ s3 = "{url}" }}
    use_path_style              = true
    skip_credentials_validation = true
    skip_requesting_account_id  = true
    skip_metadata_api_check     = true
    skip_region_validation      = true
    use_lockfile                = true
  }}
}}

variable "owner" {{
  type    = string
  default = "platform"
}}

resource "terraform_data" "network" {{
  input = {{ cidr = "10.0.0.0/16", owner = var.owner }}
}}
"#
        ),
    )
    .unwrap();
}

fn terraform(dir: &Path, cli_config: &Path, args: &[&str]) -> String {
    let out = Command::new("terraform")
        .args(args)
        .current_dir(dir)
        .env("TF_CLI_CONFIG_FILE", cli_config)
        .env("CHECKPOINT_DISABLE", "1")
        .env("TF_IN_AUTOMATION", "1")
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env_remove("AWS_PROFILE")
        .output()
        .expect("terraform is on PATH");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "terraform {args:?} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

#[tokio::test]
async fn terraform_s3_backend_state_reads_back_from_moto() {
    let Some(servers) = servers("terraform_s3_backend_state_reads_back_from_moto") else {
        return;
    };
    let url = &servers["DRIFTCOST_TEST_S3_URL"];
    let bucket = unique("tf-backend");
    s3_client(url)
        .await
        .create_bucket()
        .bucket(&bucket)
        .send()
        .await
        .unwrap();

    let dir = tempfile::tempdir().unwrap();
    let cli_config: PathBuf = dir.path().join("terraformrc");
    std::fs::write(&cli_config, "").unwrap();
    let ws = dir.path().join("ws");
    std::fs::create_dir(&ws).unwrap();
    terraform_data_workspace(&ws, &bucket, url);
    terraform(&ws, &cli_config, &["init", "-input=false", "-no-color"]);
    terraform(
        &ws,
        &cli_config,
        &["apply", "-auto-approve", "-input=false", "-no-color"],
    );
    terraform(
        &ws,
        &cli_config,
        &[
            "apply",
            "-auto-approve",
            "-input=false",
            "-no-color",
            "-var",
            "owner=networking",
        ],
    );
    let pulled: serde_json::Value =
        serde_json::from_str(&terraform(&ws, &cli_config, &["state", "pull"])).unwrap();

    // Backend settings straight from the workspace's own backend block.
    let backend = BackendConfig::from_workspace_dir(&ws).unwrap();
    let state = backend.read("default", &aws_env()).await.unwrap();
    assert_eq!(state.source, format!("s3://{bucket}/ws/terraform.tfstate"));
    assert_eq!(Some(state.serial), pulled["serial"].as_u64());
    assert_eq!(Some(state.lineage.as_str()), pulled["lineage"].as_str());
    assert_eq!(
        state.state["resources"][0]["instances"][0]["attributes"]["input"]["value"]["owner"],
        "networking"
    );

    // A non-default workspace: terraform writes env:/staging/<key>, driftcost reads it there.
    terraform(
        &ws,
        &cli_config,
        &["workspace", "new", "-no-color", "staging"],
    );
    terraform(
        &ws,
        &cli_config,
        &["apply", "-auto-approve", "-input=false", "-no-color"],
    );
    let staging = backend.read("staging", &aws_env()).await.unwrap();
    assert_eq!(
        staging.source,
        format!("s3://{bucket}/env:/staging/ws/terraform.tfstate")
    );
    assert_ne!(staging.lineage, state.lineage);
}
