//! `driftcost demo`: the whole product on one machine in a minute. Lays out the
//! example workspaces of `jobs/demo.toml` in a temp dir, applies them with real
//! terraform against the file-backed test provider, changes some resources
//! behind terraform's back (`jobs/demo/out-of-band.toml`), runs one worker pass
//! on a SQLite store and prints the drift and cost report.

use anyhow::{Context, bail};
use clap::Args;
use driftcost::jobs::JobFile;
use driftcost::pricing::PriceTable;
use driftcost::runner::RunnerSettings;
use driftcost::store::{Store, Trigger};
use driftcost::worker::{Catalog, Finished, Worker, WorkerOptions, exit_code};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio_util::sync::CancellationToken;

/// Where the sources are: the demo needs the job files and the test provider's crate.
const SOURCE_ROOT: &str = env!("CARGO_MANIFEST_DIR");
/// A value for the demo database's password variable; it must never show up in the report.
const DEMO_DB_PASSWORD: &str = "demo-only-S3cret-pw";

#[derive(Args)]
pub struct DemoArgs {
    /// The job file to lay out (its workspace dirs are copied along).
    #[arg(long, default_value_os_t = Path::new(SOURCE_ROOT).join("jobs/demo.toml"))]
    jobs: PathBuf,
    /// Out-of-band changes to make after apply.
    #[arg(long, default_value_os_t = Path::new(SOURCE_ROOT).join("jobs/demo/out-of-band.toml"))]
    changes: PathBuf,
    /// Directory to lay the demo out in (default: a new temp dir, kept for inspection).
    #[arg(long)]
    dir: Option<PathBuf>,
    /// A terraform filesystem mirror holding the test provider (default: build it with
    /// scripts/build-test-provider.sh).
    #[arg(long, env = "DRIFTCOST_TF_MIRROR")]
    mirror: Option<PathBuf>,
    /// Scans at once.
    #[arg(long, default_value_t = 3)]
    concurrency: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Changes {
    #[serde(default)]
    change: Vec<Change>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Change {
    workspace: String,
    address: String,
    #[serde(default)]
    set: serde_json::Map<String, serde_json::Value>,
    #[serde(default)]
    merge: serde_json::Map<String, serde_json::Value>,
    #[serde(default)]
    delete: bool,
}

pub fn run(args: DemoArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    if std::env::var_os("TF_VAR_db_password").is_none() {
        // SAFETY: no other thread exists yet: the runtime is built below.
        unsafe { std::env::set_var("TF_VAR_db_password", DEMO_DB_PASSWORD) };
    }
    let jobs_src = args
        .jobs
        .canonicalize()
        .with_context(|| format!("demo job file {}", args.jobs.display()))?;
    let changes: Changes = {
        let text = std::fs::read_to_string(&args.changes)
            .with_context(|| format!("reading {}", args.changes.display()))?;
        toml::from_str(&text).with_context(|| format!("{}", args.changes.display()))?
    };

    let root = match &args.dir {
        Some(d) => {
            std::fs::create_dir_all(d)?;
            d.canonicalize()?
        }
        None => tempfile::Builder::new()
            .prefix("driftcost-demo-")
            .tempdir()?
            .keep(),
    };
    let cloud = root.join("cloud");
    std::fs::create_dir_all(&cloud)?;
    let mirror = match &args.mirror {
        Some(m) => m.clone(),
        None => build_mirror()?,
    };
    let cli_config = mirror.join("terraformrc");
    if !cli_config.is_file() {
        bail!(
            "{} is missing; the mirror must come from scripts/build-test-provider.sh",
            cli_config.display()
        );
    }

    // Lay the job file and its workspace dirs out; point the provider at our cloud dir.
    let jobs_dir = root.join("jobs");
    let src_dir = jobs_src.parent().context("job file has a directory")?;
    let src_file = JobFile::load(&jobs_src)?;
    std::fs::create_dir_all(&jobs_dir)?;
    let job_path = jobs_dir.join(jobs_src.file_name().context("job file name")?);
    std::fs::copy(&jobs_src, &job_path)?;
    for ws in &src_file.workspaces {
        let rel = ws.dir.strip_prefix(src_dir).with_context(|| {
            format!(
                "workspace {}: the demo copies workspaces that live under {}",
                ws.name,
                src_dir.display()
            )
        })?;
        copy_tf_dir(&ws.dir, &jobs_dir.join(rel), &cloud)?;
    }
    let file = JobFile::load(&job_path)?;
    eprintln!(
        "demo: {} workspaces laid out in {}",
        file.workspaces.len(),
        root.display()
    );

    for ws in &file.workspaces {
        let t = Instant::now();
        terraform(&ws.dir, &["init", "-input=false"], &cli_config)?;
        terraform(
            &ws.dir,
            &["apply", "-auto-approve", "-input=false"],
            &cli_config,
        )?;
        eprintln!(
            "demo: applied {} with real terraform ({:.1} s)",
            ws.name,
            t.elapsed().as_secs_f64()
        );
    }

    for c in &changes.change {
        let ws = file
            .workspaces
            .iter()
            .find(|w| w.name == c.workspace)
            .with_context(|| {
                format!(
                    "{}: change for unknown workspace `{}`",
                    args.changes.display(),
                    c.workspace
                )
            })?;
        apply_change(&ws.dir, &cloud, c).with_context(|| {
            format!("{}: {} {}", args.changes.display(), c.workspace, c.address)
        })?;
        eprintln!(
            "demo: changed {} in {} behind terraform's back",
            c.address, c.workspace
        );
    }

    let store_path = root.join("driftcost.db");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let finished = runtime.block_on(async {
        let store = Store::open(&store_path.display().to_string()).await?;
        for ws in &file.workspaces {
            store.enqueue(&ws.name, Trigger::Manual, None).await?;
        }
        let options = WorkerOptions {
            concurrency: args.concurrency,
            runner: RunnerSettings {
                work_root: root.join("work"),
                cli_config_file: Some(cli_config.clone()),
                ..RunnerSettings::default()
            },
            ..WorkerOptions::default()
        };
        std::fs::create_dir_all(&options.runner.work_root)?;
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let worker = Worker::new(
            store,
            Catalog::new(std::slice::from_ref(&file)),
            Arc::new(PriceTable::embedded().clone()),
            options,
        )
        .report_to(tx);
        worker.run(CancellationToken::new(), true).await?;
        drop(worker);
        let mut finished = Vec::new();
        while let Some(f) = rx.recv().await {
            finished.push(f);
        }
        anyhow::Ok(finished)
    })?;
    print_report(&root, &store_path, &finished, started.elapsed())?;
    Ok(ExitCode::from(exit_code(&finished)))
}

/// Builds the test provider and its mirror; the script prints the mirror dir.
fn build_mirror() -> anyhow::Result<PathBuf> {
    let script = Path::new(SOURCE_ROOT).join("scripts/build-test-provider.sh");
    if !script.is_file() {
        bail!(
            "{} not found: the demo builds its terraform provider from the source tree; run it from a clone (cargo run --release -- demo) or pass --mirror",
            script.display()
        );
    }
    eprintln!("demo: building the test provider (first time only takes a few minutes)");
    let out = Command::new("bash")
        .arg(&script)
        .current_dir(SOURCE_ROOT)
        .stderr(std::process::Stdio::inherit())
        .output()
        .with_context(|| format!("running {}", script.display()))?;
    if !out.status.success() {
        bail!("{} failed ({})", script.display(), out.status);
    }
    Ok(PathBuf::from(String::from_utf8(out.stdout)?.trim()))
}

/// Copies a workspace's `.tf` files, pointing the provider at `cloud`.
fn copy_tf_dir(from: &Path, to: &Path, cloud: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from).with_context(|| format!("reading {}", from.display()))? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "tf" || e == "tfvars") {
            let text = std::fs::read_to_string(&path)?;
            let text = text.replace(
                "provider \"aws\" {",
                &format!(
                    "provider \"aws\" {{\n  cloud_dir = {:?}",
                    cloud.display().to_string()
                ),
            );
            std::fs::write(to.join(path.file_name().context("file name")?), text)?;
        }
    }
    Ok(())
}

fn terraform(dir: &Path, args: &[&str], cli_config: &Path) -> anyhow::Result<()> {
    let out = Command::new("terraform")
        .args(args)
        .current_dir(dir)
        .env("TF_CLI_CONFIG_FILE", cli_config)
        .env("TF_IN_AUTOMATION", "1")
        .env("TF_INPUT", "0")
        .env("CHECKPOINT_DISABLE", "1")
        .env_remove("TF_DATA_DIR")
        .env_remove("TF_PLUGIN_CACHE_DIR")
        .env_remove("TF_WORKSPACE")
        .output()
        .context("running terraform (is it on PATH?)")?;
    if !out.status.success() {
        bail!(
            "terraform {} in {} failed:\n{}",
            args.join(" "),
            dir.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(())
}

/// Edits (or deletes) the provider's JSON object behind one resource.
fn apply_change(ws_dir: &Path, cloud: &Path, c: &Change) -> anyhow::Result<()> {
    let (rtype, _) = c.address.split_once('.').context("address is TYPE.NAME")?;
    let state: serde_json::Value =
        serde_json::from_slice(&std::fs::read(ws_dir.join("terraform.tfstate"))?)?;
    let id = state["resources"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|r| {
            format!(
                "{}.{}",
                r["type"].as_str().unwrap_or(""),
                r["name"].as_str().unwrap_or("")
            ) == c.address
        })
        .and_then(|r| r["instances"][0]["attributes"]["id"].as_str())
        .with_context(|| format!("{} is not in the workspace's state", c.address))?
        .to_string();
    let path = cloud.join(rtype).join(format!("{id}.json"));
    if c.delete {
        std::fs::remove_file(&path).with_context(|| format!("deleting {}", path.display()))?;
        return Ok(());
    }
    let mut obj: serde_json::Value = serde_json::from_slice(
        &std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?,
    )?;
    let attrs = find_attributes(&mut obj);
    for (k, v) in &c.set {
        attrs.insert(k.clone(), v.clone());
    }
    for (k, v) in &c.merge {
        match (attrs.get_mut(k), v) {
            (Some(serde_json::Value::Object(have)), serde_json::Value::Object(add)) => {
                have.extend(add.clone());
            }
            _ => {
                attrs.insert(k.clone(), v.clone());
            }
        }
    }
    std::fs::write(&path, serde_json::to_vec_pretty(&obj)?)?;
    Ok(())
}

/// The object's attribute map: the file is either the attributes themselves or
/// wraps them (`{"attributes": {…}}`).
fn find_attributes(obj: &mut serde_json::Value) -> &mut serde_json::Map<String, serde_json::Value> {
    if obj.get("attributes").is_some_and(|a| a.is_object()) {
        return obj["attributes"].as_object_mut().expect("checked");
    }
    if !obj.is_object() {
        *obj = serde_json::Value::Object(Default::default());
    }
    obj.as_object_mut().expect("checked")
}

fn print_report(
    root: &Path,
    store: &Path,
    finished: &[Finished],
    elapsed: Duration,
) -> anyhow::Result<()> {
    let mut sorted: Vec<&Finished> = finished.iter().collect();
    sorted.sort_by(|a, b| a.workspace.cmp(&b.workspace));
    let mut markdown = String::from("# driftcost demo report\n\n");
    let mut delta_total = rust_decimal::Decimal::ZERO;
    let mut by_status: BTreeMap<String, usize> = BTreeMap::new();
    for f in &sorted {
        println!("== {} (run {}): {:?}", f.workspace, f.run, f.status);
        match (&f.report_table, &f.error) {
            (Some(table), _) => println!("{table}"),
            (None, Some(e)) => println!("error: {e}\n"),
            (None, None) => println!(),
        }
        if let Some(md) = &f.report_markdown {
            markdown.push_str(md);
            markdown.push('\n');
        }
        if let Some(d) = f.monthly_delta {
            delta_total += d;
        }
        let label = match f.outcome {
            driftcost::scan::Outcome::Drifted => "drifted",
            driftcost::scan::Outcome::NoDrift => "without drift",
            driftcost::scan::Outcome::Errored => "failed",
            driftcost::scan::Outcome::Disabled => "disabled",
        };
        *by_status.entry(label.to_string()).or_default() += 1;
    }
    let report = root.join("report.md");
    std::fs::write(&report, markdown)?;
    println!(
        "{} workspaces scanned in {:.1} s: {}; drift changes the monthly bill by {}{} USD",
        sorted.len(),
        elapsed.as_secs_f64(),
        by_status
            .iter()
            .map(|(k, v)| format!("{v} {k}"))
            .collect::<Vec<_>>()
            .join(", "),
        if delta_total.is_sign_negative() {
            ""
        } else {
            "+"
        },
        delta_total.round_dp(2)
    );
    println!("full report: {}", report.display());
    println!(
        "run history: driftcost runs list --store {}",
        store.display()
    );
    Ok(())
}
