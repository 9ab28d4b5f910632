//! An isolated working copy per run, so runs of different workspaces (or of
//! the same one) never share `.terraform`, plan files or lock files.

use nix::fcntl::{Flock, FlockArg};
use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

/// Name prefix of a worker's own folder under the shared work root.
const OWNED_PREFIX: &str = "driftcost-worker-";
/// The lock file inside it, held (flock) for as long as its worker lives.
const LOCK_FILE: &str = ".lock";

/// One worker's folder under a work root that several workers may share
/// (`--work-dir`): every working copy of its runs goes inside. The folder
/// holds a lock file the worker keeps locked until it exits, however it exits
/// (the kernel drops the lock with the process, SIGKILL included), so a later
/// worker can tell a dead worker's leftovers from a live one's and remove
/// only those. Removed on drop.
#[derive(Debug)]
pub struct WorkRoot {
    dir: PathBuf,
    _lock: Flock<File>,
}

impl WorkRoot {
    /// Removes the folders of workers that are gone from `base`, then makes
    /// this worker's own; returns it and the folders it removed.
    pub fn claim(base: &Path) -> io::Result<(WorkRoot, Vec<PathBuf>)> {
        std::fs::create_dir_all(base)?;
        let removed = remove_stale(base)?;
        // Made under a name the cleanup never looks at, locked, then renamed
        // into place: a folder with the owned prefix always has its lock.
        let staging = tempfile::Builder::new()
            .prefix(".driftcost-starting-")
            .tempdir_in(base)?;
        let lock = File::create(staging.path().join(LOCK_FILE))?;
        let lock = Flock::lock(lock, FlockArg::LockExclusiveNonblock)
            .map_err(|(_, errno)| io::Error::from(errno))?;
        let dir = base.join(format!(
            "{OWNED_PREFIX}{}-{}",
            std::process::id(),
            staging
                .path()
                .file_name()
                .map(|n| n
                    .to_string_lossy()
                    .rsplit('-')
                    .next()
                    .unwrap_or("")
                    .to_string())
                .unwrap_or_default()
        ));
        std::fs::rename(staging.keep(), &dir)?;
        Ok((WorkRoot { dir, _lock: lock }, removed))
    }

    pub fn path(&self) -> &Path {
        &self.dir
    }
}

impl Drop for WorkRoot {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Removes every owned folder in `base` whose lock nobody holds.
fn remove_stale(base: &Path) -> io::Result<Vec<PathBuf>> {
    let mut removed = Vec::new();
    for entry in std::fs::read_dir(base)? {
        let entry = entry?;
        let owned = entry
            .file_name()
            .to_str()
            .is_some_and(|n| n.starts_with(OWNED_PREFIX));
        if !owned || !entry.file_type()?.is_dir() {
            continue;
        }
        let dir = entry.path();
        // No lock file: not one of ours after all (or half gone); leave it.
        let Ok(file) = File::open(dir.join(LOCK_FILE)) else {
            continue;
        };
        // Held: its worker is alive. Taken: the worker is gone; we hold the
        // lock while removing, so nobody else removes it at the same time.
        if let Ok(_held) = Flock::lock(file, FlockArg::LockExclusiveNonblock) {
            match std::fs::remove_dir_all(&dir) {
                Ok(()) => removed.push(dir),
                Err(e) => {
                    tracing::warn!(dir = %dir.display(), error = %e, "cannot remove a dead worker's working copies")
                }
            }
        }
    }
    Ok(removed)
}

/// Directory entries never copied: terraform's own data (each run has its own
/// TF_DATA_DIR) and VCS metadata.
const SKIP: &[&str] = &[".terraform", ".git", ".terragrunt-cache"];

/// Copies the workspace into `dest` and returns the directory to run in.
/// When the configuration calls modules through `../` paths, the ancestor that
/// holds them is copied too, keeping the relative layout.
pub(crate) fn prepare(workspace_dir: &Path, dest: &Path) -> io::Result<PathBuf> {
    let up = parent_levels_needed(workspace_dir)?;
    let mut root = workspace_dir.canonicalize()?;
    let mut rel = PathBuf::new();
    for _ in 0..up {
        let Some(name) = root.file_name().map(PathBuf::from) else {
            break;
        };
        rel = name.join(rel);
        root = match root.parent() {
            Some(p) => p.to_path_buf(),
            None => break,
        };
    }
    copy_tree(&root, dest)?;
    Ok(dest.join(rel))
}

/// How many `../` steps the deepest local module source takes.
fn parent_levels_needed(dir: &Path) -> io::Result<usize> {
    let mut max = 0;
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "tf") {
            let text = std::fs::read_to_string(&path)?;
            for line in text.lines() {
                let l = line.trim();
                if let Some(rest) = l.strip_prefix("source") {
                    let rest = rest.trim_start().trim_start_matches('=').trim_start();
                    if let Some(src) = rest.strip_prefix('"') {
                        let levels = src.split('/').take_while(|p| *p == "..").count();
                        max = max.max(levels);
                    }
                }
            }
        }
    }
    Ok(max)
}

fn copy_tree(src: &Path, dest: &Path) -> io::Result<()> {
    std::fs::create_dir_all(dest)?;
    for entry in std::fs::read_dir(src)? {
        let entry = entry?;
        let name = entry.file_name();
        if SKIP.iter().any(|s| name == *s) {
            continue;
        }
        let from = entry.path();
        let to = dest.join(&name);
        let ft = entry.file_type()?;
        if ft.is_dir() {
            copy_tree(&from, &to)?;
        } else if ft.is_symlink() {
            let target = std::fs::read_link(&from)?;
            std::os::unix::fs::symlink(target, &to)?;
        } else {
            std::fs::copy(&from, &to)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stale_worker_dirs_go_and_live_ones_stay() {
        let base = tempfile::tempdir().unwrap();
        let (live, removed) = WorkRoot::claim(base.path()).unwrap();
        assert!(removed.is_empty());
        std::fs::write(live.path().join("run"), "x").unwrap();
        // A dead worker's folder: its lock file exists but nobody holds it.
        let dead = base.path().join(format!("{OWNED_PREFIX}1-dead"));
        std::fs::create_dir_all(dead.join("driftcost-app-x")).unwrap();
        std::fs::write(dead.join(LOCK_FILE), "").unwrap();
        // Something else in the shared folder is never touched.
        let other = base.path().join("driftcost-app-legacy");
        std::fs::create_dir_all(&other).unwrap();

        let (second, removed) = WorkRoot::claim(base.path()).unwrap();
        assert_eq!(removed, vec![dead.clone()]);
        assert!(!dead.exists());
        assert!(
            live.path().join("run").exists(),
            "a live worker's dir stays"
        );
        assert!(other.exists());
        let live_path = live.path().to_path_buf();
        drop(live);
        assert!(!live_path.exists(), "removed on a clean exit");
        assert!(second.path().exists());
    }

    #[test]
    fn copies_ancestor_for_relative_modules_and_skips_terraform_dirs() {
        let repo = tempfile::tempdir().unwrap();
        let ws = repo.path().join("envs/prod");
        std::fs::create_dir_all(ws.join(".terraform/providers")).unwrap();
        std::fs::create_dir_all(repo.path().join("modules/net")).unwrap();
        std::fs::write(
            ws.join("main.tf"),
            "module \"net\" {\n  source = \"../../modules/net\"\n}\n",
        )
        .unwrap();
        std::fs::write(repo.path().join("modules/net/main.tf"), "").unwrap();
        let dest = tempfile::tempdir().unwrap();
        let run_dir = prepare(&ws, dest.path()).unwrap();
        assert_eq!(run_dir, dest.path().join("envs/prod"));
        assert!(run_dir.join("main.tf").exists());
        assert!(dest.path().join("modules/net/main.tf").exists());
        assert!(!run_dir.join(".terraform").exists());
    }
}
