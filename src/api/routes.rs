//! The routes: one table ([`ROUTES`]) says which exist and what role each
//! needs; the router is built from it, and a test holds it equal to
//! `openapi.json`, so the document cannot silently fall behind.
//!
//! Response bodies (records from the backend are passed through unchanged):
//! - `POST /v1/workspaces/{name}/scans` → 202
//!   `{"run_id": 42, "status": "queued", "created": true}` and
//!   `Location: /v1/runs/42`; optional body `{"reason": "…"}`.
//! - `GET /v1/runs/{id}` → the run record (with `policies`, and `approval`
//!   when a policy asks for one).
//! - `POST /v1/runs/{id}/approve` and `/reject` (role approver) → see `approvals.rs`.
//! - `GET /v1/workspaces` → `{"workspaces": [summary, …]}`.
//! - `GET /v1/workspaces/{name}` → latest drift and cost record.
//! - `GET /v1/workspaces/{name}/runs?limit=&before=` →
//!   `{"workspace": "…", "runs": [record, …], "next": 17 | null}`; pass `next`
//!   as `before` for the following (older) page.
//! - `GET /v1/audit?…` (admin) and `GET /v1/report?since=` → see `audit.rs`.
//! - `GET /healthz` → `{"status": "ok"}` when the run store answers a cheap
//!   query, else 503 with the error body; `GET /metrics` → Prometheus text;
//!   `GET /v1/openapi.json` → the OpenAPI 3.1 document.
//! - `POST /v1/github/webhook` → see `github_webhook.rs` (no bearer token;
//!   GitHub's signature, and its own 25 MiB body limit).

use super::auth::{Guard, require_role};
use super::backend::{ApiBackend, Caller, Role};
use super::error::ApiError;
use super::github_webhook::GithubWebhook;
use super::metrics;
use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::connect_info::ConnectInfo;
use axum::extract::rejection::{BytesRejection, PathRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Extension};
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get, post};
use serde::Deserialize;
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;

/// The OpenAPI document, kept in the repository next to this file.
pub(crate) const OPENAPI_JSON: &str = include_str!("openapi.json");

/// Page size of `GET /v1/workspaces/{name}/runs` when `limit` is not given.
pub const DEFAULT_PAGE: u32 = 20;
/// Largest page; a larger `limit` is lowered to this.
pub const MAX_PAGE: u32 = 100;
/// Longest `reason` accepted in a scan request, in characters.
const MAX_REASON_CHARS: usize = 1000;

/// One route: method, path in axum/OpenAPI template syntax, required role
/// (`None`: no token needed).
#[derive(Debug, Clone)]
pub(crate) struct Route {
    pub(crate) method: Method,
    pub(crate) path: &'static str,
    pub(crate) role: Option<Role>,
}

const fn route(method: Method, path: &'static str, role: Option<Role>) -> Route {
    Route { method, path, role }
}

pub(crate) const ROUTES: &[Route] = &[
    route(
        Method::POST,
        "/v1/workspaces/{name}/scans",
        Some(Role::Trigger),
    ),
    route(Method::GET, "/v1/runs/{id}", Some(Role::Read)),
    route(Method::POST, "/v1/runs/{id}/approve", Some(Role::Approver)),
    route(Method::POST, "/v1/runs/{id}/reject", Some(Role::Approver)),
    route(Method::GET, "/v1/workspaces", Some(Role::Read)),
    route(Method::GET, "/v1/workspaces/{name}", Some(Role::Read)),
    route(Method::GET, "/v1/workspaces/{name}/runs", Some(Role::Read)),
    route(Method::GET, "/v1/report", Some(Role::Read)),
    route(Method::GET, "/v1/audit", Some(Role::Admin)),
    route(Method::GET, "/metrics", Some(Role::Read)),
    route(Method::GET, "/healthz", None),
    route(Method::GET, "/v1/openapi.json", None),
    // Signed by GitHub (X-Hub-Signature-256), not a bearer token.
    route(Method::POST, "/v1/github/webhook", None),
];

/// The router over `backend`, without the outer layers (JSON errors,
/// tracing). Every route but the webhook (which only queues, and whose
/// deliveries GitHub times out on its own) answers 503 after `timeout`.
pub(crate) fn build<B: ApiBackend>(backend: Arc<B>, timeout: Duration) -> Router {
    let mut router = Router::new();
    for r in ROUTES {
        let mut handler = handler_for::<B>(r);
        if let Some(required) = r.role {
            let guard = Guard {
                backend: Arc::clone(&backend),
                required,
            };
            handler = handler.route_layer(axum::middleware::from_fn_with_state(
                guard,
                require_role::<B>,
            ));
        }
        if r.path != WEBHOOK_PATH {
            // The webhook reads its body itself, after checks that need no
            // body (github_webhook.rs), with its own limit.
            let limit = super::MAX_BODY_BYTES;
            handler = handler
                .route_layer(RequestBodyLimitLayer::new(limit))
                .route_layer(DefaultBodyLimit::max(limit));
            // Outermost, so a slow token check counts too.
            handler = handler.route_layer(TimeoutLayer::with_status_code(
                StatusCode::SERVICE_UNAVAILABLE,
                timeout,
            ));
        }
        router = router.route(r.path, handler);
    }
    router.fallback(no_route).with_state(backend)
}

fn handler_for<B: ApiBackend>(r: &Route) -> MethodRouter<Arc<B>> {
    match (r.method.as_str(), r.path) {
        ("POST", "/v1/workspaces/{name}/scans") => post(trigger_scan::<B>),
        ("GET", "/v1/runs/{id}") => get(get_run::<B>),
        ("POST", "/v1/runs/{id}/approve") => post(super::approvals::approve::<B>),
        ("POST", "/v1/runs/{id}/reject") => post(super::approvals::reject::<B>),
        ("GET", "/v1/workspaces") => get(list_workspaces::<B>),
        ("GET", "/v1/workspaces/{name}") => get(get_workspace::<B>),
        ("GET", "/v1/workspaces/{name}/runs") => get(list_runs::<B>),
        ("GET", "/v1/report") => get(super::audit::get_report::<B>),
        ("GET", "/v1/audit") => get(super::audit::list_audit::<B>),
        ("GET", "/metrics") => get(get_metrics::<B>),
        ("GET", "/healthz") => get(healthz::<B>),
        ("GET", "/v1/openapi.json") => get(openapi),
        ("POST", WEBHOOK_PATH) => post(github_webhook),
        (m, p) => unreachable!("route {m} {p} is listed in ROUTES but has no handler"),
    }
}

async fn no_route(method: Method, uri: Uri) -> ApiError {
    ApiError::not_found(format!(
        "no route for {method} {}; the routes are listed at /v1/openapi.json",
        uri.path()
    ))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ScanRequest {
    reason: Option<String>,
}

async fn trigger_scan<B: ApiBackend>(
    State(backend): State<Arc<B>>,
    caller: Option<Extension<Caller>>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    name: Result<Path<String>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let Path(name) = name.map_err(|e| ApiError::bad_request(e.body_text()))?;
    let body = body.map_err(|e| match e.status() {
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::body_too_large(),
        status => ApiError::new(status, e.body_text()),
    })?;
    let request = parse_scan_request(&body)?;
    if !backend.known_workspace(&name) {
        return Err(unknown_workspace(&name));
    }
    let reason = request.reason.as_deref();
    let (run_id, created) = backend.trigger(&name, reason).await?;
    super::audit::record_scan_triggered(
        &*backend,
        caller.as_ref().map(|Extension(c)| c),
        peer.map(|Extension(ConnectInfo(a))| a.ip().to_string()),
        &name,
        run_id,
        created,
        reason,
    )
    .await;
    tracing::info!(workspace = %name, run_id, created, reason, "scan requested");
    let mut res = (
        StatusCode::ACCEPTED,
        Json(json!({"run_id": run_id, "status": "queued", "created": created})),
    )
        .into_response();
    if let Ok(location) = HeaderValue::from_str(&format!("/v1/runs/{run_id}")) {
        res.headers_mut().insert(header::LOCATION, location);
    }
    Ok(res)
}

/// No body (or only whitespace) is a scan without a reason; anything else
/// must be `{"reason": "…"}`.
fn parse_scan_request(body: &[u8]) -> Result<ScanRequest, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(ScanRequest { reason: None });
    }
    let invalid = |problem: String| {
        ApiError::bad_request(format!(
            "the request body is not a valid scan request: {problem}; send no body or {{\"reason\": \"<text>\"}}"
        ))
    };
    // serde would also read a struct from an array; only an object is meant.
    if body.trim_ascii_start().first() != Some(&b'{') {
        return Err(invalid(match serde_json::from_slice::<Value>(body) {
            Err(e) => e.to_string(),
            Ok(v) => format!("expected a JSON object, got {}", json_kind(&v)),
        }));
    }
    let request: ScanRequest = serde_json::from_slice(body).map_err(|e| invalid(e.to_string()))?;
    if let Some(reason) = &request.reason
        && reason.chars().count() > MAX_REASON_CHARS
    {
        return Err(ApiError::bad_request(format!(
            "`reason` is longer than {MAX_REASON_CHARS} characters; shorten it"
        )));
    }
    Ok(request)
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn unknown_workspace(name: &str) -> ApiError {
    ApiError::not_found(format!(
        "no workspace named `{name}` in the loaded job files; GET /v1/workspaces lists them"
    ))
}

async fn get_run<B: ApiBackend>(
    State(backend): State<Arc<B>>,
    id: Result<Path<i64>, PathRejection>,
) -> Result<Json<Value>, ApiError> {
    let Path(id) = id.map_err(|e| {
        ApiError::bad_request(format!("the run id must be an integer: {}", e.body_text()))
    })?;
    backend
        .run(id)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("no run with id {id}")))
}

async fn list_workspaces<B: ApiBackend>(
    State(backend): State<Arc<B>>,
) -> Result<Json<Value>, ApiError> {
    let workspaces = backend.workspaces().await?;
    Ok(Json(json!({ "workspaces": workspaces })))
}

async fn get_workspace<B: ApiBackend>(
    State(backend): State<Arc<B>>,
    name: Result<Path<String>, PathRejection>,
) -> Result<Json<Value>, ApiError> {
    let Path(name) = name.map_err(|e| ApiError::bad_request(e.body_text()))?;
    match backend.workspace(&name).await? {
        Some(v) => Ok(Json(v)),
        None if backend.known_workspace(&name) => Err(ApiError::not_found(format!(
            "workspace `{name}` has no finished scan yet; POST /v1/workspaces/{name}/scans starts one"
        ))),
        None => Err(unknown_workspace(&name)),
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RunsQuery {
    limit: Option<u32>,
    before: Option<i64>,
}

async fn list_runs<B: ApiBackend>(
    State(backend): State<Arc<B>>,
    name: Result<Path<String>, PathRejection>,
    query: Result<Query<RunsQuery>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let Path(name) = name.map_err(|e| ApiError::bad_request(e.body_text()))?;
    let Query(q) = query.map_err(|e| {
        ApiError::bad_request(format!(
            "{}; use `limit` (1..={MAX_PAGE}) and `before` (a run id from `next`)",
            e.body_text()
        ))
    })?;
    let limit = match q.limit {
        Some(0) => return Err(ApiError::bad_request("`limit` must be at least 1")),
        Some(n) => n.min(MAX_PAGE),
        None => DEFAULT_PAGE,
    };
    // One more than asked tells whether an older page exists.
    let mut runs = backend.runs(&name, limit + 1, q.before).await?;
    if runs.is_empty() && q.before.is_none() && !backend.known_workspace(&name) {
        return Err(unknown_workspace(&name));
    }
    let next = if runs.len() > limit as usize {
        runs.truncate(limit as usize);
        let last = runs
            .last()
            .and_then(|r| r.get("id"))
            .and_then(Value::as_i64);
        Some(last.ok_or_else(|| {
            tracing::error!(workspace = %name, "backend run record has no integer `id`");
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal error; the server log has the cause",
            )
        })?)
    } else {
        None
    };
    Ok(Json(json!({"workspace": name, "runs": runs, "next": next})))
}

async fn get_metrics<B: ApiBackend>(State(backend): State<Arc<B>>) -> Result<Response, ApiError> {
    let m = backend.metrics().await?;
    Ok((
        [(header::CONTENT_TYPE, metrics::CONTENT_TYPE)],
        metrics::render(&m),
    )
        .into_response())
}

const WEBHOOK_PATH: &str = "/v1/github/webhook";

async fn github_webhook(
    Extension(hook): Extension<GithubWebhook>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    body: axum::body::Body,
) -> Result<Response, ApiError> {
    let peer = peer.map(|Extension(ConnectInfo(a))| a.ip().to_string());
    super::github_webhook::handle(hook, headers, peer, body).await
}

/// Open (no token): load balancers probe it. The client learns which part
/// failed, never the cause (which may hold a database URL); the log has it.
async fn healthz<B: ApiBackend>(State(backend): State<Arc<B>>) -> Result<Json<Value>, ApiError> {
    backend.health().await.map_err(|e| {
        tracing::error!(error = %e, "health check failed");
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "the run store did not answer the health check; the server log has the cause",
        )
    })?;
    Ok(Json(json!({"status": "ok"})))
}

async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI_JSON).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn scan_request_body_is_optional_and_strict() {
        assert!(parse_scan_request(b"").unwrap().reason.is_none());
        assert!(parse_scan_request(b" \n").unwrap().reason.is_none());
        assert!(parse_scan_request(b"{}").unwrap().reason.is_none());
        let r = parse_scan_request(br#"{"reason":"deploy check"}"#).unwrap();
        assert_eq!(r.reason.as_deref(), Some("deploy check"));

        let e = format!("{:?}", parse_scan_request(br#"{"reason": 3}"#).unwrap_err());
        assert!(e.contains("invalid type: integer `3`"), "{e}");
        let e = format!("{:?}", parse_scan_request(br#"{"reson":"x"}"#).unwrap_err());
        assert!(e.contains("unknown field `reson`"), "{e}");
        let e = format!("{:?}", parse_scan_request(b"{\"reason\":").unwrap_err());
        assert!(e.contains("EOF while parsing"), "{e}");
        let long = format!(r#"{{"reason":"{}"}}"#, "x".repeat(MAX_REASON_CHARS + 1));
        assert!(parse_scan_request(long.as_bytes()).is_err());
    }

    /// Every route the router serves is in openapi.json with the same method,
    /// and the document lists nothing the router does not serve; routes that
    /// need a token say so (`security` not empty), the others opt out.
    #[test]
    fn openapi_document_matches_the_route_table() {
        let doc: Value = serde_json::from_str(OPENAPI_JSON).expect("openapi.json is valid JSON");
        assert_eq!(doc["openapi"].as_str().unwrap().get(..3), Some("3.1"));
        let mut documented = BTreeSet::new();
        for (path, item) in doc["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                if method == "parameters" {
                    continue;
                }
                let open = op.get("security").is_some_and(|s| s == &json!([]));
                documented.insert((method.to_uppercase(), path.clone(), !open));
            }
        }
        let served: BTreeSet<_> = ROUTES
            .iter()
            .map(|r| (r.method.to_string(), r.path.to_string(), r.role.is_some()))
            .collect();
        assert_eq!(served, documented);
        assert!(doc["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer");
        assert!(doc["components"]["schemas"]["Error"].is_object());
    }

    /// The answers any route can get (from hyper or the router, before a
    /// handler runs) are documented on every operation, and every error
    /// code the server sends is in the Error schema.
    #[test]
    fn openapi_documents_every_error_answer() {
        let doc: Value = serde_json::from_str(OPENAPI_JSON).unwrap();
        for (path, item) in doc["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                if method == "parameters" {
                    continue;
                }
                for status in ["400", "405", "414", "431"] {
                    assert!(
                        op["responses"].get(status).is_some(),
                        "{method} {path} does not document {status}"
                    );
                }
            }
        }
        let codes: Vec<&str> = doc["components"]["schemas"]["Error"]["properties"]["error"]
            ["properties"]["code"]["enum"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_str)
            .collect();
        for status in [
            400, 401, 403, 404, 405, 408, 409, 413, 414, 415, 422, 431, 500, 503,
        ] {
            let code = super::super::error::code_for_status(StatusCode::from_u16(status).unwrap());
            assert!(
                codes.contains(&code),
                "{code} ({status}) not in the Error schema"
            );
        }
        let unavailable = &doc["components"]["responses"]["Unavailable"];
        assert!(unavailable["headers"]["Retry-After"].is_object());
        assert!(doc["components"]["responses"]["MethodNotAllowed"]["headers"]["Allow"].is_object());
    }
}
