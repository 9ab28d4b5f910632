//! Slack, generic webhook and GitHub issue notifications against local HTTP
//! servers (wiremock on 127.0.0.1) standing in for the real APIs, with the
//! documented requests. Every test checks method, path, headers and body of
//! every call it expects, and that the sensitive drift's secret is in none.

use crate::support::notify as notify_support;

use driftcost::notify::channels::webhook::{
    EVENT_HEADER, IDEMPOTENCY_HEADER, SIGNATURE_HEADER, signature,
};
use driftcost::notify::{
    Delivered, Env, GithubIssueTarget, Notification, NotificationKind, NotifyError, Retry,
    SlackTarget, Target, WebhookTarget, deliver_with, idempotency_key,
};
use hmac::{Hmac, Mac};
use notify_support::{FakeClock, assert_no_secret, notification};
use serde_json::{Value, json};
use sha2::Sha256;
use std::sync::Arc;
use std::time::Duration;
use wiremock::matchers::{body_partial_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const SLACK_PATH: &str = "/services/T0000/B0000/XXXXXXXXXXXXXXXXXXXXXXXX";
const HOOK_SECRET: &str = "whsec-test-0123456789";
const GH_TOKEN: &str = "ghp_testtoken0123456789";

fn retry(clock: &Arc<FakeClock>) -> Retry {
    Retry {
        max_attempts: 4,
        clock: clock.clone(),
        ..Retry::default()
    }
}

fn detected() -> Notification {
    notification(NotificationKind::DriftDetected, "db-prod", "run-42")
}

/// Every request the server saw, after checking none carries the secret.
async fn requests(server: &MockServer) -> Vec<Request> {
    let reqs = server.received_requests().await.unwrap();
    for r in &reqs {
        assert_no_secret(
            &format!("{} {}", r.method, r.url),
            &String::from_utf8_lossy(&r.body),
        );
        assert_no_secret("a URL", r.url.as_str());
    }
    reqs
}

fn json_body(r: &Request) -> Value {
    serde_json::from_slice(&r.body).unwrap()
}

fn header_of<'a>(r: &'a Request, name: &str) -> &'a str {
    r.headers
        .get(name)
        .unwrap_or_else(|| panic!("no {name} header"))
        .to_str()
        .unwrap()
}

// ---------------------------------------------------------------- Slack

fn slack_target() -> Target {
    Target::Slack(SlackTarget {
        webhook_url_env: "DRIFTCOST_SLACK_URL".into(),
    })
}

fn slack_env(server: &MockServer) -> Env {
    Env::fixed([(
        "DRIFTCOST_SLACK_URL",
        format!("{}{SLACK_PATH}", server.uri()),
    )])
}

#[tokio::test]
async fn slack_gets_one_block_kit_message() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(SLACK_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_string("ok"))
        .mount(&server)
        .await;
    let clock = Arc::new(FakeClock::default());
    let d = deliver_with(
        &slack_target(),
        &detected(),
        &slack_env(&server),
        &retry(&clock),
    )
    .await
    .unwrap();
    assert_eq!(
        (d.attempts, &d.outcome),
        (1, &Delivered::Http { status: 200 })
    );
    assert_eq!(d.target, "slack ($DRIFTCOST_SLACK_URL)");

    let reqs = requests(&server).await;
    assert_eq!(reqs.len(), 1);
    let r = &reqs[0];
    assert_eq!((r.method.as_str(), r.url.path()), ("POST", SLACK_PATH));
    assert_eq!(header_of(r, "content-type"), "application/json");
    assert!(
        r.headers.get("authorization").is_none(),
        "the URL is the credential"
    );
    let body = json_body(r);
    assert_eq!(
        body["text"],
        "[driftcost] drift in db-prod: 1 resource, +$4.60/mo"
    );
    let blocks = body["blocks"].as_array().unwrap();
    assert_eq!(blocks[0]["type"], "header");
    assert_eq!(
        blocks[0]["text"]["text"],
        "drift in db-prod: 1 resource, +$4.60/mo"
    );
    let summary = blocks[1]["text"]["text"].as_str().unwrap();
    assert!(
        summary.contains("Monthly cost: $14.71 → $19.31 (+$4.60)."),
        "{summary}"
    );
    assert!(
        summary.contains(":warning: *State integrity:* state serial went back from 5 to 4"),
        "{summary}"
    );
    let item = blocks[2]["text"]["text"].as_str().unwrap();
    assert!(
        item.starts_with("*`aws_db_instance.main`* — changed outside terraform _(new)_"),
        "{item}"
    );
    assert!(
        item.contains("• `password: (sensitive value changed)`"),
        "{item}"
    );
    assert_eq!(blocks[3]["type"], "context");
    assert_eq!(
        blocks[3]["elements"][0]["text"],
        "Run <https://driftcost.example.com/runs/run-42|run-42> · workspace db-prod · driftcost"
    );
    assert!(clock.slept.lock().unwrap().is_empty());
}

#[tokio::test]
async fn slack_429_with_retry_after_is_delivered_on_the_second_attempt() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(SLACK_PATH))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("Retry-After", "7")
                .set_body_string("rate_limited"),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(SLACK_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_string("ok"))
        .with_priority(2)
        .mount(&server)
        .await;
    let clock = Arc::new(FakeClock::default());
    let d = deliver_with(
        &slack_target(),
        &detected(),
        &slack_env(&server),
        &retry(&clock),
    )
    .await
    .unwrap();
    assert_eq!(
        (d.attempts, &d.outcome),
        (2, &Delivered::Http { status: 200 })
    );
    assert_eq!(
        *clock.slept.lock().unwrap(),
        vec![Duration::from_secs(7)],
        "waited what Retry-After said"
    );
    let reqs = requests(&server).await;
    assert_eq!(reqs.len(), 2);
    assert_eq!(
        reqs[0].body, reqs[1].body,
        "the retry sends the same message"
    );
}

#[tokio::test]
async fn slack_permanent_errors_are_not_retried_and_hide_the_url() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(404).set_body_string("no_service"))
        .mount(&server)
        .await;
    let clock = Arc::new(FakeClock::default());
    let e = deliver_with(
        &slack_target(),
        &detected(),
        &slack_env(&server),
        &retry(&clock),
    )
    .await
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "slack ($DRIFTCOST_SLACK_URL): HTTP 404: no_service; no such webhook (no_service); check the URL in the environment variable"
    );
    assert!(!e.is_retryable());
    assert_eq!(requests(&server).await.len(), 1);

    let missing = deliver_with(
        &slack_target(),
        &detected(),
        &Env::fixed::<&str, &str>([]),
        &retry(&clock),
    )
    .await
    .unwrap_err();
    assert!(matches!(missing, NotifyError::MissingEnv { .. }));
    assert!(missing.to_string().contains(
        "DRIFTCOST_SLACK_URL is not set or empty; set it to the Slack incoming webhook URL"
    ));
}

// ---------------------------------------------------------------- webhook

fn hook_target() -> Target {
    Target::Webhook(WebhookTarget {
        url_env: "DRIFTCOST_HOOK_URL".into(),
        secret_env: "DRIFTCOST_HOOK_SECRET".into(),
    })
}

fn hook_env(server: &MockServer) -> Env {
    Env::fixed([
        (
            "DRIFTCOST_HOOK_URL",
            format!("{}/hooks/drift", server.uri()),
        ),
        ("DRIFTCOST_HOOK_SECRET", HOOK_SECRET.to_string()),
    ])
}

/// What a receiver does: recompute the HMAC of the exact body bytes.
fn verify(secret: &str, body: &[u8], header_value: &str) -> bool {
    let Some(hex_sig) = header_value.strip_prefix("sha256=") else {
        return false;
    };
    let Ok(sig) = hex::decode(hex_sig) else {
        return false;
    };
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(body);
    mac.verify_slice(&sig).is_ok()
}

#[tokio::test]
async fn webhook_body_is_the_signed_versioned_notification() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/hooks/drift"))
        .and(header("x-driftcost-event", "drift_detected"))
        .respond_with(ResponseTemplate::new(202))
        .mount(&server)
        .await;
    let n = detected();
    let target = hook_target();
    let clock = Arc::new(FakeClock::default());
    let d = deliver_with(&target, &n, &hook_env(&server), &retry(&clock))
        .await
        .unwrap();
    assert_eq!(
        (d.attempts, &d.outcome),
        (1, &Delivered::Http { status: 202 })
    );

    let reqs = requests(&server).await;
    assert_eq!(reqs.len(), 1);
    let r = &reqs[0];
    assert_eq!((r.method.as_str(), r.url.path()), ("POST", "/hooks/drift"));
    assert_eq!(header_of(r, "content-type"), "application/json");
    assert!(header_of(r, "user-agent").starts_with("driftcost/"));
    let sig = header_of(r, &SIGNATURE_HEADER.to_ascii_lowercase());
    assert!(
        verify(HOOK_SECRET, &r.body, sig),
        "signature {sig} does not verify"
    );
    assert!(!verify("another-secret", &r.body, sig));
    let mut tampered = r.body.clone();
    tampered[10] ^= 1;
    assert!(!verify(HOOK_SECRET, &tampered, sig));
    assert_eq!(sig, signature(HOOK_SECRET.as_bytes(), &r.body));
    assert_eq!(
        header_of(r, &EVENT_HEADER.to_ascii_lowercase()),
        "drift_detected"
    );
    let key = header_of(r, &IDEMPOTENCY_HEADER.to_ascii_lowercase());
    assert_eq!(key, idempotency_key(&n, &target));
    assert_eq!(key.len(), 64);

    let body = json_body(r);
    assert_eq!(body["version"], "1");
    assert_eq!(body["kind"], "drift_detected");
    assert_eq!(body["workspace"], "db-prod");
    assert_eq!(body["run_id"], "run-42");
    assert_eq!(body["run_url"], "https://driftcost.example.com/runs/run-42");
    assert_eq!(
        body["monthly_cost"],
        json!({"before": "14.71", "after": "19.31", "delta": "4.6", "unpriced_components": 0})
    );
    assert_eq!(body["items"][0]["address"], "aws_db_instance.main");
    assert_eq!(
        body["items"][0]["changes"][1],
        json!({"path": "password", "text": "password: (sensitive value changed)", "sensitive": true})
    );
    assert_eq!(body["integrity_alerts"][0]["kind"], "serial_rolled_back");
    assert_eq!(
        serde_json::from_slice::<Notification>(&r.body).unwrap(),
        n,
        "receivers can read it back"
    );
    assert_no_secret("the signature header", sig);
}

#[tokio::test]
async fn webhook_redelivery_keeps_the_idempotency_key() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let n = detected();
    let clock = Arc::new(FakeClock::default());
    for _ in 0..2 {
        deliver_with(&hook_target(), &n, &hook_env(&server), &retry(&clock))
            .await
            .unwrap();
    }
    let mut resolved = n.clone();
    resolved.kind = NotificationKind::DriftResolved;
    deliver_with(
        &hook_target(),
        &resolved,
        &hook_env(&server),
        &retry(&clock),
    )
    .await
    .unwrap();
    let reqs = requests(&server).await;
    let keys: Vec<&str> = reqs
        .iter()
        .map(|r| header_of(r, "x-driftcost-idempotency-key"))
        .collect();
    assert_eq!(
        keys[0], keys[1],
        "a receiver drops the duplicate by this key"
    );
    assert_ne!(keys[0], keys[2], "a different notification has its own key");
    assert_eq!(header_of(&reqs[2], "x-driftcost-event"), "drift_resolved");
}

#[tokio::test]
async fn webhook_500s_give_up_after_the_bounded_attempts() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500).set_body_string("database is down"))
        .mount(&server)
        .await;
    let clock = Arc::new(FakeClock::default());
    let e = deliver_with(
        &hook_target(),
        &detected(),
        &hook_env(&server),
        &retry(&clock),
    )
    .await
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "webhook ($DRIFTCOST_HOOK_URL): gave up after 4 attempts: HTTP 500: database is down"
    );
    assert!(e.is_retryable(), "the outbox tries again later");
    assert_eq!(requests(&server).await.len(), 4);
    assert_eq!(
        *clock.slept.lock().unwrap(),
        vec![
            Duration::from_secs(1),
            Duration::from_secs(2),
            Duration::from_secs(4)
        ]
    );
}

#[tokio::test]
async fn webhook_503_with_an_http_date_retry_after_then_success() {
    let server = MockServer::start().await;
    let at = httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(30));
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", at.as_str()))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200))
        .with_priority(2)
        .mount(&server)
        .await;
    let clock = Arc::new(FakeClock::default());
    let d = deliver_with(
        &hook_target(),
        &detected(),
        &hook_env(&server),
        &retry(&clock),
    )
    .await
    .unwrap();
    assert_eq!(d.attempts, 2);
    let slept = clock.slept.lock().unwrap().clone();
    assert_eq!(slept.len(), 1);
    assert!(
        (Duration::from_secs(28)..=Duration::from_secs(30)).contains(&slept[0]),
        "{slept:?}"
    );
}

#[tokio::test]
async fn webhook_401_is_permanent_with_a_hint_and_no_secret() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_string(format!("bad signature for secret {HOOK_SECRET}")),
        )
        .mount(&server)
        .await;
    let clock = Arc::new(FakeClock::default());
    let e = deliver_with(
        &hook_target(),
        &detected(),
        &hook_env(&server),
        &retry(&clock),
    )
    .await
    .unwrap_err();
    let text = e.to_string();
    assert_eq!(
        text,
        "webhook ($DRIFTCOST_HOOK_URL): HTTP 401: bad signature for secret ***; the receiver refused the signature; check that it uses the same secret"
    );
    assert_eq!(requests(&server).await.len(), 1);
}

// ---------------------------------------------------------------- GitHub

fn gh_target(server: &MockServer) -> Target {
    Target::GithubIssue(GithubIssueTarget {
        repo: "acme/infra".into(),
        token_env: "DRIFTCOST_GH_TOKEN".into(),
        api_url: Some(server.uri()),
        labels: vec!["drift".into(), "platform".into()],
    })
}

fn gh_env() -> Env {
    Env::fixed([("DRIFTCOST_GH_TOKEN", GH_TOKEN)])
}

const MARKER: &str = "<!-- driftcost:workspace=db-prod -->";

/// Mounts the open-issue search, answering `issues`.
async fn mount_search(server: &MockServer, issues: Value) {
    Mock::given(method("GET"))
        .and(path("/repos/acme/infra/issues"))
        .and(query_param("state", "open"))
        .and(query_param("labels", "driftcost"))
        .respond_with(ResponseTemplate::new(200).set_body_json(issues))
        .mount(server)
        .await;
}

/// Issues that must not match: another workspace whose name extends ours,
/// one naming ours only in the title, and a pull request carrying our marker.
fn decoys() -> Value {
    json!([
        {"number": 3, "title": "drift", "body": "<!-- driftcost:workspace=db-prod-eu -->\n…", "html_url": "x"},
        {"number": 4, "title": "driftcost: drift in workspace db-prod", "body": "written by hand", "html_url": "x"},
        {"number": 6, "title": "fix", "body": MARKER, "pull_request": {"url": "x"}, "html_url": "x"}
    ])
}

fn assert_github_call(r: &Request, verb: &str, route: &str) {
    assert_eq!((r.method.as_str(), r.url.path()), (verb, route));
    assert_eq!(header_of(r, "authorization"), format!("Bearer {GH_TOKEN}"));
}

fn assert_search(r: &Request) {
    assert_github_call(r, "GET", "/repos/acme/infra/issues");
    let q: Vec<(String, String)> = r.url.query_pairs().into_owned().collect();
    for (k, v) in [
        ("state", "open"),
        ("labels", "driftcost"),
        ("per_page", "100"),
        ("page", "1"),
    ] {
        assert!(q.contains(&(k.to_string(), v.to_string())), "{q:?}");
    }
}

#[tokio::test]
async fn github_opens_an_issue_with_labels_when_none_carries_the_marker() {
    let server = MockServer::start().await;
    mount_search(&server, decoys()).await;
    Mock::given(method("POST"))
        .and(path("/repos/acme/infra/issues"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "number": 7, "html_url": "https://github.example.com/acme/infra/issues/7"
        })))
        .mount(&server)
        .await;
    let clock = Arc::new(FakeClock::default());
    let d = deliver_with(&gh_target(&server), &detected(), &gh_env(), &retry(&clock))
        .await
        .unwrap();
    assert_eq!(
        d.outcome,
        Delivered::IssueOpened {
            number: 7,
            url: "https://github.example.com/acme/infra/issues/7".into()
        }
    );
    assert_eq!(d.target, "github issue in acme/infra");

    let reqs = requests(&server).await;
    assert_eq!(reqs.len(), 2);
    assert_search(&reqs[0]);
    assert_github_call(&reqs[1], "POST", "/repos/acme/infra/issues");
    let body = json_body(&reqs[1]);
    assert_eq!(body["title"], "driftcost: drift in workspace db-prod");
    assert_eq!(body["labels"], json!(["driftcost", "drift", "platform"]));
    let text = body["body"].as_str().unwrap();
    assert!(text.starts_with(&format!("{MARKER}\n")), "{text}");
    assert!(
        text.contains("<code>password: (sensitive value changed)</code>"),
        "{text}"
    );
    assert!(text.contains("$14.71 → $19.31 (+$4.60)"), "{text}");
}

#[tokio::test]
async fn github_updates_the_body_of_the_issue_found_by_its_marker() {
    let server = MockServer::start().await;
    let mut issues = decoys();
    issues.as_array_mut().unwrap().push(json!({
        "number": 5, "title": "renamed by a person", "html_url": "x",
        "body": format!("{MARKER}\n### Drift in db-prod: 2 resources")
    }));
    mount_search(&server, issues).await;
    Mock::given(method("PATCH"))
        .and(path("/repos/acme/infra/issues/5"))
        .and(body_partial_json(
            json!({"title": "driftcost: drift in workspace db-prod"}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"number": 5})))
        .mount(&server)
        .await;
    let n = notification(NotificationKind::DriftChanged, "db-prod", "run-43");
    let clock = Arc::new(FakeClock::default());
    let d = deliver_with(&gh_target(&server), &n, &gh_env(), &retry(&clock))
        .await
        .unwrap();
    assert_eq!(d.outcome, Delivered::IssueUpdated { number: 5 });

    let reqs = requests(&server).await;
    assert_eq!(reqs.len(), 2, "no new issue is opened");
    assert_search(&reqs[0]);
    assert_github_call(&reqs[1], "PATCH", "/repos/acme/infra/issues/5");
    let body = json_body(&reqs[1]);
    assert!(
        body.get("labels").is_none() && body.get("state").is_none(),
        "{body}"
    );
    let text = body["body"].as_str().unwrap();
    assert!(
        text.starts_with(&format!("{MARKER}\n### Drift changed in db-prod")),
        "{text}"
    );
    assert!(
        text.contains("Run [run-43](https://driftcost.example.com/runs/run-43)"),
        "{text}"
    );
}

#[tokio::test]
async fn github_resolved_drift_comments_then_closes() {
    let server = MockServer::start().await;
    mount_search(
        &server,
        json!([{"number": 5, "body": format!("{MARKER}\nold"), "html_url": "x"}]),
    )
    .await;
    Mock::given(method("POST"))
        .and(path("/repos/acme/infra/issues/5/comments"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": 1})))
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path("/repos/acme/infra/issues/5"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"number": 5, "state": "closed"})),
        )
        .mount(&server)
        .await;
    let n = notification(NotificationKind::DriftResolved, "db-prod", "run-44");
    let clock = Arc::new(FakeClock::default());
    let d = deliver_with(&gh_target(&server), &n, &gh_env(), &retry(&clock))
        .await
        .unwrap();
    assert_eq!(d.outcome, Delivered::IssueClosed { number: 5 });

    let reqs = requests(&server).await;
    assert_eq!(reqs.len(), 3);
    assert_search(&reqs[0]);
    assert_github_call(&reqs[1], "POST", "/repos/acme/infra/issues/5/comments");
    let comment = json_body(&reqs[1])["body"].as_str().unwrap().to_string();
    assert!(
        comment.starts_with("**Drift resolved in db-prod**"),
        "{comment}"
    );
    assert!(
        comment.contains("No longer drifting: aws&#95;db&#95;instance.main."),
        "{comment}"
    );
    assert!(
        comment.contains("Run [run-44](https://driftcost.example.com/runs/run-44)"),
        "{comment}"
    );
    assert_github_call(&reqs[2], "PATCH", "/repos/acme/infra/issues/5");
    assert_eq!(
        json_body(&reqs[2]),
        json!({"state": "closed", "state_reason": "completed"})
    );

    // Nothing open for the workspace: nothing to close, and no call but the search.
    let empty = MockServer::start().await;
    mount_search(&empty, json!([])).await;
    let d = deliver_with(&gh_target(&empty), &n, &gh_env(), &retry(&clock))
        .await
        .unwrap();
    assert!(matches!(d.outcome, Delivered::Skipped { .. }), "{d:?}");
    assert_eq!(requests(&empty).await.len(), 1);
}

#[tokio::test]
async fn github_cost_threshold_comments_on_the_open_issue() {
    let server = MockServer::start().await;
    mount_search(
        &server,
        json!([{"number": 5, "body": MARKER, "html_url": "x"}]),
    )
    .await;
    Mock::given(method("POST"))
        .and(path("/repos/acme/infra/issues/5/comments"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": 2})))
        .mount(&server)
        .await;
    let mut n = notification(NotificationKind::CostThreshold, "db-prod", "run-45");
    n.threshold =
        serde_json::from_value(json!({"level": "warn", "limit": "1", "monthly_delta": "4.6"}))
            .unwrap();
    let clock = Arc::new(FakeClock::default());
    let d = deliver_with(&gh_target(&server), &n, &gh_env(), &retry(&clock))
        .await
        .unwrap();
    assert_eq!(d.outcome, Delivered::IssueCommented { number: 5 });
    let reqs = requests(&server).await;
    let comment = json_body(&reqs[1])["body"].as_str().unwrap().to_string();
    assert!(
        comment.starts_with("**Cost warn threshold crossed in db-prod: +$4.60/mo (limit $1.00)**"),
        "{comment}"
    );
}

#[tokio::test]
async fn github_rate_limit_is_retried_from_the_search() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/repos/acme/infra/issues"))
        .respond_with(
            ResponseTemplate::new(403)
                .insert_header("Retry-After", "3")
                .set_body_json(json!({"message": "You have exceeded a secondary rate limit"})),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    mount_search(&server, json!([])).await;
    Mock::given(method("POST"))
        .and(path("/repos/acme/infra/issues"))
        .respond_with(
            ResponseTemplate::new(201).set_body_json(json!({"number": 9, "html_url": "u"})),
        )
        .mount(&server)
        .await;
    let clock = Arc::new(FakeClock::default());
    let d = deliver_with(&gh_target(&server), &detected(), &gh_env(), &retry(&clock))
        .await
        .unwrap();
    assert_eq!(d.attempts, 2);
    assert!(matches!(
        d.outcome,
        Delivered::IssueOpened { number: 9, .. }
    ));
    assert_eq!(*clock.slept.lock().unwrap(), vec![Duration::from_secs(3)]);
    assert_eq!(requests(&server).await.len(), 3);
}

#[tokio::test]
async fn github_unknown_repo_names_the_fix() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({
            "message": "Not Found", "documentation_url": "https://docs.github.com/rest"
        })))
        .mount(&server)
        .await;
    let clock = Arc::new(FakeClock::default());
    let e = deliver_with(&gh_target(&server), &detected(), &gh_env(), &retry(&clock))
        .await
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "github issue in acme/infra: HTTP 404: Not Found; repository acme/infra not found, or the token in \
         DRIFTCOST_GH_TOKEN cannot see it; check `repo` (and `api_url` for GitHub Enterprise)"
    );
    assert!(!e.is_retryable());
    assert!(!e.to_string().contains(GH_TOKEN));
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn every_channel_carries_the_sensitive_drift_without_its_value() {
    // One server for all three HTTP channels; `requests` checks every body.
    let server = MockServer::start().await;
    mount_search(&server, json!([])).await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(201).set_body_json(json!({"number": 1, "html_url": "u"})),
        )
        .mount(&server)
        .await;
    let env = Env::fixed([
        (
            "DRIFTCOST_SLACK_URL",
            format!("{}{SLACK_PATH}", server.uri()),
        ),
        (
            "DRIFTCOST_HOOK_URL",
            format!("{}/hooks/drift", server.uri()),
        ),
        ("DRIFTCOST_HOOK_SECRET", HOOK_SECRET.to_string()),
        ("DRIFTCOST_GH_TOKEN", GH_TOKEN.to_string()),
    ]);
    let clock = Arc::new(FakeClock::default());
    let kinds = [
        NotificationKind::DriftDetected,
        NotificationKind::DriftChanged,
        NotificationKind::Reminder,
        NotificationKind::IntegrityAlert,
    ];
    for target in [slack_target(), hook_target(), gh_target(&server)] {
        for kind in kinds {
            deliver_with(
                &target,
                &notification(kind, "db-prod", "run-50"),
                &env,
                &retry(&clock),
            )
            .await
            .unwrap_or_else(|e| panic!("{kind:?} to {}: {e}", target.label()));
        }
    }
    let reqs = requests(&server).await;
    assert_eq!(reqs.len(), 4 + 4 + 4 * 2);
    let mentions = reqs
        .iter()
        .filter(|r| String::from_utf8_lossy(&r.body).contains("sensitive value changed"))
        .count();
    assert_eq!(
        mentions,
        4 + 4 + 4,
        "every message says the password changed"
    );
}
