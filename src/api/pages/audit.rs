//! `/audit`: the audit trail as a filterable table (role `admin`, as the API's), and the pages' hook for
//! recording what people do (sign-in, failed sign-in, sign-out, "Scan now").
//!
//! - [`entries`] reads the trail through the backend (as `GET /v1/audit`).
//! - [`record`] is the one hook every page action calls: it appends to the
//!   trail (who: the token's label and role, never the token) and writes a
//!   structured log line (`target = "driftcost::audit"`).

use super::format::time;
use super::layout::{Nav, document, html_response};
use super::{PagesState, require};
use crate::api::backend::{ApiBackend, Role};
use crate::store::{
    AuditAction, AuditEvent, AuditFilter, AuditResult, AuditVia, Role as StoreRole,
};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use chrono::{DateTime, Utc};
use maud::html;
use serde::Deserialize;

/// One action a person took through the pages, in the audit trail's terms
/// (via `page`): `action` is its action text, `result` `ok`, `denied` or
/// `failed`.
#[derive(Debug, Clone)]
pub(crate) struct Event<'a> {
    /// `sign_in`, `sign_in_failed`, `scan_triggered`.
    pub action: &'static str,
    pub role: Option<Role>,
    /// From where: the proxy's `X-Forwarded-For` first hop, if any.
    pub remote: Option<String>,
    pub workspace: Option<&'a str>,
    /// What it acted on (`run 42`).
    pub target: Option<String>,
    pub result: &'static str,
    /// Why it was refused, or a note; never a secret.
    pub detail: Option<&'a str>,
}

/// Records `e` in the audit trail, `actor` being the token's label (or
/// `anonymous` for a failed sign-in), and logs it. A trail that cannot be
/// written is logged as an error; the person's action is not undone.
pub(crate) async fn record<B: ApiBackend>(backend: &B, actor: &str, e: &Event<'_>) {
    tracing::info!(
        target: "driftcost::audit",
        actor,
        action = e.action,
        role = e.role.map(Role::as_str),
        remote = e.remote.as_deref(),
        workspace = e.workspace,
        target = e.target.as_deref(),
        result = e.result,
        detail = e.detail,
        via = "page",
        "audit"
    );
    let (Ok(action), Ok(result)) = (
        e.action.parse::<AuditAction>(),
        e.result.parse::<AuditResult>(),
    ) else {
        tracing::error!(
            action = e.action,
            result = e.result,
            "page audit event has no audit-trail name"
        );
        return;
    };
    let mut ev = AuditEvent::new(actor, AuditVia::Page, action).result(result);
    if let Some(r) = e.role {
        ev = ev.role(match r {
            Role::Read => StoreRole::Read,
            Role::Trigger => StoreRole::Trigger,
            Role::Approver => StoreRole::Approver,
            Role::Admin => StoreRole::Admin,
        });
    }
    if let Some(v) = &e.remote {
        ev = ev.remote(v.clone());
    }
    if let Some(v) = e.workspace {
        ev = ev.workspace(v);
    }
    if let Some(v) = &e.target {
        ev = ev.target(v.clone());
    }
    if let Some(v) = e.detail {
        ev = ev.detail(v);
    }
    if let Err(err) = backend.record_audit(ev).await {
        tracing::error!(error = %err, action = e.action, "could not append a page action to the audit trail");
    }
}

/// The client address as the proxy in front reports it (first hop of
/// `X-Forwarded-For`), at most 64 characters.
pub(crate) fn remote(headers: &HeaderMap) -> Option<String> {
    let v = headers.get("x-forwarded-for")?.to_str().ok()?;
    let first = v.split(',').next()?.trim();
    (!first.is_empty()).then(|| first.chars().take(64).collect())
}

/// One row of the trail as the page shows it.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub at: DateTime<Utc>,
    pub actor: String,
    pub role: String,
    pub remote: String,
    pub action: String,
    pub workspace: String,
    pub result: String,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct Filter {
    since: Option<String>,
    until: Option<String>,
    actor: Option<String>,
    action: Option<String>,
    workspace: Option<String>,
}

/// The trail's entries matching `filter`, newest first (at most 500);
/// `None` when the backend cannot read the trail.
async fn entries<B: ApiBackend>(backend: &B, filter: &Filter) -> Option<Vec<Entry>> {
    let day = |d: &Option<String>, end: bool| -> Option<DateTime<Utc>> {
        let d = d.as_deref().map(str::trim).filter(|d| !d.is_empty())?;
        let date = chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()?;
        let date = if end { date.succ_opt()? } else { date };
        Some(date.and_hms_opt(0, 0, 0)?.and_utc())
    };
    let text = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(String::from)
    };
    let q = AuditFilter {
        since: day(&filter.since, false),
        until: day(&filter.until, true),
        actor: text(&filter.actor),
        action: text(&filter.action).and_then(|a| a.parse().ok()),
        workspace: text(&filter.workspace),
        before: None,
        limit: Some(500),
    };
    let rows = backend.audit(q).await.ok()?;
    let field = |v: &serde_json::Value, k: &str| {
        v.get(k)
            .and_then(serde_json::Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    Some(
        rows.iter()
            .filter_map(|v| {
                Some(Entry {
                    at: field(v, "at").parse().ok()?,
                    actor: field(v, "actor"),
                    role: field(v, "role"),
                    remote: field(v, "remote"),
                    action: field(v, "action"),
                    workspace: field(v, "workspace"),
                    result: field(v, "result"),
                })
            })
            .collect(),
    )
}

pub(crate) async fn page<B: ApiBackend>(
    State(state): State<PagesState<B>>,
    headers: HeaderMap,
    uri: Uri,
    query: Result<Query<Filter>, QueryRejection>,
) -> Response {
    // As `GET /v1/audit`: the trail names people and addresses.
    let viewer = match require(&state, &headers, &uri, Role::Admin).await {
        Ok(v) => v,
        Err(res) => return res,
    };
    let f = query.map(|Query(f)| f).unwrap_or_default();
    let rows = entries(&*state.backend, &f).await;
    let field = |label: &'static str,
                 name: &'static str,
                 value: &Option<String>,
                 kind: &'static str| {
        html! { label { (label) input type=(kind) name=(name) value=(value.clone().unwrap_or_default()); } }
    };
    let body = html! {
        h1 { "Audit trail" }
        form.filter method="get" action="/audit" role="search" {
            (field("Since", "since", &f.since, "date"))
            (field("Until", "until", &f.until, "date"))
            (field("Actor (token label)", "actor", &f.actor, "text"))
            (field("Action", "action", &f.action, "text"))
            (field("Workspace", "workspace", &f.workspace, "text"))
            button type="submit" { "Filter" }
        }
        @if rows.is_none() {
            p.note { "This server has no audit trail store yet, so there is nothing to show. Sign-ins and scans started from these pages are written to the server log (target driftcost::audit) meanwhile." }
        }
        div.scroll role="region" aria-label="Audit entries" tabindex="0" {
            table {
                caption { "Who did what, newest first" }
                thead { tr {
                    th scope="col" { "When (UTC)" } th scope="col" { "Who" } th scope="col" { "Role" }
                    th scope="col" { "From" } th scope="col" { "Action" } th scope="col" { "Workspace" } th scope="col" { "Result" }
                } }
                tbody {
                    @for e in rows.iter().flatten() {
                        tr {
                            th scope="row" { (time(e.at)) }
                            td { (e.actor) } td { (e.role) } td { (e.remote) }
                            td { (e.action) } td { (e.workspace) } td { (e.result) }
                        }
                    }
                    @if rows.as_ref().is_none_or(Vec::is_empty) { tr { td colspan="7" { "No entries." } } }
                }
            }
        }
    };
    html_response(
        StatusCode::OK,
        document("Audit trail", Nav::Audit, Some(&viewer), body),
    )
}
