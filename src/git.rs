//! Running git, for git workspaces (`scan::source`) and the PR bot's fetches
//! (`comment::pr_job`): never prompting for credentials, killed at a deadline
//! or on cancel, and never quoting a credential back: every URL in what git
//! says is passed through [`redact_url`].

use std::path::Path;
use std::process::Stdio;
use tokio::process::Command;
use tokio_util::sync::CancellationToken;

/// Why a git command failed; callers word it for what they were doing.
#[derive(Debug)]
pub(crate) enum GitError {
    Start(std::io::Error),
    TimedOut,
    Cancelled,
    /// The last line git wrote to stderr, URLs with credentials redacted.
    Failed(String),
}

/// `git args` in `dir` with `env` added: never prompts for credentials,
/// killed at `deadline` or on `cancel`. Returns stdout.
pub(crate) async fn run_git(
    dir: &Path,
    args: &[&str],
    env: &[(&str, String)],
    deadline: tokio::time::Instant,
    cancel: &CancellationToken,
) -> Result<String, GitError> {
    let mut cmd = Command::new("git");
    cmd.args(args)
        .current_dir(dir)
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_ASKPASS", "true")
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    let child = cmd.spawn().map_err(GitError::Start)?;
    let out = tokio::select! {
        o = tokio::time::timeout_at(deadline, child.wait_with_output()) => match o {
            Ok(o) => o.map_err(GitError::Start)?,
            Err(_) => return Err(GitError::TimedOut),
        },
        _ = cancel.cancelled() => return Err(GitError::Cancelled),
    };
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let last = stderr
            .lines()
            .rfind(|l| !l.trim().is_empty())
            .unwrap_or("no message");
        return Err(GitError::Failed(redact_url(last)));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Credentials out of URLs in `text` (a URL or a line of git's output):
/// `scheme://user:secret@host/…` → `scheme://host/…`, a query string →
/// `?[redacted]`, scp-like `user:secret@host:path` → `host:path`.
pub fn redact_url(text: &str) -> String {
    let stop = |c: char| c.is_whitespace() || c == '\'' || c == '"';
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("://") {
        out.push_str(&rest[..i + 3]);
        let after = &rest[i + 3..];
        let end = after
            .find(|c: char| matches!(c, '/' | '?' | '#') || stop(c))
            .unwrap_or(after.len());
        let authority = &after[..end];
        out.push_str(
            authority
                .rsplit_once('@')
                .map_or(authority, |(_, host)| host),
        );
        let tail = &after[end..];
        let path_end = tail
            .find(|c: char| c == '?' || stop(c))
            .unwrap_or(tail.len());
        out.push_str(&tail[..path_end]);
        rest = &tail[path_end..];
        if rest.starts_with('?') {
            let query_end = rest
                .find(|c: char| c == '#' || stop(c))
                .unwrap_or(rest.len());
            out.push_str("?[redacted]");
            rest = &rest[query_end..];
        }
    }
    out.push_str(rest);
    if !text.contains("://") && !text.contains(char::is_whitespace) {
        let head = &out[..out.find('/').unwrap_or(out.len())];
        if let Some((userinfo, host)) = head.rsplit_once('@')
            && host.contains(':')
            && userinfo.contains(':')
        {
            return out[userinfo.len() + 1..].to_string();
        }
    }
    out
}
