//! The worker end to end with real terraform: `driftcost demo` (jobs/demo.toml,
//! SQLite store) and a worker killed with SIGKILL mid-run on PostgreSQL whose
//! run another worker takes over after the lease and completes once; the
//! outbox across a worker killed between sending and marking.

use crate::support;

use driftcost::store::{RunStatus, Store};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};
use support::git::git;
use support::terraform::{ensure_mirror, terraform_env, terraform_ok, write_workspace};

const SECRET: &str = "demo-test-Pa55w0rd-never-shown";
/// The password `jobs/demo/out-of-band.toml` sets behind terraform's back.
const OUT_OF_BAND_SECRET: &str = "rotated-by-hand-Qx81";

fn driftcost(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mirror = ensure_mirror();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_driftcost"));
    cmd.args(args)
        .env("TF_CLI_CONFIG_FILE", mirror.join("terraformrc"))
        .env_remove("RUST_BACKTRACE")
        .env_remove("TF_DATA_DIR")
        .env_remove("TF_PLUGIN_CACHE_DIR")
        .env_remove("DRIFTCOST_TEST_PROVIDER_HANG_ON_READ");
    for (k, v) in env {
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

#[test]
fn demo_reports_drift_and_its_cost_and_never_the_secret() {
    let tmp = tempfile::tempdir().unwrap();
    let mirror = ensure_mirror();
    let dir = tmp.path().join("demo");
    let out = driftcost(
        &[
            "demo",
            "--dir",
            dir.to_str().unwrap(),
            "--mirror",
            mirror.to_str().unwrap(),
        ],
        &[("TF_VAR_db_password", SECRET), ("DRIFTCOST_LOG", "debug")],
    );
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{stdout}\n{stderr}");
    // shop-prod: t3.large → m5.xlarge in us-east-1, each with the default 8 GB gp2 root:
    // (0.192 − 0.0832) × 730 = 79.424 a month more.
    assert!(
        stdout.contains("instance_type: \"t3.large\" → \"m5.xlarge\""),
        "{stdout}"
    );
    assert!(stdout.contains("+$79.42"), "{stdout}");
    assert!(
        stdout.contains("password: (sensitive value changed)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("aws_s3_bucket.flow_logs") && stdout.contains("deleted outside terraform"),
        "{stdout}"
    );
    // analytics-dev's retag is in lifecycle.ignore_changes: no drift there.
    assert!(
        stdout.contains("No drift in workspace analytics-dev"),
        "{stdout}"
    );
    assert!(stdout.contains("2 drifted, 1 without drift"), "{stdout}");

    let db = dir.join("driftcost.db");
    let mut written: Vec<PathBuf> = vec![dir.join("report.md")];
    for suffix in ["", "-wal", "-shm"] {
        let p = PathBuf::from(format!("{}{suffix}", db.display()));
        if p.exists() {
            written.push(p);
        }
    }
    for secret in [SECRET, OUT_OF_BAND_SECRET] {
        assert!(
            !stdout.contains(secret) && !stderr.contains(secret),
            "secret printed"
        );
        for file in &written {
            let bytes = std::fs::read(file).unwrap();
            assert!(
                !String::from_utf8_lossy(&bytes).contains(secret),
                "secret written to {}",
                file.display()
            );
        }
    }

    // The store has the history: three runs, and the latest drift per workspace.
    let store = db.to_str().unwrap();
    let runs = driftcost(&["runs", "list", "--store", store, "--json"], &[]);
    let (runs_out, runs_err) = text(&runs);
    assert!(runs.status.success(), "{runs_err}");
    let lines: Vec<serde_json::Value> = runs_out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3, "{runs_out}");
    assert!(
        lines.iter().all(|r| r["status"] == "succeeded"),
        "{runs_out}"
    );
    let show = driftcost(
        &["drift", "show", "shop-prod", "--store", store, "--json"],
        &[],
    );
    assert_eq!(show.status.code(), Some(2), "{}", text(&show).1);
    let report: serde_json::Value = serde_json::from_slice(&show.stdout).unwrap();
    assert_eq!(report["version"], "1");
    assert_eq!(report["summary"]["monthly_cost_delta"], "79.424");
}

/// Processes whose environment carries `marker`: the terraform and provider
/// of one test's runs.
fn pids_with_env(marker: &str) -> Vec<i32> {
    let mut pids = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<i32>() else {
            continue;
        };
        if let Ok(env) = std::fs::read(entry.path().join("environ"))
            && String::from_utf8_lossy(&env).contains(marker)
        {
            pids.push(pid);
        }
    }
    pids
}

/// Kills every process whose environment carries `marker` (the hung terraform
/// and provider a SIGKILLed worker leaves behind in their own process group).
fn kill_processes_with_env(marker: &str) {
    for pid in pids_with_env(marker) {
        let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
    }
}

/// `terraform init` and `apply` in `dir` with the test environment plus `extra`.
fn init_and_apply(dir: &Path, extra: &[(&str, &str)]) {
    let env = terraform_env(dir);
    let mut env_ref: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    env_ref.extend_from_slice(extra);
    terraform_ok(dir, &["init", "-input=false"], &env_ref);
    terraform_ok(dir, &["apply", "-auto-approve", "-input=false"], &env_ref);
}

/// `tmp/ws`: one t3.micro instance, applied, its cloud in `tmp/cloud`.
fn applied_instance_workspace(tmp: &Path) -> PathBuf {
    let ws = tmp.join("ws");
    write_workspace(
        &ws,
        &tmp.join("cloud"),
        "us-east-1",
        None,
        "resource \"aws_instance\" \"web\" {\n  ami = \"ami-1\"\n  instance_type = \"t3.micro\"\n}\n",
    );
    init_and_apply(&ws, &[]);
    ws
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_workers_run_is_taken_over_after_its_lease_and_completed_once() {
    let Some(db) = support::servers::FreshDb::new("worker_e2e").await else {
        eprintln!("SKIPPED: DRIFTCOST_SKIP_SERVER_TESTS=1");
        return;
    };
    let url = db.url.clone();

    // One applied workspace whose provider hangs on read while the marker is set.
    let tmp = tempfile::tempdir().unwrap();
    applied_instance_workspace(tmp.path());
    let jobs = tmp.path().join("jobs");
    std::fs::create_dir_all(&jobs).unwrap();
    std::fs::write(
        jobs.join("app.toml"),
        "[[workspace]]\nname = \"app\"\ndir = \"../ws\"\ntimeout = \"5m\"\n",
    )
    .unwrap();
    let work = tmp.path().join("work");
    std::fs::create_dir_all(&work).unwrap();
    let marker = format!("hang-{}", std::process::id());

    // Worker 1 claims the run, terraform hangs in the refresh, and the worker is SIGKILLed.
    let mirror = ensure_mirror();
    let mut first = Command::new(env!("CARGO_BIN_EXE_driftcost"))
        .args([
            "worker", "--once", "--all", "--lease", "2s", "--store", &url,
        ])
        .args([
            "--jobs",
            jobs.to_str().unwrap(),
            "--work-dir",
            work.to_str().unwrap(),
        ])
        .env("TF_CLI_CONFIG_FILE", mirror.join("terraformrc"))
        .env("DRIFTCOST_TEST_PROVIDER_HANG_ON_READ", "*")
        .env("DRIFTCOST_TEST_MARKER", &marker)
        .env_remove("TF_DATA_DIR")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let store = Store::open(&url).await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    let run = loop {
        let runs = store.list_runs(Some("app"), 10, None).await.unwrap();
        if let Some(r) = runs.first().filter(|r| r.status == RunStatus::Running) {
            break r.clone();
        }
        assert!(Instant::now() < deadline, "worker 1 never claimed the run");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    // Let terraform get into the hung refresh, then kill the worker outright.
    tokio::time::sleep(Duration::from_secs(3)).await;
    first.kill().unwrap();
    first.wait().unwrap();
    kill_processes_with_env(&marker);
    let first_worker = run.worker.clone().unwrap();

    // Its lease (2 s, no longer renewed) runs out; a second worker drains the queue.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let second = driftcost(
        &[
            "worker",
            "--once",
            "--store",
            &url,
            "--jobs",
            jobs.to_str().unwrap(),
        ],
        &[("TMPDIR", work.to_str().unwrap())],
    );
    let (out, err) = text(&second);
    assert_eq!(second.status.code(), Some(0), "{out}\n{err}");

    let runs = store.list_runs(Some("app"), 10, None).await.unwrap();
    assert_eq!(runs.len(), 1, "one run, completed once: {runs:?}");
    let done = store.get_run(run.id).await.unwrap().unwrap();
    assert_eq!(done.status, RunStatus::Succeeded, "{done:?}");
    assert_eq!(done.attempt, 2, "claimed twice: {done:?}");
    assert_ne!(done.worker.as_deref(), Some(first_worker.as_str()));
    store.close().await;
    db.drop_db().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_over_the_real_store_triggers_a_run_the_worker_then_completes() {
    use driftcost::api::{StoreBackend, serve_listener};
    use driftcost::store::Role;
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    let tmp = tempfile::tempdir().unwrap();
    applied_instance_workspace(tmp.path());
    let jobs = tmp.path().join("jobs");
    std::fs::create_dir_all(&jobs).unwrap();
    std::fs::write(
        jobs.join("app.toml"),
        "[[workspace]]\nname = \"app\"\ndir = \"../ws\"\n",
    )
    .unwrap();
    let db = tmp.path().join("driftcost.db");
    let store = Store::open(db.to_str().unwrap()).await.unwrap();
    let trigger = store.create_token(Role::Trigger, "test").await.unwrap();
    let read = store.create_token(Role::Read, "test").await.unwrap();

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let shutdown = tokio_util::sync::CancellationToken::new();
    let backend = std::sync::Arc::new(StoreBackend::new(store.clone(), ["app".to_string()]));
    let server = tokio::spawn(serve_listener(listener, backend, shutdown.clone()));
    let client = reqwest::Client::new();
    let url = |p: &str| format!("http://{addr}{p}");

    let denied = client
        .post(url("/v1/workspaces/app/scans"))
        .bearer_auth(&read)
        .send()
        .await
        .unwrap();
    assert_eq!(denied.status(), 403);
    let unknown = client
        .post(url("/v1/workspaces/nope/scans"))
        .bearer_auth(&trigger)
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);
    let accepted = client
        .post(url("/v1/workspaces/app/scans"))
        .bearer_auth(&trigger)
        .send()
        .await
        .unwrap();
    assert_eq!(accepted.status(), 202);
    let body: serde_json::Value = accepted.json().await.unwrap();
    let run_id = body["run_id"].as_i64().unwrap();
    let queued: serde_json::Value = client
        .get(url(&format!("/v1/runs/{run_id}")))
        .bearer_auth(&read)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(queued["status"], "queued", "{queued}");

    // A worker process on the same store picks the API's run up; its plugin
    // cache is per concurrency slot.
    let cache = tmp.path().join("plugin-cache");
    let out = driftcost(
        &[
            "worker",
            "--once",
            "--store",
            db.to_str().unwrap(),
            "--jobs",
            jobs.to_str().unwrap(),
            "--plugin-cache-dir",
            cache.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{:?}", text(&out));
    let slot = cache.join("slot-0/registry.terraform.io/hashicorp/aws");
    assert!(
        slot.is_dir(),
        "terraform filled the slot's cache: {}",
        slot.display()
    );
    let done: serde_json::Value = client
        .get(url(&format!("/v1/runs/{run_id}")))
        .bearer_auth(&read)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(done["status"], "succeeded", "{done}");
    assert_eq!(done["trigger"], "api", "{done}");
    let metrics = client
        .get(url("/metrics"))
        .bearer_auth(&read)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics.contains("driftcost_runs_total{status=\"succeeded\"} 1"),
        "{metrics}"
    );
    shutdown.cancel();
    server.await.unwrap().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_lets_the_grace_period_pass_then_records_the_hung_run_cancelled() {
    let tmp = tempfile::tempdir().unwrap();
    applied_instance_workspace(tmp.path());
    let jobs = tmp.path().join("jobs");
    std::fs::create_dir_all(&jobs).unwrap();
    std::fs::write(
        jobs.join("app.toml"),
        "[[workspace]]\nname = \"app\"\ndir = \"../ws\"\nschedule = \"@every 1s\"\n",
    )
    .unwrap();
    let work = tmp.path().join("work");
    std::fs::create_dir_all(&work).unwrap();
    let db = tmp.path().join("driftcost.db");
    let marker = format!("sigterm-{}", std::process::id());
    let mirror = ensure_mirror();
    let mut worker = Command::new(env!("CARGO_BIN_EXE_driftcost"))
        .args(["worker", "--grace", "1s", "--store", db.to_str().unwrap()])
        .args([
            "--jobs",
            jobs.to_str().unwrap(),
            "--work-dir",
            work.to_str().unwrap(),
        ])
        .env("TF_CLI_CONFIG_FILE", mirror.join("terraformrc"))
        .env("DRIFTCOST_TEST_PROVIDER_HANG_ON_READ", "*")
        .env("DRIFTCOST_TEST_MARKER", &marker)
        .env_remove("TF_DATA_DIR")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let store = Store::open(db.to_str().unwrap()).await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    let run = loop {
        let runs = store.list_runs(Some("app"), 10, None).await.unwrap();
        if let Some(r) = runs.first().filter(|r| r.status == RunStatus::Running) {
            break r.clone();
        }
        assert!(
            Instant::now() < deadline,
            "the schedule never started a run"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    tokio::time::sleep(Duration::from_secs(2)).await;
    let pid = worker.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let stopped = Instant::now();
    let status = loop {
        if let Some(s) = worker.try_wait().unwrap() {
            break s;
        }
        if stopped.elapsed() > Duration::from_secs(30) {
            let _ = worker.kill();
            kill_processes_with_env(&marker);
            panic!("worker did not stop within 30 s of SIGTERM");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let mut stderr = String::new();
    std::io::Read::read_to_string(worker.stderr.as_mut().unwrap(), &mut stderr).unwrap();
    assert!(status.success(), "{status}: {stderr}");
    let done = store.get_run(run.id).await.unwrap().unwrap();
    assert_eq!(done.status, RunStatus::Cancelled, "{done:?}\n{stderr}");
    // terraform and the hung provider went with it (killed with their process group).
    let left = pids_with_env(&marker);
    kill_processes_with_env(&marker);
    assert!(
        left.is_empty(),
        "processes of the cancelled run are still alive: {left:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drift_is_announced_once_through_the_outbox_signed_and_without_the_secret() {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};
    const DB_SECRET: &str = "Outbox-Secret-Passw0rd-1";
    const DB_SECRET_2: &str = "Outbox-Secret-Passw0rd-2";
    const HMAC_KEY: &str = "hook-signing-key";

    let hook = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/hook"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&hook)
        .await;

    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    let cloud = tmp.path().join("cloud");
    write_workspace(
        &ws,
        &cloud,
        "us-east-1",
        None,
        r#"
variable "db_password" {
  type      = string
  sensitive = true
}
resource "aws_instance" "web" {
  ami           = "ami-1"
  instance_type = "t3.micro"
}
resource "aws_db_instance" "orders" {
  identifier     = "orders"
  instance_class = "db.t3.micro"
  engine         = "postgres"
  username       = "app"
  password       = var.db_password
}
"#,
    );
    init_and_apply(&ws, &[("TF_VAR_db_password", DB_SECRET)]);
    let ids = support::terraform::state_ids(&ws);
    support::terraform::edit_cloud_object(&cloud, "aws_instance", &ids["aws_instance.web"], |v| {
        v["instance_type"] = "m5.large".into();
    });
    support::terraform::edit_cloud_object(
        &cloud,
        "aws_db_instance",
        &ids["aws_db_instance.orders"],
        |v| v["password"] = DB_SECRET_2.into(),
    );

    let jobs = tmp.path().join("jobs");
    std::fs::create_dir_all(&jobs).unwrap();
    std::fs::write(
        jobs.join("shop.toml"),
        r#"
[notify.ops-hook]
kind = "webhook"
url_env = "DC_TEST_HOOK_URL"
secret_env = "DC_TEST_HOOK_KEY"

[[workspace]]
name = "shop"
dir = "../ws"
env = ["TF_VAR_db_password"]
notify = ["ops-hook"]
"#,
    )
    .unwrap();
    let db = tmp.path().join("driftcost.db");
    let hook_url = format!("{}/hook", hook.uri());
    let run_worker = || {
        driftcost(
            &[
                "worker",
                "--once",
                "--all",
                "--store",
                db.to_str().unwrap(),
                "--jobs",
                jobs.to_str().unwrap(),
            ],
            &[
                ("TF_VAR_db_password", DB_SECRET),
                ("DC_TEST_HOOK_URL", hook_url.as_str()),
                ("DC_TEST_HOOK_KEY", HMAC_KEY),
                ("TMPDIR", tmp.path().to_str().unwrap()),
            ],
        )
    };
    let first = run_worker();
    let (out, err) = text(&first);
    assert_eq!(first.status.code(), Some(2), "{out}\n{err}");
    assert!(err.contains("1 notification(s) delivered"), "{err}");

    let requests = hook.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    let req = &requests[0];
    let body = String::from_utf8(req.body.clone()).unwrap();
    let sig = req
        .headers
        .get("x-driftcost-signature")
        .unwrap()
        .to_str()
        .unwrap();
    assert_eq!(
        sig,
        driftcost::notify::channels::webhook::signature(HMAC_KEY.as_bytes(), &req.body)
    );
    assert!(req.headers.get("x-driftcost-idempotency-key").is_some());
    let n: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(n["kind"], "drift_detected", "{body}");
    assert_eq!(n["workspace"], "shop");
    assert!(body.contains("instance_type"), "{body}");
    assert!(body.contains("(sensitive value changed)"), "{body}");
    for secret in [DB_SECRET, DB_SECRET_2, HMAC_KEY] {
        assert!(!body.contains(secret), "secret in the webhook body");
        assert!(
            !out.contains(secret) && !err.contains(secret),
            "secret printed"
        );
    }

    // The same drift again: recorded, but not announced a second time.
    let second = run_worker();
    assert_eq!(second.status.code(), Some(2), "{:?}", text(&second));
    assert_eq!(hook.received_requests().await.unwrap().len(), 1);
}

/// The worker is SIGKILLed while the webhook receiver holds its request:
/// sent, never marked. After the lease a second worker sends it again, once,
/// with the same idempotency key, so the receiver can drop the duplicate.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_notification_sent_by_a_worker_killed_before_marking_it_is_sent_again_once() {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let hook = MockServer::start().await;
    // The first delivery hangs (the worker dies waiting); later ones succeed.
    Mock::given(method("POST"))
        .and(path("/hook"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(90)))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&hook)
        .await;
    Mock::given(method("POST"))
        .and(path("/hook"))
        .respond_with(ResponseTemplate::new(200))
        .with_priority(2)
        .mount(&hook)
        .await;

    let tmp = tempfile::tempdir().unwrap();
    let ws = applied_instance_workspace(tmp.path());
    let ids = support::terraform::state_ids(&ws);
    support::terraform::edit_cloud_object(
        &tmp.path().join("cloud"),
        "aws_instance",
        &ids["aws_instance.web"],
        |v| v["instance_type"] = "t3.large".into(),
    );
    let jobs = tmp.path().join("jobs");
    std::fs::create_dir_all(&jobs).unwrap();
    std::fs::write(
        jobs.join("app.toml"),
        "[notify.hook]\nkind = \"webhook\"\nurl_env = \"DC_TEST_HOOK_URL\"\nsecret_env = \"DC_TEST_HOOK_KEY\"\n\n\
         [[workspace]]\nname = \"app\"\ndir = \"../ws\"\nnotify = [\"hook\"]\n",
    )
    .unwrap();
    let db = tmp.path().join("driftcost.db");
    let hook_url = format!("{}/hook", hook.uri());
    let env = [
        ("DC_TEST_HOOK_URL", hook_url.as_str()),
        ("DC_TEST_HOOK_KEY", "k"),
        ("TMPDIR", tmp.path().to_str().unwrap()),
        ("DRIFTCOST_PUBLIC_URL", "https://driftcost.example.com/"),
    ];
    let (db_s, jobs_s) = (db.to_str().unwrap(), jobs.to_str().unwrap());
    let drain: [&str; 8] = [
        "worker", "--once", "--lease", "6s", "--store", db_s, "--jobs", jobs_s,
    ];
    let scan_all = [&drain[..2], &["--all"], &drain[2..]].concat();

    let mirror = ensure_mirror();
    let mut first = Command::new(env!("CARGO_BIN_EXE_driftcost"))
        .args(&scan_all)
        .env("TF_CLI_CONFIG_FILE", mirror.join("terraformrc"))
        .env_remove("TF_DATA_DIR")
        .envs(env)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    while hook.received_requests().await.unwrap().is_empty() {
        assert!(
            first.try_wait().unwrap().is_none(),
            "worker 1 exited before it sent anything"
        );
        assert!(Instant::now() < deadline, "worker 1 never sent the webhook");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    first.kill().unwrap();
    first.wait().unwrap();

    // The run itself was recorded before the send; only the mark is missing.
    let store = Store::open(db.to_str().unwrap()).await.unwrap();
    let runs = store.list_runs(Some("app"), 10, None).await.unwrap();
    assert_eq!(runs.len(), 1, "{runs:?}");
    assert_eq!(runs[0].status, RunStatus::Succeeded, "{runs:?}");
    store.close().await;

    // Before the lease ends nobody else may send it…
    let early = driftcost(&drain, &env);
    assert_eq!(early.status.code(), Some(0), "{:?}", text(&early));
    assert_eq!(hook.received_requests().await.unwrap().len(), 1);
    // …after it, the next worker sends it again, exactly once.
    tokio::time::sleep(Duration::from_secs(6)).await;
    let second = driftcost(&drain, &env);
    let (out, err) = text(&second);
    assert_eq!(second.status.code(), Some(0), "{out}\n{err}");
    assert!(err.contains("1 notification(s) delivered"), "{err}");
    let third = driftcost(&drain, &env);
    assert!(!text(&third).1.contains("delivered"), "{:?}", text(&third));

    let requests = hook.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2, "sent once, then once again");
    let key = |r: &wiremock::Request| {
        r.headers
            .get("x-driftcost-idempotency-key")
            .expect("idempotency key")
            .to_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(key(&requests[0]), key(&requests[1]));
    assert_eq!(requests[0].body, requests[1].body);
    // A receiver that keeps the keys it has seen handles the message once.
    let unique: std::collections::BTreeSet<String> = requests.iter().map(key).collect();
    assert_eq!(unique.len(), 1);
    let n: serde_json::Value = serde_json::from_slice(&requests[1].body).unwrap();
    assert_eq!(n["kind"], "drift_detected");
    assert_eq!(
        n["run_url"],
        format!("https://driftcost.example.com/runs/{}", runs[0].id),
        "{n}"
    );
}

#[test]
fn a_git_workspace_is_fetched_for_each_scan_and_its_drift_found() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    let cloud = tmp.path().join("cloud");
    let state = tmp.path().join("state/terraform.tfstate");
    // The repository holds the code; the state lives outside it (as with any
    // remote backend), here in an absolute local path.
    let module = src.join("envs/prod");
    write_workspace(
        &module,
        &cloud,
        "us-east-1",
        Some(&format!(
            "  backend \"local\" {{\n    path = \"{}\"\n  }}",
            state.display()
        )),
        "resource \"aws_instance\" \"web\" {\n  ami = \"ami-1\"\n  instance_type = \"t3.micro\"\n}\n",
    );
    init_and_apply(&module, &[]);
    std::fs::write(src.join(".gitignore"), ".terraform/\n.terraform.lock.hcl\n").unwrap();
    git(&src, &["init", "-q"]);
    git(&src, &["checkout", "-q", "-b", "live"]);
    git(&src, &["add", "."]);
    git(&src, &["commit", "-q", "-m", "infra"]);

    let state_json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&state).unwrap()).unwrap();
    let id = state_json["resources"][0]["instances"][0]["attributes"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    support::terraform::edit_cloud_object(&cloud, "aws_instance", &id, |v| {
        v["instance_type"] = "t3.small".into();
    });

    let job = tmp.path().join("jobs.toml");
    std::fs::write(
        &job,
        format!(
            "[[workspace]]\nname = \"prod\"\ngit = {{ url = \"file://{}\", ref = \"live\", path = \"envs/prod\" }}\n",
            src.display()
        ),
    )
    .unwrap();
    let work = tmp.path().join("work");
    std::fs::create_dir_all(&work).unwrap();
    let out = driftcost(
        &[
            "scan",
            "--config",
            job.to_str().unwrap(),
            "--workspace",
            "prod",
        ],
        &[("TMPDIR", work.to_str().unwrap())],
    );
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("instance_type: \"t3.micro\" → \"t3.small\""),
        "{stdout}"
    );

    // A ref that does not exist fails the scan, naming the ref and the repository.
    std::fs::write(
        &job,
        format!(
            "[[workspace]]\nname = \"prod\"\ngit = {{ url = \"file://{}\", ref = \"nope\" }}\n",
            src.display()
        ),
    )
    .unwrap();
    let out = driftcost(
        &[
            "scan",
            "--config",
            job.to_str().unwrap(),
            "--workspace",
            "prod",
        ],
        &[("TMPDIR", work.to_str().unwrap())],
    );
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(
        stderr.contains("fetching `nope` from file://"),
        "{stdout}\n{stderr}"
    );
}
