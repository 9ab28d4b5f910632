//! `worker --once`: queue what is due (or everything), run the queue dry in
//! this process, and account for every run it queued, including those another
//! worker sharing the store holds or finished instead.
//!
//! The binary only draws progress and prints; what to queue, the waiting and
//! the exit code are decided here.

use super::{Finished, Worker, WorkerError, exit_code};
use crate::jobs::JobFile;
use crate::schedule::{FirstRun, due_from};
use crate::store::{RunId, RunRecord, RunStatus, Store, StoreError, Trigger};
use chrono::{DateTime, Utc};
use std::collections::BTreeSet;
use std::fmt;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

/// Which enabled workspaces a pass queues.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnceScope {
    /// Those with a schedule that is due now; one never scanned counts as due.
    Due,
    /// Every enabled workspace, scheduled or not (`--all`): manual runs.
    All,
}

/// A run this pass queued (or found already queued or running) for a workspace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedRun {
    pub workspace: String,
    pub run: RunId,
}

/// Queues the runs of one pass, in job-file order. A scheduled run records
/// its tick, so the scheduler and later passes see it as fired.
pub async fn queue_once(
    store: &Store,
    files: &[JobFile],
    scope: OnceScope,
) -> Result<Vec<QueuedRun>, WorkerError> {
    let now = store.now().await?;
    let mut queued = Vec::new();
    for ws in files
        .iter()
        .flat_map(|f| &f.workspaces)
        .filter(|w| !w.disabled)
    {
        let tick = match (&ws.schedule, scope) {
            (_, OnceScope::All) => None,
            (None, OnceScope::Due) => continue,
            (Some(schedule), OnceScope::Due) => {
                let last = store.last_scheduled(&ws.name).await?;
                match due_from(
                    schedule,
                    ws.jitter_offset(),
                    last,
                    now,
                    FirstRun::LatestTick,
                ) {
                    Some(t) => Some(t),
                    None => continue,
                }
            }
        };
        let trigger = if tick.is_some() {
            Trigger::Schedule
        } else {
            Trigger::Manual
        };
        let (run, _created) = store
            .enqueue(&ws.name, trigger, tick)
            .await
            .map_err(|source| WorkerError::Queue {
                workspace: ws.name.clone(),
                source,
            })?;
        queued.push(QueuedRun {
            workspace: ws.name.clone(),
            run,
        });
    }
    Ok(queued)
}

/// What one `--once` pass did.
#[derive(Debug)]
pub struct OnceReport {
    /// Runs the pass queued.
    pub queued: usize,
    /// Runs this process executed (recorded or not), sorted by workspace.
    pub finished: Vec<Finished>,
    /// Runs whose result this process recorded.
    pub executed_here: usize,
    pub notifications_sent: usize,
    pub notifications_failed: usize,
    /// Queued runs this process did not execute, and why.
    pub not_executed: Vec<NotExecuted>,
    /// As `driftcost scan`: 1 if a run failed or could not be executed here,
    /// else 2 if one drifted, else 0.
    pub exit_code: u8,
}

/// Runs the queue dry with `worker` (just built: it reports to this pass),
/// delivers the notifications the runs left, then looks up every queued run
/// it did not execute. `on_finished` sees each run as it ends (progress).
pub async fn run_once(
    worker: Worker,
    queued: &[QueuedRun],
    shutdown: CancellationToken,
    mut on_finished: impl FnMut(&Finished) + Send + 'static,
) -> Result<OnceReport, WorkerError> {
    let store = worker.shared.store.clone();
    let (tx, mut rx) = mpsc::unbounded_channel::<Finished>();
    let worker = worker.report_to(tx);
    let collector = tokio::spawn(async move {
        let mut done = Vec::new();
        while let Some(f) = rx.recv().await {
            on_finished(&f);
            done.push(f);
        }
        done
    });
    worker.run(shutdown, true).await?;
    let (sent, failed) = worker.deliver_notifications().await;
    // The last sender goes with the worker: the collector then ends.
    drop(worker);
    let mut finished = collector.await.unwrap_or_default();
    finished.sort_by(|a, b| a.workspace.cmp(&b.workspace));
    let executed: BTreeSet<RunId> = finished
        .iter()
        .filter(|f| f.recorded)
        .map(|f| f.run)
        .collect();
    let mut code = exit_code(&finished);
    let mut not_executed = Vec::new();
    for q in queued.iter().filter(|q| !executed.contains(&q.run)) {
        let why = NotHere::from_lookup(store.get_run(q.run).await);
        code = why.exit_code(code);
        not_executed.push(NotExecuted {
            workspace: q.workspace.clone(),
            run: q.run,
            why,
        });
    }
    Ok(OnceReport {
        queued: queued.len(),
        finished,
        executed_here: executed.len(),
        notifications_sent: sent,
        notifications_failed: failed,
        not_executed,
        exit_code: code,
    })
}

/// A queued run this process did not execute.
#[derive(Debug, Clone)]
pub struct NotExecuted {
    pub workspace: String,
    pub run: RunId,
    pub why: NotHere,
}

/// Why a queued run was not executed here, from the store's copy of it.
#[derive(Debug, Clone, PartialEq)]
pub enum NotHere {
    /// Still queued, or running under another worker's lease.
    Held {
        worker: Option<String>,
        until: Option<DateTime<Utc>>,
    },
    /// Another worker took it over and finished it: its result counts.
    FinishedElsewhere {
        worker: Option<String>,
        status: RunStatus,
        drifted: bool,
    },
    /// The run is gone from the store.
    Gone,
    /// The store could not be read.
    Unreadable(String),
}

impl NotHere {
    pub fn from_lookup(found: Result<Option<RunRecord>, StoreError>) -> NotHere {
        match found {
            Ok(Some(r)) if matches!(r.status, RunStatus::Queued | RunStatus::Running) => {
                NotHere::Held {
                    worker: r.worker,
                    until: r.lease_until,
                }
            }
            Ok(Some(r)) => NotHere::FinishedElsewhere {
                worker: r.worker,
                status: r.status,
                drifted: r.drift_item_count > 0,
            },
            Ok(None) => NotHere::Gone,
            Err(e) => NotHere::Unreadable(e.to_string()),
        }
    }

    /// The pass's exit code `code` with this run counted: an error (1)
    /// outranks drift (2), which outranks clean (0).
    pub fn exit_code(&self, code: u8) -> u8 {
        match self {
            NotHere::FinishedElsewhere {
                status: RunStatus::Succeeded,
                drifted: true,
                ..
            } if code != 1 => 2,
            NotHere::FinishedElsewhere {
                status: RunStatus::Succeeded,
                ..
            } => code,
            _ => 1,
        }
    }
}

impl fmt::Display for NotExecuted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (workspace, run) = (&self.workspace, self.run);
        match &self.why {
            NotHere::Held { worker, until } => {
                let by = match worker {
                    Some(w) => {
                        let until = until
                            .map(|t| format!(" until {}", t.format("%Y-%m-%d %H:%M:%S UTC")))
                            .unwrap_or_default();
                        format!("worker {w} holds it{until}")
                    }
                    None => "it is still queued".into(),
                };
                write!(
                    f,
                    "{workspace}: run {run} not executed here: {by}; try again after that"
                )
            }
            NotHere::FinishedElsewhere { worker, status, .. } => write!(
                f,
                "{workspace}: run {run} was executed by worker {} instead: {}",
                worker.as_deref().unwrap_or("?"),
                format!("{status:?}").to_lowercase()
            ),
            NotHere::Gone => write!(f, "{workspace}: run {run} is no longer in the store"),
            NotHere::Unreadable(e) => write!(f, "{workspace}: run {run}: cannot read it back: {e}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn files(dir: &std::path::Path) -> Vec<JobFile> {
        std::fs::create_dir_all(dir.join("ws")).unwrap();
        let text = "[[workspace]]\nname = \"hourly\"\ndir = \"ws\"\nschedule = \"@hourly\"\n\n\
                    [[workspace]]\nname = \"manual\"\ndir = \"ws\"\n\n\
                    [[workspace]]\nname = \"off\"\ndir = \"ws\"\nschedule = \"@hourly\"\ndisabled = true\n";
        vec![JobFile::parse(text, &dir.join("jobs.toml")).unwrap()]
    }

    async fn store(dir: &std::path::Path) -> Store {
        Store::open(dir.join("runs.db").to_str().unwrap())
            .await
            .unwrap()
    }

    fn names(q: &[QueuedRun]) -> Vec<&str> {
        q.iter().map(|q| q.workspace.as_str()).collect()
    }

    #[tokio::test]
    async fn due_pass_queues_scheduled_workspaces_never_scanned_and_records_the_tick() {
        let dir = tempfile::tempdir().unwrap();
        let (files, store) = (files(dir.path()), store(dir.path()).await);
        let queued = queue_once(&store, &files, OnceScope::Due).await.unwrap();
        assert_eq!(names(&queued), ["hourly"]);
        let run = store.get_run(queued[0].run).await.unwrap().unwrap();
        assert_eq!(run.trigger, Trigger::Schedule);
        assert!(run.scheduled_for.is_some());
        // Its tick is now recorded as fired: a second pass finds nothing due.
        assert_eq!(
            store.last_scheduled("hourly").await.unwrap(),
            run.scheduled_for
        );
    }

    #[tokio::test]
    async fn all_pass_queues_every_enabled_workspace_as_manual() {
        let dir = tempfile::tempdir().unwrap();
        let (files, store) = (files(dir.path()), store(dir.path()).await);
        let queued = queue_once(&store, &files, OnceScope::All).await.unwrap();
        assert_eq!(names(&queued), ["hourly", "manual"]);
        for q in &queued {
            let run = store.get_run(q.run).await.unwrap().unwrap();
            assert_eq!(run.trigger, Trigger::Manual);
            assert_eq!(run.scheduled_for, None);
        }
    }

    #[tokio::test]
    async fn a_second_pass_finds_the_runs_already_queued() {
        let dir = tempfile::tempdir().unwrap();
        let (files, store) = (files(dir.path()), store(dir.path()).await);
        let first = queue_once(&store, &files, OnceScope::All).await.unwrap();
        let second = queue_once(&store, &files, OnceScope::All).await.unwrap();
        assert_eq!(first, second);
    }

    #[tokio::test]
    async fn runs_not_executed_here_say_who_holds_them() {
        let dir = tempfile::tempdir().unwrap();
        let (files, store) = (files(dir.path()), store(dir.path()).await);
        let queued = queue_once(&store, &files, OnceScope::All).await.unwrap();
        let claimed = store
            .claim("other:1", Duration::from_secs(60))
            .await
            .unwrap()
            .unwrap();
        let line = |q: &QueuedRun, why: NotHere| {
            NotExecuted {
                workspace: q.workspace.clone(),
                run: q.run,
                why,
            }
            .to_string()
        };

        let held = queued.iter().find(|q| q.run == claimed.id).unwrap();
        let why = NotHere::from_lookup(store.get_run(held.run).await);
        let NotHere::Held { worker, until } = &why else {
            panic!("{why:?}")
        };
        assert_eq!(worker.as_deref(), Some("other:1"));
        assert!(until.is_some());
        assert_eq!(why.exit_code(0), 1);
        let text = line(held, why);
        assert!(text.contains("worker other:1 holds it until "), "{text}");

        let still = queued.iter().find(|q| q.run != claimed.id).unwrap();
        let why = NotHere::from_lookup(store.get_run(still.run).await);
        assert_eq!(
            why,
            NotHere::Held {
                worker: None,
                until: None
            }
        );
        let text = line(still, why);
        assert!(
            text.ends_with("it is still queued; try again after that"),
            "{text}"
        );

        let gone = NotHere::from_lookup(store.get_run(9999).await);
        assert_eq!(gone, NotHere::Gone);
        assert_eq!(gone.exit_code(2), 1);
    }

    #[test]
    fn runs_finished_elsewhere_count_like_runs_finished_here() {
        let elsewhere = |status, drifted| NotHere::FinishedElsewhere {
            worker: Some("other:1".into()),
            status,
            drifted,
        };
        // Drift raises clean to 2 but never hides an error.
        assert_eq!(elsewhere(RunStatus::Succeeded, true).exit_code(0), 2);
        assert_eq!(elsewhere(RunStatus::Succeeded, true).exit_code(1), 1);
        assert_eq!(elsewhere(RunStatus::Succeeded, false).exit_code(0), 0);
        assert_eq!(elsewhere(RunStatus::Succeeded, false).exit_code(2), 2);
        assert_eq!(elsewhere(RunStatus::Failed, false).exit_code(0), 1);
        assert_eq!(elsewhere(RunStatus::Cancelled, false).exit_code(2), 1);
        assert_eq!(NotHere::Unreadable("down".into()).exit_code(2), 1);
        let text = NotExecuted {
            workspace: "app".into(),
            run: 7,
            why: elsewhere(RunStatus::TimedOut, false),
        }
        .to_string();
        assert_eq!(
            text,
            "app: run 7 was executed by worker other:1 instead: timedout"
        );
    }
}
