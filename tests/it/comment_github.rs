//! `driftcost comment github` against a local HTTP server (wiremock on
//! 127.0.0.1) standing in for GitHub's REST and GraphQL APIs, with the
//! documented requests. Every test runs the real binary and checks method,
//! path, query, `Authorization` and body of every call GitHub received, in
//! order, and that the token is printed nowhere.

use serde_json::{Value, json};
use std::path::PathBuf;
use std::process::Output;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOKEN: &str = "ghp_commenttoken0123456789";
const REPO: &str = "acme/infra";
const PR: &str = "7";
const MARKER: &str = "<!-- driftcost:comment repo=acme/infra pr=7 -->";
const LIST: &str = "/repos/acme/infra/issues/7/comments";

fn fixture(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
        .display()
        .to_string()
}

/// Runs `driftcost comment github` on the two fixture plans, with the token
/// in GITHUB_TOKEN, against `api`.
async fn comment(api: &str, extra: &[&str]) -> Output {
    let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_driftcost"));
    cmd.args(["comment", "github", "--repo", REPO, "--pr", PR])
        .args(["--path", &fixture("plan_example_mixed.json")])
        .args(["--path", &fixture("plan_compute_create.json")])
        .args(["--github-api-url", api])
        .args(extra)
        .env("GITHUB_TOKEN", TOKEN)
        .env_remove("GITHUB_API_URL")
        .env_remove("DRIFTCOST_PRICING_DIR");
    let out = cmd.output().await.unwrap();
    for (what, text) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        assert!(
            !String::from_utf8_lossy(text).contains(TOKEN),
            "the token leaked to {what}"
        );
    }
    out
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The body `--dry-run` prints: what every create/update must send.
async fn expected_body() -> String {
    let out = comment("http://127.0.0.1:9", &["--dry-run"]).await;
    assert!(out.status.success(), "{}", stderr(&out));
    // `--dry-run` adds one newline after the body.
    let text = stdout(&out);
    text.strip_suffix('\n').unwrap_or(&text).to_string()
}

/// Every request, each checked for the bearer token.
async fn requests(server: &MockServer) -> Vec<Request> {
    let reqs = server.received_requests().await.unwrap();
    for r in &reqs {
        let auth = r
            .headers
            .get("authorization")
            .unwrap_or_else(|| panic!("{} {} has no Authorization", r.method, r.url))
            .to_str()
            .unwrap();
        assert_eq!(auth, format!("Bearer {TOKEN}"), "{} {}", r.method, r.url);
    }
    reqs
}

/// (method, path, query) of each request, in order.
fn calls(reqs: &[Request]) -> Vec<(String, String, String)> {
    reqs.iter()
        .map(|r| {
            (
                r.method.to_string(),
                r.url.path().to_string(),
                r.url.query().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn call(m: &str, p: &str, q: &str) -> (String, String, String) {
    (m.into(), p.into(), q.into())
}

fn json_body(r: &Request) -> Value {
    serde_json::from_slice(&r.body).unwrap()
}

fn gh_comment(id: u64, body: &str) -> Value {
    json!({
        "id": id,
        "node_id": format!("IC_node{id}"),
        "html_url": format!("https://github.com/acme/infra/pull/7#issuecomment-{id}"),
        "body": body,
        "user": {"login": "driftcost-bot"},
    })
}

/// A comment that is not ours although it looks close: another PR's marker, and text.
fn decoys() -> Vec<Value> {
    vec![
        gh_comment(
            100,
            "<!-- driftcost:comment repo=acme/infra pr=8 -->\nfrom another PR",
        ),
        gh_comment(101, "### driftcost: monthly cost +$5.00\nlooks like ours"),
    ]
}

async fn mount_list(server: &MockServer, page: &str, comments: Vec<Value>, next: Option<&str>) {
    let mut resp = ResponseTemplate::new(200).set_body_json(Value::Array(comments));
    if let Some(n) = next {
        resp = resp.insert_header(
            "link",
            format!(
                "<{}{LIST}?per_page=100&page={n}>; rel=\"next\", <{}{LIST}?per_page=100&page={n}>; rel=\"last\"",
                server.uri(),
                server.uri()
            )
            .as_str(),
        );
    }
    Mock::given(method("GET"))
        .and(path(LIST))
        .and(query_param("page", page))
        .respond_with(resp)
        .mount(server)
        .await;
}

async fn mount_create(server: &MockServer) {
    Mock::given(method("POST"))
        .and(path(LIST))
        .respond_with(ResponseTemplate::new(201).set_body_json(gh_comment(9001, "created")))
        .mount(server)
        .await;
}

const LIST_Q1: &str = "per_page=100&page=1";

#[tokio::test]
async fn update_without_our_comment_creates_one() {
    let body = expected_body().await;
    assert!(body.starts_with(&format!(
        "{MARKER}\n<!-- driftcost:cost project=plan_example_mixed -->\n<!-- driftcost:cost project=plan_compute_create -->\n"
    )));
    assert_eq!(body.matches("<details>").count(), 2);
    let server = MockServer::start().await;
    mount_list(&server, "1", decoys(), None).await;
    mount_create(&server).await;

    let out = comment(&server.uri(), &[]).await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "created comment 9001 on acme/infra#7: https://github.com/acme/infra/pull/7#issuecomment-9001\n"
    );
    let reqs = requests(&server).await;
    assert_eq!(
        calls(&reqs),
        vec![call("GET", LIST, LIST_Q1), call("POST", LIST, "")]
    );
    assert!(reqs[0].body.is_empty());
    assert_eq!(json_body(&reqs[1]), json!({ "body": body }));
    assert_eq!(
        reqs[1].headers.get("content-type").unwrap(),
        "application/json"
    );
}

#[tokio::test]
async fn update_edits_our_comment_found_on_page_two() {
    let body = expected_body().await;
    let server = MockServer::start().await;
    mount_list(&server, "1", decoys(), Some("2")).await;
    mount_list(
        &server,
        "2",
        vec![
            gh_comment(555, &format!("{MARKER}\nold cost")),
            gh_comment(556, "thanks!"),
        ],
        None,
    )
    .await;
    Mock::given(method("PATCH"))
        .and(path("/repos/acme/infra/issues/comments/555"))
        .respond_with(ResponseTemplate::new(200).set_body_json(gh_comment(555, "updated")))
        .mount(&server)
        .await;

    let out = comment(&server.uri(), &["--behavior", "update"]).await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with("updated comment 555 on acme/infra#7"),
        "{}",
        stdout(&out)
    );
    let reqs = requests(&server).await;
    assert_eq!(
        calls(&reqs),
        vec![
            call("GET", LIST, LIST_Q1),
            call("GET", LIST, "per_page=100&page=2"),
            call("PATCH", "/repos/acme/infra/issues/comments/555", ""),
        ]
    );
    assert_eq!(json_body(&reqs[2]), json!({ "body": body }));
}

#[tokio::test]
async fn new_posts_even_when_ours_exists() {
    let body = expected_body().await;
    let server = MockServer::start().await;
    mount_list(&server, "1", vec![gh_comment(555, MARKER)], None).await;
    mount_create(&server).await;

    let out = comment(&server.uri(), &["--behavior", "new"]).await;
    assert!(out.status.success(), "{}", stderr(&out));
    let reqs = requests(&server).await;
    assert_eq!(calls(&reqs), vec![call("POST", LIST, "")]);
    assert_eq!(json_body(&reqs[0]), json!({ "body": body }));
}

#[tokio::test]
async fn delete_and_new_deletes_ours_then_posts() {
    let body = expected_body().await;
    let server = MockServer::start().await;
    let mut page1 = decoys();
    page1.push(gh_comment(11, &format!("{MARKER}\nfirst")));
    mount_list(&server, "1", page1, Some("2")).await;
    mount_list(
        &server,
        "2",
        vec![gh_comment(12, &format!("{MARKER}\nsecond"))],
        None,
    )
    .await;
    Mock::given(method("DELETE"))
        .and(path("/repos/acme/infra/issues/comments/11"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/repos/acme/infra/issues/comments/12"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    mount_create(&server).await;

    let out = comment(&server.uri(), &["--behavior", "delete-and-new"]).await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).ends_with(" (deleted 2 earlier)\n"),
        "{}",
        stdout(&out)
    );
    let reqs = requests(&server).await;
    assert_eq!(
        calls(&reqs),
        vec![
            call("GET", LIST, LIST_Q1),
            call("GET", LIST, "per_page=100&page=2"),
            call("DELETE", "/repos/acme/infra/issues/comments/11", ""),
            call("DELETE", "/repos/acme/infra/issues/comments/12", ""),
            call("POST", LIST, ""),
        ]
    );
    assert!(reqs[2].body.is_empty() && reqs[3].body.is_empty());
    assert_eq!(json_body(&reqs[4]), json!({ "body": body }));
}

#[tokio::test]
async fn hide_and_new_minimizes_ours_as_outdated_then_posts() {
    let body = expected_body().await;
    let server = MockServer::start().await;
    let mut page1 = decoys();
    page1.push(gh_comment(21, &format!("{MARKER}\nold")));
    mount_list(&server, "1", page1, None).await;
    Mock::given(method("POST"))
        .and(path("/graphql"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": {"minimizeComment": {"minimizedComment": {"isMinimized": true}}}
        })))
        .mount(&server)
        .await;
    mount_create(&server).await;

    let out = comment(&server.uri(), &["--behavior", "hide-and-new"]).await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).ends_with(" (hid 1 earlier)\n"),
        "{}",
        stdout(&out)
    );
    let reqs = requests(&server).await;
    assert_eq!(
        calls(&reqs),
        vec![
            call("GET", LIST, LIST_Q1),
            call("POST", "/graphql", ""),
            call("POST", LIST, ""),
        ]
    );
    let gql = json_body(&reqs[1]);
    assert_eq!(gql["variables"], json!({ "id": "IC_node21" }));
    let query = gql["query"].as_str().unwrap();
    assert!(
        query.contains("minimizeComment(input: {subjectId: $id, classifier: OUTDATED})"),
        "{query}"
    );
    assert!(query.starts_with("mutation($id: ID!)"), "{query}");
    assert_eq!(json_body(&reqs[2]), json!({ "body": body }));
}

#[tokio::test]
async fn hide_and_new_stops_when_graphql_refuses() {
    let server = MockServer::start().await;
    mount_list(&server, "1", vec![gh_comment(21, MARKER)], None).await;
    Mock::given(method("POST"))
        .and(path("/graphql"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": {"minimizeComment": null},
            "errors": [{"type": "FORBIDDEN", "message": "Resource not accessible by integration"}]
        })))
        .mount(&server)
        .await;
    mount_create(&server).await;

    let out = comment(&server.uri(), &["--behavior", "hide-and-new"]).await;
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("hiding comment 21 on acme/infra#7")
            && err.contains("Resource not accessible by integration")
            && err.contains("--behavior delete-and-new"),
        "{err}"
    );
    let reqs = requests(&server).await;
    assert_eq!(
        calls(&reqs),
        vec![call("GET", LIST, LIST_Q1), call("POST", "/graphql", "")]
    );
}

#[tokio::test]
async fn not_found_on_listing_exits_1_naming_repo_and_pr() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(LIST))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({
            "message": "Not Found",
            "documentation_url": "https://docs.github.com/rest"
        })))
        .mount(&server)
        .await;
    mount_create(&server).await;

    let out = comment(&server.uri(), &[]).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).is_empty());
    let err = stderr(&out);
    assert!(err.starts_with("error: "), "{err}");
    for part in [
        "acme/infra#7",
        "HTTP 404 from GitHub: Not Found",
        "repository or PR not found, or the token cannot see it",
        "GITHUB_TOKEN",
    ] {
        assert!(err.contains(part), "{part:?} missing from {err}");
    }
    let reqs = requests(&server).await;
    assert_eq!(calls(&reqs), vec![call("GET", LIST, LIST_Q1)]);
}

#[tokio::test]
async fn bad_token_is_named_as_the_problem() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(LIST))
        .respond_with(
            ResponseTemplate::new(401).set_body_json(json!({ "message": "Bad credentials" })),
        )
        .mount(&server)
        .await;
    let out = comment(&server.uri(), &[]).await;
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.starts_with("error: using the token in GITHUB_TOKEN: listing the pull request's comments on acme/infra#7: ")
            && err.contains("HTTP 401 from GitHub: Bad credentials")
            && err.contains("the token is invalid or expired"),
        "{err}"
    );
}

#[tokio::test]
async fn dry_run_prints_the_body_and_calls_nothing() {
    let server = MockServer::start().await;
    let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_driftcost"));
    let out = cmd
        .args(["comment", "github", "--repo", REPO, "--pr", PR, "--dry-run"])
        .args(["--path", &fixture("plan_compute_create.json")])
        .args(["--github-api-url", &server.uri()])
        .env_remove("GITHUB_TOKEN")
        .output()
        .await
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with(&format!(
            "{MARKER}\n<!-- driftcost:cost project=plan_compute_create -->\n### driftcost: monthly cost "
        )),
        "{text}"
    );
    assert!(text.contains("<details>\n<summary>plan_compute_create: "));
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn missing_token_and_directories_are_explained() {
    let server = MockServer::start().await;
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_driftcost"))
        .args(["comment", "github", "--repo", REPO, "--pr", PR])
        .args(["--path", &fixture("plan_compute_create.json")])
        .args(["--github-api-url", &server.uri()])
        .args(["--token-env", "DRIFTCOST_TEST_NO_SUCH_TOKEN"])
        .env_remove("DRIFTCOST_TEST_NO_SUCH_TOKEN")
        .output()
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("no GitHub token: set DRIFTCOST_TEST_NO_SUCH_TOKEN"),
        "{}",
        stderr(&out)
    );

    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_driftcost"))
        .args([
            "comment",
            "github",
            "--repo",
            "acme",
            "--pr",
            PR,
            "--dry-run",
        ])
        .args(["--path", &fixture("plan_compute_create.json")])
        .output()
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "error: --repo \"acme\" is not OWNER/NAME (e.g. acme/infra)\n"
    );

    let dir = tempfile::tempdir().unwrap();
    let out = comment(
        &server.uri(),
        &["--path", &dir.path().display().to_string()],
    )
    .await;
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(&format!(
            "{}: not a directory with .tf files",
            dir.path().display()
        )),
        "{}",
        stderr(&out)
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}

/// A plan with thousands of changed resources and long for_each keys: the
/// comment is shortened under GitHub's limit and still posted.
fn write_huge_plan(dir: &std::path::Path) -> String {
    let changes: Vec<Value> = (0..3000)
        .map(|i| {
            let key = format!("{i:05}-{}", "k".repeat(300));
            json!({
                "address": format!("aws_instance.fleet[\"{key}\"]"),
                "mode": "managed", "type": "aws_instance", "name": "fleet", "index": key,
                "provider_name": "registry.terraform.io/hashicorp/aws",
                "change": {"actions": ["create"], "before": null,
                    "after": {"instance_type": "m5.large", "tenancy": "default",
                        "root_block_device": [{"volume_size": 20, "volume_type": "gp3"}]},
                    "after_unknown": {}}
            })
        })
        .collect();
    let path = dir.join("fleet.json");
    let plan = json!({"format_version": "1.2", "resource_changes": changes});
    std::fs::write(&path, serde_json::to_vec(&plan).unwrap()).unwrap();
    path.display().to_string()
}

#[tokio::test]
async fn a_huge_plan_is_shortened_and_still_posted() {
    let dir = tempfile::tempdir().unwrap();
    let huge = write_huge_plan(dir.path());
    let server = MockServer::start().await;
    mount_list(&server, "1", vec![], None).await;
    mount_create(&server).await;

    let out = comment(&server.uri(), &["--path", &huge]).await;
    assert!(out.status.success(), "{}", stderr(&out));
    let reqs = requests(&server).await;
    assert_eq!(
        calls(&reqs),
        vec![call("GET", LIST, LIST_Q1), call("POST", LIST, "")]
    );
    let body = json_body(&reqs[1])["body"].as_str().unwrap().to_string();
    assert!(body.len() <= 65_536, "{}", body.len());
    assert!(body.len() > 60_000, "{}", body.len());
    assert!(body.starts_with(MARKER));
    assert!(body.contains("<!-- driftcost:cost project=fleet -->"));
    assert!(
        body.contains("| fleet | $0.00 | $215,040.00 | +$215,040.00 |"),
        "{}",
        &body[..1500]
    );
    assert!(
        body.contains("> **Shortened:** GitHub allows 65536 characters per comment, so lines of the details below were cut ("),
        "{}",
        &body[..1500]
    );
    assert!(body.contains(" from fleet)"));
}

#[tokio::test]
async fn update_with_several_of_ours_edits_the_latest() {
    let server = MockServer::start().await;
    mount_list(
        &server,
        "1",
        vec![
            gh_comment(40, &format!("{MARKER}\nolder")),
            gh_comment(41, "a reply"),
            gh_comment(42, &format!("{MARKER}\nlatest")),
        ],
        None,
    )
    .await;
    Mock::given(method("PATCH"))
        .and(path("/repos/acme/infra/issues/comments/42"))
        .respond_with(ResponseTemplate::new(200).set_body_json(gh_comment(42, "updated")))
        .mount(&server)
        .await;
    let out = comment(&server.uri(), &[]).await;
    assert!(out.status.success(), "{}", stderr(&out));
    let reqs = requests(&server).await;
    assert_eq!(
        calls(&reqs),
        vec![
            call("GET", LIST, LIST_Q1),
            call("PATCH", "/repos/acme/infra/issues/comments/42", ""),
        ]
    );
}
