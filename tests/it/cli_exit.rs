//! Exit codes, logs, stores and closed pipes as a pipeline sees them:
//! 0 clean, 1 error (usage errors included), 2 drift or policy failure only;
//! a closed stdout ends quietly; read-only commands never create a store.

use std::path::Path;
use std::process::{Command, Output, Stdio};

fn cmd(cwd: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_driftcost"));
    c.args(args)
        .current_dir(cwd)
        .env_remove("RUST_BACKTRACE")
        .env_remove("RUST_LOG")
        .env_remove("DRIFTCOST_LOG")
        .env_remove("DRIFTCOST_STORE")
        .env_remove("NO_COLOR");
    c
}

fn run(cwd: &Path, args: &[&str]) -> Output {
    cmd(cwd, args).output().unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
        .display()
        .to_string()
}

#[test]
fn usage_errors_exit_1_and_help_and_version_exit_0() {
    let tmp = tempfile::tempdir().unwrap();
    for args in [
        vec!["--no-such-flag"],
        vec!["scan", "--no-such-flag"],
        vec!["worker", "--concurrency", "many"],
        vec!["no-such-command"],
        vec![],
        vec!["runs", "show"],
    ] {
        let out = run(tmp.path(), &args);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", text(&out));
        assert!(!out.stderr.is_empty(), "{args:?}: says why");
    }
    for args in [
        vec!["--help"],
        vec!["worker", "--help"],
        vec!["--version"],
        vec!["help"],
    ] {
        let out = run(tmp.path(), &args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", text(&out));
        assert!(!out.stdout.is_empty(), "{args:?}");
    }
}

#[test]
fn durations_out_of_range_are_refused_naming_the_flag() {
    let tmp = tempfile::tempdir().unwrap();
    for (args, flag) in [
        (vec!["worker", "--once", "--lease", "0s"], "--lease"),
        (vec!["worker", "--once", "--lease", "1000000y"], "--lease"),
        (vec!["worker", "--once", "--grace", "1000000y"], "--grace"),
        (vec!["scan", ".", "--timeout", "0s"], "--timeout"),
        (vec!["scan", ".", "--timeout", "500000000000y"], "--timeout"),
    ] {
        let out = run(tmp.path(), &args);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", text(&out));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(flag), "{args:?}: {}", text(&out));
        assert!(!stderr.contains("panicked"), "{args:?}: {}", text(&out));
    }
}

#[test]
fn invalid_log_filter_is_an_error_naming_it() {
    let tmp = tempfile::tempdir().unwrap();
    let plan = fixture("plan_compute_create.json");
    let out = run(
        tmp.path(),
        &[
            "--log",
            "driftcost=loud[",
            "cost",
            "breakdown",
            "--plan",
            &plan,
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("driftcost=loud["),
        "{}",
        text(&out)
    );
    assert!(out.stdout.is_empty(), "nothing done: {}", text(&out));
}

#[test]
fn rust_log_is_honoured_and_no_ansi_codes_off_a_terminal() {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("runs.db");
    let store = store.to_str().unwrap();
    let created = run(
        tmp.path(),
        &["token", "create", "--store", store, "--role", "read"],
    );
    assert_eq!(created.status.code(), Some(0), "{}", text(&created));
    let out = cmd(tmp.path(), &["runs", "list", "--store", store])
        .env("RUST_LOG", "debug")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("DEBUG"),
        "RUST_LOG=debug ignored: {}",
        text(&out)
    );
    assert!(
        !stderr.contains('\u{1b}'),
        "ANSI codes in a pipe: {}",
        text(&out)
    );
}

#[test]
fn log_json_puts_the_message_at_the_top_and_the_final_error_is_json() {
    let tmp = tempfile::tempdir().unwrap();
    let out = cmd(
        tmp.path(),
        &[
            "--log-json",
            "--log",
            "debug",
            "cost",
            "breakdown",
            "--plan",
            "/no/such/plan.json",
        ],
    )
    .output()
    .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert!(!lines.is_empty(), "{}", text(&out));
    for line in &lines {
        let v: serde_json::Value = serde_json::from_str(line)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {line}\n{}", text(&out)));
        assert!(v["message"].is_string(), "message not at the top: {line}");
        assert!(
            v.get("fields").is_none(),
            "message nested in fields: {line}"
        );
    }
    let last: serde_json::Value = serde_json::from_str(lines.last().unwrap()).unwrap();
    assert_eq!(last["level"], "ERROR", "{}", text(&out));
    assert!(
        last["message"]
            .as_str()
            .unwrap()
            .contains("/no/such/plan.json"),
        "{}",
        text(&out)
    );
}

/// Runs with stdout a pipe whose reader is already gone (`| head` that quit).
fn with_closed_stdout(cwd: &Path, args: &[&str]) -> Output {
    let mut child = cmd(cwd, args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    child.wait_with_output().unwrap()
}

#[test]
fn a_closed_stdout_ends_quietly() {
    let tmp = tempfile::tempdir().unwrap();
    let plan = fixture("plan_compute_create.json");
    let drift = fixture("drift_sensitive_password.json");
    let store = tmp.path().join("runs.db");
    let store = store.to_str().unwrap();
    // A store with nothing in it, for `runs list`.
    let created = run(
        tmp.path(),
        &["token", "create", "--store", store, "--role", "read"],
    );
    assert_eq!(created.status.code(), Some(0), "{}", text(&created));
    let jobs_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("jobs");
    let jobs_dir = jobs_dir.to_str().unwrap();
    for (args, code) in [
        (vec!["--help"], 0),
        (vec!["worker", "--help"], 0),
        (vec!["--version"], 0),
        (vec!["cost", "breakdown", "--plan", &plan], 0),
        (vec!["drift", "--plan", &drift], 2),
        (vec!["runs", "list", "--store", store], 0),
        (vec!["jobs", "check", jobs_dir], 0),
    ] {
        let out = with_closed_stdout(tmp.path(), &args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!(
            !stderr.contains("Broken pipe") && !stderr.contains("failed printing"),
            "{args:?}: {stderr}"
        );
        let got = out.status.code();
        assert!(
            got == Some(0) || got == Some(code),
            "{args:?}: exit {got:?}: {stderr}"
        );
    }
}

#[test]
fn read_only_commands_never_create_a_store() {
    let tmp = tempfile::tempdir().unwrap();
    for args in [
        vec!["runs", "list"],
        vec!["runs", "show", "1"],
        vec!["drift", "show", "app"],
        vec!["runs", "list", "--store", "elsewhere.db"],
    ] {
        let out = run(tmp.path(), &args);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", text(&out));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("driftcost.db") || stderr.contains("elsewhere.db"),
            "{args:?}: names the store: {stderr}"
        );
        let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
        assert!(left.is_empty(), "{args:?} created {left:?}");
    }
}

#[test]
fn token_create_refuses_to_start_a_store_in_a_random_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run(tmp.path(), &["token", "create", "--role", "admin"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--create-store"),
        "says what to do: {stderr}"
    );
    assert!(out.stdout.is_empty(), "no token printed: {}", text(&out));
    let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
    assert!(left.is_empty(), "created {left:?}");

    let out = run(
        tmp.path(),
        &["token", "create", "--role", "admin", "--create-store"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(tmp.path().join("driftcost.db").exists());
    // Now that it exists, no flag is needed.
    let out = run(tmp.path(), &["token", "create", "--role", "read"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
}

#[test]
fn help_describes_every_option_and_serve_hides_worker_only_flags() {
    let tmp = tempfile::tempdir().unwrap();
    let commands: Vec<Vec<&str>> = vec![
        vec![],
        vec!["scan"],
        vec!["worker"],
        vec!["serve"],
        vec!["runs", "list"],
        vec!["runs", "show"],
        vec!["token", "create"],
        vec!["drift", "show"],
        vec!["jobs", "check"],
    ];
    for c in commands {
        let mut args = c.clone();
        args.push("--help");
        let out = run(tmp.path(), &args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", text(&out));
        let help = String::from_utf8_lossy(&out.stdout);
        assert!(
            help.contains("Global options:"),
            "{args:?}: global options not grouped: {help}"
        );
        // An option line is `  -x, --name <V>  description` or `      --name  description`;
        // a line holding only the flag has no description.
        // (Long ones carry it on the next, deeper-indented line.)
        let lines: Vec<&str> = help.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let t = line.trim_start();
            if t.starts_with('-') && !t.contains("  ") {
                let indent = line.len() - t.len();
                let next_describes = lines.get(i + 1).is_some_and(|n| {
                    let nt = n.trim_start();
                    !nt.is_empty() && !nt.starts_with('-') && n.len() - nt.len() > indent
                });
                assert!(
                    next_describes,
                    "{args:?}: option without a description: {line:?}\n{help}"
                );
            }
        }
        if c == ["serve"] {
            for flag in ["--once", "--all", "--progress"] {
                assert!(!help.contains(flag), "serve lists {flag}: {help}");
            }
        }
    }
}

#[test]
fn no_color_turns_ansi_off_even_on_a_terminal() {
    // `script` gives the command a terminal; without it this cannot be shown.
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("SKIPPED: no `script` (util-linux) to provide a terminal");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("runs.db");
    let store = store.to_str().unwrap();
    let created = run(
        tmp.path(),
        &["token", "create", "--store", store, "--role", "read"],
    );
    assert_eq!(created.status.code(), Some(0), "{}", text(&created));
    let line = format!(
        "{} runs list --store {store}",
        env!("CARGO_BIN_EXE_driftcost")
    );
    let on_terminal = |no_color: bool| {
        let mut c = Command::new("script");
        c.args(["-qec", &line, "/dev/null"])
            .current_dir(tmp.path())
            .env("RUST_LOG", "debug")
            .env_remove("DRIFTCOST_LOG")
            .env_remove("NO_COLOR");
        if no_color {
            c.env("NO_COLOR", "1");
        }
        let out = c.output().unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let coloured = on_terminal(false);
    assert!(coloured.contains("DEBUG"), "{coloured}");
    assert!(
        coloured.contains('\u{1b}'),
        "a terminal gets colours: {coloured}"
    );
    let plain = on_terminal(true);
    assert!(plain.contains("DEBUG"), "{plain}");
    assert!(!plain.contains('\u{1b}'), "NO_COLOR ignored: {plain}");
}
