//! The workspace's own `terraform { backend "…" {} }` block, read with an HCL parser.
//!
//! Terraform forbids variables in backend blocks, so literal values are all there is;
//! anything else (a partial configuration completed with `-backend-config`) is left out
//! and must come from the job file. Credential fields are dropped here (with a warning)
//! instead of refused, because the workspace's files are not ours to fix.

use std::path::Path;

use hcl::{Block, Expression, ObjectKey};
use serde_json::{Map, Value};

use super::{BackendConfig, BackendError, LocalConfig};

/// Fields whose values are secrets; driftcost takes credentials from the environment only.
const CREDENTIAL_FIELDS: &[&str] = &[
    "access_key",
    "secret_key",
    "token",
    "sas_token",
    "client_secret",
    "client_certificate_password",
    "credentials",
    "access_token",
    "encryption_key",
];

pub(super) fn from_workspace_dir(dir: &Path) -> Result<BackendConfig, BackendError> {
    let block_err = |problem: String| BackendError::WorkspaceBlock {
        dir: dir.to_path_buf(),
        problem,
    };
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| block_err(format!("cannot list the directory: {e}")))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|ext| ext == "tf"))
        .collect();
    files.sort();

    let mut found: Option<(String, Map<String, Value>, String)> = None;
    for file in &files {
        let text = std::fs::read_to_string(file)
            .map_err(|e| block_err(format!("cannot read {}: {e}", file.display())))?;
        let body = hcl::parse(&text)
            .map_err(|e| block_err(format!("{} is not valid HCL: {e}", file.display())))?;
        for terraform in body.blocks().filter(|b| b.identifier() == "terraform") {
            if terraform.body().blocks().any(|b| b.identifier() == "cloud") {
                return Err(block_err(format!(
                    "{} uses a `cloud` block (HCP Terraform); driftcost reads s3, gcs, azurerm and local state",
                    file.display()
                )));
            }
            for backend in terraform
                .body()
                .blocks()
                .filter(|b| b.identifier() == "backend")
            {
                let kind = backend
                    .labels()
                    .first()
                    .map(|l| l.as_str().to_owned())
                    .ok_or_else(|| block_err("a backend block has no type label".into()))?;
                if let Some((_, _, first)) = &found {
                    return Err(block_err(format!(
                        "more than one backend block ({first} and {}); terraform allows one",
                        file.display()
                    )));
                }
                found = Some((
                    kind,
                    literal_attributes(backend),
                    file.display().to_string(),
                ));
            }
        }
    }

    let Some((kind, mut attrs, file)) = found else {
        return Ok(BackendConfig::Local(LocalConfig::default()).relative_to(dir));
    };
    if !matches!(kind.as_str(), "local" | "s3" | "gcs" | "azurerm") {
        return Err(block_err(format!(
            "{file} uses the `{kind}` backend; driftcost reads s3, gcs, azurerm and local state"
        )));
    }
    for field in CREDENTIAL_FIELDS {
        if attrs.remove(*field).is_some() {
            tracing::warn!(
                file = %file,
                field,
                "ignoring a credential in the workspace's backend block; credentials come from the environment"
            );
        }
    }
    attrs.insert("kind".into(), Value::String(kind));
    let config: BackendConfig = serde_json::from_value(Value::Object(attrs)).map_err(|e| {
        block_err(format!(
            "the backend block in {file} is incomplete for driftcost ({e}); \
             set the missing fields in the job's [backend] section (they may come from -backend-config)"
        ))
    })?;
    Ok(config.relative_to(dir))
}

/// The block's attributes whose values are literals (strings, numbers, bools, and objects
/// of those, such as `endpoints = { s3 = "…" }`).
fn literal_attributes(block: &Block) -> Map<String, Value> {
    block
        .body()
        .attributes()
        .filter_map(|attr| literal(attr.expr()).map(|v| (attr.key().to_owned(), v)))
        .collect()
}

fn literal(expr: &Expression) -> Option<Value> {
    match expr {
        Expression::String(s) => Some(Value::String(s.clone())),
        Expression::Bool(b) => Some(Value::Bool(*b)),
        Expression::Number(n) => serde_json::to_value(n).ok(),
        Expression::Parenthesis(inner) => literal(inner),
        Expression::Array(items) => items
            .iter()
            .map(literal)
            .collect::<Option<Vec<_>>>()
            .map(Value::Array),
        Expression::Object(object) => {
            let mut map = Map::new();
            for (key, value) in object {
                let key = match key {
                    ObjectKey::Identifier(id) => id.as_str().to_owned(),
                    ObjectKey::Expression(Expression::String(s)) => s.clone(),
                    _ => continue,
                };
                if let Some(v) = literal(value) {
                    map.insert(key, v);
                }
            }
            Some(Value::Object(map))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn workspace(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        dir
    }

    #[test]
    fn reads_literal_s3_block_and_drops_credentials() {
        let dir = workspace(&[
            ("main.tf", "resource \"terraform_data\" \"a\" {}\n"),
            (
                "backend.tf",
                r#"
terraform {
  required_version = ">= 1.5"
  backend "s3" {
    bucket         = "tfstate"
    key            = "ws/terraform.tfstate"
    region         = "us-east-1"
    endpoints      = { s3 = "http://127.0.0.1:9000" }
    use_path_style = true
    secret_key     = "do-not-read"
    skip_credentials_validation = true
  }
}
"#,
            ),
        ]);
        let config = BackendConfig::from_workspace_dir(dir.path()).unwrap();
        let BackendConfig::S3(s3) = &config else {
            panic!("{config:?}")
        };
        assert_eq!(s3.bucket, "tfstate");
        assert_eq!(s3.key, "ws/terraform.tfstate");
        assert_eq!(s3.region.as_deref(), Some("us-east-1"));
        assert_eq!(s3.endpoint_url(), Some("http://127.0.0.1:9000"));
        assert!(s3.use_path_style);
        config.validate().unwrap();
    }

    #[test]
    fn no_block_means_local_state_next_to_the_configuration() {
        let dir = workspace(&[("main.tf", "terraform {}\n")]);
        let config = BackendConfig::from_workspace_dir(dir.path()).unwrap();
        assert_eq!(
            config.state_location("default"),
            dir.path().join("terraform.tfstate").display().to_string()
        );
    }

    #[test]
    fn gcs_and_azurerm_blocks() {
        let dir = workspace(&[(
            "b.tf",
            "terraform {\n backend \"gcs\" {\n bucket = \"b\"\n prefix = \"net\"\n }\n}\n",
        )]);
        let config = BackendConfig::from_workspace_dir(dir.path()).unwrap();
        assert_eq!(config.state_location("dev"), "gs://b/net/dev.tfstate");

        let dir = workspace(&[(
            "b.tf",
            "terraform {\n backend \"azurerm\" {\n storage_account_name = \"acct\"\n container_name = \"c\"\n key = \"k\"\n access_key = \"x\"\n }\n}\n",
        )]);
        let config = BackendConfig::from_workspace_dir(dir.path()).unwrap();
        assert_eq!(config.state_location("default"), "azurerm://acct/c/k");
        config.validate().unwrap();
    }

    #[test]
    fn partial_block_says_where_to_complete_it() {
        let dir = workspace(&[(
            "b.tf",
            "terraform {\n backend \"s3\" {\n region = \"us-east-1\"\n }\n}\n",
        )]);
        let err = BackendConfig::from_workspace_dir(dir.path())
            .unwrap_err()
            .to_string();
        assert!(err.contains("bucket") && err.contains("[backend]"), "{err}");
    }

    #[test]
    fn unsupported_backend_is_named() {
        let dir = workspace(&[("b.tf", "terraform {\n backend \"consul\" {}\n}\n")]);
        let err = BackendConfig::from_workspace_dir(dir.path())
            .unwrap_err()
            .to_string();
        assert!(err.contains("`consul`"), "{err}");
    }
}
