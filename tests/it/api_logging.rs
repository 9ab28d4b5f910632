//! Request logging of the HTTP API. Its own test binary: tracing caches
//! per-callsite interest process-wide, so a thread-local subscriber in a
//! binary whose other tests run in parallel misses events at random.

use crate::support::memory_backend;

use driftcost::api;
use memory_backend::{MemoryBackend, TRIGGER};
use reqwest::StatusCode;
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

/// One log event per request with method, path, status and latency; the
/// bearer token appears nowhere, also not when it is rejected.
#[tokio::test(flavor = "current_thread")]
async fn requests_are_logged_without_the_token() {
    use std::io::Write;
    #[derive(Clone, Default)]
    struct Buf(Arc<std::sync::Mutex<Vec<u8>>>);
    impl Write for Buf {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let buf = Buf::default();
    let writer = buf.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    // current_thread: the server's tasks run on this thread, under this subscriber.
    let backend = Arc::new(MemoryBackend::new(&["network-prod"]));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let shutdown = CancellationToken::new();
    let server = tokio::spawn(api::serve_listener(listener, backend, shutdown.clone()));
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    let res = client
        .post(format!("http://{addr}/v1/workspaces/network-prod/scans"))
        .bearer_auth(TRIGGER)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::ACCEPTED);
    let res = client
        .get(format!("http://{addr}/v1/workspaces"))
        .bearer_auth("wrong-secret-xyz")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    shutdown.cancel();
    server.await.unwrap().unwrap();

    let logs = String::from_utf8(buf.0.lock().unwrap().clone()).unwrap();
    let finished: Vec<_> = logs
        .lines()
        .filter(|l| l.contains("finished processing request"))
        .collect();
    assert_eq!(finished.len(), 2, "{logs}");
    assert!(finished[0].contains("method=POST"), "{}", finished[0]);
    assert!(finished[0].contains("path=/v1/workspaces/network-prod/scans"));
    assert!(finished[0].contains("status=202"), "{}", finished[0]);
    assert!(finished[0].contains("latency="), "{}", finished[0]);
    assert!(finished[1].contains("status=401"), "{}", finished[1]);
    assert!(!logs.contains(TRIGGER), "trigger token leaked:\n{logs}");
    assert!(
        !logs.contains("wrong-secret-xyz"),
        "rejected token leaked:\n{logs}"
    );
}
