//! Workers on bad days: a run that panics, runs another worker holds, and a
//! worker killed with SIGKILL while terraform runs (terraform must go with it,
//! and its working copies are cleaned by the next worker).

use crate::support;

use driftcost::jobs::JobFile;
use driftcost::pricing::PriceTable;
use driftcost::store::{RunStatus, Store, Trigger};
use driftcost::worker::{BeforeScan, Catalog, Worker, WorkerOptions};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::cli::text;
use support::terraform::{applied_instance, ensure_mirror};
use tokio_util::sync::CancellationToken;

/// `root/ws`: one applied instance with local state; its cloud in `root/cloud`.
fn applied(root: &Path) -> PathBuf {
    let ws = root.join("ws");
    applied_instance(&ws, &root.join("cloud"));
    ws
}

/// Two workspaces on one applied directory: `boom` and `fine`.
fn job_file(root: &Path, ws: &Path) -> PathBuf {
    let jobs = root.join("jobs");
    std::fs::create_dir_all(&jobs).unwrap();
    let path = jobs.join("app.toml");
    std::fs::write(
        &path,
        format!(
            "[[workspace]]\nname = \"boom\"\ndir = \"{d}\"\n\n[[workspace]]\nname = \"fine\"\ndir = \"{d}\"\n",
            d = ws.display()
        ),
    )
    .unwrap();
    path
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panicking_run_is_recorded_failed_and_the_worker_goes_on() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = applied(tmp.path());
    let file = JobFile::load(&job_file(tmp.path(), &ws)).unwrap();
    let store = Store::open(&tmp.path().join("runs.db").display().to_string())
        .await
        .unwrap();
    let boom = store
        .enqueue("boom", Trigger::Manual, None)
        .await
        .unwrap()
        .0;
    let fine = store
        .enqueue("fine", Trigger::Manual, None)
        .await
        .unwrap()
        .0;
    let mirror = ensure_mirror();
    let mut options = WorkerOptions {
        lease: Duration::from_secs(1),
        ..WorkerOptions::default()
    };
    options.runner.work_root = tmp.path().join("work");
    options.runner.cli_config_file = Some(mirror.join("terraformrc"));
    options.before_scan = Some(BeforeScan(Arc::new(|ws| {
        if ws.name == "boom" {
            panic!("index 7 out of range in a test");
        }
    })));
    let worker = Worker::new(
        store.clone(),
        Catalog::new(std::slice::from_ref(&file)),
        Arc::new(PriceTable::embedded().clone()),
        options,
    );
    let executed = tokio::time::timeout(
        Duration::from_secs(120),
        worker.run(CancellationToken::new(), true),
    )
    .await
    .expect("the worker finished")
    .unwrap();
    assert_eq!(executed, 2);

    let run = store.get_run(boom).await.unwrap().unwrap();
    assert_eq!(run.status, RunStatus::Failed, "{run:?}");
    let error = run.error.clone().unwrap_or_default();
    assert!(error.contains("index 7 out of range in a test"), "{error}");
    // The lease is released: no renewer keeps a finished run alive.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let again = store.get_run(boom).await.unwrap().unwrap();
    assert_eq!(again.status, RunStatus::Failed);
    assert_eq!(again.lease_until, run.lease_until, "lease still renewed");

    let other = store.get_run(fine).await.unwrap().unwrap();
    assert_eq!(other.status, RunStatus::Succeeded, "{other:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn worker_once_fails_naming_runs_another_worker_holds() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    std::fs::create_dir_all(&ws).unwrap();
    std::fs::write(ws.join("main.tf"), "").unwrap();
    let jobs = tmp.path().join("jobs");
    std::fs::create_dir_all(&jobs).unwrap();
    std::fs::write(
        jobs.join("app.toml"),
        "[[workspace]]\nname = \"app\"\ndir = \"../ws\"\n",
    )
    .unwrap();
    let db = tmp.path().join("runs.db").display().to_string();
    let store = Store::open(&db).await.unwrap();
    store.enqueue("app", Trigger::Manual, None).await.unwrap();
    let claimed = store
        .claim("other-host:4242", Duration::from_secs(600))
        .await
        .unwrap()
        .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_driftcost"))
        .args(["worker", "--once", "--all", "--store", &db, "--jobs"])
        .arg(&jobs)
        .env_remove("DRIFTCOST_STORE")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("app"), "{}", text(&out));
    assert!(stderr.contains("other-host:4242"), "{}", text(&out));
    let until = claimed.lease_until.format("%Y-%m-%d %H:%M").to_string();
    assert!(stderr.contains(&until), "until when: {}", text(&out));
}

/// Processes (not zombies) whose environment carries `marker`.
fn live_with_env(marker: &str) -> Vec<i32> {
    let mut pids = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<i32>() else {
            continue;
        };
        let Ok(env) = std::fs::read(entry.path().join("environ")) else {
            continue;
        };
        if !String::from_utf8_lossy(&env).contains(marker) {
            continue;
        }
        let stat = std::fs::read_to_string(entry.path().join("stat")).unwrap_or_default();
        let zombie = stat
            .rsplit(')')
            .next()
            .is_some_and(|rest| rest.trim_start().starts_with('Z'));
        if !zombie {
            pids.push(pid);
        }
    }
    pids
}

fn kill_all(pids: &[i32]) {
    for pid in pids {
        let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
    }
}

#[test]
fn terraform_dies_with_a_killed_worker_and_its_work_dir_is_cleaned() {
    let tmp = tempfile::tempdir().unwrap();
    applied(tmp.path());
    let jobs = tmp.path().join("jobs");
    std::fs::create_dir_all(&jobs).unwrap();
    std::fs::write(
        jobs.join("app.toml"),
        "[[workspace]]\nname = \"app\"\ndir = \"../ws\"\ntimeout = \"5m\"\n",
    )
    .unwrap();
    let work = tmp.path().join("work");
    std::fs::create_dir_all(&work).unwrap();
    let db = tmp.path().join("runs.db").display().to_string();
    let marker = format!("orphan-{}", std::process::id());
    let mirror = ensure_mirror();
    let mut worker = Command::new(env!("CARGO_BIN_EXE_driftcost"))
        .args(["worker", "--once", "--all", "--lease", "2s", "--store", &db])
        .arg("--jobs")
        .arg(&jobs)
        .arg("--work-dir")
        .arg(&work)
        .env("TF_CLI_CONFIG_FILE", mirror.join("terraformrc"))
        .env("DRIFTCOST_TEST_PROVIDER_HANG_ON_READ", "*")
        .env("DRIFTCOST_TEST_MARKER", &marker)
        .env_remove("TF_DATA_DIR")
        .env_remove("DRIFTCOST_STORE")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait for terraform's provider to hang in the refresh (a process other
    // than the worker carrying the marker and named like the provider).
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let running: Vec<i32> = live_with_env(&marker)
            .into_iter()
            .filter(|p| *p != worker.id() as i32)
            .filter(|p| {
                std::fs::read_to_string(format!("/proc/{p}/comm"))
                    .is_ok_and(|c| c.contains("terraform-prov"))
            })
            .collect();
        if !running.is_empty() {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "terraform never got to the refresh"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    std::thread::sleep(Duration::from_millis(500));
    worker.kill().unwrap();
    worker.wait().unwrap();

    let deadline = Instant::now() + Duration::from_secs(10);
    let mut left = live_with_env(&marker);
    while !left.is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
        left = live_with_env(&marker);
    }
    let names: Vec<String> = left
        .iter()
        .map(|p| std::fs::read_to_string(format!("/proc/{p}/cmdline")).unwrap_or_default())
        .collect();
    kill_all(&left);
    assert!(left.is_empty(), "outlived the worker: {names:?}");

    // The next worker sharing the work dir removes the dead one's copies.
    let leftovers = std::fs::read_dir(&work).unwrap().count();
    assert!(leftovers > 0, "the killed worker had a working copy");
    let out = Command::new(env!("CARGO_BIN_EXE_driftcost"))
        .args(["worker", "--once", "--store", &db, "--jobs"])
        .arg(&jobs)
        .arg("--work-dir")
        .arg(&work)
        .env("TF_CLI_CONFIG_FILE", mirror.join("terraformrc"))
        .env_remove("TF_DATA_DIR")
        .env_remove("DRIFTCOST_STORE")
        .output()
        .unwrap();
    let remaining: Vec<_> = std::fs::read_dir(&work)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(
        remaining.is_empty(),
        "left in the work dir: {remaining:?}\n{}",
        text(&out)
    );
}

#[test]
fn worker_once_off_a_terminal_prints_a_line_per_workspace_as_it_finishes() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = applied(tmp.path());
    let jobs = job_file(tmp.path(), &ws);
    let jobs = jobs.parent().unwrap();
    let db = tmp.path().join("runs.db").display().to_string();
    let mirror = ensure_mirror();
    let out = Command::new(env!("CARGO_BIN_EXE_driftcost"))
        .args(["worker", "--once", "--all", "--store", &db, "--jobs"])
        .arg(jobs)
        .env("TF_CLI_CONFIG_FILE", mirror.join("terraformrc"))
        .env_remove("TF_DATA_DIR")
        .env_remove("DRIFTCOST_STORE")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    for name in ["boom", "fine"] {
        let line = stderr
            .lines()
            .find(|l| l.starts_with(&format!("{name}: succeeded, 0 drift item(s)")))
            .unwrap_or_else(|| panic!("no progress line for {name}: {}", text(&out)));
        // …and how long it took.
        let took = line.rsplit(", ").next().unwrap();
        assert!(
            took.ends_with('s') && took.trim_end_matches('s').parse::<f64>().is_ok(),
            "{line}"
        );
    }
}
