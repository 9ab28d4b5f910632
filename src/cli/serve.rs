//! `driftcost serve`: the HTTP API over the run store, optionally with a worker
//! in the same process (`--with-worker`); apart, both just share the store.

use super::worker::{WorkerArgs, shutdown_on_signal};
use anyhow::Context;
use clap::Args;
use driftcost::api::{
    DEFAULT_LISTEN, DEFAULT_SECRET_ENV, GithubWebhook, ServeError, StoreBackend,
    serve_listener_with,
};
use driftcost::comment::{PrBotSettings, PrJobQueue, run_pr_jobs};
use driftcost::pricing::PriceTable;
use driftcost::schedule::{Scheduler, SystemClock};
use driftcost::store::Store;
use driftcost::worker::{Catalog, StoreSink, Worker, scheduled};
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;

#[derive(Args)]
pub struct ServeArgs {
    /// Address to listen on (loopback by default; put a TLS proxy in front for anything else).
    #[arg(long, default_value = DEFAULT_LISTEN)]
    listen: SocketAddr,
    /// Also run the scheduler and a worker in this process.
    #[arg(long)]
    with_worker: bool,
    /// Environment variable holding the GitHub webhook secret; unset, the
    /// webhook route answers 503 and no pull request is planned.
    #[arg(long, default_value = DEFAULT_SECRET_ENV)]
    github_webhook_secret_env: String,
    /// Environment variable holding the GitHub token the PR bot clones and comments with.
    #[arg(long, default_value = "GITHUB_TOKEN")]
    github_token_env: String,
    /// GitHub's REST API (`https://HOST/api/v3` for GitHub Enterprise).
    #[arg(long, env = "GITHUB_API_URL", default_value = "https://api.github.com")]
    github_api_url: String,
    /// Pull-request events waiting at most; more are refused with 503 (GitHub can redeliver).
    #[arg(long, default_value_t = 64)]
    github_queue: usize,
    #[command(flatten)]
    worker: WorkerArgs,
}

pub fn run(args: ServeArgs) -> anyhow::Result<ExitCode> {
    driftcost::api::check_session_key_env()?;
    let files = args.worker.load_jobs()?;
    let catalog = Catalog::new(&files);
    // Held until the process ends: the worker's runs (and the PR bot's) work in it.
    let work_root = if args.with_worker {
        Some(args.worker.work_root()?)
    } else {
        None
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let url = args.worker.store_url();
        let store = Store::open(&url).await?;
        super::note_notification_targets(&store, &files, "serve").await;
        let shutdown = shutdown_on_signal();
        let job_files: Vec<(String, String)> = files
            .iter()
            .flat_map(|f| {
                let file = f
                    .path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                f.workspaces
                    .iter()
                    .map(move |w| (w.name.clone(), file.clone()))
            })
            .collect();
        let backend = Arc::new(
            StoreBackend::new(store.clone(), catalog.workspaces().map(|w| w.name.clone()))
                .with_job_files(job_files)
                .with_schedules(scheduled(&files)),
        );
        let mut background = Vec::new();
        if let Some(work_root) = &work_root {
            let scheduler =
                Scheduler::new(scheduled(&files), StoreSink(store.clone()), SystemClock);
            let s = shutdown.clone();
            background.push(tokio::spawn(async move {
                scheduler.run(s).await;
            }));
            let worker = Worker::new(
                store.clone(),
                catalog,
                Arc::new(PriceTable::embedded().clone()),
                args.worker.options(work_root),
            );
            let s = shutdown.clone();
            background.push(tokio::spawn(async move {
                let (result, ()) =
                    tokio::join!(worker.run(s.clone(), false), worker.run_notifier(s));
                if let Err(e) = result {
                    tracing::error!(error = %e, "worker stopped");
                }
            }));
        }
        eprintln!(
            "driftcost serve: listening on http://{} (store {url}{})",
            args.listen,
            if args.with_worker {
                ", with worker"
            } else {
                ""
            }
        );
        let env = &args.github_webhook_secret_env;
        let webhook = match GithubWebhook::secret_from_env(env) {
            Some(secret) => {
                let (queue, jobs) = PrJobQueue::bounded(args.github_queue);
                let mut settings = PrBotSettings {
                    github_api_url: args.github_api_url.clone(),
                    token_env: args.github_token_env.clone(),
                    ..PrBotSettings::default()
                };
                if let Some(dir) = &args.worker.work_dir {
                    settings.work_root = dir.clone();
                    settings.plan.runner.work_root = dir.clone();
                }
                // A cache of its own: the worker's slots use their own subdirectories.
                settings.plan.runner.plugin_cache_dir = args
                    .worker
                    .plugin_cache_dir
                    .as_ref()
                    .map(|d| d.join("pr-bot"));
                let s = shutdown.clone();
                let table = Arc::new(PriceTable::embedded().clone());
                background.push(tokio::spawn(run_pr_jobs(jobs, settings, table, s)));
                eprintln!(
                    "driftcost serve: GitHub webhook at POST /v1/github/webhook (secret from {env})"
                );
                GithubWebhook::new(env, secret, queue).audited(store.clone())
            }
            None => GithubWebhook::disabled(env),
        };
        let listener = tokio::net::TcpListener::bind(args.listen)
            .await
            .map_err(|source| ServeError::Bind {
                addr: args.listen,
                source,
            })?;
        serve_listener_with(listener, backend, webhook, shutdown)
            .await
            .context("HTTP server")?;
        for task in background {
            let _ = task.await;
        }
        Ok(ExitCode::SUCCESS)
    })
}
