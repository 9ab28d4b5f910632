//! The secret corpus. One workspace holds values terraform marks sensitive in every shape:
//! the test provider's sensitive string, map, list, dynamic value and nested-block attribute
//! (marked by the schema only), sensitive variables inside a plain map, a dynamic `payload`
//! and `terraform_data` (marked at their paths only), and an RDS password. It is applied twice
//! (the variables rotated in between), then every provider-held secret is rotated out of band
//! in the fake cloud and the variables are rotated once more.
//!
//! Then everything driftcost shows, keeps or sends is searched for every one of those
//! secrets: `scan` and `drift` in each format and mode (plus `cost`), `--log trace` stderr
//! and `--log-json`, the worker's webhook, Slack and email notification bodies, `runs list`,
//! `runs show`, `drift show`, the SQLite store's bytes and the API's JSON. Zero hits. The
//! test also checks that the drift is there to be reported, so it cannot pass by seeing
//! nothing.

use crate::support;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use support::terraform::{ensure_mirror, state_ids, terraform_env, terraform_ok, write_workspace};

/// Set by the configuration (variable defaults) and applied; marked by the schema only.
const APPLIED_STRING: &str = "q7Lm2-corpus-string-APPLIED";
const APPLIED_MAP: &str = "Zx41v-corpus-map-APPLIED";
const APPLIED_LIST: &str = "Pn08s-corpus-list-APPLIED";
const APPLIED_ANY: &str = "Hd55k-corpus-dynamic-APPLIED";
const APPLIED_ROTATION: &str = "Wc19e-corpus-nested-APPLIED";
/// Sensitive variables: the first apply, the second apply, the scans.
const PW: [&str; 3] = [
    "Ka92f-corpus-var-pw-ZERO",
    "Rt63b-corpus-var-pw-ONE",
    "Ue27j-corpus-var-pw-TWO",
];
const TOKEN: [&str; 3] = [
    "Mb38x-corpus-var-token-ZERO",
    "Gy70q-corpus-var-token-ONE",
    "Fs14n-corpus-var-token-TWO",
];
/// Written into the fake cloud behind terraform's back.
const OOB: [(&str, &str); 7] = [
    (APPLIED_STRING, "t3Vw8-corpus-string-ROTATED"),
    (APPLIED_MAP, "c6Ja1-corpus-map-ROTATED"),
    (APPLIED_LIST, "e9Qo4-corpus-list-ROTATED"),
    (APPLIED_ANY, "u2Xr7-corpus-dynamic-ROTATED"),
    (APPLIED_ROTATION, "i5Nd0-corpus-nested-ROTATED"),
    // The sensitive variable as the provider holds it in `labels` and `payload`.
    ("Rt63b-corpus-var-pw-ONE", "o8Bz3-corpus-label-ROTATED"),
    // The RDS password.
    ("Lh46y-corpus-db-APPLIED", "a1Sg5-corpus-db-ROTATED"),
];

fn all_secrets() -> Vec<&'static str> {
    let mut out: Vec<&str> = PW.iter().chain(&TOKEN).copied().collect();
    for (old, new) in OOB {
        out.push(old);
        out.push(new);
    }
    out.sort();
    out.dedup();
    out
}

fn workspace_body() -> String {
    format!(
        r#"
variable "db_password" {{
  type      = string
  sensitive = true
}}
variable "api_token" {{
  type      = string
  sensitive = true
}}
# Not sensitive variables: only the provider's schema marks where they go.
variable "sv_string" {{ default = "{APPLIED_STRING}" }}
variable "sv_map" {{ default = "{APPLIED_MAP}" }}
variable "sv_list" {{ default = "{APPLIED_LIST}" }}
variable "sv_any" {{ default = "{APPLIED_ANY}" }}
variable "sv_rotation" {{ default = "{APPLIED_ROTATION}" }}
variable "sv_db" {{ default = "Lh46y-corpus-db-APPLIED" }}

resource "aws_secretsmanager_secret_version" "main" {{
  secret_id     = "corpus/app"
  secret_string = var.sv_string
  secret_map    = {{ db = var.sv_map, region = "eu-west-1" }}
  secret_list   = ["first-visible", var.sv_list]
  secret_any    = {{ user = "app", key = var.sv_any }}
  labels        = {{ team = "platform", token = var.db_password }}
  payload = {{
    user     = "app"
    password = var.db_password
    hosts    = ["h1.internal", var.db_password]
  }}
  rotation {{
    token    = var.sv_rotation
    schedule = "rate(30 days)"
  }}
}}

resource "aws_db_instance" "orders" {{
  identifier     = "orders"
  instance_class = "db.t3.micro"
  engine         = "postgres"
  username       = "app"
  password       = var.sv_db
}}

resource "aws_instance" "web" {{
  ami           = "ami-0c55b159cbfafe1f0"
  instance_type = "t3.micro"
}}

resource "terraform_data" "cfg" {{
  input = {{
    user     = "admin"
    password = var.db_password
    hosts    = ["db1.internal", var.db_password]
    env      = {{ TOKEN = var.api_token, MODE = "prod" }}
  }}
}}

resource "terraform_data" "token" {{
  input = var.api_token
}}

resource "terraform_data" "plain" {{
  input = {{ cidr = "10.0.0.0/16", tags = {{ env = "demo" }} }}
}}
"#
    )
}

fn tf_vars(i: usize) -> Vec<(&'static str, &'static str)> {
    vec![
        ("TF_VAR_db_password", PW[i]),
        ("TF_VAR_api_token", TOKEN[i]),
    ]
}

fn terraform_in(dir: &Path, args: &[&str], vars: &[(&str, &str)]) -> Output {
    let env = terraform_env(dir);
    let mut all: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    all.extend_from_slice(vars);
    terraform_ok(dir, args, &all)
}

/// Replaces every string equal to `old` anywhere in `v` (dynamic values included).
fn replace_everywhere(v: &mut Value, old: &str, new: &str) -> usize {
    match v {
        Value::String(s) if s == old => {
            *s = new.to_string();
            1
        }
        // A dynamic attribute is stored as the wire pair [type JSON, value].
        Value::Array(a) => a.iter_mut().map(|x| replace_everywhere(x, old, new)).sum(),
        Value::Object(m) => m
            .values_mut()
            .map(|x| replace_everywhere(x, old, new))
            .sum(),
        _ => 0,
    }
}

fn rotate_out_of_band(cloud: &Path) {
    let mut replaced = 0;
    for entry in walk(cloud) {
        let text = std::fs::read_to_string(&entry).unwrap();
        let mut v: Value = serde_json::from_str(&text).unwrap();
        let before = replaced;
        for (old, new) in OOB {
            replaced += replace_everywhere(&mut v, old, new);
        }
        if replaced != before {
            std::fs::write(&entry, serde_json::to_vec_pretty(&v).unwrap()).unwrap();
        }
    }
    // string, map, list, dynamic, nested, labels.token, payload.password,
    // payload.hosts[1], the RDS password.
    assert_eq!(replaced, 9, "every provider-held secret was rotated");
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

fn driftcost(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mirror = ensure_mirror();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_driftcost"));
    cmd.args(args)
        .env("TF_CLI_CONFIG_FILE", mirror.join("terraformrc"))
        .env_remove("RUST_BACKTRACE")
        .env_remove("TF_DATA_DIR")
        .env_remove("TF_PLUGIN_CACHE_DIR")
        .env_remove("TF_LOG")
        .env_remove("DRIFTCOST_LOG")
        .env_remove("DRIFTCOST_TEST_PROVIDER_HANG_ON_READ");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

/// Everything seen, by where it was seen.
#[derive(Default)]
struct Seen(Vec<(String, String)>);

impl Seen {
    fn add(&mut self, label: impl Into<String>, text: impl Into<String>) {
        self.0.push((label.into(), text.into()));
    }

    fn output(&mut self, label: &str, o: &Output, expected: &[i32]) -> String {
        let stdout = String::from_utf8_lossy(&o.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
        assert!(
            o.status.code().is_some_and(|c| expected.contains(&c)),
            "{label}: exit {:?}\n--- stdout\n{stdout}\n--- stderr\n{stderr}",
            o.status.code()
        );
        self.add(format!("{label} stdout"), stdout.clone());
        self.add(format!("{label} stderr"), stderr);
        stdout
    }

    /// Every (place, secret) hit; a secret counts when it or its first five
    /// characters (a random token unique to it, which a cut-off table cell
    /// would still show) appear.
    fn hits(&self, secrets: &[&str]) -> Vec<String> {
        let mut out = Vec::new();
        for (label, text) in &self.0 {
            for s in secrets {
                if text.contains(&s[..5]) {
                    out.push(format!("{label}: {s}"));
                }
            }
        }
        out
    }
}

/// Two changes of one item, as `path → sensitive` pairs, from the drift report JSON.
fn changes_of(report: &Value, address: &str, kind: &str) -> Vec<(String, bool)> {
    let item = report["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["address"] == address && i["kind"] == kind)
        .unwrap_or_else(|| panic!("no {kind} item {address} in {report:#}"));
    let mut out: Vec<(String, bool)> = item["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["path"].as_str().unwrap().to_string(),
                c["sensitive"].as_bool().unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

fn addresses(report: &Value) -> Vec<String> {
    report["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            format!(
                "{} {}",
                i["address"].as_str().unwrap(),
                i["kind"].as_str().unwrap()
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_reaches_any_output_store_log_notification_or_api() {
    use wiremock::matchers::method;
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    let smtp = support::servers::vars(
        "secrets_corpus",
        "SMTP sink",
        &["DRIFTCOST_TEST_SMTP_PORT", "DRIFTCOST_TEST_SMTP_MAILDIR"],
    );

    // Messages already in the sink are other runs'.
    let old_mail: Vec<PathBuf> = smtp
        .as_ref()
        .map(|v| walk(&PathBuf::from(&v["DRIFTCOST_TEST_SMTP_MAILDIR"]).join("new")))
        .unwrap_or_default();

    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let ws = root.join("ws");
    let cloud = root.join("cloud");
    write_workspace(&ws, &cloud, "us-east-1", None, &workspace_body());
    terraform_in(&ws, &["init", "-input=false"], &[]);
    terraform_in(
        &ws,
        &["apply", "-auto-approve", "-input=false"],
        &tf_vars(0),
    );
    let state0 = root.join("state0.tfstate");
    std::fs::copy(ws.join("terraform.tfstate"), &state0).unwrap();
    terraform_in(
        &ws,
        &["apply", "-auto-approve", "-input=false"],
        &tf_vars(1),
    );
    assert!(state_ids(&ws).contains_key("aws_secretsmanager_secret_version.main"));
    rotate_out_of_band(&cloud);

    // Plans a pipeline would hand to `driftcost drift` (inputs: they hold secrets).
    let scan_vars = tf_vars(2);
    terraform_in(
        &ws,
        &[
            "plan",
            "-refresh-only",
            "-input=false",
            "-lock=false",
            "-out=refresh.bin",
        ],
        &scan_vars,
    );
    let refresh_json = terraform_in(&ws, &["show", "-json", "refresh.bin"], &[]).stdout;
    let refresh_plan = root.join("refresh.json");
    std::fs::write(&refresh_plan, &refresh_json).unwrap();
    terraform_in(
        &ws,
        &["plan", "-input=false", "-lock=false", "-out=full.bin"],
        &scan_vars,
    );
    let full_json = terraform_in(&ws, &["show", "-json", "full.bin"], &[]).stdout;
    let full_plan = root.join("full.json");
    std::fs::write(&full_plan, &full_json).unwrap();
    for f in ["refresh.bin", "full.bin"] {
        std::fs::remove_file(ws.join(f)).unwrap();
    }

    let hook = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&hook)
        .await;
    let jobs = root.join("jobs");
    std::fs::create_dir_all(&jobs).unwrap();
    let email = match &smtp {
        Some(v) => format!(
            "[notify.mail]\nkind = \"email\"\nto = [\"ops@example.com\"]\nfrom = \"driftcost <driftcost@example.com>\"\nsmtp_host = \"127.0.0.1\"\nsmtp_port = {}\ntls = \"none\"\n",
            v["DRIFTCOST_TEST_SMTP_PORT"]
        ),
        None => String::new(),
    };
    let targets = if smtp.is_some() {
        r#"["hook", "slack", "mail"]"#
    } else {
        r#"["hook", "slack"]"#
    };
    std::fs::write(
        jobs.join("corpus.toml"),
        format!(
            r#"
[notify.hook]
kind = "webhook"
url_env = "CORPUS_HOOK_URL"
secret_env = "CORPUS_HOOK_KEY"

[notify.slack]
kind = "slack"
url_env = "CORPUS_SLACK_URL"

{email}
[[workspace]]
name = "corpus"
dir = "../ws"
env = ["TF_VAR_db_password", "TF_VAR_api_token"]
notify = {targets}

[[workspace]]
name = "corpus-plan"
dir = "../ws"
mode = "plan"
env = ["TF_VAR_db_password", "TF_VAR_api_token"]
notify = {targets}
"#
        ),
    )
    .unwrap();
    let job_file = jobs.join("corpus.toml");
    let job = job_file.to_str().unwrap();
    let tmpdir = root.to_str().unwrap();
    let mut env: Vec<(&str, &str)> = scan_vars.clone();
    env.push(("TMPDIR", tmpdir));

    let mut seen = Seen::default();

    // scan: every format, both modes, trace logs as text and as JSON.
    for (mode, ws_name) in [("refresh-only", "corpus"), ("plan", "corpus-plan")] {
        for (i, format) in ["table", "json", "markdown"].iter().enumerate() {
            let mut args = vec!["--log", "trace"];
            if i == 1 {
                args.push("--log-json");
            }
            args.extend(["scan", "--config", job, "--workspace", ws_name]);
            args.extend(["--mode", mode, "--format", format]);
            let out = seen.output(
                &format!("scan {mode} {format}"),
                &driftcost(&args, &env),
                &[2],
            );
            if *format == "json" {
                let report: Value = serde_json::from_str(&out).unwrap();
                assert_eq!(report["scan"]["outcome"], "drifted", "{out}");
                let items = addresses(&report);
                // A clean terraform_data is no drift; the rotated secrets are.
                assert!(
                    !items.iter().any(|a| a.starts_with("terraform_data.plain")),
                    "{items:?}"
                );
                if mode == "refresh-only" {
                    assert!(
                        !items.iter().any(|a| a.starts_with("terraform_data")),
                        "{items:?}"
                    );
                }
                let secret =
                    changes_of(&report, "aws_secretsmanager_secret_version.main", "changed");
                for path in [
                    "labels.token",
                    "payload.hosts[1]",
                    "payload.password",
                    "rotation[0].token",
                    "secret_any",
                    "secret_list",
                    "secret_map",
                    "secret_string",
                ] {
                    assert!(
                        secret.contains(&(path.to_string(), true)),
                        "{path} is a sensitive change: {secret:?}"
                    );
                }
                assert!(secret.iter().all(|(_, s)| *s), "{secret:?}");
            }
        }
    }

    // drift from files: the older recorded state makes terraform_data's
    // rotated variables a recorded-state difference.
    for (mode, plan) in [("refresh-only", &refresh_plan), ("plan", &full_plan)] {
        for format in ["table", "json", "markdown"] {
            let args = [
                "--log",
                "trace",
                "drift",
                "--plan",
                plan.to_str().unwrap(),
                "--state",
                state0.to_str().unwrap(),
                "--mode",
                mode,
                "--format",
                format,
            ];
            let out = seen.output(
                &format!("drift {mode} {format}"),
                &driftcost(&args, &env),
                &[2],
            );
            if format == "json" {
                let report: Value = serde_json::from_str(&out).unwrap();
                let cfg = changes_of(&report, "terraform_data.cfg", "recorded_state_differs");
                // Unwrapped (not `input.value.password`) and masked by the
                // state's paths; `output` (unmarked by terraform) is there
                // too, and the search below proves its values are not.
                assert!(
                    cfg.contains(&("input.password".to_string(), true))
                        && cfg.iter().any(|(p, _)| p == "output.password"),
                    "{cfg:?}"
                );
                assert!(
                    !addresses(&report)
                        .iter()
                        .any(|a| a.starts_with("terraform_data.plain")),
                    "{report:#}"
                );
            }
        }
    }

    // cost of the same plans (the cost engine's own masking: see the report).
    let mut cost_seen = Seen::default();
    for sub in ["breakdown", "diff"] {
        for format in ["table", "json", "markdown"] {
            let args = [
                "cost",
                sub,
                "--plan",
                full_plan.to_str().unwrap(),
                "--format",
                format,
            ];
            cost_seen.output(
                &format!("cost {sub} {format}"),
                &driftcost(&args, &env),
                &[0, 1, 2],
            );
        }
    }

    // The worker: store, outbox, webhook, Slack, email; logs at trace, as JSON.
    let db = root.join("driftcost.db");
    let db_url = db.to_str().unwrap().to_string();
    let hook_url = format!("{}/hook", hook.uri());
    let slack_url = format!("{}/slack", hook.uri());
    let mut worker_env = env.clone();
    worker_env.extend([
        ("CORPUS_HOOK_URL", hook_url.as_str()),
        ("CORPUS_HOOK_KEY", "corpus-hmac-key"),
        ("CORPUS_SLACK_URL", slack_url.as_str()),
    ]);
    for (i, json) in [false, true].into_iter().enumerate() {
        let mut args = vec!["--log", "trace"];
        if json {
            args.push("--log-json");
        }
        args.extend(["worker", "--once", "--all", "--store", &db_url, "--jobs"]);
        args.push(jobs.to_str().unwrap());
        seen.output(
            &format!("worker run {i}"),
            &driftcost(&args, &worker_env),
            &[2],
        );
    }
    let requests = hook.received_requests().await.unwrap();
    assert!(
        requests.iter().any(|r| r.url.path() == "/hook")
            && requests.iter().any(|r| r.url.path() == "/slack"),
        "webhook and Slack were notified: {:?}",
        requests
            .iter()
            .map(|r| r.url.path().to_string())
            .collect::<Vec<_>>()
    );
    for (i, r) in requests.iter().enumerate() {
        seen.add(
            format!("notification {i} to {}", r.url.path()),
            String::from_utf8_lossy(&r.body).into_owned(),
        );
    }
    if let Some(v) = &smtp {
        let maildir = PathBuf::from(&v["DRIFTCOST_TEST_SMTP_MAILDIR"]).join("new");
        let mut ours = 0;
        for f in walk(&maildir).into_iter().filter(|f| !old_mail.contains(f)) {
            let mail = String::from_utf8_lossy(&std::fs::read(&f).unwrap()).into_owned();
            ours += usize::from(mail.contains("corpus"));
            seen.add(format!("email {}", f.display()), mail);
        }
        assert!(ours > 0, "an email about the corpus workspaces arrived");
    }

    // Reading the store back: CLI and API.
    let list = seen.output(
        "runs list --json",
        &driftcost(&["runs", "list", "--store", &db_url, "--json"], &env),
        &[0],
    );
    let ids: Vec<i64> = list
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter_map(|v| v["id"].as_i64())
        .collect();
    assert_eq!(ids.len(), 4, "two workspaces scanned twice: {list}");
    for id in &ids {
        let id = id.to_string();
        for json in [false, true] {
            let mut args = vec!["runs", "show", "--store", &db_url, &id];
            if json {
                args.push("--json");
            }
            seen.output(
                &format!("runs show {id} {json}"),
                &driftcost(&args, &env),
                &[0],
            );
        }
    }
    for name in ["corpus", "corpus-plan"] {
        for json in [false, true] {
            let mut args = vec!["drift", "show", name, "--store", &db_url];
            if json {
                args.push("--json");
            }
            seen.output(
                &format!("drift show {name} {json}"),
                &driftcost(&args, &env),
                &[2],
            );
        }
    }

    {
        use driftcost::api::{StoreBackend, serve_listener};
        use driftcost::store::{Role, Store};
        let store = Store::open(&db_url).await.unwrap();
        let read = store.create_token(Role::Read, "corpus").await.unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let shutdown = tokio_util::sync::CancellationToken::new();
        let backend = std::sync::Arc::new(StoreBackend::new(
            store.clone(),
            ["corpus".to_string(), "corpus-plan".to_string()],
        ));
        let server = tokio::spawn(serve_listener(listener, backend, shutdown.clone()));
        let client = reqwest::Client::new();
        let mut paths = vec![
            "/v1/workspaces".to_string(),
            "/v1/workspaces/corpus".to_string(),
            "/v1/workspaces/corpus/runs".to_string(),
            "/v1/workspaces/corpus-plan".to_string(),
            "/v1/workspaces/corpus-plan/runs".to_string(),
            "/metrics".to_string(),
        ];
        paths.extend(ids.iter().map(|id| format!("/v1/runs/{id}")));
        for p in paths {
            let resp = client
                .get(format!("http://{addr}{p}"))
                .bearer_auth(&read)
                .send()
                .await
                .unwrap();
            assert_eq!(resp.status(), 200, "GET {p}");
            seen.add(format!("API GET {p}"), resp.text().await.unwrap());
        }
        shutdown.cancel();
        server.await.unwrap().unwrap();
        store.close().await;
    }

    // The store's bytes, WAL included: every table, every index, free pages.
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let p = PathBuf::from(format!("{db_url}{suffix}"));
        if let Ok(bytes) = std::fs::read(&p) {
            seen.add(
                format!("store file {}", p.display()),
                String::from_utf8_lossy(&bytes).into_owned(),
            );
        }
    }

    // The temp dir the scans ran in holds no leftover working copy with secrets.
    for f in walk(root) {
        let name = f.display().to_string();
        if f.starts_with(&ws)
            || f.starts_with(&cloud)
            || [&state0, &refresh_plan, &full_plan].contains(&&f)
        {
            continue; // terraform's own files: the inputs
        }
        if f.starts_with(&db_url) || name.starts_with(&db_url) {
            continue; // searched above
        }
        if let Ok(bytes) = std::fs::read(&f) {
            seen.add(
                format!("left in temp dir: {name}"),
                String::from_utf8_lossy(&bytes).into_owned(),
            );
        }
    }

    let secrets = all_secrets();
    let hits = seen.hits(&secrets);
    assert!(hits.is_empty(), "secrets found:\n{}", hits.join("\n"));
    // Cost output is the cost engine's: reported separately so a leak there
    // is told apart from the drift engine's.
    let cost_hits = cost_seen.hits(&secrets);
    assert!(
        cost_hits.is_empty(),
        "secrets in COST output (cost engine):\n{}",
        cost_hits.join("\n")
    );
}
