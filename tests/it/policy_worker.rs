//! Policies in job files, evaluated by the worker after each scan with real
//! terraform (the test provider) and stored with the run, on SQLite and on
//! PostgreSQL: `runs show`, `GET /v1/runs/{id}` and the run page show them;
//! a fail makes `worker --once` exit 2, warnings alone do not; a policy that
//! loops is stopped and stored as an error; sensitive values never reach a
//! finding.

use crate::support;

use driftcost::store::{PolicyLevel, Role, RunPolicies, Store};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;
use support::terraform::{
    edit_cloud_object, ensure_mirror, state_ids, terraform_env, terraform_ok, write_workspace,
};

const SECRET: &str = "policy-test-S3cr3t-never-shown";
const ROTATED: &str = "rotated-out-of-band-Zq77";

/// A workspace with an instance and a database whose password is sensitive,
/// applied; then, out of band, the instance resized and the password rotated.
fn drifted_workspace(root: &Path) -> PathBuf {
    let ws = root.join("ws");
    let cloud = root.join("cloud");
    write_workspace(
        &ws,
        &cloud,
        "us-east-1",
        None,
        r#"variable "db_password" {
  type      = string
  sensitive = true
}

resource "aws_instance" "web" {
  ami           = "ami-1"
  instance_type = "t3.micro"
}

resource "aws_db_instance" "orders" {
  identifier        = "orders"
  instance_class    = "db.t3.micro"
  engine            = "postgres"
  allocated_storage = 20
  username          = "shop"
  password          = var.db_password
}
"#,
    );
    let env = terraform_env(&ws);
    let mut env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    env.push(("TF_VAR_db_password", SECRET));
    terraform_ok(&ws, &["init", "-input=false"], &env);
    terraform_ok(&ws, &["apply", "-auto-approve", "-input=false"], &env);
    let ids = state_ids(&ws);
    edit_cloud_object(&cloud, "aws_instance", &ids["aws_instance.web"], |v| {
        v["instance_type"] = "t3.large".into()
    });
    edit_cloud_object(
        &cloud,
        "aws_db_instance",
        &ids["aws_db_instance.orders"],
        |v| v["password"] = ROTATED.into(),
    );
    ws
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Policies: a drift policy that fails on a database, a cost policy that
/// warns on any monthly increase, one that dumps its whole input into a
/// warning (so a secret in any input would show), and (`looping`) one that
/// never ends in time.
fn policies(root: &Path, looping: bool) {
    write(
        &root.join("policies/drift/db.rego"),
        r#"package drift.db
import rego.v1

deny contains msg if {
	some item in input.items
	item.resource_type == "aws_db_instance"
	msg := sprintf("%s: database drifted: %s", [item.address, json.marshal(item)])
}
"#,
    );
    write(
        &root.join("policies/drift/dump.rego"),
        r#"package drift.dump
import rego.v1

warn contains msg if {
	count(input.items) > 0
	msg := json.marshal(input)
}
"#,
    );
    write(
        &root.join("policies/cost/cap.rego"),
        r#"package cost.cap
import rego.v1

warn contains msg if {
	d := to_number(input.diffTotalMonthlyCost)
	d > 0
	msg := sprintf("drift adds %v USD a month: %s", [d, json.marshal(input)])
}
"#,
    );
    if looping {
        write(
            &root.join("policies/cost/slow.rego"),
            r#"package cost.slow
import rego.v1

# Ten billion steps that allocate nothing: only the time limit ends it.
deny contains "never" if {
	some a in numbers.range(1, 100000)
	some b in numbers.range(1, 100000)
	a * b == 0
}
"#,
        );
    }
}

fn jobs(root: &Path, policies: &str) -> PathBuf {
    let jobs = root.join("jobs");
    write(
        &jobs.join("app.toml"),
        &format!(
            "[defaults]\npolicies = {policies}\n\n[[workspace]]\nname = \"app\"\ndir = \"../ws\"\nenv = [\"TF_VAR_db_password\"]\n"
        ),
    );
    jobs
}

fn worker_once(jobs: &Path, store: &str) -> Output {
    let mirror = ensure_mirror();
    Command::new(env!("CARGO_BIN_EXE_driftcost"))
        .args(["worker", "--once", "--all", "--store", store, "--jobs"])
        .arg(jobs)
        .env("TF_CLI_CONFIG_FILE", mirror.join("terraformrc"))
        .env("TF_VAR_db_password", SECRET)
        .env_remove("TF_DATA_DIR")
        .env_remove("TF_PLUGIN_CACHE_DIR")
        .env_remove("RUST_BACKTRACE")
        .output()
        .unwrap()
}

fn assert_no_secret(what: &str, text: &str) {
    for s in [SECRET, ROTATED] {
        assert!(!text.contains(s), "a sensitive value reached {what}");
    }
}

async fn the_run(store: &str) -> (Store, i64) {
    let store = Store::open(store).await.unwrap();
    let runs = store.list_runs(Some("app"), 10, None).await.unwrap();
    assert_eq!(runs.len(), 1, "{runs:?}");
    (store, runs[0].id)
}

/// The whole flow on one store: worker, stored findings, `runs show`, the
/// API and the run page.
async fn findings_are_stored_and_shown(store_url: &str) {
    let tmp = tempfile::tempdir().unwrap();
    drifted_workspace(tmp.path());
    policies(tmp.path(), false);
    let jobs = jobs(tmp.path(), r#"["../policies/cost", "../policies/drift"]"#);
    let out = worker_once(&jobs, store_url);
    let said = support::cli::text(&out);
    assert_eq!(out.status.code(), Some(2), "{said}");
    assert_no_secret("the worker's output", &said);

    let (store, id) = the_run(store_url).await;
    let p = store
        .run_policies(id)
        .await
        .unwrap()
        .expect("policies stored");
    assert_eq!(p.outcome, PolicyLevel::Fail, "{p:#?}");
    let fail: Vec<_> = p.at(PolicyLevel::Fail).collect();
    assert_eq!(fail.len(), 1, "{p:#?}");
    assert_eq!(
        (fail[0].policy.as_str(), fail[0].rule.as_str()),
        ("drift.db", "deny")
    );
    assert!(
        fail[0]
            .msg
            .starts_with("aws_db_instance.orders: database drifted")
    );
    assert!(fail[0].file.ends_with("db.rego"), "{}", fail[0].file);
    let warned: Vec<&str> = p.at(PolicyLevel::Warn).map(|f| f.policy.as_str()).collect();
    assert_eq!(warned, ["cost.cap", "drift.dump"], "{p:#?}");
    let cap = p.findings.iter().find(|f| f.policy == "cost.cap").unwrap();
    assert_eq!(cap.input, driftcost::policy::InputKind::Cost);
    assert!(cap.msg.starts_with("drift adds "), "{}", cap.msg);
    // Every finding, and the whole stored record, without a secret.
    assert_no_secret("a stored finding", &serde_json::to_string(&p).unwrap());

    let runs_show = |json: bool| {
        let id = id.to_string();
        let mut args = vec!["runs", "show", id.as_str(), "--store", store_url];
        if json {
            args.push("--json");
        }
        support::cli::driftcost(&args)
    };
    let (code, shown, err) = runs_show(false);
    assert_eq!(code, 0, "{err}");
    assert!(shown.contains("policies: fail"), "{shown}");
    assert!(
        shown.contains("FAIL           drift drift.db/deny: aws_db_instance.orders"),
        "{shown}"
    );
    assert!(
        shown.contains("WARN           cost cost.cap/warn"),
        "{shown}"
    );
    let (code, json, _) = runs_show(true);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["policies"]["outcome"], "fail", "{json}");
    assert_no_secret("runs show", &(shown + &json));

    // The API and the run page.
    let token = store.create_token(Role::Read, "reader").await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let backend = driftcost::api::StoreBackend::new(store.clone(), ["app".to_string()]);
    let shutdown = tokio_util::sync::CancellationToken::new();
    let s = shutdown.clone();
    tokio::spawn(
        async move { driftcost::api::serve_listener(listener, Arc::new(backend), s).await },
    );
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let res = http
        .get(format!("{base}/v1/runs/{id}"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let body = res.text().await.unwrap();
    assert_no_secret("GET /v1/runs/{id}", &body);
    let v: Value = serde_json::from_str(&body).unwrap();
    let api: RunPolicies = serde_json::from_value(v["policies"].clone()).unwrap();
    assert_eq!(api, p);

    let session = sign_in(&base, &token).await;
    let page = http
        .get(format!("{base}/runs/{id}"))
        .header("cookie", &session)
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert_no_secret("the run page", &html);
    let section = &html[html.find("<h2>Policies</h2>").expect("a Policies section")..];
    let (fail_at, warn_at) = (
        section.find("drift.db").unwrap(),
        section.find("cost.cap").unwrap(),
    );
    assert!(fail_at < warn_at, "failed first, then warnings: {section}");
    assert!(section.contains("Outcome: "), "{section}");
    // maud escapes what a policy wrote: the JSON in the message is text.
    assert!(section.contains("&quot;address&quot;"), "{section}");
    shutdown.cancel();
}

/// Signs in on the pages with `token`: the session cookie pair.
async fn sign_in(base: &str, token: &str) -> String {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .build()
        .unwrap();
    let page = http.get(format!("{base}/login")).send().await.unwrap();
    let cookie = |res: &reqwest::Response, name: &str| {
        res.headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with(&format!("{name}=")))
            .map(|v| v.split(';').next().unwrap().to_string())
            .unwrap_or_else(|| panic!("no {name} cookie"))
    };
    let login = cookie(&page, "driftcost_login");
    let html = page.text().await.unwrap();
    let at = html.find("name=\"csrf\" value=\"").unwrap() + 19;
    let csrf = &html[at..at + html[at..].find('"').unwrap()];
    let res = http
        .post(format!("{base}/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("cookie", &login)
        .body(format!("token={token}&csrf={csrf}&next=%2F"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    cookie(&res, "driftcost_session")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn worker_stores_policy_findings_on_sqlite_and_shows_them() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("runs.db");
    findings_are_stored_and_shown(&format!("sqlite:{}", db.display())).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn worker_stores_policy_findings_on_postgres_and_shows_them() {
    let Some(db) = support::servers::FreshDb::new("policy_worker").await else {
        return;
    };
    findings_are_stored_and_shown(&db.url).await;
    db.drop_db().await;
}

/// No drift, one policy that warns: exit 0 (a warning does not fail).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn warnings_alone_exit_0_and_a_looping_policy_is_stored_as_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    support::terraform::applied_instance(&root.join("ws"), &root.join("cloud"));
    write(
        &root.join("policies/drift/always.rego"),
        "package drift.always\nimport rego.v1\n\nwarn contains \"drift report seen\" if input.items\n",
    );
    let jobs = jobs(root, r#"["../policies/drift"]"#);
    let db = format!("sqlite:{}", root.join("runs.db").display());
    let out = worker_once(&jobs, &db);
    assert_eq!(out.status.code(), Some(0), "{}", support::cli::text(&out));
    let (store, id) = the_run(&db).await;
    let p = store.run_policies(id).await.unwrap().unwrap();
    assert_eq!(p.outcome, PolicyLevel::Warn, "{p:#?}");
    store.close().await;

    // The same clean workspace with a policy that does not finish in time:
    // stopped, stored as an error naming it, and the pass exits 1.
    policies(root, true);
    std::fs::remove_dir_all(root.join("policies/drift")).unwrap();
    let jobs = self::jobs(root, r#"["../policies/cost"]"#);
    let db = format!("sqlite:{}", root.join("runs-2.db").display());
    let started = std::time::Instant::now();
    let out = worker_once(&jobs, &db);
    assert_eq!(out.status.code(), Some(1), "{}", support::cli::text(&out));
    assert!(started.elapsed() < std::time::Duration::from_secs(60));
    let (store, id) = the_run(&db).await;
    let p = store.run_policies(id).await.unwrap().unwrap();
    assert_eq!(p.outcome, PolicyLevel::Error, "{p:#?}");
    let err = p.at(PolicyLevel::Error).next().unwrap();
    assert_eq!(err.policy, "cost.slow");
    assert!(err.msg.contains("was stopped after"), "{}", err.msg);
    // The other policy of the folder still counted.
    assert!(p.findings.iter().any(|f| f.policy == "cost.cap"), "{p:#?}");
}

/// A failed drift policy is a notification of its own (to a local webhook),
/// sent once; the next run with the same failures sends no second one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_policy_is_notified_once_then_deduplicated() {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let hook = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/hook"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&hook)
        .await;
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    drifted_workspace(root);
    policies(root, false);
    let jobs = root.join("jobs");
    write(
        &jobs.join("app.toml"),
        "[notify.hook]\nkind = \"webhook\"\nurl_env = \"DC_TEST_HOOK_URL\"\nsecret_env = \"DC_TEST_HOOK_KEY\"\n\n\
         [[workspace]]\nname = \"app\"\ndir = \"../ws\"\nenv = [\"TF_VAR_db_password\"]\nnotify = [\"hook\"]\npolicies = [\"../policies/drift\"]\n",
    );
    let db = format!("sqlite:{}", root.join("runs.db").display());
    let hook_url = format!("{}/hook", hook.uri());
    let once = || {
        let mirror = ensure_mirror();
        Command::new(env!("CARGO_BIN_EXE_driftcost"))
            .args(["worker", "--once", "--all", "--store", &db, "--jobs"])
            .arg(&jobs)
            .env("TF_CLI_CONFIG_FILE", mirror.join("terraformrc"))
            .env("TF_VAR_db_password", SECRET)
            .env("DC_TEST_HOOK_URL", &hook_url)
            .env("DC_TEST_HOOK_KEY", "k")
            .env_remove("TF_DATA_DIR")
            .env_remove("TF_PLUGIN_CACHE_DIR")
            .output()
            .unwrap()
    };
    let kinds = |requests: &[wiremock::Request]| -> Vec<String> {
        requests
            .iter()
            .map(|r| {
                let v: Value = serde_json::from_slice(&r.body).unwrap();
                v["kind"].as_str().unwrap().to_string()
            })
            .collect()
    };
    let out = once();
    assert_eq!(out.status.code(), Some(2), "{}", support::cli::text(&out));
    let first = hook.received_requests().await.unwrap();
    assert_eq!(kinds(&first), ["drift_detected", "policy_failed"]);
    let body = String::from_utf8_lossy(&first[1].body).into_owned();
    assert_no_secret("the policy notification", &body);
    let n: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(n["policies"][0]["policy"], "drift.db", "{body}");
    assert_eq!(n["policies"][0]["level"], "fail", "{body}");

    let out = once();
    assert_eq!(out.status.code(), Some(2), "{}", support::cli::text(&out));
    let all = hook.received_requests().await.unwrap();
    assert_eq!(
        kinds(&all[first.len()..]),
        Vec::<String>::new(),
        "same drift, same failed policies: nothing new to say"
    );
}

/// `driftcost scan --config` evaluates the job file's policies too: a fail
/// makes a scan without drift exit 2, and the findings go to stderr.
#[test]
fn scan_with_a_job_file_exits_2_when_a_policy_fails() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    support::terraform::applied_instance(&root.join("ws"), &root.join("cloud"));
    write(
        &root.join("policies/drift/none.rego"),
        "package drift.none\nimport rego.v1\n\ndeny contains \"drift reports must be empty of instances\" if {\n\tcount(input.items) == 0\n}\n",
    );
    let scan = |policies: &str| {
        let jobs = jobs(root, policies);
        let mirror = ensure_mirror();
        Command::new(env!("CARGO_BIN_EXE_driftcost"))
            .args(["scan", "--workspace", "app", "--config"])
            .arg(jobs.join("app.toml"))
            .env("TF_CLI_CONFIG_FILE", mirror.join("terraformrc"))
            .env_remove("TF_DATA_DIR")
            .env_remove("TF_PLUGIN_CACHE_DIR")
            .output()
            .unwrap()
    };
    let out = scan("[]");
    assert_eq!(out.status.code(), Some(0), "{}", support::cli::text(&out));
    let out = scan(r#"["../policies/drift"]"#);
    assert_eq!(out.status.code(), Some(2), "{}", support::cli::text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("FAIL           drift drift.none/deny: drift reports must be empty"),
        "{stderr}"
    );
}

/// `cost_threshold` is the built-in policy `builtin.cost_threshold`: its
/// crossings are stored and shown as findings like any policy's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cost_threshold_crossings_are_stored_as_builtin_findings() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    drifted_workspace(root);
    let jobs = root.join("jobs");
    write(
        &jobs.join("app.toml"),
        "[[workspace]]\nname = \"app\"\ndir = \"../ws\"\nenv = [\"TF_VAR_db_password\"]\ncost_threshold = { warn = \"1\", fail = \"100000\", allow_unpriced = true }\n",
    );
    let db = format!("sqlite:{}", root.join("runs.db").display());
    let out = worker_once(&jobs, &db);
    assert_eq!(out.status.code(), Some(2), "{}", support::cli::text(&out));
    let (store, id) = the_run(&db).await;
    let p = store
        .run_policies(id)
        .await
        .unwrap()
        .expect("builtin findings");
    assert_eq!(p.outcome, PolicyLevel::Warn, "{p:#?}");
    let rules: Vec<(&str, &str, PolicyLevel)> = p
        .findings
        .iter()
        .map(|f| (f.policy.as_str(), f.rule.as_str(), f.level))
        .collect();
    assert_eq!(
        rules,
        [
            ("builtin.cost_threshold", "warn", PolicyLevel::Warn),
            ("builtin.cost_threshold", "deny", PolicyLevel::Pass)
        ]
    );
    assert!(
        p.findings[0]
            .msg
            .starts_with("monthly cost change of the drift +$"),
        "{}",
        p.findings[0].msg
    );
    let (code, shown, _) =
        support::cli::driftcost(&["runs", "show", &id.to_string(), "--store", &db]);
    assert_eq!(code, 0);
    assert!(
        shown.contains("WARN           cost builtin.cost_threshold/warn"),
        "{shown}"
    );
}
