//! Policies as code end to end: the shipped examples (`policies/examples/`)
//! and policies in conftest's and Infracost's styles, evaluated by the real
//! binary on plans made by real terraform with the test provider, on cost
//! JSON from our engine and on drift reports from real refresh-only plans.

use crate::support;

use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use support::cli::{driftcost, fixture};
use support::terraform::{
    edit_cloud_object, ensure_mirror, state_ids, terraform_ok, write_workspace,
};

const SECRET: &str = "pg-pass-never-shown-42";
const PASSWORD: (&str, &str) = ("TF_VAR_db_password", SECRET);

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("policies/examples")
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A workspace breaking three examples: an m5.4xlarge in dev, no owner or
/// cost_center tags, and a database whose password is sensitive.
const NONCOMPLIANT: &str = r#"
variable "db_password" {
  type      = string
  sensitive = true
}

resource "aws_instance" "web" {
  ami           = "ami-1"
  instance_type = "m5.4xlarge"
  tags          = { env = "dev" }
}

resource "aws_db_instance" "orders" {
  identifier        = "orders"
  instance_class    = "db.t3.micro"
  engine            = "postgres"
  allocated_storage = 50
  username          = "app"
  password          = var.db_password
  tags              = { env = "dev", owner = "dba", cost_center = "7" }
}

resource "aws_s3_bucket" "logs" {
  bucket = "policy-test-logs"
  tags   = { owner = "ops", cost_center = "7" }
}
"#;

const COMPLIANT: &str = r#"
resource "aws_instance" "web" {
  ami           = "ami-1"
  instance_type = "t3.micro"
  tags          = { env = "dev", owner = "web-team", cost_center = "42" }
}
"#;

/// `terraform init` + `plan` (normal or refresh-only) + `show -json` into `ws/NAME.json`.
fn plan_json(ws: &Path, refresh_only: bool, name: &str) -> PathBuf {
    let mut args = vec!["plan", "-input=false", "-lock=false", "-out=p"];
    if refresh_only {
        args.push("-refresh-only");
    }
    terraform_ok(ws, &args, &[PASSWORD]);
    let shown = terraform_ok(ws, &["show", "-json", "p"], &[]);
    let path = ws.join(format!("{name}.json"));
    std::fs::write(&path, &shown.stdout).unwrap();
    path
}

fn workspace(tmp: &Path, body: &str) -> PathBuf {
    ensure_mirror();
    let ws = tmp.join("ws");
    write_workspace(&ws, &tmp.join("cloud"), "us-east-1", None, body);
    terraform_ok(&ws, &["init", "-input=false"], &[]);
    ws
}

fn eval(args: &[&str]) -> (i32, Value, String) {
    let mut all = vec!["policy", "eval", "--format", "json"];
    all.extend_from_slice(args);
    let (code, out, err) = driftcost(&all);
    let doc = serde_json::from_str(&out).unwrap_or(Value::Null);
    (code, doc, format!("exit {code}\n{out}\n{err}"))
}

/// (policy, level, msg) of the findings that are not passes.
fn findings(doc: &Value) -> Vec<(String, String, String)> {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["level"] != "pass")
        .map(|f| {
            (
                f["policy"].as_str().unwrap().to_string(),
                f["level"].as_str().unwrap().to_string(),
                f["msg"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// A copy of one example folder with a data.yaml beside it.
fn example_with_data(tmp: &Path, name: &str, data: &str) -> PathBuf {
    let dir = tmp.join(format!("policy-{name}"));
    std::fs::create_dir_all(&dir).unwrap();
    for entry in std::fs::read_dir(examples().join(name)).unwrap() {
        let p = entry.unwrap().path();
        std::fs::copy(&p, dir.join(p.file_name().unwrap())).unwrap();
    }
    std::fs::write(dir.join("data.yaml"), data).unwrap();
    dir
}

#[test]
fn the_examples_pass_their_rego_unit_tests() {
    let (code, out, err) = driftcost(&["policy", "test", s(&examples())]);
    assert_eq!(code, 0, "{out}\n{err}");
    let passed = out.lines().filter(|l| l.starts_with("PASS ")).count();
    let declared: usize = walk_rego(&examples())
        .iter()
        .map(|f| {
            std::fs::read_to_string(f)
                .unwrap()
                .lines()
                .filter(|l| l.starts_with("test_"))
                .count()
        })
        .sum();
    assert!(declared >= 20, "{declared}");
    assert_eq!(passed, declared, "{out}");
    assert!(!out.contains("FAIL"), "{out}");
}

fn walk_rego(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk_rego(&p));
        } else if p.extension().is_some_and(|x| x == "rego") {
            out.push(p);
        }
    }
    out
}

#[test]
fn a_failing_rego_unit_test_is_reported_and_exits_2() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("t.rego"),
        "package t\nimport rego.v1\ndeny contains \"x\" if input.bad\ntest_ok if { deny[\"x\"] with input as {\"bad\": true} }\ntest_wrong if { deny[\"x\"] }\n",
    )
    .unwrap();
    let (code, out, _) = driftcost(&["policy", "test", s(tmp.path())]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("PASS data.t.test_ok"), "{out}");
    assert!(out.contains("FAIL data.t.test_wrong"), "{out}");
    assert!(out.contains("2 tests: 1 passed, 1 failed"), "{out}");
}

#[test]
fn plan_examples_on_a_real_terraform_plan() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = workspace(tmp.path(), NONCOMPLIANT);
    let plan = plan_json(&ws, false, "plan");
    let (code, doc, text) = eval(&[
        "--policy",
        s(&examples()),
        "--namespace",
        "examples.instance_families",
        "--namespace",
        "examples.required_tags",
        "--namespace",
        "examples.no_public_s3",
        "--plan",
        s(&plan),
    ]);
    assert_eq!(code, 2, "{text}");
    assert_eq!(doc["result"], "fail", "{text}");
    assert_eq!(
        findings(&doc),
        vec![
            (
                "examples.instance_families".into(),
                "fail".into(),
                "aws_instance.web: instance family \"m5\" is not allowed in dev (allowed: t3, t3a, t4g)".into()
            ),
            (
                "examples.required_tags".into(),
                "fail".into(),
                "aws_instance.web is missing required tags: owner, cost_center".into()
            ),
        ],
        "{text}"
    );
    // no_public_s3 looked at the bucket and passed it.
    assert!(
        doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["policy"] == "examples.no_public_s3" && f["level"] == "pass"),
        "{text}"
    );

    // The same examples pass a compliant workspace.
    let tmp2 = tempfile::tempdir().unwrap();
    let ws2 = workspace(tmp2.path(), COMPLIANT);
    let plan2 = plan_json(&ws2, false, "plan");
    let (code, doc, text) = eval(&["--policy", s(&examples()), "--plan", s(&plan2)]);
    assert_eq!(code, 0, "{text}");
    assert_eq!(findings(&doc), vec![], "{text}");
}

#[test]
fn conftest_style_policies_run_unchanged_and_never_see_sensitive_values() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = workspace(tmp.path(), NONCOMPLIANT);
    let plan = plan_json(&ws, false, "plan");
    assert!(std::fs::read_to_string(&plan).unwrap().contains(SECRET));
    for format in ["table", "json", "markdown"] {
        let (code, out, err) = driftcost(&[
            "policy",
            "eval",
            "--policy",
            s(&fixture("policies/conftest_style")),
            "--plan",
            s(&plan),
            "--format",
            format,
        ]);
        assert_eq!(code, 2, "{out}{err}");
        assert!(!out.contains(SECRET) && !err.contains(SECRET), "{out}{err}");
        assert!(
            out.contains("only t3 instances may be created here, not m5.4xlarge"),
            "{out}"
        );
        assert!(
            out.contains("databases are reviewed by the DBA team"),
            "{out}"
        );
        assert!(out.contains("password is (sensitive)"), "{out}");
    }
}

#[test]
fn cost_examples_and_infracost_style_on_cost_json_from_our_engine() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = workspace(tmp.path(), NONCOMPLIANT);
    let plan = plan_json(&ws, false, "plan");
    let cost = tmp.path().join("cost.json");
    let (code, out, err) = driftcost(&[
        "cost",
        "diff",
        "--plan",
        s(&plan),
        "--format",
        "json",
        "--out",
        s(&cost),
    ]);
    assert_eq!(code, 0, "{out}{err}");
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&cost).unwrap()).unwrap();
    let total: f64 = report["totalMonthlyCost"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(total > 400.0, "an m5.4xlarge alone is ~560 USD: {total}");

    // Default cap (1000 USD): passes, and says what it checked.
    let (code, doc, text) = eval(&[
        "--policy",
        s(&examples()),
        "--namespace",
        "examples.monthly_cost_cap",
        "--cost",
        s(&cost),
    ]);
    assert_eq!(code, 0, "{text}");
    let checked = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "deny")
        .unwrap();
    assert_eq!(checked["level"], "pass", "{text}");
    assert!(
        checked["msg"].as_str().unwrap().contains("(cap 1000 USD)"),
        "{text}"
    );

    // A 100 USD cap from data.yaml fails it.
    let capped = example_with_data(
        tmp.path(),
        "monthly_cost_cap",
        "monthly_cost_cap:\n  usd: 100\n",
    );
    let (code, doc, text) = eval(&["--policy", s(&capped), "--cost", s(&cost)]);
    assert_eq!(code, 2, "{text}");
    assert!(findings(&doc)[0].2.contains("(cap 100 USD)"), "{text}");

    // Everything is new, so the whole cost is the increase: over the 100 USD cap.
    let (code, doc, text) = eval(&[
        "--policy",
        s(&examples()),
        "--namespace",
        "examples.cost_increase_cap",
        "--cost",
        s(&cost),
    ]);
    assert_eq!(code, 2, "{text}");
    assert!(
        findings(&doc)[0].2.starts_with("this change adds "),
        "{text}"
    );

    // Infracost's style: a failed diff check, and passes with their message.
    let (code, doc, text) = eval(&[
        "--policy",
        s(&fixture("policies/infracost_style")),
        "--cost",
        s(&cost),
    ]);
    assert_eq!(code, 2, "{text}");
    let f = findings(&doc);
    assert_eq!(f.len(), 1, "{text}");
    assert!(
        f[0].2
            .starts_with("Total monthly cost diff must be less than $5.00"),
        "{text}"
    );
    assert!(
        doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["level"] == "pass"
                && f["msg"]
                    .as_str()
                    .unwrap()
                    .starts_with("aws_instance.web costs ")),
        "{text}"
    );
}

#[test]
fn drift_examples_on_a_drift_report_from_a_real_refresh_only_plan() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = workspace(tmp.path(), NONCOMPLIANT);
    terraform_ok(
        &ws,
        &["apply", "-auto-approve", "-input=false"],
        &[PASSWORD],
    );
    let ids = state_ids(&ws);
    edit_cloud_object(
        &tmp.path().join("cloud"),
        "aws_db_instance",
        &ids["aws_db_instance.orders"],
        |o| {
            o["allocated_storage"] = json!(200);
            o["password"] = json!("changed-by-hand-secret");
        },
    );
    let plan = plan_json(&ws, true, "refresh");
    let drift = tmp.path().join("drift.json");
    let (code, out, err) = driftcost(&[
        "drift",
        "--plan",
        s(&plan),
        "--workspace",
        "orders",
        "--format",
        "json",
        "--out",
        s(&drift),
    ]);
    assert_eq!(code, 2, "{out}{err}");

    let (code, doc, text) = eval(&[
        "--policy",
        s(&examples()),
        "--namespace",
        "examples.drift_db_instance",
        "--drift",
        s(&drift),
    ]);
    assert_eq!(code, 2, "{text}");
    let f = findings(&doc);
    assert_eq!(f.len(), 1, "{text}");
    assert!(
        f[0].2
            .starts_with("aws_db_instance.orders: database drifted (changed): "),
        "{text}"
    );
    assert!(f[0].2.contains("allocated_storage"), "{text}");
    assert!(
        !text.contains("changed-by-hand-secret") && !text.contains(SECRET),
        "{text}"
    );

    // Drift first seen ten days before the scan warns, and does not fail.
    let mut report: Value =
        serde_json::from_str(&std::fs::read_to_string(&drift).unwrap()).unwrap();
    report["scanned_at"] = json!("2026-03-20T12:00:00Z");
    for item in report["items"].as_array_mut().unwrap() {
        item["first_seen"] = json!("2026-03-10T08:00:00Z");
    }
    std::fs::write(&drift, report.to_string()).unwrap();
    let (code, doc, text) = eval(&[
        "--policy",
        s(&examples()),
        "--namespace",
        "examples.drift_age",
        "--drift",
        s(&drift),
    ]);
    assert_eq!(code, 0, "{text}");
    assert_eq!(
        findings(&doc),
        vec![(
            "examples.drift_age".into(),
            "warn".into(),
            "aws_db_instance.orders: drifted for 10 days (since 2026-03-10T08:00:00Z); fix it or codify it".into()
        )],
        "{text}"
    );
}

#[test]
fn policy_errors_name_the_file_and_exit_1() {
    let plan = fixture("plan_compute_create.json");
    let (code, out, err) = driftcost(&[
        "policy",
        "eval",
        "--policy",
        s(&fixture("policies/broken")),
        "--plan",
        s(&plan),
    ]);
    assert_eq!(code, 1, "{out}{err}");
    let file = fixture("policies/broken/broken.rego");
    assert!(
        err.contains(&format!("{}:7:", file.display()))
            || err.contains(&format!("{}:6:", file.display())),
        "{err}"
    );

    let started = std::time::Instant::now();
    let (code, out, err) = driftcost(&[
        "policy",
        "eval",
        "--policy",
        s(&fixture("policies/loop")),
        "--plan",
        s(&plan),
        "--policy-timeout",
        "500ms",
    ]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        err.contains("policy slow (rule deny) was stopped after 500ms"),
        "{err}"
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(20));

    // A cost report given as a plan is refused, not silently passed.
    let (code, _, err) = driftcost(&[
        "policy",
        "eval",
        "--policy",
        s(&examples()),
        "--drift",
        s(&plan),
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("is not a drift document"), "{err}");
}

/// One failing and one warning cost policy, in a temporary folder.
fn fail_and_warn(tmp: &Path) -> PathBuf {
    let dir = tmp.join("gate");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("gate.rego"),
        r#"package gate
import rego.v1
warn contains "W: costs are estimates" if input.currency == "USD"
deny contains msg if {
	to_number(input.totalMonthlyCost) > 1
	msg := sprintf("F: monthly total %s USD is over 1 USD", [input.totalMonthlyCost])
}
"#,
    )
    .unwrap();
    dir
}

#[test]
fn cost_commands_take_policy_and_exit_2_when_one_fails() {
    let tmp = tempfile::tempdir().unwrap();
    let gate = fail_and_warn(tmp.path());
    let plan = fixture("plan_compute_create.json");
    for (cmd, format) in [
        ("breakdown", "table"),
        ("diff", "markdown"),
        ("breakdown", "json"),
    ] {
        let (code, out, err) = driftcost(&[
            "cost",
            cmd,
            "--plan",
            s(&plan),
            "--format",
            format,
            "--policy",
            s(&gate),
        ]);
        assert_eq!(code, 2, "{cmd} {format}: {out}{err}");
        assert!(out.contains("F: monthly total"), "{out}");
        assert!(out.contains("W: costs are estimates"), "{out}");
        if format == "json" {
            let doc: Value = serde_json::from_str(&out).unwrap();
            assert_eq!(doc["policies"]["result"], "fail", "{out}");
            assert!(doc["totalMonthlyCost"].is_string(), "{out}");
        }
    }
    // Without --policy nothing changes: exit 0.
    let (code, out, err) = driftcost(&["cost", "breakdown", "--plan", s(&plan)]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(!out.contains("Policies"), "{out}");
}

#[test]
fn the_pr_comment_gets_a_policies_section_failed_first() {
    let tmp = tempfile::tempdir().unwrap();
    let gate = fail_and_warn(tmp.path());
    let (code, out, err) = driftcost(&[
        "comment",
        "github",
        "--repo",
        "acme/infra",
        "--pr",
        "7",
        "--dry-run",
        "--path",
        s(&fixture("plan_compute_create.json")),
        "--policy",
        s(&gate),
    ]);
    assert_eq!(code, 2, "{out}{err}");
    let section = out.find("#### Policies").expect("a Policies section");
    let fail = out.find("F: monthly total").unwrap();
    let warn = out.find("W: costs are estimates").unwrap();
    assert!(section < fail && fail < warn, "{out}");
    assert!(out.contains("1 failed, 1 warning,"), "{out}");
}

#[test]
fn policy_input_prints_the_plan_as_policies_see_it_without_secrets() {
    let plan = fixture("drift_refresh_plan_changed_deleted_sensitive.json");
    let raw = std::fs::read_to_string(&plan).unwrap();
    assert!(raw.contains("initial-password") && raw.contains("rotated-by-hand"));
    let (code, out, err) = driftcost(&["policy", "input", "--plan", s(&plan)]);
    assert_eq!(code, 0, "{err}");
    assert!(
        !out.contains("initial-password") && !out.contains("rotated-by-hand"),
        "{out}"
    );
    let input: Value = serde_json::from_str(&out).unwrap();
    let db = input["resource_drift"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["type"] == "aws_db_instance")
        .unwrap();
    assert_eq!(db["change"]["after"]["password"], "(sensitive)");
    // everything else is as terraform wrote it
    assert_eq!(db["change"]["after"]["allocated_storage"], 100);
}
