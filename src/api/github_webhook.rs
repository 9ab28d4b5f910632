//! `POST /v1/github/webhook`: GitHub's pull-request events, verified and
//! queued. GitHub gives a delivery 10 seconds, so nothing is planned here: a
//! verified `pull_request` event (opened, synchronize, reopened) becomes a
//! [`PrJob`] on a bounded in-process queue that a background task works off
//! ([`crate::comment::run_pr_jobs`]).
//!
//! - No bearer token (GitHub cannot send one): the body's HMAC-SHA256 in
//!   `X-Hub-Signature-256: sha256=<hex>` with the secret from an environment
//!   variable, checked in constant time before the body is parsed.
//! - No secret configured → 503 naming the variable; a missing or malformed
//!   signature header → 401 before any of the body is read; a
//!   `Content-Length` over [`MAX_WEBHOOK_BODY_BYTES`] → 413, also before;
//!   more than [`MAX_WEBHOOK_BODY_READS`] bodies being read at once → 503
//!   with `Retry-After` (the route is unauthenticated until the body is
//!   verified, so this bounds what strangers can make the server hold); a
//!   body slower than [`WEBHOOK_BODY_TIMEOUT`] → 408; wrong signature → 401;
//!   malformed JSON → 400; queue full → 503 (GitHub shows the failed
//!   delivery and it can be redelivered). Nothing is queued on any of them.
//! - The same pull request and head commit already queued or being worked
//!   on → 202 `{"ignored": …}`: a redelivery does no work twice.

use super::error::ApiError;
use crate::comment::{PrJob, PrJobQueue};
use crate::store::{AuditAction, AuditEvent, AuditVia, Store};
use axum::Json;
use axum::body::{Body, HttpBody};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

/// Where the webhook secret is read from unless `serve` is told another name.
pub const DEFAULT_SECRET_ENV: &str = "DRIFTCOST_GITHUB_WEBHOOK_SECRET";

/// GitHub caps webhook payloads at 25 MiB; pull-request payloads often pass
/// the API's 64 KiB, so this route has its own limit.
pub const MAX_WEBHOOK_BODY_BYTES: usize = 25 * 1024 * 1024;

/// Webhook bodies read at once (each up to [`MAX_WEBHOOK_BODY_BYTES`] until
/// its signature is checked); more are answered 503 at once.
pub const MAX_WEBHOOK_BODY_READS: usize = 4;

/// Longest a webhook body may take to arrive (GitHub itself gives up on a
/// delivery after 10 seconds).
pub const WEBHOOK_BODY_TIMEOUT: Duration = Duration::from_secs(30);

/// The webhook route's configuration and its queue. Cheap to clone.
#[derive(Clone)]
pub struct GithubWebhook {
    inner: Arc<Inner>,
    /// Where queued pull-request plans are recorded (who: `github:<sender>`).
    audit: Option<Store>,
}

struct Inner {
    secret_env: String,
    /// `None`: the variable was unset or empty; the route answers 503.
    secret: Option<Vec<u8>>,
    queue: Option<PrJobQueue>,
    /// Permits for reading an unverified body.
    body_reads: Semaphore,
}

impl std::fmt::Debug for GithubWebhook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GithubWebhook")
            .field("secret_env", &self.inner.secret_env)
            .field("secret", &self.inner.secret.as_ref().map(|_| "[set]"))
            .finish()
    }
}

impl GithubWebhook {
    /// No secret: the route answers 503 saying to set `secret_env`.
    pub fn disabled(secret_env: &str) -> Self {
        GithubWebhook {
            inner: Arc::new(Inner {
                secret_env: secret_env.to_string(),
                secret: None,
                queue: None,
                body_reads: Semaphore::new(MAX_WEBHOOK_BODY_READS),
            }),
            audit: None,
        }
    }

    /// Verified events go to `queue`.
    pub fn new(secret_env: &str, secret: Vec<u8>, queue: PrJobQueue) -> Self {
        GithubWebhook {
            inner: Arc::new(Inner {
                secret_env: secret_env.to_string(),
                secret: Some(secret).filter(|s| !s.is_empty()),
                queue: Some(queue),
                body_reads: Semaphore::new(MAX_WEBHOOK_BODY_READS),
            }),
            audit: None,
        }
    }

    /// Records every pull-request plan the webhook queues in `store`'s audit trail.
    pub fn audited(mut self, store: Store) -> Self {
        self.audit = Some(store);
        self
    }

    /// The secret from the environment variable `secret_env` (surrounding
    /// whitespace trimmed), or `None` when it is unset or empty.
    pub fn secret_from_env(secret_env: &str) -> Option<Vec<u8>> {
        std::env::var(secret_env)
            .ok()
            .map(|s| s.trim().as_bytes().to_vec())
            .filter(|s| !s.is_empty())
    }
}

/// `sha256=<hex>` of `body` under `secret`, as GitHub sends it: the same
/// scheme our own webhooks are signed with.
pub use crate::signature::sign as signature;
use crate::signature::{parse as parse_signature, verify};

enum BodyError {
    TooLarge,
    Failed(String),
}

/// The body, refused as soon as it passes `limit` bytes.
async fn read_limited(mut body: Body, limit: usize) -> Result<Vec<u8>, BodyError> {
    let mut buf = Vec::new();
    while let Some(frame) = std::future::poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await {
        let frame = frame.map_err(|e| BodyError::Failed(e.to_string()))?;
        if let Ok(data) = frame.into_data() {
            if buf.len() + data.len() > limit {
                return Err(BodyError::TooLarge);
            }
            buf.extend_from_slice(&data);
        }
    }
    Ok(buf)
}

fn too_large() -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        format!(
            "the webhook body is larger than {} MiB",
            MAX_WEBHOOK_BODY_BYTES / (1024 * 1024)
        ),
    )
}

const HANDLED_ACTIONS: &[&str] = &["opened", "synchronize", "reopened"];

pub(crate) async fn handle(
    hook: GithubWebhook,
    headers: HeaderMap,
    peer: Option<String>,
    body: Body,
) -> Result<Response, ApiError> {
    let inner = &hook.inner;
    let (Some(secret), Some(queue)) = (&inner.secret, &inner.queue) else {
        return Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "the GitHub webhook is not configured: set {} to the webhook's secret and restart `driftcost serve`",
                inner.secret_env
            ),
        ));
    };
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let delivery = header("x-github-delivery").unwrap_or("-").to_string();
    // Everything that can be refused without the body is refused first.
    if parse_signature(header("x-hub-signature-256")).is_none() {
        tracing::warn!(%delivery, "GitHub webhook without a well-formed signature refused");
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "missing or malformed X-Hub-Signature-256 (expected sha256=<64 hex digits>); set the webhook's secret in GitHub",
        ));
    }
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_WEBHOOK_BODY_BYTES as u64) {
        return Err(too_large());
    }
    let Ok(_permit) = inner.body_reads.try_acquire() else {
        tracing::warn!(%delivery, "GitHub webhook refused: too many bodies being read");
        return Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "too many webhook deliveries are being received at once; redeliver the event later",
        ));
    };
    let body = match tokio::time::timeout(
        WEBHOOK_BODY_TIMEOUT,
        read_limited(body, MAX_WEBHOOK_BODY_BYTES),
    )
    .await
    {
        Err(_) => {
            return Err(ApiError::new(
                StatusCode::REQUEST_TIMEOUT,
                format!(
                    "the webhook body did not arrive within {} s",
                    WEBHOOK_BODY_TIMEOUT.as_secs()
                ),
            ));
        }
        Ok(Err(BodyError::TooLarge)) => return Err(too_large()),
        Ok(Err(BodyError::Failed(e))) => {
            return Err(ApiError::bad_request(format!(
                "the webhook body could not be read: {e}"
            )));
        }
        Ok(Ok(body)) => body,
    };
    if !verify(secret, &body, header("x-hub-signature-256")) {
        tracing::warn!(%delivery, "GitHub webhook with a missing or wrong signature refused");
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "missing or wrong X-Hub-Signature-256; the webhook's secret in GitHub must equal the server's",
        ));
    }
    let event = header("x-github-event").unwrap_or_default().to_string();
    let payload: Value = serde_json::from_slice(&body).map_err(|e| {
        ApiError::bad_request(format!(
            "the webhook body is not JSON: {e}; send content type application/json from GitHub"
        ))
    })?;
    if event == "ping" {
        tracing::info!(%delivery, "GitHub webhook ping");
        return Ok((StatusCode::OK, Json(json!({"status": "pong"}))).into_response());
    }
    let action = payload["action"].as_str().unwrap_or_default();
    if event != "pull_request" || !HANDLED_ACTIONS.contains(&action) {
        let what = if event == "pull_request" {
            format!(
                "pull_request action `{action}` is not planned (only opened, synchronize, reopened)"
            )
        } else {
            format!("event `{event}` is not handled (only pull_request and ping)")
        };
        return Ok(accepted(json!({ "ignored": what })));
    }
    let job = PrJob::from_payload(&payload).map_err(ApiError::bad_request)?;
    match queue.push(job.clone()) {
        Ok(true) => {
            tracing::info!(%delivery, repo = %job.repo, pr = job.pr, head = %job.head_sha, "pull request queued");
            if let Some(store) = &hook.audit {
                let sender = payload["sender"]["login"].as_str().unwrap_or("unknown");
                let mut event = AuditEvent::new(
                    format!("github:{sender}"),
                    AuditVia::Webhook,
                    AuditAction::ScanTriggered,
                )
                .target(format!("{}#{} at {}", job.repo, job.pr, job.head_sha))
                .detail(format!("pull request plan queued (delivery {delivery})"));
                event.remote = peer;
                if let Err(e) = store.audit().record(event).await {
                    tracing::error!(error = %e, "cannot write the audit trail");
                }
            }
            Ok(accepted(json!({
                "queued": true,
                "repo": job.repo,
                "pr": job.pr,
                "head_sha": job.head_sha,
            })))
        }
        Ok(false) => Ok(accepted(json!({
            "ignored": format!("{}#{} at {} is already queued or being worked on", job.repo, job.pr, job.head_sha),
        }))),
        Err(()) => Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "the pull-request queue is full; redeliver the event from the webhook's settings later",
        )),
    }
}

fn accepted(body: Value) -> Response {
    (StatusCode::ACCEPTED, Json(body)).into_response()
}
