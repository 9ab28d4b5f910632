//! Drift reports: terminal table, JSON (versioned) and Markdown.
//!
//! The JSON contract (`"version": "1"`; additive changes keep the version,
//! anything else bumps it). `driftcost drift --format json` and
//! `driftcost scan --format json` print this one document; `scan` adds the
//! `scan` object, which `drift` (reading files, running nothing) leaves out:
//!
//! ```json
//! {
//!   "version": "1",
//!   "workspace": "prod-network",
//!   "has_drift": true,
//!   "summary": {
//!     "drifted_resources": 2, "attribute_changes": 3, "ignored_changes": 1,
//!     "by_kind": {"changed": 1, "deleted": 1},
//!     "monthly_cost_before": "30.37", "monthly_cost_after": "45.55", "monthly_cost_delta": "15.18",
//!     "unpriced_components": 0                    // left out of the sums above
//!   },
//!   "items": [{
//!     "address": "aws_instance.web", "resource_type": "aws_instance", "name": "web",
//!     "module_address": "module.net",            // omitted at the root module
//!     "kind": "changed", "kind_label": "changed outside terraform",
//!     "cause": "changed_outside_terraform",       // | code_not_applied | recorded_state
//!     "actions": ["update"],                      // omitted when not from the plan
//!     "fingerprint": "<sha256 hex>",
//!     "monthly_cost": {"before": "7.59", "after": "15.18", "delta": "7.59",
//!                      "unpriced_components": 0},  // or null
//!     "changes": [{
//!       "path": "tags.owner",
//!       "before": {"kind": "value", "value": "alice"},
//!       "after":  {"kind": "value", "value": "bob"},
//!       "sensitive": false,
//!       "fingerprint": "<sha256 hex>"
//!     }]
//!   }],
//!   "groups": [{"path": "tags.owner", "before": {…}, "after": {…}, "sensitive": false,
//!               "addresses": ["aws_instance.a", "aws_instance.b"]}],
//!   "integrity_alerts": [{"kind": "serial_rolled_back", "previous": 5, "current": 4,
//!                         "message": "state serial went back …"}],
//!   "warnings": ["ignore rule `x.y` matched nothing in this plan; …"],
//!   "scan": {                                     // `scan` only
//!     "outcome": "drifted",                       // | no_drift
//!     "tool_version": "1.11.4",                   // terraform's or tofu's version
//!     "state_source": "s3://bucket/key",          // where the recorded state was read
//!     "timings": {"total_ms": 1200, "init_ms": 300, "plan_ms": 700,
//!                 "show_ms": 150, "state_read_ms": 20}
//!   }
//! }
//! ```
//!
//! - `kind`: changed | deleted | in_recorded_state_only | in_refreshed_only |
//!   recorded_state_differs | code_not_applied.
//! - A change side is `{"kind": "absent"}` (null, empty or unset),
//!   `{"kind": "value", "value": <JSON>}`, `{"kind": "sensitive"}` (the value
//!   is never included) or `{"kind": "unknown"}` (plan mode: known after apply).
//! - Money is a decimal string in USD per month; `null` when not priced.
//!   Summary sums cover the items that have a cost; the delta sums the items
//!   priced on both sides. `unpriced_components` counts the components
//!   without a price (usage-based without usage, or no price found) that the
//!   sums leave out: when it is not 0 the sums are lower bounds, and every
//!   format says so next to them.
//! - `groups` lists only changes shared by two or more resources.
//! - Items are sorted by address; `fingerprint`s are stable across runs.

use super::cost_effect::{CostEffect, CostTotals};
use super::group::{ChangeGroup, group};
use super::integrity::IntegrityAlert;
use super::item::{AttributeChange, DisplayValue, DriftItem, DriftResult};
use crate::escape::markdown_in_html as html;
use comfy_table::{Table, presets};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Version of the drift JSON contract.
pub const JSON_VERSION: &str = "1";

/// Values longer than this are cut in the table and Markdown (never in JSON).
const MAX_VALUE_CHARS: usize = 60;

/// Everything one drift report shows.
#[derive(Debug, Clone, Copy)]
pub struct DriftReport<'a> {
    pub workspace: &'a str,
    pub result: &'a DriftResult,
    /// By item address; missing addresses show no cost.
    pub costs: &'a BTreeMap<String, CostEffect>,
    pub integrity_alerts: &'a [IntegrityAlert],
}

#[derive(Serialize)]
struct JsonReport<'a> {
    version: &'static str,
    workspace: &'a str,
    has_drift: bool,
    summary: JsonSummary,
    items: Vec<JsonItem<'a>>,
    groups: Vec<ChangeGroup>,
    integrity_alerts: Vec<JsonAlert<'a>>,
    warnings: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    scan: Option<&'a serde_json::Value>,
}

#[derive(Serialize)]
struct JsonSummary {
    drifted_resources: usize,
    attribute_changes: usize,
    ignored_changes: usize,
    by_kind: BTreeMap<&'static str, usize>,
    monthly_cost_before: Option<Decimal>,
    monthly_cost_after: Option<Decimal>,
    monthly_cost_delta: Option<Decimal>,
    unpriced_components: usize,
}

#[derive(Serialize)]
struct JsonItem<'a> {
    #[serde(flatten)]
    item: &'a DriftItem,
    kind_label: &'static str,
    monthly_cost: Option<JsonCost>,
}

#[derive(Serialize)]
struct JsonCost {
    before: Option<Decimal>,
    after: Option<Decimal>,
    delta: Option<Decimal>,
    unpriced_components: usize,
}

#[derive(Serialize)]
struct JsonAlert<'a> {
    #[serde(flatten)]
    alert: &'a IntegrityAlert,
    message: String,
}

impl<'a> DriftReport<'a> {
    fn cost(&self, item: &DriftItem) -> Option<&'a CostEffect> {
        self.costs.get(&item.address)
    }

    /// The sums over the drifted resources.
    fn totals(&self) -> CostTotals {
        CostTotals::of(self.result.items.iter().filter_map(|i| self.cost(i)))
    }

    fn shared_groups(&self) -> Vec<ChangeGroup> {
        group(&self.result.items)
            .into_iter()
            .filter(|g| g.addresses.len() > 1)
            .collect()
    }
}

/// The report as versioned JSON (see the module docs for the contract).
pub fn render_json(report: &DriftReport<'_>) -> String {
    render(report, None)
}

/// [`render_json`] with the `scan` object of `driftcost scan` (outcome,
/// tool_version, state_source, timings; see the module docs).
pub fn render_scan_json(report: &DriftReport<'_>, scan: &serde_json::Value) -> String {
    render(report, Some(scan))
}

fn render(report: &DriftReport<'_>, scan: Option<&serde_json::Value>) -> String {
    let items = &report.result.items;
    let mut by_kind = BTreeMap::new();
    for i in items {
        *by_kind.entry(i.kind.as_str()).or_insert(0) += 1;
    }
    let totals = report.totals();
    let doc = JsonReport {
        version: JSON_VERSION,
        workspace: report.workspace,
        has_drift: report.result.has_drift(),
        summary: JsonSummary {
            drifted_resources: items.len(),
            attribute_changes: items.iter().map(|i| i.changes.len()).sum(),
            ignored_changes: report.result.ignored_changes,
            by_kind,
            monthly_cost_before: totals.monthly_before,
            monthly_cost_after: totals.monthly_after,
            monthly_cost_delta: totals.delta,
            unpriced_components: totals.unpriced_components,
        },
        items: items
            .iter()
            .map(|item| JsonItem {
                item,
                kind_label: item.kind.label(),
                monthly_cost: report.cost(item).map(|c| JsonCost {
                    before: c.monthly_before,
                    after: c.monthly_after,
                    delta: c.delta(),
                    unpriced_components: c.unpriced_components,
                }),
            })
            .collect(),
        groups: report.shared_groups(),
        integrity_alerts: report
            .integrity_alerts
            .iter()
            .map(|alert| JsonAlert {
                alert,
                message: alert.to_string(),
            })
            .collect(),
        warnings: &report.result.warnings,
        scan,
    };
    serde_json::to_string_pretty(&doc).expect("drift report serializes")
}

/// A terminal table: one row per drifted resource, its changes one per line.
pub fn render_table(report: &DriftReport<'_>) -> String {
    let mut out = String::new();
    let items = &report.result.items;
    let _ = writeln!(out, "{}", headline(report));
    if !items.is_empty() {
        let with_cost = items.iter().any(|i| report.cost(i).is_some());
        let mut table = Table::new();
        table.load_preset(presets::UTF8_FULL_CONDENSED);
        let mut header = vec!["Resource", "Drift", "Changes"];
        if with_cost {
            header.push("Monthly cost");
        }
        table.set_header(header);
        for item in items {
            let changes = if item.changes.is_empty() {
                "-".to_string()
            } else {
                item.changes
                    .iter()
                    .map(|c| describe_short(c, &|s| s.to_string()))
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            let mut row = vec![item.address.clone(), item.kind.label().to_string(), changes];
            if with_cost {
                row.push(report.cost(item).map(cost_text).unwrap_or_default());
            }
            table.add_row(row);
        }
        let _ = writeln!(out, "{table}");
    }
    if let Some(s) = unpriced_sentence(report.totals().unpriced_components) {
        let _ = writeln!(out, "{s}");
    }
    for g in report.shared_groups() {
        let _ = writeln!(
            out,
            "same change on {} resources: {}",
            g.addresses.len(),
            describe_group(&g, &|s| s.to_string())
        );
    }
    for a in report.integrity_alerts {
        let _ = writeln!(out, "state integrity: {a}");
    }
    for w in &report.result.warnings {
        let _ = writeln!(out, "warning: {w}");
    }
    out
}

/// Markdown for PR comments and issues (GitHub-flavoured; values in `<code>`
/// with HTML escaping, so no value can break the table or inject markup).
pub fn render_markdown(report: &DriftReport<'_>) -> String {
    let mut out = String::new();
    let items = &report.result.items;
    let _ = writeln!(out, "### {}\n", html(&headline(report)));
    for a in report.integrity_alerts {
        let _ = writeln!(out, "> **State integrity:** {}\n", html(&a.to_string()));
    }
    if !items.is_empty() {
        let with_cost = items.iter().any(|i| report.cost(i).is_some());
        out.push_str("| Resource | Drift | Changes |");
        out.push_str(if with_cost { " Monthly cost |\n" } else { "\n" });
        out.push_str("|---|---|---|");
        out.push_str(if with_cost { "---|\n" } else { "\n" });
        for item in items {
            let changes = if item.changes.is_empty() {
                "–".to_string()
            } else {
                item.changes
                    .iter()
                    .map(|c| describe_short(c, &code))
                    .collect::<Vec<_>>()
                    .join("<br>")
            };
            let _ = write!(
                out,
                "| {} | {} | {} |",
                code(&item.address),
                item.kind.label(),
                changes
            );
            if with_cost {
                let _ = write!(
                    out,
                    " {} |",
                    report.cost(item).map(cost_text).unwrap_or_default()
                );
            }
            out.push('\n');
        }
        out.push('\n');
    }
    if let Some(s) = unpriced_sentence(report.totals().unpriced_components) {
        let _ = writeln!(out, "**Costs:** {}\n", html(&s));
    }
    let groups = report.shared_groups();
    if !groups.is_empty() {
        out.push_str("Same change on several resources:\n\n");
        for g in &groups {
            let shown: Vec<String> = g.addresses.iter().take(10).map(|a| code(a)).collect();
            let more = g.addresses.len().saturating_sub(10);
            let _ = write!(
                out,
                "- {} on {} resources: {}",
                describe_group(g, &code),
                g.addresses.len(),
                shown.join(", ")
            );
            if more > 0 {
                let _ = write!(out, " and {more} more");
            }
            out.push('\n');
        }
        out.push('\n');
    }
    if !report.result.warnings.is_empty() {
        out.push_str("<details><summary>Warnings</summary>\n\n");
        for w in &report.result.warnings {
            let _ = writeln!(out, "- {}", html(w));
        }
        out.push_str("\n</details>\n");
    }
    out
}

fn headline(report: &DriftReport<'_>) -> String {
    let r = report.result;
    if r.items.is_empty() {
        let mut s = format!("No drift in workspace {}", report.workspace);
        if r.ignored_changes > 0 {
            let _ = write!(s, " ({} ignored changes)", r.ignored_changes);
        }
        return s;
    }
    let changes: usize = r.items.iter().map(|i| i.changes.len()).sum();
    let mut s = format!(
        "Drift in workspace {}: {} resource{}, {} attribute change{}",
        report.workspace,
        r.items.len(),
        plural(r.items.len()),
        changes,
        plural(changes)
    );
    if r.ignored_changes > 0 {
        let _ = write!(s, ", {} ignored", r.ignored_changes);
    }
    if let Some(delta) = report.totals().delta {
        let _ = write!(s, ", monthly cost {}", signed_money(delta));
    }
    let unpriced = report.totals().unpriced_components;
    if unpriced > 0 {
        let _ = write!(
            s,
            " ({unpriced} unpriced component{} not included)",
            plural(unpriced)
        );
    }
    s
}

/// What the cost sums leave out, the drift report's and every notification's
/// wording: `None` when every component of the drifted resources has a price.
pub fn unpriced_sentence(n: usize) -> Option<String> {
    (n > 0).then(|| {
        format!(
            "not in the costs: {n} component{} of the drifted resources without a price (usage-based without usage, or no price found); the costs are lower bounds",
            plural(n)
        )
    })
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn describe_short(c: &AttributeChange, wrap: &dyn Fn(&str) -> String) -> String {
    if c.sensitive {
        return format!("{}: (sensitive value changed)", wrap(&c.path));
    }
    format!(
        "{}: {} → {}",
        wrap(&c.path),
        wrap(&short(&c.before)),
        wrap(&short(&c.after))
    )
}

fn describe_group(g: &ChangeGroup, wrap: &dyn Fn(&str) -> String) -> String {
    if g.sensitive {
        return format!("{}: (sensitive value changed)", wrap(&g.path));
    }
    format!(
        "{}: {} → {}",
        wrap(&g.path),
        wrap(&short(&g.before)),
        wrap(&short(&g.after))
    )
}

fn short(v: &DisplayValue) -> String {
    let s = v.to_string();
    if s.chars().count() <= MAX_VALUE_CHARS {
        return s;
    }
    let cut: String = s.chars().take(MAX_VALUE_CHARS - 1).collect();
    format!("{cut}…")
}

fn cost_text(c: &CostEffect) -> String {
    let mut text = cost_sides(c);
    if c.unpriced_components > 0 {
        let _ = write!(
            text,
            ", {} unpriced component{}",
            c.unpriced_components,
            plural(c.unpriced_components)
        );
    }
    text
}

fn cost_sides(c: &CostEffect) -> String {
    let side = |d: Option<Decimal>| d.map(money).unwrap_or_else(|| "?".into());
    match c.delta() {
        Some(delta) => format!(
            "{} → {} ({})",
            side(c.monthly_before),
            side(c.monthly_after),
            signed_money(delta)
        ),
        None => format!("{} → {}", side(c.monthly_before), side(c.monthly_after)),
    }
}

fn money(d: Decimal) -> String {
    format!("${}", crate::cost::round_cents(d))
}

fn signed_money(d: Decimal) -> String {
    if d.is_sign_negative() && !d.is_zero() {
        format!("-{}", money(-d))
    } else {
        format!("+{}", money(d))
    }
}

fn code(s: &str) -> String {
    format!("<code>{}</code>", html(s))
}
