//! `/`: every workspace (last scan, status, open drift, cost of drift, next
//! scheduled run), sortable by any column and filtered by name through
//! query parameters (`?q=&sort=&dir=`), plus the fleet's trend charts.

use super::charts::{BarChart, Unit};
use super::format::{ago, money, path_segment, query_value, time};
use super::layout::{Nav, backend_error, document, html_response};
use super::view::{WorkspaceView, read, words};
use super::{PagesState, require};
use crate::api::backend::{ApiBackend, Role};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use chrono::{DateTime, Utc};
use maud::{Markup, html};
use rust_decimal::Decimal;
use serde::Deserialize;
use std::cmp::Ordering;

/// Days the fleet charts cover.
pub(crate) const TREND_DAYS: u32 = 30;

#[derive(Debug, Default, Deserialize)]
pub(crate) struct FleetQuery {
    q: Option<String>,
    sort: Option<String>,
    dir: Option<String>,
}

/// The columns one can sort by, as named in `?sort=`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SortKey {
    Name,
    LastScan,
    Status,
    Drift,
    Cost,
    Next,
}

impl SortKey {
    const ALL: [SortKey; 6] = [
        SortKey::Name,
        SortKey::LastScan,
        SortKey::Status,
        SortKey::Drift,
        SortKey::Cost,
        SortKey::Next,
    ];

    fn param(self) -> &'static str {
        match self {
            SortKey::Name => "name",
            SortKey::LastScan => "last_scan",
            SortKey::Status => "status",
            SortKey::Drift => "drift",
            SortKey::Cost => "cost",
            SortKey::Next => "next",
        }
    }

    fn header(self) -> &'static str {
        match self {
            SortKey::Name => "Workspace",
            SortKey::LastScan => "Last scan",
            SortKey::Status => "Status",
            SortKey::Drift => "Open drift items",
            SortKey::Cost => "Cost of drift",
            SortKey::Next => "Next scheduled run",
        }
    }

    fn parse(s: Option<&str>) -> SortKey {
        SortKey::ALL
            .into_iter()
            .find(|k| Some(k.param()) == s)
            .unwrap_or(SortKey::Name)
    }
}

/// One row of the table.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    pub ws: WorkspaceView,
    pub next: Option<DateTime<Utc>>,
}

impl Row {
    /// What the status column says, and its CSS class.
    fn status(&self) -> (String, &'static str) {
        match self.ws.last_status.as_deref() {
            None => ("not scanned yet".into(), "none"),
            Some("succeeded") if self.ws.drifted => ("drift".into(), "drift"),
            Some("succeeded") => ("clean".into(), "clean"),
            Some(s @ ("failed" | "timed_out")) => (words(s), "failed"),
            Some(s @ ("queued" | "running")) => (words(s), "running"),
            Some(s) => (words(s), "none"),
        }
    }
}

/// Sorts `rows` by `key` (then by name); missing values last either way.
pub(crate) fn sort_rows(rows: &mut [Row], key: SortKey, descending: bool) {
    fn opt<T: Ord>(a: Option<T>, b: Option<T>, desc: bool) -> Ordering {
        match (a, b) {
            (Some(a), Some(b)) => {
                if desc {
                    b.cmp(&a)
                } else {
                    a.cmp(&b)
                }
            }
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        }
    }
    rows.sort_by(|a, b| {
        let by = match key {
            SortKey::Name => opt(Some(&a.ws.workspace), Some(&b.ws.workspace), descending),
            SortKey::LastScan => opt(a.ws.last_run_at, b.ws.last_run_at, descending),
            SortKey::Status => opt(Some(a.status().0), Some(b.status().0), descending),
            SortKey::Drift => opt(
                Some(a.ws.drift_item_count),
                Some(b.ws.drift_item_count),
                descending,
            ),
            SortKey::Cost => opt(a.ws.monthly_cost_delta, b.ws.monthly_cost_delta, descending),
            SortKey::Next => opt(a.next, b.next, descending),
        };
        by.then_with(|| a.ws.workspace.cmp(&b.ws.workspace))
    });
}

pub(crate) async fn page<B: ApiBackend>(
    State(state): State<PagesState<B>>,
    headers: HeaderMap,
    uri: Uri,
    query: Result<Query<FleetQuery>, QueryRejection>,
) -> Response {
    let viewer = match require(&state, &headers, &uri, Role::Read).await {
        Ok(v) => v,
        Err(res) => return res,
    };
    let q = query.map(|Query(q)| q).unwrap_or_default();
    let now = Utc::now();
    let workspaces = match state.backend.workspaces().await {
        Ok(w) => w,
        Err(e) => return backend_error(Some(&viewer), &e),
    };
    let days = match state.backend.fleet_days(TREND_DAYS, now).await {
        Ok(d) => d,
        Err(e) => return backend_error(Some(&viewer), &e),
    };
    let mut rows = Vec::new();
    for w in workspaces {
        match read::<WorkspaceView>(w) {
            Ok(ws) => {
                let next = state.backend.next_scheduled(&ws.workspace, now);
                rows.push(Row { ws, next });
            }
            Err(e) => {
                tracing::error!(error = %e, "workspace summary not readable; left out of the page")
            }
        }
    }
    let all = rows.len();
    let filter = q.q.as_deref().map(str::trim).filter(|s| !s.is_empty());
    if let Some(f) = filter {
        let f = f.to_lowercase();
        rows.retain(|r| r.ws.workspace.to_lowercase().contains(&f));
    }
    let key = SortKey::parse(q.sort.as_deref());
    let descending = q.dir.as_deref() == Some("desc");
    sort_rows(&mut rows, key, descending);

    let drifted = rows.iter().filter(|r| r.ws.drifted).count();
    let failing = rows
        .iter()
        .filter(|r| matches!(r.ws.last_status.as_deref(), Some("failed" | "timed_out")))
        .count();
    let priced: Vec<Decimal> = rows
        .iter()
        .filter(|r| r.ws.drifted)
        .filter_map(|r| r.ws.monthly_cost_delta)
        .collect();
    let unpriced = rows
        .iter()
        .filter(|r| r.ws.drifted && r.ws.monthly_cost_delta.is_none())
        .count();
    let total: Decimal = priced.iter().sum();

    let open_chart = BarChart {
        id: "fleet-open",
        title: "Open drift items per day",
        x_label: "Day (UTC)",
        y_label: "Drift items",
        unit: Unit::Count,
        points: days
            .iter()
            .map(|d| {
                (
                    d.day.format("%m-%d").to_string(),
                    Some(Decimal::from(d.open_drift)),
                )
            })
            .collect(),
        missing: "—",
    };
    let fail_chart = BarChart {
        id: "fleet-failures",
        title: "Failed scans per day",
        x_label: "Day (UTC)",
        y_label: "Failed scans",
        unit: Unit::Count,
        points: days
            .iter()
            .map(|d| {
                (
                    d.day.format("%m-%d").to_string(),
                    Some(Decimal::from(d.failures)),
                )
            })
            .collect(),
        missing: "—",
    };

    let body = html! {
        h1 { "Fleet" }
        ul.cards aria-label="Fleet summary" {
            li { strong { (rows.len()) } @if filter.is_some() { "of " (all) " workspaces shown" } @else { "workspaces" } }
            li { strong { (drifted) } "with open drift" }
            li { strong { (failing) } "last scan failed" }
            li {
                strong { (money(total)) "/mo" }
                "cost of open drift"
                @if unpriced > 0 { " (" (unpriced) " drifted workspace" @if unpriced != 1 { "s" } " not priced)" }
            }
        }
        form.filter method="get" action="/" role="search" {
            label { "Filter workspaces by name"
                input type="search" name="q" value=(filter.unwrap_or_default()) autocomplete="off";
            }
            input type="hidden" name="sort" value=(key.param());
            input type="hidden" name="dir" value=(if descending { "desc" } else { "asc" });
            button type="submit" { "Filter" }
            @if filter.is_some() { a href="/" { "Show all" } }
        }
        (table(&rows, key, descending, filter, now))
        h2 { "Trends over the last " (TREND_DAYS) " days" }
        (open_chart.render())
        (fail_chart.render())
    };
    html_response(
        StatusCode::OK,
        document("Fleet", Nav::Fleet, Some(&viewer), body),
    )
}

fn table(
    rows: &[Row],
    key: SortKey,
    descending: bool,
    filter: Option<&str>,
    now: DateTime<Utc>,
) -> Markup {
    let link = |k: SortKey| {
        let dir = if k == key && !descending {
            "desc"
        } else {
            "asc"
        };
        let mut href = format!("/?sort={}&dir={dir}", k.param());
        if let Some(f) = filter {
            href.push_str(&format!("&q={}", query_value(f)));
        }
        href
    };
    html! {
        div.scroll role="region" aria-label="Workspaces" tabindex="0" {
            table {
                caption { "Workspaces, sorted by " (key.header().to_lowercase()) (if descending { " (descending)" } else { "" }) }
                thead { tr {
                    @for k in SortKey::ALL {
                        th scope="col" class=[matches!(k, SortKey::Drift | SortKey::Cost).then_some("num")]
                            aria-sort=[(k == key).then_some(if descending { "descending" } else { "ascending" })] {
                            a href=(link(k)) { (k.header()) }
                        }
                    }
                } }
                tbody {
                    @for r in rows {
                        @let (status, class) = r.status();
                        tr {
                            th scope="row" {
                                a href=(format!("/workspaces/{}", path_segment(&r.ws.workspace))) { (r.ws.workspace) }
                                @if !r.ws.configured { br; span.muted { "(no longer in the job files)" } }
                            }
                            td {
                                @match (r.ws.last_run_id, r.ws.last_run_at) {
                                    (Some(id), Some(at)) => { a href=(format!("/runs/{id}")) { (time(at)) } br; span.muted { (ago(at, now)) } }
                                    _ => { span.muted { "never" } }
                                }
                            }
                            td { span class=(format!("status {class}")) { (status) } }
                            td.num { (r.ws.drift_item_count) }
                            td.num {
                                @if r.ws.drift_item_count == 0 { span.muted { "none" } }
                                @else { (r.ws.monthly_cost_delta.map_or_else(|| "not priced".to_string(), |d| format!("{}/mo", money(d)))) }
                            }
                            td { @if let Some(n) = r.next { (time(n)) } @else { span.muted { "not scheduled" } } }
                        }
                    }
                    @if rows.is_empty() {
                        tr { td colspan="6" { @if filter.is_some() { "No workspace matches the filter." } @else { "No workspaces yet: add them to the job files." } } }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn row(name: &str, drift: i64, cost: Option<Decimal>) -> Row {
        Row {
            ws: WorkspaceView {
                workspace: name.into(),
                drift_item_count: drift,
                drifted: drift > 0,
                monthly_cost_delta: cost,
                last_status: Some("succeeded".into()),
                ..WorkspaceView::default()
            },
            next: None,
        }
    }

    #[test]
    fn sorting_puts_missing_values_last_both_ways() {
        let mut rows = vec![
            row("b", 2, Some(dec!(5))),
            row("a", 0, None),
            row("c", 9, Some(dec!(-3))),
        ];
        sort_rows(&mut rows, SortKey::Cost, true);
        let names: Vec<_> = rows.iter().map(|r| r.ws.workspace.as_str()).collect();
        assert_eq!(names, ["b", "c", "a"]);
        sort_rows(&mut rows, SortKey::Cost, false);
        let names: Vec<_> = rows.iter().map(|r| r.ws.workspace.as_str()).collect();
        assert_eq!(names, ["c", "b", "a"]);
        sort_rows(&mut rows, SortKey::Drift, true);
        assert_eq!(rows[0].ws.workspace, "c");
        sort_rows(&mut rows, SortKey::parse(Some("bogus")), false);
        assert_eq!(rows[0].ws.workspace, "a");
    }
}
