//! Azure Cosmos DB priced end to end through `driftcost cost breakdown`: an
//! account in two locations (one without shipped prices) with an SQL
//! database and a container, and a usage file. Shipped price tables only.

use crate::support::cli::driftcost;
use crate::support::cost_json::{component, money, resource};
use rust_decimal_macros::dec;
use serde_json::{Value, json};

const DATABASE: &str = "azurerm_cosmosdb_sql_database.orders";
const CONTAINER: &str = "azurerm_cosmosdb_sql_container.items";

fn refers(address: &str, attr: &str) -> Value {
    json!({"references": [format!("{address}.{attr}"), address]})
}

/// The plan terraform shows for: resource group `shop-rg` (eastus); account
/// `shop` in westus and westeurope, periodic backups every 4 hours kept 24
/// hours; database `orders` at 400 RU/s; container `items` autoscaling to
/// 4,000 RU/s.
fn plan() -> Value {
    let resources = [
        (
            "azurerm_resource_group.shop",
            json!({"name": "shop-rg", "location": "eastus"}),
            json!({}),
        ),
        (
            "azurerm_cosmosdb_account.shop",
            json!({"name": "shop", "resource_group_name": "shop-rg", "location": "eastus",
                   "offer_type": "Standard", "analytical_storage_enabled": false,
                   "enable_multiple_write_locations": false,
                   "geo_location": [
                       {"location": "westus", "failover_priority": 0, "zone_redundant": false},
                       {"location": "westeurope", "failover_priority": 1, "zone_redundant": false}],
                   "backup": [{"type": "Periodic", "interval_in_minutes": 240, "retention_in_hours": 24}]}),
            json!({"resource_group_name": refers("azurerm_resource_group.shop", "name"),
                   "location": refers("azurerm_resource_group.shop", "location")}),
        ),
        (
            DATABASE,
            json!({"name": "orders", "resource_group_name": "shop-rg", "account_name": "shop",
                   "throughput": 400, "autoscale_settings": []}),
            json!({"account_name": refers("azurerm_cosmosdb_account.shop", "name")}),
        ),
        (
            CONTAINER,
            json!({"name": "items", "resource_group_name": "shop-rg", "account_name": "shop",
                   "database_name": "orders", "partition_key_paths": ["/id"],
                   "autoscale_settings": [{"max_throughput": 4000}]}),
            json!({"account_name": refers("azurerm_cosmosdb_account.shop", "name"),
                   "database_name": refers(DATABASE, "name")}),
        ),
    ];
    let mut changes = Vec::new();
    let mut config = Vec::new();
    for (address, after, expressions) in resources {
        let (kind, name) = address.split_once('.').unwrap();
        changes.push(
            json!({"address": address, "mode": "managed", "type": kind, "name": name,
            "provider_name": "registry.terraform.io/hashicorp/azurerm",
            "change": {"actions": ["create"], "before": null, "after": after,
                       "after_unknown": {"id": true}}}),
        );
        config.push(
            json!({"address": address, "mode": "managed", "type": kind, "name": name,
            "provider_config_key": "azurerm", "expressions": expressions}),
        );
    }
    json!({"format_version": "1.2", "terraform_version": "1.11.0",
           "resource_changes": changes,
           "configuration": {"root_module": {"resources": config}}})
}

const USAGE: &str = "version: 0.1
resource_usage:
  azurerm_cosmosdb_sql_database.orders:
    storage_gb: 50
  azurerm_cosmosdb_sql_container.items:
    storage_gb: 100
    max_request_units_utilization_percentage: 25
    monthly_restored_data_gb: 10
";

/// `cost breakdown` of [`plan`] with [`USAGE`] in `format`: stdout (exit 0).
fn breakdown(format: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let plan_path = dir.path().join("plan.json");
    let usage_path = dir.path().join("usage.yml");
    std::fs::write(&plan_path, plan().to_string()).unwrap();
    std::fs::write(&usage_path, USAGE).unwrap();
    let (code, stdout, stderr) = driftcost(&[
        "cost",
        "breakdown",
        "--plan",
        plan_path.to_str().unwrap(),
        "--usage-file",
        usage_path.to_str().unwrap(),
        "--format",
        format,
    ]);
    assert_eq!(code, 0, "{stderr}");
    stdout
}

#[test]
fn cosmos_databases_and_containers_are_priced_in_each_account_location() {
    let r: Value = serde_json::from_str(&breakdown("json")).unwrap();
    let db = resource(&r, DATABASE);
    // 400 RU/s = 4 × 100 RU/s × 730 h × $0.008
    let c = component(db, "Provisioned throughput (provisioned, West US)");
    assert_eq!(money(&c["monthlyCost"]), dec!(23.36));
    // 50 GB × $0.25
    let c = component(db, "Transactional storage (West US)");
    assert_eq!(money(&c["monthlyCost"]), dec!(12.50));
    // every 4 h kept 24 h: 6 copies, 4 billed: 200 GB × $0.15
    let c = component(db, "Periodic backup (West US)");
    assert_eq!(money(&c["monthlyQuantity"]), dec!(200));
    assert_eq!(money(&c["monthlyCost"]), dec!(30.00));
    // restores wait for their usage, at the account's location's price
    let c = component(db, "Restored data");
    assert!(c["monthlyCost"].is_null(), "{c}");
    assert_eq!(money(&c["price"]), dec!(0.15));

    let items = resource(&r, CONTAINER);
    // 4,000 RU/s × 25% = 10 × 100 RU/s × 1.5 (autoscale) = 15 × 730 h × $0.008
    let c = component(items, "Provisioned throughput (autoscale, West US)");
    assert_eq!(money(&c["monthlyQuantity"]), dec!(15));
    assert_eq!(money(&c["monthlyCost"]), dec!(87.60));
    // 100 GB × $0.25; backups 400 GB × $0.15; 10 GB restored × $0.15
    assert_eq!(
        money(&component(items, "Transactional storage (West US)")["monthlyCost"]),
        dec!(25.00)
    );
    assert_eq!(
        money(&component(items, "Periodic backup (West US)")["monthlyCost"]),
        dec!(60.00)
    );
    assert_eq!(
        money(&component(items, "Restored data")["monthlyCost"]),
        dec!(1.50)
    );
    assert_eq!(
        money(&items["monthlyCost"]),
        dec!(87.60) + dec!(25.00) + dec!(60.00) + dec!(1.50)
    );

    // the account itself is free, not unsupported
    let summary = &r["projects"][0]["summary"];
    assert_eq!(
        summary["noPriceResourceCounts"]["azurerm_cosmosdb_account"],
        1
    );
    assert_eq!(summary["totalUnsupportedResources"], 0, "{summary}");
}

#[test]
fn a_location_without_prices_says_so_and_is_never_zero() {
    let r: Value = serde_json::from_str(&breakdown("json")).unwrap();
    let db = resource(&r, DATABASE);
    let c = component(db, "Provisioned throughput (provisioned, West Europe)");
    assert!(c["monthlyCost"].is_null(), "{c}");
    // its quantity is still shown
    assert_eq!(money(&c["monthlyQuantity"]), dec!(4));
    let misses = r["projects"][0]["summary"]["priceNotFound"]
        .as_array()
        .unwrap();
    let westeurope: Vec<&str> = misses
        .iter()
        .filter_map(|m| m["message"].as_str())
        .filter(|m| m.contains("westeurope") && m.contains("Azure Cosmos DB"))
        .collect();
    assert!(!westeurope.is_empty(), "{misses:?}");
    // naming the import that fills it
    for m in &westeurope {
        assert!(
            m.contains("pricing import --azure-retail")
                && m.contains("armRegionName eq 'westeurope'"),
            "{m}"
        );
    }
    // and the table says it in words, not $0
    let table = breakdown("table");
    let line = table
        .lines()
        .find(|l| l.contains("Provisioned throughput (provisioned, West Europe)"))
        .unwrap_or_else(|| panic!("{table}"));
    assert!(line.contains("no price"), "{line}");
    assert!(!line.contains("$0.00"), "{line}");
}
