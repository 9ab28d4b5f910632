//! A scan's analysis as a [`Notification`]: items with their display text
//! (masked by the drift engine), costs summed like the drift report, and
//! integrity alerts. Nothing here copies a plan or state value.

use crate::drift::{AttributeChange, CostEffect, CostTotals, DriftItem, IntegrityAlert};
use crate::notify::Notification;
use crate::notify::message::{
    AlertNote, MoneyChange, NOTIFICATION_VERSION, NotificationKind, NotifiedChange, NotifiedItem,
    RunRef, Summary,
};
use crate::scan::Analysis;
use std::collections::{BTreeMap, BTreeSet};

impl Notification {
    /// A drift-shaped notification (every kind but `scan_failed`) from one
    /// scan's analysis. `new` names the fingerprints not announced before;
    /// `resolved` the addresses that no longer drift.
    pub fn from_analysis(
        kind: NotificationKind,
        workspace: &str,
        run: &RunRef,
        analysis: &Analysis,
        new: &BTreeSet<String>,
        resolved: Vec<String>,
    ) -> Notification {
        let items: Vec<NotifiedItem> = analysis
            .result
            .items
            .iter()
            .map(|i| item(i, analysis.costs.get(&i.address), new))
            .collect();
        let monthly_cost = totals(
            analysis
                .result
                .items
                .iter()
                .filter_map(|i| analysis.costs.get(&i.address)),
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
            integrity_alerts: analysis.integrity_alerts.iter().map(note).collect(),
            threshold: None,
            error: None,
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

/// Fingerprint → address of every drift item of an analysis, what dedup compares.
pub fn drift_fingerprints(analysis: &Analysis) -> BTreeMap<String, String> {
    analysis
        .result
        .items
        .iter()
        .map(|i| (i.fingerprint.clone(), i.address.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notify::message::tests::{SECRETS, run, sensitive_analysis};
    use rust_decimal_macros::dec;

    #[test]
    fn builds_items_costs_and_alerts_without_secrets() {
        let a = sensitive_analysis();
        let fps = drift_fingerprints(&a);
        let n = Notification::from_analysis(
            NotificationKind::DriftDetected,
            "db-prod",
            &run(),
            &a,
            &fps.keys().cloned().collect(),
            Vec::new(),
        );
        assert_eq!(n.summary.drifted_resources, 1);
        let db = &n.items[0];
        assert_eq!(db.address, "aws_db_instance.main");
        assert!(db.new);
        let texts: Vec<&str> = db.changes.iter().map(|c| c.text.as_str()).collect();
        assert!(texts.contains(&"allocated_storage: 20 → 50"), "{texts:?}");
        assert!(texts.contains(&"password: (sensitive value changed)"));
        assert_eq!(
            n.monthly_cost,
            Some(MoneyChange {
                before: Some(dec!(14.71)),
                after: Some(dec!(19.31)),
                delta: Some(dec!(4.6)),
                unpriced_components: 0,
            })
        );
        let json = n.to_json();
        for s in SECRETS {
            assert!(!json.contains(s), "{json}");
            assert!(!format!("{n:?}").contains(s));
        }
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["version"], "1");
        assert_eq!(v["kind"], "drift_detected");
        assert_eq!(v["monthly_cost"]["delta"], "4.6");
        assert_eq!(v["integrity_alerts"][0]["kind"], "serial_rolled_back");
        assert!(v.get("error").is_none() && v.get("threshold").is_none());
        // The contract round-trips, so receivers (and the outbox) can read it back.
        assert_eq!(serde_json::from_str::<Notification>(&json).unwrap(), n);
    }
}
