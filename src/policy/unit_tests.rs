use super::*;
use serde_json::json;
use std::path::Path;
use std::time::Duration;

fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

fn eval(dir: &Path, kind: InputKind, input: serde_json::Value) -> Evaluation {
    PolicySet::load(dir)
        .unwrap()
        .evaluate(kind, &input, Limits::default())
        .unwrap()
}

fn levels(e: &Evaluation) -> Vec<(String, Level, String)> {
    e.findings
        .iter()
        .map(|f| (f.rule.clone(), f.level, f.msg.clone()))
        .collect()
}

#[test]
fn conftest_v0_sets_of_strings_and_objects_fail_and_warn() {
    let dir = folder(&[(
        "main.rego",
        r#"package main
deny[msg] {
  r := input.resource_changes[_]
  r.type == "aws_s3_bucket"
  msg := sprintf("%s is public", [r.address])
}
violation[{"msg": m}] {
  input.resource_changes[_].type == "aws_s3_bucket"
  m := "object style"
}
warn_untagged[msg] {
  r := input.resource_changes[_]
  not r.change.after.tags
  msg := sprintf("%s has no tags", [r.address])
}
"#,
    )]);
    let input = json!({"resource_changes": [
        {"address": "aws_s3_bucket.b", "type": "aws_s3_bucket", "change": {"after": {}}}
    ]});
    let e = eval(dir.path(), InputKind::Plan, input);
    assert_eq!(
        levels(&e),
        vec![
            (
                "deny".into(),
                Level::Fail,
                "aws_s3_bucket.b is public".into()
            ),
            ("violation".into(), Level::Fail, "object style".into()),
            (
                "warn_untagged".into(),
                Level::Warn,
                "aws_s3_bucket.b has no tags".into()
            ),
        ]
    );
    assert!(e.failed());
}

#[test]
fn infracost_deny_out_failed_false_is_a_pass_and_true_a_fail() {
    let dir = folder(&[(
        "cost.rego",
        r#"package infracost
import rego.v1
deny contains out if {
  cap := 100
  total := to_number(input.projects[_].breakdown.totalMonthlyCost)
  out := {"msg": sprintf("total %v over %v", [total, cap]), "failed": total > cap}
}
"#,
    )]);
    let over = json!({"projects": [{"breakdown": {"totalMonthlyCost": "150.5"}}]});
    let e = eval(dir.path(), InputKind::Cost, over);
    assert_eq!(e.level(), Level::Fail);
    assert_eq!(e.findings[0].msg, "total 150.5 over 100");
    let under = json!({"projects": [{"breakdown": {"totalMonthlyCost": "50"}}]});
    let e = eval(dir.path(), InputKind::Cost, under);
    assert_eq!(
        levels(&e),
        vec![("deny".into(), Level::Pass, "total 50 over 100".into())]
    );
    assert!(!e.failed());
}

#[test]
fn undefined_rules_pass_and_approval_objects_need_approval() {
    let dir = folder(&[(
        "p.rego",
        r#"package gate
import rego.v1
deny contains {"msg": "prod db drifted", "approval": "dba"} if input.db
warn contains "never" if input.nothing_here
"#,
    )]);
    let e = eval(dir.path(), InputKind::Drift, json!({}));
    assert_eq!(e.level(), Level::Pass);
    assert_eq!(e.count(Level::Pass), 2);
    let e = eval(dir.path(), InputKind::Drift, json!({"db": true}));
    assert_eq!(e.level(), Level::NeedsApproval);
    assert_eq!(e.findings[0].approval.as_deref(), Some("dba"));
    assert!(e.failed());
}

#[test]
fn a_syntax_error_names_file_line_and_column() {
    let dir = folder(&[(
        "bad.rego",
        "package bad\nimport rego.v1\ndeny contains msg if {\n  msg := \n}\n",
    )]);
    let err = PolicySet::load(dir.path()).unwrap_err().to_string();
    let file = dir.path().join("bad.rego").display().to_string();
    assert!(err.starts_with(&format!("{file}:")), "{err}");
    assert!(err.contains(":5:1") || err.contains(":4:"), "{err}");
}

#[test]
fn a_runtime_error_names_the_policy_and_location() {
    let dir = folder(&[(
        "rt.rego",
        "package rt\nimport rego.v1\ndeny contains msg if {\n  x := input.a / input.b\n  msg := sprintf(\"%v\", [x])\n}\n",
    )]);
    let set = PolicySet::load(dir.path()).unwrap();
    let err = set
        .evaluate(InputKind::Plan, &json!({"a": 1, "b": 0}), Limits::default())
        .unwrap_err()
        .to_string();
    assert!(err.contains("policy rt (rule deny)"), "{err}");
    assert!(err.contains("rt.rego:4:"), "{err}");
}

#[test]
fn a_looping_policy_is_stopped_with_a_clear_error() {
    let dir = folder(&[(
        "loop.rego",
        r#"package loop
import rego.v1
deny contains "too many" if {
  n := count([1 | some a in numbers.range(1, 100000); some b in numbers.range(1, 100000)])
  n > 0
}
"#,
    )]);
    let set = PolicySet::load(dir.path()).unwrap();
    let started = std::time::Instant::now();
    let err = set
        .evaluate(
            InputKind::Plan,
            &json!({}),
            Limits {
                per_policy: Duration::from_millis(300),
            },
        )
        .unwrap_err();
    assert!(matches!(err, PolicyError::Timeout { .. }), "{err}");
    assert!(
        err.to_string()
            .contains("policy loop (rule deny) was stopped"),
        "{err}"
    );
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[test]
fn namespace_filter_keeps_packages_below_it_and_rejects_unknown() {
    let dir = folder(&[
        (
            "a.rego",
            "package cost.cap\nimport rego.v1\ndeny contains \"a\" if true\n",
        ),
        (
            "b.rego",
            "package drift.db\nimport rego.v1\ndeny contains \"b\" if true\n",
        ),
    ]);
    let mut set = PolicySet::load(dir.path()).unwrap();
    set.filter_namespaces(&["cost".into()]).unwrap();
    let e = set
        .evaluate(InputKind::Cost, &json!({}), Limits::default())
        .unwrap();
    assert_eq!(levels(&e), vec![("deny".into(), Level::Fail, "a".into())]);
    let err = set
        .filter_namespaces(&["nope".into()])
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("--namespace nope") && err.contains("cost.cap"),
        "{err}"
    );
}

#[test]
fn data_documents_are_merged_into_data() {
    let dir = folder(&[
        (
            "p.rego",
            "package tags\nimport rego.v1\ndeny contains t if { some t in data.required; not input.tags[t] }\n",
        ),
        ("data.yaml", "required: [owner, team]\n"),
    ]);
    let e = eval(dir.path(), InputKind::Plan, json!({"tags": {"owner": "x"}}));
    assert_eq!(
        levels(&e),
        vec![("deny".into(), Level::Fail, "team".into())]
    );
    let bad = folder(&[("p.rego", "package p\n"), ("data.json", "{\"a\": \n")]);
    let err = PolicySet::load(bad.path()).unwrap_err().to_string();
    assert!(err.contains("data.json") && err.contains("line 2"), "{err}");
}

#[test]
fn an_empty_or_missing_folder_is_an_error_naming_it() {
    let dir = folder(&[("README.md", "x")]);
    let err = PolicySet::load(dir.path()).unwrap_err().to_string();
    assert!(err.contains("holds no .rego file"), "{err}");
    let err = PolicySet::load(&dir.path().join("nope"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("nope"), "{err}");
}

#[test]
fn rego_unit_tests_pass_and_fail_per_test() {
    let dir = folder(&[(
        "p_test.rego",
        r#"package p
import rego.v1
deny contains "x" if input.bad
test_denies_bad if { deny["x"] with input as {"bad": true} }
test_wrong if { count(deny) == 1 }
"#,
    )]);
    let set = PolicySet::load(dir.path()).unwrap();
    let report = set.run_tests(Limits::default());
    let got: Vec<_> = report
        .tests
        .iter()
        .map(|t| (t.name.as_str(), t.passed))
        .collect();
    assert_eq!(got, vec![("test_denies_bad", true), ("test_wrong", false)]);
    assert_eq!(report.failed(), 1);
}

#[test]
fn plan_masking_replaces_every_sensitive_value() {
    let mut plan = json!({
        "variables": {"db_password": {"value": "hunter2"}, "region": {"value": "us-east-1"}},
        "configuration": {"root_module": {"variables": {"db_password": {"sensitive": true}}}},
        "resource_changes": [{"change": {
            "before": {"password": "old-secret", "tags": {"a": "b"}, "list": ["s1", "p"]},
            "after": {"password": "new-secret", "tags": {"a": "b"}, "list": ["s2", "p"]},
            "before_sensitive": {"password": true, "list": [true, false]},
            "after_sensitive": {"password": true, "list": [true]}
        }}],
        "planned_values": {"outputs": {"pw": {"sensitive": true, "value": "out-secret"}},
            "root_module": {"child_modules": [{"resources": [
                {"values": {"password": "pv-secret"}, "sensitive_values": {"password": true}}
            ]}]}},
        "prior_state": {"values": {"root_module": {"resources": [
            {"values": {"password": "ps-secret", "n": 1}, "sensitive_values": {"password": true}}
        ]}}}
    });
    mask_plan(&mut plan);
    let text = plan.to_string();
    for secret in [
        "hunter2",
        "old-secret",
        "new-secret",
        "s1",
        "s2",
        "out-secret",
        "pv-secret",
        "ps-secret",
    ] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
    assert_eq!(
        plan["resource_changes"][0]["change"]["after"]["tags"]["a"],
        "b"
    );
    assert_eq!(plan["variables"]["region"]["value"], "us-east-1");
    assert_eq!(
        plan["resource_changes"][0]["change"]["after"]["password"],
        "(sensitive)"
    );
}

#[test]
fn markdown_lists_failures_before_warnings_and_escapes() {
    let e = Evaluation {
        findings: vec![
            Finding {
                policy: "p".into(),
                rule: "warn".into(),
                level: Level::Warn,
                msg: "w".into(),
                approval: None,
                file: String::new(),
            },
            Finding {
                policy: "p".into(),
                rule: "deny".into(),
                level: Level::Fail,
                msg: "<b>@team".into(),
                approval: None,
                file: String::new(),
            },
        ],
    };
    let mut e2 = Evaluation::default();
    e2.extend(e);
    let md = render_markdown(&e2);
    let fail = md.find("fail |").unwrap();
    let warn = md.find("warn |").unwrap();
    assert!(fail < warn, "{md}");
    assert!(md.contains("&lt;b&gt;&#64;team"), "{md}");
}
