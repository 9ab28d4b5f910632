//! `/workspaces/{name}`: one workspace's open drift (with attribute paths),
//! its trend charts and its runs; and `POST /workspaces/{name}/scan`, the
//! "Scan now" button (role `trigger`).

use super::charts::{BarChart, Unit};
use super::format::{duration_ms, money, money_or_unpriced, path_segment, time};
use super::layout::{Nav, backend_error, document, error_page, html_response};
use super::view::{RunView, read, words};
use super::{PagesState, Viewer, audit, csrf_ok, csrf_refused, forbidden, require, see_other};
use crate::api::backend::{ApiBackend, Role};
use axum::Form;
use axum::extract::rejection::{FormRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use chrono::Utc;
use maud::{Markup, html};
use rust_decimal::Decimal;
use serde::Deserialize;

/// Runs listed (and charted) on the page.
const RUNS_SHOWN: u32 = 50;

pub(crate) async fn page<B: ApiBackend>(
    State(state): State<PagesState<B>>,
    headers: HeaderMap,
    uri: Uri,
    name: Result<Path<String>, PathRejection>,
) -> Response {
    let viewer = match require(&state, &headers, &uri, Role::Read).await {
        Ok(v) => v,
        Err(res) => return res,
    };
    let Ok(Path(name)) = name else {
        return error_page(
            StatusCode::BAD_REQUEST,
            Some(&viewer),
            "Bad workspace name",
            "The workspace name in the address is not valid.",
        );
    };
    let runs = match state.backend.runs(&name, RUNS_SHOWN, None).await {
        Ok(r) => r,
        Err(e) => return backend_error(Some(&viewer), &e),
    };
    let known = state.backend.known_workspace(&name);
    if runs.is_empty() && !known {
        return error_page(
            StatusCode::NOT_FOUND,
            Some(&viewer),
            "No such workspace",
            &format!(
                "No workspace named “{name}” is in the job files or the run history. The fleet page lists them all."
            ),
        );
    }
    let runs: Vec<RunView> = runs
        .into_iter()
        .filter_map(|r| {
            read::<RunView>(r)
                .map_err(|e| tracing::error!(error = %e, "run record not readable"))
                .ok()
        })
        .collect();
    let latest = match state.backend.workspace(&name).await {
        Ok(v) => v.and_then(|mut v| read::<RunView>(v["latest"].take()).ok()),
        Err(e) => return backend_error(Some(&viewer), &e),
    };
    let now = Utc::now();
    let next = state.backend.next_scheduled(&name, now);

    // Oldest first for the charts: finished, succeeded scans only.
    let scans: Vec<&RunView> = runs
        .iter()
        .rev()
        .filter(|r| r.status == "succeeded")
        .collect();
    let label = |r: &RunView| {
        r.at().map_or_else(
            || format!("#{}", r.id),
            |t| t.format("%m-%d %H:%M").to_string(),
        )
    };
    let drift_chart = BarChart {
        id: "ws-drift",
        title: "Drift items per scan",
        x_label: "Scan (UTC)",
        y_label: "Drift items",
        unit: Unit::Count,
        points: scans
            .iter()
            .map(|r| (label(r), Some(Decimal::from(r.drift_item_count))))
            .collect(),
        missing: "—",
    };
    let cost_chart = BarChart {
        id: "ws-cost",
        title: "Cost of drift per scan",
        x_label: "Scan (UTC)",
        y_label: "USD per month",
        unit: Unit::UsdPerMonth,
        points: scans
            .iter()
            .map(|r| {
                let v = if r.drift_item_count == 0 {
                    Some(Decimal::ZERO)
                } else {
                    r.monthly_cost_delta
                };
                (label(r), v)
            })
            .collect(),
        missing: "not priced",
    };

    let seg = path_segment(&name);
    let body = html! {
        h1 { "Workspace " (name) }
        dl.facts {
            dt { "In the job files" } dd { @if known { "yes" } @else { "no (history only)" } }
            dt { "Next scheduled run" } dd { @if let Some(n) = next { (time(n)) } @else { "not scheduled" } }
            dt { "Latest scan" } dd {
                @if let Some(r) = runs.first() {
                    a href=(format!("/runs/{}", r.id)) { "#" (r.id) } " " span class=(format!("status {}", r.status)) { (words(&r.status)) }
                    @if let Some(t) = r.at() { " · " (time(t)) }
                } @else { "none yet" }
            }
        }
        @if known {
            @if viewer.role.allows(Role::Trigger) {
                form method="post" action=(format!("/workspaces/{seg}/scan")) {
                    input type="hidden" name="csrf" value=(viewer.csrf);
                    button type="submit" { "Scan now" }
                }
            } @else {
                p.muted { "Starting a scan needs a token with role “trigger”; you signed in with a “" (viewer.role.as_str()) "” token." }
            }
        }
        h2 { "Open drift" }
        (open_drift(latest.as_ref()))
        h2 { "Trends" }
        (drift_chart.render())
        (cost_chart.render())
        h2 { "Runs" }
        (runs_table(&runs))
    };
    html_response(
        StatusCode::OK,
        document(
            &format!("Workspace {name}"),
            Nav::Fleet,
            Some(&viewer),
            body,
        ),
    )
}

/// The drift of the latest succeeded scan: one row per changed attribute.
pub(crate) fn open_drift(latest: Option<&RunView>) -> Markup {
    let Some(run) = latest else {
        return html! { p { "No succeeded scan yet, so no drift is known." } };
    };
    let detail = run.detail.clone().unwrap_or_default();
    if detail.drift_items.is_empty() {
        return html! { p { "No drift in the latest succeeded scan (" a href=(format!("/runs/{}", run.id)) { "run #" (run.id) } ")." } };
    }
    html! {
        p {
            (detail.drift_items.len()) " drifted resource" @if detail.drift_items.len() != 1 { "s" }
            " in " a href=(format!("/runs/{}", run.id)) { "run #" (run.id) }
            "; cost of drift " (money_or_unpriced(run.monthly_cost_delta)) "."
        }
        (super::run::drift_table(&detail))
    }
}

fn runs_table(runs: &[RunView]) -> Markup {
    html! {
        div.scroll role="region" aria-label="Runs" tabindex="0" {
            table {
                caption { "Latest " (runs.len()) " runs, newest first" }
                thead { tr {
                    th scope="col" { "Run" } th scope="col" { "Trigger" } th scope="col" { "Status" }
                    th scope="col" { "When (UTC)" } th scope="col" class="num" { "Duration" }
                    th scope="col" class="num" { "Drift items" } th scope="col" class="num" { "Cost of drift" }
                } }
                tbody {
                    @for r in runs {
                        tr {
                            th scope="row" { a href=(format!("/runs/{}", r.id)) { "#" (r.id) } }
                            td { (words(&r.trigger)) }
                            td { span class=(format!("status {}", r.status)) { (words(&r.status)) } }
                            td { @if let Some(t) = r.at() { (time(t)) } }
                            td.num { @if let Some(ms) = r.duration_ms { (duration_ms(ms)) } }
                            td.num { (r.drift_item_count) }
                            td.num {
                                @if r.status != "succeeded" { span.muted { "—" } }
                                @else if r.drift_item_count == 0 { span.muted { "none" } }
                                @else { (r.monthly_cost_delta.map_or_else(|| "not priced".into(), |d| format!("{}/mo", money(d)))) }
                            }
                        }
                    }
                    @if runs.is_empty() { tr { td colspan="7" { "No runs yet." } } }
                }
            }
        }
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct ScanForm {
    csrf: Option<String>,
}

/// "Scan now": queues a scan like `POST /v1/workspaces/{name}/scans` and
/// opens the run's page.
pub(crate) async fn scan<B: ApiBackend>(
    State(state): State<PagesState<B>>,
    headers: HeaderMap,
    name: Result<Path<String>, PathRejection>,
    form: Result<Form<ScanForm>, FormRejection>,
) -> Response {
    let Ok(Path(name)) = name else {
        return error_page(
            StatusCode::BAD_REQUEST,
            None,
            "Bad workspace name",
            "The workspace name in the address is not valid.",
        );
    };
    let back: Uri = format!("/workspaces/{}", path_segment(&name))
        .parse()
        .unwrap_or_else(|_| Uri::from_static("/"));
    // Any signed-in role first, so a missing session goes to sign-in.
    let viewer: Viewer = match require(&state, &headers, &back, Role::Read).await {
        Ok(v) => v,
        Err(res) => return res,
    };
    let csrf = form.ok().and_then(|Form(f)| f.csrf);
    if !csrf_ok(&state, &viewer, csrf.as_deref()) {
        return csrf_refused(Some(&viewer));
    }
    if !viewer.role.allows(Role::Trigger) {
        return forbidden(&viewer, Role::Trigger);
    }
    if !state.backend.known_workspace(&name) {
        return error_page(
            StatusCode::NOT_FOUND,
            Some(&viewer),
            "No such workspace",
            &format!("“{name}” is not in the loaded job files, so it cannot be scanned."),
        );
    }
    match state
        .backend
        .trigger(&name, Some("Scan now (web page)"))
        .await
    {
        Ok((id, created)) => {
            audit::record(&audit::Event {
                action: "scan_triggered",
                role: Some(viewer.role),
                remote: audit::remote(&headers),
                workspace: Some(&name),
                target: Some(format!("run {id}")),
                result: "ok",
                detail: (!created).then_some("a scan was already queued"),
            });
            see_other(&format!("/runs/{id}"))
        }
        Err(e) => backend_error(Some(&viewer), &e),
    }
}
