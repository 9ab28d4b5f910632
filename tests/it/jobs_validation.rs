//! Job files from the real world, through `driftcost jobs check`: whatever the
//! worker would refuse or trip over (credentials in git URLs, options passed
//! as refs, secrets in `vars` or `*_env`, unsigned webhooks, missing usage
//! files, schedules that never fire, unusable names, out-of-range durations)
//! is a `file:line: field: message` error with exit 1, never echoing the
//! secret; and what passes loads in the library exactly as the worker reads it.

use driftcost::jobs::{JobFile, load_dir};
use driftcost::notify::Target;
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

/// `root/jobs/` with `root/infra/net` to point `dir` at.
fn jobs_dir() -> tempfile::TempDir {
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(root.path().join("jobs")).unwrap();
    std::fs::create_dir_all(root.path().join("infra/net")).unwrap();
    root
}

/// Writes `text` as `jobs/t.toml`, runs `jobs check`, and returns the error
/// lines with the file name cut to `t.toml`.
fn problems(text: &str) -> (i32, Vec<String>, String) {
    let root = jobs_dir();
    let jobs = root.path().join("jobs");
    std::fs::write(jobs.join("t.toml"), text).unwrap();
    let (code, stdout, stderr) = check(&jobs);
    let prefix = format!("{}/", jobs.display());
    let lines = stderr
        .lines()
        .filter(|l| l.starts_with(&prefix))
        .map(|l| l.trim_start_matches(&prefix).to_string())
        .collect();
    (code, lines, format!("{stdout}{stderr}"))
}

fn assert_has(lines: &[String], want: &str) {
    assert!(
        lines.iter().any(|l| l.starts_with(want)),
        "no line starting {want:?} in {lines:#?}"
    );
}

#[test]
fn credentials_in_git_urls_are_refused_and_never_echoed() {
    let ws = |n: usize, url: &str| {
        format!("[[workspace]]\nname = \"w{n}\"\ngit = {{ url = \"{url}\" }}\n")
    };
    let bad = [
        "https://x-access-token:ghs_SeCrEt0123@github.com/org/infra.git",
        "https://ghp_SeCrEt0123abcdefghij@github.com/org/infra.git",
        "https://gitlab.com/org/infra.git?access_token=glpat-SeCrEt0123",
        "git:SeCrEt0123@github.com:org/infra.git",
        "ssh://git:SeCrEt0123@github.com/org/infra.git",
    ];
    let text: String = bad.iter().enumerate().map(|(i, u)| ws(i, u)).collect();
    let (code, lines, all) = problems(&text);
    assert_eq!(code, 1, "{all}");
    for i in 0..bad.len() {
        assert_has(&lines, &format!("t.toml:{}: git.url: ", 3 * i + 3));
    }
    assert_eq!(lines.len(), bad.len(), "{lines:#?}");
    assert!(
        !all.contains("SeCrEt0123"),
        "a credential was echoed:\n{all}"
    );

    // An SSH user is not a credential.
    let ok = ws(0, "git@github.com:org/infra.git") + &ws(1, "ssh://git@github.com/org/infra.git");
    let (code, _, all) = problems(&ok);
    assert_eq!(code, 0, "{all}");
}

#[test]
fn git_values_that_git_would_read_as_options_are_refused() {
    let (code, lines, all) = problems(
        "[[workspace]]\nname = \"a\"\ngit = { url = \"https://github.com/org/infra.git\", ref = \"--upload-pack=touch /tmp/pwned\" }\n\
         [[workspace]]\nname = \"b\"\ngit = { url = \"--upload-pack=touch /tmp/pwned\" }\n\
         [[workspace]]\nname = \"c\"\ngit = { url = \"https://github.com/org/infra.git\", path = \"-x\" }\n",
    );
    assert_eq!(code, 1, "{all}");
    assert_has(
        &lines,
        "t.toml:3: git.ref: `--upload-pack=touch /tmp/pwned` starts with `-`",
    );
    assert_has(&lines, "t.toml:6: git.url: starts with `-`");
    assert_has(&lines, "t.toml:9: git.path: ");
}

#[test]
fn secret_looking_vars_and_tokens_in_env_fields_are_refused() {
    let (code, lines, all) = problems(
        r#"[[workspace]]
name = "a"
dir = "../infra/net"
vars = { region = "eu-west-1", key_name = "deploy", ssh_key_name = "ops", kms_key_id = "arn:aws:kms:eu-west-1:1:key/x", monkey = "1" }

[[workspace]]
name = "b"
dir = "../infra/net"
vars = { db_password = "hunter2-SeCrEt", apiKey = "SeCrEt" }
env = ["ghp_16C7e42F292c6912E7710c838347Ae178B4a"]
notify = ["hook"]

[notify.hook]
kind = "webhook"
url_env = "DRIFT_HOOK_URL"
secret_env = "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3"
"#,
    );
    assert_eq!(code, 1, "{all}");
    assert_has(
        &lines,
        "t.toml:9: vars.apiKey: looks like a secret, and job files hold no secrets; pass it through the environment instead: add \"TF_VAR_apiKey\" to `env`",
    );
    assert_has(&lines, "t.toml:9: vars.db_password: looks like a secret");
    assert_has(&lines, "t.toml:10: env: `ghp_…` looks like a token");
    assert_has(
        &lines,
        "t.toml:16: notify.hook.secret_env: `a94a…` looks like a token",
    );
    // key_name, ssh_key_name, kms_key_id and monkey (line 4) are not secrets.
    assert!(
        !lines.iter().any(|l| l.starts_with("t.toml:4:")),
        "{lines:#?}"
    );
    assert_eq!(lines.len(), 4, "{lines:#?}");
    for secret in ["hunter2", "16C7e42F292c", "a94a8fe5ccb19"] {
        assert!(!all.contains(secret), "{secret} echoed:\n{all}");
    }
}

/// Issue 11: `jobs check` accepted a webhook without `secret_env` that the
/// worker then refused at every delivery.
#[test]
fn an_unsigned_webhook_is_a_check_error_not_a_worker_surprise() {
    let (code, lines, all) =
        problems("[notify.hook]\nkind = \"webhook\"\nurl_env = \"DRIFT_HOOK_URL\"\n");
    assert_eq!(code, 1, "{all}");
    assert_has(
        &lines,
        "t.toml:1: notify.hook.secret_env: missing; webhooks are always signed",
    );
}

#[test]
fn usage_file_schedule_name_and_durations_are_checked() {
    let long = "n".repeat(129);
    let (code, lines, all) = problems(&format!(
        r#"[[workspace]]
name = "a"
dir = "../infra/net"
usage_file = "usage.yml"
schedule = "0 0 30 2 *"
timeout = "500000000000y"
var_files = ["prod.tfvars"]

[[workspace]]
name = "b/../c"
dir = "../infra/net"
timeout = "0s"

[[workspace]]
name = "{long}"
dir = "../infra/net"

[[workspace]]
name = "tab\there"
dir = "../infra/net"

[notify.chat]
kind = "slack"
url_env = "SLACK_URL"
reminder = "0s"
"#
    ));
    assert_eq!(code, 1, "{all}");
    assert_has(&lines, "t.toml:4: usage_file: ");
    assert!(
        lines
            .iter()
            .any(|l| l.contains("usage.yml is not a file (paths are relative to the job file)")),
        "{lines:#?}"
    );
    assert_has(&lines, "t.toml:5: schedule: `0 0 30 2 *` never fires");
    assert_has(&lines, "t.toml:6: timeout: `500000000000y`");
    assert_has(&lines, "t.toml:7: var_files: ");
    assert_has(
        &lines,
        "t.toml:10: name: `b/../c` contains a path separator",
    );
    assert_has(
        &lines,
        "t.toml:12: timeout: `0s` is out of range; expected 1s to 1day",
    );
    assert_has(
        &lines,
        "t.toml:15: name: is 129 characters long; at most 128",
    );
    assert_has(&lines, "t.toml:19: name: contains a control character");
    assert_has(
        &lines,
        "t.toml:25: notify.chat.reminder: `0s` is out of range",
    );
    assert_eq!(lines.len(), 9, "{lines:#?}");
}

/// What passes `jobs check` is what the worker loads: relative paths resolve
/// against the job file's folder, and every target is deliverable as loaded.
#[test]
fn a_file_that_passes_check_is_what_the_worker_loads() {
    let root = jobs_dir();
    let jobs = root.path().join("jobs");
    std::fs::write(root.path().join("infra/net/usage.yml"), "version: 0.1\n").unwrap();
    std::fs::write(root.path().join("infra/net/prod.tfvars"), "").unwrap();
    std::fs::write(
        jobs.join("t.toml"),
        r#"[[workspace]]
name = "net"
dir = "../infra/net"
usage_file = "../infra/net/usage.yml"
schedule = "0 0 29 2 *"
timeout = "2h"
vars = { key_name = "ops", instance_type = "t3.micro" }
env = ["TF_VAR_db_password", "AWS_PROFILE"]
var_files = ["../infra/net/prod.tfvars"]
notify = ["hook"]

[notify.hook]
kind = "webhook"
url_env = "DRIFT_HOOK_URL"
secret_env = "DRIFT_HOOK_SECRET"
reminder = "24h"
"#,
    )
    .unwrap();
    let (code, stdout, stderr) = check(&jobs);
    assert_eq!(code, 0, "stdout: {stdout}\nstderr: {stderr}");
    let files = load_dir(&jobs).unwrap();
    let f: &JobFile = &files[0];
    let w = f.workspace("net").unwrap();
    assert_eq!(
        w.usage_file.as_deref(),
        Some(jobs.join("../infra/net/usage.yml").as_path())
    );
    assert!(w.usage_file.as_ref().unwrap().is_file());
    match &f.notify["hook"].target {
        Target::Webhook(h) => assert!(format!("{h:?}").contains("DRIFT_HOOK_SECRET")),
        other => panic!("{other:?}"),
    }
    // The job file's target is the notifier's own: nothing to translate.
    assert_eq!(f.notify["hook"].target.label(), "webhook ($DRIFT_HOOK_URL)");
}
