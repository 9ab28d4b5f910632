//! Bad input to the CLI: one clear line naming the file and what to do, exit 1.

use std::path::Path;
use std::process::Command;

fn driftcost(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_driftcost"))
        .args(args)
        .env_remove("RUST_BACKTRACE")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn bad_plan(name: &str, contents: &[u8]) -> (i32, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, contents).unwrap();
    driftcost(&["cost", "breakdown", "--plan", path.to_str().unwrap()])
}

fn assert_one_line(stderr: &str, needle: &str) {
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "expected one line, got: {stderr}");
    assert!(lines[0].starts_with("error: "), "{stderr}");
    assert!(lines[0].contains(needle), "{needle:?} not in {stderr}");
}

#[test]
fn each_bad_plan_gets_one_line_and_exit_1() {
    let cases: [(&str, &[u8], &str); 6] = [
        ("notjson.json", b"hello", "notjson.json is not JSON (line 1"),
        ("truncated.json", br#"{"format_version": "1.2", "resource_changes": [{"address": "#, "truncated.json ends early"),
        (
            "state.json",
            br#"{"version": 4, "terraform_version": "1.11.4", "serial": 3, "lineage": "x", "outputs": {}, "resources": []}"#,
            "state.json is a terraform state file",
        ),
        ("v2.json", br#"{"format_version": "2.0", "resource_changes": []}"#, "format_version \"2.0\""),
        ("empty.json", b"", "empty.json is empty"),
        ("binary.tfplan", b"PK\x03\x04\x14\x00", "terraform show -json"),
    ];
    for (name, contents, needle) in cases {
        let (code, stdout, stderr) = bad_plan(name, contents);
        assert_eq!(code, 1, "{name}: {stderr}");
        assert!(
            stdout.is_empty(),
            "{name}: nothing half-written to stdout: {stdout}"
        );
        assert_one_line(&stderr, needle);
    }
}

#[test]
fn missing_plan_file_names_the_path() {
    let (code, _, stderr) = driftcost(&["cost", "breakdown", "--plan", "/no/such/plan.json"]);
    assert_eq!(code, 1);
    assert_one_line(&stderr, "cannot read plan file /no/such/plan.json");
}

#[test]
fn bad_usage_file_names_the_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let usage = dir.path().join("usage.yml");
    std::fs::write(
        &usage,
        "version: 0.1\nresource_usage:\n  aws_lambda_function.f: [1, 2\n",
    )
    .unwrap();
    let plan =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/plan_compute_create.json");
    let (code, _, stderr) = driftcost(&[
        "cost",
        "breakdown",
        "--plan",
        plan.to_str().unwrap(),
        "--usage-file",
        usage.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("usage.yml"), "{stderr}");
    assert!(stderr.contains("line"), "{stderr}");
}

#[test]
fn a_good_plan_exits_0_and_writes_versioned_json() {
    let plan =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/plan_compute_create.json");
    let (code, stdout, stderr) = driftcost(&[
        "cost",
        "breakdown",
        "--plan",
        plan.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["version"], "1");
    assert!(
        v["projects"][0]["breakdown"]["resources"]
            .as_array()
            .is_some_and(|r| !r.is_empty())
    );
}
