//! Run store semantics on SQLite files (PostgreSQL: `tests/it/store_postgres.rs`).

use super::db::Pool;
use super::*;
use crate::drift::CostEffect;
use crate::drift::{
    AttributeChange, DisplayValue, DriftCause, DriftItem, DriftKind, IntegrityAlert,
    IntegrityRecord,
};
use chrono::TimeDelta;
use rust_decimal_macros::dec;
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

const LEASE: Duration = Duration::from_secs(30);

async fn temp_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("runs.db");
    let store = Store::open(path.to_str().unwrap()).await.unwrap();
    (dir, store)
}

fn t0() -> DateTime<Utc> {
    "2025-03-01T06:00:00Z".parse().unwrap()
}

fn secs(n: i64) -> TimeDelta {
    TimeDelta::seconds(n)
}

fn item(address: &str, fingerprint: &str) -> DriftItem {
    DriftItem {
        address: address.into(),
        resource_type: "aws_instance".into(),
        name: address.rsplit('.').next().unwrap().into(),
        module_address: None,
        kind: DriftKind::Changed,
        cause: DriftCause::ChangedOutsideTerraform,
        actions: Vec::new(),
        changes: vec![
            AttributeChange {
                path: "instance_type".into(),
                steps: Vec::new(),
                before: DisplayValue::Value("t3.micro".into()),
                after: DisplayValue::Value("t3.large".into()),
                sensitive: false,
                fingerprint: format!("{fingerprint}-1"),
            },
            AttributeChange {
                path: "user_data".into(),
                steps: Vec::new(),
                before: DisplayValue::Sensitive,
                after: DisplayValue::Sensitive,
                sensitive: true,
                fingerprint: format!("{fingerprint}-2"),
            },
        ],
        fingerprint: fingerprint.into(),
        priceable_before: Some(serde_json::json!({"password": "hunter2"})),
        priceable_after: None,
    }
}

fn full_result(started: DateTime<Utc>, key: &str) -> RunResult {
    let mut costs = BTreeMap::new();
    costs.insert(
        "aws_instance.web".into(),
        CostEffect {
            monthly_before: Some(dec!(7.59)),
            monthly_after: Some(dec!(60.74)),
            // Stored and read back: a run's costs are lower bounds when not 0.
            unpriced_components: 2,
        },
    );
    costs.insert(
        "aws_instance.db".into(),
        CostEffect {
            monthly_before: Some(dec!(10.00)),
            monthly_after: None,
            unpriced_components: 0,
        },
    );
    RunResult {
        status: RunStatus::Succeeded,
        started_at: started,
        finished_at: started + TimeDelta::milliseconds(2500),
        tool_version: Some("1.11.0".into()),
        exit_status: Some(2),
        error: None,
        state_source: Some("s3://state/prod/terraform.tfstate".into()),
        drift_items: vec![
            item("aws_instance.web", "fp-web"),
            item("aws_instance.db", "fp-db"),
        ],
        costs,
        integrity: Some(IntegrityRecord {
            lineage: "L1".into(),
            serial: 42,
            sha256: "ab".repeat(32),
        }),
        integrity_alerts: vec![IntegrityAlert::SerialRolledBack {
            previous: 43,
            current: 42,
        }],
        report_json: Some("{\"version\": \"1\",  \"kept\": \"as is\"}".into()),
        notifications: vec![NewOutboxMessage {
            target: "slack:platform".into(),
            kind: "drift_detected".into(),
            payload: serde_json::json!({"workspace": "prod", "items": 2}),
            idempotency_key: key.into(),
        }],
        notify_state: Some(format!("{{\"announced_by\": \"{key}\"}}")),
        policies: None,
    }
}

async fn count(store: &Store, table: &str) -> i64 {
    let Pool::Sqlite(pool) = &store.pool else {
        unreachable!()
    };
    sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn enqueue_keeps_one_active_run_per_workspace() {
    let (_d, s) = temp_store().await;
    let (a, new_a) = s
        .enqueue_at("prod", Trigger::Api, None, t0())
        .await
        .unwrap();
    let (again, new_again) = s
        .enqueue_at("prod", Trigger::Manual, None, t0() + secs(1))
        .await
        .unwrap();
    assert!(new_a && !new_again);
    assert_eq!(a, again);
    let (b, new_b) = s.enqueue_at("dev", Trigger::Api, None, t0()).await.unwrap();
    assert!(new_b && b != a);

    // Still deduplicated while running; a new run once it finished.
    let c = s
        .claim_at("w1", LEASE, t0() + secs(2))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(c.id, a);
    assert_eq!(
        s.enqueue_at("prod", Trigger::Api, None, t0() + secs(3))
            .await
            .unwrap(),
        (a, false)
    );
    let r = RunResult::bare(RunStatus::Succeeded, t0() + secs(2), t0() + secs(4), None);
    assert!(s.complete(a, "w1", &r).await.unwrap());
    let (next, new_next) = s
        .enqueue_at("prod", Trigger::Api, None, t0() + secs(5))
        .await
        .unwrap();
    assert!(new_next && next > a);
}

#[tokio::test]
async fn claims_oldest_first_then_nothing() {
    let (_d, s) = temp_store().await;
    let mut ids = Vec::new();
    for (i, ws) in ["c", "a", "b"].iter().enumerate() {
        let at = t0() + secs(i as i64);
        ids.push(
            s.enqueue_at(ws, Trigger::Schedule, Some(at), at)
                .await
                .unwrap()
                .0,
        );
    }
    let now = t0() + secs(10);
    let mut claimed = Vec::new();
    while let Some(c) = s.claim_at("w1", LEASE, now).await.unwrap() {
        assert_eq!(c.attempt, 1);
        assert_eq!(c.trigger, Trigger::Schedule);
        assert_eq!(c.lease_until, now + secs(30));
        claimed.push((c.id, c.workspace));
    }
    assert_eq!(
        claimed,
        vec![
            (ids[0], "c".into()),
            (ids[1], "a".into()),
            (ids[2], "b".into())
        ]
    );
    let run = s.get_run(ids[0]).await.unwrap().unwrap();
    assert_eq!(run.status, RunStatus::Running);
    assert_eq!(run.worker.as_deref(), Some("w1"));
    assert_eq!(run.scheduled_for, Some(t0()));
}

#[tokio::test]
async fn expired_lease_is_reclaimed_and_the_dead_worker_loses() {
    let (_d, s) = temp_store().await;
    let (id, _) = s
        .enqueue_at("prod", Trigger::Api, None, t0())
        .await
        .unwrap();
    let lease = Duration::from_millis(50);
    let a = s.claim_at("dead", lease, t0()).await.unwrap().unwrap();
    // Within the lease nobody else gets it; renewing pushes it out.
    assert!(
        s.claim_at("live", lease, t0() + TimeDelta::milliseconds(40))
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        s.renew_at(id, "dead", lease, t0() + TimeDelta::milliseconds(40))
            .await
            .unwrap()
    );
    assert!(
        s.claim_at("live", lease, t0() + TimeDelta::milliseconds(80))
            .await
            .unwrap()
            .is_none()
    );
    // The lease runs out: the run is claimable again, attempt 2.
    let b = s
        .claim_at("live", LEASE, t0() + TimeDelta::milliseconds(91))
        .await
        .unwrap()
        .unwrap();
    assert_eq!((a.id, b.id, a.attempt, b.attempt), (id, id, 1, 2));
    assert!(!s.renew_at(id, "dead", lease, t0() + secs(1)).await.unwrap());
    let late = full_result(t0(), "k-dead");
    assert!(!s.complete(id, "dead", &late).await.unwrap());
    assert_eq!(count(&s, "drift_items").await, 0);
    assert_eq!(count(&s, "outbox").await, 0);
    let done = full_result(t0() + secs(1), "k-live");
    assert!(s.complete(id, "live", &done).await.unwrap());
    let run = s.get_run(id).await.unwrap().unwrap();
    assert_eq!((run.status, run.attempt), (RunStatus::Succeeded, 2));
    assert_eq!(run.worker.as_deref(), Some("live"));
    assert_eq!(run.lease_until, None);
}

#[tokio::test]
async fn real_clock_lease_expiry() {
    let (_d, s) = temp_store().await;
    let (id, _) = s.enqueue("prod", Trigger::Api, None).await.unwrap();
    let lease = Duration::from_millis(50);
    assert_eq!(s.claim("a", lease).await.unwrap().unwrap().id, id);
    assert!(s.claim("b", lease).await.unwrap().is_none());
    tokio::time::sleep(Duration::from_millis(80)).await;
    assert_eq!(s.claim("b", lease).await.unwrap().unwrap().attempt, 2);
}

#[tokio::test]
async fn notify_state_is_written_with_the_result_and_replaced_by_the_next() {
    let (_d, s) = temp_store().await;
    assert_eq!(s.notify_state("prod").await.unwrap(), None);
    for key in ["k1", "k2"] {
        let (id, _) = s.enqueue("prod", Trigger::Api, None).await.unwrap();
        s.claim("w1", LEASE).await.unwrap().unwrap();
        assert!(
            s.complete(id, "w1", &full_result(Utc::now(), key))
                .await
                .unwrap()
        );
        assert_eq!(
            s.notify_state("prod").await.unwrap().as_deref(),
            Some(format!("{{\"announced_by\": \"{key}\"}}").as_str())
        );
    }
    // A lost completion leaves the state alone.
    let (id, _) = s.enqueue("prod", Trigger::Api, None).await.unwrap();
    s.claim("w1", LEASE).await.unwrap().unwrap();
    assert!(
        !s.complete(id, "w2", &full_result(Utc::now(), "k3"))
            .await
            .unwrap()
    );
    assert!(
        s.notify_state("prod")
            .await
            .unwrap()
            .unwrap()
            .contains("k2")
    );
}

#[tokio::test]
async fn complete_writes_everything_once() {
    let (_d, s) = temp_store().await;
    let (id, _) = s
        .enqueue_at("prod", Trigger::Api, None, t0())
        .await
        .unwrap();
    s.claim_at("w1", LEASE, t0()).await.unwrap().unwrap();
    let result = full_result(t0() + secs(1), "k1");
    assert!(s.complete(id, "w1", &result).await.unwrap());
    // A second completion (a retry, another worker) writes nothing.
    assert!(!s.complete(id, "w1", &result).await.unwrap());
    assert!(!s.complete(id, "w2", &result).await.unwrap());
    assert_eq!(count(&s, "drift_items").await, 2);
    assert_eq!(count(&s, "run_costs").await, 2);
    assert_eq!(count(&s, "integrity_records").await, 1);
    assert_eq!(count(&s, "outbox").await, 1);

    let run = s.get_run(id).await.unwrap().unwrap();
    assert_eq!(run.status, RunStatus::Succeeded);
    assert_eq!(run.started_at, Some(t0() + secs(1)));
    assert_eq!(run.duration_ms, Some(2500));
    assert_eq!(run.tool_version.as_deref(), Some("1.11.0"));
    assert_eq!(run.exit_status, Some(2));
    assert_eq!(run.drift_item_count, 2);
    // Only the item priced on both sides counts: 60.74 - 7.59.
    assert_eq!(run.monthly_cost_delta, Some(dec!(53.15)));
    let detail = run.detail.unwrap();
    assert_eq!(detail.report_json, result.report_json);
    assert_eq!(detail.costs, result.costs);
    assert_eq!(detail.integrity, result.integrity);
    assert_eq!(detail.integrity_alerts, result.integrity_alerts);
    let addrs: Vec<&str> = detail
        .drift_items
        .iter()
        .map(|i| i.address.as_str())
        .collect();
    assert_eq!(addrs, ["aws_instance.web", "aws_instance.db"]);
    assert_eq!(detail.drift_items[0].changes, result.drift_items[0].changes);
    // Nothing beyond what DriftItem serializes: the priceable objects stay out.
    assert!(detail.drift_items[0].priceable_before.is_none());
    let Pool::Sqlite(pool) = &s.pool else {
        unreachable!()
    };
    let stored: String = sqlx::query_scalar("SELECT item FROM drift_items WHERE seq = 0")
        .fetch_one(pool)
        .await
        .unwrap();
    assert!(
        !stored.contains("hunter2") && stored.contains("\"sensitive\""),
        "{stored}"
    );

    assert_eq!(s.last_integrity("prod").await.unwrap(), result.integrity);
    assert_eq!(s.last_integrity("dev").await.unwrap(), None);
    assert_eq!(s.latest_finished("prod").await.unwrap().unwrap().id, id);
    assert_eq!(s.latest_succeeded("prod").await.unwrap().unwrap().id, id);
}

#[tokio::test]
async fn complete_rejects_an_active_status() {
    let (_d, s) = temp_store().await;
    let (id, _) = s
        .enqueue_at("prod", Trigger::Api, None, t0())
        .await
        .unwrap();
    s.claim_at("w1", LEASE, t0()).await.unwrap();
    let r = RunResult::bare(RunStatus::Running, t0(), t0(), None);
    let e = s.complete(id, "w1", &r).await.unwrap_err().to_string();
    assert!(
        e.contains("not final") && e.contains(&id.to_string()),
        "{e}"
    );
}

#[tokio::test]
async fn workspaces_and_metrics_summarize_the_latest_runs() {
    let (_d, s) = temp_store().await;
    // prod: succeeded with drift, then a failed run. dev: succeeded clean. qa: queued.
    let (p1, _) = s
        .enqueue_at("prod", Trigger::Api, None, t0())
        .await
        .unwrap();
    s.claim_at("w", LEASE, t0()).await.unwrap();
    assert!(s.complete(p1, "w", &full_result(t0(), "k")).await.unwrap());
    let (d1, _) = s.enqueue_at("dev", Trigger::Api, None, t0()).await.unwrap();
    s.claim_at("w", LEASE, t0()).await.unwrap();
    let clean = RunResult::bare(RunStatus::Succeeded, t0(), t0() + secs(20), None);
    assert!(s.complete(d1, "w", &clean).await.unwrap());
    let (p2, _) = s
        .enqueue_at("prod", Trigger::Api, None, t0() + secs(60))
        .await
        .unwrap();
    s.claim_at("w", LEASE, t0() + secs(60)).await.unwrap();
    let failed = RunResult::bare(
        RunStatus::Failed,
        t0() + secs(60),
        t0() + secs(61),
        Some("init failed".into()),
    );
    assert!(s.complete(p2, "w", &failed).await.unwrap());
    s.enqueue_at("qa", Trigger::Manual, None, t0() + secs(70))
        .await
        .unwrap();

    let ws = s.workspaces().await.unwrap();
    let names: Vec<&str> = ws.iter().map(|w| w.workspace.as_str()).collect();
    assert_eq!(names, ["dev", "prod", "qa"]);
    let prod = &ws[1];
    assert_eq!(
        (prod.last_run_id, prod.last_status),
        (p2, RunStatus::Failed)
    );
    assert_eq!(prod.last_run_at, t0() + secs(61));
    assert_eq!(prod.last_success_id, Some(p1));
    assert!(prod.drifted);
    assert_eq!(prod.drift_item_count, 2);
    assert_eq!(prod.monthly_cost_delta, Some(dec!(53.15)));
    assert!(!ws[0].drifted && ws[0].monthly_cost_delta.is_none());
    assert_eq!(
        (ws[2].last_status, ws[2].last_success_id),
        (RunStatus::Queued, None)
    );
    assert_eq!(s.latest_finished("prod").await.unwrap().unwrap().id, p2);
    assert_eq!(s.latest_succeeded("prod").await.unwrap().unwrap().id, p1);

    let m = s.metrics().await.unwrap();
    assert_eq!(m.runs_by_status[&RunStatus::Succeeded], 2);
    assert_eq!(m.runs_by_status[&RunStatus::Failed], 1);
    assert_eq!(m.runs_by_status[&RunStatus::Cancelled], 0);
    assert_eq!(m.queue_depth, 1);
    assert_eq!(m.oldest_queued_at, Some(t0() + secs(70)));
    assert_eq!(
        (m.workspaces, m.drifted_workspaces, m.outbox_pending),
        (3, 1, 1)
    );
    assert_eq!(m.durations.count, 3);
    assert_eq!(m.durations.sum_ms, 2500 + 20_000 + 1000);
    assert_eq!(m.durations.buckets[0], (1_000, 1));
    assert_eq!(m.durations.buckets[1], (5_000, 2));
    assert_eq!(m.durations.buckets[3], (30_000, 3));
}

#[tokio::test]
async fn tokens_are_stored_hashed_and_verified() {
    let (_d, s) = temp_store().await;
    let admin = s.create_token(Role::Admin, "ops").await.unwrap();
    let read = s.create_token(Role::Read, "dashboard").await.unwrap();
    assert!(admin.starts_with("dct_") && admin.len() == 68 && admin != read);
    assert_eq!(s.verify_token(&admin).await.unwrap(), Some(Role::Admin));
    assert_eq!(s.verify_token(&read).await.unwrap(), Some(Role::Read));
    assert_eq!(s.verify_token("dct_nope").await.unwrap(), None);
    assert_eq!(s.verify_token("").await.unwrap(), None);
    let mut flipped = admin.clone();
    flipped.pop();
    flipped.push('x');
    assert_eq!(s.verify_token(&flipped).await.unwrap(), None);
    // The secret itself is nowhere in the database.
    let Pool::Sqlite(pool) = &s.pool else {
        unreachable!()
    };
    let hashes: Vec<String> = sqlx::query_scalar("SELECT token_sha256 FROM api_tokens")
        .fetch_all(pool)
        .await
        .unwrap();
    assert!(
        hashes
            .iter()
            .all(|h| h.len() == 64 && !admin.contains(h.as_str()))
    );

    let list = s.list_tokens().await.unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(
        (list[0].role, list[0].label.as_str()),
        (Role::Read, "dashboard")
    );
    assert!(s.revoke_token(list[0].id).await.unwrap());
    assert!(!s.revoke_token(list[0].id).await.unwrap());
    assert_eq!(s.verify_token(&read).await.unwrap(), None);
}

#[tokio::test]
async fn outbox_delivers_at_least_once() {
    let (_d, s) = temp_store().await;
    let mut run_ids = Vec::new();
    for (i, key) in ["k1", "k2", "k1"].iter().enumerate() {
        let at = t0() + secs(i as i64);
        let (id, _) = s.enqueue_at("prod", Trigger::Api, None, at).await.unwrap();
        s.claim_at("w", LEASE, at).await.unwrap();
        let mut r = RunResult::bare(RunStatus::Succeeded, at, at, None);
        r.notifications = full_result(at, key).notifications;
        assert!(s.complete(id, "w", &r).await.unwrap());
        run_ids.push(id);
    }
    // The third run's "k1" was already queued: not again.
    assert_eq!(count(&s, "outbox").await, 2);

    let now = s.now().await.unwrap();
    let got = s.claim_outbox_at("n1", LEASE, 10, now).await.unwrap();
    assert_eq!(got.len(), 2);
    assert_eq!(
        (
            got[0].run_id,
            got[0].idempotency_key.as_str(),
            got[0].attempts
        ),
        (run_ids[0], "k1", 1)
    );
    assert_eq!(got[0].payload["items"], 2);
    assert!(
        s.claim_outbox_at("n2", LEASE, 10, now)
            .await
            .unwrap()
            .is_empty()
    );

    s.mark_sent(got[0].id).await.unwrap();
    s.mark_failed(got[1].id, "HTTP 503", now + secs(60))
        .await
        .unwrap();
    assert!(
        s.claim_outbox_at("n2", LEASE, 10, now + secs(59))
            .await
            .unwrap()
            .is_empty()
    );
    let retry = s
        .claim_outbox_at("n2", LEASE, 10, now + secs(60))
        .await
        .unwrap();
    assert_eq!(retry.len(), 1);
    assert_eq!((retry[0].id, retry[0].attempts), (got[1].id, 2));
    assert_eq!(retry[0].last_error.as_deref(), Some("HTTP 503"));
    // The sender died: after its lease the message is claimable again.
    assert!(
        s.claim_outbox_at("n3", LEASE, 10, now + secs(80))
            .await
            .unwrap()
            .is_empty()
    );
    let again = s
        .claim_outbox_at("n3", LEASE, 10, now + secs(91))
        .await
        .unwrap();
    assert_eq!((again.len(), again[0].attempts), (1, 3));
    s.mark_dead(again[0].id, "gave up").await.unwrap();
    assert!(
        s.claim_outbox_at("n3", LEASE, 10, now + secs(999))
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(s.metrics().await.unwrap().outbox_pending, 0);
}

#[tokio::test]
async fn list_runs_pages_newest_first() {
    let (_d, s) = temp_store().await;
    let mut all = Vec::new();
    for i in 0..25 {
        let ws = ["a", "b", "c"][i % 3];
        let at = t0() + secs(i as i64);
        let (id, _) = s.enqueue_at(ws, Trigger::Api, None, at).await.unwrap();
        s.claim_at("w", LEASE, at).await.unwrap();
        let r = RunResult::bare(RunStatus::Succeeded, at, at, None);
        assert!(s.complete(id, "w", &r).await.unwrap());
        all.push((id, ws));
    }
    let mut seen = Vec::new();
    let mut before = None;
    loop {
        let page = s.list_runs(None, 10, before).await.unwrap();
        if page.is_empty() {
            break;
        }
        assert!(page.len() <= 10);
        assert!(page.iter().all(|r| r.detail.is_none()));
        before = page.last().map(|r| r.id);
        seen.extend(page.into_iter().map(|r| r.id));
    }
    let mut expected: Vec<RunId> = all.iter().map(|r| r.0).collect();
    expected.reverse();
    assert_eq!(seen, expected);

    let b: Vec<RunId> = all.iter().filter(|r| r.1 == "b").map(|r| r.0).collect();
    let first = s.list_runs(Some("b"), 3, None).await.unwrap();
    let ids: Vec<RunId> = first.iter().map(|r| r.id).collect();
    assert_eq!(ids, b.iter().rev().take(3).copied().collect::<Vec<_>>());
    let next = s.list_runs(Some("b"), 3, Some(ids[2])).await.unwrap();
    assert_eq!(next[0].id, b[b.len() - 4]);
    assert!(next.iter().all(|r| r.workspace == "b"));
}

#[tokio::test]
async fn schedule_firings_are_remembered_even_when_deduplicated() {
    let (_d, s) = temp_store().await;
    assert_eq!(s.last_scheduled("prod").await.unwrap(), None);
    let tick1 = t0();
    let tick2 = t0() + secs(3600);
    s.enqueue_at("prod", Trigger::Schedule, Some(tick1), tick1)
        .await
        .unwrap();
    // Still queued at the next tick: deduplicated, but the firing counts.
    let (_, new) = s
        .enqueue_at("prod", Trigger::Schedule, Some(tick2), tick2)
        .await
        .unwrap();
    assert!(!new);
    assert_eq!(s.last_scheduled("prod").await.unwrap(), Some(tick2));
    // An older firing never moves it back; API triggers do not count.
    s.enqueue_at("prod", Trigger::Schedule, Some(tick1), tick2)
        .await
        .unwrap();
    s.enqueue_at("prod", Trigger::Api, Some(tick2 + secs(5)), tick2)
        .await
        .unwrap();
    assert_eq!(s.last_scheduled("prod").await.unwrap(), Some(tick2));
}

#[tokio::test]
async fn cancel_running_marks_only_this_workers_runs() {
    let (_d, s) = temp_store().await;
    for ws in ["a", "b", "c"] {
        s.enqueue_at(ws, Trigger::Api, None, t0()).await.unwrap();
    }
    let a = s.claim_at("w1", LEASE, t0()).await.unwrap().unwrap();
    let b = s.claim_at("w2", LEASE, t0()).await.unwrap().unwrap();
    let n = s
        .cancel_running_at("w1", "worker shut down", t0() + secs(5))
        .await
        .unwrap();
    assert_eq!(n, 1);
    let ra = s.get_run(a.id).await.unwrap().unwrap();
    assert_eq!(ra.status, RunStatus::Cancelled);
    assert_eq!(ra.error.as_deref(), Some("worker shut down"));
    assert_eq!(ra.duration_ms, Some(5000));
    assert_eq!(
        s.get_run(b.id).await.unwrap().unwrap().status,
        RunStatus::Running
    );
    // Cancelled means it cannot be completed late either.
    let r = RunResult::bare(RunStatus::Succeeded, t0(), t0(), None);
    assert!(!s.complete(a.id, "w1", &r).await.unwrap());
}

#[tokio::test]
async fn reopening_keeps_data_and_reruns_no_migration() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("nested.db").display());
    let s = Store::open(&url).await.unwrap();
    let (id, _) = s.enqueue("prod", Trigger::Api, None).await.unwrap();
    s.close().await;
    let s = Store::open(&url).await.unwrap();
    assert_eq!(s.get_run(id).await.unwrap().unwrap().workspace, "prod");
    let Pool::Sqlite(pool) = &s.pool else {
        unreachable!()
    };
    let applied: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations")
        .fetch_one(pool)
        .await
        .unwrap();
    assert_eq!(applied as usize, super::db::SQLITE_MIGRATIONS.len());
}

#[tokio::test]
async fn sqlite_files_use_wal() {
    let (dir, s) = temp_store().await;
    let Pool::Sqlite(pool) = &s.pool else {
        unreachable!()
    };
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(pool)
        .await
        .unwrap();
    assert_eq!(mode, "wal");
    s.enqueue("prod", Trigger::Api, None).await.unwrap();
    assert!(dir.path().join("runs.db-wal").exists());
}

#[tokio::test]
async fn memory_store_and_bad_urls() {
    let s = Store::open("sqlite::memory:").await.unwrap();
    let (id, _) = s.enqueue("prod", Trigger::Api, None).await.unwrap();
    // One connection, so the data is seen by the next query.
    assert!(s.get_run(id).await.unwrap().is_some());
    assert_eq!(s.backend(), Backend::Sqlite);
    let e = Store::open("mysql://u:pw@h/db")
        .await
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("unsupported scheme `mysql`") && !e.contains("pw"),
        "{e}"
    );
    let e = Store::open("postgres://u:pw@127.0.0.1:1/db")
        .await
        .unwrap_err()
        .to_string();
    assert!(e.contains("127.0.0.1:1") && !e.contains("pw"), "{e}");
}

/// Two pools on one file claim concurrently: every run is completed exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_pools_on_one_file_complete_each_run_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shared.db");
    let url = path.to_str().unwrap().to_string();
    let first = Store::open(&url).await.unwrap();
    let second = Store::open(&url).await.unwrap();
    let mut queued = BTreeSet::new();
    for i in 0..60 {
        queued.insert(
            first
                .enqueue(&format!("ws{i}"), Trigger::Schedule, None)
                .await
                .unwrap()
                .0,
        );
    }
    let work = |s: Store, name: &'static str| {
        tokio::spawn(async move {
            let mut done = Vec::new();
            while let Some(c) = s.claim(name, LEASE).await.unwrap() {
                let now = Utc::now();
                let r = RunResult::bare(RunStatus::Succeeded, now, now, None);
                assert!(
                    s.complete(c.id, name, &r).await.unwrap(),
                    "run {} taken twice",
                    c.id
                );
                done.push(c.id);
            }
            done
        })
    };
    let started = std::time::Instant::now();
    let (a, b) = tokio::join!(work(first.clone(), "w1"), work(second, "w2"));
    let (a, b) = (a.unwrap(), b.unwrap());
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "sqlite: 60 runs claimed+completed by 2 pools in {secs:.3}s = {:.0} runs/s",
        60.0 / secs
    );
    let all: BTreeSet<RunId> = a.iter().chain(&b).copied().collect();
    assert_eq!(a.len() + b.len(), 60, "no run completed twice");
    assert_eq!(all, queued);
    assert!(
        !a.is_empty() && !b.is_empty(),
        "both workers got work: {} / {}",
        a.len(),
        b.len()
    );
    let m = first.metrics().await.unwrap();
    assert_eq!(m.runs_by_status[&RunStatus::Succeeded], 60);
}

#[tokio::test]
async fn a_lease_beyond_the_calendar_is_clamped_not_a_panic() {
    let (_dir, store) = temp_store().await;
    store.enqueue("huge", Trigger::Manual, None).await.unwrap();
    let claimed = store
        .claim("w1", std::time::Duration::MAX)
        .await
        .unwrap()
        .unwrap();
    assert!(claimed.lease_until > chrono::Utc::now() + chrono::TimeDelta::days(365));
    assert!(
        store
            .renew(claimed.id, "w1", std::time::Duration::MAX)
            .await
            .unwrap()
    );
}
