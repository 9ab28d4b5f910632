//! The worker: claims queued runs from the store and scans them, many at once.
//!
//! Every run goes through the store's queue, whether the scheduler, the API or
//! `worker --once` asked for it, so one code path holds the lease, records the
//! result exactly once and decides what to notify. Several workers (processes
//! or machines) can share a PostgreSQL store; each run is claimed by one.
//!
//! Shutdown: on cancel the worker stops claiming, gives in-flight runs
//! `grace` to finish, then cancels them; terraform is killed with its process
//! group and the run is recorded as cancelled.
//!
//! Around it: [`StoreSink`] and [`scheduled`] connect the scheduler to the
//! store's queue (for `worker` and `serve --with-worker`); [`queue_once`] and
//! [`run_once`] are `worker --once`: what to queue, the drained queue, and
//! which queued runs were not executed here and why.

mod catalog;
mod execute;
mod notify;
mod once;
pub mod policies;
mod schedule_sink;

pub use catalog::Catalog;
pub use execute::run_result;
pub use notify::dispatch;
pub use once::{NotExecuted, NotHere, OnceReport, OnceScope, QueuedRun, queue_once, run_once};
pub use schedule_sink::{StoreSink, scheduled};

use crate::jobs::Workspace;
use crate::pricing::PriceTable;
use crate::runner::RunnerSettings;
use crate::scan::Outcome;
use crate::store::{ClaimedRun, RunId, RunStatus, Store, StoreError};
use chrono::Utc;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Semaphore, mpsc};
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

/// How one worker behaves; the same for all its runs.
#[derive(Debug, Clone)]
pub struct WorkerOptions {
    /// Unique among live workers (host and pid by default): leases name it.
    pub id: String,
    /// Runs at once in this worker, over all job files.
    pub concurrency: usize,
    /// How long a claim stays valid without renewal; a dead worker's runs are
    /// claimable again after this.
    pub lease: Duration,
    /// Wait between claims when the queue is empty.
    pub poll: Duration,
    /// Time in-flight runs get to finish after shutdown is asked.
    pub grace: Duration,
    /// Where people reach `driftcost serve` (e.g. `https://driftcost.example.com`):
    /// notifications then link each run's page, `<public_url>/runs/<id>`.
    /// Without it they name the run id only.
    pub public_url: Option<String>,
    pub runner: RunnerSettings,
    /// Called in the run's task just before each scan starts; a panic in it
    /// is a panic of that run (tests use it to show a crashing run is recorded).
    pub before_scan: Option<BeforeScan>,
}

/// A callback given each workspace as its scan starts.
#[derive(Clone)]
pub struct BeforeScan(pub Arc<dyn Fn(&Workspace) + Send + Sync>);

impl std::fmt::Debug for BeforeScan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BeforeScan(..)")
    }
}

impl Default for WorkerOptions {
    fn default() -> Self {
        WorkerOptions {
            id: default_worker_id(),
            concurrency: 4,
            lease: Duration::from_secs(60),
            poll: Duration::from_secs(2),
            grace: Duration::from_secs(30),
            public_url: None,
            runner: RunnerSettings::default(),
            before_scan: None,
        }
    }
}

/// `host:pid`: stable for the life of the process, distinct between processes.
pub fn default_worker_id() -> String {
    let host = std::fs::read_to_string("/etc/hostname")
        .ok()
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "worker".into());
    format!("{host}:{}", std::process::id())
}

#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("queueing {workspace}")]
    Queue {
        workspace: String,
        #[source]
        source: StoreError,
    },
}

/// What one executed run ended as, for `--once` summaries and progress.
#[derive(Debug, Clone)]
pub struct Finished {
    pub run: RunId,
    pub workspace: String,
    pub status: RunStatus,
    pub outcome: Outcome,
    pub drift_items: usize,
    pub monthly_delta: Option<rust_decimal::Decimal>,
    pub error: Option<String>,
    /// The run's policy outcome; `None`: no policies were evaluated.
    pub policy_outcome: Option<crate::store::PolicyLevel>,
    /// False when another worker took the run over (lease lost): nothing was recorded.
    pub recorded: bool,
    /// The drift report as a terminal table and as Markdown (masked, like the
    /// store's copy); only from a worker made [`with_drift_reports`](Worker::with_drift_reports).
    pub report_table: Option<String>,
    pub report_markdown: Option<String>,
    /// From claim to result.
    pub took: Duration,
}

/// Shared by every run task of one worker.
struct Shared {
    store: Store,
    catalog: Catalog,
    table: Arc<PriceTable>,
    options: WorkerOptions,
    /// Cancelled when the grace period ends: in-flight scans stop.
    hard_stop: CancellationToken,
    finished: Option<mpsc::UnboundedSender<Finished>>,
    /// Render each run's drift report into [`Finished`] (only the demo reads it).
    drift_reports: bool,
}

pub struct Worker {
    shared: Arc<Shared>,
}

impl Worker {
    pub fn new(
        store: Store,
        catalog: Catalog,
        table: Arc<PriceTable>,
        options: WorkerOptions,
    ) -> Self {
        Worker {
            shared: Arc::new(Shared {
                store,
                catalog,
                table,
                options,
                hard_stop: CancellationToken::new(),
                finished: None,
                drift_reports: false,
            }),
        }
    }

    /// Sends every finished run to `tx` (progress bars, `--once` summaries).
    pub fn report_to(mut self, tx: mpsc::UnboundedSender<Finished>) -> Self {
        if let Some(shared) = Arc::get_mut(&mut self.shared) {
            shared.finished = Some(tx);
        }
        self
    }

    /// Also renders each finished run's drift report (table and Markdown)
    /// into what [`report_to`](Self::report_to) sends.
    pub fn with_drift_reports(mut self) -> Self {
        if let Some(shared) = Arc::get_mut(&mut self.shared) {
            shared.drift_reports = true;
        }
        self
    }

    /// Delivers the outbox until it is empty: (sent, failed).
    pub async fn deliver_notifications(&self) -> (usize, usize) {
        dispatch(
            &self.shared.store,
            &self.shared.catalog,
            &self.shared.options.id,
            self.shared.options.lease,
        )
        .await
    }

    /// Delivers the outbox every `poll` until `shutdown`.
    pub async fn run_notifier(&self, shutdown: CancellationToken) {
        loop {
            self.deliver_notifications().await;
            tokio::select! {
                _ = tokio::time::sleep(self.shared.options.poll) => {}
                _ = shutdown.cancelled() => return,
            }
        }
    }

    /// Claims and runs queued scans until `shutdown`, or until the queue is
    /// empty when `drain` is set (`worker --once`). Returns the runs it executed.
    pub async fn run(
        &self,
        shutdown: CancellationToken,
        drain: bool,
    ) -> Result<usize, WorkerError> {
        let s = &self.shared;
        let slots = Arc::new(Semaphore::new(s.options.concurrency.max(1)));
        // Slot numbers, one per permit: each slot has its own plugin cache, so
        // parallel `terraform init`s never share one (terraform#31964, #32915).
        let free_slots: Arc<std::sync::Mutex<Vec<usize>>> = Arc::new(std::sync::Mutex::new(
            (0..s.options.concurrency.max(1)).rev().collect(),
        ));
        let mut tasks: JoinSet<()> = JoinSet::new();
        let mut executed = 0usize;
        loop {
            while tasks.try_join_next().is_some() {}
            if shutdown.is_cancelled() {
                break;
            }
            let permit = tokio::select! {
                p = slots.clone().acquire_owned() => p.expect("semaphore is never closed"),
                _ = shutdown.cancelled() => break,
            };
            match s.store.claim(&s.options.id, s.options.lease).await {
                Ok(Some(run)) => {
                    executed += 1;
                    let shared = self.shared.clone();
                    let free = free_slots.clone();
                    let slot = free
                        .lock()
                        .expect("slot list lock")
                        .pop()
                        .expect("a permit always has a slot");
                    tasks.spawn(async move {
                        execute_claimed(shared, run, slot).await;
                        free.lock().expect("slot list lock").push(slot);
                        drop(permit);
                    });
                }
                Ok(None) => {
                    drop(permit);
                    if drain {
                        if tasks.is_empty() {
                            break;
                        }
                        // Runs in flight may finish and queue nothing, or the
                        // queue may get runs another process enqueued: look again
                        // after one finishes.
                        tokio::select! {
                            _ = tasks.join_next() => {}
                            _ = shutdown.cancelled() => break,
                        }
                        continue;
                    }
                    tokio::select! {
                        _ = tokio::time::sleep(s.options.poll) => {}
                        _ = shutdown.cancelled() => break,
                    }
                }
                Err(e) => {
                    drop(permit);
                    tracing::warn!(error = %e, "claiming a run failed; retrying");
                    tokio::select! {
                        _ = tokio::time::sleep(s.options.poll) => {}
                        _ = shutdown.cancelled() => break,
                    }
                }
            }
        }
        if !tasks.is_empty() {
            tracing::info!(
                in_flight = tasks.len(),
                grace_s = s.options.grace.as_secs(),
                "stopping: no new claims; waiting for runs in flight"
            );
            let all_done = async { while tasks.join_next().await.is_some() {} };
            if tokio::time::timeout(s.options.grace, all_done)
                .await
                .is_err()
            {
                tracing::warn!("grace period over; cancelling the runs still in flight");
                s.hard_stop.cancel();
                while tasks.join_next().await.is_some() {}
            }
        }
        Ok(executed)
    }
}

/// Runs one claimed scan while a side task renews its lease; records the
/// result unless the lease was lost (then the other worker records it).
///
/// The scan runs in a task of its own: if it panics (any cause), the run is
/// recorded `failed` with the panic message, the lease renewer stops and the
/// worker goes on with its other runs.
async fn execute_claimed(s: Arc<Shared>, run: ClaimedRun, slot: usize) {
    let started_at = Utc::now();
    let worker = s.options.id.clone();
    let cancel = s.hard_stop.child_token();
    let lease_lost = CancellationToken::new();
    let renewer = {
        let store = s.store.clone();
        let (worker, lease, id) = (worker.clone(), s.options.lease, run.id);
        let (cancel, lost) = (cancel.clone(), lease_lost.clone());
        tokio::spawn(async move {
            let every = (lease / 3).max(Duration::from_millis(50));
            loop {
                tokio::time::sleep(every).await;
                match store.renew(id, &worker, lease).await {
                    Ok(true) => {}
                    Ok(false) => {
                        tracing::warn!(
                            run = id,
                            "lease lost to another worker; stopping this scan"
                        );
                        lost.cancel();
                        cancel.cancel();
                        return;
                    }
                    Err(e) => tracing::warn!(run = id, error = %e, "renewing the lease failed"),
                }
            }
        })
    };
    let inner = tokio::spawn(scan_claimed(
        s.clone(),
        run.clone(),
        slot,
        started_at,
        cancel,
        lease_lost.clone(),
    ));
    let joined = inner.await;
    renewer.abort();
    let Err(e) = joined else { return };
    if lease_lost.is_cancelled() {
        return;
    }
    let why = if e.is_panic() {
        let payload = e.into_panic();
        let text = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without a message".into());
        format!(
            "workspace {}: the scan crashed ({text}); this is a bug in driftcost, please report it with the log",
            run.workspace
        )
    } else {
        format!("workspace {}: the scan task was stopped", run.workspace)
    };
    tracing::error!(run = run.id, workspace = %run.workspace, "{why}");
    let result = execute::failed(started_at, why);
    let recorded = match s.store.complete(run.id, &worker, &result).await {
        Ok(r) => r,
        Err(e) => {
            tracing::error!(run = run.id, error = %e, "recording the crashed run failed; it will be claimed again when its lease ends");
            false
        }
    };
    report(&s, &run, &result, Outcome::Errored, recorded, None, false);
}

/// The scan of one claimed run and its record; see [`execute_claimed`].
async fn scan_claimed(
    s: Arc<Shared>,
    run: ClaimedRun,
    slot: usize,
    started_at: chrono::DateTime<Utc>,
    cancel: CancellationToken,
    lease_lost: CancellationToken,
) {
    let s = &*s;
    let worker = s.options.id.clone();
    let Some((ws, group)) = s.catalog.get(&run.workspace) else {
        let result = execute::failed(
            started_at,
            format!(
                "workspace {} is not defined in the job files this worker loaded",
                run.workspace
            ),
        );
        let recorded = s
            .store
            .complete(run.id, &worker, &result)
            .await
            .unwrap_or(false);
        report(s, &run, &result, Outcome::Errored, recorded, None, false);
        return;
    };
    // Per-job-file limit: waits here (lease renewed) while the group is full.
    let _group_permit = match group {
        Some(sem) => tokio::select! {
            p = sem.acquire_owned() => p.ok(),
            _ = cancel.cancelled() => None,
        },
        None => None,
    };
    let last = match s.store.last_integrity(&ws.name).await {
        Ok(l) => l,
        Err(e) => {
            tracing::warn!(workspace = %ws.name, error = %e, "previous integrity record unreadable; integrity not checked this run");
            None
        }
    };
    let mut runner = s.options.runner.clone();
    if let Some(base) = &runner.plugin_cache_dir {
        runner.plugin_cache_dir = Some(slot_cache_dir(base, slot));
    }
    if let Some(hook) = &s.options.before_scan {
        (hook.0)(ws);
    }
    let scan = execute::scan(ws, &runner, &s.table, last, &cancel).await;
    if lease_lost.is_cancelled() {
        tracing::warn!(run = run.id, workspace = %ws.name, "result discarded: another worker owns this run now");
        return;
    }
    let mut result = run_result(&scan, started_at, Utc::now());
    result.policies = policies::for_scan(
        s.catalog.policies(&ws.name),
        ws.cost_threshold.as_ref(),
        &scan,
        &result,
    )
    .await;
    // An approval of the same drift carries forward: announced and counted as approved.
    let carried = policies::carried_approval(&s.store, &ws.name, run.id, &result).await;
    let announced = carried
        .as_ref()
        .and(result.policies.as_ref())
        .map(crate::store::without_approved);
    let previous = match s.store.notify_state(&ws.name).await {
        Ok(p) => p,
        Err(e) => {
            tracing::warn!(workspace = %ws.name, error = %e, "notify state unreadable; announcing as new");
            None
        }
    };
    let (messages, state) = notify::plan(
        &s.catalog,
        &scan,
        run.id,
        s.options.public_url.as_deref(),
        previous.as_deref(),
        announced.as_ref().or(result.policies.as_ref()),
    );
    result.notifications = messages;
    result.notify_state = state;
    let recorded = match s.store.complete(run.id, &worker, &result).await {
        Ok(r) => r,
        Err(e) => {
            tracing::error!(run = run.id, workspace = %ws.name, error = %e, "recording the result failed; the run will be claimed again when its lease ends");
            false
        }
    };
    if recorded && let Some(from) = &carried {
        match s.store.carry_approval(run.id, from).await {
            Ok(_) => {
                tracing::info!(run = run.id, workspace = %ws.name, from = from.run_id, "approval of the same drift carried forward")
            }
            Err(e) => {
                tracing::error!(run = run.id, workspace = %ws.name, error = %e, "carrying the approval forward failed; the run waits for an approval")
            }
        }
    }
    let outcome = scan.outcome;
    report(
        s,
        &run,
        &result,
        outcome,
        recorded,
        Some(&scan),
        carried.is_some(),
    );
}

fn report(
    s: &Shared,
    run: &ClaimedRun,
    result: &crate::store::RunResult,
    outcome: Outcome,
    recorded: bool,
    scan: Option<&crate::scan::WorkspaceScan>,
    approved: bool,
) {
    // Rendering costs a table layout and Markdown per run: only when a
    // consumer is listening and asked for it.
    let reports = scan
        .filter(|_| s.finished.is_some() && s.drift_reports)
        .and_then(execute::drift_reports);
    let (report_table, report_markdown) = match reports {
        Some((t, m)) => (Some(t), Some(m)),
        None => (None, None),
    };
    let delta: Option<rust_decimal::Decimal> = {
        let deltas: Vec<_> = result.costs.values().filter_map(|c| c.delta()).collect();
        (!deltas.is_empty()).then(|| deltas.into_iter().sum())
    };
    tracing::info!(
        run = run.id,
        workspace = %run.workspace,
        status = ?result.status,
        drift_items = result.drift_items.len(),
        "run finished"
    );
    if let Some(tx) = &s.finished {
        let _ = tx.send(Finished {
            run: run.id,
            workspace: run.workspace.clone(),
            status: result.status,
            outcome,
            drift_items: result.drift_items.len(),
            monthly_delta: delta,
            policy_outcome: result.policies.as_ref().map(|p| {
                if approved {
                    crate::store::approved_outcome(p)
                } else {
                    p.outcome
                }
            }),
            error: result.error.clone(),
            recorded,
            report_table,
            report_markdown,
            took: (result.finished_at - result.started_at)
                .to_std()
                .unwrap_or_default(),
        });
    }
}

/// The plugin cache of one concurrency slot: runs in one slot never overlap,
/// so their inits can share it safely.
pub fn slot_cache_dir(base: &std::path::Path, slot: usize) -> std::path::PathBuf {
    base.join(format!("slot-{slot}"))
}

/// Exit code of a `--once` pass, as `driftcost scan`: 1 if any run failed
/// (or its policies could not be evaluated), else 2 if any drifted or a
/// policy failed or needs an approval, else 0 (warnings do not count).
pub fn exit_code(finished: &[Finished]) -> u8 {
    let by_outcome: BTreeMap<u8, usize> = finished.iter().fold(BTreeMap::new(), |mut m, f| {
        *m.entry(f.outcome.exit_code()).or_default() += 1;
        if let Some(code) = f.policy_outcome.and_then(policies::exit_code) {
            *m.entry(code).or_default() += 1;
        }
        m
    });
    if by_outcome.contains_key(&1) {
        1
    } else if by_outcome.contains_key(&2) {
        2
    } else {
        0
    }
}
