//! `driftcost scan` end to end: real terraform, the file-backed test provider,
//! local state. Out-of-band edits to the provider's files are real drift.

use crate::support;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};
use support::terraform::{
    edit_cloud_object, ensure_mirror, state_ids, terraform_env, terraform_ok, write_workspace,
};

const SECRET_1: &str = "Sup3r-Secret-Passw0rd-one";
const SECRET_2: &str = "Sup3r-Secret-Passw0rd-two";

const WORKSPACE: &str = r#"
variable "db_password" {
  type      = string
  sensitive = true
}

resource "aws_instance" "web" {
  ami           = "ami-0c55b159cbfafe1f0"
  instance_type = "t3.micro"
  tags          = { Name = "web", owner = "alice" }
}

resource "aws_db_instance" "orders" {
  identifier        = "orders"
  instance_class    = "db.t3.micro"
  engine            = "postgres"
  allocated_storage = 20
  username          = "app"
  password          = var.db_password
}

resource "aws_s3_bucket" "logs" {
  bucket = "driftcost-scan-logs"
}
"#;

struct Ws {
    _tmp: tempfile::TempDir,
    root: PathBuf,
    dir: PathBuf,
    cloud: PathBuf,
    work: PathBuf,
}

fn applied_workspace(body: &str) -> Ws {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().to_path_buf();
    let dir = root.join("ws");
    let cloud = root.join("cloud");
    let work = root.join("work");
    std::fs::create_dir_all(&work).unwrap();
    write_workspace(&dir, &cloud, "us-east-1", None, body);
    let env = tf_env(&dir);
    let env_ref: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    terraform_ok(&dir, &["init", "-input=false"], &env_ref);
    terraform_ok(&dir, &["apply", "-auto-approve", "-input=false"], &env_ref);
    Ws {
        _tmp: tmp,
        root,
        dir,
        cloud,
        work,
    }
}

fn tf_env(dir: &Path) -> Vec<(&'static str, String)> {
    let mut env = terraform_env(dir);
    env.push(("TF_VAR_db_password", SECRET_1.to_string()));
    env
}

fn write_job(ws: &Ws, extra: &str) -> PathBuf {
    let job = ws.root.join("jobs.toml");
    std::fs::write(
        &job,
        format!("[[workspace]]\nname = \"shop\"\ndir = \"ws\"\nenv = [\"TF_VAR_db_password\"]\ntimeout = \"2m\"\n{extra}\n"),
    )
    .unwrap();
    job
}

/// Runs driftcost with the mirror's CLI config, the sensitive variable in the
/// environment, and a private temp dir so leftover files can be inspected.
fn driftcost(ws: &Ws, args: &[&str], extra_env: &[(&str, &str)]) -> Output {
    let mirror = ensure_mirror();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_driftcost"));
    cmd.args(args)
        .env("TF_CLI_CONFIG_FILE", mirror.join("terraformrc"))
        .env("TF_VAR_db_password", SECRET_1)
        .env("TMPDIR", &ws.work)
        .env("DRIFTCOST_LOG", "debug")
        .env_remove("RUST_BACKTRACE")
        .env_remove("TF_DATA_DIR")
        .env_remove("TF_PLUGIN_CACHE_DIR");
    for (k, v) in extra_env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn untouched_workspace_has_no_drift_and_exits_0() {
    let ws = applied_workspace(WORKSPACE);
    let job = write_job(&ws, "");
    let out = driftcost(
        &ws,
        &[
            "scan",
            "--config",
            job.to_str().unwrap(),
            "--workspace",
            "shop",
        ],
        &[],
    );
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{stderr}");
    assert!(stdout.contains("No drift in workspace shop"), "{stdout}");
}

#[test]
fn changed_deleted_and_sensitive_drift_with_cost_and_no_secret_anywhere() {
    let ws = applied_workspace(WORKSPACE);
    let ids = state_ids(&ws.dir);
    edit_cloud_object(&ws.cloud, "aws_instance", &ids["aws_instance.web"], |v| {
        v["instance_type"] = "m5.large".into();
        v["tags"]["owner"] = "bob".into();
        v["tags_all"]["owner"] = "bob".into();
    });
    edit_cloud_object(
        &ws.cloud,
        "aws_db_instance",
        &ids["aws_db_instance.orders"],
        |v| {
            v["password"] = SECRET_2.into();
        },
    );
    std::fs::remove_file(support::terraform::cloud_object_path(
        &ws.cloud,
        "aws_s3_bucket",
        &ids["aws_s3_bucket.logs"],
    ))
    .unwrap();
    let job = write_job(&ws, "");
    let integrity = ws.root.join("integrity.json");
    let out = driftcost(
        &ws,
        &[
            "scan",
            "--config",
            job.to_str().unwrap(),
            "--workspace",
            "shop",
            "--format",
            "json",
            "--integrity-file",
            integrity.to_str().unwrap(),
        ],
        &[],
    );
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{stdout}\n{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["scan"]["outcome"], "drifted");
    let items = report["items"].as_array().unwrap();
    let item = |addr: &str| {
        items
            .iter()
            .find(|i| i["address"] == addr)
            .unwrap_or_else(|| panic!("{addr} missing: {stdout}"))
    };

    let web = item("aws_instance.web");
    assert_eq!(web["kind"], "changed");
    let paths: Vec<&str> = web["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["path"].as_str().unwrap())
        .collect();
    assert!(paths.contains(&"instance_type"), "{paths:?}");
    assert!(paths.contains(&"tags.owner"), "{paths:?}");
    assert!(
        !paths.iter().any(|p| p.starts_with("tags_all")),
        "tags_all mirrors tags: {paths:?}"
    );
    // t3.micro → m5.large in us-east-1: (0.096 - 0.0104) × 730 = 62.488 more per month.
    let delta: f64 = web["monthly_cost"]["delta"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((delta - 62.488).abs() < 1e-9, "{}", web["monthly_cost"]);

    assert_eq!(item("aws_s3_bucket.logs")["kind"], "deleted");
    let db = item("aws_db_instance.orders");
    let pw = db["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["path"] == "password")
        .expect("password change");
    assert_eq!(pw["sensitive"], true);

    // The secret is nowhere: output, logs, the integrity file, or leftovers of the run.
    for (what, body) in [("stdout", &stdout), ("stderr", &stderr)] {
        assert!(
            !body.contains(SECRET_1) && !body.contains(SECRET_2),
            "secret in {what}"
        );
    }
    let leftovers = files_under(&ws.work);
    assert!(
        leftovers.is_empty(),
        "the working copy must be removed: {leftovers:?}"
    );
    let integrity_text = std::fs::read_to_string(&integrity).unwrap();
    assert!(!integrity_text.contains(SECRET_1) && !integrity_text.contains(SECRET_2));
}

#[test]
fn ignore_rules_from_the_job_and_lifecycle_are_honoured() {
    let body = WORKSPACE.replace(
        "tags          = { Name = \"web\", owner = \"alice\" }",
        "tags          = { Name = \"web\", owner = \"alice\" }\n  lifecycle {\n    ignore_changes = [tags[\"owner\"]]\n  }",
    );
    let ws = applied_workspace(&body);
    let ids = state_ids(&ws.dir);
    edit_cloud_object(&ws.cloud, "aws_instance", &ids["aws_instance.web"], |v| {
        v["tags"]["owner"] = "bob".into();
        v["tags_all"]["owner"] = "bob".into();
        v["tags"]["LastScanned"] = "today".into();
        v["tags_all"]["LastScanned"] = "today".into();
    });
    let job = write_job(
        &ws,
        "ignore = [\"aws_instance.*.tags.LastScanned\", \"aws_instance.*.tags_all.*\"]",
    );
    let out = driftcost(
        &ws,
        &[
            "scan",
            "--config",
            job.to_str().unwrap(),
            "--workspace",
            "shop",
            "--format",
            "json",
        ],
        &[],
    );
    let (stdout, stderr) = text(&out);
    assert_eq!(
        out.status.code(),
        Some(0),
        "both changes are ignored: {stdout}\n{stderr}"
    );
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert!(
        report["summary"]["ignored_changes"].as_u64().unwrap() >= 2,
        "{stdout}"
    );
}

#[test]
fn bad_hcl_quotes_terraforms_diagnostic() {
    let ws = applied_workspace(WORKSPACE);
    std::fs::write(
        ws.dir.join("broken.tf"),
        "resource \"aws_s3_bucket\" \"x\" {\n  bucket = \"a\"\n  no_such_argument = 1\n}\n",
    )
    .unwrap();
    let job = write_job(&ws, "");
    let out = driftcost(
        &ws,
        &[
            "scan",
            "--config",
            job.to_str().unwrap(),
            "--workspace",
            "shop",
        ],
        &[],
    );
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(stderr.contains("workspace shop"), "{stderr}");
    assert!(
        stderr.contains("broken.tf line 3"),
        "terraform's diagnostic with file and line: {stderr}"
    );
    assert!(stderr.contains("Unsupported argument"), "{stderr}");
}

#[test]
fn a_hung_provider_is_killed_at_the_timeout() {
    let ws = applied_workspace(WORKSPACE);
    let job = write_job(&ws, "");
    let started = Instant::now();
    let out = driftcost(
        &ws,
        &[
            "scan",
            "--config",
            job.to_str().unwrap(),
            "--workspace",
            "shop",
            "--timeout",
            "4s",
        ],
        &[("DRIFTCOST_TEST_PROVIDER_HANG_ON_READ", "*")],
    );
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(
        stderr.contains("workspace shop: plan timed out after 4s"),
        "{stderr}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "took {:?}",
        started.elapsed()
    );
    assert!(
        files_under(&ws.work).is_empty(),
        "the working copy is removed after a timeout"
    );
}

#[test]
fn a_rolled_back_state_raises_an_integrity_alert() {
    let ws = applied_workspace(WORKSPACE);
    let job = write_job(&ws, "");
    let integrity = ws.root.join("integrity.json");
    let scan = |ws: &Ws| {
        driftcost(
            ws,
            &[
                "scan",
                "--config",
                job.to_str().unwrap(),
                "--workspace",
                "shop",
                "--format",
                "json",
                "--integrity-file",
                integrity.to_str().unwrap(),
            ],
            &[],
        )
    };
    let old_state = std::fs::read(ws.dir.join("terraform.tfstate")).unwrap();
    let first = scan(&ws);
    assert_eq!(first.status.code(), Some(0), "{:?}", text(&first));

    // A new apply moves the serial forward; then someone restores the old file.
    let body = WORKSPACE.replace("owner = \"alice\"", "owner = \"carol\"");
    std::fs::write(
        ws.dir.join("main.tf"),
        std::fs::read_to_string(ws.dir.join("main.tf"))
            .unwrap()
            .replace(WORKSPACE, &body),
    )
    .unwrap();
    let env = tf_env(&ws.dir);
    let env_ref: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    terraform_ok(
        &ws.dir,
        &["apply", "-auto-approve", "-input=false"],
        &env_ref,
    );
    let second = scan(&ws);
    assert_eq!(second.status.code(), Some(0), "{:?}", text(&second));
    std::fs::write(ws.dir.join("terraform.tfstate"), old_state).unwrap();

    let third = scan(&ws);
    let (stdout, stderr) = text(&third);
    assert_eq!(third.status.code(), Some(2), "{stdout}\n{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let alerts = report["integrity_alerts"].as_array().unwrap();
    assert!(
        alerts.iter().any(|a| a["kind"] == "serial_rolled_back"),
        "{stdout}"
    );
}
