//! The HTTP API of `driftcost serve`: trigger scans, read runs, workspaces and
//! metrics. It reads and queues through an [`ApiBackend`] (the run store and
//! the loaded jobs) and never runs terraform itself: a worker claims the runs
//! it queues, in this process or another one sharing the store.
//!
//! - Auth: `Authorization: Bearer <token>`; roles `read` ⊂ `trigger` ⊂ `admin`.
//!   `POST /v1/workspaces/{name}/scans` needs `trigger`; `GET /v1/audit`
//!   needs `admin` (the trail names every token holder and where they came
//!   from: not for every reader); every other `/v1/…` route and `/metrics`
//!   need `read`; `/healthz` and `/v1/openapi.json` are
//!   open. Missing/invalid token → 401 with `WWW-Authenticate: Bearer`, too
//!   weak a role → 403. Tokens are checked by the backend (hashed, constant
//!   time) and never logged.
//! - Errors: always `{"error": {"code": "…", "message": "…"}}`, also for 404
//!   of unknown paths, 405 (with `Allow`), 413 (bodies over
//!   [`MAX_BODY_BYTES`]), 503 after [`REQUEST_TIMEOUT`] or when the store is
//!   locked or busy (with `Retry-After`), and the 400/414/431 hyper sends
//!   for requests it cannot parse (`server.rs`).
//! - Connections: headers must arrive within [`HEADER_READ_TIMEOUT`] of
//!   connecting or of the previous response (idle keep-alive connections
//!   close then too); at most [`MAX_CONNECTIONS`] are served at once.
//! - `/healthz` asks the backend for a cheap store query: 503 when it fails.
//! - Logs: one span per request with method and path; status and latency when
//!   it finishes. Headers are never logged.
//! - `POST /v1/github/webhook` takes no token: GitHub's HMAC signature
//!   instead, and a larger body limit ([`MAX_WEBHOOK_BODY_BYTES`]); see
//!   `github_webhook.rs`.
//! - Audit: scans triggered are recorded with the token's label and role and
//!   the peer address (`audit.rs`); a trigger refused for too weak a role too.
//! - The routes and their bodies are in `routes.rs` and `openapi.json`.
//! - The web pages for people (`/`, `/workspaces/{name}`, `/runs/{id}`,
//!   `/audit`, `/login`) are in `pages/`: HTML, session cookies instead of
//!   bearer tokens, same roles.

mod approvals;
mod audit;
mod auth;
mod backend;
mod error;
mod github_webhook;
mod metrics;
mod pages;
mod routes;
mod server;
mod store_backend;

pub use backend::{
    ApiBackend, ApiBackendError, Caller, Metrics, Role, SCAN_DURATION_BUCKETS, ScanDurations,
};
pub use github_webhook::{
    DEFAULT_SECRET_ENV, GithubWebhook, MAX_WEBHOOK_BODY_BYTES, MAX_WEBHOOK_BODY_READS,
    WEBHOOK_BODY_TIMEOUT, signature as github_signature,
};
pub use pages::session::{SESSION_KEY_ENV, SESSION_TTL, SessionKeyError, check_session_key_env};
pub use routes::{DEFAULT_PAGE, MAX_PAGE};
pub use server::{HEADER_READ_TIMEOUT, MAX_CONNECTIONS, ServerLimits};
pub use store_backend::StoreBackend;

use axum::Router;
use axum::extract::Request;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tower_http::trace::{DefaultOnResponse, TraceLayer};

/// Largest request body accepted (the only body is a scan's `reason`).
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Where `serve` listens unless told otherwise: loopback only, so exposing
/// the API is a deliberate choice (put TLS in front of it when you do).
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";

/// How long a request (other than the GitHub webhook) may take before it is
/// answered 503: a store that hangs must not pile up open connections.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// The OpenAPI 3.1 document served at `/v1/openapi.json`.
pub const OPENAPI_JSON: &str = routes::OPENAPI_JSON;

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(
        "cannot listen on {addr}: {source}; is another process using the port? pick another with --listen"
    )]
    Bind {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("HTTP server failed: {0}")]
    Io(#[from] std::io::Error),
}

/// The complete application: routes, auth, JSON errors, body limit, request
/// tracing. For embedding in another server or testing without a socket.
/// The GitHub webhook route answers 503 (no secret configured).
pub fn router<B: ApiBackend>(backend: Arc<B>) -> Router {
    router_with(backend, GithubWebhook::disabled(DEFAULT_SECRET_ENV))
}

/// [`router`] with the GitHub webhook route wired to `webhook`.
pub fn router_with<B: ApiBackend>(backend: Arc<B>, webhook: GithubWebhook) -> Router {
    router_with_timeout(backend, webhook, REQUEST_TIMEOUT)
}

/// [`router_with`] with another per-request timeout than [`REQUEST_TIMEOUT`].
pub fn router_with_timeout<B: ApiBackend>(
    backend: Arc<B>,
    webhook: GithubWebhook,
    timeout: Duration,
) -> Router {
    // Body limits and timeouts are per route (routes.rs): the webhook's
    // limit is larger, and it has no timeout.
    routes::build(Arc::clone(&backend), timeout)
        .merge(pages::router(backend, timeout))
        .layer(axum::Extension(webhook))
        // Outside the limit layers, so their plain-text 413 is rewritten too.
        .layer(axum::middleware::map_response(error::json_errors))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &Request| {
                    tracing::info_span!("http", method = %req.method(), path = %req.uri().path())
                })
                .on_response(
                    DefaultOnResponse::new()
                        .level(tracing::Level::INFO)
                        .latency_unit(tower_http::LatencyUnit::Micros),
                ),
        )
}

/// Binds `addr` and serves until `shutdown` is cancelled; then stops
/// accepting, lets in-flight requests finish and returns.
pub async fn serve<B: ApiBackend>(
    addr: SocketAddr,
    backend: Arc<B>,
    shutdown: CancellationToken,
) -> Result<(), ServeError> {
    let listener = TcpListener::bind(addr)
        .await
        .map_err(|source| ServeError::Bind { addr, source })?;
    serve_listener(listener, backend, shutdown).await
}

/// [`serve`] on a listener the caller bound (port 0 in tests, socket activation).
pub async fn serve_listener<B: ApiBackend>(
    listener: TcpListener,
    backend: Arc<B>,
    shutdown: CancellationToken,
) -> Result<(), ServeError> {
    serve_listener_with(
        listener,
        backend,
        GithubWebhook::disabled(DEFAULT_SECRET_ENV),
        shutdown,
    )
    .await
}

/// [`serve_listener`] with the GitHub webhook route wired to `webhook`.
pub async fn serve_listener_with<B: ApiBackend>(
    listener: TcpListener,
    backend: Arc<B>,
    webhook: GithubWebhook,
    shutdown: CancellationToken,
) -> Result<(), ServeError> {
    serve_listener_limited(
        listener,
        backend,
        webhook,
        ServerLimits::default(),
        shutdown,
    )
    .await
}

/// [`serve_listener_with`] with other connection limits than the defaults.
pub async fn serve_listener_limited<B: ApiBackend>(
    listener: TcpListener,
    backend: Arc<B>,
    webhook: GithubWebhook,
    limits: ServerLimits,
    shutdown: CancellationToken,
) -> Result<(), ServeError> {
    if let Ok(addr) = listener.local_addr() {
        tracing::info!(%addr, "HTTP API listening");
    }
    server::serve(listener, router_with(backend, webhook), limits, shutdown).await;
    tracing::info!("HTTP API stopped");
    Ok(())
}
