//! The HTTP API over a real listener on 127.0.0.1 with a real client: auth,
//! trigger → run visible → result, error bodies, limits, paging, metrics,
//! the OpenAPI document, health, timeouts, logging and shutdown. The store
//! behind it is an in-memory double (`tests/it/support/memory_backend.rs`), except
//! for one health check against a real SQLite store.

use crate::support::memory_backend;

use driftcost::api::{self, MAX_BODY_BYTES, MAX_PAGE, StoreBackend};
use driftcost::store::Store;
use memory_backend::{ADMIN, MemoryBackend, READ, TRIGGER};
use reqwest::{Client, StatusCode, header};
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

struct Server {
    addr: SocketAddr,
    backend: Arc<MemoryBackend>,
    client: Client,
    shutdown: CancellationToken,
    task: JoinHandle<Result<(), api::ServeError>>,
}

impl Server {
    async fn start() -> Server {
        let backend = Arc::new(MemoryBackend::new(&[
            "network-prod",
            "data-prod",
            "odd name",
        ]));
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let shutdown = CancellationToken::new();
        let task = tokio::spawn(api::serve_listener(
            listener,
            Arc::clone(&backend),
            shutdown.clone(),
        ));
        // reqwest here is built without a TLS provider of its own (the tree's
        // rustls `aws_lc_rs`); plain HTTP still needs one installed.
        let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
        let client = Client::builder().no_proxy().build().unwrap();
        Server {
            addr,
            backend,
            client,
            shutdown,
            task,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    async fn get(&self, path: &str, token: Option<&str>) -> (StatusCode, Value) {
        let mut req = self.client.get(self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        json_of(req.send().await.unwrap()).await
    }

    async fn post(&self, path: &str, token: Option<&str>, body: &str) -> (StatusCode, Value) {
        let mut req = self
            .client
            .post(self.url(path))
            .header(header::CONTENT_TYPE, "application/json")
            .body(body.to_string());
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        json_of(req.send().await.unwrap()).await
    }

    async fn stop(self) {
        self.shutdown.cancel();
        self.task.await.unwrap().unwrap();
    }
}

/// Status and body; fails the test when the body is not JSON.
async fn json_of(res: reqwest::Response) -> (StatusCode, Value) {
    let status = res.status();
    let ctype = res
        .headers()
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_string());
    let text = res.text().await.unwrap();
    let v = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{status}: body is not JSON ({e}): {text:?}"));
    assert_eq!(
        ctype.as_deref(),
        Some("application/json"),
        "{status} {text}"
    );
    (status, v)
}

fn error_code(v: &Value) -> &str {
    v["error"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("not an error body: {v}"))
}

fn error_message(v: &Value) -> &str {
    v["error"]["message"].as_str().unwrap()
}

#[tokio::test]
async fn health_and_openapi_need_no_token() {
    let s = Server::start().await;
    let (status, v) = s.get("/healthz", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v, json!({"status": "ok"}));

    let (status, v) = s.get("/v1/openapi.json", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v, serde_json::from_str::<Value>(api::OPENAPI_JSON).unwrap());
    s.stop().await;
}

#[tokio::test]
async fn missing_or_bad_token_is_401_with_a_bearer_challenge() {
    let s = Server::start().await;
    for path in ["/v1/workspaces", "/v1/runs/1", "/metrics"] {
        let res = s.client.get(s.url(path)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{path}");
        let challenge = res.headers()[header::WWW_AUTHENTICATE].to_str().unwrap();
        assert!(challenge.starts_with("Bearer"), "{challenge}");
        let (_, v) = json_of(res).await;
        assert_eq!(error_code(&v), "unauthorized");
        assert!(error_message(&v).contains("Authorization: Bearer"), "{v}");
    }

    let res = s
        .client
        .get(s.url("/v1/workspaces"))
        .bearer_auth("not-a-token")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert!(
        res.headers()[header::WWW_AUTHENTICATE]
            .to_str()
            .unwrap()
            .contains("invalid_token")
    );
    let (_, v) = json_of(res).await;
    assert_eq!(error_code(&v), "unauthorized");
    assert!(!v.to_string().contains("not-a-token"));

    // Another scheme is not a bearer token, even with a valid secret in it.
    let res = s
        .client
        .get(s.url("/v1/workspaces"))
        .header(header::AUTHORIZATION, format!("Basic {READ}"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);

    // No token on POST scans: 401 before the body is even looked at.
    let (status, v) = s
        .post("/v1/workspaces/network-prod/scans", None, "{bad")
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(error_code(&v), "unauthorized");
    s.stop().await;
}

#[tokio::test]
async fn read_token_cannot_trigger() {
    let s = Server::start().await;
    let res = s
        .client
        .post(s.url("/v1/workspaces/network-prod/scans"))
        .bearer_auth(READ)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(res.headers().contains_key(header::WWW_AUTHENTICATE));
    let (_, v) = json_of(res).await;
    assert_eq!(error_code(&v), "forbidden");
    assert!(error_message(&v).contains("`trigger`"), "{v}");
    // Nothing was queued.
    let (_, v) = s.get("/v1/workspaces/network-prod/runs", Some(READ)).await;
    assert_eq!(v["runs"], json!([]));
    s.stop().await;
}

#[tokio::test]
async fn trigger_then_run_visible_then_result() {
    let s = Server::start().await;
    let res = s
        .client
        .post(s.url("/v1/workspaces/network-prod/scans"))
        .bearer_auth(TRIGGER)
        .json(&json!({"reason": "after the VPC change"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::ACCEPTED);
    let location = res.headers()[header::LOCATION]
        .to_str()
        .unwrap()
        .to_string();
    let (_, v) = json_of(res).await;
    let id = v["run_id"].as_i64().unwrap();
    assert_eq!(
        v,
        json!({"run_id": id, "status": "queued", "created": true})
    );
    assert_eq!(location, format!("/v1/runs/{id}"));

    // A second trigger while queued returns the same run.
    let (status, v) = s
        .post("/v1/workspaces/network-prod/scans", Some(ADMIN), "")
        .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    assert_eq!(
        v,
        json!({"run_id": id, "status": "queued", "created": false})
    );

    let (status, run) = s.get(&location, Some(READ)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(run["status"], "queued");
    assert_eq!(run["workspace"], "network-prod");
    assert_eq!(run["reason"], "after the VPC change");

    // No finished scan yet: 404 that says so.
    let (status, v) = s.get("/v1/workspaces/network-prod", Some(READ)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(error_message(&v).contains("no finished scan yet"), "{v}");

    // A worker completes it; the API shows the result.
    s.backend.finish(id, "succeeded", 3, 42.0);
    let (_, run) = s.get(&location, Some(READ)).await;
    assert_eq!(run["status"], "succeeded");
    let (status, ws) = s.get("/v1/workspaces/network-prod", Some(READ)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(ws["run_id"], id);
    assert_eq!(ws["drift_items"], 3);
    let (_, list) = s.get("/v1/workspaces", Some(READ)).await;
    let names: Vec<_> = list["workspaces"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["network-prod", "data-prod", "odd name"]);
    assert_eq!(list["workspaces"][0]["latest_status"], "succeeded");

    // Percent-encoded names reach the backend decoded.
    let (status, _) = s
        .post("/v1/workspaces/odd%20name/scans", Some(TRIGGER), "")
        .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    s.stop().await;
}

#[tokio::test]
async fn unknown_workspace_or_run_is_404() {
    let s = Server::start().await;
    let (status, v) = s.post("/v1/workspaces/nope/scans", Some(TRIGGER), "").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(error_code(&v), "not_found");
    assert!(
        error_message(&v).contains("no workspace named `nope`"),
        "{v}"
    );
    for path in [
        "/v1/workspaces/nope",
        "/v1/workspaces/nope/runs",
        "/v1/runs/999",
    ] {
        let (status, v) = s.get(path, Some(READ)).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(error_code(&v), "not_found");
    }
    let (status, v) = s.get("/v1/runs/abc", Some(READ)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        error_message(&v).contains("run id must be an integer"),
        "{v}"
    );
    s.stop().await;
}

#[tokio::test]
async fn bad_json_is_400_naming_the_problem() {
    let s = Server::start().await;
    let path = "/v1/workspaces/network-prod/scans";
    for (body, expect) in [
        ("{\"reason\": ", "EOF while parsing"),
        ("not json", "expected ident"),
        (
            "{\"reason\": 7}",
            "invalid type: integer `7`, expected a string",
        ),
        ("{\"reasn\": \"x\"}", "unknown field `reasn`"),
        ("[1,2]", "expected a JSON object, got an array"),
        ("\"text\"", "expected a JSON object, got a string"),
    ] {
        let (status, v) = s.post(path, Some(TRIGGER), body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(error_code(&v), "bad_request");
        let msg = error_message(&v);
        assert!(msg.contains(expect), "{body}: {msg}");
        assert!(msg.contains("{\"reason\": \"<text>\"}"), "{msg}");
    }
    let (_, v) = s.get("/v1/workspaces/network-prod/runs", Some(READ)).await;
    assert_eq!(v["runs"], json!([]), "a rejected request queued nothing");
    s.stop().await;
}

#[tokio::test]
async fn oversized_body_is_413_json() {
    let s = Server::start().await;
    let big = format!("{{\"reason\": \"{}\"}}", "x".repeat(MAX_BODY_BYTES));
    let (status, v) = s
        .post("/v1/workspaces/network-prod/scans", Some(TRIGGER), &big)
        .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(error_code(&v), "payload_too_large");
    assert!(error_message(&v).contains("64 KiB"), "{v}");

    // Without Content-Length (chunked), the limit stops the stream instead.
    let mut conn = TcpStream::connect(s.addr).await.unwrap();
    let head = format!(
        "POST /v1/workspaces/network-prod/scans HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TRIGGER}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    );
    conn.write_all(head.as_bytes()).await.unwrap();
    let chunk = vec![b' '; 16 * 1024];
    for _ in 0..5 {
        let _ = conn
            .write_all(format!("{:x}\r\n", chunk.len()).as_bytes())
            .await;
        let _ = conn.write_all(&chunk).await;
        let _ = conn.write_all(b"\r\n").await;
    }
    let _ = conn.write_all(b"0\r\n\r\n").await;
    let mut response = String::new();
    let _ = conn.read_to_string(&mut response).await;
    assert!(response.starts_with("HTTP/1.1 413"), "{response}");
    assert!(
        response.contains("\"code\":\"payload_too_large\""),
        "{response}"
    );
    assert!(response.contains("64 KiB limit"), "{response}");

    // A body just under the limit is read whole.
    let ok = format!("{}{{\"reason\": \"ok\"}}", " ".repeat(MAX_BODY_BYTES - 100));
    let (status, _) = s
        .post("/v1/workspaces/network-prod/scans", Some(TRIGGER), &ok)
        .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    s.stop().await;
}

#[tokio::test]
async fn runs_are_paged_newest_first_with_a_cursor() {
    let s = Server::start().await;
    for _ in 0..5 {
        let (_, v) = s
            .post("/v1/workspaces/data-prod/scans", Some(TRIGGER), "")
            .await;
        s.backend
            .finish(v["run_id"].as_i64().unwrap(), "succeeded", 0, 1.0);
    }
    let mut seen = Vec::new();
    let mut path = "/v1/workspaces/data-prod/runs?limit=2".to_string();
    loop {
        let (status, page) = s.get(&path, Some(READ)).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(page["workspace"], "data-prod");
        let runs = page["runs"].as_array().unwrap();
        assert!(runs.len() <= 2);
        seen.extend(runs.iter().map(|r| r["id"].as_i64().unwrap()));
        match page["next"].as_i64() {
            Some(next) => path = format!("/v1/workspaces/data-prod/runs?limit=2&before={next}"),
            None => break,
        }
    }
    assert_eq!(seen, [5, 4, 3, 2, 1]);

    let (status, page) = s
        .get("/v1/workspaces/data-prod/runs?limit=100000", Some(READ))
        .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "a large limit is capped at {MAX_PAGE}"
    );
    assert_eq!(page["runs"].as_array().unwrap().len(), 5);
    assert_eq!(page["next"], Value::Null);

    for (query, expect) in [
        ("limit=0", "at least 1"),
        ("limit=ten", "limit"),
        ("before=x", "before"),
        ("page=2", "unknown field `page`"),
    ] {
        let (status, v) = s
            .get(
                &format!("/v1/workspaces/data-prod/runs?{query}"),
                Some(READ),
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}");
        assert!(error_message(&v).contains(expect), "{query}: {v}");
    }
    s.stop().await;
}

#[tokio::test]
async fn metrics_are_prometheus_text_for_read_tokens() {
    let s = Server::start().await;
    for (ws, status, drift, secs) in [
        ("network-prod", "succeeded", 2, 30.0),
        ("data-prod", "failed", 0, 600.5),
    ] {
        let (_, v) = s
            .post(&format!("/v1/workspaces/{ws}/scans"), Some(TRIGGER), "")
            .await;
        s.backend
            .finish(v["run_id"].as_i64().unwrap(), status, drift, secs);
    }
    s.post("/v1/workspaces/odd%20name/scans", Some(TRIGGER), "")
        .await;

    let res = s.client.get(s.url("/metrics")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);

    let res = s
        .client
        .get(s.url("/metrics"))
        .bearer_auth(READ)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/plain; version=0.0.4")
    );
    let text = res.text().await.unwrap();
    let samples = parse_exposition(&text);
    let value = |name: &str| {
        samples
            .iter()
            .find(|(n, _)| n == name)
            .unwrap_or_else(|| panic!("{name} missing in\n{text}"))
            .1
    };
    assert_eq!(value("driftcost_runs_total{status=\"succeeded\"}"), 1.0);
    assert_eq!(value("driftcost_runs_total{status=\"failed\"}"), 1.0);
    assert_eq!(value("driftcost_runs_active{status=\"queued\"}"), 1.0);
    assert_eq!(value("driftcost_queue_depth"), 1.0);
    assert_eq!(value("driftcost_drifted_workspaces"), 1.0);
    assert_eq!(value("driftcost_scan_duration_seconds_count"), 2.0);
    assert_eq!(value("driftcost_scan_duration_seconds_sum"), 630.5);
    assert_eq!(
        value("driftcost_scan_duration_seconds_bucket{le=\"30\"}"),
        1.0
    );
    assert_eq!(
        value("driftcost_scan_duration_seconds_bucket{le=\"+Inf\"}"),
        2.0
    );
    s.stop().await;
}

/// Checks the text format line by line (`# HELP`/`# TYPE` before a family's
/// samples, each sample `name{labels} value`) and returns `(name{labels}, value)`.
fn parse_exposition(text: &str) -> Vec<(String, f64)> {
    let mut typed: Vec<(String, String)> = Vec::new();
    let mut helped = Vec::new();
    let mut samples = Vec::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("# HELP ") {
            let (name, help) = rest.split_once(' ').expect("HELP name text");
            assert!(!help.is_empty());
            helped.push(name.to_string());
        } else if let Some(rest) = line.strip_prefix("# TYPE ") {
            let (name, kind) = rest.split_once(' ').expect("TYPE name kind");
            assert!(
                ["counter", "gauge", "histogram", "summary", "untyped"].contains(&kind),
                "{line}"
            );
            assert!(
                helped.last().is_some_and(|h| h == name),
                "HELP before TYPE: {line}"
            );
            assert!(typed.iter().all(|(n, _)| n != name), "TYPE twice: {line}");
            typed.push((name.to_string(), kind.to_string()));
        } else {
            assert!(
                !line.starts_with('#') && !line.is_empty(),
                "stray line {line:?}"
            );
            let (series, value) = line.rsplit_once(' ').expect("sample: series value");
            let name = series.split('{').next().unwrap();
            assert!(
                name.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':'),
                "{line}"
            );
            if let Some(labels) = series.strip_prefix(name)
                && !labels.is_empty()
            {
                let inner = labels
                    .strip_prefix('{')
                    .and_then(|l| l.strip_suffix('}'))
                    .unwrap_or_else(|| panic!("labels in braces: {line}"));
                for pair in inner.split(',') {
                    let (k, v) = pair.split_once('=').expect("label=value");
                    assert!(
                        !k.is_empty() && v.starts_with('"') && v.ends_with('"'),
                        "{line}"
                    );
                }
            }
            let (family, kind) = typed.last().expect("sample before TYPE");
            let suffix_ok = name == family
                || (kind == "histogram"
                    && [
                        format!("{family}_bucket"),
                        format!("{family}_sum"),
                        format!("{family}_count"),
                    ]
                    .contains(&name.to_string()));
            assert!(suffix_ok, "{name} under family {family}");
            let value: f64 = match value {
                "+Inf" => f64::INFINITY,
                "-Inf" => f64::NEG_INFINITY,
                v => v.parse().unwrap_or_else(|_| panic!("value of {line}")),
            };
            samples.push((series.to_string(), value));
        }
    }
    assert!(text.ends_with('\n'));
    samples
}

#[tokio::test]
async fn every_documented_route_is_served() {
    let s = Server::start().await;
    s.post("/v1/workspaces/network-prod/scans", Some(TRIGGER), "")
        .await;
    s.backend.finish(1, "succeeded", 0, 1.0);
    let doc: Value = serde_json::from_str(api::OPENAPI_JSON).unwrap();
    let mut checked = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        if path == "/v1/github/webhook" {
            // Signed by GitHub, not a token: tests/github_webhook.rs.
            continue;
        }
        if path.ends_with("/approve") || path.ends_with("/reject") {
            // Only a run that asks for an approval can take a decision (409
            // otherwise): tests/it/approvals.rs drives both routes end to end.
            continue;
        }
        let concrete = path.replace("{name}", "network-prod").replace("{id}", "1");
        for method in item.as_object().unwrap().keys() {
            if method == "parameters" {
                continue;
            }
            let res = s
                .client
                .request(method.to_uppercase().parse().unwrap(), s.url(&concrete))
                .bearer_auth(ADMIN)
                .send()
                .await
                .unwrap();
            assert!(
                res.status().is_success(),
                "{method} {path}: {}",
                res.status()
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 10);
    s.stop().await;
}

#[tokio::test]
async fn unknown_paths_and_methods_get_json_errors() {
    let s = Server::start().await;
    let (status, v) = s.get("/v2/nothing", Some(READ)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(error_message(&v).contains("/v1/openapi.json"), "{v}");

    let res = s
        .client
        .delete(s.url("/v1/runs/1"))
        .bearer_auth(ADMIN)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::METHOD_NOT_ALLOWED);
    let allow = res.headers()[header::ALLOW].to_str().unwrap().to_string();
    assert!(allow.contains("GET"), "{allow}");
    let (_, v) = json_of(res).await;
    assert_eq!(error_code(&v), "method_not_allowed");
    s.stop().await;
}

#[tokio::test]
async fn store_outage_is_503_without_details() {
    let s = Server::start().await;
    s.backend.down.store(true, Ordering::SeqCst);
    let res = s
        .client
        .get(s.url("/v1/workspaces"))
        .bearer_auth(READ)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(res.headers().contains_key(header::RETRY_AFTER));
    let (_, v) = json_of(res).await;
    assert_eq!(error_code(&v), "unavailable");
    assert!(!v.to_string().contains("pw@db"), "{v}");
    s.stop().await;
}

#[tokio::test]
async fn health_is_503_naming_the_store_when_it_cannot_answer() {
    let s = Server::start().await;
    assert_eq!(s.get("/healthz", None).await.0, StatusCode::OK);
    s.backend.down.store(true, Ordering::SeqCst);
    let res = s.client.get(s.url("/healthz")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(res.headers().contains_key(header::RETRY_AFTER));
    let (_, v) = json_of(res).await;
    assert_eq!(error_code(&v), "unavailable");
    assert!(error_message(&v).contains("run store"), "{v}");
    // The cause (a database URL with a password) stays in the log.
    assert!(!v.to_string().contains("pw@db"), "{v}");
    s.backend.down.store(false, Ordering::SeqCst);
    assert_eq!(s.get("/healthz", None).await.0, StatusCode::OK);
    s.stop().await;
}

/// The real backend: a SQLite store answers, and once its pool is closed
/// (as when the database goes away) health says so.
#[tokio::test]
async fn health_queries_a_real_sqlite_store() {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::open(&format!("sqlite:{}", tmp.path().join("runs.db").display()))
        .await
        .unwrap();
    let backend = Arc::new(StoreBackend::new(store.clone(), ["app".to_string()]));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let shutdown = CancellationToken::new();
    let task = tokio::spawn(api::serve_listener(listener, backend, shutdown.clone()));
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    let client = Client::builder().no_proxy().build().unwrap();
    let url = format!("http://{addr}/healthz");
    let (status, v) = json_of(client.get(&url).send().await.unwrap()).await;
    assert_eq!((status, v), (StatusCode::OK, json!({"status": "ok"})));
    store.close().await;
    let (status, v) = json_of(client.get(&url).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{v}");
    assert_eq!(error_code(&v), "unavailable");
    shutdown.cancel();
    task.await.unwrap().unwrap();
}

/// A store call that hangs is cut off after the router's timeout with the
/// usual JSON error, instead of holding the connection open.
#[tokio::test]
async fn a_request_slower_than_the_timeout_is_503_json() {
    let backend = Arc::new(MemoryBackend::new(&["network-prod"]));
    backend.workspaces_delay_ms.store(10_000, Ordering::SeqCst);
    let timeout = Duration::from_millis(200);
    let router = api::router_with_timeout(
        Arc::clone(&backend),
        api::GithubWebhook::disabled(api::DEFAULT_SECRET_ENV),
        timeout,
    );
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let shutdown = CancellationToken::new();
    let task = tokio::spawn(
        axum::serve(listener, router)
            .with_graceful_shutdown(shutdown.clone().cancelled_owned())
            .into_future(),
    );
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    let client = Client::builder().no_proxy().build().unwrap();
    let started = Instant::now();
    let res = client
        .get(format!("http://{addr}/v1/workspaces"))
        .bearer_auth(READ)
        .send()
        .await
        .unwrap();
    let took = started.elapsed();
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(res.headers().contains_key(header::RETRY_AFTER));
    let (_, v) = json_of(res).await;
    assert_eq!(error_code(&v), "unavailable");
    assert!(error_message(&v).contains("time limit"), "{v}");
    assert!(took >= timeout && took < Duration::from_secs(3), "{took:?}");
    // Fast routes are unaffected.
    let res = client
        .get(format!("http://{addr}/v1/runs/1"))
        .bearer_auth(READ)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(api::REQUEST_TIMEOUT, Duration::from_secs(30));
    shutdown.cancel();
    task.await.unwrap().unwrap();
}

#[tokio::test]
async fn shutdown_stops_accepting_and_returns() {
    let s = Server::start().await;
    let addr = s.addr;
    let (status, _) = s.get("/healthz", None).await;
    assert_eq!(status, StatusCode::OK);
    s.shutdown.cancel();
    tokio::time::timeout(std::time::Duration::from_secs(5), s.task)
        .await
        .expect("serve returns after cancel")
        .unwrap()
        .unwrap();
    assert!(TcpStream::connect(addr).await.is_err(), "listener closed");
}

#[tokio::test]
async fn serve_binds_loopback_and_reports_a_busy_port() {
    let taken = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = taken.local_addr().unwrap();
    let backend = Arc::new(MemoryBackend::new(&[]));
    let err = api::serve(addr, backend, CancellationToken::new())
        .await
        .unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains(&addr.to_string()) && msg.contains("--listen"),
        "{msg}"
    );
    assert!(api::DEFAULT_LISTEN.starts_with("127.0.0.1:"));
}
