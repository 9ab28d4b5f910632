//! Workspace paths as people type them: relative, absolute, `.` and through a
//! symlink, on the command line and in job files (`dir = "../infra/x"`), with
//! local state next to the configuration. Each is resolved once, against the
//! right base: the current directory for CLI arguments, the job file's folder
//! for `dir`.

use crate::support;

use std::path::Path;
use std::process::{Command, Output};
use support::cli::text;
use support::terraform::{applied_instance, ensure_mirror, write_workspace};

fn driftcost_in(cwd: &Path, args: &[&str]) -> Output {
    let mirror = ensure_mirror();
    Command::new(env!("CARGO_BIN_EXE_driftcost"))
        .args(args)
        .current_dir(cwd)
        .env("TF_CLI_CONFIG_FILE", mirror.join("terraformrc"))
        .env_remove("RUST_BACKTRACE")
        .env_remove("TF_DATA_DIR")
        .env_remove("TF_PLUGIN_CACHE_DIR")
        .env_remove("DRIFTCOST_STORE")
        .env_remove("DRIFTCOST_TEST_PROVIDER_HANG_ON_READ")
        .output()
        .unwrap()
}

/// `root/infra/app`: one applied instance with local state; its cloud in `root/cloud`.
fn applied(root: &Path) -> std::path::PathBuf {
    let ws = root.join("infra/app");
    applied_instance(&ws, &root.join("cloud"));
    ws
}

#[test]
fn scan_finds_local_state_for_relative_absolute_dot_and_symlinked_dirs() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let ws = applied(root);
    std::os::unix::fs::symlink(&ws, root.join("linked")).unwrap();
    let abs = ws.to_str().unwrap().to_string();
    let cases: [(&Path, &str); 5] = [
        (root, "infra/app"),
        (root, "./infra/app/"),
        (root, abs.as_str()),
        (&ws, "."),
        (root, "linked"),
    ];
    for (cwd, arg) in cases {
        let out = driftcost_in(cwd, &["scan", arg, "--format", "json"]);
        assert_eq!(out.status.code(), Some(0), "scan {arg}: {}", text(&out));
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let source = report["scan"]["state_source"].as_str().unwrap_or_default();
        assert!(
            source.ends_with("infra/app/terraform.tfstate")
                || source.ends_with("linked/terraform.tfstate"),
            "scan {arg}: state read from {source}"
        );
        assert!(
            !source.contains("infra/app/infra/app"),
            "scan {arg}: joined twice: {source}"
        );
    }
}

#[test]
fn worker_and_scan_resolve_job_dirs_against_the_job_file() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    applied(root);
    let jobs = root.join("jobs");
    std::fs::create_dir_all(&jobs).unwrap();
    std::fs::write(
        jobs.join("app.toml"),
        "[[workspace]]\nname = \"app\"\ndir = \"../infra/app\"\n",
    )
    .unwrap();
    let store = root.join("runs.db");
    let store = store.to_str().unwrap();
    // `--jobs jobs` (relative), the default `--jobs`, and an absolute path.
    for args in [
        vec![
            "worker", "--once", "--all", "--jobs", "jobs", "--store", store,
        ],
        vec!["worker", "--once", "--all", "--store", store],
        vec![
            "worker",
            "--once",
            "--all",
            "--jobs",
            jobs.to_str().unwrap(),
            "--store",
            store,
        ],
    ] {
        let out = driftcost_in(root, &args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", text(&out));
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(stdout.contains("app"), "{args:?}: {}", text(&out));
    }
    // From another folder, through the job file's relative path.
    let out = driftcost_in(
        &root.join("infra"),
        &["scan", "--config", "../jobs/app.toml", "--workspace", "app"],
    );
    assert_eq!(out.status.code(), Some(0), "scan --config: {}", text(&out));
}

#[test]
fn missing_local_state_speaks_of_a_path_not_a_bucket() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    write_workspace(
        &ws,
        &tmp.path().join("cloud"),
        "us-east-1",
        Some("  backend \"local\" {\n    path = \"state/missing.tfstate\"\n  }"),
        "",
    );
    let out = driftcost_in(tmp.path(), &["scan", "ws"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("bucket"), "{}", text(&out));
    assert!(
        stderr.contains("ws/state/missing.tfstate"),
        "{}",
        text(&out)
    );
    assert!(!stderr.contains("ws/ws/"), "{}", text(&out));
}
