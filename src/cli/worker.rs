//! `driftcost worker`: scans every workspace of `jobs/` on its schedule until
//! SIGTERM/SIGINT, or once (`--once`) for Kubernetes CronJobs and CI.

use super::store_url;
use anyhow::{Context, bail};
use clap::Args;
use driftcost::jobs::{JobFile, load_dir};
use driftcost::pricing::PriceTable;
use driftcost::runner::RunnerSettings;
use driftcost::runner::WorkRoot;
use driftcost::schedule::{Scheduler, SystemClock};
use driftcost::store::Store;
use driftcost::worker::{
    Catalog, Finished, OnceScope, StoreSink, Worker, WorkerOptions, queue_once, run_once, scheduled,
};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// What `worker` and `serve` (which can run a worker in-process) share.
#[derive(Args, Clone)]
pub struct WorkerArgs {
    /// Directory of job files (`*.toml`), relative to the current directory.
    #[arg(long, default_value = "jobs")]
    pub jobs: PathBuf,
    /// Run store: a SQLite file path / `sqlite:PATH`, or `postgres://…` (shared by
    /// several workers). Default: `driftcost.db` beside the jobs directory.
    #[arg(long, env = "DRIFTCOST_STORE")]
    pub store: Option<String>,
    /// Runs at once in this worker.
    #[arg(long, default_value_t = 4)]
    pub concurrency: usize,
    /// Claim lease (1s to 24h); a worker that dies loses its runs, and notifications it was sending, to others after this.
    #[arg(long, default_value = "60s", value_parser = lease)]
    pub lease: Duration,
    /// Where people reach `driftcost serve` (https://HOST[:PORT]); notifications link each run there.
    #[arg(long, env = "DRIFTCOST_PUBLIC_URL", value_parser = public_url)]
    pub public_url: Option<String>,
    /// After SIGTERM/SIGINT, time in-flight runs get to finish before they are cancelled (0s to 24h).
    #[arg(long, default_value = "30s", value_parser = grace)]
    pub grace: Duration,
    /// Provider plugin cache (`TF_PLUGIN_CACHE_DIR`); each concurrent slot gets its own
    /// subdirectory, so parallel inits never share one.
    #[arg(long, env = "DRIFTCOST_PLUGIN_CACHE_DIR")]
    pub plugin_cache_dir: Option<PathBuf>,
    /// Where per-run working copies go (default: the system temp dir); each worker
    /// keeps its own folder there and removes those of workers that died.
    #[arg(long)]
    pub work_dir: Option<PathBuf>,
}

/// `driftcost worker`: the shared settings plus what only a standalone worker does.
#[derive(Args, Clone)]
pub struct WorkerCommand {
    #[command(flatten)]
    pub base: WorkerArgs,
    /// Scan what is due now (or everything with --all), then exit with the scan exit code.
    #[arg(long)]
    pub once: bool,
    /// With --once: scan every enabled workspace, due or not.
    #[arg(long, requires = "once")]
    pub all: bool,
    /// Show a progress bar even when stderr is not a terminal (or never: --progress=false).
    #[arg(long)]
    pub progress: Option<bool>,
}

fn lease(s: &str) -> Result<Duration, String> {
    driftcost::schedule::duration::LEASE
        .parse("--lease", s)
        .map_err(|e| e.to_string())
}

fn grace(s: &str) -> Result<Duration, String> {
    driftcost::schedule::duration::GRACE
        .parse("--grace", s)
        .map_err(|e| e.to_string())
}

impl WorkerArgs {
    /// The jobs directory, made absolute once against the current directory,
    /// so every `dir` in its job files resolves against one fixed folder.
    pub fn jobs_dir(&self) -> anyhow::Result<PathBuf> {
        super::absolute(&self.jobs, "--jobs")
    }

    pub fn store_url(&self) -> String {
        store_url(self.store.as_deref(), &self.jobs)
    }

    pub fn load_jobs(&self) -> anyhow::Result<Vec<JobFile>> {
        let dir = self.jobs_dir()?;
        load_dir(&dir).map_err(|errors| {
            let lines: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
            anyhow::anyhow!(
                "{} problem(s) in the job files (see `driftcost jobs check {}`):\n{}",
                lines.len(),
                self.jobs.display(),
                lines.join("\n")
            )
        })
    }

    /// Where this worker's working copies go: its own locked folder under
    /// `--work-dir`; folders of workers that died are removed first.
    pub fn work_root(&self) -> anyhow::Result<WorkRoot> {
        let base = self.work_dir.clone().unwrap_or_else(std::env::temp_dir);
        let (root, removed) = WorkRoot::claim(&base)
            .with_context(|| format!("preparing the work dir {}", base.display()))?;
        for dir in removed {
            tracing::info!(dir = %dir.display(), "removed the working copies of a worker that is gone");
        }
        Ok(root)
    }

    pub fn options(&self, work_root: &WorkRoot) -> WorkerOptions {
        WorkerOptions {
            concurrency: self.concurrency,
            lease: self.lease,
            grace: self.grace,
            public_url: self.public_url.clone(),
            runner: RunnerSettings {
                work_root: work_root.path().to_path_buf(),
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

pub fn run(cmd: WorkerCommand) -> anyhow::Result<ExitCode> {
    let args = &cmd.base;
    let files = args.load_jobs()?;
    let catalog = Catalog::new(&files);
    if catalog.is_empty() {
        bail!(
            "no workspaces in {}; add [[workspace]] entries to a job file",
            args.jobs.display()
        );
    }
    let work_root = args.work_root()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let store = Store::open(&args.store_url()).await?;
        super::note_notification_targets(&store, &files, "worker").await;
        let table = Arc::new(PriceTable::embedded().clone());
        let shutdown = CancellationToken::new();
        spawn_signal_handler(shutdown.clone());
        let options = args.options(&work_root);
        if cmd.once {
            let worker = Worker::new(store.clone(), catalog, table, options);
            return once(&cmd, &files, worker, &store, shutdown).await;
        }
        let scheduler = Scheduler::new(scheduled(&files), StoreSink(store.clone()), SystemClock);
        let sched_task = tokio::spawn(scheduler.run(shutdown.clone()));
        eprintln!(
            "driftcost worker: {} workspaces, store {}, concurrency {}",
            catalog.len(),
            args.store_url(),
            args.concurrency
        );
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
/// the queue dry, print a summary, exit like `scan`; 1 also when a run it
/// queued could not be executed here (another worker holds it).
async fn once(
    cmd: &WorkerCommand,
    files: &[JobFile],
    worker: Worker,
    store: &Store,
    shutdown: CancellationToken,
) -> anyhow::Result<ExitCode> {
    let scope = if cmd.all {
        OnceScope::All
    } else {
        OnceScope::Due
    };
    let queued = queue_once(store, files, scope).await?;
    let show_progress = cmd
        .progress
        .unwrap_or_else(|| std::io::stderr().is_terminal());
    let bar = if show_progress && !queued.is_empty() {
        let bar = indicatif::ProgressBar::new(queued.len() as u64);
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
    let on_finished = {
        let bar = bar.clone();
        move |f: &Finished| match &bar {
            Some(bar) => {
                bar.set_message(format!("{}: {:?}", f.workspace, f.status).to_lowercase());
                bar.inc(1);
            }
            // CI logs: one line per workspace as it finishes.
            None => progress_line(f),
        }
    };
    let report = run_once(worker, &queued, shutdown, on_finished).await?;
    let (sent, failed) = (report.notifications_sent, report.notifications_failed);
    if sent + failed > 0 {
        eprintln!("worker --once: {sent} notification(s) delivered, {failed} failed (see the log)");
    }
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    for f in &report.finished {
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
    for line in &report.not_executed {
        eprintln!("worker --once: {line}");
    }
    let not_here = report.not_executed.len();
    eprintln!(
        "worker --once: {} queued, {} executed here{}",
        report.queued,
        report.executed_here,
        if not_here > 0 {
            format!(", {not_here} not")
        } else {
            String::new()
        }
    );
    Ok(ExitCode::from(report.exit_code))
}

/// `app: succeeded, 2 drift item(s), +12.34 USD/month, 3.2s`.
fn progress_line(f: &Finished) {
    let status = format!("{:?}", f.status).to_lowercase();
    let cost = f
        .monthly_delta
        .map(|d| format!(", {d:+.2} USD/month"))
        .unwrap_or_default();
    eprintln!(
        "{}: {status}, {} drift item(s){cost}, {:.1}s",
        f.workspace,
        f.drift_items,
        f.took.as_secs_f64()
    );
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
