//! Spawning the IaC binary in its own process group, with a timeout and
//! cancellation that take the whole group down (providers included).

use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncReadExt};
use tokio::process::Command;
use tokio_util::sync::CancellationToken;

/// How long terraform gets to stop cleanly after SIGTERM before SIGKILL.
const KILL_GRACE: Duration = Duration::from_secs(5);

/// Output of one command, capped in size.
#[derive(Debug, Default)]
pub(crate) struct Captured {
    pub status: Option<i32>,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    pub stdout_truncated: bool,
    pub stderr_truncated: bool,
    pub elapsed: Duration,
}

#[derive(Debug)]
pub(crate) enum Ended {
    Exited(Captured),
    TimedOut(Captured),
    Cancelled(Captured),
}

/// Runs `program args` in `dir` with exactly `env` added (after clearing the
/// variables terraform must not inherit), capturing at most `cap` bytes of
/// each stream (the first `cap` bytes: terraform's diagnostics come early and
/// the JSON stream is line-oriented).
pub(crate) async fn run(
    program: &Path,
    args: &[String],
    dir: &Path,
    env: &[(String, String)],
    timeout: Duration,
    cap: usize,
    cancel: &CancellationToken,
) -> std::io::Result<Ended> {
    let mut cmd = Command::new(program);
    cmd.args(args)
        .current_dir(dir)
        .env_remove("RUST_BACKTRACE")
        .env_remove("TF_LOG")
        .env_remove("TF_CLI_ARGS")
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .kill_on_drop(true);
    let start = Instant::now();
    let mut child = cmd.spawn()?;
    let pgid = child.id().map(|id| Pid::from_raw(id as i32));
    let out = tokio::spawn(read_capped(child.stdout.take(), cap));
    let err = tokio::spawn(read_capped(child.stderr.take(), cap));

    enum Why {
        Exit(std::io::Result<std::process::ExitStatus>),
        Timeout,
        Cancel,
    }
    let why = tokio::select! {
        s = child.wait() => Why::Exit(s),
        _ = tokio::time::sleep(timeout) => Why::Timeout,
        _ = cancel.cancelled() => Why::Cancel,
    };
    let status = match why {
        Why::Exit(s) => Some(s?),
        Why::Timeout | Why::Cancel => {
            if let Some(pgid) = pgid {
                let _ = killpg(pgid, Signal::SIGTERM);
            }
            let waited = tokio::time::timeout(KILL_GRACE, child.wait()).await;
            if let Some(pgid) = pgid {
                // The whole group: a provider that ignores SIGTERM must not outlive us.
                let _ = killpg(pgid, Signal::SIGKILL);
            }
            if waited.is_err() {
                let _ = child.wait().await;
            }
            None
        }
    };
    let (stdout, stdout_truncated) = out.await.unwrap_or_default();
    let (stderr, stderr_truncated) = err.await.unwrap_or_default();
    let captured = Captured {
        status: status.and_then(|s| s.code()),
        stdout,
        stderr,
        stdout_truncated,
        stderr_truncated,
        elapsed: start.elapsed(),
    };
    Ok(match (status, cancel.is_cancelled()) {
        (Some(_), _) => Ended::Exited(captured),
        (None, true) => Ended::Cancelled(captured),
        (None, false) => Ended::TimedOut(captured),
    })
}

/// Reads a stream to its end, keeping the first `cap` bytes; the rest is
/// drained so the child never blocks on a full pipe.
async fn read_capped<R: AsyncRead + Unpin>(stream: Option<R>, cap: usize) -> (Vec<u8>, bool) {
    let Some(mut stream) = stream else {
        return (Vec::new(), false);
    };
    let mut kept = Vec::new();
    let mut buf = [0u8; 16 * 1024];
    let mut truncated = false;
    loop {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                let room = cap.saturating_sub(kept.len());
                if n > room {
                    truncated = true;
                }
                kept.extend_from_slice(&buf[..n.min(room)]);
            }
        }
    }
    (kept, truncated)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sh(script: &str) -> (std::path::PathBuf, Vec<String>) {
        ("/bin/sh".into(), vec!["-c".into(), script.into()])
    }

    #[tokio::test]
    async fn captures_and_caps_output() {
        let (p, a) = sh("printf 'hello world'; echo oops >&2; exit 3");
        let ended = run(
            &p,
            &a,
            Path::new("/"),
            &[],
            Duration::from_secs(10),
            5,
            &CancellationToken::new(),
        )
        .await
        .unwrap();
        let Ended::Exited(c) = ended else {
            panic!("{ended:?}")
        };
        assert_eq!(c.status, Some(3));
        assert_eq!(c.stdout, b"hello");
        assert!(c.stdout_truncated);
        assert_eq!(c.stderr, b"oops\n");
    }

    #[tokio::test]
    async fn timeout_kills_the_whole_process_group() {
        let dir = tempfile::tempdir().unwrap();
        let pidfile = dir.path().join("grandchild.pid");
        // The grandchild ignores SIGTERM; only killing the group gets it.
        let script = format!(
            "sh -c 'trap \"\" TERM; echo $$ > {}; sleep 60' & wait",
            pidfile.display()
        );
        let (p, a) = sh(&script);
        let ended = run(
            &p,
            &a,
            dir.path(),
            &[],
            Duration::from_millis(300),
            1024,
            &CancellationToken::new(),
        )
        .await
        .unwrap();
        assert!(matches!(ended, Ended::TimedOut(_)), "{ended:?}");
        let pid: i32 = std::fs::read_to_string(&pidfile)
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        std::thread::sleep(Duration::from_millis(100));
        // Gone, or a zombie waiting to be reaped by init: either way not running.
        let state = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        let running = state
            .rsplit(')')
            .next()
            .is_some_and(|rest| !rest.trim_start().starts_with('Z'));
        assert!(!running, "grandchild {pid} survived the timeout: {state}");
    }

    #[tokio::test]
    async fn cancellation_stops_the_run() {
        let cancel = CancellationToken::new();
        let c2 = cancel.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(100)).await;
            c2.cancel();
        });
        let (p, a) = sh("sleep 30");
        let ended = run(
            &p,
            &a,
            Path::new("/"),
            &[],
            Duration::from_secs(30),
            1024,
            &cancel,
        )
        .await
        .unwrap();
        assert!(matches!(ended, Ended::Cancelled(_)), "{ended:?}");
    }
}
