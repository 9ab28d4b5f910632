//! `driftcost jobs check`: validate a jobs directory before a worker reads it.

use clap::{Args, Subcommand};
use driftcost::jobs::{JobError, load_dir};
use driftcost::schedule::next_fire;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum JobsCommand {
    /// Check every jobs/*.toml: print each problem as `file:line: field: message`
    /// and exit 1, or a summary with each workspace's next run and exit 0.
    Check(CheckArgs),
}

#[derive(Args)]
pub struct CheckArgs {
    /// Directory holding the job files.
    #[arg(default_value = "jobs")]
    dir: PathBuf,
}

pub fn run(cmd: JobsCommand) -> anyhow::Result<ExitCode> {
    let JobsCommand::Check(args) = cmd;
    let files = match load_dir(&args.dir) {
        Ok(files) => files,
        Err(errors) => {
            for e in &errors {
                eprintln!("{}", e.compact());
            }
            eprintln!(
                "{} problem{} in {}",
                errors.len(),
                if errors.len() == 1 { "" } else { "s" },
                args.dir.display()
            );
            return Ok(ExitCode::from(1));
        }
    };
    if files.is_empty() {
        let e = JobError::Parse {
            path: args.dir.clone(),
            line: None,
            message: "no job files (*.toml) here; pass the jobs directory, e.g. `driftcost jobs check jobs/`".into(),
        };
        eprintln!("{}", e.compact());
        return Ok(ExitCode::from(1));
    }
    let now = chrono::Utc::now();
    let workspaces: usize = files.iter().map(|f| f.workspaces.len()).sum();
    let targets: usize = files.iter().map(|f| f.notify.len()).sum();
    println!(
        "{}: {} file{}, {} workspace{}, {} notification target{}: ok",
        args.dir.display(),
        files.len(),
        plural(files.len()),
        workspaces,
        plural(workspaces),
        targets,
        plural(targets)
    );
    let mut table = comfy_table::Table::new();
    table.load_preset(comfy_table::presets::NOTHING);
    table.set_header(["workspace", "file", "schedule", "next run (UTC)"]);
    for f in &files {
        let file = f
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        for w in &f.workspaces {
            let (schedule, next) = match (&w.schedule, w.disabled) {
                (_, true) => ("-".to_string(), "disabled".to_string()),
                (None, false) => ("-".to_string(), "on demand".to_string()),
                (Some(s), false) => (
                    s.to_string(),
                    next_fire(s, w.jitter_offset(), now)
                        .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
                        .unwrap_or_else(|| "never (no more ticks)".into()),
                ),
            };
            table.add_row([w.name.clone(), file.clone(), schedule, next]);
        }
    }
    if workspaces > 0 {
        println!("{table}");
    }
    Ok(ExitCode::SUCCESS)
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
