//! Prices in the regions issue 15 names beyond the first one each cloud
//! shipped (Google us-east1, europe-west1, europe-west4, asia-southeast1;
//! Azure westus2, westeurope, northeurope, southeastasia), read from the
//! tables under `pricing/<cloud>/regions/`: each resource is planned in one
//! of those regions and priced by `driftcost cost breakdown` with the shipped
//! tables only, the figure worked by hand from the row's source. A region or
//! family the tables still lack says "no price found" and names the region,
//! never $0.

use crate::support;

use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde_json::{Value, json};
use support::cli::driftcost;
use support::cost_json::{component, money, resource};

/// A plan creating `resources` (address, type, values) under one provider
/// configuration, as `terraform show -json` writes it.
fn plan(provider: Value, resources: &[(&str, &str, Value)]) -> Value {
    let provider_name = |kind: &str| {
        let cloud = kind.split('_').next().unwrap_or_default();
        format!("registry.terraform.io/hashicorp/{cloud}")
    };
    let changes: Vec<Value> = resources
        .iter()
        .map(|(address, kind, values)| {
            json!({
                "address": address, "mode": "managed", "type": kind,
                "name": address.split('.').nth(1).unwrap(),
                "provider_name": provider_name(kind),
                "change": {"actions": ["create"], "before": null, "after": values,
                           "after_unknown": {}, "before_sensitive": false, "after_sensitive": {}}
            })
        })
        .collect();
    let config: Vec<Value> = resources
        .iter()
        .map(|(address, kind, _)| {
            json!({"address": address, "mode": "managed", "type": kind,
                   "name": address.split('.').nth(1).unwrap(),
                   "provider_config_key": kind.split('_').next().unwrap(), "expressions": {}})
        })
        .collect();
    json!({
        "format_version": "1.2", "terraform_version": "1.11.0",
        "resource_changes": changes,
        "configuration": {"provider_config": provider, "root_module": {"resources": config}},
        "complete": true, "errored": false, "applyable": true
    })
}

fn google(region: &str) -> Value {
    json!({"google": {"name": "google", "full_name": "registry.terraform.io/hashicorp/google",
                      "expressions": {"project": {"constant_value": "regions"},
                                      "region": {"constant_value": region}}}})
}

fn azurerm() -> Value {
    json!({"azurerm": {"name": "azurerm", "full_name": "registry.terraform.io/hashicorp/azurerm",
                       "expressions": {"features": [{}]}}})
}

/// `cost breakdown --format json` of `plan` (with an Infracost-format usage
/// file when given), shipped tables only; the exit must be 0.
fn breakdown(plan: &Value, usage: Option<&str>) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let plan_path = dir.path().join("plan.json");
    std::fs::write(&plan_path, serde_json::to_vec(plan).unwrap()).unwrap();
    let mut args = vec![
        "cost".to_string(),
        "breakdown".to_string(),
        "--plan".to_string(),
        plan_path.to_str().unwrap().to_string(),
    ];
    if let Some(usage) = usage {
        let usage_path = dir.path().join("usage.yml");
        std::fs::write(&usage_path, usage).unwrap();
        args.extend([
            "--usage-file".to_string(),
            usage_path.to_str().unwrap().to_string(),
        ]);
    }
    args.extend(["--format".to_string(), "json".to_string()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, stdout, stderr) = driftcost(&args);
    assert_eq!(code, 0, "{stderr}");
    serde_json::from_str(&stdout).unwrap()
}

fn cost_of(r: &Value, address: &str, name: &str) -> Decimal {
    money(&component(resource(r, address), name)["monthlyCost"])
}

/// The "no price found" message for `address`, from the summary.
fn miss(r: &Value, address: &str) -> String {
    r["summary"]["priceNotFound"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| {
            m["resources"]
                .as_array()
                .is_some_and(|rs| rs.iter().any(|a| a == address))
        })
        .unwrap_or_else(|| panic!("no 'no price found' for {address}: {}", r["summary"]))["message"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn google_disks_snapshots_and_local_ssd_are_priced_in_the_new_regions() {
    let p = plan(
        google("europe-west4"),
        &[
            (
                "google_compute_disk.balanced",
                "google_compute_disk",
                json!({"name": "balanced", "type": "pd-balanced", "size": 100, "zone": "europe-west4-a"}),
            ),
            (
                "google_compute_disk.ssd",
                "google_compute_disk",
                json!({"name": "ssd", "type": "pd-ssd", "size": 200, "zone": "asia-southeast1-b"}),
            ),
            (
                "google_compute_disk.standard",
                "google_compute_disk",
                json!({"name": "standard", "type": "pd-standard", "size": 500, "zone": "us-east1-b"}),
            ),
            (
                "google_compute_disk.central",
                "google_compute_disk",
                json!({"name": "central", "type": "pd-balanced", "size": 40, "zone": "us-central1-c"}),
            ),
            (
                "google_compute_snapshot.nightly",
                "google_compute_snapshot",
                json!({"name": "nightly"}),
            ),
            (
                "google_compute_instance.scratch",
                "google_compute_instance",
                json!({"name": "scratch", "machine_type": "n1-standard-1", "zone": "europe-west1-b",
                       "boot_disk": [{"initialize_params": [{"size": 10, "type": "pd-standard"}]}],
                       "scratch_disk": [{"interface": "NVME"}], "guest_accelerator": [],
                       "scheduling": [{"preemptible": false}], "network_interface": [{"network": "default"}]}),
            ),
        ],
    );
    let usage =
        "version: 0.1\nresource_usage:\n  google_compute_snapshot.nightly:\n    storage_gb: 50\n";
    let r = breakdown(&p, Some(usage));
    // pd-balanced in europe-west4: 100 GB × $0.11 (Cyclenerd pricing.yml
    // compute.storage.balanced.cost.europe-west4.month)
    assert_eq!(
        cost_of(
            &r,
            "google_compute_disk.balanced",
            "Balanced provisioned storage (pd-balanced)"
        ),
        dec!(11.00)
    );
    // pd-ssd in asia-southeast1: 200 GB × $0.187
    assert_eq!(
        cost_of(
            &r,
            "google_compute_disk.ssd",
            "SSD provisioned storage (pd-ssd)"
        ),
        dec!(37.40)
    );
    // pd-standard in us-east1: 500 GB × $0.04
    assert_eq!(
        cost_of(
            &r,
            "google_compute_disk.standard",
            "Standard provisioned storage (pd-standard)"
        ),
        dec!(20.00)
    );
    // pd-balanced was missing in us-central1 too: 40 GB × $0.10
    assert_eq!(
        cost_of(
            &r,
            "google_compute_disk.central",
            "Balanced provisioned storage (pd-balanced)"
        ),
        dec!(4.00)
    );
    // snapshot in the provider's europe-west4: 50 GB × $0.053
    assert_eq!(
        cost_of(&r, "google_compute_snapshot.nightly", "Storage"),
        dec!(2.65)
    );
    // one local SSD in europe-west1: 375 GB × $0.08; and the 10 GB boot disk × $0.04
    assert_eq!(
        cost_of(
            &r,
            "google_compute_instance.scratch",
            "Local SSD provisioned storage"
        ),
        dec!(30.00)
    );
    assert_eq!(
        resource(&r, "google_compute_disk.ssd")["metadata"]["region"]["code"],
        "asia-southeast1"
    );
    assert_eq!(r["unpricedComponents"], 0, "{}", r["summary"]);
}

#[test]
fn google_addresses_nat_and_vpn_are_priced_in_the_new_regions() {
    let p = plan(
        google("europe-west1"),
        &[
            (
                "google_compute_address.sg",
                "google_compute_address",
                json!({"name": "sg", "address_type": "EXTERNAL", "region": "asia-southeast1"}),
            ),
            (
                "google_compute_address.nl",
                "google_compute_address",
                json!({"name": "nl", "address_type": "EXTERNAL", "region": "europe-west4"}),
            ),
            (
                "google_compute_router_nat.be",
                "google_compute_router_nat",
                json!({"name": "be", "router": "r", "region": "europe-west1",
                       "nat_ip_allocate_option": "AUTO_ONLY",
                       "source_subnetwork_ip_ranges_to_nat": "ALL_SUBNETWORKS_ALL_IP_RANGES"}),
            ),
            (
                "google_compute_vpn_tunnel.sg",
                "google_compute_vpn_tunnel",
                json!({"name": "sg", "region": "asia-southeast1", "shared_secret": "x"}),
            ),
        ],
    );
    let usage = "version: 0.1\nresource_usage:\n  google_compute_router_nat.be:\n    assigned_vms: 4\n    monthly_data_processed_gb: 1000\n";
    let r = breakdown(&p, Some(usage));
    // unused static IP: 730 h × $0.011 (asia-southeast1), × $0.011 (europe-west4)
    assert_eq!(
        cost_of(&r, "google_compute_address.sg", "IP address (unused)"),
        dec!(8.03)
    );
    assert_eq!(
        cost_of(&r, "google_compute_address.nl", "IP address (unused)"),
        dec!(8.03)
    );
    // Cloud NAT in europe-west1: 4 VMs × 730 h × $0.0014 = 4.088; 1,000 GB × $0.045 = 45
    assert_eq!(
        money(&resource(&r, "google_compute_router_nat.be")["monthlyCost"]),
        dec!(49.088)
    );
    // VPN tunnel in asia-southeast1: 730 h × $0.055
    assert_eq!(
        cost_of(&r, "google_compute_vpn_tunnel.sg", "VPN Tunnel"),
        dec!(40.15)
    );
    assert_eq!(r["unpricedComponents"], 0, "{}", r["summary"]);
}

#[test]
fn google_bucket_storage_is_priced_in_a_region() {
    let p = plan(
        google("europe-west4"),
        &[
            (
                "google_storage_bucket.archive",
                "google_storage_bucket",
                json!({"name": "archive", "location": "EUROPE-WEST4", "storage_class": "NEARLINE"}),
            ),
            (
                "google_storage_bucket.cold",
                "google_storage_bucket",
                json!({"name": "cold", "location": "ASIA-SOUTHEAST1", "storage_class": "COLDLINE"}),
            ),
            (
                "google_storage_bucket.hot",
                "google_storage_bucket",
                json!({"name": "hot", "location": "US-EAST1", "storage_class": "STANDARD"}),
            ),
        ],
    );
    let usage = "version: 0.1\nresource_usage:\n  google_storage_bucket.archive:\n    storage_gb: 1000\n  google_storage_bucket.cold:\n    storage_gb: 1000\n  google_storage_bucket.hot:\n    storage_gb: 250\n";
    let r = breakdown(&p, Some(usage));
    // nearline in europe-west4: 1,000 GiB × $0.01
    assert_eq!(
        cost_of(&r, "google_storage_bucket.archive", "Storage (nearline)"),
        dec!(10.00)
    );
    // coldline in asia-southeast1: 1,000 GiB × $0.005
    assert_eq!(
        cost_of(&r, "google_storage_bucket.cold", "Storage (coldline)"),
        dec!(5.00)
    );
    // regional standard in us-east1: 250 GiB × $0.02
    assert_eq!(
        cost_of(&r, "google_storage_bucket.hot", "Storage (standard)"),
        dec!(5.00)
    );
}

#[test]
fn google_n4_c3d_c4_c4a_and_t2a_machine_types_are_priced_in_the_new_regions() {
    let vm = |name: &str, machine_type: &str, zone: &str, spot: bool| {
        json!({"name": name, "machine_type": machine_type, "zone": zone,
               "boot_disk": [{"initialize_params": [{"size": 10, "type": "pd-balanced"}]}],
               "scratch_disk": [], "guest_accelerator": [],
               "scheduling": [{"preemptible": spot}], "network_interface": [{"network": "default"}]})
    };
    let p = plan(
        google("us-central1"),
        &[
            (
                "google_compute_instance.n4_nl",
                "google_compute_instance",
                vm("n4-nl", "n4-standard-4", "europe-west4-a", false),
            ),
            (
                "google_compute_instance.n4_iowa",
                "google_compute_instance",
                vm("n4-iowa", "n4-highmem-8", "us-central1-a", false),
            ),
            (
                "google_compute_instance.c3d_sg",
                "google_compute_instance",
                vm("c3d-sg", "c3d-standard-8", "asia-southeast1-b", true),
            ),
            (
                "google_compute_instance.c3d_be",
                "google_compute_instance",
                vm("c3d-be", "c3d-highcpu-16", "europe-west1-c", false),
            ),
            (
                "google_compute_instance.t2a_sc",
                "google_compute_instance",
                vm("t2a-sc", "t2a-standard-1", "us-east1-b", false),
            ),
            (
                "google_compute_instance.c4_sc",
                "google_compute_instance",
                vm("c4-sc", "c4-standard-8", "us-east1-c", false),
            ),
            (
                "google_compute_instance.c4_nl",
                "google_compute_instance",
                vm("c4-nl", "c4-highmem-4", "europe-west4-b", true),
            ),
            (
                "google_compute_instance.c4a_sg",
                "google_compute_instance",
                vm("c4a-sg", "c4a-standard-4", "asia-southeast1-a", false),
            ),
        ],
    );
    let r = breakdown(&p, None);
    // N4 has no sustained-use discount: 730 h × $0.1990212 (Cyclenerd
    // pricing.yml compute.instance.n4-standard-4.cost.europe-west4.hour)
    assert_eq!(
        cost_of(
            &r,
            "google_compute_instance.n4_nl",
            "Instance usage (Linux/UNIX, on-demand, n4-standard-4)"
        ),
        dec!(145.285476)
    );
    // n4-highmem-8 in us-central1 (coroot has no N4 anywhere): 730 h × $0.497552
    assert_eq!(
        cost_of(
            &r,
            "google_compute_instance.n4_iowa",
            "Instance usage (Linux/UNIX, on-demand, n4-highmem-8)"
        ),
        dec!(363.21296)
    );
    // spot C3D in asia-southeast1: 730 h × $0.179248 (hour_spot)
    assert_eq!(
        cost_of(
            &r,
            "google_compute_instance.c3d_sg",
            "Instance usage (Linux/UNIX, preemptible, c3d-standard-8)"
        ),
        dec!(130.85104)
    );
    // c3d-highcpu-16 in europe-west1: 730 h × $0.66032528
    assert_eq!(
        cost_of(
            &r,
            "google_compute_instance.c3d_be",
            "Instance usage (Linux/UNIX, on-demand, c3d-highcpu-16)"
        ),
        dec!(482.0374544)
    );
    // T2A was shipped for us-central1 but not us-east1: 730 h × $0.0385
    assert_eq!(
        cost_of(
            &r,
            "google_compute_instance.t2a_sc",
            "Instance usage (Linux/UNIX, on-demand, t2a-standard-1)"
        ),
        dec!(28.105)
    );
    // c4-standard-8 in us-east1: 730 h × $0.39534 (pricing.yml's own
    // month figure for it is 288.5982 too)
    assert_eq!(
        cost_of(
            &r,
            "google_compute_instance.c4_sc",
            "Instance usage (Linux/UNIX, on-demand, c4-standard-8)"
        ),
        dec!(288.5982)
    );
    // spot c4-highmem-4 in europe-west4: 730 h × $0.10947825
    assert_eq!(
        cost_of(
            &r,
            "google_compute_instance.c4_nl",
            "Instance usage (Linux/UNIX, preemptible, c4-highmem-4)"
        ),
        dec!(79.9191225)
    );
    // Arm C4A in asia-southeast1: 730 h × $0.22157256
    assert_eq!(
        cost_of(
            &r,
            "google_compute_instance.c4a_sg",
            "Instance usage (Linux/UNIX, on-demand, c4a-standard-4)"
        ),
        dec!(161.7479688)
    );
    assert_eq!(
        resource(&r, "google_compute_instance.c3d_sg")["metadata"]["region"]["code"],
        "asia-southeast1"
    );
    assert_eq!(r["unpricedComponents"], 0, "{}", r["summary"]);
}

#[test]
fn azure_vm_sizes_are_priced_in_the_new_regions() {
    let vm = |location: &str, size: &str| {
        json!({"name": "vm", "location": location, "resource_group_name": "rg", "size": size,
               "admin_username": "azure", "network_interface_ids": ["nic"],
               "os_disk": [{"caching": "ReadWrite", "storage_account_type": "Standard_LRS"}]})
    };
    let p = plan(
        azurerm(),
        &[
            (
                "azurerm_linux_virtual_machine.weu",
                "azurerm_linux_virtual_machine",
                vm("westeurope", "Standard_D2s_v5"),
            ),
            (
                "azurerm_windows_virtual_machine.neu",
                "azurerm_windows_virtual_machine",
                vm("northeurope", "Standard_D4s_v5"),
            ),
            (
                "azurerm_linux_virtual_machine.sea",
                "azurerm_linux_virtual_machine",
                vm("Southeast Asia", "Standard_D2s_v5"),
            ),
            (
                "azurerm_linux_virtual_machine.wus2",
                "azurerm_linux_virtual_machine",
                vm("westus2", "Standard_F4s_v2"),
            ),
        ],
    );
    let r = breakdown(&p, None);
    // Linux D2s_v5 in westeurope: 730 h × $0.115
    assert_eq!(
        cost_of(
            &r,
            "azurerm_linux_virtual_machine.weu",
            "Instance usage (Linux, pay as you go, Standard_D2s_v5)"
        ),
        dec!(83.95)
    );
    // Windows D4s_v5 in northeurope: 730 h × $0.398 (Linux $0.214 + 4 × $0.046)
    assert_eq!(
        cost_of(
            &r,
            "azurerm_windows_virtual_machine.neu",
            "Instance usage (Windows, pay as you go, Standard_D4s_v5)"
        ),
        dec!(290.54)
    );
    // "Southeast Asia" is southeastasia: 730 h × $0.12
    let sea = resource(&r, "azurerm_linux_virtual_machine.sea");
    assert_eq!(sea["metadata"]["region"]["code"], "southeastasia");
    assert_eq!(
        cost_of(
            &r,
            "azurerm_linux_virtual_machine.sea",
            "Instance usage (Linux, pay as you go, Standard_D2s_v5)"
        ),
        dec!(87.60)
    );
    // F4s_v2 in westus2: 730 h × $0.169
    assert_eq!(
        cost_of(
            &r,
            "azurerm_linux_virtual_machine.wus2",
            "Instance usage (Linux, pay as you go, Standard_F4s_v2)"
        ),
        dec!(123.37)
    );
}

#[test]
fn a_region_the_tables_still_lack_says_no_price_found_naming_it() {
    let p = plan(
        google("europe-west1"),
        &[
            (
                "google_compute_disk.london",
                "google_compute_disk",
                json!({"name": "london", "type": "pd-standard", "size": 100, "zone": "europe-west2-a"}),
            ),
            (
                "google_redis_instance.cache",
                "google_redis_instance",
                json!({"name": "cache", "tier": "BASIC", "memory_size_gb": 1, "region": "europe-west1"}),
            ),
            (
                "google_compute_instance.london",
                "google_compute_instance",
                json!({"name": "london", "machine_type": "n4-standard-2", "zone": "europe-west2-b",
                       "boot_disk": [], "scratch_disk": [], "guest_accelerator": [],
                       "scheduling": [{"preemptible": false}],
                       "network_interface": [{"network": "default"}]}),
            ),
        ],
    );
    let r = breakdown(&p, None);
    let disk = resource(&r, "google_compute_disk.london");
    let storage = component(disk, "Standard provisioned storage (pd-standard)");
    assert_eq!(storage["status"], "noPriceFound", "{disk}");
    assert!(storage["monthlyCost"].is_null(), "{storage}");
    let said = miss(&r, "google_compute_disk.london");
    assert!(said.contains("europe-west2"), "{said}");
    // Memorystore is shipped for us-central1 only
    let said = miss(&r, "google_redis_instance.cache");
    assert!(said.contains("europe-west1"), "{said}");
    // N4 is shipped for the five regions only: London's price is not
    // borrowed from europe-west1 or europe-west4
    let vm = resource(&r, "google_compute_instance.london");
    let hours = component(vm, "Instance usage (Linux/UNIX, on-demand, n4-standard-2)");
    assert_eq!(hours["status"], "noPriceFound", "{vm}");
    let said = miss(&r, "google_compute_instance.london");
    assert!(said.contains("europe-west2"), "{said}");
    assert!(r["totalMonthlyCost"].is_null() || money(&r["totalMonthlyCost"]).is_zero());

    let p = plan(
        azurerm(),
        &[
            (
                "azurerm_linux_virtual_machine.uk",
                "azurerm_linux_virtual_machine",
                json!({"name": "uk", "location": "uksouth", "resource_group_name": "rg",
                       "size": "Standard_D2s_v5", "admin_username": "azure",
                       "os_disk": [{"caching": "ReadWrite", "storage_account_type": "Standard_LRS"}]}),
            ),
            (
                "azurerm_managed_disk.weu",
                "azurerm_managed_disk",
                json!({"name": "weu", "location": "westeurope", "resource_group_name": "rg",
                       "storage_account_type": "Premium_LRS", "create_option": "Empty",
                       "disk_size_gb": 128}),
            ),
        ],
    );
    let r = breakdown(&p, None);
    let vm = resource(&r, "azurerm_linux_virtual_machine.uk");
    let hours = component(vm, "Instance usage (Linux, pay as you go, Standard_D2s_v5)");
    assert_eq!(hours["status"], "noPriceFound", "{vm}");
    assert!(miss(&r, "azurerm_linux_virtual_machine.uk").contains("uksouth"));
    // managed disks are still eastus-only: westeurope is named, not $0
    let said = miss(&r, "azurerm_managed_disk.weu");
    assert!(said.contains("westeurope"), "{said}");
    assert!(resource(&r, "azurerm_managed_disk.weu")["monthlyCost"].is_null());
}
