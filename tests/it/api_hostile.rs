//! `driftcost serve` under clients that do not play along, over real TCP on
//! 127.0.0.1: webhook posts that never send their body or their signature,
//! many at once, connections that send nothing, requests hyper cannot parse,
//! and a run store that is locked by someone else. Bounds here are guards
//! against hanging, not speed assertions.

use crate::support::memory_backend;

use driftcost::api::{self, GithubWebhook, StoreBackend, github_signature};
use driftcost::comment::{PrJobQueue, PrJobReceiver};
use driftcost::store::{Role, Store};
use memory_backend::MemoryBackend;
use reqwest::{Client, StatusCode, header};
use serde_json::Value;
use sqlx::Connection;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio_util::sync::CancellationToken;

const SECRET: &[u8] = b"hostile-test-secret";
/// Long enough for anything the server does at once; shorter than the
/// webhook's 30 s body timeout.
const GUARD: Duration = Duration::from_secs(20);

struct Server {
    addr: SocketAddr,
    shutdown: CancellationToken,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}

async fn start_with<B: api::ApiBackend>(backend: Arc<B>, webhook: GithubWebhook) -> Server {
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let shutdown = CancellationToken::new();
    tokio::spawn(api::serve_listener_with(
        listener,
        backend,
        webhook,
        shutdown.clone(),
    ));
    Server { addr, shutdown }
}

/// A server whose webhook is configured; the queue's consumer is kept so
/// nothing is ever planned.
async fn start() -> (Server, PrJobReceiver) {
    let (queue, jobs) = PrJobQueue::bounded(4);
    let s = start_with(
        Arc::new(MemoryBackend::new(&["net"])),
        GithubWebhook::new("DRIFTCOST_GITHUB_WEBHOOK_SECRET", SECRET.to_vec(), queue),
    )
    .await;
    (s, jobs)
}

/// Reads until the server closes (or the guard ends); the bytes read.
async fn read_all(stream: &mut TcpStream) -> Result<Vec<u8>, &'static str> {
    let mut out = Vec::new();
    let r = tokio::time::timeout(GUARD, stream.read_to_end(&mut out)).await;
    match r {
        Ok(Ok(_)) => Ok(out),
        // A reset after the answer still counts as the answer.
        Ok(Err(_)) if !out.is_empty() => Ok(out),
        Ok(Err(_)) => Err("connection failed with nothing read"),
        Err(_) => Err("no answer within the guard"),
    }
}

/// Status and JSON body of a raw HTTP/1.1 response.
fn parse_response(raw: &[u8]) -> (u16, String, Value) {
    let text = String::from_utf8_lossy(raw);
    let (head, body) = text
        .split_once("\r\n\r\n")
        .unwrap_or_else(|| panic!("not an HTTP response: {text:?}"));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status: {head:?}"));
    let body: Value = serde_json::from_str(body)
        .unwrap_or_else(|e| panic!("body is not JSON ({e}): {head}\r\n\r\n{body:?}"));
    (status, head.to_ascii_lowercase(), body)
}

fn webhook_head(signature: Option<&str>, content_length: usize) -> String {
    let mut head = format!(
        "POST /v1/github/webhook HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\nx-github-event: pull_request\r\ncontent-length: {content_length}\r\nconnection: close\r\n"
    );
    if let Some(sig) = signature {
        head.push_str(&format!("x-hub-signature-256: {sig}\r\n"));
    }
    head.push_str("\r\n");
    head
}

/// Announces a 25 MiB body, sends none of it: a missing or malformed
/// signature is answered at once, without waiting for the body.
#[tokio::test]
async fn a_webhook_without_a_wellformed_signature_is_refused_before_its_body() {
    let (s, _jobs) = start().await;
    for sig in [None, Some("sha256=zz"), Some("sha1=0123"), Some("sha256=")] {
        let mut c = TcpStream::connect(s.addr).await.unwrap();
        c.write_all(webhook_head(sig, 25 * 1024 * 1024).as_bytes())
            .await
            .unwrap();
        let raw = read_all(&mut c)
            .await
            .unwrap_or_else(|e| panic!("signature {sig:?}: {e}"));
        let (status, _, body) = parse_response(&raw);
        assert_eq!(status, 401, "{sig:?}: {body}");
        assert_eq!(body["error"]["code"], "unauthorized");
    }
}

/// Eight posts with a well-formed signature send their headers and a
/// trickle of body: only a few are read at once, the rest are refused 503
/// with Retry-After, and capacity comes back when they go away.
#[tokio::test]
async fn unauthenticated_webhook_body_reads_are_capped() {
    let (s, _jobs) = start().await;
    let sig = format!("sha256={}", "ab".repeat(32));
    let mut stalled = Vec::new();
    for _ in 0..8 {
        let mut c = TcpStream::connect(s.addr).await.unwrap();
        c.write_all(webhook_head(Some(&sig), 1024 * 1024).as_bytes())
            .await
            .unwrap();
        c.write_all(b"{\"action\":").await.unwrap();
        stalled.push(c);
    }
    // Those being read get no answer (their body never completes); the
    // others are answered at once.
    let answers = answers_within(&mut stalled, Duration::from_secs(10)).await;
    let refused: Vec<&(u16, String, Value)> = answers.iter().flatten().collect();
    assert_eq!(
        refused.len(),
        8 - api::MAX_WEBHOOK_BODY_READS,
        "{answers:#?}"
    );
    for (status, head, body) in &refused {
        assert_eq!(*status, 503, "{body}");
        assert!(head.contains("retry-after:"), "{head}");
        assert_eq!(body["error"]["code"], "unavailable");
    }

    // While they stall, another delivery is refused too …
    let client = Client::builder().no_proxy().build().unwrap();
    let post = || {
        client
            .post(format!("http://{}/v1/github/webhook", s.addr))
            .header("content-type", "application/json")
            .header("x-github-event", "ping")
            .header("x-hub-signature-256", github_signature(SECRET, b"{}"))
            .body("{}")
            .send()
    };
    let res = post().await.unwrap();
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(res.headers().contains_key(header::RETRY_AFTER));
    // … and once they hang up, deliveries are read again.
    drop(stalled);
    let mut status = StatusCode::SERVICE_UNAVAILABLE;
    for _ in 0..100 {
        status = post().await.unwrap().status();
        if status != StatusCode::SERVICE_UNAVAILABLE {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(status, StatusCode::OK);
}

/// Reads every connection for up to `wait` in all; `Some` for those answered.
async fn answers_within(
    conns: &mut [TcpStream],
    wait: Duration,
) -> Vec<Option<(u16, String, Value)>> {
    let deadline = tokio::time::Instant::now() + wait;
    let mut tasks = Vec::new();
    for c in conns.iter_mut() {
        tasks.push(async move {
            let mut out = Vec::new();
            let mut buf = [0u8; 4096];
            loop {
                match tokio::time::timeout_at(deadline, c.read(&mut buf)).await {
                    Ok(Ok(0)) | Ok(Err(_)) | Err(_) => break,
                    Ok(Ok(n)) => out.extend_from_slice(&buf[..n]),
                }
                if out.windows(4).any(|w| w == b"\r\n\r\n") {
                    let text = String::from_utf8_lossy(&out).to_string();
                    let (head, body) = text.split_once("\r\n\r\n").unwrap();
                    let len = head
                        .to_ascii_lowercase()
                        .lines()
                        .find_map(|l| l.strip_prefix("content-length: ").map(str::to_string))
                        .and_then(|l| l.trim().parse::<usize>().ok())
                        .unwrap_or(0);
                    if body.len() >= len {
                        break;
                    }
                }
            }
            (!out.is_empty()).then(|| parse_response(&out))
        });
    }
    let mut answers = Vec::new();
    for t in tasks {
        answers.push(t.await);
    }
    answers
}

/// Connections that send nothing, half a request, or go idle after one are
/// closed by the server (header-read timeout), not held.
#[tokio::test]
async fn silent_half_open_and_idle_connections_are_closed() {
    let (s, _jobs) = start().await;
    let silent = async {
        let mut c = TcpStream::connect(s.addr).await.unwrap();
        read_all(&mut c).await
    };
    let half = async {
        let mut c = TcpStream::connect(s.addr).await.unwrap();
        c.write_all(b"GET /healthz HTTP/1.1\r\nhost: x\r\n")
            .await
            .unwrap();
        read_all(&mut c).await
    };
    let idle = async {
        let mut c = TcpStream::connect(s.addr).await.unwrap();
        c.write_all(b"GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n")
            .await
            .unwrap();
        // The answer, then (keep-alive, nothing more sent) the close.
        read_all(&mut c).await
    };
    let (silent, half, idle) = tokio::join!(silent, half, idle);
    assert_eq!(silent, Ok(Vec::new()));
    assert_eq!(half, Ok(Vec::new()));
    let idle = String::from_utf8(idle.unwrap()).unwrap();
    assert!(idle.starts_with("HTTP/1.1 200"), "{idle}");
    assert!(idle.ends_with("{\"status\":\"ok\"}"), "{idle}");
}

/// What hyper refuses before any route runs is the documented JSON too.
#[tokio::test]
async fn requests_hyper_cannot_parse_get_json_errors() {
    let (s, _jobs) = start().await;
    let many_headers: String = (0..150).map(|i| format!("x-h{i}: v\r\n")).collect();
    let cases: Vec<(Vec<u8>, u16, &str)> = vec![
        (
            b"GET /healthz HTTP/1.1\r\nhost: x\r\nthis is not a header\r\n\r\n".to_vec(),
            400,
            "bad_request",
        ),
        (
            b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n".to_vec(),
            400,
            "bad_request",
        ),
        (
            format!("GET /{} HTTP/1.1\r\nhost: x\r\n\r\n", "a".repeat(70_000)).into_bytes(),
            414,
            "uri_too_long",
        ),
        (
            format!("GET /healthz HTTP/1.1\r\nhost: x\r\n{many_headers}\r\n").into_bytes(),
            431,
            "headers_too_large",
        ),
    ];
    for (request, want_status, want_code) in cases {
        let mut c = TcpStream::connect(s.addr).await.unwrap();
        // The server may answer and close before all of a huge request is sent.
        let _ = c.write_all(&request).await;
        let raw = read_all(&mut c).await.unwrap();
        let (status, head, body) = parse_response(&raw);
        assert_eq!(status, want_status, "{head}\n{body}");
        assert!(head.contains("content-type: application/json"), "{head}");
        assert_eq!(body["error"]["code"], want_code, "{body}");
        assert!(
            body["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty())
        );
    }
    // A wrong method keeps its Allow header and gets the JSON body.
    let mut c = TcpStream::connect(s.addr).await.unwrap();
    c.write_all(b"DELETE /healthz HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n")
        .await
        .unwrap();
    let (status, head, body) = parse_response(&read_all(&mut c).await.unwrap());
    assert_eq!(status, 405);
    assert!(head.contains("allow: get,head"), "{head}");
    assert_eq!(body["error"]["code"], "method_not_allowed");
}

/// Another process holds the SQLite store's write lock: a trigger waits for
/// the store's busy timeout, then answers 503 with Retry-After (the client
/// may retry), not 500.
#[tokio::test]
async fn a_locked_store_answers_503_with_retry_after() {
    let tmp = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", tmp.path().join("runs.db").display());
    let store = Store::open(&url).await.unwrap();
    let token = store.create_token(Role::Trigger, "ci").await.unwrap();
    let s = start_with(
        Arc::new(StoreBackend::new(store, ["net".to_string()])),
        GithubWebhook::disabled("UNSET_FOR_THIS_TEST"),
    )
    .await;
    let mut locker = sqlx::SqliteConnection::connect(&url).await.unwrap();
    sqlx::query("BEGIN IMMEDIATE")
        .execute(&mut locker)
        .await
        .unwrap();
    let client = Client::builder().no_proxy().build().unwrap();
    let res = client
        .post(format!("http://{}/v1/workspaces/net/scans", s.addr))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(res.headers().contains_key(header::RETRY_AFTER));
    let v: Value = res.json().await.unwrap();
    assert_eq!(v["error"]["code"], "unavailable", "{v}");
    sqlx::query("ROLLBACK").execute(&mut locker).await.unwrap();
    let res = client
        .post(format!("http://{}/v1/workspaces/net/scans", s.addr))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::ACCEPTED);
}
