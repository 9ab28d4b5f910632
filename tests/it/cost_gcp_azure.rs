//! Google Cloud and Azure priced end to end, as the AWS workspaces are: a
//! GCP-named and an Azure-named workspace's plans through `driftcost cost
//! breakdown`, and a VM resized outside terraform in each through `driftcost
//! drift`, whose report carries the cost of the drift. Shipped price tables only.

use crate::support;

use rust_decimal_macros::dec;
use serde_json::Value;
use support::cli::{driftcost, fixture};
use support::cost_json::{self, money, resource};

fn breakdown(plan: &str, project: &str) -> Value {
    cost_json::breakdown_json(plan, None, project)
}

/// `cost breakdown --pricing-dir DIR` of a fixture plan in JSON, parsed (the
/// process runs on a blocking thread, not on the test's async runtime).
async fn breakdown_priced_from(plan: &str, dir: &std::path::Path) -> Value {
    let plan = fixture(plan);
    let dir = dir.to_str().unwrap().to_string();
    let (code, stdout, stderr) = tokio::task::spawn_blocking(move || {
        driftcost(&[
            "cost",
            "breakdown",
            "--plan",
            plan.to_str().unwrap(),
            "--pricing-dir",
            &dir,
            "--format",
            "json",
        ])
    })
    .await
    .unwrap();
    assert_eq!(code, 0, "{stderr}");
    serde_json::from_str(&stdout).unwrap()
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
    assert_eq!(
        r["summary"]["totalUnsupportedResources"], 0,
        "{}",
        r["summary"]
    );
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
    let (code, table, stderr) = driftcost(&["drift", "--plan", path, "--workspace", workspace]);
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
    assert_eq!(
        money(&r["summary"]["monthly_cost_delta"]),
        dec!(24.27237225)
    );
    assert!(table.contains("24.27"), "{table}");
}

#[test]
fn azure_drift_carries_its_cost() {
    let (r, table) = drift_cost("drift_azure_vm_resized.json", "azure-prod");
    let item = &r["items"][0];
    assert_eq!(item["address"], "azurerm_linux_virtual_machine.web");
    // Standard_B1s → Standard_F2: before 0.0104 × 730 + S4 1.536 = 9.128,
    // after 0.099 × 730 + 1.536 = 73.806; OS disk operations are usage-based (1 unpriced)
    let c = &item["monthly_cost"];
    assert_eq!(money(&c["before"]), dec!(9.128));
    assert_eq!(money(&c["after"]), dec!(73.806));
    assert_eq!(money(&c["delta"]), dec!(64.678));
    assert_eq!(c["unpriced_components"], 1);
    assert!(table.contains("64.68"), "{table}");
}

/// One Azure Retail Prices API item, in the API's exact field names.
/// One item of a Retail Prices API page, as the API spells it: an eastus
/// pay-as-you-go Virtual Machines meter unless `fields` say otherwise
/// (`retailPrice` sets `unitPrice` too and is written as a JSON number).
fn retail_item(fields: &[(&str, &str)]) -> String {
    let mut item = serde_json::json!({
        "currencyCode": "USD", "tierMinimumUnits": 0.0, "armRegionName": "eastus",
        "location": "US East", "effectiveStartDate": "2024-05-01T00:00:00Z",
        "meterId": "00000000-0000-0000-0000-000000000000", "productId": "DZH318Z0BQ4L",
        "skuId": "DZH318Z0BQ4L/00TG", "availabilityId": null, "serviceName": "Virtual Machines",
        "serviceId": "DZH313Z7MMC8", "serviceFamily": "Compute", "type": "Consumption",
        "isPrimaryMeterRegion": true, "armSkuName": "",
    });
    for (key, value) in fields {
        if *key == "retailPrice" {
            let price: Value = serde_json::from_str(value).unwrap();
            item["retailPrice"] = price.clone();
            item["unitPrice"] = price;
        } else {
            item[*key] = Value::from(*value);
        }
    }
    item.to_string()
}

/// A Virtual Machines (or, for a disk product, Storage) item in eastus.
fn azure_item(
    product: &str,
    sku: &str,
    meter: &str,
    arm_sku: &str,
    unit: &str,
    price: &str,
) -> String {
    let service = if product.contains("Disks") {
        "Storage"
    } else {
        "Virtual Machines"
    };
    retail_item(&[
        ("serviceName", service),
        ("productName", product),
        ("skuName", sku),
        ("meterName", meter),
        ("armSkuName", arm_sku),
        ("unitOfMeasure", unit),
        ("retailPrice", price),
    ])
}

/// `pricing import --azure-retail` against `server`'s Retail Prices API with
/// `filter`, into `out`; the process runs on a blocking thread.
async fn import_azure_retail(
    server: &wiremock::MockServer,
    filter: &str,
    out: &std::path::Path,
) -> (i32, String, String) {
    let url = format!("{}/api/retail/prices", server.uri());
    let (filter, out) = (filter.to_string(), out.to_str().unwrap().to_string());
    tokio::task::spawn_blocking(move || {
        driftcost(&[
            "pricing",
            "import",
            "--azure-retail",
            "--azure-retail-url",
            &url,
            "--azure-filter",
            &filter,
            "--out",
            &out,
        ])
    })
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn azure_retail_prices_import_follows_next_page_links() {
    use wiremock::matchers::{method, path, query_param};
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let server = MockServer::start().await;
    let page1 = format!(
        r#"{{"BillingCurrency":"USD","CustomerEntityId":"Default","CustomerEntityType":"Retail","Items":[{}],"NextPageLink":"{}/api/retail/prices?$skip=1","Count":1}}"#,
        azure_item(
            "Virtual Machines F Series",
            "F2",
            "F2",
            "Standard_F2",
            "1 Hour",
            "0.2"
        ),
        server.uri()
    );
    let page2 = format!(
        r#"{{"BillingCurrency":"USD","CustomerEntityId":"Default","CustomerEntityType":"Retail","Items":[{},{}],"NextPageLink":null,"Count":2}}"#,
        azure_item(
            "Premium SSD Managed Disks",
            "P4 LRS",
            "P4 LRS Disk",
            "",
            "1/Month",
            "6"
        ),
        azure_item(
            "Virtual Machines F Series",
            "F2 Spot",
            "F2 Spot",
            "Standard_F2",
            "1 Hour",
            "0.02"
        ),
    );
    Mock::given(method("GET"))
        .and(path("/api/retail/prices"))
        .and(query_param("$skip", "1"))
        .respond_with(ResponseTemplate::new(200).set_body_string(page2))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/retail/prices"))
        .and(query_param("$filter", "armRegionName eq 'eastus'"))
        .respond_with(ResponseTemplate::new(200).set_body_string(page1))
        .expect(1)
        .mount(&server)
        .await;
    let out = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) =
        import_azure_retail(&server, "armRegionName eq 'eastus'", out.path()).await;
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains("2 page(s), 3 prices read, 2 kept"),
        "{stdout}"
    );
    // The imported prices replace the shipped ones: F2 $0.2 × 730 = 146 + P4 $6 = 152
    let r = breakdown_priced_from("plan_azure_workspace_create.json", out.path()).await;
    assert_eq!(
        money(&resource(&r, "azurerm_linux_virtual_machine.web")["monthlyCost"]),
        dec!(152)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn gcp_billing_catalog_import_pages_with_the_key_from_the_environment() {
    use wiremock::matchers::{method, path, query_param};
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let server = MockServer::start().await;
    let sku = |description: &str, family: &str, usage: &str, unit: &str, nanos: u64| {
        format!(
            r#"{{"name":"services/6F81-5844-456A/skus/0000-0000-0000","skuId":"0000-0000-0000","description":"{description}","category":{{"serviceDisplayName":"Compute Engine","resourceFamily":"{family}","resourceGroup":"PDStandard","usageType":"{usage}"}},"serviceRegions":["us-central1"],"pricingInfo":[{{"summary":"","pricingExpression":{{"usageUnit":"{unit}","displayQuantity":1,"tieredRates":[{{"startUsageAmount":0,"unitPrice":{{"currencyCode":"USD","units":"0","nanos":{nanos}}}}}],"usageUnitDescription":"","baseUnit":"","baseUnitDescription":"","baseUnitConversionFactor":1}},"currencyConversionRate":1,"effectiveTime":"2024-08-01T10:00:00.000Z"}}],"serviceProviderName":"Google","geoTaxonomy":{{"type":"REGIONAL","regions":["us-central1"]}}}}"#
        )
    };
    let page1 = format!(
        r#"{{"skus":[{}],"nextPageToken":"page-2"}}"#,
        sku(
            "Storage PD Capacity",
            "Storage",
            "OnDemand",
            "GiBy.mo",
            50_000_000
        )
    );
    let page2 = format!(
        r#"{{"skus":[{}],"nextPageToken":""}}"#,
        sku(
            "SSD backed PD Capacity",
            "Storage",
            "OnDemand",
            "GiBy.mo",
            200_000_000
        )
    );
    Mock::given(method("GET"))
        .and(path("/v1/services/6F81-5844-456A/skus"))
        .and(query_param("key", "test-key"))
        .and(query_param("pageToken", "page-2"))
        .respond_with(ResponseTemplate::new(200).set_body_string(page2))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/services/6F81-5844-456A/skus"))
        .and(query_param("key", "test-key"))
        .respond_with(ResponseTemplate::new(200).set_body_string(page1))
        .mount(&server)
        .await;
    let out = tempfile::tempdir().unwrap();
    let out_dir = out.path().to_str().unwrap().to_string();
    let base = format!("{}/v1", server.uri());
    let run = move |key: Option<&'static str>| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_driftcost"));
        cmd.args([
            "pricing",
            "import",
            "--gcp-billing",
            "--gcp-billing-url",
            &base,
            "--gcp-service",
            "6F81-5844-456A",
            "--gcp-api-key-env",
            "DRIFTCOST_TEST_GCP_KEY",
            "--out",
            &out_dir,
        ])
        .env_remove("DRIFTCOST_TEST_GCP_KEY");
        if let Some(k) = key {
            cmd.env("DRIFTCOST_TEST_GCP_KEY", k);
        }
        cmd.output().unwrap()
    };
    let run2 = run.clone();
    let missing = tokio::task::spawn_blocking(move || run2(None))
        .await
        .unwrap();
    assert_eq!(missing.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&missing.stderr).contains("$DRIFTCOST_TEST_GCP_KEY"),
        "{missing:?}"
    );
    let ok = tokio::task::spawn_blocking(move || run(Some("test-key")))
        .await
        .unwrap();
    let stdout = String::from_utf8_lossy(&ok.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&ok.stderr).into_owned();
    assert_eq!(ok.status.code(), Some(0), "{stdout}{stderr}");
    assert!(
        stdout.contains("2 page(s), 2 SKUs read, 2 prices kept"),
        "{stdout}"
    );
    assert!(!stdout.contains("test-key") && !stderr.contains("test-key"));
    // pd-standard at the imported $0.05: 200 GB data disk = $10.00 instead of $8.00
    let r = breakdown_priced_from("plan_gcp_workspace_create.json", out.path()).await;
    assert_eq!(
        money(&resource(&r, "google_compute_disk.data")["monthlyCost"]),
        dec!(10)
    );
}

/// A Redis cache in a region the shipped tables have no Azure Redis price
/// for: the missing price names the Retail import, and the import fills it
/// (Redis was one of the families the importer used to drop).
#[tokio::test(flavor = "multi_thread")]
async fn azure_retail_import_fills_a_redis_price_the_shipped_tables_lack() {
    use wiremock::matchers::{method, path, query_param};
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.json");
    std::fs::write(
        &plan,
        r#"{"format_version":"1.2","terraform_version":"1.11.0","planned_values":{"root_module":{"resources":[
        {"address":"azurerm_redis_cache.sea","mode":"managed","type":"azurerm_redis_cache","name":"sea",
         "provider_name":"registry.terraform.io/hashicorp/azurerm","schema_version":0,
         "values":{"name":"sea-cache","location":"southeastasia","resource_group_name":"rg","capacity":3,"family":"C","sku_name":"Standard"},
         "sensitive_values":{}}]}},
        "resource_changes":[{"address":"azurerm_redis_cache.sea","mode":"managed","type":"azurerm_redis_cache","name":"sea",
         "provider_name":"registry.terraform.io/hashicorp/azurerm","change":{"actions":["create"],"before":null,
         "after":{"name":"sea-cache","location":"southeastasia","resource_group_name":"rg","capacity":3,"family":"C","sku_name":"Standard"},
         "after_unknown":{"id":true},"before_sensitive":false,"after_sensitive":{}}}]}"#,
    )
    .unwrap();
    let plan_arg = plan.to_str().unwrap().to_string();
    let before = tokio::task::spawn_blocking(move || {
        driftcost(&["cost", "breakdown", "--plan", &plan_arg, "--format", "json"])
    })
    .await
    .unwrap();
    let said = format!("{}{}", before.1, before.2);
    assert!(said.contains("no price found"), "{said}");
    assert!(
        said.contains("serviceName eq 'Redis Cache' and armRegionName eq 'southeastasia'"),
        "{said}"
    );

    // One page as the Retail Prices API serves it: a Redis meter per 100
    // hours (converted to the shipped per-hour unit), a reservation (skipped).
    let item = |unit: &str, price: &str, kind: &str| {
        retail_item(&[
            ("armRegionName", "southeastasia"),
            ("location", "AP Southeast"),
            ("productId", "DZH315F9L8DR"),
            ("skuId", "DZH315F9L8DR/0009"),
            ("serviceName", "Redis Cache"),
            ("serviceId", "DZH317DC1K2K"),
            ("serviceFamily", "Databases"),
            ("productName", "Azure Redis Cache Standard"),
            ("skuName", "C3"),
            ("meterName", "C3 Cache"),
            ("unitOfMeasure", unit),
            ("retailPrice", price),
            ("type", kind),
        ])
    };
    let page = format!(
        r#"{{"BillingCurrency":"USD","CustomerEntityId":"Default","CustomerEntityType":"Retail","Items":[{},{}],"NextPageLink":null,"Count":2}}"#,
        item("100 Hours", "50", "Consumption"),
        item("1 Hour", "0.3", "Reservation"),
    );
    let server = MockServer::start().await;
    let filter = "serviceName eq 'Redis Cache' and armRegionName eq 'southeastasia'";
    Mock::given(method("GET"))
        .and(path("/api/retail/prices"))
        .and(query_param("$filter", filter))
        .respond_with(ResponseTemplate::new(200).set_body_string(page))
        .expect(1)
        .mount(&server)
        .await;
    let out = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) = import_azure_retail(&server, filter, out.path()).await;
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("2 prices read, 1 kept"), "{stdout}");
    // $50 per 100 hours = $0.50 per hour × 730 h
    let r = breakdown_priced_from(plan.to_str().unwrap(), out.path()).await;
    assert_eq!(
        money(&resource(&r, "azurerm_redis_cache.sea")["monthlyCost"]),
        dec!(365)
    );
}
