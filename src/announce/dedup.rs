//! What to send after a scan, given what was announced before: the same drift
//! is announced once, repeated only after the reminder interval, and its
//! disappearance is announced once.
//!
//! Pure: the caller loads the previous [`Announced`] (the run store keeps one
//! per workspace and target set), passes the clock, and stores the returned
//! one in the same transaction as the outbox rows.
//!
//! Rules, per workspace:
//! - drift: nothing announced and drift now → `drift_detected`; a different
//!   set of drift fingerprints (new, changed or partly gone) → `drift_changed`;
//!   the same set → nothing, or `reminder` once the interval has passed since
//!   the last announcement; drift gone → one `drift_resolved`.
//! - cost: the total monthly delta's level (none / warn / fail) is compared
//!   with the level last announced; a new warn or fail level sends one
//!   `cost_threshold`. Falling back to none resets silently, so the next
//!   crossing is announced again. A delta that leaves out components without
//!   a price is a lower bound, so it never stays below a threshold: it reaches
//!   the highest configured level unless the job sets
//!   `cost_threshold.allow_unpriced = true` (then only the priced delta counts).
//! - integrity: every alert is sent (each is itself a change between two scans).
//! - scan failure: sent once per distinct error, again after the reminder
//!   interval; a failed scan never resolves or changes announced drift.

use super::build::drift_fingerprints;
use crate::notify::message::{
    CostLevel, MoneyChange, Notification, NotificationKind, RunRef, ThresholdInfo,
};
use crate::scan::{Outcome, WorkspaceScan};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, SystemTime};

/// What was announced for a workspace, kept between scans by the run store.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Announced {
    /// Fingerprint → address of the drift items last announced.
    #[serde(default)]
    pub drift: BTreeMap<String, String>,
    /// When drift was last announced (detected, changed or reminded).
    #[serde(default)]
    pub drift_at: Option<SystemTime>,
    /// The cost threshold level last announced (`None`: below every threshold).
    #[serde(default)]
    pub cost_level: Option<CostLevel>,
    /// The scan error last announced, while scans keep failing.
    #[serde(default)]
    pub failure: Option<String>,
    #[serde(default)]
    pub failure_at: Option<SystemTime>,
    /// Keys (sha256) of the policy findings last announced as failed, awaiting
    /// approval or in error; see [`super::policy`].
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub policy_failed: BTreeSet<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy_at: Option<SystemTime>,
}

/// Per job: how often to repeat unchanged drift, and the cost thresholds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NotifyPolicy {
    /// `None`: unchanged drift is never announced again.
    pub reminder: Option<Duration>,
    pub cost: CostThresholds,
}

/// Monthly cost delta (USD) at or above which a level applies; an increase only.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CostThresholds {
    pub warn: Option<Decimal>,
    pub fail: Option<Decimal>,
    /// Judge on the priced delta alone even when components have no price
    /// (`cost_threshold.allow_unpriced`); by default such a delta reaches the
    /// highest configured level, since the real delta may be anything above it.
    pub allow_unpriced: bool,
}

impl CostThresholds {
    /// The level a scan's total cost change reaches, with that level's limit:
    /// [`CostThresholds::level`] of the priced delta, raised to the highest
    /// configured level when components have no price and the job does not
    /// allow that. `None` when below every threshold (or none is configured).
    pub fn level_of(&self, money: Option<&MoneyChange>) -> Option<(CostLevel, Decimal)> {
        let priced = money
            .and_then(|m| m.delta)
            .and_then(|delta| self.level(delta));
        let unpriced = money.map_or(0, |m| m.unpriced_components);
        if unpriced == 0 || self.allow_unpriced {
            return priced;
        }
        let highest = match (self.fail, self.warn) {
            (Some(fail), _) => Some((CostLevel::Fail, fail)),
            (None, Some(warn)) => Some((CostLevel::Warn, warn)),
            (None, None) => None,
        };
        priced.max(highest)
    }

    /// The highest level `delta` reaches, with that level's limit.
    pub fn level(&self, delta: Decimal) -> Option<(CostLevel, Decimal)> {
        match (self.fail, self.warn) {
            (Some(fail), _) if delta >= fail => Some((CostLevel::Fail, fail)),
            (_, Some(warn)) if delta >= warn => Some((CostLevel::Warn, warn)),
            _ => None,
        }
    }
}

/// The drift part of the decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DriftDecision {
    Nothing,
    Detected,
    /// `new`: fingerprints not announced before; `resolved`: addresses that
    /// no longer drift at all.
    Changed {
        new: BTreeSet<String>,
        resolved: Vec<String>,
    },
    Reminder,
    /// The addresses announced before.
    Resolved {
        addresses: Vec<String>,
    },
}

/// Compares the current drift (fingerprint → address) with the announced one.
pub fn decide_drift(
    previous: &Announced,
    current: &BTreeMap<String, String>,
    reminder: Option<Duration>,
    now: SystemTime,
) -> DriftDecision {
    match (previous.drift.is_empty(), current.is_empty()) {
        (true, true) => DriftDecision::Nothing,
        (true, false) => DriftDecision::Detected,
        (false, true) => DriftDecision::Resolved {
            addresses: unique_addresses(previous.drift.values()),
        },
        (false, false) => {
            if previous.drift.keys().eq(current.keys()) {
                return if due(previous.drift_at, reminder, now) {
                    DriftDecision::Reminder
                } else {
                    DriftDecision::Nothing
                };
            }
            let new = current
                .keys()
                .filter(|fp| !previous.drift.contains_key(*fp))
                .cloned()
                .collect();
            let still: BTreeSet<&String> = current.values().collect();
            let resolved = unique_addresses(previous.drift.values().filter(|a| !still.contains(a)));
            DriftDecision::Changed { new, resolved }
        }
    }
}

/// Whether a level reached now is worth a message, given the one announced.
pub fn decide_cost(previous: Option<CostLevel>, current: Option<CostLevel>) -> bool {
    current.is_some() && current != previous
}

pub(crate) fn due(last: Option<SystemTime>, interval: Option<Duration>, now: SystemTime) -> bool {
    match (last, interval) {
        (Some(last), Some(interval)) => now
            .duration_since(last)
            .is_ok_and(|elapsed| elapsed >= interval),
        // Announced with no time kept: remind rather than stay silent forever.
        (None, Some(_)) => true,
        (_, None) => false,
    }
}

fn unique_addresses<'a>(addresses: impl Iterator<Item = &'a String>) -> Vec<String> {
    addresses
        .collect::<BTreeSet<_>>()
        .into_iter()
        .cloned()
        .collect()
}

/// The notifications to queue for one scan, and what to remember as announced.
#[derive(Debug, Clone, PartialEq)]
pub struct Outgoing {
    /// In send order: drift, cost threshold, integrity, failure.
    pub notifications: Vec<Notification>,
    pub announced: Announced,
}

/// Applies the rules in the module docs to one scan.
pub fn notifications_for(
    scan: &WorkspaceScan,
    run: &RunRef,
    previous: &Announced,
    policy: &NotifyPolicy,
    now: SystemTime,
) -> Outgoing {
    let mut announced = previous.clone();
    let mut notifications = Vec::new();
    let analysis = match (&scan.analysis, scan.outcome) {
        (_, Outcome::Disabled) => {
            return Outgoing {
                notifications,
                announced,
            };
        }
        (Some(a), Outcome::NoDrift | Outcome::Drifted) => a,
        _ => {
            let error = scan.error.as_deref().unwrap_or("the scan failed");
            let same = previous.failure.as_deref() == Some(error);
            if !same || due(previous.failure_at, policy.reminder, now) {
                notifications.push(Notification::scan_failed(&scan.workspace, run, error));
                announced.failure = Some(error.to_string());
                announced.failure_at = Some(now);
            }
            return Outgoing {
                notifications,
                announced,
            };
        }
    };
    announced.failure = None;
    announced.failure_at = None;

    let current = drift_fingerprints(analysis);
    let build = |kind, new: &BTreeSet<String>, resolved: Vec<String>| {
        Notification::from_analysis(kind, &scan.workspace, run, analysis, new, resolved)
    };
    let none = BTreeSet::new();
    let drift = match decide_drift(previous, &current, policy.reminder, now) {
        DriftDecision::Nothing => None,
        DriftDecision::Detected => Some(build(
            NotificationKind::DriftDetected,
            &current.keys().cloned().collect(),
            Vec::new(),
        )),
        DriftDecision::Changed { new, resolved } => {
            Some(build(NotificationKind::DriftChanged, &new, resolved))
        }
        DriftDecision::Reminder => Some(build(NotificationKind::Reminder, &none, Vec::new())),
        DriftDecision::Resolved { addresses } => {
            Some(build(NotificationKind::DriftResolved, &none, addresses))
        }
    };
    if let Some(n) = drift {
        notifications.push(n);
        announced.drift_at = Some(now);
    }
    announced.drift = current;

    let mut n = build(NotificationKind::CostThreshold, &none, Vec::new());
    let level = policy.cost.level_of(n.monthly_cost.as_ref());
    if let Some((level, limit)) = level.filter(|(l, _)| decide_cost(previous.cost_level, Some(*l)))
    {
        n.threshold = Some(ThresholdInfo {
            level,
            limit,
            monthly_delta: n.monthly_cost.and_then(|m| m.delta),
            unpriced_components: n.monthly_cost.map_or(0, |m| m.unpriced_components),
        });
        notifications.push(n);
    }
    announced.cost_level = level.map(|(l, _)| l);

    if !analysis.integrity_alerts.is_empty() {
        notifications.push(build(NotificationKind::IntegrityAlert, &none, Vec::new()));
    }
    Outgoing {
        notifications,
        announced,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::announce::build::tests::sensitive_analysis;
    use crate::drift::CostEffect;
    use crate::notify::message::tests::run;
    use crate::scan::{Analysis, Timings};
    use rust_decimal_macros::dec;

    const HOUR: Duration = Duration::from_secs(3600);

    fn t(hours: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000) + HOUR * hours as u32
    }

    fn fps(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(f, a)| (f.to_string(), a.to_string()))
            .collect()
    }

    fn announced(pairs: &[(&str, &str)], at: SystemTime) -> Announced {
        Announced {
            drift: fps(pairs),
            drift_at: Some(at),
            ..Announced::default()
        }
    }

    #[test]
    fn new_drift_is_detected() {
        let d = decide_drift(&Announced::default(), &fps(&[("f1", "a.x")]), None, t(0));
        assert_eq!(d, DriftDecision::Detected);
    }

    #[test]
    fn no_drift_before_or_now_sends_nothing() {
        let d = decide_drift(&Announced::default(), &fps(&[]), Some(HOUR), t(99));
        assert_eq!(d, DriftDecision::Nothing);
    }

    #[test]
    fn same_drift_waits_for_the_reminder_interval() {
        let prev = announced(&[("f1", "a.x"), ("f2", "b.y")], t(0));
        let now = fps(&[("f2", "b.y"), ("f1", "a.x")]);
        let day = Some(HOUR * 24);
        assert_eq!(
            decide_drift(&prev, &now, day, t(23)),
            DriftDecision::Nothing
        );
        assert_eq!(
            decide_drift(&prev, &now, day, t(24)),
            DriftDecision::Reminder
        );
        assert_eq!(
            decide_drift(&prev, &now, None, t(1000)),
            DriftDecision::Nothing
        );
        // A clock that went backwards is not a reason to remind.
        assert_eq!(
            decide_drift(
                &announced(&[("f1", "a.x"), ("f2", "b.y")], t(50)),
                &now,
                day,
                t(10)
            ),
            DriftDecision::Nothing
        );
    }

    #[test]
    fn changed_drift_names_new_fingerprints_and_gone_addresses() {
        // a.x's drift changed value (new fingerprint, same address); b.y is gone; c.z is new.
        let prev = announced(&[("f1", "a.x"), ("f2", "b.y")], t(0));
        let now = fps(&[("f1b", "a.x"), ("f3", "c.z")]);
        assert_eq!(
            decide_drift(&prev, &now, None, t(1)),
            DriftDecision::Changed {
                new: ["f1b".to_string(), "f3".to_string()].into(),
                resolved: vec!["b.y".to_string()],
            }
        );
        // Only part of the drift went away: still a change, nothing new.
        let partly = fps(&[("f1", "a.x")]);
        assert_eq!(
            decide_drift(&prev, &partly, None, t(1)),
            DriftDecision::Changed {
                new: BTreeSet::new(),
                resolved: vec!["b.y".to_string()],
            }
        );
    }

    #[test]
    fn drift_gone_is_resolved_once() {
        let prev = announced(&[("f1", "a.x"), ("f2", "a.x")], t(0));
        assert_eq!(
            decide_drift(&prev, &fps(&[]), Some(HOUR), t(5)),
            DriftDecision::Resolved {
                addresses: vec!["a.x".to_string()]
            }
        );
    }

    #[test]
    fn thresholds_pick_the_highest_level_reached() {
        let th = CostThresholds {
            warn: Some(dec!(50)),
            fail: Some(dec!(200)),
            allow_unpriced: false,
        };
        assert_eq!(th.level(dec!(49.99)), None);
        assert_eq!(th.level(dec!(50)), Some((CostLevel::Warn, dec!(50))));
        assert_eq!(th.level(dec!(250)), Some((CostLevel::Fail, dec!(200))));
        assert_eq!(th.level(dec!(-500)), None, "savings never breach");
        let fail_only = CostThresholds {
            warn: None,
            fail: Some(dec!(10)),
            allow_unpriced: false,
        };
        assert_eq!(fail_only.level(dec!(9)), None);
        assert!(decide_cost(None, Some(CostLevel::Warn)));
        assert!(decide_cost(Some(CostLevel::Warn), Some(CostLevel::Fail)));
        assert!(!decide_cost(Some(CostLevel::Warn), Some(CostLevel::Warn)));
        assert!(!decide_cost(Some(CostLevel::Fail), None));
    }

    fn scan(analysis: Option<Analysis>, error: Option<&str>) -> WorkspaceScan {
        let outcome = match (&analysis, error) {
            (Some(a), _) => a.outcome(),
            (None, _) => Outcome::Errored,
        };
        WorkspaceScan {
            workspace: "db-prod".into(),
            outcome,
            tool_version: None,
            state_source: None,
            analysis,
            error: error.map(str::to_string),
            failure: error.map(|_| crate::scan::Failure::Terraform { exit_code: Some(1) }),
            timings: Timings::default(),
            steps: Vec::new(),
        }
    }

    fn kinds(o: &Outgoing) -> Vec<NotificationKind> {
        o.notifications.iter().map(|n| n.kind).collect()
    }

    fn policy() -> NotifyPolicy {
        NotifyPolicy {
            reminder: Some(HOUR * 24),
            cost: CostThresholds {
                warn: Some(dec!(1)),
                fail: Some(dec!(100)),
                allow_unpriced: false,
            },
        }
    }

    #[test]
    fn a_scan_sequence_announces_once_reminds_and_resolves() {
        let mut drifted = sensitive_analysis();
        drifted.integrity_alerts.clear();
        let p = policy();

        let first = notifications_for(
            &scan(Some(drifted.clone()), None),
            &run(),
            &Announced::default(),
            &p,
            t(0),
        );
        assert_eq!(
            kinds(&first),
            vec![
                NotificationKind::DriftDetected,
                NotificationKind::CostThreshold
            ]
        );
        let th = first.notifications[1].threshold.unwrap();
        assert_eq!(
            (th.level, th.limit, th.monthly_delta),
            (CostLevel::Warn, dec!(1), Some(dec!(4.6)))
        );
        assert_eq!(first.announced.cost_level, Some(CostLevel::Warn));
        assert_eq!(first.announced.drift_at, Some(t(0)));

        let again = notifications_for(
            &scan(Some(drifted.clone()), None),
            &run(),
            &first.announced,
            &p,
            t(3),
        );
        assert!(again.notifications.is_empty(), "{:?}", kinds(&again));
        assert_eq!(again.announced, first.announced);

        // A failed scan in between is announced, and changes nothing about drift.
        let failed = notifications_for(
            &scan(None, Some("terraform plan timed out")),
            &run(),
            &again.announced,
            &p,
            t(4),
        );
        assert_eq!(kinds(&failed), vec![NotificationKind::ScanFailed]);
        assert_eq!(failed.announced.drift, first.announced.drift);
        let failed_again = notifications_for(
            &scan(None, Some("terraform plan timed out")),
            &run(),
            &failed.announced,
            &p,
            t(5),
        );
        assert!(failed_again.notifications.is_empty());

        let later = notifications_for(
            &scan(Some(drifted.clone()), None),
            &run(),
            &failed_again.announced,
            &p,
            t(24),
        );
        assert_eq!(kinds(&later), vec![NotificationKind::Reminder]);
        assert_eq!(later.announced.failure, None);
        assert_eq!(later.announced.drift_at, Some(t(24)));

        // The cost grows past fail: one threshold message, no drift message
        // (same fingerprints: the cost is not part of the drift).
        let mut pricier = drifted.clone();
        pricier.costs.insert(
            "aws_db_instance.main".into(),
            CostEffect {
                monthly_before: Some(dec!(10)),
                monthly_after: Some(dec!(150)),
                unpriced_components: 0,
            },
        );
        let costly = notifications_for(
            &scan(Some(pricier), None),
            &run(),
            &later.announced,
            &p,
            t(25),
        );
        assert_eq!(kinds(&costly), vec![NotificationKind::CostThreshold]);
        assert_eq!(
            costly.notifications[0].threshold.unwrap().level,
            CostLevel::Fail
        );

        let clean = Analysis {
            result: Default::default(),
            costs: BTreeMap::new(),
            integrity: None,
            integrity_alerts: Vec::new(),
        };
        let resolved = notifications_for(
            &scan(Some(clean.clone()), None),
            &run(),
            &costly.announced,
            &p,
            t(26),
        );
        assert_eq!(kinds(&resolved), vec![NotificationKind::DriftResolved]);
        assert_eq!(
            resolved.notifications[0].resolved,
            vec!["aws_db_instance.main"]
        );
        assert!(resolved.notifications[0].items.is_empty());
        assert_eq!(resolved.announced.cost_level, None);
        let quiet = notifications_for(
            &scan(Some(clean), None),
            &run(),
            &resolved.announced,
            &p,
            t(99),
        );
        assert!(quiet.notifications.is_empty());
    }

    #[test]
    fn integrity_alerts_are_always_sent_and_disabled_scans_send_nothing() {
        let a = sensitive_analysis();
        let prev = Announced {
            drift: drift_fingerprints(&a),
            drift_at: Some(t(0)),
            cost_level: Some(CostLevel::Warn),
            ..Announced::default()
        };
        let o = notifications_for(&scan(Some(a), None), &run(), &prev, &policy(), t(1));
        assert_eq!(kinds(&o), vec![NotificationKind::IntegrityAlert]);
        assert_eq!(o.notifications[0].integrity_alerts.len(), 1);

        let mut disabled = scan(None, None);
        disabled.outcome = Outcome::Disabled;
        let o = notifications_for(&disabled, &run(), &prev, &policy(), t(1));
        assert!(o.notifications.is_empty());
        assert_eq!(o.announced, prev);
    }
}
