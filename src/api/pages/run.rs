//! `/runs/{id}`: one run: its drift report with attribute paths, the cost of
//! drift per resource, policy results when recorded, the approval a policy
//! asks for (pending, approved or rejected, by whom, when and why; for a
//! signed-in approver or admin an Approve/Reject form), state integrity
//! alerts, terraform's error when it failed, and its timings.
//!
//! `POST /runs/{id}/decide` (form: `csrf`, `decision` = approve|reject,
//! `reason`) records the decision through the same code as
//! `POST /v1/runs/{id}/approve|reject` (`crate::api::approvals`): CSRF first,
//! then role approver (a weaker role gets 403 and the refusal is audited).

use super::format::{duration_ms, money, path_segment, time};
use super::layout::{Nav, backend_error, document, error_page, html_response};
use super::view::{DetailView, RunView, read, words};
use super::{PagesState, Viewer, csrf_ok, csrf_refused, forbidden, require, see_other};
use crate::api::backend::{ApiBackend, Role};
use crate::store::{ApprovalState, AuditVia, Decision, PolicyLevel, RunApproval, RunPolicies};
use axum::Form;
use axum::extract::connect_info::ConnectInfo;
use axum::extract::rejection::{FormRejection, PathRejection};
use axum::extract::{Extension, Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use maud::{Markup, html};
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::Value;
use std::net::SocketAddr;

pub(crate) async fn page<B: ApiBackend>(
    State(state): State<PagesState<B>>,
    headers: HeaderMap,
    uri: Uri,
    id: Result<Path<i64>, PathRejection>,
) -> Response {
    let viewer = match require(&state, &headers, &uri, Role::Read).await {
        Ok(v) => v,
        Err(res) => return res,
    };
    let Ok(Path(id)) = id else {
        return error_page(
            StatusCode::BAD_REQUEST,
            Some(&viewer),
            "Bad run id",
            "A run id is a whole number, as in /runs/42.",
        );
    };
    let run = match state.backend.run(id).await {
        Ok(Some(v)) => v,
        Ok(None) => {
            return error_page(
                StatusCode::NOT_FOUND,
                Some(&viewer),
                "No such run",
                &format!("There is no run #{id}."),
            );
        }
        Err(e) => return backend_error(Some(&viewer), &e),
    };
    let approval: Option<RunApproval> = run
        .get("approval")
        .and_then(|a| serde_json::from_value(a.clone()).ok());
    let run: RunView = match read(run) {
        Ok(r) => r,
        Err(e) => {
            tracing::error!(run = id, error = %e, "run record not readable");
            return error_page(
                StatusCode::INTERNAL_SERVER_ERROR,
                Some(&viewer),
                "This run cannot be shown",
                "Its record could not be read; the server log has the cause.",
            );
        }
    };
    let detail = run.detail.clone().unwrap_or_default();
    let body = html! {
        h1 { "Run #" (run.id) " · " (run.workspace) }
        dl.facts {
            dt { "Workspace" } dd { a href=(format!("/workspaces/{}", path_segment(&run.workspace))) { (run.workspace) } }
            dt { "Status" } dd { span class=(format!("status {}", run.status)) { (words(&run.status)) } }
            dt { "Trigger" } dd { (words(&run.trigger)) @if run.attempt > 1 { " (attempt " (run.attempt) ")" } }
            @if let Some(v) = &run.tool_version { dt { "Tool" } dd { (v) } }
            @if let Some(c) = run.exit_status { dt { "Exit status" } dd { (c) } }
            @if let Some(s) = &run.state_source { dt { "Recorded state" } dd { code { (s) } } }
        }
        @if let Some(err) = &run.error {
            h2 { "Terraform's error" }
            pre.error { (err) }
        }
        @if !detail.integrity_alerts.is_empty() {
            h2 { "State integrity alerts" }
            div.alert role="alert" {
                ul { @for a in &detail.integrity_alerts { li { (a.to_string()) } } }
            }
        }
        @if let Some(a) = &approval { (approval_box(id, a, &viewer)) }
        @if let Some(p) = &run.policies { (policies(p)) }
        h2 { "Drift" }
        @if run.status == "succeeded" || !detail.drift_items.is_empty() {
            @if detail.drift_items.is_empty() { p { "No drift found." } } @else { (drift_table(&detail)) }
            h2 { "Cost of drift" }
            (cost_table(&detail, run.monthly_cost_delta))
        } @else {
            p.muted { "This run did not finish a scan, so it has no drift report." }
        }
        h2 { "Timings" }
        (timings(&run))
    };
    html_response(
        StatusCode::OK,
        document(&format!("Run #{}", run.id), Nav::Fleet, Some(&viewer), body),
    )
}

/// The pending approval (who is asked) or the decision, and for an approver
/// or admin whose run is pending, the form that decides.
fn approval_box(id: i64, a: &RunApproval, viewer: &Viewer) -> Markup {
    let (class, heading) = match a.state {
        ApprovalState::Pending => ("status queued", "Awaiting approval"),
        ApprovalState::Approved => ("status succeeded", "Approved"),
        ApprovalState::Rejected => ("status failed", "Rejected"),
    };
    html! {
        h2 { "Approval" }
        div.alert role="status" aria-label="Approval" {
            p { span class=(class) { (heading) } " · " (a.summary) }
            @if a.state == ApprovalState::Pending {
                @if viewer.role.allows(Role::Approver) {
                    form method="post" action=(format!("/runs/{id}/decide")) {
                        input type="hidden" name="csrf" value=(viewer.csrf);
                        label for="reason" { "Reason (required to reject)" }
                        br;
                        textarea id="reason" name="reason" rows="3" cols="60" maxlength="1000" {}
                        br;
                        button type="submit" name="decision" value="approve" { "Approve" }
                        " "
                        button type="submit" name="decision" value="reject" { "Reject" }
                    }
                } @else {
                    p.muted { "Approving or rejecting needs a token with role “approver” or “admin”; you signed in with a “" (viewer.role.as_str()) "” token." }
                }
            }
        }
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct DecideForm {
    csrf: Option<String>,
    decision: Option<String>,
    reason: Option<String>,
}

/// The Approve/Reject form of a run page (see the module doc).
pub(crate) async fn decide<B: ApiBackend>(
    State(state): State<PagesState<B>>,
    headers: HeaderMap,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    id: Result<Path<i64>, PathRejection>,
    form: Result<Form<DecideForm>, FormRejection>,
) -> Response {
    let Ok(Path(id)) = id else {
        return error_page(
            StatusCode::BAD_REQUEST,
            None,
            "Bad run id",
            "A run id is a whole number, as in /runs/42.",
        );
    };
    let back: Uri = format!("/runs/{id}")
        .parse()
        .unwrap_or_else(|_| Uri::from_static("/"));
    // Any signed-in role first, so a missing session goes to sign-in.
    let viewer: Viewer = match require(&state, &headers, &back, Role::Read).await {
        Ok(v) => v,
        Err(res) => return res,
    };
    let form = form.ok().map(|Form(f)| f);
    if !csrf_ok(
        &state,
        &viewer,
        form.as_ref().and_then(|f| f.csrf.as_deref()),
    ) {
        return csrf_refused(Some(&viewer));
    }
    let remote = super::audit::remote(&headers)
        .or_else(|| peer.map(|Extension(ConnectInfo(a))| a.ip().to_string()));
    let caller = match state
        .backend
        .identify_sha256(&viewer.session.token_sha256)
        .await
    {
        Ok(Some(c)) => c,
        Ok(None) => return csrf_refused(Some(&viewer)),
        Err(e) => return backend_error(Some(&viewer), &e),
    };
    if !viewer.role.allows(Role::Approver) {
        crate::api::approvals::record_denied(
            &*state.backend,
            &caller,
            AuditVia::Page,
            remote,
            &format!("/runs/{id}/decide"),
        )
        .await;
        return forbidden(&viewer, Role::Approver);
    }
    let form = form.unwrap_or(DecideForm {
        csrf: None,
        decision: None,
        reason: None,
    });
    let decision = match form.decision.as_deref() {
        Some("approve") => Decision::Approved,
        Some("reject") => Decision::Rejected,
        _ => {
            return error_page(
                StatusCode::BAD_REQUEST,
                Some(&viewer),
                "No decision",
                "The form must say `decision` = approve or reject; use the Approve or Reject button.",
            );
        }
    };
    let reason = form
        .reason
        .map(|r| r.trim().to_string())
        .filter(|r| !r.is_empty());
    if let Err(e) = crate::api::approvals::check_reason(reason.as_deref(), decision) {
        return error_page(
            e.status(),
            Some(&viewer),
            "The decision was not recorded",
            e.message(),
        );
    }
    let answer = crate::api::approvals::decide(
        &*state.backend,
        &caller,
        AuditVia::Page,
        remote,
        id,
        decision,
        reason,
    )
    .await;
    match answer {
        Ok(_) => see_other(&format!("/runs/{id}")),
        Err(e) => error_page(
            e.status(),
            Some(&viewer),
            "The decision was not recorded",
            e.message(),
        ),
    }
}

/// One row per changed attribute, with its terraform path.
pub(crate) fn drift_table(detail: &DetailView) -> Markup {
    html! {
        div.scroll role="region" aria-label="Drift items" tabindex="0" {
            table {
                caption { "Drifted resources and attributes" }
                thead { tr {
                    th scope="col" { "Resource" } th scope="col" { "What happened" }
                    th scope="col" { "Attribute" } th scope="col" { "Recorded" } th scope="col" { "Now" }
                } }
                tbody {
                    @for item in &detail.drift_items {
                        @if item.changes.is_empty() {
                            tr {
                                th scope="row" { code { (item.address) } }
                                td { (item.kind.label()) }
                                td colspan="3" { span.muted { "whole resource" } }
                            }
                        }
                        @for (i, c) in item.changes.iter().enumerate() {
                            tr {
                                th scope="row" { @if i == 0 { code { (item.address) } } @else { span.muted { "〃" } } }
                                td { @if i == 0 { (item.kind.label()) } }
                                td { code.path { (c.path) } }
                                td { (c.before.to_string()) }
                                td { (c.after.to_string()) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Monthly cost before and after per drifted resource; unpriced is said.
fn cost_table(detail: &DetailView, total: Option<Decimal>) -> Markup {
    let show = |d: Option<Decimal>| d.map_or_else(|| "not priced".to_string(), money);
    html! {
        div.scroll role="region" aria-label="Cost of drift" tabindex="0" {
            table {
                caption { "Monthly cost of each drifted resource (USD)" }
                thead { tr {
                    th scope="col" { "Resource" } th scope="col" class="num" { "Recorded" }
                    th scope="col" class="num" { "Now" } th scope="col" class="num" { "Change" }
                } }
                tbody {
                    @for item in &detail.drift_items {
                        @let c = detail.costs.get(&item.address).copied().unwrap_or_default();
                        tr {
                            th scope="row" { code { (item.address) } }
                            td.num { (show(c.monthly_before)) }
                            td.num { (show(c.monthly_after)) }
                            td.num {
                                (show(c.delta()))
                                @if c.unpriced_components > 0 { br; span.muted { "at least: " (c.unpriced_components) " component(s) unpriced" } }
                            }
                        }
                    }
                    @if detail.drift_items.is_empty() { tr { td colspan="4" { "No drift, so no cost of drift." } } }
                }
                @if !detail.drift_items.is_empty() {
                    tfoot { tr {
                        th scope="row" colspan="3" { "Total change per month" }
                        td.num { (total.map_or_else(|| "not priced".to_string(), money)) }
                    } }
                }
            }
        }
    }
}

fn timings(run: &RunView) -> Markup {
    let waited = match (run.queued_at, run.started_at) {
        (Some(q), Some(s)) => Some((s - q).num_milliseconds()),
        _ => None,
    };
    html! {
        div.scroll role="region" aria-label="Timings" tabindex="0" {
            table.narrow {
                caption { "Timings (UTC)" }
                tbody {
                    tr { th scope="row" { "Queued" } td { @if let Some(t) = run.queued_at { (time(t)) } } }
                    @if let Some(t) = run.scheduled_for { tr { th scope="row" { "Scheduled for" } td { (time(t)) } } }
                    tr { th scope="row" { "Started" } td { @if let Some(t) = run.started_at { (time(t)) } @else { "not yet" } } }
                    tr { th scope="row" { "Finished" } td { @if let Some(t) = run.finished_at { (time(t)) } @else { "not yet" } } }
                    @if let Some(w) = waited { tr { th scope="row" { "Waited in the queue" } td { (duration_ms(w)) } } }
                    @if let Some(ms) = run.duration_ms { tr { th scope="row" { "Scan took" } td { (duration_ms(ms)) } } }
                }
            }
        }
    }
}

/// Policy results as recorded: the outcome, then every finding that is not
/// a pass (errors and fails first, then approvals asked, then warnings) and
/// how many passed. A record in another shape is shown as its fields.
fn policies(v: &Value) -> Markup {
    let Ok(p) = serde_json::from_value::<RunPolicies>(v.clone()) else {
        return html! { h2 { "Policies" } pre { (v.to_string()) } };
    };
    let passed = p.count(PolicyLevel::Pass);
    let status = |l: PolicyLevel| match l {
        PolicyLevel::Error | PolicyLevel::Fail => "status failed",
        PolicyLevel::NeedsApproval | PolicyLevel::Warn => "status queued",
        PolicyLevel::Pass => "status succeeded",
    };
    html! {
        h2 { "Policies" }
        p { "Outcome: " span class=(status(p.outcome)) { (words(p.outcome.as_str())) } }
        @if p.findings.iter().any(|f| f.level != PolicyLevel::Pass) {
            div.scroll role="region" aria-label="Policies" tabindex="0" {
                table {
                    caption { "Policy findings, failed first, then warnings" }
                    thead { tr {
                        th scope="col" { "Result" } th scope="col" { "Policy" } th scope="col" { "Rule" }
                        th scope="col" { "Input" } th scope="col" { "Message" }
                    } }
                    tbody {
                        @for f in p.findings.iter().filter(|f| f.level != PolicyLevel::Pass) {
                            tr {
                                td { span class=(status(f.level)) { (words(f.level.as_str())) } }
                                th scope="row" { code { (f.policy) } }
                                td { code { (f.rule) } }
                                td { (f.input.as_str()) }
                                td {
                                    (f.msg)
                                    @if let Some(team) = &f.approval { br; span.muted { "approval asked of " (team) } }
                                }
                            }
                        }
                    }
                }
            }
        }
        p.muted { (passed) " check(s) passed." }
    }
}
