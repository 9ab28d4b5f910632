//! `/runs/{id}`: one run: its drift report with attribute paths, the cost of
//! drift per resource, policy results when recorded, state integrity
//! alerts, terraform's error when it failed, and its timings.

use super::format::{duration_ms, money, path_segment, time};
use super::layout::{Nav, backend_error, document, error_page, html_response};
use super::view::{DetailView, RunView, read, words};
use super::{PagesState, require};
use crate::api::backend::{ApiBackend, Role};
use crate::store::{PolicyLevel, RunPolicies};
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use maud::{Markup, html};
use rust_decimal::Decimal;
use serde_json::Value;

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
