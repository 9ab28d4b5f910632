//! End-to-end tests of the engine on plan fixtures shaped as terraform writes them.

use super::CostEffect;
use super::report::{DriftReport, render_json, render_markdown, render_table};
use super::*;
use crate::plan::parse_plan;
use rust_decimal_macros::dec;
use serde_json::json;
use std::collections::BTreeMap;
use std::path::Path;

fn fixture_path(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn plan(name: &str) -> Plan {
    let p = fixture_path(name);
    parse_plan(&std::fs::read(&p).unwrap(), &p).unwrap()
}

fn state(name: &str) -> Value {
    serde_json::from_slice(&std::fs::read(fixture_path(name)).unwrap()).unwrap()
}

fn no_rules() -> IgnoreRules {
    IgnoreRules::default()
}

fn lines(item: &DriftItem) -> Vec<String> {
    item.changes.iter().map(AttributeChange::describe).collect()
}

fn find<'a>(r: &'a DriftResult, address: &str) -> &'a DriftItem {
    r.items
        .iter()
        .find(|i| i.address == address)
        .unwrap_or_else(|| panic!("no item {address} in {:?}", r.items))
}

#[test]
fn refresh_only_plan_update_nested_and_delete() {
    let p = plan("drift_refresh_only_tags_nested_delete.json");
    let r = detect(&p, None, DriftMode::RefreshOnly, &no_rules()).unwrap();
    let addresses: Vec<&str> = r.items.iter().map(|i| i.address.as_str()).collect();
    assert_eq!(
        addresses,
        vec![
            "aws_instance.web",
            "aws_s3_bucket.logs",
            "module.net.aws_security_group.web"
        ]
    );

    let web = find(&r, "aws_instance.web");
    assert_eq!(
        (web.kind, web.cause),
        (DriftKind::Changed, DriftCause::ChangedOutsideTerraform)
    );
    assert_eq!(
        lines(web),
        vec![
            "root_block_device[0].volume_size: 8 → 20",
            "tags.LastScanned: (none) → \"2024-05-01T03:00:00Z\"",
            "tags.owner: \"alice\" → \"bob\"",
        ],
        "tags_all mirrors are dropped, user_data null → \"\" is no drift"
    );
    assert_eq!(
        web.priceable_after.as_ref().unwrap()["instance_type"],
        "t3.micro"
    );

    let bucket = find(&r, "aws_s3_bucket.logs");
    assert_eq!(bucket.kind, DriftKind::Deleted);
    assert!(bucket.changes.is_empty());
    assert!(bucket.priceable_before.is_some() && bucket.priceable_after.is_none());

    let sg = find(&r, "module.net.aws_security_group.web");
    assert_eq!(sg.module_address.as_deref(), Some("module.net"));
    assert_eq!(
        lines(sg),
        vec!["ingress[0].cidr_blocks[1]: (none) → \"203.0.113.0/24\""]
    );
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
}

#[test]
fn no_drift_when_resource_drift_is_absent() {
    let p = plan("drift_none.json");
    assert!(p.resource_drift.is_empty());
    let r = detect(&p, None, DriftMode::RefreshOnly, &no_rules()).unwrap();
    assert!(!r.has_drift());
    let table = render_table(&DriftReport {
        workspace: "ws",
        result: &r,
        costs: &BTreeMap::new(),
        integrity_alerts: &[],
    });
    assert!(table.starts_with("No drift in workspace ws"), "{table}");
}

#[test]
fn ignore_rules_and_unmatched_warning() {
    let p = plan("drift_refresh_only_tags_nested_delete.json");
    let rules = IgnoreRules::new(
        &[
            "aws_instance.*.tags.LastScanned",
            "aws_s3_bucket.logs",
            "module.net.aws_security_group.web.ingress[*].cidr_blocks",
            "aws_instance.web.tags",
            "!aws_instance.web.tags.owner",
            "aws_lambda_function.*",
        ],
        &[],
    )
    .unwrap();
    let r = detect(&p, None, DriftMode::RefreshOnly, &rules).unwrap();
    let addresses: Vec<&str> = r.items.iter().map(|i| i.address.as_str()).collect();
    assert_eq!(addresses, vec!["aws_instance.web"]);
    assert_eq!(
        lines(&r.items[0]),
        vec![
            "root_block_device[0].volume_size: 8 → 20",
            "tags.owner: \"alice\" → \"bob\"",
        ]
    );
    assert_eq!(r.ignored_changes, 3);
    assert_eq!(r.warnings.len(), 1);
    assert!(
        r.warnings[0].contains("aws_lambda_function.*"),
        "{:?}",
        r.warnings
    );
}

#[test]
fn lifecycle_ignore_changes_filter_attributes_not_deletions() {
    let p = plan("drift_refresh_only_tags_nested_delete.json");
    let lc = load_lifecycle_ignores(&fixture_path("drift_lifecycle"), None).unwrap();
    let rules = IgnoreRules::new::<&str>(&[], &lc).unwrap();
    let r = detect(&p, None, DriftMode::RefreshOnly, &rules).unwrap();
    let web = find(&r, "aws_instance.web");
    assert_eq!(lines(web), vec!["tags.owner: \"alice\" → \"bob\""]);
    // `ignore_changes = all` does not hide a bucket deleted outside terraform.
    assert_eq!(find(&r, "aws_s3_bucket.logs").kind, DriftKind::Deleted);
    // Lifecycle rules that match nothing are not warned about.
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
}

#[test]
fn recorded_state_adds_state_only_resources() {
    let p = plan("drift_refresh_only_tags_nested_delete.json");
    let s = state("drift_recorded_state_extra_resource.json");
    let r = detect(&p, Some(&s), DriftMode::RefreshOnly, &no_rules()).unwrap();
    let kinds: Vec<(&str, DriftKind)> = r
        .items
        .iter()
        .map(|i| (i.address.as_str(), i.kind))
        .collect();
    assert_eq!(
        kinds,
        vec![
            ("aws_eip.nat", DriftKind::InRecordedStateOnly),
            ("aws_instance.web", DriftKind::Changed),
            ("aws_s3_bucket.logs", DriftKind::Deleted),
            ("module.net.aws_security_group.web", DriftKind::Changed),
        ]
    );
    assert_eq!(find(&r, "aws_eip.nat").cause, DriftCause::RecordedState);
}

#[test]
fn recorded_state_differs_without_resource_drift() {
    // The no-drift plan's refreshed state holds the "before" instance; a
    // recorded state written later (after the plan) holds the drifted one.
    let p = plan("drift_none.json");
    let mut s = state("drift_recorded_state_extra_resource.json");
    s["resources"]
        .as_array_mut()
        .unwrap()
        .retain(|r| r["type"] == "aws_instance");
    s["resources"][0]["instances"][0]["attributes"]["instance_type"] = json!("t3.small");
    let r = detect(&p, Some(&s), DriftMode::RefreshOnly, &no_rules()).unwrap();
    assert_eq!(r.items.len(), 1);
    assert_eq!(r.items[0].kind, DriftKind::RecordedStateDiffers);
    assert_eq!(
        lines(&r.items[0]),
        vec!["instance_type: \"t3.small\" → \"t3.micro\""]
    );
}

#[test]
fn plan_mode_separates_drift_from_code_not_applied() {
    let p = plan("drift_plan_mode_code_not_applied.json");
    let r = detect(&p, None, DriftMode::Plan, &no_rules()).unwrap();
    let kinds: Vec<(&str, DriftKind, DriftCause)> = r
        .items
        .iter()
        .map(|i| (i.address.as_str(), i.kind, i.cause))
        .collect();
    assert_eq!(
        kinds,
        vec![
            (
                "aws_instance.api",
                DriftKind::Changed,
                DriftCause::ChangedOutsideTerraform
            ),
            (
                "aws_instance.worker[0]",
                DriftKind::CodeNotApplied,
                DriftCause::CodeNotApplied
            ),
            (
                "aws_sqs_queue.jobs",
                DriftKind::CodeNotApplied,
                DriftCause::CodeNotApplied
            ),
        ]
    );
    assert_eq!(lines(&r.items[0]), vec!["tags.patched: (none) → \"yes\""]);
    assert_eq!(
        lines(&r.items[1]),
        vec![
            "arn: \"arn:1\" → (known after apply)",
            "instance_type: \"t3.micro\" → \"t3.large\"",
        ]
    );
    assert!(lines(&r.items[2]).contains(&"name: (none) → \"jobs\"".to_string()));
    assert!(lines(&r.items[2]).contains(&"url: (none) → (known after apply)".to_string()));

    // Refresh-only reading of the same plan sees only the drift.
    let r = detect(&p, None, DriftMode::RefreshOnly, &no_rules()).unwrap();
    assert_eq!(r.items.len(), 1);
}

#[test]
fn fingerprints_are_stable_and_track_content() {
    let p = plan("drift_refresh_only_tags_nested_delete.json");
    let a = detect(&p, None, DriftMode::RefreshOnly, &no_rules()).unwrap();
    let again = plan("drift_refresh_only_tags_nested_delete.json");
    let b = detect(&again, None, DriftMode::RefreshOnly, &no_rules()).unwrap();
    let fps = |r: &DriftResult| -> Vec<String> {
        r.items.iter().map(|i| i.fingerprint.clone()).collect()
    };
    assert_eq!(fps(&a), fps(&b));
    for item in &a.items {
        assert_eq!(item.fingerprint.len(), 64);
        assert!(item.fingerprint.chars().all(|c| c.is_ascii_hexdigit()));
    }
    let unique: std::collections::BTreeSet<String> = fps(&a).into_iter().collect();
    assert_eq!(unique.len(), a.items.len());

    // Same drift, different after-value: different fingerprint; the
    // unchanged bucket deletion keeps its own.
    let mut raw: Value = serde_json::from_slice(
        &std::fs::read(fixture_path("drift_refresh_only_tags_nested_delete.json")).unwrap(),
    )
    .unwrap();
    raw["resource_drift"][0]["change"]["after"]["tags"]["owner"] = json!("carol");
    let changed: Plan = serde_json::from_value(raw).unwrap();
    let c = detect(&changed, None, DriftMode::RefreshOnly, &no_rules()).unwrap();
    assert_ne!(
        find(&a, "aws_instance.web").fingerprint,
        find(&c, "aws_instance.web").fingerprint
    );
    assert_eq!(
        find(&a, "aws_s3_bucket.logs").fingerprint,
        find(&c, "aws_s3_bucket.logs").fingerprint
    );
    // Change order inside an item does not matter.
    let web = find(&a, "aws_instance.web");
    let mut reversed = web.changes.clone();
    reversed.reverse();
    assert_eq!(
        fingerprint::item_fingerprint(web.kind, &web.address, &reversed),
        web.fingerprint
    );
}

const SECRETS: [&str; 2] = [
    "hunter2-SUPER-secret-before",
    "rotated-OUT-OF-BAND-s3cret-after",
];

#[test]
fn sensitive_password_never_appears_anywhere() {
    let p = plan("drift_sensitive_password.json");
    let s = state("drift_sensitive_password_state.json");
    for (recorded, mode) in [
        (None, DriftMode::RefreshOnly),
        (Some(&s), DriftMode::RefreshOnly),
        (Some(&s), DriftMode::Plan),
    ] {
        let r = detect(&p, recorded, mode, &no_rules()).unwrap();
        let db = find(&r, "aws_db_instance.main");
        let pw = db.changes.iter().find(|c| c.path == "password").unwrap();
        assert!(pw.sensitive);
        assert_eq!(
            (&pw.before, &pw.after),
            (&DisplayValue::Sensitive, &DisplayValue::Sensitive)
        );
        assert_eq!(pw.describe(), "password: (sensitive value changed)");
        assert!(
            db.changes
                .iter()
                .any(|c| c.describe() == "allocated_storage: 20 → 50")
        );
        assert!(
            db.priceable_after
                .as_ref()
                .unwrap()
                .get("password")
                .is_none()
        );
        assert_eq!(
            db.priceable_after.as_ref().unwrap()["allocated_storage"],
            50
        );

        let costs = BTreeMap::from([(
            "aws_db_instance.main".to_string(),
            CostEffect {
                monthly_before: Some(dec!(14.71)),
                monthly_after: Some(dec!(17.71)),
                unpriced_components: 0,
            },
        )]);
        let report = DriftReport {
            workspace: "db",
            result: &r,
            costs: &costs,
            integrity_alerts: &[],
        };
        let outputs = [
            format!("{r:?}"),
            format!("{r:#?}"),
            serde_json::to_string(&r).unwrap(),
            serde_json::to_string(&r.items).unwrap(),
            format!("{:?}", group(&r.items)),
            render_json(&report),
            render_table(&report),
            render_markdown(&report),
        ];
        for out in &outputs {
            for secret in SECRETS {
                assert!(!out.contains(secret), "secret leaked in: {out}");
                assert!(!out.contains("hunter2"), "secret leaked in: {out}");
            }
        }
    }
}

#[test]
fn sensitive_from_recorded_state_paths_only() {
    // The refreshed side does not mark the password (e.g. a provider that
    // forgot); the recorded state's sensitive_attributes still masks it.
    let p = plan("drift_none.json");
    let mut s = state("drift_sensitive_password_state.json");
    s["resources"][0]["type"] = json!("aws_instance");
    s["resources"][0]["name"] = json!("web");
    s["resources"][0]["instances"][0]["attributes"] = state(
        "drift_recorded_state_extra_resource.json",
    )["resources"][0]["instances"][0]["attributes"]
        .clone();
    s["resources"][0]["instances"][0]["attributes"]["ami"] = json!("hunter2-SUPER-secret-before");
    s["resources"][0]["instances"][0]["sensitive_attributes"] =
        json!([[{"type": "get_attr", "value": "ami"}]]);
    let r = detect(&p, Some(&s), DriftMode::RefreshOnly, &no_rules()).unwrap();
    let out = format!("{r:?}{}", serde_json::to_string(&r).unwrap());
    assert!(!out.contains("hunter2"), "{out}");
    assert_eq!(lines(&r.items[0]), vec!["ami: (sensitive value changed)"]);
}

#[test]
fn grouping_identical_changes() {
    let mut raw: Value = serde_json::from_slice(
        &std::fs::read(fixture_path("drift_refresh_only_tags_nested_delete.json")).unwrap(),
    )
    .unwrap();
    let mut copy = raw["resource_drift"][0].clone();
    copy["address"] = json!("aws_instance.api");
    copy["name"] = json!("api");
    raw["resource_drift"].as_array_mut().unwrap().push(copy);
    let p: Plan = serde_json::from_value(raw).unwrap();
    let r = detect(&p, None, DriftMode::RefreshOnly, &no_rules()).unwrap();
    let groups = group(&r.items);
    assert_eq!(
        groups[0].addresses,
        vec!["aws_instance.api", "aws_instance.web"]
    );
    assert_eq!(groups.iter().filter(|g| g.addresses.len() == 2).count(), 3);
    assert!(
        groups
            .iter()
            .any(|g| g.path == "tags.owner" && g.addresses.len() == 2)
    );
}

#[test]
fn json_report_contract() {
    let p = plan("drift_refresh_only_tags_nested_delete.json");
    let r = detect(&p, None, DriftMode::RefreshOnly, &no_rules()).unwrap();
    let costs = BTreeMap::from([
        (
            "aws_instance.web".to_string(),
            CostEffect {
                monthly_before: Some(dec!(7.592)),
                monthly_after: Some(dec!(9.192)),
                unpriced_components: 0,
            },
        ),
        (
            "aws_s3_bucket.logs".to_string(),
            CostEffect {
                monthly_before: Some(dec!(1.00)),
                monthly_after: Some(dec!(0)),
                unpriced_components: 0,
            },
        ),
    ]);
    let alerts = [IntegrityAlert::SerialRolledBack {
        previous: 5,
        current: 4,
    }];
    let report = DriftReport {
        workspace: "prod",
        result: &r,
        costs: &costs,
        integrity_alerts: &alerts,
    };
    let v: Value = serde_json::from_str(&render_json(&report)).unwrap();
    assert_eq!(v["version"], "1");
    assert_eq!(v["has_drift"], true);
    assert_eq!(v["summary"]["drifted_resources"], 3);
    assert_eq!(v["summary"]["attribute_changes"], 4);
    assert_eq!(v["summary"]["by_kind"], json!({"changed": 2, "deleted": 1}));
    assert_eq!(v["summary"]["monthly_cost_delta"], "0.6");
    let web = &v["items"][0];
    assert_eq!(web["address"], "aws_instance.web");
    assert_eq!(web["kind"], "changed");
    assert_eq!(web["kind_label"], "changed outside terraform");
    assert_eq!(web["cause"], "changed_outside_terraform");
    assert_eq!(web["actions"], json!(["update"]));
    assert_eq!(web["monthly_cost"]["delta"], "1.600");
    assert!(web.get("module_address").is_none());
    assert!(web.get("priceable_before").is_none());
    assert_eq!(
        web["changes"][2],
        json!({
            "path": "tags.owner",
            "before": {"kind": "value", "value": "alice"},
            "after": {"kind": "value", "value": "bob"},
            "sensitive": false,
            "fingerprint": web["changes"][2]["fingerprint"].clone(),
        })
    );
    assert_eq!(web["changes"][1]["before"], json!({"kind": "absent"}));
    assert_eq!(v["items"][2]["module_address"], "module.net");
    assert_eq!(v["items"][1]["monthly_cost"]["after"], "0");
    assert_eq!(v["integrity_alerts"][0]["kind"], "serial_rolled_back");
    assert!(
        v["integrity_alerts"][0]["message"]
            .as_str()
            .unwrap()
            .contains("from 5 to 4")
    );
    assert_eq!(v["groups"], json!([]));
    // The item JSON reads back into a DriftItem.
    let back: DriftItem = serde_json::from_value(web.clone()).unwrap();
    assert_eq!(back.changes, r.items[0].changes);
}

#[test]
fn table_and_markdown_show_changes_and_costs() {
    let p = plan("drift_refresh_only_tags_nested_delete.json");
    let r = detect(&p, None, DriftMode::RefreshOnly, &no_rules()).unwrap();
    let costs = BTreeMap::from([(
        "aws_instance.web".to_string(),
        CostEffect {
            monthly_before: Some(dec!(7.59)),
            monthly_after: Some(dec!(6.00)),
            unpriced_components: 0,
        },
    )]);
    let report = DriftReport {
        workspace: "prod",
        result: &r,
        costs: &costs,
        integrity_alerts: &[],
    };
    let table = render_table(&report);
    assert!(
        table.contains("Drift in workspace prod: 3 resources, 4 attribute changes"),
        "{table}"
    );
    assert!(table.contains("tags.owner: \"alice\" → \"bob\""), "{table}");
    assert!(table.contains("deleted outside terraform"), "{table}");
    assert!(table.contains("$7.59 → $6.00 (-$1.59)"), "{table}");

    let md = render_markdown(&report);
    assert!(md.starts_with("### Drift in workspace prod"), "{md}");
    assert!(
        md.contains("| Resource | Drift | Changes | Monthly cost |"),
        "{md}"
    );
    assert!(
        md.contains("<code>tags.owner</code>: <code>\"alice\"</code> → <code>\"bob\"</code>"),
        "{md}"
    );
    assert!(md.contains("<code>aws&#95;instance.web</code>"), "{md}");
    // Every table row has the same number of cells.
    for line in md.lines().filter(|l| l.starts_with('|')) {
        assert_eq!(line.matches('|').count(), 5, "{line}");
    }
}

/// Secrets in the `drift_tfdata_sensitive_*` fixtures (see its `.md`).
const TFDATA_SECRETS: [&str; 6] = [
    "tfdata-pw-ONE-7f3a91",
    "tfdata-token-ONE-c2e8b4",
    "tfdata-pw-TWO-5b0d17",
    "tfdata-token-TWO-44af09",
    "tfdata-pw-THREE-e61c2a",
    "tfdata-token-THREE-9d3f70",
];

fn assert_no_tfdata_secret(r: &DriftResult) {
    let report = DriftReport {
        workspace: "tfdata",
        result: r,
        costs: &BTreeMap::new(),
        integrity_alerts: &[],
    };
    let priceable: Vec<String> = r
        .items
        .iter()
        .map(|i| format!("{:?}{:?}", i.priceable_before, i.priceable_after))
        .collect();
    let outputs = [
        format!("{r:?}"),
        serde_json::to_string(&r).unwrap(),
        format!("{:?}", group(&r.items)),
        render_json(&report),
        render_table(&report),
        render_markdown(&report),
        priceable.join("\n"),
    ];
    for out in &outputs {
        for secret in TFDATA_SECRETS {
            // Also the parts a cut-off table cell could show.
            for part in [secret, &secret[..12], &secret[secret.len() - 10..]] {
                assert!(!out.contains(part), "`{part}` leaked in: {out}");
            }
        }
    }
}

#[test]
fn terraform_data_clean_workspace_has_no_recorded_state_drift() {
    // Recorded state wraps dynamic attributes as {"value", "type"}; the plan
    // shows them plain. Same values: no drift, in either mode.
    let p = plan("drift_tfdata_sensitive_refresh_v1.json");
    let s = state("drift_tfdata_sensitive_state_v1.json");
    for mode in [DriftMode::RefreshOnly, DriftMode::Plan] {
        let r = detect(&p, Some(&s), mode, &no_rules()).unwrap();
        assert!(r.items.is_empty(), "{mode:?}: {:#?}", r.items);
    }
    // The committed terraform_data state of the backends test, against itself.
    let s = state("state_v4_terraform_data.json");
    let mut refreshed = json!({"format_version": "1.2", "prior_state": {"values": {"root_module": {"resources": []}}}});
    for r in s["resources"].as_array().unwrap() {
        let attrs = r["instances"][0]["attributes"].clone();
        let plain: serde_json::Map<String, Value> = attrs
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.get("value").cloned().unwrap_or(v.clone())))
            .collect();
        refreshed["prior_state"]["values"]["root_module"]["resources"]
            .as_array_mut()
            .unwrap()
            .push(json!({
                "address": format!("terraform_data.{}", r["name"].as_str().unwrap()),
                "mode": "managed", "type": "terraform_data", "name": r["name"],
                "values": plain, "sensitive_values": {}
            }));
    }
    let p = parse_plan(
        &serde_json::to_vec(&refreshed).unwrap(),
        Path::new("refreshed.json"),
    )
    .unwrap();
    let r = detect(&p, Some(&s), DriftMode::RefreshOnly, &no_rules()).unwrap();
    assert!(r.items.is_empty(), "{:#?}", r.items);
}

#[test]
fn terraform_data_rotated_secrets_are_masked_in_recorded_state_diff() {
    // State written with the ONE secrets, refreshed state holds the TWO ones.
    let p = plan("drift_tfdata_sensitive_refresh_v2.json");
    let s = state("drift_tfdata_sensitive_state_v1.json");
    for mode in [DriftMode::RefreshOnly, DriftMode::Plan] {
        let r = detect(&p, Some(&s), mode, &no_rules()).unwrap();
        assert_no_tfdata_secret(&r);
        let app = find(&r, "terraform_data.app");
        assert_eq!(app.kind, DriftKind::RecordedStateDiffers);
        let mut got = lines(app);
        got.sort();
        assert_eq!(
            got,
            vec![
                "input.env.TOKEN: (sensitive value changed)",
                "input.hosts[1]: (sensitive value changed)",
                "input.password: (sensitive value changed)",
                // terraform does not mark `output`; it holds the same secrets.
                "output.env.TOKEN: (sensitive value changed)",
                "output.hosts[1]: (sensitive value changed)",
                "output.password: (sensitive value changed)",
            ],
            "{mode:?}"
        );
        let token = find(&r, "terraform_data.token");
        let mut got = lines(token);
        got.sort();
        assert_eq!(
            got,
            vec![
                "input: (sensitive value changed)",
                "output: (sensitive value changed)"
            ]
        );
        assert!(
            r.items
                .iter()
                .all(|i| i.address != "terraform_data.network"),
            "{:#?}",
            r.items
        );
    }
}

#[test]
fn terraform_data_plan_mode_never_shows_old_secrets() {
    // A normal plan changing the secrets: `output` becomes unknown and its
    // before-value (unmarked by terraform) holds the current secrets.
    let p = plan("drift_tfdata_sensitive_plan_v3.json");
    let s = state("drift_tfdata_sensitive_state_v1.json");
    for recorded in [None, Some(&s)] {
        let r = detect(&p, recorded, DriftMode::Plan, &no_rules()).unwrap();
        assert_no_tfdata_secret(&r);
        let app = r
            .items
            .iter()
            .find(|i| i.address == "terraform_data.app" && i.kind == DriftKind::CodeNotApplied)
            .unwrap();
        let out = app.changes.iter().find(|c| c.path == "output").unwrap();
        assert!(out.sensitive);
        assert_eq!(
            (&out.before, &out.after),
            (&DisplayValue::Sensitive, &DisplayValue::Unknown)
        );
        assert!(
            lines(app).contains(&"input.password: (sensitive value changed)".to_string()),
            "{:?}",
            lines(app)
        );
    }
}

#[test]
fn scan_json_is_the_drift_json_plus_scan_facts() {
    let p = plan("drift_refresh_only_tags_nested_delete.json");
    let r = detect(&p, None, DriftMode::RefreshOnly, &no_rules()).unwrap();
    let report = DriftReport {
        workspace: "prod",
        result: &r,
        costs: &BTreeMap::new(),
        integrity_alerts: &[],
    };
    let facts = json!({"outcome": "drifted", "tool_version": "1.11.4", "state_source": "x", "timings": {"total_ms": 1}});
    let drift: Value = serde_json::from_str(&super::report::render_json(&report)).unwrap();
    let mut scan: Value =
        serde_json::from_str(&super::report::render_scan_json(&report, &facts)).unwrap();
    assert!(drift.get("scan").is_none());
    assert_eq!(scan["scan"], facts);
    scan.as_object_mut().unwrap().remove("scan");
    assert_eq!(scan, drift);
}

#[test]
fn unmarked_copies_are_masked_within_their_instance_only() {
    let change = |address: &str, name: &str, before: Value, after: Value, mask: Value| {
        json!({
            "address": address, "mode": "managed", "type": "aws_x", "name": name,
            "change": {"actions": ["update"], "before": before, "after": after,
                       "before_sensitive": mask.clone(), "after_sensitive": mask}
        })
    };
    let raw = json!({
        "format_version": "1.2",
        "resource_drift": [
            change(
                "aws_x.a", "a",
                json!({"secrets": {"k": "eu-west-1"}, "copy": "old", "note": "x"}),
                json!({"secrets": {"k": "eu-west-1"}, "copy": "eu-west-1", "note": "y"}),
                json!({"secrets": true}),
            ),
            change(
                "aws_x.b", "b",
                json!({"region": "us-east-1"}),
                json!({"region": "eu-west-1"}),
                json!({}),
            ),
        ]
    });
    let p = parse_plan(&serde_json::to_vec(&raw).unwrap(), Path::new("p.json")).unwrap();
    let r = detect(&p, None, DriftMode::RefreshOnly, &no_rules()).unwrap();
    assert_eq!(
        lines(find(&r, "aws_x.a")),
        vec!["copy: (sensitive value changed)", "note: \"x\" → \"y\""]
    );
    assert_eq!(
        lines(find(&r, "aws_x.b")),
        vec!["region: \"us-east-1\" → \"eu-west-1\""]
    );
}
