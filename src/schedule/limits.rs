//! Concurrency limits for the worker that runs queued scans: a global cap,
//! an optional cap per job file, and never two runs of one workspace at once.
//!
//! The run store already refuses a second queued run of a busy workspace,
//! but a worker can also be handed the same workspace twice (an on-demand
//! trigger racing a scheduled tick across two store reads); this guard is the
//! in-process half of that promise and costs one set lookup.
//!
//! Permits are taken in the order overlap guard → job → global, so a run
//! waiting for its job's slot never holds a global slot that another job
//! could use.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Why a run could not start.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LimitError {
    #[error("workspace `{0}` is already running")]
    AlreadyRunning(String),
    #[error("the worker is shutting down and starts no new runs")]
    Closed,
}

pub struct RunLimits {
    global: Arc<Semaphore>,
    per_job: HashMap<String, Arc<Semaphore>>,
    running: Arc<Mutex<HashSet<String>>>,
}

/// Held for the duration of one run; dropping it frees the slots and the
/// workspace.
#[derive(Debug)]
pub struct RunPermit {
    _global: OwnedSemaphorePermit,
    _job: Option<OwnedSemaphorePermit>,
    _guard: RunningGuard,
}

#[derive(Debug)]
struct RunningGuard {
    workspace: String,
    running: Arc<Mutex<HashSet<String>>>,
}

impl Drop for RunningGuard {
    fn drop(&mut self) {
        self.running
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&self.workspace);
    }
}

impl RunLimits {
    /// At most `global` runs at once (at least 1).
    pub fn new(global: usize) -> Self {
        RunLimits {
            global: Arc::new(Semaphore::new(global.max(1))),
            per_job: HashMap::new(),
            running: Arc::default(),
        }
    }

    /// At most `limit` runs at once of the workspaces of `job` (a job file,
    /// by whatever key the caller uses, e.g. its path).
    pub fn with_job_limit(mut self, job: impl Into<String>, limit: usize) -> Self {
        self.per_job
            .insert(job.into(), Arc::new(Semaphore::new(limit.max(1))));
        self
    }

    /// Waits for a slot; fails at once if `workspace` is already running, and
    /// with `Closed` after [`close`](Self::close).
    pub async fn acquire(&self, job: &str, workspace: &str) -> Result<RunPermit, LimitError> {
        let guard = {
            let mut running = self.running.lock().unwrap_or_else(|p| p.into_inner());
            if !running.insert(workspace.to_string()) {
                return Err(LimitError::AlreadyRunning(workspace.to_string()));
            }
            RunningGuard {
                workspace: workspace.to_string(),
                running: self.running.clone(),
            }
        };
        let job_permit = match self.per_job.get(job) {
            Some(s) => Some(
                s.clone()
                    .acquire_owned()
                    .await
                    .map_err(|_| LimitError::Closed)?,
            ),
            None => None,
        };
        let global = self
            .global
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| LimitError::Closed)?;
        Ok(RunPermit {
            _global: global,
            _job: job_permit,
            _guard: guard,
        })
    }

    /// Stop handing out slots (shutdown): waiting and later `acquire`s fail
    /// with `Closed`; runs already holding a permit carry on.
    pub fn close(&self) {
        self.global.close();
        for s in self.per_job.values() {
            s.close();
        }
    }

    /// Runs holding a permit now.
    pub fn running(&self) -> usize {
        self.running.lock().unwrap_or_else(|p| p.into_inner()).len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    #[tokio::test]
    async fn no_overlap_per_workspace() {
        let limits = RunLimits::new(4);
        let p = limits.acquire("jobs/a.toml", "net").await.unwrap();
        assert_eq!(
            limits.acquire("jobs/a.toml", "net").await.unwrap_err(),
            LimitError::AlreadyRunning("net".into())
        );
        drop(p);
        assert!(limits.acquire("jobs/a.toml", "net").await.is_ok());
    }

    #[tokio::test(start_paused = true)]
    async fn global_and_job_limits_hold() {
        let limits = Arc::new(RunLimits::new(3).with_job_limit("small", 1));
        let now = Arc::new(AtomicUsize::new(0));
        let peak = Arc::new(AtomicUsize::new(0));
        let small_now = Arc::new(AtomicUsize::new(0));
        let small_peak = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for i in 0..20 {
            let job = if i % 4 == 0 { "small" } else { "big" };
            let (l, n, p, sn, sp) = (
                limits.clone(),
                now.clone(),
                peak.clone(),
                small_now.clone(),
                small_peak.clone(),
            );
            tasks.push(tokio::spawn(async move {
                let _permit = l.acquire(job, &format!("ws-{i}")).await.unwrap();
                p.fetch_max(n.fetch_add(1, Ordering::SeqCst) + 1, Ordering::SeqCst);
                if job == "small" {
                    sp.fetch_max(sn.fetch_add(1, Ordering::SeqCst) + 1, Ordering::SeqCst);
                }
                tokio::time::sleep(Duration::from_secs(1)).await;
                if job == "small" {
                    sn.fetch_sub(1, Ordering::SeqCst);
                }
                n.fetch_sub(1, Ordering::SeqCst);
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        assert_eq!(peak.load(Ordering::SeqCst), 3);
        assert_eq!(small_peak.load(Ordering::SeqCst), 1);
        assert_eq!(limits.running(), 0);
    }

    #[tokio::test]
    async fn close_refuses_new_runs() {
        let limits = RunLimits::new(1);
        let held = limits.acquire("j", "a").await.unwrap();
        limits.close();
        assert_eq!(
            limits.acquire("j", "b").await.unwrap_err(),
            LimitError::Closed
        );
        // the refused workspace is not left marked as running
        assert_eq!(limits.running(), 1);
        drop(held);
        assert_eq!(limits.running(), 0);
    }
}
