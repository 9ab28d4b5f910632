//! `driftcost worker`: scans every workspace of `jobs/` on its schedule until
//! SIGTERM/SIGINT, or once (`--once`) for Kubernetes CronJobs and CI.

use super::store_url;
use anyhow::{Context, bail};
use clap::Args;
use driftcost::jobs::{JobFile, load_dir};
use driftcost::pricing::PriceTable;
use driftcost::runner::RunnerSettings;
use driftcost::schedule::{
    ScheduleSink, ScheduledWorkspace, Scheduler, SinkError, SystemClock, due,
};
use driftcost::store::{Store, Trigger};
use driftcost::worker::{Catalog, Finished, Worker, WorkerOptions, exit_code};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

#[derive(Args, Clone)]
pub struct WorkerArgs {
    /// Directory of job files (`*.toml`).
    #[arg(long, default_value = "jobs")]
    pub jobs: PathBuf,
    /// Run store: a SQLite file path / `sqlite:PATH`, or `postgres://…` (shared by
    /// several workers). Default: `driftcost.db` beside the jobs directory.
    #[arg(long, env = "DRIFTCOST_STORE")]
    pub store: Option<String>,
    /// Runs at once in this worker.
    #[arg(long, default_value_t = 4)]
    pub concurrency: usize,
    /// Claim lease; a worker that dies loses its runs, and notifications it was sending, to others after this.
    #[arg(long, default_value = "60s")]
    pub lease: humantime::Duration,
    /// Where people reach `driftcost serve` (https://HOST[:PORT]); notifications link each run there.
    #[arg(long, env = "DRIFTCOST_PUBLIC_URL", value_parser = public_url)]
    pub public_url: Option<String>,
    /// After SIGTERM/SIGINT, time in-flight runs get to finish before they are cancelled.
    #[arg(long, default_value = "30s")]
    pub grace: humantime::Duration,
    /// Scan what is due now (or everything with --all), then exit with the scan exit code.
    #[arg(long)]
    pub once: bool,
    /// With --once: scan every enabled workspace, due or not.
    #[arg(long, requires = "once")]
    pub all: bool,
    /// Provider plugin cache (`TF_PLUGIN_CACHE_DIR`); each concurrent slot gets its own
    /// subdirectory, so parallel inits never share one.
    #[arg(long, env = "DRIFTCOST_PLUGIN_CACHE_DIR")]
    pub plugin_cache_dir: Option<PathBuf>,
    /// Where per-run working copies go (default: the system temp dir).
    #[arg(long)]
    pub work_dir: Option<PathBuf>,
    /// Show a progress bar even when stderr is not a terminal (or never: --progress=false).
    #[arg(long)]
    pub progress: Option<bool>,
}

impl WorkerArgs {
    pub fn store_url(&self) -> String {
        store_url(self.store.as_deref(), &self.jobs)
    }

    pub fn load_jobs(&self) -> anyhow::Result<Vec<JobFile>> {
        load_dir(&self.jobs).map_err(|errors| {
            let lines: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
            anyhow::anyhow!(
                "{} problem(s) in the job files (see `driftcost jobs check {}`):\n{}",
                lines.len(),
                self.jobs.display(),
                lines.join("\n")
            )
        })
    }

    pub fn options(&self) -> WorkerOptions {
        WorkerOptions {
            concurrency: self.concurrency,
            lease: self.lease.into(),
            grace: self.grace.into(),
            public_url: self.public_url.clone(),
            runner: RunnerSettings {
                work_root: self.work_dir.clone().unwrap_or_else(std::env::temp_dir),
                cli_config_file: std::env::var_os("TF_CLI_CONFIG_FILE").map(PathBuf::from),
                plugin_cache_dir: self.plugin_cache_dir.clone(),
                ..RunnerSettings::default()
            },
            ..WorkerOptions::default()
        }
    }
}

/// `--public-url` must be an absolute http(s) URL: it ends up in every message.
fn public_url(s: &str) -> Result<String, String> {
    match reqwest::Url::parse(s) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => {
            Ok(s.trim_end_matches('/').to_string())
        }
        Ok(_) => Err(format!(
            "{s:?} is not an http(s) URL; use e.g. https://driftcost.example.com"
        )),
        Err(e) => Err(format!(
            "{s:?} is not a URL ({e}); use e.g. https://driftcost.example.com"
        )),
    }
}

/// The scheduler's view of the store: fired ticks are queued runs.
pub struct StoreSink(pub Store);

impl ScheduleSink for StoreSink {
    async fn last_fired(
        &self,
        workspace: &str,
    ) -> Result<Option<chrono::DateTime<chrono::Utc>>, SinkError> {
        self.0
            .last_scheduled(workspace)
            .await
            .map_err(SinkError::new)
    }

    async fn fire(
        &self,
        workspace: &str,
        tick: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), SinkError> {
        let (run, created) = self
            .0
            .enqueue(workspace, Trigger::Schedule, Some(tick))
            .await
            .map_err(SinkError::new)?;
        tracing::info!(workspace, run, created, %tick, "schedule fired");
        Ok(())
    }
}

/// Workspaces with a schedule, for the scheduler.
pub fn scheduled(files: &[JobFile]) -> Vec<ScheduledWorkspace> {
    files
        .iter()
        .flat_map(|f| &f.workspaces)
        .filter(|w| !w.disabled)
        .filter_map(|w| {
            Some(ScheduledWorkspace {
                workspace: w.name.clone(),
                schedule: w.schedule.clone()?,
                offset: w.jitter_offset(),
            })
        })
        .collect()
}

pub fn run(args: WorkerArgs) -> anyhow::Result<ExitCode> {
    let files = args.load_jobs()?;
    let catalog = Catalog::new(&files);
    if catalog.is_empty() {
        bail!(
            "no workspaces in {}; add [[workspace]] entries to a job file",
            args.jobs.display()
        );
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let store = Store::open(&args.store_url()).await?;
        let table = Arc::new(PriceTable::embedded().clone());
        let shutdown = CancellationToken::new();
        spawn_signal_handler(shutdown.clone());
        if args.once {
            return once(&args, &files, catalog, store, table, shutdown).await;
        }
        let scheduler = Scheduler::new(scheduled(&files), StoreSink(store.clone()), SystemClock);
        let sched_task = tokio::spawn(scheduler.run(shutdown.clone()));
        eprintln!(
            "driftcost worker: {} workspaces, store {}, concurrency {}",
            catalog.len(),
            args.store_url(),
            args.concurrency
        );
        let options = args.options();
        let id = options.id.clone();
        let worker = Worker::new(store.clone(), catalog, table, options);
        let (executed, ()) = tokio::join!(
            worker.run(shutdown.clone(), false),
            worker.run_notifier(shutdown.clone())
        );
        let executed = executed?;
        let stats = sched_task.await.unwrap_or_default();
        let cancelled = store
            .cancel_running(&id, "worker stopped before the run finished")
            .await
            .unwrap_or(0);
        eprintln!(
            "driftcost worker: stopped; {executed} runs executed, {} schedule ticks fired, {cancelled} left cancelled",
            stats.fired
        );
        Ok(ExitCode::SUCCESS)
    })
}

/// `--once`: queue what is due (a workspace never scanned counts as due), run
/// the queue dry, print a summary, exit like `scan`.
async fn once(
    args: &WorkerArgs,
    files: &[JobFile],
    catalog: Catalog,
    store: Store,
    table: Arc<PriceTable>,
    shutdown: CancellationToken,
) -> anyhow::Result<ExitCode> {
    let now = store.now().await?;
    let mut queued = 0usize;
    for ws in files
        .iter()
        .flat_map(|f| &f.workspaces)
        .filter(|w| !w.disabled)
    {
        let tick = match (&ws.schedule, args.all) {
            (_, true) => None,
            (None, false) => continue,
            (Some(schedule), false) => {
                let offset = ws.jitter_offset();
                match store.last_scheduled(&ws.name).await? {
                    Some(last) => match due(schedule, offset, Some(last), now) {
                        Some(t) => Some(t),
                        None => continue,
                    },
                    None => {
                        let at = now - chrono::TimeDelta::from_std(offset).unwrap_or_default();
                        match schedule.latest_at_or_before(at) {
                            Some(t) => Some(t),
                            None => continue,
                        }
                    }
                }
            }
        };
        let trigger = if tick.is_some() {
            Trigger::Schedule
        } else {
            Trigger::Manual
        };
        store
            .enqueue(&ws.name, trigger, tick)
            .await
            .with_context(|| format!("queueing {}", ws.name))?;
        queued += 1;
    }
    let total = queued;
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Finished>();
    let show_progress = args
        .progress
        .unwrap_or_else(|| std::io::stderr().is_terminal());
    let bar = if show_progress && total > 0 {
        let bar = indicatif::ProgressBar::new(total as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:30} {pos}/{len} workspaces · {elapsed_precise} · {msg}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        Some(bar)
    } else {
        None
    };
    let collector = {
        let bar = bar.clone();
        tokio::spawn(async move {
            let mut done = Vec::new();
            while let Some(f) = rx.recv().await {
                if let Some(bar) = &bar {
                    bar.set_message(format!("{}: {:?}", f.workspace, f.status).to_lowercase());
                    bar.inc(1);
                }
                done.push(f);
            }
            done
        })
    };
    let worker = Worker::new(store, catalog, table, args.options()).report_to(tx);
    worker.run(shutdown, true).await?;
    let (sent, failed) = worker.deliver_notifications().await;
    if sent + failed > 0 {
        eprintln!("worker --once: {sent} notification(s) delivered, {failed} failed (see the log)");
    }
    drop(worker);
    let mut finished = collector.await.unwrap_or_default();
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    finished.sort_by(|a, b| a.workspace.cmp(&b.workspace));
    for f in &finished {
        let delta = f
            .monthly_delta
            .map(|d| format!(", {} USD/month", driftcost::cost::signed_amount(d)))
            .unwrap_or_default();
        match &f.error {
            Some(e) => println!("{}: {:?}: {e}", f.workspace, f.status),
            None => println!(
                "{}: {} drift item(s){delta} (run {})",
                f.workspace, f.drift_items, f.run
            ),
        }
    }
    eprintln!(
        "worker --once: {} queued, {} executed",
        total,
        finished.len()
    );
    Ok(ExitCode::from(exit_code(&finished)))
}

fn spawn_signal_handler(shutdown: CancellationToken) {
    tokio::spawn(async move {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(s) => s,
                Err(e) => {
                    tracing::warn!(error = %e, "cannot listen for SIGTERM");
                    return;
                }
            };
        tokio::select! {
            _ = term.recv() => {}
            _ = tokio::signal::ctrl_c() => {}
        }
        tracing::info!("shutdown requested");
        eprintln!("driftcost: stopping (no new runs; in-flight runs get the grace period)");
        shutdown.cancel();
    });
}

/// Waits for SIGTERM/SIGINT (for `serve`).
pub fn shutdown_on_signal() -> CancellationToken {
    let t = CancellationToken::new();
    spawn_signal_handler(t.clone());
    t
}
