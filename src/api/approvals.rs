//! `POST /v1/runs/{id}/approve` and `POST /v1/runs/{id}/reject` (role
//! `approver` or `admin`), and the same decision from the run page
//! (`pages/run.rs` calls [`decide`]).
//!
//! - Body: `{"reason": "…"}`; the reason is required to reject, optional to
//!   approve (no body is an approval without a reason), at most
//!   [`MAX_APPROVAL_REASON_CHARS`] characters.
//! - 200 `{"run_id", "workspace", "decision": {…}, "summary": "approved by …"}`;
//!   400 for a bad body (naming the field); 404 for an unknown run; 409 when
//!   the run does not ask for an approval, is not finished, or was decided
//!   already (also by carrying an earlier approval forward).
//! - Every answer but a 400 is recorded in the audit trail as
//!   `approval_given`: decided → `ok` (detail `approved: <reason>`), 404 and
//!   409 → `failed`, too weak a role → `denied` (recorded by the auth
//!   middleware, `auth.rs`).

use super::backend::{ApiBackend, Caller};
use super::error::ApiError;
use crate::store::{
    AuditAction, AuditEvent, AuditResult, AuditVia, Decided, Decision, MAX_APPROVAL_REASON_CHARS,
};
use axum::Json;
use axum::body::Bytes;
use axum::extract::connect_info::ConnectInfo;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Extension, Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::sync::Arc;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DecisionRequest {
    reason: Option<String>,
}

/// The reason of a decision request body (see the module doc).
pub(crate) fn parse_decision_request(
    body: &[u8],
    decision: Decision,
) -> Result<Option<String>, ApiError> {
    let verb = match decision {
        Decision::Approved => "approve",
        Decision::Rejected => "reject",
    };
    let invalid = |problem: String| {
        ApiError::bad_request(format!(
            "the request body is not a valid {verb} request: {problem}; send {{\"reason\": \"<text>\"}}"
        ))
    };
    let reason = if body.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        if body.trim_ascii_start().first() != Some(&b'{') {
            return Err(invalid(match serde_json::from_slice::<Value>(body) {
                Err(e) => e.to_string(),
                Ok(_) => "expected a JSON object".into(),
            }));
        }
        let r: DecisionRequest =
            serde_json::from_slice(body).map_err(|e| invalid(format!("`reason`: {e}")))?;
        r.reason
    };
    check_reason(reason.as_deref(), decision)?;
    Ok(reason
        .map(|r| r.trim().to_string())
        .filter(|r| !r.is_empty()))
}

/// A reason within the limit, present (not blank) to reject.
pub(crate) fn check_reason(reason: Option<&str>, decision: Decision) -> Result<(), ApiError> {
    if let Some(r) = reason
        && r.chars().count() > MAX_APPROVAL_REASON_CHARS
    {
        return Err(ApiError::bad_request(format!(
            "`reason` is longer than {MAX_APPROVAL_REASON_CHARS} characters; shorten it"
        )));
    }
    if decision == Decision::Rejected && reason.is_none_or(|r| r.trim().is_empty()) {
        return Err(ApiError::bad_request(
            "`reason` is required to reject a run: say why, e.g. {\"reason\": \"the database must not change size\"}",
        ));
    }
    Ok(())
}

/// Records `caller`'s decision on run `id` through `backend` and its audit
/// entry (`via` the API or a page, from `remote`): the decision and its
/// summary, or the error to answer.
pub(crate) async fn decide<B: ApiBackend>(
    backend: &B,
    caller: &Caller,
    via: AuditVia,
    remote: Option<String>,
    id: i64,
    decision: Decision,
    reason: Option<String>,
) -> Result<Value, ApiError> {
    let mut event = AuditEvent::new(caller.label.clone(), via, AuditAction::ApprovalGiven)
        .role(caller.role.into())
        .target(format!("run {id}"));
    event.remote = remote;
    let answer = backend.decide(id, decision, caller, reason.clone()).await;
    let (event, result) = match answer {
        Err(e) => (
            event
                .result(AuditResult::Failed)
                .detail(format!("{decision}: the run store failed")),
            Err(e.into()),
        ),
        Ok(Decided::Decided(d)) => {
            let detail = match &d.reason {
                Some(r) => format!("{decision}: {r}"),
                None => decision.to_string(),
            };
            let summary = d.summary();
            (
                event.workspace(d.workspace.clone()).detail(detail),
                Ok(json!({
                    "run_id": id,
                    "workspace": d.workspace,
                    "decision": d,
                    "summary": summary,
                })),
            )
        }
        Ok(Decided::NoSuchRun) => (
            event
                .result(AuditResult::Failed)
                .detail(format!("{decision}: no such run")),
            Err(ApiError::not_found(format!("no run with id {id}"))),
        ),
        Ok(Decided::NotNeeded { workspace, why }) => (
            event
                .workspace(workspace)
                .result(AuditResult::Failed)
                .detail(format!("{decision}: {why}")),
            Err(ApiError::new(StatusCode::CONFLICT, why)),
        ),
        Ok(Decided::AlreadyDecided(d)) => {
            let why = format!(
                "run {id} was decided already: {}; a new decision needs a new run whose drift or findings differ",
                d.summary()
            );
            (
                event
                    .workspace(d.workspace.clone())
                    .result(AuditResult::Failed)
                    .detail(format!("{decision}: already decided")),
                Err(ApiError::new(StatusCode::CONFLICT, why)),
            )
        }
    };
    if let Err(e) = backend.record_audit(event).await {
        tracing::error!(error = %e, "cannot write the audit trail");
    }
    if result.is_ok() {
        tracing::info!(run = id, %decision, actor = %caller.label, "approval decided");
    }
    result
}

/// Records a decision refused for too weak a role (`denied`), from the
/// auth middleware; `path` is the request's path (`/v1/runs/7/approve`).
pub(crate) async fn record_denied<B: ApiBackend>(
    backend: &B,
    caller: &Caller,
    via: AuditVia,
    remote: Option<String>,
    path: &str,
) {
    let run = path
        .trim_end_matches('/')
        .rsplit_once('/')
        .and_then(|(rest, _)| rest.rsplit_once('/'))
        .map(|(_, id)| id.to_string());
    let mut event = AuditEvent::new(caller.label.clone(), via, AuditAction::ApprovalGiven)
        .role(caller.role.into())
        .result(AuditResult::Denied)
        .detail(format!(
            "the token's role `{}` may not approve or reject runs (needs approver or admin)",
            caller.role.as_str()
        ));
    event.remote = remote;
    if let Some(run) = run {
        event = event.target(format!("run {run}"));
    }
    if let Err(e) = backend.record_audit(event).await {
        tracing::error!(error = %e, "cannot write the audit trail");
    }
}

async fn handle<B: ApiBackend>(
    decision: Decision,
    backend: Arc<B>,
    caller: Option<Extension<Caller>>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    id: Result<Path<i64>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Value>, ApiError> {
    let Path(id) = id.map_err(|e| {
        ApiError::bad_request(format!("the run id must be an integer: {}", e.body_text()))
    })?;
    let body = body.map_err(|e| match e.status() {
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::body_too_large(),
        status => ApiError::new(status, e.body_text()),
    })?;
    let reason = parse_decision_request(&body, decision)?;
    // The auth middleware put the caller there; without it nobody is known.
    let Some(Extension(caller)) = caller else {
        return Err(ApiError::unauthorized("no authorized caller", false));
    };
    let remote = peer.map(|Extension(ConnectInfo(a))| a.ip().to_string());
    decide(
        &*backend,
        &caller,
        AuditVia::Api,
        remote,
        id,
        decision,
        reason,
    )
    .await
    .map(Json)
}

pub(crate) async fn approve<B: ApiBackend>(
    State(backend): State<Arc<B>>,
    caller: Option<Extension<Caller>>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    id: Result<Path<i64>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Value>, ApiError> {
    handle(Decision::Approved, backend, caller, peer, id, body).await
}

pub(crate) async fn reject<B: ApiBackend>(
    State(backend): State<Arc<B>>,
    caller: Option<Extension<Caller>>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    id: Result<Path<i64>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Value>, ApiError> {
    handle(Decision::Rejected, backend, caller, peer, id, body).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(e: ApiError) -> String {
        format!("{e:?}")
    }

    #[test]
    fn decision_bodies_are_strict_and_a_rejection_says_why() {
        assert_eq!(
            parse_decision_request(b"", Decision::Approved).unwrap(),
            None
        );
        assert_eq!(
            parse_decision_request(br#"{"reason": " ok "}"#, Decision::Approved).unwrap(),
            Some("ok".into())
        );
        assert_eq!(
            parse_decision_request(br#"{"reason": "no"}"#, Decision::Rejected).unwrap(),
            Some("no".into())
        );
        for (body, decision, says) in [
            (&b""[..], Decision::Rejected, "`reason` is required"),
            (
                br#"{"reason": "  "}"#,
                Decision::Rejected,
                "`reason` is required",
            ),
            (
                br#"{"reason": 3}"#,
                Decision::Approved,
                "`reason`: invalid type",
            ),
            (
                br#"{"reson": "x"}"#,
                Decision::Approved,
                "unknown field `reson`",
            ),
            (b"[1]", Decision::Approved, "expected a JSON object"),
            (b"{\"reason\":", Decision::Approved, "EOF while parsing"),
        ] {
            let e = message(parse_decision_request(body, decision).unwrap_err());
            assert!(e.contains(says), "{e}");
        }
        let long = format!(
            r#"{{"reason":"{}"}}"#,
            "x".repeat(MAX_APPROVAL_REASON_CHARS + 1)
        );
        let e = message(parse_decision_request(long.as_bytes(), Decision::Approved).unwrap_err());
        assert!(e.contains("`reason` is longer than 1000"), "{e}");
    }
}
