//! The run store against a REAL PostgreSQL (the throwaway cluster that
//! `scripts/test-servers.sh start` runs): several workers share one queue,
//! claim with `FOR UPDATE SKIP LOCKED`, and a dead worker's run is re-claimed
//! after its lease and completed once. Each test gets a fresh database.
//! Without the server these tests fail, unless `DRIFTCOST_SKIP_SERVER_TESTS=1`.

use crate::support;

use chrono::Utc;
use driftcost::drift::{CostEffect, IntegrityRecord};
use driftcost::store::{
    Backend, NewOutboxMessage, Role, RunId, RunResult, RunStatus, Store, Trigger,
};
use rust_decimal_macros::dec;
use sqlx::{Connection, PgConnection};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use support::servers::FreshDb;
use support::store::drift_item;

/// A result with one drift item, one cost, an integrity record and one notification.
fn result_for(run: RunId) -> RunResult {
    let now = Utc::now();
    let mut r = RunResult::bare(RunStatus::Succeeded, now, now, None);
    r.drift_items = vec![drift_item("aws_instance.web")];
    r.costs = BTreeMap::from([(
        "aws_instance.web".to_string(),
        CostEffect {
            monthly_before: Some(dec!(7.59)),
            monthly_after: Some(dec!(15.1800)),
            unpriced_components: 3,
        },
    )]);
    r.integrity = Some(IntegrityRecord {
        lineage: "L".into(),
        serial: 3,
        sha256: "00".repeat(32),
    });
    r.report_json = Some(format!("{{\"version\": \"1\", \"run\": {run}}}"));
    r.notifications = vec![NewOutboxMessage {
        target: "webhook:ops".into(),
        kind: "drift_detected".into(),
        payload: serde_json::json!({"run": run}),
        idempotency_key: format!("run-{run}"),
    }];
    r
}

async fn count(url: &str, sql: &str) -> i64 {
    let mut c = PgConnection::connect(url).await.unwrap();
    sqlx::query_scalar(sql).fetch_one(&mut c).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_workers_complete_100_runs_exactly_once() {
    let Some(db) = FreshDb::new("two_workers_complete_100_runs_exactly_once").await else {
        return;
    };
    let runs = std::env::var("DRIFTCOST_STORE_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100usize);
    let setup = Store::open(&db.url).await.unwrap();
    assert_eq!(setup.backend(), Backend::Postgres);
    for i in 0..runs {
        let (_, new) = setup
            .enqueue(&format!("ws-{i:03}"), Trigger::Schedule, Some(Utc::now()))
            .await
            .unwrap();
        assert!(new);
    }
    // Two workers, each its own Store (its own pool), each claiming from 4 tasks.
    let claims: Arc<Mutex<HashMap<RunId, Vec<String>>>> = Arc::default();
    let lease = Duration::from_secs(30);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for w in ["worker-a", "worker-b"] {
        let store = Store::open(&db.url).await.unwrap();
        for t in 0..4 {
            let (store, claims) = (store.clone(), claims.clone());
            let name = format!("{w}:{t}");
            tasks.push(tokio::spawn(async move {
                let mut completed = 0usize;
                while let Some(c) = store.claim(&name, lease).await.unwrap() {
                    claims
                        .lock()
                        .unwrap()
                        .entry(c.id)
                        .or_default()
                        .push(name.clone());
                    assert_eq!(c.attempt, 1);
                    assert!(store.renew(c.id, &name, lease).await.unwrap());
                    assert!(
                        store
                            .complete(c.id, &name, &result_for(c.id))
                            .await
                            .unwrap()
                    );
                    completed += 1;
                }
                (name, completed)
            }));
        }
    }
    let mut per_worker: BTreeMap<String, usize> = BTreeMap::new();
    for t in tasks {
        let (name, n) = t.await.unwrap();
        *per_worker
            .entry(name.split(':').next().unwrap().to_string())
            .or_default() += n;
    }
    let elapsed = started.elapsed();
    eprintln!(
        "postgres: {runs} runs claimed+renewed+completed by 2 workers x 4 tasks in {:.3}s = {:.0} runs/s ({per_worker:?})",
        elapsed.as_secs_f64(),
        runs as f64 / elapsed.as_secs_f64()
    );
    let claims = claims.lock().unwrap().clone();
    assert_eq!(claims.len(), runs, "every run claimed");
    let doubles: Vec<_> = claims.iter().filter(|(_, w)| w.len() != 1).collect();
    assert!(doubles.is_empty(), "claimed twice: {doubles:?}");
    assert_eq!(per_worker.values().sum::<usize>(), runs);
    assert!(per_worker.values().all(|&n| n > 0), "{per_worker:?}");

    // The database agrees: each run once, each with exactly its own rows.
    let n = runs as i64;
    assert_eq!(
        count(
            &db.url,
            "SELECT COUNT(*) FROM runs WHERE status = 'succeeded' AND attempt = 1"
        )
        .await,
        n
    );
    assert_eq!(count(&db.url, "SELECT COUNT(*) FROM drift_items").await, n);
    assert_eq!(count(&db.url, "SELECT COUNT(*) FROM run_costs").await, n);
    assert_eq!(
        count(&db.url, "SELECT COUNT(*) FROM integrity_records").await,
        n
    );
    assert_eq!(count(&db.url, "SELECT COUNT(*) FROM outbox").await, n);
    let m = setup.metrics().await.unwrap();
    assert_eq!(m.runs_by_status[&RunStatus::Succeeded], runs as u64);
    assert_eq!((m.queue_depth, m.drifted_workspaces), (0, runs as u64));

    // Results read back through PostgreSQL types (NUMERIC, JSONB) unchanged.
    let run = setup
        .list_runs(Some("ws-007"), 10, None)
        .await
        .unwrap()
        .remove(0);
    assert_eq!(run.monthly_cost_delta, Some(dec!(7.59)));
    let got = setup.get_run(run.id).await.unwrap().unwrap();
    let detail = got.detail.unwrap();
    let want = result_for(run.id);
    assert_eq!(detail.costs, want.costs);
    assert_eq!(detail.report_json, want.report_json);
    assert_eq!(detail.integrity, want.integrity);
    assert_eq!(detail.drift_items[0].fingerprint, "fp-aws_instance.web");
    let ws = setup.workspaces().await.unwrap();
    assert_eq!(ws.len(), runs);
    assert!(ws.iter().all(|w| w.drifted && w.drift_item_count == 1));
    let sched = setup.last_scheduled("ws-007").await.unwrap().unwrap();
    assert!(sched <= Utc::now());
    setup.close().await;
    db.drop_db().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dead_workers_run_is_reclaimed_after_its_lease_and_completed_once() {
    let Some(db) = FreshDb::new("dead_worker_lease").await else {
        return;
    };
    let dead = Store::open(&db.url).await.unwrap();
    let live = Store::open(&db.url).await.unwrap();
    let (id, _) = live.enqueue("prod", Trigger::Api, None).await.unwrap();
    let short = Duration::from_millis(400);
    // The dead worker claims and then never renews (as if SIGKILLed).
    let c = dead.claim("dead", short).await.unwrap().unwrap();
    assert_eq!((c.id, c.attempt), (id, 1));
    assert!(
        live.claim("live", short).await.unwrap().is_none(),
        "lease still held"
    );
    tokio::time::sleep(Duration::from_millis(600)).await;
    let c = live
        .claim("live", Duration::from_secs(30))
        .await
        .unwrap()
        .unwrap();
    assert_eq!((c.id, c.attempt), (id, 2));
    assert!(live.claim("other", short).await.unwrap().is_none());
    assert!(live.complete(id, "live", &result_for(id)).await.unwrap());
    // The dead worker's late messages change nothing.
    assert!(!dead.renew(id, "dead", short).await.unwrap());
    assert!(!dead.complete(id, "dead", &result_for(id)).await.unwrap());
    assert!(!live.complete(id, "live", &result_for(id)).await.unwrap());
    assert_eq!(count(&db.url, "SELECT COUNT(*) FROM drift_items").await, 1);
    assert_eq!(count(&db.url, "SELECT COUNT(*) FROM outbox").await, 1);
    let run = live.get_run(id).await.unwrap().unwrap();
    assert_eq!(run.status, RunStatus::Succeeded);
    assert_eq!(run.worker.as_deref(), Some("live"));
    dead.close().await;
    live.close().await;
    db.drop_db().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_enqueues_and_opens_race_safely() {
    let Some(db) = FreshDb::new("concurrent_enqueues").await else {
        return;
    };
    // Workers starting together: the migration runs once (advisory lock).
    let opens: Vec<_> = (0..4)
        .map(|_| {
            let url = db.url.clone();
            tokio::spawn(async move { Store::open(&url).await.unwrap() })
        })
        .collect();
    let mut stores = Vec::new();
    for o in opens {
        stores.push(o.await.unwrap());
    }
    let tasks: Vec<_> = (0..20)
        .map(|i| {
            let s = stores[i % stores.len()].clone();
            tokio::spawn(async move { s.enqueue("prod", Trigger::Api, None).await.unwrap() })
        })
        .collect();
    let mut results = Vec::new();
    for t in tasks {
        results.push(t.await.unwrap());
    }
    assert_eq!(results.iter().filter(|r| r.1).count(), 1, "{results:?}");
    assert!(results.iter().all(|r| r.0 == results[0].0));
    assert_eq!(count(&db.url, "SELECT COUNT(*) FROM runs").await, 1);

    // Tokens and the outbox behave as on SQLite.
    let s = &stores[0];
    let secret = s.create_token(Role::Trigger, "ci").await.unwrap();
    assert_eq!(s.verify_token(&secret).await.unwrap(), Some(Role::Trigger));
    assert_eq!(s.verify_token("dct_0000").await.unwrap(), None);
    let id = results[0].0;
    s.claim("w", Duration::from_secs(30))
        .await
        .unwrap()
        .unwrap();
    assert!(s.complete(id, "w", &result_for(id)).await.unwrap());
    let a = stores[1]
        .claim_outbox("n1", Duration::from_secs(30), 10)
        .await
        .unwrap();
    let b = stores[2]
        .claim_outbox("n2", Duration::from_secs(30), 10)
        .await
        .unwrap();
    assert_eq!((a.len(), b.len()), (1, 0));
    assert_eq!(a[0].payload["run"], id);
    stores[1].mark_sent(a[0].id).await.unwrap();
    assert_eq!(s.metrics().await.unwrap().outbox_pending, 0);
    for s in stores {
        s.close().await;
    }
    db.drop_db().await;
}
