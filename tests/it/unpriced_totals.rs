//! Totals a CI gate can trust, past `cost`: drift reports, notifications and
//! thresholds say when drifted resources have components without a price,
//! and the scan path refuses plans whose drift cannot be trusted.

use crate::support;

use driftcost::announce::{Announced, CostThresholds, NotifyPolicy, notifications_for};
use driftcost::cost::CostOptions;
use driftcost::drift::{DriftMode, IgnoreRules};
use driftcost::notify::channels::email::email;
use driftcost::notify::channels::github_issue::{github_comment, github_issue};
use driftcost::notify::channels::slack::slack;
use driftcost::notify::message::CostLevel;
use driftcost::notify::{Notification, NotificationKind, RunRef};
use driftcost::plan::{Plan, parse_plan};
use driftcost::pricing::PriceTable;
use driftcost::scan::{Analysis, Outcome, ScanError, Settings, Timings, WorkspaceScan, analyze};
use rust_decimal_macros::dec;
use std::collections::BTreeSet;
use std::time::SystemTime;
use support::cli::{driftcost, fixture};

fn plan(name: &str) -> Plan {
    let path = fixture(name);
    parse_plan(&std::fs::read(&path).unwrap(), &path).unwrap()
}

/// A refresh-only plan whose S3 bucket (storage and requests are usage-based,
/// so without a usage file they have no price) was deleted outside terraform.
const DELETED_BUCKET: &str = "drift_refresh_only_tags_nested_delete.json";

fn analysis_of(name: &str) -> Result<Analysis, ScanError> {
    let mut p = plan(name);
    let rules = IgnoreRules::default();
    let cost = CostOptions::default();
    let settings = Settings {
        mode: DriftMode::RefreshOnly,
        rules: &rules,
        table: PriceTable::embedded(),
        cost: &cost,
    };
    analyze("ws", &mut p, None, &settings, None)
}

#[test]
fn drift_report_counts_unpriced_components_in_every_format() {
    let path = fixture(DELETED_BUCKET);
    let path = path.to_str().unwrap();
    let (code, stdout, stderr) = driftcost(&["drift", "--plan", path, "--format", "json"]);
    assert_eq!(code, 2, "{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let summary_n = v["summary"]["unpriced_components"].as_u64().unwrap();
    assert!(summary_n > 0, "{stdout}");
    let bucket = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["address"] == "aws_s3_bucket.logs")
        .unwrap();
    let item_n = bucket["monthly_cost"]["unpriced_components"]
        .as_u64()
        .unwrap();
    assert!(item_n > 0, "{bucket}");
    let items_sum: u64 = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["monthly_cost"]["unpriced_components"].as_u64())
        .sum();
    assert_eq!(summary_n, items_sum);

    let sentence = format!("not in the costs: {summary_n} component");
    for format in ["table", "markdown"] {
        let (code, stdout, stderr) = driftcost(&["drift", "--plan", path, "--format", format]);
        assert_eq!(code, 2, "{stderr}");
        assert!(stdout.contains(&sentence), "{format}:\n{stdout}");
        assert!(
            stdout.contains(&format!("{item_n} unpriced component")),
            "{format}:\n{stdout}"
        );
    }
}

#[test]
fn notifications_carry_the_unpriced_count_to_every_channel() {
    let a = analysis_of(DELETED_BUCKET).unwrap();
    let new: BTreeSet<String> = a
        .result
        .items
        .iter()
        .map(|i| i.fingerprint.clone())
        .collect();
    let run = RunRef {
        run_id: "run-1".into(),
        run_url: None,
    };
    let n = Notification::from_analysis(
        NotificationKind::DriftDetected,
        "ws",
        &run,
        &a,
        &new,
        Vec::new(),
    );
    let total = n.monthly_cost.expect("the bucket has a cost effect");
    assert!(total.unpriced_components > 0, "{total:?}");
    let v: serde_json::Value = serde_json::from_str(&n.to_json()).unwrap();
    assert_eq!(
        v["monthly_cost"]["unpriced_components"].as_u64(),
        Some(total.unpriced_components as u64)
    );
    let needle = format!("{} unpriced component", total.unpriced_components);
    let mail = email(&n);
    for (channel, text) in [
        ("email subject", mail.subject.clone()),
        ("email text", mail.text.clone()),
        ("email html", mail.html.clone()),
        ("slack", slack(&n).to_string()),
        ("github issue", github_issue(&n).body),
        ("github comment", github_comment(&n)),
    ] {
        assert!(text.contains(&needle), "{channel}:\n{text}");
    }
    assert!(mail.text.contains("Not in the costs:"), "{}", mail.text);
}

fn scan_of(analysis: Analysis) -> WorkspaceScan {
    WorkspaceScan {
        workspace: "ws".into(),
        outcome: analysis.outcome(),
        tool_version: None,
        state_source: None,
        analysis: Some(analysis),
        error: None,
        failure: None,
        timings: Timings::default(),
        steps: Vec::new(),
    }
}

fn policy(allow_unpriced: bool) -> NotifyPolicy {
    NotifyPolicy {
        reminder: None,
        cost: CostThresholds {
            warn: Some(dec!(1000)),
            fail: Some(dec!(5000)),
            allow_unpriced,
        },
    }
}

#[test]
fn a_threshold_never_passes_on_unpriced_lines_unless_the_job_allows_it() {
    let scan = scan_of(analysis_of(DELETED_BUCKET).unwrap());
    assert_eq!(scan.outcome, Outcome::Drifted);
    let run = RunRef::default();
    let now = SystemTime::now();

    // The priced delta is far below both limits, but it leaves components out.
    let out = notifications_for(&scan, &run, &Announced::default(), &policy(false), now);
    let th = out
        .notifications
        .iter()
        .find(|n| n.kind == NotificationKind::CostThreshold)
        .and_then(|n| n.threshold)
        .expect("an estimate with unpriced components must not pass the threshold");
    assert_eq!((th.level, th.limit), (CostLevel::Fail, dec!(5000)));
    assert!(th.unpriced_components > 0);
    assert_eq!(out.announced.cost_level, Some(CostLevel::Fail));
    let n = out
        .notifications
        .iter()
        .find(|n| n.kind == NotificationKind::CostThreshold)
        .unwrap();
    assert!(
        email(n).text.contains("cost_threshold.allow_unpriced"),
        "{}",
        email(n).text
    );

    // The job opts in: only the priced delta counts, and it is below both.
    let out = notifications_for(&scan, &run, &Announced::default(), &policy(true), now);
    assert!(
        out.notifications
            .iter()
            .all(|n| n.kind != NotificationKind::CostThreshold),
        "{:?}",
        out.notifications
    );
    assert_eq!(out.announced.cost_level, None);
}

#[test]
fn the_job_file_reads_allow_unpriced() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("ws")).unwrap();
    let file = dir.path().join("jobs.toml");
    std::fs::write(
        &file,
        "[[workspace]]\nname = \"a\"\ndir = \"ws\"\ncost_threshold = { fail = \"10\", allow_unpriced = true }\n[[workspace]]\nname = \"b\"\ndir = \"ws\"\ncost_threshold = { fail = \"10\" }\n",
    )
    .unwrap();
    let f = driftcost::jobs::JobFile::load(&file).unwrap();
    let a = f.workspace("a").unwrap().cost_threshold.unwrap();
    let b = f.workspace("b").unwrap().cost_threshold.unwrap();
    assert!(a.allow_unpriced && !b.allow_unpriced);
}

#[test]
fn an_incomplete_refresh_only_plan_is_a_failed_scan_never_no_drift() {
    let err = analysis_of("plan_incomplete_refresh_only.json")
        .expect_err("drift read from an incomplete plan cannot be trusted");
    let text = err.to_string();
    assert!(
        text.contains("incomplete plan (\"complete\": false)")
            && text.contains("aws_instance.web deferred (provider_config_unknown)"),
        "{text}"
    );
}

#[test]
fn a_scan_refuses_drifted_values_that_cannot_be_right() {
    let text = std::fs::read_to_string(fixture("drift_sensitive_password.json")).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let drift = v["resource_drift"].as_array_mut().unwrap();
    let db = drift
        .iter_mut()
        .find(|r| r["address"] == "aws_db_instance.main")
        .unwrap();
    db["change"]["after"]["allocated_storage"] = (-50).into();
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("neg.json");
    std::fs::write(&p, v.to_string()).unwrap();
    let (code, stdout, stderr) = driftcost(&["drift", "--plan", p.to_str().unwrap()]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(
        stderr.contains("aws_db_instance.main") && stderr.contains("allocated_storage is -50"),
        "{stderr}"
    );
}

#[test]
fn comment_github_refuses_errored_plans_and_values_that_cannot_be_right() {
    let errored = fixture("plan_errored_refresh_only.json");
    let (code, stdout, stderr) = driftcost(&[
        "comment",
        "github",
        "--repo",
        "acme/infra",
        "--pr",
        "7",
        "--dry-run",
        "--path",
        errored.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(
        stderr.contains("is a failed plan (\"errored\": true)"),
        "{stderr}"
    );

    let text = std::fs::read_to_string(fixture("cost_diff_update_create_destroy.json")).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["resource_changes"][0]["change"]["after"]["root_block_device"][0]["volume_size"] =
        (-20).into();
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("neg.json");
    std::fs::write(&p, v.to_string()).unwrap();
    let (code, stdout, stderr) = driftcost(&[
        "comment",
        "github",
        "--repo",
        "acme/infra",
        "--pr",
        "7",
        "--dry-run",
        "--path",
        p.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(
        stderr.contains(
            "neg.json: aws_instance.app: change.after.root_block_device[0].volume_size is -20"
        ),
        "{stderr}"
    );
}
