//! `driftcost comment github --path <workspace dir>`: real terraform (offline,
//! the file-backed test provider) plans the directory in a private copy, and
//! the comment prices that plan; drift in a plan shows masked.

use crate::support;

use std::path::Path;
use std::process::Output;
use support::terraform::{ensure_mirror, write_workspace};

fn driftcost(args: &[&str], tmpdir: &Path) -> Output {
    let mirror = ensure_mirror();
    std::process::Command::new(env!("CARGO_BIN_EXE_driftcost"))
        .args(args)
        .env("TF_CLI_CONFIG_FILE", mirror.join("terraformrc"))
        .env("TMPDIR", tmpdir)
        .env_remove("TF_DATA_DIR")
        .env_remove("TF_PLUGIN_CACHE_DIR")
        .env_remove("GITHUB_API_URL")
        .output()
        .unwrap()
}

#[test]
fn a_workspace_directory_is_planned_and_priced() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("prod");
    let work = tmp.path().join("work");
    std::fs::create_dir_all(&work).unwrap();
    write_workspace(
        &dir,
        &tmp.path().join("cloud"),
        "us-east-1",
        None,
        "resource \"aws_instance\" \"web\" {\n  ami = \"ami-1\"\n  instance_type = \"m5.large\"\n}\n",
    );
    let out = driftcost(
        &[
            "comment",
            "github",
            "--repo",
            "acme/infra",
            "--pr",
            "7",
            "--dry-run",
            "--path",
            dir.to_str().unwrap(),
        ],
        &work,
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(
        stdout.starts_with("<!-- driftcost:comment repo=acme/infra pr=7 -->\n"),
        "{stdout}"
    );
    // m5.large on demand in us-east-1: 0.096 × 730 = 70.08 a month, plus the
    // provider's default 8 GB gp2 root volume at 0.10 = 0.80.
    assert!(
        stdout.contains("| prod | $0.00 | $70.88 | +$70.88 |"),
        "{stdout}"
    );
    assert!(
        stdout.contains("| **aws\\_instance.web** (created) |"),
        "{stdout}"
    );
    assert!(
        stdout.contains("on-demand, m5.large) | 730 | hours | - | $70.08 |"),
        "{stdout}"
    );
    assert!(!stdout.contains("Drift found"), "{stdout}");
    // The directory itself was not written to: the runner worked in a copy.
    let left: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(left, vec![std::ffi::OsString::from("main.tf")]);
}

#[test]
fn a_broken_workspace_names_the_directory_and_terraforms_diagnostic() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("broken");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("main.tf"), "resource \"aws_instance\" {\n").unwrap();
    let out = driftcost(
        &[
            "comment",
            "github",
            "--repo",
            "acme/infra",
            "--pr",
            "7",
            "--dry-run",
            "--path",
            dir.to_str().unwrap(),
        ],
        tmp.path(),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!("planning the workspace in {}", dir.display())),
        "{stderr}"
    );
    assert!(stderr.contains("init failed"), "{stderr}");
    assert!(
        stderr.contains("Unclosed configuration block") || stderr.contains("Invalid"),
        "{stderr}"
    );
}

#[test]
fn drift_in_a_plan_shows_in_the_comment_with_sensitive_values_masked() {
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/drift_sensitive_password.json");
    let tmp = tempfile::tempdir().unwrap();
    let out = driftcost(
        &[
            "comment",
            "github",
            "--repo",
            "acme/infra",
            "--pr",
            "7",
            "--dry-run",
            "--path",
            fixture.to_str().unwrap(),
        ],
        tmp.path(),
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let drift = &stdout[stdout
        .find("#### Drift found while planning")
        .expect("a drift section")..];
    assert!(drift.contains("<details>\n<summary>Drift in drift&#95;sensitive&#95;password: 1 resource changed outside terraform</summary>"), "{drift}");
    assert!(
        drift.contains("<code>password</code>: (sensitive)"),
        "{drift}"
    );
    for secret in [
        "hunter2-SUPER-secret-before",
        "rotated-OUT-OF-BAND-s3cret-after",
        "hunter2",
        "s3cret",
    ] {
        assert!(!stdout.contains(secret), "{secret} leaked:\n{stdout}");
    }
}
