//! Approvals end to end, on SQLite and PostgreSQL: real terraform with the
//! test provider, a job file whose policy asks a team for an approval,
//! `worker --once` (needs_approval, exit 2); decisions through the real
//! `serve` HTTP API with a token of each role (read and trigger refused and
//! audited as denied, approver decides once, 409 after, 404 and 400); the
//! audit trail lists every decision and verifies; the next run with the same
//! drift carries the approval forward, new drift asks again; the run page's
//! Approve/Reject form (session + CSRF); `drift pr`'s description; and the
//! exit code of a pass whose only problem was approved.

use crate::support;

use driftcost::store::{Role, Store};
use reqwest::StatusCode;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;
use support::terraform::{
    edit_cloud_object, ensure_mirror, state_ids, terraform_env, terraform_ok, write_workspace,
};

const WORKSPACE_TF: &str = r#"resource "aws_instance" "web" {
  ami           = "ami-1"
  instance_type = "t3.micro"
}

resource "aws_db_instance" "orders" {
  identifier        = "orders"
  instance_class    = "db.t3.micro"
  engine            = "postgres"
  allocated_storage = 20
  username          = "shop"
}
"#;

/// Asks the DBA team whenever a database drifted.
const DB_POLICY: &str = r#"package drift.db_approval
import rego.v1

deny contains out if {
	some item in input.items
	item.resource_type == "aws_db_instance"
	out := {"msg": sprintf("%s drifted: the DBA team must approve", [item.address]), "approval": "dba"}
}
"#;

struct Fixture {
    _tmp: tempfile::TempDir,
    ws: PathBuf,
    cloud: PathBuf,
    jobs: PathBuf,
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// An applied workspace, its policy folder and job file.
fn fixture(policy: &str) -> Fixture {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    let cloud = tmp.path().join("cloud");
    write_workspace(&ws, &cloud, "us-east-1", None, WORKSPACE_TF);
    let env = terraform_env(&ws);
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    terraform_ok(&ws, &["init", "-input=false"], &env);
    terraform_ok(&ws, &["apply", "-auto-approve", "-input=false"], &env);
    write(&tmp.path().join("policies/drift/approval.rego"), policy);
    let jobs = tmp.path().join("jobs");
    write(
        &jobs.join("app.toml"),
        "[defaults]\npolicies = [\"../policies/drift\"]\n\n[[workspace]]\nname = \"app\"\ndir = \"../ws\"\n",
    );
    Fixture {
        _tmp: tmp,
        ws,
        cloud,
        jobs,
    }
}

impl Fixture {
    fn edit_db(&self, f: impl FnOnce(&mut Value)) {
        let ids = state_ids(&self.ws);
        edit_cloud_object(
            &self.cloud,
            "aws_db_instance",
            &ids["aws_db_instance.orders"],
            f,
        );
    }

    fn worker_once(&self, store: &str) -> Output {
        let mirror = ensure_mirror();
        Command::new(env!("CARGO_BIN_EXE_driftcost"))
            .args(["worker", "--once", "--all", "--store", store, "--jobs"])
            .arg(&self.jobs)
            .env("TF_CLI_CONFIG_FILE", mirror.join("terraformrc"))
            .env_remove("TF_DATA_DIR")
            .env_remove("TF_PLUGIN_CACHE_DIR")
            .env_remove("RUST_BACKTRACE")
            .env_remove("DRIFTCOST_PUBLIC_URL")
            .output()
            .unwrap()
    }

    /// The refresh-only plan JSON of the workspace as it is now.
    fn plan_json(&self) -> PathBuf {
        let env = terraform_env(&self.ws);
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let args = [
            "plan",
            "-refresh-only",
            "-lock=false",
            "-input=false",
            "-out=drift.tfplan",
        ];
        terraform_ok(&self.ws, &args, &env);
        let show = terraform_ok(&self.ws, &["show", "-json", "drift.tfplan"], &env);
        let path = self.ws.parent().unwrap().join("plan.json");
        std::fs::write(&path, &show.stdout).unwrap();
        path
    }
}

async fn run_ids(store: &Store) -> Vec<i64> {
    let mut ids: Vec<i64> = store
        .list_runs(Some("app"), 50, None)
        .await
        .unwrap()
        .iter()
        .map(|r| r.id)
        .collect();
    ids.sort();
    ids
}

struct Api {
    base: String,
    http: reqwest::Client,
    shutdown: tokio_util::sync::CancellationToken,
}

impl Api {
    async fn start(store: &Store) -> Api {
        let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let backend = driftcost::api::StoreBackend::new(store.clone(), ["app".to_string()]);
        let shutdown = tokio_util::sync::CancellationToken::new();
        let s = shutdown.clone();
        tokio::spawn(async move {
            driftcost::api::serve_listener(listener, Arc::new(backend), s).await
        });
        let http = reqwest::Client::builder()
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Api {
            base,
            http,
            shutdown,
        }
    }

    async fn post(&self, path: &str, token: &str, body: Option<&str>) -> (StatusCode, Value) {
        let mut req = self
            .http
            .post(format!("{}{path}", self.base))
            .bearer_auth(token);
        if let Some(b) = body {
            req = req
                .header("content-type", "application/json")
                .body(b.to_string());
        }
        let res = req.send().await.unwrap();
        let status = res.status();
        let text = res.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    async fn get_run(&self, id: i64, token: &str) -> Value {
        let res = self
            .http
            .get(format!("{}/v1/runs/{id}", self.base))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        res.json().await.unwrap()
    }

    /// Signs in on the pages with `token`: the session cookie pair.
    async fn sign_in(&self, token: &str) -> String {
        let page = self
            .http
            .get(format!("{}/login", self.base))
            .send()
            .await
            .unwrap();
        let login = cookie(&page, "driftcost_login");
        let csrf = hidden_csrf(&page.text().await.unwrap()).expect("a csrf field on /login");
        let res = self
            .http
            .post(format!("{}/login", self.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("cookie", &login)
            .body(format!("token={token}&csrf={csrf}&next=%2F"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303);
        cookie(&res, "driftcost_session")
    }

    async fn page(&self, path: &str, session: &str) -> (StatusCode, String) {
        let res = self
            .http
            .get(format!("{}{path}", self.base))
            .header("cookie", session)
            .send()
            .await
            .unwrap();
        (res.status(), res.text().await.unwrap())
    }

    async fn post_form(&self, path: &str, session: &str, form: &str) -> reqwest::Response {
        self.http
            .post(format!("{}{path}", self.base))
            .header("cookie", session)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form.to_string())
            .send()
            .await
            .unwrap()
    }
}

fn cookie(res: &reqwest::Response, name: &str) -> String {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(|v| v.split(';').next().unwrap().to_string())
        .unwrap_or_else(|| panic!("no {name} cookie"))
}

fn hidden_csrf(html: &str) -> Option<String> {
    let at = html.find("name=\"csrf\" value=\"")? + 19;
    Some(html[at..at + html[at..].find('"')?].to_string())
}

fn audit_entries(store: &str) -> Vec<Value> {
    let (code, out, err) = support::cli::driftcost(&[
        "audit",
        "list",
        "--store",
        store,
        "--json",
        "--action",
        "approval_given",
    ]);
    assert_eq!(code, 0, "{err}");
    let mut entries: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    entries.reverse(); // oldest first
    entries
}

fn runs_show(store: &str, id: i64, json: bool) -> String {
    let id = id.to_string();
    let mut args = vec!["runs", "show", id.as_str(), "--store", store];
    if json {
        args.push("--json");
    }
    let (code, out, err) = support::cli::driftcost(&args);
    assert_eq!(code, 0, "{err}");
    out
}

/// The whole flow on one store.
async fn approvals_flow(store_url: &str) {
    let f = fixture(DB_POLICY);
    f.edit_db(|v| v["instance_class"] = "db.t3.small".into());
    let out = f.worker_once(store_url);
    assert_eq!(out.status.code(), Some(2), "{}", support::cli::text(&out));

    let store = Store::open(store_url).await.unwrap();
    let first = *run_ids(&store).await.last().unwrap();
    let read = store.create_token(Role::Read, "dashboard").await.unwrap();
    let trigger = store.create_token(Role::Trigger, "ci-bot").await.unwrap();
    let approver = store.create_token(Role::Approver, "alice").await.unwrap();
    let admin = store.create_token(Role::Admin, "ops").await.unwrap();
    // `token list` shows the new role.
    let (code, listed, err) =
        support::cli::driftcost(&["token", "list", "--store", store_url, "--json"]);
    assert_eq!(code, 0, "{err}");
    assert!(listed.contains(r#""role":"approver""#), "{listed}");

    let api = Api::start(&store).await;
    let run = api.get_run(first, &read).await;
    assert_eq!(run["policies"]["outcome"], "needs_approval", "{run}");
    assert_eq!(run["approval"]["state"], "pending", "{run}");
    assert_eq!(run["approval"]["summary"], "awaiting approval from dba");
    assert!(
        runs_show(store_url, first, false)
            .contains("approval: pending (awaiting approval from dba)")
    );

    let approve = format!("/v1/runs/{first}/approve");
    // Too weak a role: 403, nothing decided.
    for token in [&read, &trigger] {
        let (status, body) = api.post(&approve, token, Some(r#"{"reason":"x"}"#)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    }
    // Bad bodies: 400 naming the field; an unknown run: 404.
    let (status, body) = api
        .post(&approve, &approver, Some(r#"{"reason": 5}"#))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("`reason`"),
        "{body}"
    );
    let long = format!(r#"{{"reason":"{}"}}"#, "y".repeat(1001));
    let (status, body) = api.post(&approve, &approver, Some(&long)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (status, body) = api
        .post(&format!("/v1/runs/{first}/reject"), &approver, None)
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("`reason` is required"),
        "{body}"
    );
    let (status, _) = api
        .post(
            "/v1/runs/999999/approve",
            &approver,
            Some(r#"{"reason":"x"}"#),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        api.get_run(first, &read).await["approval"]["state"],
        "pending"
    );

    // The approver decides; a second decision is a conflict.
    let (status, body) = api
        .post(
            &approve,
            &approver,
            Some(r#"{"reason":"resize agreed in CHG-42"}"#),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let summary = body["summary"].as_str().unwrap().to_string();
    assert!(
        summary.starts_with("approved by alice (approver) at ")
            && summary.ends_with(": resize agreed in CHG-42"),
        "{summary}"
    );
    for path in [approve.clone(), format!("/v1/runs/{first}/reject")] {
        let (status, body) = api.post(&path, &admin, Some(r#"{"reason":"again"}"#)).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert_eq!(body["error"]["code"], "conflict");
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap()
                .contains("decided already"),
            "{body}"
        );
    }
    let run = api.get_run(first, &read).await;
    assert_eq!(run["approval"]["state"], "approved", "{run}");
    assert_eq!(run["approval"]["summary"], summary.as_str());
    assert_eq!(run["approval"]["decision"]["actor"], "alice");
    assert_eq!(run["approval"]["decision"]["role"], "approver");
    assert_eq!(run["policy_outcome_effective"], "pass", "{run}");
    let shown = runs_show(store_url, first, false);
    assert!(
        shown.contains(&format!("approval: approved ({summary})")),
        "{shown}"
    );
    let json: Value = serde_json::from_str(&runs_show(store_url, first, true)).unwrap();
    assert_eq!(
        json["approval"]["decision"]["reason"],
        "resize agreed in CHG-42"
    );

    // The audit trail: every attempt, with who, role, from where and result.
    let entries = audit_entries(store_url);
    let rows: Vec<(String, String, String, String)> = entries
        .iter()
        .map(|e| {
            let s = |k: &str| e[k].as_str().unwrap_or("-").to_string();
            (s("actor"), s("role"), s("result"), s("target"))
        })
        .collect();
    let run_target = format!("run {first}");
    let expected: Vec<(&str, &str, &str, &str)> = vec![
        ("dashboard", "read", "denied", &run_target),
        ("ci-bot", "trigger", "denied", &run_target),
        ("alice", "approver", "failed", "run 999999"),
        ("alice", "approver", "ok", &run_target),
        ("ops", "admin", "failed", &run_target),
        ("ops", "admin", "failed", &run_target),
    ];
    let expected: Vec<(String, String, String, String)> = expected
        .into_iter()
        .map(|(a, b, c, d)| (a.into(), b.into(), c.into(), d.into()))
        .collect();
    assert_eq!(rows, expected, "{entries:#?}");
    for e in &entries {
        assert_eq!(e["via"], "api");
        assert_eq!(e["remote"], "127.0.0.1");
        for secret in [&read, &trigger, &approver, &admin] {
            assert!(!e.to_string().contains(secret.as_str()), "a token in {e}");
        }
    }
    assert_eq!(entries[3]["workspace"], "app");
    assert_eq!(entries[3]["detail"], "approved: resize agreed in CHG-42");
    let (code, verified, err) = support::cli::driftcost(&["audit", "verify", "--store", store_url]);
    assert_eq!(code, 0, "{verified}{err}");
    assert!(verified.contains("audit trail intact"), "{verified}");

    // drift pr: the same drift as the decided run, so its description says so.
    let plan = f.plan_json();
    let pr = |extra: &[&str]| {
        let mut args = vec![
            "drift",
            "pr",
            "--dir",
            f.ws.to_str().unwrap(),
            "--plan",
            plan.to_str().unwrap(),
            "--repo",
            "acme/infra",
            "--workspace",
            "app",
            "--dry-run",
            "--store",
            store_url,
        ];
        args.extend(extra);
        support::cli::driftcost(&args)
    };
    let (code, out, err) = pr(&[]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("### Approval"), "{out}");
    assert!(
        out.contains(&format!("run #{first} was **approved by alice")),
        "{out}"
    );

    // The same drift again: approved without a new decision.
    let out = f.worker_once(store_url);
    assert_eq!(
        out.status.code(),
        Some(2),
        "drift still exits 2: {}",
        support::cli::text(&out)
    );
    let second = *run_ids(&store).await.last().unwrap();
    assert!(second > first);
    let run = api.get_run(second, &read).await;
    assert_eq!(run["approval"]["state"], "approved", "{run}");
    assert_eq!(run["approval"]["decision"]["carried_from"], first);
    assert_eq!(run["approval"]["decision"]["actor"], "alice");
    assert!(
        run["approval"]["summary"]
            .as_str()
            .unwrap()
            .contains(&format!("decided on run {first}")),
        "{run}"
    );
    assert_eq!(
        audit_entries(store_url).len(),
        6,
        "no new decision was made"
    );

    // New drift (another attribute): a new approval is needed.
    f.edit_db(|v| v["allocated_storage"] = 50.into());
    let out = f.worker_once(store_url);
    assert_eq!(out.status.code(), Some(2), "{}", support::cli::text(&out));
    let third = *run_ids(&store).await.last().unwrap();
    assert!(third > second);
    let run = api.get_run(third, &read).await;
    assert_eq!(run["approval"]["state"], "pending", "{run}");
    assert_ne!(
        run["approval"]["fingerprint"],
        api.get_run(first, &read).await["approval"]["fingerprint"]
    );

    // drift pr now mentions the pending approval with the run page link.
    let plan = f.plan_json();
    assert!(plan.exists());
    let (code, out, err) = pr(&["--public-url", "https://driftcost.example.com"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(&format!(
            "[run #{third}](https://driftcost.example.com/runs/{third}) is **awaiting approval from dba**"
        )),
        "{out}"
    );

    // The run page: a reader sees the box, no form, and may not post one.
    let read_session = api.sign_in(&read).await;
    let (status, html) = api.page(&format!("/runs/{third}"), &read_session).await;
    assert_eq!(status, 200);
    assert!(html.contains("Awaiting approval"), "{html}");
    assert!(html.contains("awaiting approval from dba"), "{html}");
    assert!(
        !html.contains(&format!("action=\"/runs/{third}/decide\"")),
        "{html}"
    );
    let (_, home) = api.page("/", &read_session).await;
    let read_csrf = hidden_csrf(&home).expect("a csrf field for the reader");
    let res = api
        .post_form(
            &format!("/runs/{third}/decide"),
            &read_session,
            &format!("csrf={read_csrf}&decision=approve&reason=mine"),
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    // An approver sees the form; without its CSRF token it is refused.
    let session = api.sign_in(&approver).await;
    let (status, html) = api.page(&format!("/runs/{third}"), &session).await;
    assert_eq!(status, 200);
    assert!(
        html.contains(&format!("action=\"/runs/{third}/decide\"")),
        "{html}"
    );
    let csrf = hidden_csrf(&html).unwrap();
    let res = api
        .post_form(
            &format!("/runs/{third}/decide"),
            &session,
            "decision=reject&reason=storage%20needs%20a%20ticket",
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // A rejection needs a reason, on the page too.
    let res = api
        .post_form(
            &format!("/runs/{third}/decide"),
            &session,
            &format!("csrf={csrf}&decision=reject&reason="),
        )
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        api.get_run(third, &read).await["approval"]["state"],
        "pending"
    );
    let res = api
        .post_form(
            &format!("/runs/{third}/decide"),
            &session,
            &format!("csrf={csrf}&decision=reject&reason=storage%20needs%20a%20ticket"),
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let run = api.get_run(third, &read).await;
    assert_eq!(run["approval"]["state"], "rejected", "{run}");
    assert!(
        run["approval"]["summary"]
            .as_str()
            .unwrap()
            .starts_with("rejected by alice (approver) at "),
        "{run}"
    );
    let (_, html) = api.page(&format!("/runs/{third}"), &session).await;
    assert!(html.contains("Rejected"), "{html}");
    assert!(
        !html.contains(&format!("action=\"/runs/{third}/decide\"")),
        "decided: no form"
    );
    let entries = audit_entries(store_url);
    let page: Vec<(&str, &str)> = entries
        .iter()
        .filter(|e| e["via"] == "page")
        .map(|e| (e["actor"].as_str().unwrap(), e["result"].as_str().unwrap()))
        .collect();
    assert_eq!(
        page,
        [("dashboard", "denied"), ("alice", "ok")],
        "{entries:#?}"
    );
    let (code, _, err) = support::cli::driftcost(&["audit", "verify", "--store", store_url]);
    assert_eq!(code, 0, "{err}");
    api.shutdown.cancel();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn approvals_on_sqlite() {
    let tmp = tempfile::tempdir().unwrap();
    approvals_flow(&format!("sqlite:{}", tmp.path().join("runs.db").display())).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn approvals_on_postgres() {
    let Some(db) = support::servers::FreshDb::new("approvals_on_postgres").await else {
        return;
    };
    approvals_flow(&db.url).await;
    db.drop_db().await;
}

/// A policy that asks for an approval on every scan, drift or not: the first
/// pass exits 2 (a pending approval is a policy failure), and once approved
/// the next pass, with the same (empty) drift, exits 0.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_approved_run_is_not_a_policy_failure() {
    let f = fixture(
        r#"package drift.change_freeze
import rego.v1

deny contains out if {
	out := {"msg": "change freeze: every scan needs a sign-off", "approval": "release"}
}
"#,
    );
    let tmp = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", tmp.path().join("runs.db").display());
    let out = f.worker_once(&url);
    assert_eq!(out.status.code(), Some(2), "{}", support::cli::text(&out));
    let store = Store::open(&url).await.unwrap();
    let first = *run_ids(&store).await.last().unwrap();
    assert_eq!(
        store
            .get_run(first)
            .await
            .unwrap()
            .unwrap()
            .drift_item_count,
        0
    );
    let decided = store
        .decide(
            first,
            driftcost::store::NewDecision {
                decision: driftcost::store::Decision::Approved,
                actor: "rm".into(),
                role: Role::Approver,
                reason: None,
            },
        )
        .await
        .unwrap();
    assert!(matches!(decided, driftcost::store::Decided::Decided(_)));
    let out = f.worker_once(&url);
    assert_eq!(out.status.code(), Some(0), "{}", support::cli::text(&out));
    let second = *run_ids(&store).await.last().unwrap();
    let a = store.run_approval(second).await.unwrap().unwrap();
    assert_eq!(a.decision.unwrap().carried_from, Some(first));
}
