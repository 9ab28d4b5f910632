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
use std::process::{Command, ExitCode, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio_util::sync::CancellationToken;

/// A value for the demo database's password variable; it must never show up in the report.
const DEMO_DB_PASSWORD: &str = "demo-only-S3cret-pw";

/// The demo's job file and workspaces, compiled in so an installed binary runs the demo
/// from any folder. Paths are relative to `jobs/`; `embedded_files_are_all_of_jobs_demo`
/// keeps the list complete. (`include_str!` rather than `include_dir!`: cargo rebuilds
/// when one of these files changes, which `include_dir` does not tell it on stable.)
const EMBEDDED_JOBS: &[(&str, &str)] = &[
    ("demo.toml", include_str!("../../jobs/demo.toml")),
    (
        "demo/shop-prod/main.tf",
        include_str!("../../jobs/demo/shop-prod/main.tf"),
    ),
    (
        "demo/network-prod/main.tf",
        include_str!("../../jobs/demo/network-prod/main.tf"),
    ),
    (
        "demo/analytics-dev/main.tf",
        include_str!("../../jobs/demo/analytics-dev/main.tf"),
    ),
];
/// The out-of-band changes the demo makes by default (`jobs/demo/out-of-band.toml`).
const EMBEDDED_CHANGES: &str = include_str!("../../jobs/demo/out-of-band.toml");

/// What to do when no provider mirror can be found or built.
const NO_MIRROR_HINT: &str = "the demo needs the terraform test provider from driftcost's source tree: run `cargo run --release -- demo` inside a clone, or pass --mirror DIR (or DRIFTCOST_TF_MIRROR) with a mirror made there by scripts/build-test-provider.sh";

#[derive(Args)]
pub struct DemoArgs {
    /// A job file to lay out instead of the built-in demo (its workspace dirs, under the
    /// file's folder, are copied along).
    #[arg(long)]
    jobs: Option<PathBuf>,
    /// Out-of-band changes to make after apply (TOML, like jobs/demo/out-of-band.toml;
    /// default: the built-in ones).
    #[arg(long)]
    changes: Option<PathBuf>,
    /// An empty or new directory to lay the demo out in (default: a new temp dir, kept
    /// for inspection). Removed again if the demo fails.
    #[arg(long)]
    dir: Option<PathBuf>,
    /// A terraform filesystem mirror holding the test provider, made by
    /// scripts/build-test-provider.sh (default: build it when run inside the source tree).
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

/// Removes the demo directory (or, for a `--dir` that existed, its contents) unless
/// disarmed: a failed demo leaves nothing behind.
struct CleanUp {
    root: Option<PathBuf>,
    keep_root: bool,
}

impl CleanUp {
    fn disarm(mut self) -> PathBuf {
        self.root.take().expect("armed")
    }
}

impl Drop for CleanUp {
    fn drop(&mut self) {
        let Some(root) = self.root.take() else { return };
        if !self.keep_root {
            let _ = std::fs::remove_dir_all(&root);
            return;
        }
        if let Ok(rd) = std::fs::read_dir(&root) {
            for entry in rd.flatten() {
                let path = entry.path();
                let _ = if path.is_dir() && !path.is_symlink() {
                    std::fs::remove_dir_all(&path)
                } else {
                    std::fs::remove_file(&path)
                };
            }
        }
    }
}

pub fn run(args: DemoArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    if std::env::var_os("TF_VAR_db_password").is_none() {
        // SAFETY: no other thread exists yet: the runtime is built below.
        unsafe { std::env::set_var("TF_VAR_db_password", DEMO_DB_PASSWORD) };
    }
    let (changes_name, changes): (String, Changes) = match &args.changes {
        Some(path) => {
            let text = std::fs::read_to_string(path).with_context(|| {
                format!(
                    "reading --changes {}: pass a TOML file of [[change]] tables",
                    path.display()
                )
            })?;
            let parsed = toml::from_str(&text).map_err(|e| {
                anyhow::anyhow!(
                    "{}: {}: fix the file (see jobs/demo/out-of-band.toml)",
                    path.display(),
                    one_line(&e.to_string())
                )
            })?;
            (path.display().to_string(), parsed)
        }
        None => (
            "built-in demo changes".to_string(),
            toml::from_str(EMBEDDED_CHANGES).context("built-in demo changes")?,
        ),
    };
    let jobs_src = match &args.jobs {
        Some(path) => Some(path.canonicalize().with_context(|| {
            format!(
                "--jobs {}: no such job file; leave --jobs out for the built-in demo",
                path.display()
            )
        })?),
        None => None,
    };
    check_terraform()?;
    let mirror = match &args.mirror {
        Some(m) => m.clone(),
        None => build_mirror()?,
    };
    let cli_config = mirror.join("terraformrc");
    if !cli_config.is_file() {
        bail!(
            "--mirror {}: no terraformrc in it; {NO_MIRROR_HINT}",
            mirror.display()
        );
    }
    let cli_config = cli_config.canonicalize()?;

    let guard = make_root(args.dir.as_deref())?;
    let root = guard.root.clone().expect("armed");
    let cloud = root.join("cloud");
    std::fs::create_dir_all(&cloud)?;

    // Lay the job file and its workspace dirs out; point the provider at our cloud dir.
    let jobs_dir = root.join("jobs");
    std::fs::create_dir_all(&jobs_dir)?;
    let job_path = match &jobs_src {
        Some(src) => lay_out_file(src, &jobs_dir, &cloud)?,
        None => lay_out_embedded(&jobs_dir, &cloud)?,
    };
    let file = JobFile::load(&job_path)?;
    for c in &changes.change {
        if !file.workspaces.iter().any(|w| w.name == c.workspace) {
            bail!(
                "{changes_name}: change for unknown workspace `{}`; the job file has {}",
                c.workspace,
                file.workspaces
                    .iter()
                    .map(|w| w.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
    }
    eprintln!(
        "demo: {} workspaces laid out in {}",
        file.workspaces.len(),
        root.display()
    );

    for ws in &file.workspaces {
        let t = Instant::now();
        terraform(
            &ws.name,
            &ws.dir,
            &["init", "-input=false", "-no-color"],
            &cli_config,
        )?;
        terraform(
            &ws.name,
            &ws.dir,
            &["apply", "-auto-approve", "-input=false", "-no-color"],
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
            .expect("checked above");
        apply_change(&ws.dir, &cloud, c).map_err(|e| {
            anyhow::anyhow!(
                "{changes_name}: {} {}: {}; fix the change or leave --changes out",
                c.workspace,
                c.address,
                one_line(&format!("{e:#}"))
            )
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
        .report_to(tx)
        .with_drift_reports();
        worker.run(CancellationToken::new(), true).await?;
        drop(worker);
        let mut finished = Vec::new();
        while let Some(f) = rx.recv().await {
            finished.push(f);
        }
        anyhow::Ok(finished)
    })?;
    drop(runtime);
    print_report(&root, &store_path, &finished, started.elapsed())?;
    guard.disarm();
    Ok(ExitCode::from(exit_code(&finished)))
}

/// The error's text on one line (terraform and TOML errors span several).
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Fails early, before anything is made, when terraform cannot be started.
fn check_terraform() -> anyhow::Result<()> {
    match Command::new("terraform")
        .arg("version")
        .env("CHECKPOINT_DISABLE", "1")
        .stdin(Stdio::null())
        .output()
    {
        Ok(out) if out.status.success() => Ok(()),
        Ok(out) => bail!(
            "`terraform version` failed ({}): {}; install terraform 1.5 or newer on PATH and run the demo again",
            out.status,
            one_line(&String::from_utf8_lossy(&out.stderr))
        ),
        Err(e) => bail!(
            "terraform is not on PATH ({e}): install terraform 1.5 or newer (https://developer.hashicorp.com/terraform/install) and run the demo again"
        ),
    }
}

/// The demo directory: `--dir` (new or empty), else a new temp dir.
fn make_root(dir: Option<&Path>) -> anyhow::Result<CleanUp> {
    let Some(d) = dir else {
        let root = tempfile::Builder::new()
            .prefix("driftcost-demo-")
            .tempdir()
            .context("creating a temp dir for the demo (is TMPDIR writable?)")?
            .keep();
        return Ok(CleanUp {
            root: Some(root),
            keep_root: false,
        });
    };
    let existed = d.exists();
    if existed {
        let mut rd = std::fs::read_dir(d)
            .with_context(|| format!("--dir {}: not a readable directory", d.display()))?;
        if rd.next().is_some() {
            bail!(
                "--dir {} is not empty: pass a new or empty directory (the demo removes what it made there if it fails)",
                d.display()
            );
        }
    } else {
        std::fs::create_dir_all(d)
            .with_context(|| format!("--dir {}: cannot create it", d.display()))?;
    }
    Ok(CleanUp {
        root: Some(d.canonicalize()?),
        keep_root: existed,
    })
}

/// Writes the built-in demo job file and workspaces under `jobs_dir`; returns the job file.
fn lay_out_embedded(jobs_dir: &Path, cloud: &Path) -> anyhow::Result<PathBuf> {
    for (rel, text) in EMBEDDED_JOBS {
        let to = jobs_dir.join(rel);
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let text = if rel.ends_with(".tf") {
            point_provider_at(text, cloud)
        } else {
            text.to_string()
        };
        std::fs::write(&to, text).with_context(|| format!("writing {}", to.display()))?;
    }
    Ok(jobs_dir.join("demo.toml"))
}

/// Copies a job file from disk and its workspace dirs under `jobs_dir`; returns the copy.
fn lay_out_file(jobs_src: &Path, jobs_dir: &Path, cloud: &Path) -> anyhow::Result<PathBuf> {
    let src_dir = jobs_src.parent().context("job file has a directory")?;
    let src_file = JobFile::load(jobs_src)?;
    let job_path = jobs_dir.join(jobs_src.file_name().context("job file name")?);
    std::fs::copy(jobs_src, &job_path)?;
    for ws in &src_file.workspaces {
        let rel = ws.dir.strip_prefix(src_dir).map_err(|_| {
            anyhow::anyhow!(
                "{}: workspace {}: the demo copies workspaces that live under {}; move it there",
                jobs_src.display(),
                ws.name,
                src_dir.display()
            )
        })?;
        copy_tf_dir(&ws.dir, &jobs_dir.join(rel), cloud)?;
    }
    Ok(job_path)
}

/// The source tree holding the test provider: the current directory or one above it.
fn source_tree() -> Option<PathBuf> {
    let cwd = std::env::current_dir().ok()?;
    cwd.ancestors()
        .find(|d| {
            d.join("scripts/build-test-provider.sh").is_file()
                && d.join("tests/tf-provider/Cargo.toml").is_file()
        })
        .map(Path::to_path_buf)
}

/// Builds the test provider and its mirror from the source tree; the script prints the
/// mirror dir.
fn build_mirror() -> anyhow::Result<PathBuf> {
    let Some(root) = source_tree() else {
        bail!("no provider mirror: {NO_MIRROR_HINT}");
    };
    let script = root.join("scripts/build-test-provider.sh");
    eprintln!("demo: building the test provider (first time only takes a few minutes)");
    let out = Command::new("bash")
        .arg(&script)
        .current_dir(&root)
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .with_context(|| format!("running {} (needs bash and cargo)", script.display()))?;
    if !out.status.success() {
        bail!(
            "{} failed ({}): fix what it printed above and run the demo again",
            script.display(),
            out.status
        );
    }
    Ok(PathBuf::from(String::from_utf8(out.stdout)?.trim()))
}

/// A workspace's `.tf` text with the provider pointed at `cloud`.
fn point_provider_at(text: &str, cloud: &Path) -> String {
    text.replace(
        "provider \"aws\" {",
        &format!(
            "provider \"aws\" {{\n  cloud_dir = {:?}",
            cloud.display().to_string()
        ),
    )
}

/// Copies a workspace's `.tf` files, pointing the provider at `cloud`.
fn copy_tf_dir(from: &Path, to: &Path, cloud: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from).with_context(|| format!("reading {}", from.display()))? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "tf" || e == "tfvars") {
            let text = std::fs::read_to_string(&path)?;
            std::fs::write(
                to.join(path.file_name().context("file name")?),
                point_provider_at(&text, cloud),
            )?;
        }
    }
    Ok(())
}

fn terraform(workspace: &str, dir: &Path, args: &[&str], cli_config: &Path) -> anyhow::Result<()> {
    let out = Command::new("terraform")
        .args(args)
        .current_dir(dir)
        .env("TF_CLI_CONFIG_FILE", cli_config)
        .env("TF_IN_AUTOMATION", "1")
        .env("TF_INPUT", "0")
        .env("CHECKPOINT_DISABLE", "1")
        .env_remove("RUST_BACKTRACE")
        .env_remove("TF_DATA_DIR")
        .env_remove("TF_PLUGIN_CACHE_DIR")
        .env_remove("TF_WORKSPACE")
        .stdin(Stdio::null())
        .output()
        .context("running terraform (is it on PATH?)")?;
    if !out.status.success() {
        // terraform's own diagnostic above, then our one line.
        eprintln!("{}", String::from_utf8_lossy(&out.stderr).trim_end());
        bail!(
            "terraform {} failed in demo workspace {workspace} ({}): {}; fix what terraform says above and run the demo again",
            args[0],
            out.status,
            terraform_summary(&out.stderr),
        );
    }
    Ok(())
}

/// terraform's first `Error:` line, else its last line.
fn terraform_summary(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    let plain = |l: &str| {
        l.trim_start_matches(|c: char| !c.is_ascii_alphanumeric())
            .trim()
            .to_string()
    };
    text.lines()
        .map(plain)
        .find(|l| l.starts_with("Error:"))
        .or_else(|| text.lines().map(plain).rfind(|l| !l.is_empty()))
        .unwrap_or_else(|| "no output".to_string())
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

#[cfg(test)]
mod tests {
    use super::*;

    fn files_under(dir: &Path, base: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                files_under(&path, base, out);
            } else {
                out.push(path.strip_prefix(base).unwrap().display().to_string());
            }
        }
    }

    #[test]
    fn embedded_files_are_all_of_jobs_demo() {
        let jobs = Path::new(env!("CARGO_MANIFEST_DIR")).join("jobs");
        let mut on_disk = vec!["demo.toml".to_string()];
        files_under(&jobs.join("demo"), &jobs, &mut on_disk);
        on_disk.retain(|f| f != "demo/out-of-band.toml");
        on_disk.sort();
        let mut embedded: Vec<String> = EMBEDDED_JOBS.iter().map(|(p, _)| p.to_string()).collect();
        embedded.sort();
        assert_eq!(
            embedded, on_disk,
            "jobs/demo changed: list its files in EMBEDDED_JOBS"
        );
    }

    #[test]
    fn embedded_demo_lays_out_and_loads() {
        let tmp = tempfile::tempdir().unwrap();
        let cloud = tmp.path().join("cloud");
        let job = lay_out_embedded(&tmp.path().join("jobs"), &cloud).unwrap();
        let file = JobFile::load(&job).unwrap();
        assert_eq!(file.workspaces.len(), 3);
        for ws in &file.workspaces {
            let tf = std::fs::read_to_string(ws.dir.join("main.tf")).unwrap();
            assert!(tf.contains(&format!("cloud_dir = {:?}", cloud.display().to_string())));
        }
        let changes: Changes = toml::from_str(EMBEDDED_CHANGES).unwrap();
        for c in &changes.change {
            assert!(file.workspaces.iter().any(|w| w.name == c.workspace));
        }
    }

    #[test]
    fn terraform_summary_is_its_error_line() {
        let stderr =
            "\n│ Error: Failed to query available provider packages\n│ \n│ Could not retrieve\n";
        assert_eq!(
            terraform_summary(stderr.as_bytes()),
            "Error: Failed to query available provider packages"
        );
        assert_eq!(terraform_summary(b"boom\n\n"), "boom");
    }
}
