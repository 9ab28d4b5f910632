//! Plans and files people really hand over, read by `drift` and `cost`:
//! failed and incomplete plans, files that are not plans, old plan formats,
//! byte order marks and UTF-16, and values that cannot be right.

use crate::support;

use support::cli::{driftcost, fixture};

fn write(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> String {
    let p = dir.path().join(name);
    std::fs::write(&p, bytes).unwrap();
    p.display().to_string()
}

/// Runs `drift --plan` and `cost breakdown --plan` on the file.
fn both(path: &str) -> [(i32, String, String); 2] {
    [
        driftcost(&["drift", "--plan", path]),
        driftcost(&["cost", "breakdown", "--plan", path]),
    ]
}

fn assert_error(result: &(i32, String, String), needles: &[&str]) {
    let (code, stdout, stderr) = result;
    assert_eq!(*code, 1, "exit code; stdout {stdout}\nstderr {stderr}");
    assert!(!stdout.contains("No drift"), "{stdout}");
    assert!(stdout.trim().is_empty(), "nothing half-written: {stdout}");
    for n in needles {
        assert!(stderr.contains(n), "{n:?} not in {stderr}");
    }
}

#[test]
fn errored_plan_is_exit_1_with_terraforms_reason_for_drift_and_cost() {
    for result in both(fixture("plan_errored_refresh_only.json").to_str().unwrap()) {
        assert_error(
            &result,
            &[
                "plan_errored_refresh_only.json is a failed plan (\"errored\": true)",
                "check.api_up: API health endpoint returned 503",
            ],
        );
    }
}

#[test]
fn incomplete_refresh_only_plan_is_a_failure_for_drift() {
    let path = fixture("plan_incomplete_refresh_only.json");
    let r = driftcost(&["drift", "--plan", path.to_str().unwrap()]);
    assert_error(
        &r,
        &[
            "incomplete plan (\"complete\": false)",
            "aws_instance.web deferred (provider_config_unknown)",
        ],
    );
}

#[test]
fn files_that_are_not_plans_are_named_for_drift_and_cost() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, &[u8], &str); 5] = [
        (
            "schemas.json",
            br#"{"format_version":"1.0","provider_schemas":{"registry.terraform.io/hashicorp/aws":{"provider":{}}}}"#,
            "schemas.json is provider schemas (`terraform providers schema -json`), not a plan",
        ),
        (
            "fv.json",
            br#"{"format_version":"1.0"}"#,
            "fv.json is JSON with only format_version",
        ),
        (
            "state3.json",
            br#"{"version": 3, "terraform_version": "0.11.14", "serial": 7, "lineage": "l", "modules": [{"path": ["root"], "resources": {}}]}"#,
            "state3.json is a terraform state file (state version 3), not a plan",
        ),
        (
            "state4.json",
            br#"{"version": 4, "terraform_version": "1.11.4", "serial": 3, "lineage": "x", "outputs": {}, "resources": []}"#,
            "state4.json is a terraform state file (state version 4), not a plan",
        ),
        (
            "shown.json",
            br#"{"format_version":"1.0","terraform_version":"1.11.4","values":{"root_module":{}}}"#,
            "shown.json holds state values, not a plan",
        ),
    ];
    for (name, bytes, needle) in cases {
        let path = write(&dir, name, bytes);
        for result in both(&path) {
            assert_error(&result, &[needle]);
        }
    }
}

#[test]
fn terraform_0_12_to_1_0_plans_are_read_like_1_x() {
    let path = fixture("plan_format_0_1_terraform_0_12.json");
    let (code, stdout, stderr) = driftcost(&[
        "cost",
        "breakdown",
        "--plan",
        path.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    // t3.medium 0.0416 × 730 = 30.368; root 8 GB gp2 × 0.10 = 0.80
    assert_eq!(v["totalMonthlyCost"], "31.168");
    let (code, stdout, stderr) = driftcost(&["drift", "--plan", path.to_str().unwrap()]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let v3 = write(
        &dir,
        "v03.json",
        text.replace("\"0.1\"", "\"0.3\"").as_bytes(),
    );
    let (code, _, stderr) = driftcost(&["cost", "breakdown", "--plan", &v3]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("reads formats 0.1, 0.2 (terraform 0.12–1.0) and 1.x"),
        "{stderr}"
    );
}

#[test]
fn byte_order_mark_and_powershell_utf16_are_read() {
    let text = std::fs::read_to_string(fixture("plan_format_0_1_terraform_0_12.json")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(text.as_bytes());
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    for (name, bytes) in [("bom.json", bom), ("ps.json", utf16)] {
        let path = write(&dir, name, &bytes);
        let (code, stdout, stderr) =
            driftcost(&["cost", "breakdown", "--plan", &path, "--format", "json"]);
        assert_eq!(code, 0, "{name}: {stderr}");
        let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        assert_eq!(v["totalMonthlyCost"], "31.168", "{name}");
    }
    // Not decodable: named as UTF-16 with the fix.
    let path = write(&dir, "broken.json", &[0xFF, 0xFE, 0x7B, 0x00, 0x00, 0xD8]);
    for result in both(&path) {
        assert_error(
            &result,
            &["broken.json is UTF-16", "Out-File -Encoding utf8"],
        );
    }
}

#[test]
fn values_that_cannot_be_right_name_the_file_and_field() {
    let text = std::fs::read_to_string(fixture("plan_format_0_1_terraform_0_12.json")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut after_string = v.clone();
    after_string["resource_changes"][0]["change"]["after"] = "t3.medium".into();
    let path = write(&dir, "after.json", after_string.to_string().as_bytes());
    for result in both(&path) {
        assert_error(
            &result,
            &[
                "after.json: resource_changes[0] (aws_instance.web) change.after is a string, not an object",
            ],
        );
    }
    let mut action = v.clone();
    action["resource_changes"][0]["change"]["actions"] = serde_json::json!(["create", "teleport"]);
    let path = write(&dir, "action.json", action.to_string().as_bytes());
    for result in both(&path) {
        assert_error(
            &result,
            &["action.json line 1, column", "unknown variant `teleport`"],
        );
    }
}
