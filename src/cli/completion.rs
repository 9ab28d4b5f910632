//! `driftcost completion SHELL` (clap_complete) and `driftcost man` (clap_mangen):
//! generated from the same clap definitions the binary parses with, so they never
//! drift from the real subcommands and flags.

use anyhow::Context;
use clap::{Args, CommandFactory};
use clap_complete::Shell;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Args)]
#[command(after_help = "Install, e.g.:\n  \
    bash: driftcost completion bash > ~/.local/share/bash-completion/completions/driftcost\n  \
    zsh:  driftcost completion zsh > \"${fpath[1]}/_driftcost\"\n  \
    fish: driftcost completion fish > ~/.config/fish/completions/driftcost.fish")]
pub struct CompletionArgs {
    /// The shell to write the completion script for.
    #[arg(value_enum)]
    shell: Shell,
}

#[derive(Args)]
pub struct ManArgs {
    /// Write one page per command (driftcost.1, driftcost-worker.1, …) into this directory
    /// instead of printing driftcost.1 (e.g. `--dir /usr/local/share/man/man1`).
    #[arg(long)]
    dir: Option<PathBuf>,
}

/// The CLI as clap sees it, named as installed.
fn command() -> clap::Command {
    let mut cmd = super::Cli::command();
    cmd.set_bin_name("driftcost");
    cmd
}

/// Writes the completion script for `args.shell` to standard output.
pub fn run_completion(args: CompletionArgs) -> anyhow::Result<ExitCode> {
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut command(), "driftcost", &mut out);
    std::io::stdout()
        .write_all(&out)
        .context("writing the completion script to standard output")?;
    Ok(ExitCode::SUCCESS)
}

/// Prints `driftcost.1`, or writes every command's page into `--dir`.
pub fn run_man(args: ManArgs) -> anyhow::Result<ExitCode> {
    let pages = render_pages(command())?;
    match args.dir {
        None => {
            let (_, top) = pages.last().context("no man page rendered")?;
            std::io::stdout()
                .write_all(top)
                .context("writing the man page to standard output")?;
        }
        Some(dir) => {
            std::fs::create_dir_all(&dir)
                .with_context(|| format!("--dir {}: cannot create it", dir.display()))?;
            for (name, page) in &pages {
                write_atomically(&dir.join(name), page)?;
            }
            eprintln!("wrote {} man pages to {}", pages.len(), dir.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Every visible command's page as (file name, roff), rendered in memory first so a
/// failure writes nothing; the top-level page comes last.
fn render_pages(cmd: clap::Command) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    // After `build`, clap names each subcommand's page `driftcost-worker` and so on.
    fn walk(cmd: clap::Command, out: &mut Vec<(String, Vec<u8>)>) -> anyhow::Result<()> {
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()).cloned() {
            walk(sub, out)?;
        }
        let man = clap_mangen::Man::new(cmd);
        let name = man.get_filename();
        let mut page = Vec::new();
        man.render(&mut page)
            .with_context(|| format!("rendering the man page {name}"))?;
        out.push((name, page));
        Ok(())
    }
    let mut cmd = cmd.disable_help_subcommand(true);
    cmd.build();
    let mut out = Vec::new();
    walk(cmd, &mut out)?;
    Ok(out)
}

/// Writes through a temp file in the same directory and renames it into place.
fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("cannot write in {}", dir.display()))?;
    tmp.write_all(bytes)
        .with_context(|| format!("writing {}", path.display()))?;
    tmp.persist(path)
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn completion(shell: Shell) -> String {
        let mut out = Vec::new();
        clap_complete::generate(shell, &mut command(), "driftcost", &mut out);
        String::from_utf8(out).unwrap()
    }

    /// Every subcommand the binary parses, top level.
    fn subcommands() -> Vec<String> {
        command()
            .get_subcommands()
            .map(|s| s.get_name().to_string())
            .collect()
    }

    #[test]
    fn completions_name_every_subcommand_and_some_flags() {
        for shell in [Shell::Bash, Shell::Zsh, Shell::Fish] {
            let script = completion(shell);
            for sub in subcommands() {
                assert!(script.contains(&sub), "{shell}: no `{sub}` in\n{script}");
            }
            for flag in ["once", "with-worker", "mirror", "behavior"] {
                let spelled = match shell {
                    Shell::Fish => format!("-l {flag}"),
                    _ => format!("--{flag}"),
                };
                assert!(script.contains(&spelled), "{shell}: no `{spelled}`");
            }
        }
    }

    #[test]
    fn bash_completion_is_valid_bash() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("driftcost.bash");
        std::fs::write(&path, completion(Shell::Bash)).unwrap();
        let status = std::process::Command::new("bash")
            .arg("-n")
            .arg(&path)
            .status()
            .expect("bash is on PATH");
        assert!(status.success());
    }

    #[test]
    fn man_pages_cover_every_command_and_write_into_a_dir() {
        let pages = render_pages(command()).unwrap();
        let names: Vec<&str> = pages.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names.last(), Some(&"driftcost.1"));
        for sub in subcommands() {
            let file = format!("driftcost-{sub}.1");
            assert!(names.contains(&file.as_str()), "{file} not in {names:?}");
        }
        assert!(names.contains(&"driftcost-cost-breakdown.1"), "{names:?}");
        let (_, worker) = pages
            .iter()
            .find(|(n, _)| n == "driftcost-worker.1")
            .unwrap();
        let worker = String::from_utf8_lossy(worker);
        assert!(worker.starts_with(".ie"), "roff: {worker}");
        assert!(worker.contains("driftcost\\-worker"), "{worker}");
        assert!(worker.contains("\\-\\-once"), "{worker}");

        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("man1");
        run_man(ManArgs {
            dir: Some(out.clone()),
        })
        .unwrap();
        let written = std::fs::read_dir(&out).unwrap().count();
        assert_eq!(written, pages.len());
    }
}
