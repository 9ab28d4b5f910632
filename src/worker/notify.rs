//! Between a finished scan and the people who should hear about it: decide what
//! to announce (deduplicated against what was announced before), queue it in
//! the store's outbox with the run result, and deliver the outbox afterwards.
//!
//! At least once: a message is in the outbox before anything is sent, and is
//! marked sent only after delivery; a worker killed in between leaves it for
//! the next one. Receivers drop duplicates by the idempotency key.

use super::Catalog;
use crate::announce::{
    Announced, CostThresholds, NotifyPolicy, notifications_for, policy_notification,
};
use crate::notify::{self, Env, RunRef, idempotency_key};
use crate::scan::WorkspaceScan;
use crate::store::{NewOutboxMessage, RunPolicies, Store};
use std::time::{Duration, SystemTime};

/// What to queue for this scan and the dedup state to store with it. Nothing
/// (and no state change) for a workspace without notification targets.
pub fn plan(
    catalog: &Catalog,
    scan: &WorkspaceScan,
    run_id: i64,
    public_url: Option<&str>,
    previous: Option<&str>,
    policies: Option<&RunPolicies>,
) -> (Vec<NewOutboxMessage>, Option<String>) {
    let targets = catalog.targets(&scan.workspace);
    if targets.is_empty() {
        return (Vec::new(), None);
    }
    let previous: Announced = previous
        .and_then(|s| serde_json::from_str(s).ok())
        .unwrap_or_default();
    let threshold = catalog.cost_threshold(&scan.workspace);
    let policy = NotifyPolicy {
        reminder: targets.iter().filter_map(|t| t.reminder).min(),
        cost: CostThresholds {
            warn: threshold.and_then(|t| t.warn),
            fail: threshold.and_then(|t| t.fail),
            allow_unpriced: threshold.is_some_and(|t| t.allow_unpriced),
        },
    };
    let run = RunRef {
        run_id: run_id.to_string(),
        run_url: public_url.map(|base| format!("{}/runs/{run_id}", base.trim_end_matches('/'))),
    };
    let now = SystemTime::now();
    let mut out = notifications_for(scan, &run, &previous, &policy, now);
    if let Some(n) = policy_notification(
        scan,
        &run,
        policies,
        &mut out.announced,
        policy.reminder,
        now,
    ) {
        out.notifications.push(n);
    }
    let mut messages = Vec::new();
    for n in &out.notifications {
        for t in &targets {
            let payload = match serde_json::to_value(n) {
                Ok(p) => p,
                Err(e) => {
                    tracing::error!(error = %e, "notification not serializable");
                    continue;
                }
            };
            messages.push(NewOutboxMessage {
                target: t.name.clone(),
                kind: n.kind.as_str().to_string(),
                payload,
                idempotency_key: idempotency_key(n, &t.target),
            });
        }
    }
    let state = serde_json::to_string(&out.announced).ok();
    (messages, state)
}

/// Delivers what the outbox holds, a batch at a time, until it is empty.
/// Returns (sent, failed) counts.
///
/// Each batch is claimed for `lease` (the worker's `--lease`): a worker that
/// dies after sending but before marking leaves its batch to the next worker
/// once the lease ends, which sends it again with the same idempotency key.
pub async fn dispatch(
    store: &Store,
    catalog: &Catalog,
    worker: &str,
    lease: Duration,
) -> (usize, usize) {
    let env = Env::process();
    let (mut sent, mut failed) = (0, 0);
    loop {
        let batch = match store.claim_outbox(worker, lease, 20).await {
            Ok(b) => b,
            Err(e) => {
                tracing::warn!(error = %e, "claiming notifications failed");
                return (sent, failed);
            }
        };
        if batch.is_empty() {
            return (sent, failed);
        }
        for m in batch {
            let target = catalog
                .target(&m.target)
                .ok_or_else(|| {
                    format!(
                        "notify target `{}` is no longer defined in the job files",
                        m.target
                    )
                })
                .map(|t| t.target.clone());
            let notification = serde_json::from_value::<notify::Notification>(m.payload.clone())
                .map_err(|e| format!("stored notification unreadable: {e}"));
            let (target, notification) = match (target, notification) {
                (Ok(t), Ok(n)) => (t, n),
                (Err(e), _) | (_, Err(e)) => {
                    tracing::error!(id = m.id, target = %m.target, error = %e, "notification dropped");
                    let _ = store.mark_dead(m.id, &e).await;
                    failed += 1;
                    continue;
                }
            };
            match notify::deliver(&target, &notification, &env).await {
                Ok(d) => {
                    tracing::info!(id = m.id, target = %m.target, attempts = d.attempts, "notification delivered");
                    audit_issue(store, worker, &target, &notification, &d.outcome).await;
                    let _ = store.mark_sent(m.id).await;
                    sent += 1;
                }
                Err(e) if e.is_retryable() && m.attempts < 10 => {
                    let wait = e
                        .retry_after()
                        .unwrap_or(Duration::from_secs(60 << m.attempts.clamp(0, 6)));
                    let at =
                        chrono::Utc::now() + chrono::TimeDelta::from_std(wait).unwrap_or_default();
                    tracing::warn!(id = m.id, target = %m.target, error = %e, "notification will be retried");
                    let _ = store.mark_failed(m.id, &e.to_string(), at).await;
                    failed += 1;
                }
                Err(e) => {
                    tracing::error!(id = m.id, target = %m.target, error = %e, "notification failed for good");
                    let _ = store.mark_dead(m.id, &e.to_string()).await;
                    failed += 1;
                }
            }
        }
    }
}

/// Issues opened and closed go into the audit trail (the worker acted).
async fn audit_issue(
    store: &Store,
    worker: &str,
    target: &notify::Target,
    notification: &notify::Notification,
    outcome: &notify::Delivered,
) {
    use crate::store::{AuditAction, AuditEvent, AuditVia};
    let repo = match target {
        notify::Target::GithubIssue(g) => g.repo.clone(),
        _ => return,
    };
    let (action, what) = match outcome {
        notify::Delivered::IssueOpened { url, .. } => (AuditAction::IssueOpened, url.clone()),
        notify::Delivered::IssueClosed { number } => {
            (AuditAction::IssueClosed, format!("{repo}#{number}"))
        }
        _ => return,
    };
    let event = AuditEvent::new(worker, AuditVia::Worker, action)
        .workspace(notification.workspace.clone())
        .target(what);
    if let Err(e) = store.audit().record(event).await {
        tracing::error!(error = %e, "cannot write the audit trail");
    }
}
