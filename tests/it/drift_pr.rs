//! `driftcost drift pr` end to end: a real terraform workspace on the
//! file-backed test provider, drift made behind terraform's back, a real
//! refresh-only plan, and GitHub played by wiremock on 127.0.0.1. Every call
//! GitHub receives is checked (method, path, query, Authorization, body), the
//! file written through the Contents API decodes to the edited `.tf`, and no
//! secret (the token, the sensitive password) is printed or sent.

use crate::support;

use base64::Engine;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Output;
use support::terraform::{
    edit_cloud_object, state_ids, terraform_env, terraform_ok, write_workspace,
};
use wiremock::matchers::{method, path, path_regex, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOKEN: &str = "ghp_driftprtoken0123456789";
const SECRET_1: &str = "Sup3r-Secret-Passw0rd-one";
const SECRET_2: &str = "Sup3r-Secret-Passw0rd-two";
const REPO_FILE: &str = "envs/shop/main.tf";

const BODY: &str = r#"
variable "db_password" {
  type      = string
  sensitive = true
}

variable "db_class" {
  type    = string
  default = "db.t3.micro"
}

# The web tier; resized by hand during the launch.
resource "aws_instance" "web" {
  ami           = "ami-0c55b159cbfafe1f0"
  instance_type = "t3.micro" # launch size
  tags          = { Name = "web", owner = "alice" }

  root_block_device {
    volume_size = 8 # GiB
  }
}

resource "aws_db_instance" "orders" {
  identifier        = "orders"
  instance_class    = var.db_class
  engine            = "postgres"
  allocated_storage = 20
  username          = "app"
  password          = var.db_password
}
"#;

struct Ws {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
    plan: PathBuf,
}

fn tf_env(dir: &Path) -> Vec<(&'static str, String)> {
    let mut env = terraform_env(dir);
    env.push(("TF_VAR_db_password", SECRET_1.to_string()));
    env
}

/// Applies the workspace, lets `drift` change the fake cloud, and writes the
/// refresh-only plan's JSON.
fn drifted_workspace(drift: impl FnOnce(&Path, &std::collections::BTreeMap<String, String>)) -> Ws {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("shop");
    let cloud = tmp.path().join("cloud");
    write_workspace(&dir, &cloud, "us-east-1", None, BODY);
    let env = tf_env(&dir);
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    terraform_ok(&dir, &["init", "-input=false"], &env);
    terraform_ok(&dir, &["apply", "-auto-approve", "-input=false"], &env);
    drift(&cloud, &state_ids(&dir));
    terraform_ok(
        &dir,
        &[
            "plan",
            "-refresh-only",
            "-lock=false",
            "-input=false",
            "-out=drift.tfplan",
        ],
        &env,
    );
    let show = terraform_ok(&dir, &["show", "-json", "drift.tfplan"], &env);
    let plan = tmp.path().join("plan.json");
    std::fs::write(&plan, &show.stdout).unwrap();
    Ws {
        _tmp: tmp,
        dir,
        plan,
    }
}

/// Resized instance and volume, larger database storage (all literals), a
/// class change through a variable and a rotated password (not codifiable).
fn resize(cloud: &Path, ids: &std::collections::BTreeMap<String, String>) {
    edit_cloud_object(cloud, "aws_instance", &ids["aws_instance.web"], |v| {
        v["instance_type"] = "m5.large".into();
        v["root_block_device"][0]["volume_size"] = 20.into();
    });
    edit_cloud_object(
        cloud,
        "aws_db_instance",
        &ids["aws_db_instance.orders"],
        |v| {
            v["allocated_storage"] = 50.into();
            v["instance_class"] = "db.t3.small".into();
            v["password"] = SECRET_2.into();
        },
    );
}

async fn drift_pr(ws: &Ws, api: &str, extra: &[&str]) -> Output {
    let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_driftcost"));
    cmd.args(["drift", "pr", "--dir"])
        .arg(&ws.dir)
        .arg("--plan")
        .arg(&ws.plan)
        .args(["--repo", "acme/infra", "--repo-path", "envs/shop"])
        .args(["--github-api-url", api])
        .args(extra)
        .env("GITHUB_TOKEN", TOKEN)
        .env_remove("GITHUB_API_URL")
        .env_remove("DRIFTCOST_PRICING_DIR");
    let out = cmd.output().await.unwrap();
    for (what, text) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        let text = String::from_utf8_lossy(text);
        for secret in [TOKEN, SECRET_1, SECRET_2] {
            assert!(!text.contains(secret), "a secret leaked to {what}:\n{text}");
        }
    }
    out
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// main.tf as the test wrote it, and as `drift pr` must write it.
fn expected_files(ws: &Ws) -> (String, String) {
    let original = std::fs::read_to_string(ws.dir.join("main.tf")).unwrap();
    let edited = original
        .replace(
            "instance_type = \"t3.micro\" # launch size",
            "instance_type = \"m5.large\" # launch size",
        )
        .replace("volume_size = 8 # GiB", "volume_size = 20 # GiB")
        .replace("allocated_storage = 20\n", "allocated_storage = 50\n");
    assert_ne!(original, edited);
    (original, edited)
}

/// GitHub's answer for the file: base64 in 60-character lines, as GitHub sends it.
fn contents_answer(text: &str) -> Value {
    let b64 = base64::engine::general_purpose::STANDARD.encode(text);
    let wrapped: Vec<String> = b64
        .as_bytes()
        .chunks(60)
        .map(|c| String::from_utf8(c.to_vec()).unwrap())
        .collect();
    json!({"type": "file", "encoding": "base64", "path": REPO_FILE, "sha": "blob-sha-1",
           "content": wrapped.join("\n") + "\n"})
}

async fn github(original: &str, branch_exists: bool, open_pr: Option<u64>) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/repos/acme/infra/git/ref/heads/main"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"ref": "refs/heads/main", "object": {"sha": "base-sha-1", "type": "commit"}}),
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path_regex(
            r"^/repos/acme/infra/git/ref/heads/driftcost/drift-shop-[0-9a-f]{8}$",
        ))
        .respond_with(if branch_exists {
            ResponseTemplate::new(200).set_body_json(json!({"object": {"sha": "old-sha"}}))
        } else {
            ResponseTemplate::new(404).set_body_json(json!({"message": "Not Found"}))
        })
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/repos/acme/infra/git/refs"))
        .respond_with(
            ResponseTemplate::new(201).set_body_json(json!({"object": {"sha": "base-sha-1"}})),
        )
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path_regex(r"^/repos/acme/infra/git/refs/heads/driftcost/"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"object": {"sha": "base-sha-1"}})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/repos/acme/infra/contents/{REPO_FILE}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(contents_answer(original)))
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path(format!("/repos/acme/infra/contents/{REPO_FILE}")))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"content": {"sha": "blob-sha-2"}})),
        )
        .mount(&server)
        .await;
    let list = match open_pr {
        Some(n) => json!([{"number": n, "body": "old"}]),
        None => json!([]),
    };
    Mock::given(method("GET"))
        .and(path("/repos/acme/infra/pulls"))
        .and(query_param("state", "open"))
        .respond_with(ResponseTemplate::new(200).set_body_json(list))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/repos/acme/infra/pulls"))
        .respond_with(ResponseTemplate::new(201).set_body_json(
            json!({"number": 42, "html_url": "https://github.example/acme/infra/pull/42"}),
        ))
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path_regex(r"^/repos/acme/infra/pulls/\d+$"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"number": 7, "html_url": "https://github.example/acme/infra/pull/7"}),
        ))
        .mount(&server)
        .await;
    server
}

/// Every request, each checked for the bearer token and for secrets in its body.
async fn requests(server: &MockServer) -> Vec<Request> {
    let reqs = server.received_requests().await.unwrap();
    for r in &reqs {
        let auth = r
            .headers
            .get("authorization")
            .map(|v| v.to_str().unwrap().to_string());
        assert_eq!(
            auth,
            Some(format!("Bearer {TOKEN}")),
            "{} {}",
            r.method,
            r.url
        );
        let body = String::from_utf8_lossy(&r.body);
        assert!(
            !body.contains(SECRET_2),
            "{} {} sent the new secret",
            r.method,
            r.url
        );
    }
    reqs
}

fn json_body(r: &Request) -> Value {
    serde_json::from_slice(&r.body).unwrap_or_else(|e| panic!("{} {}: {e}", r.method, r.url))
}

fn call(r: &Request) -> String {
    match r.url.query() {
        Some(q) => format!("{} {}?{q}", r.method, r.url.path()),
        None => format!("{} {}", r.method, r.url.path()),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drift_on_literals_opens_a_pr_with_edited_tf_cost_and_leftovers() {
    let ws = tokio::task::spawn_blocking(|| drifted_workspace(resize))
        .await
        .unwrap();
    let (original, edited) = expected_files(&ws);
    let server = github(&original, false, None).await;
    // With a store, the opened pull request is recorded in its audit trail.
    let store_dir = tempfile::tempdir().unwrap();
    let store_path = store_dir.path().join("driftcost.db").display().to_string();
    let store = driftcost::store::Store::open(&store_path).await.unwrap();
    let out = drift_pr(&ws, &server.uri(), &["--store", &store_path]).await;
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("opened pull request #42 in acme/infra from driftcost/drift-shop-"),
        "{stdout}"
    );
    let audit = store
        .audit()
        .list(&driftcost::store::AuditFilter::default())
        .await
        .unwrap();
    assert_eq!(audit.len(), 1, "{audit:?}");
    assert_eq!(
        audit[0].event.action,
        driftcost::store::AuditAction::DriftPrOpened
    );
    assert_eq!(audit[0].event.workspace.as_deref(), Some("shop"));
    assert!(
        audit[0].event.target.as_deref().unwrap().contains("42"),
        "{audit:?}"
    );
    store.close().await;

    let reqs = requests(&server).await;
    let calls: Vec<String> = reqs.iter().map(call).collect();
    let branch = reqs[1]
        .url
        .path()
        .trim_start_matches("/repos/acme/infra/git/ref/heads/")
        .to_string();
    assert!(branch.starts_with("driftcost/drift-shop-"), "{calls:?}");
    assert_eq!(
        calls,
        vec![
            "GET /repos/acme/infra/git/ref/heads/main".to_string(),
            format!("GET /repos/acme/infra/git/ref/heads/{branch}"),
            "POST /repos/acme/infra/git/refs".to_string(),
            format!("GET /repos/acme/infra/contents/{REPO_FILE}?ref={branch}"),
            format!("PUT /repos/acme/infra/contents/{REPO_FILE}"),
            format!("GET /repos/acme/infra/pulls?state=open&head=acme:{branch}&per_page=100"),
            "POST /repos/acme/infra/pulls".to_string(),
        ]
    );
    assert_eq!(
        json_body(&reqs[2]),
        json!({"ref": format!("refs/heads/{branch}"), "sha": "base-sha-1"})
    );

    let put = json_body(&reqs[4]);
    assert_eq!(put["sha"], "blob-sha-1");
    assert_eq!(put["branch"], branch.as_str());
    assert!(
        put["message"]
            .as_str()
            .unwrap()
            .starts_with("driftcost: codify drift in shop")
    );
    let content = base64::engine::general_purpose::STANDARD
        .decode(put["content"].as_str().unwrap())
        .unwrap();
    assert_eq!(String::from_utf8(content).unwrap(), edited);

    let pr = json_body(&reqs[6]);
    assert_eq!(pr["head"], branch.as_str());
    assert_eq!(pr["base"], "main");
    assert_eq!(pr["title"], "driftcost: codify drift in shop (3 changes)");
    let body = pr["body"].as_str().unwrap();
    assert!(
        body.starts_with("<!-- driftcost:drift-pr workspace=shop -->"),
        "{body}"
    );
    for row in [
        "| `aws_instance.web` | `instance_type` | `\"t3.micro\"` | `\"m5.large\"` | `envs/shop/main.tf:",
        "| `aws_instance.web` | `root_block_device[0].volume_size` | `8` | `20` | `envs/shop/main.tf:",
        "| `aws_db_instance.orders` | `allocated_storage` | `20` | `50` | `envs/shop/main.tf:",
    ] {
        assert!(body.contains(row), "missing {row}\n{body}");
    }
    // The cost effect of the drift: a bigger instance costs more per month.
    assert!(
        body.contains("### Monthly cost effect of the drift"),
        "{body}"
    );
    let web_cost = body
        .lines()
        .find(|l| l.starts_with("| `aws_instance.web` | $"))
        .unwrap_or_else(|| panic!("no cost row for the instance\n{body}"));
    assert!(
        web_cost.ends_with('|') && web_cost.contains("| +$"),
        "{web_cost}"
    );
    assert!(body.contains("| **Total** |"), "{body}");
    // What it could not codify, with why, and never the password's value.
    assert!(body.contains("### Not codified (2)"), "{body}");
    assert!(
        body.contains(
            "| `aws_db_instance.orders` | `instance_class` | set from variable `var.db_class`"
        ),
        "{body}"
    );
    assert!(
        body.contains("| `aws_db_instance.orders` | `password` | sensitive"),
        "{body}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn existing_branch_and_open_pr_are_updated_and_dry_run_sends_nothing() {
    let ws = tokio::task::spawn_blocking(|| drifted_workspace(resize))
        .await
        .unwrap();
    let (original, edited) = expected_files(&ws);

    // Dry run: the diff and the description, no request.
    let silent = MockServer::start().await;
    let out = drift_pr(&ws, &silent.uri(), &["--dry-run"]).await;
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("--- a/main.tf\n+++ b/main.tf\n"),
        "{stdout}"
    );
    assert!(stdout.contains("-  instance_type = \"t3.micro\" # launch size\n+  instance_type = \"m5.large\" # launch size\n"), "{stdout}");
    assert!(
        stdout.contains("<!-- driftcost:drift-pr workspace=shop -->"),
        "{stdout}"
    );
    assert!(silent.received_requests().await.unwrap().is_empty());
    let dry = stdout;

    let server = github(&original, true, Some(7)).await;
    let out = drift_pr(&ws, &server.uri(), &[]).await;
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{stderr}");
    assert!(stdout.contains("updated pull request #7"), "{stdout}");
    let reqs = requests(&server).await;
    let calls: Vec<String> = reqs.iter().map(call).collect();
    let branch = reqs[1]
        .url
        .path()
        .trim_start_matches("/repos/acme/infra/git/ref/heads/")
        .to_string();
    assert_eq!(
        calls,
        vec![
            "GET /repos/acme/infra/git/ref/heads/main".to_string(),
            format!("GET /repos/acme/infra/git/ref/heads/{branch}"),
            format!("PATCH /repos/acme/infra/git/refs/heads/{branch}"),
            format!("GET /repos/acme/infra/contents/{REPO_FILE}?ref={branch}"),
            format!("PUT /repos/acme/infra/contents/{REPO_FILE}"),
            format!("GET /repos/acme/infra/pulls?state=open&head=acme:{branch}&per_page=100"),
            "PATCH /repos/acme/infra/pulls/7".to_string(),
        ]
    );
    assert_eq!(
        json_body(&reqs[2]),
        json!({"sha": "base-sha-1", "force": true})
    );
    let put = json_body(&reqs[4]);
    let content = base64::engine::general_purpose::STANDARD
        .decode(put["content"].as_str().unwrap())
        .unwrap();
    assert_eq!(String::from_utf8(content).unwrap(), edited);
    let update = json_body(&reqs[6]);
    let body = update["body"].as_str().unwrap();
    // The description the dry run showed is the one sent.
    let title = "driftcost: codify drift in shop (3 changes)\n\n";
    let shown = &dry[dry.find(title).unwrap() + title.len()..];
    assert_eq!(body, shown.strip_suffix('\n').unwrap());
    assert!(body.contains("### Not codified (2)"), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_changed_file_on_base_or_a_bad_token_stops_before_writing() {
    let ws = tokio::task::spawn_blocking(|| drifted_workspace(resize))
        .await
        .unwrap();
    let (original, _) = expected_files(&ws);

    // main.tf on the base branch is not the one edited here: nothing is written.
    let moved_on = original.replace("# launch size", "# someone else's edit");
    let server = github(&moved_on, false, None).await;
    let out = drift_pr(&ws, &server.uri(), &[]).await;
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(
        stderr.contains(&format!(
            "{REPO_FILE} on main is not the file that was edited here"
        )),
        "{stderr}"
    );
    let calls: Vec<String> = requests(&server).await.iter().map(call).collect();
    assert!(
        !calls
            .iter()
            .any(|c| c.starts_with("PUT ") || c.contains("/pulls")),
        "{calls:?}"
    );

    // GitHub refuses the token: exit 1, the status, the hint, the variable's name.
    let refusing = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(
            ResponseTemplate::new(401).set_body_json(json!({"message": "Bad credentials"})),
        )
        .mount(&refusing)
        .await;
    let out = drift_pr(&ws, &refusing.uri(), &[]).await;
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(
        stderr.contains("HTTP 401 from GitHub: Bad credentials")
            && stderr.contains("using the token in GITHUB_TOKEN"),
        "{stderr}"
    );
    assert_eq!(requests(&refusing).await.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nothing_to_codify_opens_nothing_and_says_why() {
    let ws = tokio::task::spawn_blocking(|| {
        drifted_workspace(|cloud, ids| {
            edit_cloud_object(
                cloud,
                "aws_db_instance",
                &ids["aws_db_instance.orders"],
                |v| {
                    v["instance_class"] = "db.t3.small".into();
                    v["password"] = SECRET_2.into();
                },
            );
        })
    })
    .await
    .unwrap();
    let server = MockServer::start().await;
    let out = drift_pr(&ws, &server.uri(), &[]).await;
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{stderr}");
    assert!(
        stdout.starts_with("Nothing to codify in workspace shop"),
        "{stdout}"
    );
    assert!(
        stdout.contains("aws_db_instance.orders instance_class: set from variable `var.db_class`"),
        "{stdout}"
    );
    assert!(
        stdout.contains("aws_db_instance.orders password: sensitive"),
        "{stdout}"
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}
