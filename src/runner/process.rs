//! Spawning the IaC binary in its own process group, with a timeout and
//! cancellation that take the whole group down (providers included).
//!
//! terraform must also die with the worker, however the worker dies (SIGKILL,
//! OOM): each command runs under a tiny supervisor, a fork of the worker that
//! leads the process group, starts terraform in it and waits. It watches a
//! "lifeline" pipe whose only write end lives in the worker (close-on-exec);
//! when the worker dies the kernel closes it, the supervisor sees the hang-up
//! and kills its whole group (terraform and its providers). Unlike
//! `PR_SET_PDEATHSIG`, which fires when the *thread* that forked exits (tokio
//! threads come and go), the pipe belongs to the process. terraform itself
//! gets `PR_SET_PDEATHSIG` against the supervisor, which is single-threaded.

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
    #[cfg(target_os = "linux")]
    if let Some((read, write)) = lifeline() {
        // SAFETY: the closure runs in the forked child before exec and only
        // makes async-signal-safe calls (see `supervisor`).
        unsafe {
            cmd.pre_exec(move || supervisor::split(read, write));
        }
    }
    let start = Instant::now();
    let mut child = cmd.spawn()?;
    let pgid = child.id().map(|id| Pid::from_raw(id as i32));
    // Dropped before the end (the run's task aborted): the group goes too.
    let mut group_guard = GroupGuard(pgid);
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
    group_guard.0 = None;
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

/// Kills the process group when dropped while armed.
struct GroupGuard(Option<Pid>);

impl Drop for GroupGuard {
    fn drop(&mut self) {
        if let Some(pgid) = self.0 {
            let _ = killpg(pgid, Signal::SIGKILL);
        }
    }
}

/// The lifeline pipe (read, write), made once per process, both ends
/// close-on-exec; `None` if the pipe cannot be made (then no supervisor).
#[cfg(target_os = "linux")]
fn lifeline() -> Option<(std::os::fd::RawFd, std::os::fd::RawFd)> {
    use std::os::fd::{AsRawFd, OwnedFd};
    static LIFELINE: std::sync::OnceLock<Option<(OwnedFd, OwnedFd)>> = std::sync::OnceLock::new();
    LIFELINE
        .get_or_init(|| match nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC) {
            Ok(p) => Some(p),
            Err(e) => {
                tracing::warn!(error = %e, "no lifeline pipe: terraform may outlive a killed worker");
                None
            }
        })
        .as_ref()
        .map(|(r, w)| (r.as_raw_fd(), w.as_raw_fd()))
}

/// The supervisor between fork and exec. Everything here runs in a child of
/// a multi-threaded process: raw system calls only, no allocation, no locks.
#[cfg(target_os = "linux")]
mod supervisor {
    use nix::libc;
    use std::os::fd::RawFd;

    /// Forks terraform off the child; the child stays behind as supervisor
    /// and never returns. terraform returns `Ok` and std execs it.
    pub(super) fn split(read: RawFd, write: RawFd) -> std::io::Result<()> {
        // SAFETY: async-signal-safe calls in a freshly forked child.
        unsafe {
            let supervisor = libc::getpid();
            match libc::fork() {
                -1 => Err(std::io::Error::last_os_error()),
                0 => {
                    // terraform: dies if its supervisor is killed outright.
                    libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL as libc::c_ulong);
                    if libc::getppid() != supervisor {
                        libc::_exit(1);
                    }
                    Ok(())
                }
                terraform => watch(terraform, read, write),
            }
        }
    }

    /// Waits for terraform and exits as it did; kills the group if the
    /// worker goes away first.
    unsafe fn watch(terraform: libc::pid_t, read: RawFd, write: RawFd) -> ! {
        // SAFETY: async-signal-safe calls only.
        unsafe {
            // The worker stops a run with SIGTERM to the group: terraform gets
            // it and ends cleanly; the supervisor waits and reports its exit.
            libc::signal(libc::SIGTERM, libc::SIG_IGN);
            libc::signal(libc::SIGINT, libc::SIG_IGN);
            libc::close(write);
            // Every other descriptor goes, std's exec-error pipe included, so
            // the worker's spawn returns as soon as terraform runs, and the
            // output pipes reach EOF when terraform's copies close.
            close_all_but(read);
            let pidfd = libc::syscall(libc::SYS_pidfd_open, terraform, 0) as libc::c_int;
            loop {
                let mut status: libc::c_int = 0;
                let w = libc::waitpid(terraform, &mut status, libc::WNOHANG);
                if w == terraform {
                    if libc::WIFEXITED(status) {
                        libc::_exit(libc::WEXITSTATUS(status));
                    }
                    if libc::WIFSIGNALED(status) {
                        let sig = libc::WTERMSIG(status);
                        libc::signal(sig, libc::SIG_DFL);
                        libc::kill(libc::getpid(), sig);
                        libc::_exit(128 + sig);
                    }
                } else if w == -1 && *libc::__errno_location() != libc::EINTR {
                    libc::_exit(1);
                }
                let mut fds = [
                    libc::pollfd {
                        fd: read,
                        events: libc::POLLIN,
                        revents: 0,
                    },
                    libc::pollfd {
                        fd: pidfd,
                        events: libc::POLLIN,
                        revents: 0,
                    },
                ];
                // Without pidfds (Linux < 5.3), look at terraform every 100 ms.
                let (n, timeout) = if pidfd >= 0 { (2, -1) } else { (1, 100) };
                let ready = libc::poll(fds.as_mut_ptr(), n, timeout);
                if ready > 0 && fds[0].revents != 0 {
                    // The worker is gone: take terraform and its providers along.
                    libc::kill(0, libc::SIGKILL);
                    libc::_exit(1);
                }
            }
        }
    }

    unsafe fn close_all_but(keep: RawFd) {
        // SAFETY: close(2) and close_range(2) are async-signal-safe.
        unsafe {
            let keep = keep as libc::c_uint;
            let low = if keep > 0 {
                libc::syscall(
                    libc::SYS_close_range,
                    0 as libc::c_uint,
                    keep - 1,
                    0 as libc::c_uint,
                )
            } else {
                0
            };
            let high = libc::syscall(
                libc::SYS_close_range,
                keep + 1,
                libc::c_uint::MAX,
                0 as libc::c_uint,
            );
            if low != 0 || high != 0 {
                for fd in 0..4096 {
                    if fd != keep as libc::c_int {
                        libc::close(fd);
                    }
                }
            }
        }
    }
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
