//! Drift findings as a [`Notification`]: items with their display text
//! (masked by the drift engine), costs summed like the drift report, and
//! integrity alerts. Nothing here copies a plan or state value.

use super::Notification;
use super::message::{
    AlertNote, MoneyChange, NOTIFICATION_VERSION, NotificationKind, NotifiedChange, NotifiedItem,
    RunRef, Summary,
};
use crate::drift::{
    AttributeChange, CostEffect, CostTotals, DriftItem, DriftResult, IntegrityAlert,
};
use std::collections::{BTreeMap, BTreeSet};

/// What one scan found, as the notifier needs it (all from the drift engine).
#[derive(Debug, Clone, Copy)]
pub struct Drifted<'a> {
    pub result: &'a DriftResult,
    /// By item address; missing addresses have no cost.
    pub costs: &'a BTreeMap<String, CostEffect>,
    pub integrity_alerts: &'a [IntegrityAlert],
}

impl Notification {
    /// A drift-shaped notification (every kind but `scan_failed`). `new` names
    /// the fingerprints not announced before; `resolved` the addresses that no
    /// longer drift.
    pub fn from_drift(
        kind: NotificationKind,
        workspace: &str,
        run: &RunRef,
        drifted: Drifted<'_>,
        new: &BTreeSet<String>,
        resolved: Vec<String>,
    ) -> Notification {
        let items: Vec<NotifiedItem> = drifted
            .result
            .items
            .iter()
            .map(|i| item(i, drifted.costs.get(&i.address), new))
            .collect();
        let monthly_cost = totals(
            drifted
                .result
                .items
                .iter()
                .filter_map(|i| drifted.costs.get(&i.address)),
        );
        Notification {
            version: NOTIFICATION_VERSION.to_string(),
            kind,
            workspace: workspace.to_string(),
            run_id: run.run_id.clone(),
            run_url: run.run_url.clone(),
            summary: Summary {
                drifted_resources: items.len(),
                attribute_changes: items.iter().map(|i| i.changes.len()).sum(),
            },
            items,
            resolved,
            monthly_cost,
            integrity_alerts: drifted.integrity_alerts.iter().map(note).collect(),
            threshold: None,
            error: None,
            policies: Vec::new(),
        }
    }
}

fn item(i: &DriftItem, cost: Option<&CostEffect>, new: &BTreeSet<String>) -> NotifiedItem {
    NotifiedItem {
        address: i.address.clone(),
        resource_type: i.resource_type.clone(),
        kind: i.kind.as_str().to_string(),
        kind_label: i.kind.label().to_string(),
        fingerprint: i.fingerprint.clone(),
        new: new.contains(&i.fingerprint),
        changes: i.changes.iter().map(change).collect(),
        monthly_cost: cost.map(|c| MoneyChange {
            before: c.monthly_before,
            after: c.monthly_after,
            delta: c.delta(),
            unpriced_components: c.unpriced_components,
        }),
    }
}

/// Text only: `describe` masks sensitive changes, and the sides are never copied.
fn change(c: &AttributeChange) -> NotifiedChange {
    NotifiedChange {
        path: c.path.clone(),
        text: c.describe(),
        sensitive: c.sensitive,
    }
}

fn note(alert: &IntegrityAlert) -> AlertNote {
    AlertNote {
        alert: alert.clone(),
        message: alert.to_string(),
    }
}

/// Sums like the drift report ([`CostTotals`]); `None` when nothing is priced.
fn totals<'a>(costs: impl Iterator<Item = &'a CostEffect>) -> Option<MoneyChange> {
    let t = CostTotals::of(costs);
    let m = MoneyChange {
        before: t.monthly_before,
        after: t.monthly_after,
        delta: t.delta,
        unpriced_components: t.unpriced_components,
    };
    (m.before.is_some() || m.after.is_some() || m.unpriced_components > 0).then_some(m)
}
