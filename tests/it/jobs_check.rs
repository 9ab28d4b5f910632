//! `driftcost jobs check`: every problem of a jobs directory as
//! `file:line: field: message` with exit 1, or a summary with exit 0.

use std::path::Path;
use std::process::Command;

fn check(dir: &Path) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_driftcost"))
        .args(["jobs", "check"])
        .arg(dir)
        .env_remove("RUST_BACKTRACE")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn jobs_dir() -> tempfile::TempDir {
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(root.path().join("jobs")).unwrap();
    std::fs::create_dir_all(root.path().join("infra/net")).unwrap();
    std::fs::create_dir_all(root.path().join("infra/app")).unwrap();
    root
}

const GOOD: &str = r#"
concurrency = 2

[defaults]
schedule = "0 6 * * 1-5"
timezone = "Europe/Berlin"
jitter = "10m"
notify = ["mail"]
cost_threshold = { warn = "100", fail = "500" }

[[workspace]]
name = "net"
dir = "../infra/net"

[[workspace]]
name = "app"
dir = "../infra/app"
schedule = "@hourly"
timezone = "UTC"
jitter = "0s"

[notify.mail]
kind = "email"
to = "platform@example.com"
from = "driftcost@example.com"
smtp_host = "smtp.example.com"
username_env = "SMTP_USERNAME"
password_env = "SMTP_PASSWORD"
"#;

#[test]
fn good_directory_prints_a_summary_with_next_runs() {
    let root = jobs_dir();
    let jobs = root.path().join("jobs");
    std::fs::write(jobs.join("fleet.toml"), GOOD).unwrap();
    std::fs::write(
        jobs.join("adhoc.toml"),
        "[[workspace]]\nname = \"manual\"\ndir = \"../infra/net\"\n",
    )
    .unwrap();
    let (code, stdout, stderr) = check(&jobs);
    assert_eq!(code, 0, "stdout: {stdout}\nstderr: {stderr}");
    assert!(
        stdout.contains("2 files, 3 workspaces, 1 notification target: ok"),
        "{stdout}"
    );
    let row = |name: &str| {
        stdout
            .lines()
            .find(|l| l.split_whitespace().next() == Some(name))
            .unwrap_or_else(|| panic!("no row for {name}: {stdout}"))
            .to_string()
    };
    assert!(
        row("net").contains("0 6 * * 1-5 (Europe/Berlin)"),
        "{stdout}"
    );
    assert!(row("manual").contains("on demand"), "{stdout}");
    // @hourly with no jitter: the next run is on the hour
    let app = row("app");
    let next = app.split_whitespace().last().unwrap();
    assert!(next.ends_with(":00:00"), "{app}");
}

#[test]
fn bad_directory_lists_every_problem_and_exits_1() {
    let root = jobs_dir();
    let jobs = root.path().join("jobs");
    std::fs::write(jobs.join("a.toml"), GOOD).unwrap();
    std::fs::write(
        jobs.join("b.toml"),
        r#"[[workspace]]
name = "net"
dir = "../infra/net"

[[workspace]]
name = "db"
dir = "../infra/db"
schedule = "*/5 * * *"
timezone = "Europe/Berln"
notify = ["pager"]

[notify.chat]
kind = "slack"
url = "https://hooks.slack.com/services/T0/B0/XYZ"
"#,
    )
    .unwrap();
    std::fs::write(
        jobs.join("c.toml"),
        "[[workspace]]\nname = \"x\"\ncolour = \"red\"\n",
    )
    .unwrap();
    let (code, stdout, stderr) = check(&jobs);
    assert_eq!(code, 1, "stdout: {stdout}\nstderr: {stderr}");
    let b = jobs.join("b.toml").display().to_string();
    let a = jobs.join("a.toml").display().to_string();
    let c = jobs.join("c.toml").display().to_string();
    let want = [
        format!(
            "{b}:2: name: workspace `net` is already defined in {a} line 12; names must be unique across all job files"
        ),
        format!("{b}:7: dir: "),
        format!(
            "{b}:8: schedule: `*/5 * * *` has 4 fields; expected 5 fields (min hour dom mon dow), 6/7 fields"
        ),
        format!("{b}:9: timezone: `Europe/Berln` is not an IANA time zone"),
        format!("{b}:10: notify: no target named `pager` in this file"),
        format!("{b}:14: notify.chat.url: a webhook URL is a secret"),
        format!("{c}:3: unknown field `colour`"),
    ];
    let lines: Vec<&str> = stderr.lines().collect();
    for w in &want {
        assert!(
            lines.iter().any(|l| l.starts_with(w.as_str())),
            "missing line starting {w:?} in:\n{stderr}"
        );
    }
    assert!(stderr.contains("problems in"), "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    // the webhook URL itself is never echoed back
    assert!(!stderr.contains("hooks.slack.com"), "{stderr}");
}

#[test]
fn empty_or_missing_directory_is_an_error() {
    let root = jobs_dir();
    let (code, _, stderr) = check(&root.path().join("jobs"));
    assert_eq!(code, 1);
    assert!(stderr.contains("no job files (*.toml) here"), "{stderr}");
    let (code, _, stderr) = check(&root.path().join("nope"));
    assert_eq!(code, 1);
    assert!(stderr.contains("cannot read"), "{stderr}");
}

#[test]
fn shipped_example_passes() {
    // Alone: other files in jobs/ (the demo) may name directories made at run time.
    let root = jobs_dir();
    let jobs = root.path().join("jobs");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("jobs/example.toml"),
        jobs.join("example.toml"),
    )
    .unwrap();
    let (code, stdout, stderr) = check(&jobs);
    assert_eq!(code, 0, "stdout: {stdout}\nstderr: {stderr}");
    assert!(
        stdout.contains("1 file, 0 workspaces, 4 notification targets: ok"),
        "{stdout}"
    );
}
