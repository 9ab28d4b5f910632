//! `POST /v1/github/webhook` over a real listener: signature checks, ping,
//! and a pull request end to end — a real git repository (file:// clone
//! URL), real terraform with the file-backed test provider, and wiremock as
//! GitHub, counting every request it receives.

use crate::support;
use crate::support::memory_backend;

use driftcost::api::{self, GithubWebhook, github_signature};
use driftcost::comment::{PrBotSettings, PrJobQueue, WorkspacePlanOptions, run_pr_jobs};
use driftcost::pricing::PriceTable;
use memory_backend::MemoryBackend;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::git::git;
use support::terraform::{ensure_mirror, write_workspace};
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SECRET: &[u8] = b"webhook-secret-for-tests";
const TOKEN_ENV: &str = "DRIFTCOST_TEST_GITHUB_WEBHOOK_TOKEN";
const TOKEN: &str = "ghs_test-token-never-in-a-url";

struct Server {
    addr: SocketAddr,
    client: Client,
    shutdown: CancellationToken,
    _work: tempfile::TempDir,
}

impl Server {
    /// `secret: None` → the route is not configured.
    async fn start(secret: Option<&[u8]>, github: &MockServer) -> Server {
        static TOKEN_SET: std::sync::Once = std::sync::Once::new();
        // SAFETY: set once, before any job of this binary reads it.
        TOKEN_SET.call_once(|| unsafe { std::env::set_var(TOKEN_ENV, TOKEN) });
        let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
        let work = tempfile::tempdir().unwrap();
        let shutdown = CancellationToken::new();
        let env = "DRIFTCOST_TEST_WEBHOOK_SECRET_UNSET";
        let webhook = match secret {
            Some(secret) => {
                let (queue, jobs) = PrJobQueue::bounded(4);
                let mirror = ensure_mirror();
                let settings = PrBotSettings {
                    github_api_url: github.uri(),
                    token_env: TOKEN_ENV.into(),
                    work_root: work.path().to_path_buf(),
                    plan: WorkspacePlanOptions {
                        runner: driftcost::runner::RunnerSettings {
                            work_root: work.path().to_path_buf(),
                            cli_config_file: Some(mirror.join("terraformrc")),
                            ..Default::default()
                        },
                        timeout: Duration::from_secs(120),
                        ..Default::default()
                    },
                    ..PrBotSettings::default()
                };
                let table = Arc::new(PriceTable::embedded().clone());
                tokio::spawn(run_pr_jobs(jobs, settings, table, shutdown.clone()));
                GithubWebhook::new("DRIFTCOST_GITHUB_WEBHOOK_SECRET", secret.to_vec(), queue)
            }
            None => GithubWebhook::disabled(env),
        };
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(api::serve_listener_with(
            listener,
            Arc::new(MemoryBackend::new(&[])),
            webhook,
            shutdown.clone(),
        ));
        Server {
            addr,
            client: Client::builder().no_proxy().build().unwrap(),
            shutdown,
            _work: work,
        }
    }

    async fn deliver(
        &self,
        event: &str,
        body: &[u8],
        signature: Option<String>,
    ) -> (StatusCode, Value) {
        let mut req = self
            .client
            .post(format!("http://{}/v1/github/webhook", self.addr))
            .header("content-type", "application/json")
            .header("x-github-event", event)
            .header("x-github-delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0958")
            .body(body.to_vec());
        if let Some(sig) = signature {
            req = req.header("x-hub-signature-256", sig);
        }
        let res = req.send().await.unwrap();
        let status = res.status();
        (status, res.json().await.unwrap_or(Value::Null))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}

fn signed(body: &[u8]) -> Option<String> {
    Some(github_signature(SECRET, body))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_or_missing_signature_is_401_and_github_hears_nothing() {
    let github = MockServer::start().await;
    let s = Server::start(Some(SECRET), &github).await;
    let body = pr_payload("opened", "a".repeat(40), "b".repeat(40), "file:///nowhere");
    let body = serde_json::to_vec(&body).unwrap();
    let wrong = Some(github_signature(b"not-the-secret", &body));
    for sig in [
        None,
        wrong,
        Some("sha256=00".into()),
        Some("garbage".into()),
    ] {
        let (status, v) = s.deliver("pull_request", &body, sig.clone()).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{sig:?}: {v}");
        assert_eq!(v["error"]["code"], "unauthorized");
        assert!(
            v["error"]["message"]
                .as_str()
                .unwrap()
                .contains("X-Hub-Signature-256"),
            "{v}"
        );
    }
    // A correctly signed body of another content is still refused.
    let (status, _) = s.deliver("pull_request", b"{}", signed(&body)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(github.received_requests().await.unwrap().len(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ping_other_events_malformed_json_and_no_secret() {
    let github = MockServer::start().await;
    let s = Server::start(Some(SECRET), &github).await;
    let ping = br#"{"zen":"Design for failure.","hook_id":1}"#;
    let (status, v) = s.deliver("ping", ping, signed(ping)).await;
    assert_eq!((status, v), (StatusCode::OK, json!({"status": "pong"})));

    let closed = serde_json::to_vec(&pr_payload(
        "closed",
        "a".repeat(40),
        "b".repeat(40),
        "file:///x",
    ))
    .unwrap();
    let (status, v) = s.deliver("pull_request", &closed, signed(&closed)).await;
    assert_eq!(status, StatusCode::ACCEPTED);
    assert!(v["ignored"].as_str().unwrap().contains("`closed`"), "{v}");
    let push = br#"{"ref":"refs/heads/main"}"#;
    let (status, v) = s.deliver("push", push, signed(push)).await;
    assert_eq!(status, StatusCode::ACCEPTED);
    assert!(
        v["ignored"].as_str().unwrap().contains("event `push`"),
        "{v}"
    );

    let bad = b"{not json";
    let (status, v) = s.deliver("pull_request", bad, signed(bad)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{v}");

    // Bigger than the API's 64 KiB, as real PR payloads often are: accepted.
    let mut big = pr_payload("edited", "a".repeat(40), "b".repeat(40), "file:///x");
    big["pull_request"]["body"] = json!("x".repeat(200 * 1024));
    let big = serde_json::to_vec(&big).unwrap();
    let (status, v) = s.deliver("pull_request", &big, signed(&big)).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{v}");

    let off = Server::start(None, &github).await;
    let (status, v) = off.deliver("ping", ping, signed(ping)).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("set DRIFTCOST_TEST_WEBHOOK_SECRET_UNSET"),
        "{v}"
    );
    assert_eq!(github.received_requests().await.unwrap().len(), 0);
}

fn pr_payload(action: &str, base: String, head: String, clone_url: &str) -> Value {
    json!({
        "action": action,
        "number": 7,
        "pull_request": {
            "number": 7,
            "base": {"ref": "main", "sha": base},
            "head": {"ref": "bigger", "sha": head},
        },
        "repository": {"full_name": "acme/infra", "clone_url": clone_url},
    })
}

fn instance(instance_type: &str) -> String {
    format!(
        "resource \"aws_instance\" \"web\" {{\n  ami           = \"ami-1\"\n  instance_type = \"{instance_type}\"\n}}\n"
    )
}

async fn requests(github: &MockServer, m: &str) -> Vec<wiremock::Request> {
    github
        .received_requests()
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.method.as_str() == m)
        .collect()
}

async fn wait_for(github: &MockServer, m: &str, n: usize) {
    let deadline = Instant::now() + Duration::from_secs(180);
    while requests(github, m).await.len() < n {
        assert!(
            Instant::now() < deadline,
            "GitHub never got {n} {m} request(s)"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// GitHub's `GET /repos/acme/infra/pulls/7`, whose head is `head`.
async fn mount_pull(github: &MockServer, head: &str) {
    Mock::given(method("GET"))
        .and(path("/repos/acme/infra/pulls/7"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"number": 7, "head": {"sha": head}})),
        )
        .mount(github)
        .await;
}

/// GitHub with no comment of ours yet, taking one POST.
async fn mount_comments(github: &MockServer) {
    let comments = "/repos/acme/infra/issues/7/comments";
    Mock::given(method("GET"))
        .and(path(comments))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(github)
        .await;
    Mock::given(method("POST"))
        .and(path(comments))
        .respond_with(ResponseTemplate::new(201).set_body_json(
            json!({"id": 102, "html_url": "https://github.com/acme/infra/pull/7#issuecomment-102"}),
        ))
        .mount(github)
        .await;
}

/// A repository whose base has `prod` and `web` (t3.micro each); the head
/// makes `prod` an m5.large and `web` whatever `web_head` says. Returns
/// (repo dir, base sha, head sha).
fn two_workspace_repo(tmp: &Path, web_head: &str) -> (std::path::PathBuf, String, String) {
    let repo = tmp.join("repo");
    let cloud = tmp.join("cloud");
    for ws in ["prod", "web"] {
        write_workspace(
            &repo.join(ws),
            &cloud,
            "us-east-1",
            None,
            &instance("t3.micro"),
        );
    }
    git(&repo, &["init", "-q", "-b", "main"]);
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "-q", "-m", "base"]);
    let base = git(&repo, &["rev-parse", "HEAD"]);
    write_workspace(
        &repo.join("prod"),
        &cloud,
        "us-east-1",
        None,
        &instance("m5.large"),
    );
    write_workspace(&repo.join("web"), &cloud, "us-east-1", None, web_head);
    git(&repo, &["commit", "-q", "-am", "head"]);
    let head = git(&repo, &["rev-parse", "HEAD"]);
    (repo, base, head)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_workspace_that_fails_to_plan_is_named_and_the_others_are_priced() {
    let tmp = tempfile::tempdir().unwrap();
    // Invalid HCL in the head: an unclosed block.
    let broken = format!(
        "{}resource \"aws_instance\" \"half\" {{\n",
        instance("t3.micro")
    );
    let (repo, base, head) = two_workspace_repo(tmp.path(), &broken);
    let github = MockServer::start().await;
    mount_comments(&github).await;
    mount_pull(&github, &head).await;
    let s = Server::start(Some(SECRET), &github).await;
    let clone_url = format!("file://{}", repo.display());
    let body =
        serde_json::to_vec(&pr_payload("synchronize", base, head.clone(), &clone_url)).unwrap();
    let (status, v) = s.deliver("pull_request", &body, signed(&body)).await;
    assert_eq!(
        (status, &v["queued"]),
        (StatusCode::ACCEPTED, &json!(true)),
        "{v}"
    );

    wait_for(&github, "POST", 1).await;
    let posts = requests(&github, "POST").await;
    assert_eq!(posts.len(), 1);
    let posted: Value = serde_json::from_slice(&posts[0].body).unwrap();
    let text = posted["body"].as_str().unwrap();
    eprintln!("{text}");
    // The good workspace is priced as usual.
    assert!(text.contains("| prod | $8.39 | $70.88 | +$62.49"), "{text}");
    // The broken one is named with terraform's first error, not priced.
    let line = text
        .lines()
        .find(|l| l.contains("<code>web</code> could not be planned"))
        .unwrap_or_else(|| panic!("no failure line for web: {text}"));
    assert!(line.contains(&format!("(head {})", &head[..12])), "{line}");
    assert!(
        line.contains("init failed: main.tf line 17: Unclosed configuration block"),
        "{line}"
    );
    assert!(!text.contains("| web |"), "{text}");
    assert!(!text.contains(tmp.path().to_str().unwrap()), "{text}");
    // Not marked as done for this head: a redelivery tries again.
    assert!(!text.contains("driftcost:head-sha="), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn when_every_workspace_fails_the_comment_is_a_failure_notice() {
    let tmp = tempfile::tempdir().unwrap();
    let (repo, base, head) = two_workspace_repo(tmp.path(), "resource {\n");
    // Break prod too, in a second commit.
    std::fs::write(repo.join("prod/extra.tf"), "locals {\n").unwrap();
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "-q", "-m", "break prod"]);
    let head2 = git(&repo, &["rev-parse", "HEAD"]);
    assert_ne!(head, head2);
    let github = MockServer::start().await;
    mount_comments(&github).await;
    mount_pull(&github, &head2).await;
    let s = Server::start(Some(SECRET), &github).await;
    let clone_url = format!("file://{}", repo.display());
    let body = serde_json::to_vec(&pr_payload("synchronize", base, head2, &clone_url)).unwrap();
    let (status, _) = s.deliver("pull_request", &body, signed(&body)).await;
    assert_eq!(status, StatusCode::ACCEPTED);

    wait_for(&github, "POST", 1).await;
    let posts = requests(&github, "POST").await;
    let posted: Value = serde_json::from_slice(&posts[0].body).unwrap();
    let text = posted["body"].as_str().unwrap();
    assert!(
        text.starts_with("<!-- driftcost:comment repo=acme/infra pr=7 -->\n### driftcost could not plan this pull request"),
        "{text}"
    );
    for ws in ["prod", "web"] {
        assert!(
            text.contains(&format!("<code>{ws}</code> could not be planned (head ")),
            "{ws}: {text}"
        );
    }
    assert!(!text.contains('$'), "no cost in a failure notice: {text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_late_delivery_for_an_older_head_posts_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let (repo, base, head) = two_workspace_repo(tmp.path(), &instance("t3.small"));
    let github = MockServer::start().await;
    mount_comments(&github).await;
    // The pull request has moved on to another push.
    mount_pull(&github, &"c".repeat(40)).await;
    let s = Server::start(Some(SECRET), &github).await;
    let clone_url = format!("file://{}", repo.display());
    let body = serde_json::to_vec(&pr_payload("synchronize", base, head, &clone_url)).unwrap();
    let (status, v) = s.deliver("pull_request", &body, signed(&body)).await;
    assert_eq!(
        (status, &v["queued"]),
        (StatusCode::ACCEPTED, &json!(true)),
        "{v}"
    );

    // The head is read after planning, right before posting.
    let deadline = Instant::now() + Duration::from_secs(180);
    while !requests(&github, "GET")
        .await
        .iter()
        .any(|r| r.url.path() == "/repos/acme/infra/pulls/7")
    {
        assert!(Instant::now() < deadline, "the pull request was never read");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    tokio::time::sleep(Duration::from_millis(750)).await;
    assert_eq!(requests(&github, "POST").await.len(), 0);
    assert_eq!(requests(&github, "PATCH").await.len(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pull_request_is_planned_in_base_and_head_and_commented_once_per_head() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    let cloud = tmp.path().join("cloud");
    write_workspace(
        &repo.join("prod"),
        &cloud,
        "us-east-1",
        None,
        &instance("t3.micro"),
    );
    // Untouched by the pull request: never planned.
    write_workspace(
        &repo.join("staging"),
        &cloud,
        "us-east-1",
        None,
        &instance("t3.nano"),
    );
    git(&repo, &["init", "-q", "-b", "main"]);
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "-q", "-m", "base"]);
    let base = git(&repo, &["rev-parse", "HEAD"]);
    write_workspace(
        &repo.join("prod"),
        &cloud,
        "us-east-1",
        None,
        &instance("m5.large"),
    );
    git(&repo, &["commit", "-q", "-am", "bigger"]);
    let head = git(&repo, &["rev-parse", "HEAD"]);

    let github = MockServer::start().await;
    let comments = "/repos/acme/infra/issues/7/comments";
    Mock::given(method("GET"))
        .and(path(comments))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .with_priority(10)
        .mount(&github)
        .await;
    Mock::given(method("POST"))
        .and(path(comments))
        .respond_with(ResponseTemplate::new(201).set_body_json(
            json!({"id": 101, "html_url": "https://github.com/acme/infra/pull/7#issuecomment-101"}),
        ))
        .mount(&github)
        .await;
    mount_pull(&github, &head).await;

    let s = Server::start(Some(SECRET), &github).await;
    let clone_url = format!("file://{}", repo.display());
    let body = serde_json::to_vec(&pr_payload(
        "synchronize",
        base.clone(),
        head.clone(),
        &clone_url,
    ))
    .unwrap();
    let started = Instant::now();
    let (status, v) = s.deliver("pull_request", &body, signed(&body)).await;
    let answered = started.elapsed();
    assert_eq!(status, StatusCode::ACCEPTED, "{v}");
    assert_eq!(v["queued"], true, "{v}");
    assert!(
        answered < Duration::from_secs(2),
        "answered in {answered:?}"
    );
    // The same delivery while the first is being worked on: dropped.
    let (status, v) = s.deliver("pull_request", &body, signed(&body)).await;
    assert_eq!(status, StatusCode::ACCEPTED);
    assert!(
        v["ignored"].as_str().unwrap().contains("already queued"),
        "{v}"
    );

    wait_for(&github, "POST", 1).await;
    eprintln!(
        "webhook answered in {answered:?}; comment posted {:?} after the delivery",
        started.elapsed()
    );
    let posts = requests(&github, "POST").await;
    assert_eq!(posts.len(), 1);
    let auth = posts[0]
        .headers
        .get("authorization")
        .unwrap()
        .to_str()
        .unwrap();
    assert_eq!(auth, format!("Bearer {TOKEN}"));
    let posted: Value = serde_json::from_slice(&posts[0].body).unwrap();
    let text = posted["body"].as_str().unwrap();
    assert!(
        text.starts_with("<!-- driftcost:comment repo=acme/infra pr=7 -->\n"),
        "{text}"
    );
    assert!(
        text.contains(&format!("<!-- driftcost:head-sha={head} -->")),
        "{text}"
    );
    // Base t3.micro (7.592 + 0.80 root volume) → head m5.large (70.08 + 0.80).
    assert!(text.contains("| prod | $8.39 | $70.88 | +$62.49"), "{text}");
    assert!(!text.contains("staging"), "{text}");
    assert!(!text.contains(TOKEN), "{text}");

    // GitHub now lists our comment; the same delivery again posts nothing.
    Mock::given(method("GET"))
        .and(path(comments))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!([{"id": 101, "node_id": "IC_1", "body": text}])),
        )
        .with_priority(1)
        .mount(&github)
        .await;
    let gets_before = requests(&github, "GET").await.len();
    // The first job is in flight until post_comment returns, a moment after
    // GitHub saw the POST: until then a redelivery is dropped as a duplicate.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (status, v) = s.deliver("pull_request", &body, signed(&body)).await;
        assert_eq!(status, StatusCode::ACCEPTED);
        if v["queued"] == true {
            break;
        }
        assert!(
            v["ignored"].as_str().unwrap().contains("already queued"),
            "{v}"
        );
        assert!(Instant::now() < deadline, "the first job never finished");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    wait_for(&github, "GET", gets_before + 1).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(requests(&github, "POST").await.len(), 1);
    assert_eq!(requests(&github, "PATCH").await.len(), 0);
    assert_eq!(
        github.received_requests().await.unwrap().len(),
        gets_before + 2
    );
}

/// `driftcost serve` itself: the secret's variable is read at start, and
/// without it the route says which variable to set.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_reads_the_secret_from_the_named_variable() {
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    let tmp = tempfile::tempdir().unwrap();
    let jobs = tmp.path().join("jobs");
    std::fs::create_dir_all(&jobs).unwrap();
    let client = Client::builder().no_proxy().build().unwrap();
    let ping = br#"{"zen":"Keep it logically awesome.","hook_id":2}"#;
    for (secret, want) in [
        (Some("s3cr3t-from-env"), StatusCode::OK),
        (None, StatusCode::SERVICE_UNAVAILABLE),
    ] {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_driftcost"));
        cmd.args(["serve", "--listen", &format!("127.0.0.1:{port}")])
            .args(["--github-webhook-secret-env", "DRIFTCOST_TEST_HOOK_SECRET"])
            .arg("--jobs")
            .arg(&jobs)
            .arg("--store")
            .arg(format!("sqlite:{}", tmp.path().join("runs.db").display()))
            .env_remove("DRIFTCOST_TEST_HOOK_SECRET")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .kill_on_drop(true);
        if let Some(secret) = secret {
            cmd.env("DRIFTCOST_TEST_HOOK_SECRET", secret);
        }
        let mut child = cmd.spawn().unwrap();
        let sig = github_signature(secret.unwrap_or("x").as_bytes(), ping);
        let deadline = Instant::now() + Duration::from_secs(30);
        let res = loop {
            let sent = client
                .post(format!("http://127.0.0.1:{port}/v1/github/webhook"))
                .header("x-github-event", "ping")
                .header("x-hub-signature-256", &sig)
                .body(ping.to_vec())
                .send()
                .await;
            match sent {
                Ok(res) => break res,
                Err(_) if Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(100)).await
                }
                Err(e) => panic!("serve never answered: {e}"),
            }
        };
        let status = res.status();
        let v: Value = res.json().await.unwrap();
        assert_eq!(status, want, "{v}");
        if secret.is_none() {
            assert!(
                v["error"]["message"]
                    .as_str()
                    .unwrap()
                    .contains("set DRIFTCOST_TEST_HOOK_SECRET"),
                "{v}"
            );
        }
        child.kill().await.unwrap();
    }
}
