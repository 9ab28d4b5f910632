//! Shared by the notifier's integration tests: one sensitive drift that went
//! through the real drift engine, and a clock that does not wait.

use driftcost::drift::CostEffect;
use driftcost::drift::{DriftMode, IgnoreRules, IntegrityAlert, detect};
use driftcost::notify::send::Clock;
use driftcost::notify::{Notification, NotificationKind, RunRef};
use driftcost::plan::parse_plan;
use driftcost::scan::Analysis;
use rust_decimal_macros::dec;
use std::collections::BTreeMap;
use std::future::Future;
use std::path::Path;
use std::pin::Pin;
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

/// The plaintext passwords inside `drift_sensitive_password.json` (before and
/// after); terraform marks them sensitive, so no channel may ever carry them.
pub const SECRETS: [&str; 2] = [
    "hunter2-SUPER-secret-before",
    "rotated-OUT-OF-BAND-s3cret-after",
];

/// The drift engine's analysis of a plan whose RDS password and storage drifted.
pub fn sensitive_analysis() -> Analysis {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/drift_sensitive_password.json");
    let bytes = std::fs::read(&path).unwrap();
    assert!(
        SECRETS
            .iter()
            .all(|s| String::from_utf8_lossy(&bytes).contains(s)),
        "the fixture must hold the secrets for the no-leak assertions to mean anything"
    );
    let plan = parse_plan(&bytes, &path).unwrap();
    let result = detect(&plan, None, DriftMode::RefreshOnly, &IgnoreRules::default()).unwrap();
    let mut costs = BTreeMap::new();
    costs.insert(
        "aws_db_instance.main".to_string(),
        CostEffect {
            monthly_before: Some(dec!(14.71)),
            monthly_after: Some(dec!(19.31)),
            unpriced_components: 0,
        },
    );
    Analysis {
        result,
        costs,
        integrity: None,
        integrity_alerts: vec![IntegrityAlert::SerialRolledBack {
            previous: 5,
            current: 4,
        }],
    }
}

/// A drift notification for `workspace` built the way the worker builds it.
pub fn notification(kind: NotificationKind, workspace: &str, run_id: &str) -> Notification {
    let a = sensitive_analysis();
    let new = a
        .result
        .items
        .iter()
        .map(|i| i.fingerprint.clone())
        .collect();
    let resolved = if kind == NotificationKind::DriftResolved {
        vec!["aws_db_instance.main".to_string()]
    } else {
        Vec::new()
    };
    let mut n = Notification::from_analysis(
        kind,
        workspace,
        &RunRef {
            run_id: run_id.to_string(),
            run_url: Some(format!("https://driftcost.example.com/runs/{run_id}")),
        },
        &a,
        &new,
        resolved,
    );
    if kind == NotificationKind::DriftResolved {
        n.items.clear();
        n.summary = Default::default();
        n.monthly_cost = None;
        n.integrity_alerts.clear();
    }
    n
}

pub fn assert_no_secret(what: &str, text: &str) {
    for s in SECRETS {
        assert!(
            !text.contains(s),
            "{what} carries the sensitive value {s}:\n{text}"
        );
    }
}

/// Records the waits the retry loop asks for and returns at once.
#[derive(Default)]
pub struct FakeClock {
    pub slept: Mutex<Vec<Duration>>,
}

impl Clock for FakeClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
    fn sleep(&self, d: Duration) -> Pin<Box<dyn Future<Output = ()> + Send + '_>> {
        self.slept.lock().unwrap().push(d);
        Box::pin(async {})
    }
}
