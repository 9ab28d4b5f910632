//! An isolated working copy per run, so runs of different workspaces (or of
//! the same one) never share `.terraform`, plan files or lock files.

use std::io;
use std::path::{Path, PathBuf};

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
