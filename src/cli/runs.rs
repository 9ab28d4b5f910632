//! `driftcost runs list|show` and `driftcost drift show WORKSPACE`: reading
//! the run store.

use super::store_url;
use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use driftcost::store::{RunRecord, Store, StoreError};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub struct StoreArgs {
    /// Run store: a SQLite file path / `sqlite:PATH`, or `postgres://…` (default:
    /// `driftcost.db` beside the jobs directory).
    #[arg(long, env = "DRIFTCOST_STORE")]
    pub store: Option<String>,
    /// The jobs directory, to find the default store.
    #[arg(long, default_value = "jobs")]
    pub jobs: PathBuf,
}

impl StoreArgs {
    pub fn url(&self) -> String {
        store_url(self.store.as_deref(), &self.jobs)
    }

    /// Opens the store only if it exists: reading never creates one (run from
    /// the wrong folder, `runs list` would otherwise leave an empty store there).
    pub async fn open_existing(&self) -> anyhow::Result<Store> {
        Store::open_existing(&self.url()).await.map_err(|e| {
            let hint = match (&e, &self.store) {
                (StoreError::Missing { .. }, None) => format!(
                    "; it is looked for beside the jobs directory ({}): run from the folder that holds `jobs/`, or pass --jobs DIR or --store",
                    self.jobs.display()
                ),
                _ => String::new(),
            };
            anyhow::anyhow!("{e}{hint}")
        })
    }
}

#[derive(Subcommand)]
pub enum RunsCommand {
    /// Recent runs, newest first.
    List {
        #[command(flatten)]
        store: StoreArgs,
        /// Only this workspace's runs.
        #[arg(long)]
        workspace: Option<String>,
        /// At most this many runs.
        #[arg(long, default_value_t = 20)]
        limit: u32,
        /// As JSON lines.
        #[arg(long)]
        json: bool,
    },
    /// One run with its drift items.
    Show {
        #[command(flatten)]
        store: StoreArgs,
        /// The run's id (the first column of `runs list`).
        id: i64,
        /// As JSON.
        #[arg(long)]
        json: bool,
    },
}

pub(crate) fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?)
}

pub fn run_runs(c: RunsCommand) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async {
        match c {
            RunsCommand::List {
                store,
                workspace,
                limit,
                json,
            } => {
                let s = store.open_existing().await?;
                let runs = s.list_runs(workspace.as_deref(), limit, None).await?;
                if json {
                    for r in &runs {
                        println!("{}", serde_json::to_string(r)?);
                    }
                } else {
                    print_runs(&runs);
                }
                Ok(ExitCode::SUCCESS)
            }
            RunsCommand::Show { store, id, json } => {
                let s = store.open_existing().await?;
                let run = s
                    .get_run(id)
                    .await?
                    .with_context(|| format!("no run {id} in {}", store.url()))?;
                let policies = s.run_policies(id).await?;
                // A run whose policies ask for an approval: pending or decided.
                let approval = s.run_approval(id).await?;
                if json {
                    let mut value = serde_json::to_value(&run)?;
                    if let (Some(p), Some(obj)) = (&policies, value.as_object_mut()) {
                        obj.insert("policies".into(), serde_json::to_value(p)?);
                        if let Some(a) = &approval {
                            obj.insert(
                                "policy_outcome_effective".into(),
                                serde_json::to_value(a.effective_outcome(p))?,
                            );
                            obj.insert("approval".into(), serde_json::to_value(a)?);
                        }
                    }
                    println!("{}", serde_json::to_string_pretty(&value)?);
                } else {
                    print_run(&run);
                    if let Some(p) = &policies {
                        print!("{p}");
                    }
                    if let Some(a) = &approval {
                        print!("{a}");
                    }
                }
                Ok(ExitCode::SUCCESS)
            }
        }
    })
}

/// `drift show WORKSPACE`: the latest finished run's drift, exit code as `scan`.
pub fn run_drift_show(store: StoreArgs, workspace: String, json: bool) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async {
        let s = store.open_existing().await?;
        let Some(run) = s.latest_finished(&workspace).await? else {
            bail!(
                "no finished run of workspace `{workspace}` in {}; run `driftcost worker --once` first",
                store.url()
            );
        };
        if json {
            match run.detail.as_ref().and_then(|d| d.report_json.as_ref()) {
                Some(r) => println!("{r}"),
                None => println!("{}", serde_json::to_string_pretty(&run)?),
            }
        } else {
            print_run(&run);
        }
        Ok(ExitCode::from(if run.drift_item_count > 0 { 2 } else { 0 }))
    })
}

fn print_runs(runs: &[RunRecord]) {
    let mut table = comfy_table::Table::new();
    table.load_preset(comfy_table::presets::UTF8_BORDERS_ONLY);
    table.set_header(vec![
        "run",
        "workspace",
        "trigger",
        "status",
        "queued",
        "took",
        "drift",
        "monthly Δ",
    ]);
    for r in runs {
        table.add_row(vec![
            r.id.to_string(),
            r.workspace.clone(),
            format!("{:?}", r.trigger).to_lowercase(),
            format!("{:?}", r.status).to_lowercase(),
            r.queued_at.format("%Y-%m-%d %H:%M:%S").to_string(),
            r.duration_ms
                .map(|ms| format!("{:.1}s", ms as f64 / 1000.0))
                .unwrap_or_default(),
            r.drift_item_count.to_string(),
            r.monthly_cost_delta
                .map(driftcost::cost::signed_amount)
                .unwrap_or_default(),
        ]);
    }
    println!("{table}");
}

fn print_run(r: &RunRecord) {
    println!(
        "run {} · {} · {:?} · attempt {} · worker {}",
        r.id,
        r.workspace,
        r.status,
        r.attempt,
        r.worker.as_deref().unwrap_or("-")
    );
    if let Some(v) = &r.tool_version {
        println!("terraform {v}");
    }
    if let Some(e) = &r.error {
        println!("error: {e}");
    }
    for item in r.detail.iter().flat_map(|d| &d.drift_items) {
        println!("{} ({})", item.address, item.kind.label());
        for c in &item.changes {
            println!("  {}", c.describe());
        }
    }
    // As the delta: over the drifted resources only.
    let unpriced: usize = r
        .detail
        .iter()
        .flat_map(|d| d.drift_items.iter().filter_map(|i| d.costs.get(&i.address)))
        .map(|c| c.unpriced_components)
        .sum();
    match r.monthly_cost_delta {
        Some(d) => println!(
            "monthly cost effect: {} USD{}",
            driftcost::cost::signed_amount(d),
            if unpriced > 0 { " (lower bound)" } else { "" }
        ),
        None if unpriced > 0 => println!("monthly cost effect: unknown"),
        None => {}
    }
    if let Some(s) = driftcost::drift::report::unpriced_sentence(unpriced) {
        println!("{s}");
    }
}
