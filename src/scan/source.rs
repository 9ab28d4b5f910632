//! Getting a git workspace's code: a shallow fetch of one ref into a fresh
//! directory per run, so runs never share a checkout and always see the ref
//! as it is now.

use crate::git::{GitError, run_git};
use crate::jobs::GitSource;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// A checkout that lives as long as this value.
pub struct Checkout {
    _tmp: tempfile::TempDir,
    /// The root module inside the checkout.
    pub dir: PathBuf,
    /// The commit checked out.
    pub commit: String,
}

/// Fetches `git.reference` (branch, tag or commit; the remote HEAD if unset)
/// with depth 1 under `work_root`. git's own credential helpers and SSH agent
/// apply; it never prompts.
pub async fn checkout(
    git: &GitSource,
    work_root: &Path,
    timeout: Duration,
    cancel: &CancellationToken,
) -> Result<Checkout, String> {
    std::fs::create_dir_all(work_root)
        .map_err(|e| format!("cannot create {}: {e}", work_root.display()))?;
    let tmp = tempfile::Builder::new()
        .prefix("driftcost-git-")
        .tempdir_in(work_root)
        .map_err(|e| {
            format!(
                "cannot create a checkout dir in {}: {e}",
                work_root.display()
            )
        })?;
    let repo = tmp.path().join("repo");
    let url = git.display_url();
    let reference = git.reference.as_deref().unwrap_or("HEAD");
    let deadline = tokio::time::Instant::now() + timeout;
    let parent = repo.parent().unwrap_or(&repo).to_path_buf();
    let run = |args: Vec<String>| {
        let (parent, url) = (parent.clone(), url.clone());
        async move {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            run_git(&parent, &args, &[], deadline, cancel)
                .await
                .map(|out| out.trim().to_string())
                .map_err(|e| match e {
                    GitError::Start(e) => format!("cannot start git (is it installed?): {e}"),
                    GitError::TimedOut => {
                        format!("fetching {url} timed out after {}s", timeout.as_secs())
                    }
                    GitError::Cancelled => format!("cancelled while fetching {url}"),
                    GitError::Failed(line) => line,
                })
        }
    };
    let repo_s = repo.display().to_string();
    // `--` before every positional argument: a URL or ref from a job file is
    // never read as an option (the loader refuses a leading `-` as well).
    run(vec![
        "init".into(),
        "-q".into(),
        "--".into(),
        repo_s.clone(),
    ])
    .await?;
    run(vec![
        "-C".into(),
        repo_s.clone(),
        "fetch".into(),
        "-q".into(),
        "--depth".into(),
        "1".into(),
        "--".into(),
        git.url.clone(),
        reference.into(),
    ])
    .await
    .map_err(|e| format!("fetching `{reference}` from {url}: {e}"))?;
    run(vec![
        "-C".into(),
        repo_s.clone(),
        "checkout".into(),
        "-q".into(),
        "FETCH_HEAD".into(),
    ])
    .await
    .map_err(|e| format!("checking out `{reference}` of {url}: {e}"))?;
    let commit = run(vec!["-C".into(), repo_s, "rev-parse".into(), "HEAD".into()]).await?;
    let dir = repo.join(&git.path);
    if !dir.is_dir() {
        return Err(format!(
            "`{}` is not a directory in {url} at `{reference}` ({commit})",
            git.path.display()
        ));
    }
    Ok(Checkout {
        _tmp: tmp,
        dir,
        commit,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn git(dir: &Path, args: &[&str]) {
        let out = std::process::Command::new("git")
            .args(args)
            .current_dir(dir)
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.com")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.com")
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
    }

    /// A ref (or URL) that looks like an option is a positional argument to
    /// git, never `--upload-pack=<command>`, even if the loader let it by.
    #[tokio::test]
    async fn a_ref_that_looks_like_an_option_runs_nothing() {
        let tmp = tempfile::tempdir().unwrap();
        let repo = tmp.path().join("repo");
        std::fs::create_dir_all(&repo).unwrap();
        git(&repo, &["init", "-q", "-b", "main"]);
        std::fs::write(repo.join("main.tf"), "").unwrap();
        git(&repo, &["add", "."]);
        git(&repo, &["commit", "-q", "-m", "x"]);
        let marker = tmp.path().join("pwned");
        let source = GitSource {
            url: format!("file://{}", repo.display()),
            reference: Some(format!("--upload-pack=touch {}", marker.display())),
            path: PathBuf::new(),
        };
        let work = tmp.path().join("work");
        let r = checkout(
            &source,
            &work,
            Duration::from_secs(30),
            &CancellationToken::new(),
        )
        .await;
        assert!(!marker.exists(), "git ran the ref as --upload-pack");
        assert!(r.is_err());

        let good = GitSource {
            reference: Some("main".into()),
            ..source
        };
        let c = checkout(
            &good,
            &work,
            Duration::from_secs(30),
            &CancellationToken::new(),
        )
        .await
        .unwrap();
        assert!(c.dir.join("main.tf").is_file());
    }
}
