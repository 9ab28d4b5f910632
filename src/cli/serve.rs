//! `driftcost serve`: the HTTP API over the run store, optionally with a worker
//! in the same process (`--with-worker`); apart, both just share the store.

use super::worker::{WorkerArgs, scheduled, shutdown_on_signal};
use anyhow::Context;
use clap::Args;
use driftcost::api::{DEFAULT_LISTEN, StoreBackend, serve};
use driftcost::pricing::PriceTable;
use driftcost::schedule::{Scheduler, SystemClock};
use driftcost::store::Store;
use driftcost::worker::{Catalog, Worker};
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
    #[command(flatten)]
    worker: WorkerArgs,
}

pub fn run(args: ServeArgs) -> anyhow::Result<ExitCode> {
    let files = args.worker.load_jobs()?;
    let catalog = Catalog::new(&files);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let url = args.worker.store_url();
        let store = Store::open(&url).await?;
        let shutdown = shutdown_on_signal();
        let backend = Arc::new(StoreBackend::new(
            store.clone(),
            catalog.workspaces().map(|w| w.name.clone()),
        ));
        let mut background = Vec::new();
        if args.with_worker {
            let scheduler = Scheduler::new(
                scheduled(&files),
                super::worker::StoreSink(store.clone()),
                SystemClock,
            );
            let s = shutdown.clone();
            background.push(tokio::spawn(async move {
                scheduler.run(s).await;
            }));
            let worker = Worker::new(
                store.clone(),
                catalog,
                Arc::new(PriceTable::embedded().clone()),
                args.worker.options(),
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
        serve(args.listen, backend, shutdown)
            .await
            .context("HTTP server")?;
        for task in background {
            let _ = task.await;
        }
        Ok(ExitCode::SUCCESS)
    })
}
