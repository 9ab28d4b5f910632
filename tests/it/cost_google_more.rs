//! The Google types beyond compute (issue 15): a plan with a router NAT,
//! forwarding rules, a VPN tunnel, a snapshot of a disk, an image, a DNS zone,
//! a KMS key, a secret and its version, Pub/Sub, a logging sink, a Cloud
//! Function, an instance group, a Cloud Run service and a BigQuery dataset, priced end to end by `driftcost cost breakdown` with a usage
//! file in Infracost's format and the shipped tables only. A disk in a region
//! the tables do not cover is said to have no price, naming the region and
//! the import that fills it, never shown as $0.

use crate::support;
use crate::support::cli::{driftcost, fixture};

use rust_decimal_macros::dec;
use serde_json::Value;
use support::cost_json::{self, component, money, resource};

fn breakdown(format: &str) -> (String, String) {
    cost_json::breakdown(
        "plan_gcp_more_types.json",
        Some("usage_gcp_more_types.yml"),
        "gcp-platform",
        format,
    )
}

#[test]
fn google_types_beyond_compute_are_priced_end_to_end() {
    let (stdout, _) = breakdown("json");
    let r: Value = serde_json::from_str(&stdout).unwrap();
    let cost = |address: &str| money(&resource(&r, address)["monthlyCost"]);
    // NAT: 4 VMs × 730 h × $0.0014 = 4.088; 1,000 GB × $0.045 = 45
    let nat = resource(&r, "google_compute_router_nat.nat");
    assert_eq!(
        component(nat, "Assigned VMs (first 32)")["unit"],
        "VM-hours"
    );
    assert_eq!(cost("google_compute_router_nat.nat"), dec!(49.088));
    // forwarding rules: 730 h × $0.01, ingress 100 GB × $0.008; the global
    // rule has no usage: its ingress is usage-based
    assert_eq!(cost("google_compute_forwarding_rule.lb"), dec!(8.10));
    assert_eq!(
        cost("google_compute_global_forwarding_rule.web"),
        dec!(7.30)
    );
    // VPN tunnel 730 h × $0.05; DNS zone $0.20
    assert_eq!(cost("google_compute_vpn_tunnel.onprem"), dec!(36.50));
    assert_eq!(cost("google_dns_managed_zone.corp"), dec!(0.20));
    // the snapshot is the size of the disk it refers to: 100 GB × $0.026
    let snapshot = resource(&r, "google_compute_snapshot.nightly");
    assert_eq!(
        money(&component(snapshot, "Storage")["monthlyQuantity"]),
        dec!(100)
    );
    assert_eq!(cost("google_compute_snapshot.nightly"), dec!(2.60));
    // image 20 GB × $0.05
    assert_eq!(cost("google_compute_image.golden"), dec!(1.00));
    // KMS: rotation every 100,000 s = 25.92 versions × $0.06 + 1 × 10k ops × $0.03
    let key = resource(&r, "google_kms_crypto_key.disk");
    assert_eq!(
        money(&component(key, "Key versions")["monthlyQuantity"]),
        dec!(25.92)
    );
    assert_eq!(cost("google_kms_crypto_key.disk"), dec!(1.5852));
    // secret: 3 versions × $0.06 + 2 × 10K accesses × $0.03; its version: 1 × $0.06
    assert_eq!(cost("google_secret_manager_secret.db"), dec!(0.24));
    assert_eq!(cost("google_secret_manager_secret_version.db"), dec!(0.06));
    // Pub/Sub 0.5 TiB × $40; the subscription without usage is all usage-based
    assert_eq!(cost("google_pubsub_topic.events"), dec!(20));
    let sub = resource(&r, "google_pubsub_subscription.events");
    assert!(sub["monthlyCost"].is_null(), "{sub}");
    // logging sink 100 GB × $0.50
    assert_eq!(cost("google_logging_project_sink.audit"), dec!(50));
    // function: 1.2M GHz-s × $0.00001 + 750k GB-s × $0.0000025 + 10M × $0.0000004 + 100 GB × $0.12
    assert_eq!(cost("google_cloudfunctions_function.hook"), dec!(29.875));
    // instance group: f1-micro $0.0076 × 2 × 730 h × 0.7 sustained use = 7.7672;
    // its template's 20 GB pd-ssd boot disk × 2 × $0.17 = 6.80, shown as disk[0]
    let group = resource(&r, "google_compute_instance_group_manager.app");
    assert_eq!(group["subresources"][0]["name"], "disk[0]");
    assert_eq!(
        cost("google_compute_instance_group_manager.app"),
        dec!(14.5672)
    );
    // Cloud Run, instance-based in tier-2 europe-west3: 730 h × 3,600 s × 1 instance
    // = 2,628,000 vCPU-s × $0.0000216 + 1,314,000 GiB-s × $0.0000024
    let run = resource(&r, "google_cloud_run_v2_service.api");
    assert_eq!(run["metadata"]["region"]["code"], "europe-west3");
    assert_eq!(cost("google_cloud_run_v2_service.api"), dec!(59.9184));
    // BigQuery: 2 TB of queries × $6.25
    assert_eq!(cost("google_bigquery_dataset.analytics"), dec!(12.50));
    // the disk in europe-west2 has no shipped price: not $0, not in the total
    let disk = resource(&r, "google_compute_disk.data");
    assert!(disk["monthlyCost"].is_null(), "{disk}");
    assert_eq!(
        component(disk, "Standard provisioned storage (pd-standard)")["status"],
        "noPriceFound"
    );
    assert_eq!(money(&r["totalMonthlyCost"]), dec!(293.5338));
    // the target proxy is priced from usage as Infracost prices it: without
    // usage its lines are usage-based, never $0
    let proxy = resource(&r, "google_compute_target_http_proxy.web");
    assert!(proxy["monthlyCost"].is_null(), "{proxy}");
    assert_eq!(component(proxy, "Proxy instance")["status"], "usageMissing");
    // the instance template is free, nothing is unsupported
    assert_eq!(
        r["summary"]["totalUnsupportedResources"], 0,
        "{}",
        r["summary"]
    );
    // values terraform marks sensitive never reach the output
    assert!(!stdout.contains("hunter2") && !stdout.contains("s3cr3t"));
}

#[test]
fn a_google_region_without_a_price_names_the_fix() {
    let (table, stderr) = breakdown("table");
    let all = format!("{table}\n{stderr}");
    assert!(all.contains("no price"), "{all}");
    assert!(all.contains("europe-west2"), "{all}");
    assert!(all.contains("pricing import --gcp-billing"), "{all}");
}

/// `cost breakdown` of a parity plan with `usage` as its usage file: stdout, stderr.
fn with_usage(case: &str, usage: &str) -> (String, String) {
    let dir = tempfile::tempdir().unwrap();
    let usage_path = dir.path().join("usage.yml");
    std::fs::write(&usage_path, usage).unwrap();
    let plan = fixture(&format!("parity/{case}/plan.json"));
    let (code, stdout, stderr) = driftcost(&[
        "cost",
        "breakdown",
        "--plan",
        plan.to_str().unwrap(),
        "--usage-file",
        usage_path.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(code == 0 || code == 2, "exit {code}\n{stderr}");
    (stdout, stderr)
}

#[test]
fn indexed_and_per_region_usage_keys_are_read_and_typos_are_named() {
    // Infracost's `node_pool[N].nodes`, written whole, sets an inline pool's nodes
    // per zone: 5 × 3 zones × 730 h = 10,950 h; no warning names it
    let (stdout, stderr) = with_usage(
        "google_container_cluster",
        "version: 0.1\nresource_usage:\n  google_container_cluster.with_node_pools_regional:\n    node_pool[0].nodes: 5\n    node_pool[0].nodez: 1\n",
    );
    let r: Value = serde_json::from_str(&stdout).unwrap();
    let cluster = resource(&r, "google_container_cluster.with_node_pools_regional");
    let pool = cluster["subresources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "node_pool[0]")
        .expect("node_pool[0]");
    assert_eq!(
        money(
            &component(
                pool,
                "Instance usage (Linux/UNIX, on-demand, n1-standard-16)"
            )["monthlyQuantity"]
        ),
        dec!(10950)
    );
    assert!(!stderr.contains("`node_pool[0].nodes`"), "{stderr}");
    assert!(stderr.contains("`node_pool[0].nodez`"), "{stderr}");
    // Artifact Registry egress keys are one per destination region
    let (stdout, stderr) = with_usage(
        "google_artifact_registry_repository",
        "version: 0.1\nresource_usage:\n  google_artifact_registry_repository.us_east1:\n    monthly_egress_data_transfer_gb:\n      europe_west4: 10\n",
    );
    let r: Value = serde_json::from_str(&stdout).unwrap();
    let repo = resource(&r, "google_artifact_registry_repository.us_east1");
    // 10 GB × $0.08 intercontinental
    assert_eq!(
        money(&component(repo, "Intercontinental (Excl Oceania)")["monthlyCost"]),
        dec!(0.80)
    );
    assert!(!stderr.contains("europe_west4"), "{stderr}");
}
