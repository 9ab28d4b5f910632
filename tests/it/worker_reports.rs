//! The worker renders the drift report (terminal table and Markdown) for a
//! finished run only when the consumer of its progress asks for it (the
//! demo does); a plain `report_to` (progress bars, `--once` summaries) gets
//! the counts without the rendering work.

use crate::support;

use driftcost::jobs::JobFile;
use driftcost::pricing::PriceTable;
use driftcost::store::{Store, Trigger};
use driftcost::worker::{Catalog, Finished, Worker, WorkerOptions};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use support::terraform::{applied_instance, ensure_mirror};
use tokio_util::sync::CancellationToken;

/// Runs one queued scan of workspace `app` and returns what the worker reported.
async fn one_run(root: &Path, file: &JobFile, with_reports: bool) -> Finished {
    std::fs::create_dir_all(root).unwrap();
    let store = Store::open(&root.join("runs.db").display().to_string())
        .await
        .unwrap();
    store.enqueue("app", Trigger::Manual, None).await.unwrap();
    let mut options = WorkerOptions::default();
    options.runner.work_root = root.join("work");
    options.runner.cli_config_file = Some(ensure_mirror().join("terraformrc"));
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let mut worker = Worker::new(
        store,
        Catalog::new(std::slice::from_ref(file)),
        Arc::new(PriceTable::embedded().clone()),
        options,
    )
    .report_to(tx);
    if with_reports {
        worker = worker.with_drift_reports();
    }
    let executed = tokio::time::timeout(
        Duration::from_secs(120),
        worker.run(CancellationToken::new(), true),
    )
    .await
    .expect("the worker finished")
    .unwrap();
    assert_eq!(executed, 1);
    drop(worker);
    rx.recv().await.expect("one finished run")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drift_reports_are_rendered_only_when_asked_for() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    applied_instance(&ws, &tmp.path().join("cloud"));
    let jobs = tmp.path().join("app.toml");
    std::fs::write(
        &jobs,
        format!(
            "[[workspace]]\nname = \"app\"\ndir = \"{}\"\n",
            ws.display()
        ),
    )
    .unwrap();
    let file = JobFile::load(&jobs).unwrap();

    let plain = one_run(&tmp.path().join("plain"), &file, false).await;
    assert!(plain.recorded, "{plain:?}");
    assert_eq!(plain.error, None, "{plain:?}");
    assert_eq!(plain.report_table, None);
    assert_eq!(plain.report_markdown, None);

    let asked = one_run(&tmp.path().join("asked"), &file, true).await;
    assert_eq!(asked.error, None, "{asked:?}");
    let table = asked.report_table.expect("a table when asked for");
    let markdown = asked.report_markdown.expect("Markdown when asked for");
    assert!(table.contains("app"), "{table}");
    assert!(markdown.contains("app"), "{markdown}");
}
