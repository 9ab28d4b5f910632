//! `GET /v1/audit` (role `admin`), `GET /v1/report` (role `read`), and the
//! audit records the API writes: scans triggered (and refused) with the
//! token's label and role and the peer address.
//!
//! - `GET /v1/audit?since=&until=&actor=&action=&workspace=&limit=&before=` →
//!   `{"entries": [entry, …], "next": 17 | null}`, newest first; `since` and
//!   `until` are RFC 3339 times or periods back from now (`30d`, `12h`);
//!   `limit` 1..=[`MAX_AUDIT_PAGE`] (default [`DEFAULT_AUDIT_PAGE`]); pass
//!   `next` as `before` for the older page.
//! - `GET /v1/report?since=30d` → the fleet report JSON (`"version": "1"`).

use super::backend::{ApiBackend, Caller};
use super::error::ApiError;
use crate::report::parse_since;
use crate::store::{AuditAction, AuditEvent, AuditFilter, AuditResult, AuditVia};
use axum::Json;
use axum::extract::connect_info::ConnectInfo;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{Extensions, StatusCode};
use chrono::Utc;
use serde::Deserialize;
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::sync::Arc;

/// Largest page of `GET /v1/audit`.
pub const MAX_AUDIT_PAGE: u32 = 1000;
/// Page size of `GET /v1/audit` when `limit` is not given.
pub const DEFAULT_AUDIT_PAGE: u32 = 100;

/// The peer address of the connection, when the server knows it.
pub(crate) fn remote(ext: &Extensions) -> Option<String> {
    ext.get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(a)| a.ip().to_string())
}

fn event(caller: &Caller, remote: Option<String>, action: AuditAction) -> AuditEvent {
    let mut e =
        AuditEvent::new(caller.label.clone(), AuditVia::Api, action).role(match caller.role {
            super::Role::Read => crate::store::Role::Read,
            super::Role::Trigger => crate::store::Role::Trigger,
            super::Role::Approver => crate::store::Role::Approver,
            super::Role::Admin => crate::store::Role::Admin,
        });
    e.remote = remote;
    e
}

/// Records; a trail that cannot be written is logged, and the answer
/// already decided stands (the action itself has happened or been refused).
async fn record<B: ApiBackend>(backend: &B, e: AuditEvent) {
    if let Err(err) = backend.record_audit(e).await {
        tracing::error!(error = %err, "cannot write the audit trail");
    }
}

pub(crate) async fn record_scan_denied<B: ApiBackend>(
    backend: &B,
    caller: &Caller,
    remote: Option<String>,
    workspace: Option<String>,
) {
    let mut e = event(caller, remote, AuditAction::ScanTriggered)
        .result(AuditResult::Denied)
        .detail("the token's role may not trigger scans");
    e.workspace = workspace;
    record(backend, e).await;
}

pub(crate) async fn record_scan_triggered<B: ApiBackend>(
    backend: &B,
    caller: Option<&Caller>,
    remote: Option<String>,
    workspace: &str,
    run_id: i64,
    created: bool,
    reason: Option<&str>,
) {
    let unknown = Caller {
        role: super::Role::Trigger,
        label: String::new(),
    };
    let mut detail = if created {
        "queued".to_string()
    } else {
        "already queued or running".to_string()
    };
    if let Some(r) = reason {
        detail.push_str(&format!("; reason: {r}"));
    }
    let e = event(
        caller.unwrap_or(&unknown),
        remote,
        AuditAction::ScanTriggered,
    )
    .workspace(workspace)
    .target(format!("run {run_id}"))
    .detail(detail);
    record(backend, e).await;
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AuditQuery {
    since: Option<String>,
    until: Option<String>,
    actor: Option<String>,
    action: Option<String>,
    workspace: Option<String>,
    limit: Option<u32>,
    before: Option<i64>,
}

fn bad_query(e: QueryRejection) -> ApiError {
    ApiError::bad_request(format!(
        "{}; use since, until (RFC 3339 or `30d`), actor, action, workspace, limit (1..={MAX_AUDIT_PAGE}) and before",
        e.body_text()
    ))
}

pub(crate) async fn list_audit<B: ApiBackend>(
    State(backend): State<Arc<B>>,
    query: Result<Query<AuditQuery>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let Query(q) = query.map_err(bad_query)?;
    let now = Utc::now();
    let time = |name: &str, v: &Option<String>| {
        v.as_deref()
            .map(|t| {
                parse_since(t, now).map_err(|e| ApiError::bad_request(format!("`{name}`: {e}")))
            })
            .transpose()
    };
    let limit = match q.limit {
        Some(0) => return Err(ApiError::bad_request("`limit` must be at least 1")),
        Some(n) => n.min(MAX_AUDIT_PAGE),
        None => DEFAULT_AUDIT_PAGE,
    };
    let filter = AuditFilter {
        since: time("since", &q.since)?,
        until: time("until", &q.until)?,
        actor: q.actor,
        action: q
            .action
            .as_deref()
            .map(|a| {
                a.parse::<AuditAction>()
                    .map_err(|e| ApiError::bad_request(format!("`action`: {e}")))
            })
            .transpose()?,
        workspace: q.workspace,
        before: q.before,
        limit: Some(limit + 1),
    };
    let mut entries = backend.audit(filter).await?;
    let next = if entries.len() > limit as usize {
        entries.truncate(limit as usize);
        entries
            .last()
            .and_then(|e| e.get("id"))
            .and_then(Value::as_i64)
    } else {
        None
    };
    Ok(Json(json!({"entries": entries, "next": next})))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReportQuery {
    since: Option<String>,
}

pub(crate) async fn get_report<B: ApiBackend>(
    State(backend): State<Arc<B>>,
    query: Result<Query<ReportQuery>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let Query(q) = query.map_err(|e| {
        ApiError::bad_request(format!("{}; use since (`30d` or RFC 3339)", e.body_text()))
    })?;
    let since = parse_since(q.since.as_deref().unwrap_or("30d"), Utc::now())
        .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, format!("`since`: {e}")))?;
    Ok(Json(backend.report(since).await?))
}
