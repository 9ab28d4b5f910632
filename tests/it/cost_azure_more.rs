//! The Azure services beyond VMs and disks priced end to end: an
//! Azure-named workspace's plan (NAT gateways, Log Analytics with Sentinel,
//! Redis, SQL, private endpoint, DNS, load balancer, MySQL, a scale set)
//! through `driftcost cost breakdown` with a usage file, shipped tables only.
//! Locations come from the resource, its resource group or its SQL server;
//! a region the tables lack says so and names the command that fills it.

use crate::support;

use rust_decimal_macros::dec;
use serde_json::Value;
use support::cost_json::{self, component, money, resource};

fn breakdown() -> Value {
    cost_json::breakdown_json(
        "plan_azure_more_services_create.json",
        Some("usage_azure_more_services.yml"),
        "azure-platform",
    )
}

#[test]
fn azure_services_are_priced_end_to_end() {
    let r = breakdown();
    // NAT gateway in West Europe through its resource group:
    // 730 h × $0.045 = $32.85, 10 GB × $0.045 = $0.45
    let nat = resource(&r, "azurerm_nat_gateway.egress");
    assert_eq!(money(&nat["monthlyCost"]), dec!(33.30));
    assert_eq!(nat["metadata"]["region"]["code"], "westeurope");
    // a 100 GB/day commitment tier, 30 days × $252.84, twice: Sentinel is on
    // the workspace through the SecurityInsights solution that refers to it
    let logs = resource(&r, "azurerm_log_analytics_workspace.logs");
    assert_eq!(
        money(&component(logs, "Sentinel data ingestion")["monthlyCost"]),
        dec!(7585.20)
    );
    assert_eq!(money(&logs["monthlyCost"]), dec!(15170.40));
    // Premium P1, 3 shards × 2 nodes × 730 h × $0.277
    let cache = resource(&r, "azurerm_redis_cache.cache");
    assert_eq!(
        component(cache, "Cache usage (Premium_P1)")["monthlyQuantity"],
        "6"
    );
    assert_eq!(money(&cache["monthlyCost"]), dec!(1213.26));
    // P6 in its server's location: $120/day over 730 hours; LTR 1,000 GB × $0.05
    let db = resource(&r, "azurerm_mssql_database.orders");
    assert_eq!(db["metadata"]["region"]["code"], "eastus");
    assert_eq!(
        money(&component(db, "Compute (P6)")["monthlyCost"]).round_dp(2),
        dec!(3650.00)
    );
    assert_eq!(money(&db["monthlyCost"]).round_dp(2), dec!(3700.00));
    // 730 h × $0.01 + 100 GB inbound × $0.01
    assert_eq!(
        money(&resource(&r, "azurerm_private_endpoint.blob")["monthlyCost"]),
        dec!(8.30)
    );
    assert_eq!(
        money(&resource(&r, "azurerm_dns_zone.public")["monthlyCost"]),
        dec!(0.50)
    );
    assert_eq!(
        money(&resource(&r, "azurerm_lb.front")["monthlyCost"]),
        dec!(0.50)
    );
    // GP_Standard_D2ads_v5 730 h × $0.195 + 20 GB × $0.138
    assert_eq!(
        money(&resource(&r, "azurerm_mysql_flexible_server.app")["monthlyCost"]),
        dec!(145.11)
    );
    // usage says 4 instances: 4 × 730 h × $0.079 + 4 × S4 $1.536
    let vmss = resource(&r, "azurerm_linux_virtual_machine_scale_set.workers");
    assert_eq!(money(&vmss["monthlyCost"]), dec!(236.824));
    assert_eq!(money(&r["totalMonthlyCost"]).round_dp(2), dec!(20508.19));
    // SQL server and key vault are free; the Sentinel solution is not priced
    let summary = &r["summary"];
    assert_eq!(summary["noPriceResourceCounts"]["azurerm_mssql_server"], 1);
    assert_eq!(summary["noPriceResourceCounts"]["azurerm_key_vault"], 1);
    assert_eq!(
        summary["unsupportedResourceCounts"],
        serde_json::json!({"azurerm_log_analytics_solution": 1}),
        "{summary}"
    );
}

#[test]
fn a_region_without_shipped_prices_is_said_never_zero() {
    let r = breakdown();
    let far = resource(&r, "azurerm_nat_gateway.far");
    let gw = component(far, "NAT gateway");
    assert_eq!(gw["status"], "noPriceFound", "{far}");
    assert!(gw["monthlyCost"].is_null(), "{gw}");
    let misses = r["summary"]["priceNotFound"].as_array().unwrap();
    let miss = misses
        .iter()
        .find(|m| m["resources"][0] == "azurerm_nat_gateway.far")
        .unwrap_or_else(|| panic!("no miss for the southeastasia gateway: {misses:?}"));
    let message = miss["message"].as_str().unwrap();
    assert!(message.contains("southeastasia"), "{message}");
    assert!(
        message.contains("driftcost pricing import --azure-retail"),
        "{message}"
    );
}
