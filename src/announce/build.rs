//! A scan's analysis as a [`Notification`] (built by
//! [`Notification::from_drift`]), and the fingerprints dedup compares.

use crate::notify::Notification;
use crate::notify::build::Drifted;
use crate::notify::message::{NotificationKind, RunRef};
use crate::scan::Analysis;
use std::collections::{BTreeMap, BTreeSet};

impl Notification {
    /// [`Notification::from_drift`] of one scan's analysis.
    pub fn from_analysis(
        kind: NotificationKind,
        workspace: &str,
        run: &RunRef,
        analysis: &Analysis,
        new: &BTreeSet<String>,
        resolved: Vec<String>,
    ) -> Notification {
        let drifted = Drifted {
            result: &analysis.result,
            costs: &analysis.costs,
            integrity_alerts: &analysis.integrity_alerts,
        };
        Notification::from_drift(kind, workspace, run, drifted, new, resolved)
    }
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
pub(crate) mod tests {
    use super::*;
    use crate::notify::message::MoneyChange;
    use crate::notify::message::tests::{SECRETS, SensitiveDrift, run, sensitive_drift};

    /// The notifier's sensitive-password fixture as a scan's analysis.
    pub(crate) fn sensitive_analysis() -> Analysis {
        let SensitiveDrift {
            result,
            costs,
            integrity_alerts,
        } = sensitive_drift();
        Analysis {
            result,
            costs,
            integrity: None,
            integrity_alerts,
        }
    }
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
