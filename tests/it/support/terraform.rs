//! Running real terraform offline against the file-backed test provider
//! (`tests/tf-provider`, served as `hashicorp/aws` 0.1.0 from a filesystem mirror).
//!
//! Use from an integration test as `crate::support::terraform`. Every terraform started here gets its own CLI config, data dir and
//! a clean environment, so the machine's settings (a `TF_CLI_CONFIG_FILE` that does not
//! exist, `RUST_BACKTRACE=1`) never leak into a run.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// Environment variable naming the cloud directory when the provider block does not.
pub const CLOUD_DIR_ENV: &str = "DRIFTCOST_TEST_CLOUD_DIR";
/// Set to a resource id (or `*`) and the provider's `read` of it never returns.
pub const HANG_ON_READ_ENV: &str = "DRIFTCOST_TEST_PROVIDER_HANG_ON_READ";

/// Builds the test provider once per test process and returns the mirror directory; the CLI
/// config file for it is `<mirror>/terraformrc`.
pub fn ensure_mirror() -> PathBuf {
    static MIRROR: OnceLock<PathBuf> = OnceLock::new();
    MIRROR
        .get_or_init(|| {
            let root = Path::new(env!("CARGO_MANIFEST_DIR"));
            let out = Command::new("bash")
                .arg(root.join("scripts/build-test-provider.sh"))
                .current_dir(root)
                .output()
                .expect("run scripts/build-test-provider.sh (needs bash and cargo)");
            assert!(
                out.status.success(),
                "scripts/build-test-provider.sh failed:\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let path = String::from_utf8(out.stdout).expect("mirror path is UTF-8");
            PathBuf::from(path.trim())
        })
        .clone()
}

/// The environment every terraform run gets, for tests that start terraform through
/// driftcost rather than through [`terraform`]. `dir` is the workspace directory.
pub fn terraform_env(dir: &Path) -> Vec<(&'static str, String)> {
    let mirror = ensure_mirror();
    vec![
        (
            "TF_CLI_CONFIG_FILE",
            mirror.join("terraformrc").display().to_string(),
        ),
        ("TF_DATA_DIR", dir.join(".terraform").display().to_string()),
        ("CHECKPOINT_DISABLE", "1".into()),
        ("TF_IN_AUTOMATION", "1".into()),
        ("TF_INPUT", "0".into()),
    ]
}

/// Variables removed from every terraform run: they change terraform's or the provider's
/// behaviour and come from the machine, not the test.
pub const SCRUBBED_ENV: &[&str] = &[
    "RUST_BACKTRACE",
    "TF_LOG",
    "TF_LOG_PATH",
    "TF_PLUGIN_CACHE_DIR",
    "TF_WORKSPACE",
    CLOUD_DIR_ENV,
    HANG_ON_READ_ENV,
];

/// Runs `terraform <args>` in `dir` with the test environment plus `env`; returns its
/// output whatever the exit code (see [`terraform_ok`]).
pub fn terraform(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new("terraform");
    cmd.args(args).current_dir(dir);
    for name in SCRUBBED_ENV {
        cmd.env_remove(name);
    }
    for (k, v) in terraform_env(dir) {
        cmd.env(k, v);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run terraform (is it on the PATH?)")
}

/// [`terraform`], failing the test with terraform's output when it exits non-zero.
pub fn terraform_ok(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let out = terraform(dir, args, env);
    assert!(
        out.status.success(),
        "terraform {} failed in {} ({}):\n--- stdout\n{}\n--- stderr\n{}",
        args.join(" "),
        dir.display(),
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Writes `main.tf` in `dir`: the `terraform` block pinning the test provider (with
/// `backend`, an HCL `backend "…" { … }` block, inside it when given), an `aws` provider
/// block for `cloud_dir` in `region`, then `body` (resources, variables, outputs).
pub fn write_workspace(
    dir: &Path,
    cloud_dir: &Path,
    region: &str,
    backend: Option<&str>,
    body: &str,
) {
    std::fs::create_dir_all(dir).expect("create workspace dir");
    let main_tf = format!(
        r#"terraform {{
  required_providers {{
    aws = {{ source = "hashicorp/aws", version = "0.1.0" }}
  }}
{backend}
}}

provider "aws" {{
  cloud_dir = "{cloud_dir}"
  region    = "{region}"
}}

{body}
"#,
        backend = backend.unwrap_or(""),
        cloud_dir = cloud_dir.display(),
    );
    std::fs::write(dir.join("main.tf"), main_tf).expect("write main.tf");
}

/// The JSON file behind one object of the fake cloud.
pub fn cloud_object_path(cloud_dir: &Path, resource_type: &str, id: &str) -> PathBuf {
    cloud_dir.join(resource_type).join(format!("{id}.json"))
}

/// Reads, changes and writes back one object of the fake cloud: drift behind terraform's back.
pub fn edit_cloud_object(
    cloud_dir: &Path,
    resource_type: &str,
    id: &str,
    edit: impl FnOnce(&mut serde_json::Value),
) {
    let path = cloud_object_path(cloud_dir, resource_type, id);
    let text = std::fs::read_to_string(&path).expect("read cloud object");
    let mut value: serde_json::Value = serde_json::from_str(&text).expect("cloud object is JSON");
    edit(&mut value);
    std::fs::write(&path, serde_json::to_vec_pretty(&value).unwrap()).expect("write cloud object");
}

/// Ids by resource address from the local state file (`terraform.tfstate` in `dir`).
pub fn state_ids(dir: &Path) -> std::collections::BTreeMap<String, String> {
    let text = std::fs::read_to_string(dir.join("terraform.tfstate")).expect("read local state");
    let state: serde_json::Value = serde_json::from_str(&text).expect("state is JSON");
    let mut ids = std::collections::BTreeMap::new();
    for r in state["resources"].as_array().into_iter().flatten() {
        let address = format!(
            "{}.{}",
            r["type"].as_str().unwrap_or_default(),
            r["name"].as_str().unwrap_or_default()
        );
        if let Some(id) = r["instances"][0]["attributes"]["id"].as_str() {
            ids.insert(address, id.to_string());
        }
    }
    ids
}

/// `ws`: one applied `aws_instance` with local state; its cloud in `cloud`.
pub fn applied_instance(ws: &Path, cloud: &Path) {
    write_workspace(
        ws,
        cloud,
        "us-east-1",
        None,
        "resource \"aws_instance\" \"web\" {\n  ami = \"ami-1\"\n  instance_type = \"t3.micro\"\n}\n",
    );
    let env = terraform_env(ws);
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    terraform_ok(ws, &["init", "-input=false"], &env);
    terraform_ok(ws, &["apply", "-auto-approve", "-input=false"], &env);
}
