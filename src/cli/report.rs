//! `driftcost report`: the fleet report over the run store (exit 0, or 1 on
//! any error; nothing is half-written: --out is replaced only when complete).

use super::runs::{StoreArgs, runtime};
use anyhow::{Context, bail};
use chrono::Utc;
use clap::{Args, ValueEnum};
use driftcost::report::{
    FleetReport, frame_by_job_file, frame_by_workspace, parse_since, render_html, render_table,
    write_csv, write_parquet,
};
use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub struct ReportArgs {
    #[command(flatten)]
    store: StoreArgs,
    /// The period: back from now (`30d`, `12h`, `2w`) or from an RFC 3339 time.
    #[arg(long, default_value = "30d")]
    since: String,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Rows of CSV and Parquet: one per workspace or one per job file.
    #[arg(long, value_enum, default_value_t = By::Workspace)]
    by: By,
    /// Write here instead of standard output (needed for parquet).
    #[arg(long)]
    out: Option<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Table,
    Csv,
    Parquet,
    Html,
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum By {
    Workspace,
    JobFile,
}

/// Workspace → the file name of the job file that defines it, when the jobs
/// directory exists (a store read elsewhere than its jobs has none).
fn job_files(dir: &std::path::Path) -> anyhow::Result<HashMap<String, String>> {
    let mut map = HashMap::new();
    if !dir.is_dir() {
        return Ok(map);
    }
    let files = driftcost::jobs::load_dir(dir).map_err(|errors| {
        let list: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        anyhow::anyhow!(
            "the job files in {} do not load (the report groups workspaces by job file):\n{}",
            dir.display(),
            list.join("\n")
        )
    })?;
    for f in files {
        let name = f
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| f.path.display().to_string());
        for w in &f.workspaces {
            map.insert(w.name.clone(), name.clone());
        }
    }
    Ok(map)
}

pub fn run(a: ReportArgs) -> anyhow::Result<ExitCode> {
    let since = parse_since(&a.since, Utc::now()).map_err(|e| anyhow::anyhow!("--since: {e}"))?;
    if a.format == Format::Parquet && a.out.is_none() {
        bail!("--format parquet writes a binary file: add --out FILE.parquet");
    }
    let files = job_files(&a.store.jobs)?;
    let report = runtime()?.block_on(async {
        let s = a.store.open_existing().await?;
        let r = FleetReport::load(&s, since, &|w| files.get(w).cloned()).await?;
        s.close().await;
        anyhow::Ok(r)
    })?;
    let mut bytes = Vec::new();
    match a.format {
        Format::Table => bytes.extend(render_table(&report).into_bytes()),
        Format::Json => {
            serde_json::to_writer_pretty(&mut bytes, &report)?;
            bytes.push(b'\n');
        }
        Format::Html => bytes.extend(render_html(&report).into_bytes()),
        Format::Csv | Format::Parquet => {
            let mut df = match a.by {
                By::Workspace => frame_by_workspace(&report)?,
                By::JobFile => frame_by_job_file(&report)?,
            };
            if a.format == Format::Csv {
                write_csv(&mut df, &mut bytes)?;
            } else {
                write_parquet(&mut df, &mut bytes)?;
            }
        }
    }
    match &a.out {
        Some(path) => write_whole(path, &bytes)?,
        None => std::io::stdout().write_all(&bytes)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes a temporary file beside `path` and renames it over: a reader never
/// sees half a report, and a failure leaves the old file as it was.
fn write_whole(path: &std::path::Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir).with_context(|| {
        format!(
            "--out {}: cannot create a file in {}; does the folder exist and is it writable?",
            path.display(),
            dir.display()
        )
    })?;
    tmp.write_all(bytes)
        .and_then(|()| tmp.as_file().sync_all())
        .with_context(|| format!("--out {}: writing failed", path.display()))?;
    tmp.persist(path)
        .map_err(|e| anyhow::anyhow!("--out {}: {}", path.display(), e.error))?;
    Ok(())
}
