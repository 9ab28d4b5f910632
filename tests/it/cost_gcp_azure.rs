//! Google Cloud and Azure priced end to end, as the AWS workspaces are: a
//! GCP-named and an Azure-named workspace's plans through `driftcost cost
//! breakdown`, and a VM resized outside terraform in each through `driftcost
//! drift`, whose report carries the cost of the drift. Shipped price tables only.

use crate::support;

use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde_json::Value;
use std::str::FromStr;
use support::cli::{driftcost, fixture};

fn money(v: &Value) -> Decimal {
    Decimal::from_str(v.as_str().unwrap_or_else(|| panic!("not a money string: {v}"))).unwrap()
}

fn breakdown(plan: &str, project: &str) -> Value {
    let path = fixture(plan);
    let (code, stdout, stderr) = driftcost(&[
        "cost",
        "breakdown",
        "--plan",
        path.to_str().unwrap(),
        "--project-name",
        project,
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{stderr}");
    serde_json::from_str(&stdout).unwrap()
}

fn resource<'a>(report: &'a Value, address: &str) -> &'a Value {
    report["projects"][0]["breakdown"]["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == address)
        .unwrap_or_else(|| panic!("{address} not priced"))
}

#[test]
fn gcp_workspace_is_priced_end_to_end() {
    let r = breakdown("plan_gcp_workspace_create.json", "gcp-prod");
    // n1-standard-4 $0.189999/h × 730 h × 0.7 (sustained use) = 97.089489;
    // boot disk 50 GB pd-ssd × $0.17 = 8.50
    assert_eq!(
        money(&resource(&r, "google_compute_instance.app")["monthlyCost"]),
        dec!(105.589489)
    );
    // 200 GB pd-standard × $0.04
    assert_eq!(
        money(&resource(&r, "google_compute_disk.data")["monthlyCost"]),
        dec!(8.00)
    );
    // the instance's access_config uses the address: standard-VM rate 730 × $0.005
    let ip = resource(&r, "google_compute_address.app");
    assert_eq!(ip["costComponents"][0]["name"], "IP address (standard VM)");
    assert_eq!(money(&ip["monthlyCost"]), dec!(3.65));
    // region from the instance's zone, the disk's zone, the provider block
    assert_eq!(
        resource(&r, "google_compute_instance.app")["metadata"]["region"]["code"],
        "us-central1"
    );
    assert_eq!(money(&r["totalMonthlyCost"]), dec!(117.239489));
    assert_eq!(r["unpricedComponents"], 0, "{r}");
}

#[test]
fn azure_workspace_is_priced_end_to_end() {
    let r = breakdown("plan_azure_workspace_create.json", "azure-prod");
    // Standard_F2 Linux $0.099 × 730 = 72.27; OS disk P4 LRS $5.28
    let vm = resource(&r, "azurerm_linux_virtual_machine.web");
    assert_eq!(money(&vm["monthlyCost"]), dec!(77.55));
    // "East US" is the provider's `eastus`
    assert_eq!(vm["metadata"]["region"]["code"], "eastus");
    // 1,000 GB Standard SSD is an E30: $76.80; operations wait for usage
    let disk = resource(&r, "azurerm_managed_disk.data");
    assert_eq!(money(&disk["monthlyCost"]), dec!(76.80));
    // Standard static regional IPv4: 730 × $0.005
    assert_eq!(
        money(&resource(&r, "azurerm_public_ip.web")["monthlyCost"]),
        dec!(3.65)
    );
    assert_eq!(money(&r["totalMonthlyCost"]), dec!(158.00));
    // the disk's operations are usage-based and say so, not $0
    assert_eq!(r["unpricedComponents"], 1, "{r}");
    // the resource group and network are free, nothing is unsupported
    assert_eq!(r["summary"]["totalUnsupportedResources"], 0, "{}", r["summary"]);
}

fn drift_cost(plan: &str, workspace: &str) -> (Value, String) {
    let path = fixture(plan);
    let path = path.to_str().unwrap();
    let (code, stdout, stderr) = driftcost(&[
        "drift",
        "--plan",
        path,
        "--workspace",
        workspace,
        "--format",
        "json",
    ]);
    assert_eq!(code, 2, "drift exits 2: {stderr}");
    let (code, table, stderr) =
        driftcost(&["drift", "--plan", path, "--workspace", workspace]);
    assert_eq!(code, 2, "{stderr}");
    (serde_json::from_str(&stdout).unwrap(), table)
}

#[test]
fn gcp_drift_carries_its_cost() {
    let (r, table) = drift_cost("drift_gcp_instance_resized.json", "gcp-prod");
    let item = &r["items"][0];
    assert_eq!(item["address"], "google_compute_instance.app");
    // n1-standard-1 → n1-standard-2 outside terraform, both with a 30% sustained-use discount:
    // before 0.04749975 × 511 + 10 GB × 0.04 = 24.67237225
    // after  0.0949995 × 511 + 0.40 = 48.9447445
    let c = &item["monthly_cost"];
    assert_eq!(money(&c["before"]), dec!(24.67237225));
    assert_eq!(money(&c["after"]), dec!(48.9447445));
    assert_eq!(money(&c["delta"]), dec!(24.27237225));
    assert_eq!(c["unpriced_components"], 0);
    assert_eq!(money(&r["summary"]["monthly_cost_delta"]), dec!(24.27237225));
    assert!(table.contains("24.27"), "{table}");
}

#[test]
fn azure_drift_carries_its_cost() {
    let (r, table) = drift_cost("drift_azure_vm_resized.json", "azure-prod");
    let item = &r["items"][0];
    assert_eq!(item["address"], "azurerm_linux_virtual_machine.web");
    // Standard_B1s → Standard_F2: before 0.0104 × 730 + S4 1.54 = 9.132,
    // after 0.099 × 730 + 1.54 = 73.81; OS disk operations are usage-based (1 unpriced)
    let c = &item["monthly_cost"];
    assert_eq!(money(&c["before"]), dec!(9.132));
    assert_eq!(money(&c["after"]), dec!(73.81));
    assert_eq!(money(&c["delta"]), dec!(64.678));
    assert_eq!(c["unpriced_components"], 1);
    assert!(table.contains("64.68"), "{table}");
}
