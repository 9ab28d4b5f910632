//! Pages of the Azure Retail Prices API (`GET
//! https://prices.azure.com/api/retail/prices?$filter=…`, no auth): a JSON
//! object with `Items` (one price meter each) and `NextPageLink` (the URL of
//! the next page, `null` on the last). The caller fetches (the binary does
//! the network I/O); this turns one page into table rows.
//!
//! Kept, in the families' names (`src/pricing/families.rs`):
//! - `Virtual Machines` pay-as-you-go hours (`type = Consumption`, unit
//!   `1 Hour`), not Spot or Low Priority SKUs: `armSkuName` (lower case) and
//!   `operatingSystem` (`Windows` when the product name says so, else `Linux`).
//! - `Storage` managed disks (Standard HDD/SSD, Premium SSD): the disk per
//!   month (`skuName` such as `P4 LRS`) and disk operations per 10K; Ultra
//!   disks' capacity, IOPS and throughput per hour (`meterName` + replication).
//! - `Virtual Network` `IP Addresses` per hour, by `meterName`.
//!
//! Everything else, other currencies and zero prices are skipped and counted.

use super::{Added, ImportError, ImportedTables, TableRow};
use rust_decimal::Decimal;
use serde::Deserialize;
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Page {
    items: Vec<Item>,
    #[serde(default)]
    next_page_link: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Item {
    #[serde(default)]
    currency_code: String,
    #[serde(default)]
    tier_minimum_units: Option<serde_json::Number>,
    retail_price: serde_json::Number,
    #[serde(default)]
    arm_region_name: String,
    #[serde(default)]
    effective_start_date: String,
    #[serde(default)]
    meter_name: String,
    #[serde(default)]
    product_name: String,
    #[serde(default)]
    sku_name: String,
    #[serde(default)]
    service_name: String,
    #[serde(default)]
    unit_of_measure: String,
    #[serde(rename = "type", default)]
    price_type: String,
    #[serde(default)]
    arm_sku_name: String,
}

/// What one page gave.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct AzurePage {
    pub items: usize,
    pub kept: usize,
    pub skipped: usize,
    /// The next page's URL; `None` on the last page.
    pub next_page_link: Option<String>,
}

impl fmt::Display for AzurePage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} prices read, {} kept, {} skipped (other services, reservations, spot, other currencies or zero)",
            self.items, self.kept, self.skipped
        )
    }
}

/// The table row an item becomes, with its table name; `None` to skip.
fn row_of(item: &Item, source: &Arc<str>) -> Option<(&'static str, TableRow)> {
    let price = number(&item.retail_price)?;
    let start = match &item.tier_minimum_units {
        Some(n) => number(n)?,
        None => Decimal::ZERO,
    };
    if item.currency_code != "USD"
        || item.price_type != "Consumption"
        || item.arm_region_name.is_empty()
        || price <= Decimal::ZERO
    {
        return None;
    }
    let row = |service: &str, family: &str, attributes: Vec<(&'static str, String)>, unit: &str| {
        let mut attributes = attributes;
        attributes.sort();
        TableRow {
            cloud: "azure",
            service: service.to_string(),
            product_family: family.to_string(),
            region: item.arm_region_name.clone(),
            attributes,
            purchase_option: "on_demand",
            unit: unit.to_string(),
            start,
            end: None,
            price,
            effective_date: item
                .effective_start_date
                .get(..10)
                .unwrap_or("")
                .to_string(),
            source: source.clone(),
        }
    };
    match item.service_name.as_str() {
        "Virtual Machines" => {
            let spot = ["Spot", "Low Priority"]
                .iter()
                .any(|s| item.sku_name.ends_with(s));
            let expired = ["Expired", "Free"]
                .iter()
                .any(|s| item.meter_name.ends_with(s));
            if spot || expired || item.unit_of_measure != "1 Hour" || item.arm_sku_name.is_empty() {
                return None;
            }
            let os = if item.product_name.contains("Windows") {
                "Windows"
            } else {
                "Linux"
            };
            Some((
                "azure/virtual_machines",
                row(
                    "Virtual Machines",
                    "Compute",
                    vec![
                        ("armSkuName", item.arm_sku_name.to_ascii_lowercase()),
                        ("operatingSystem", os.to_string()),
                    ],
                    "Hrs",
                ),
            ))
        }
        "Storage" => {
            let managed = matches!(
                item.product_name.as_str(),
                "Standard HDD Managed Disks"
                    | "Standard SSD Managed Disks"
                    | "Premium SSD Managed Disks"
            );
            if managed {
                let sku = vec![("skuName", item.sku_name.clone())];
                if item.meter_name.ends_with("Disk Operations") && item.unit_of_measure == "10K" {
                    return Some((
                        "azure/managed_disks",
                        row("Storage", "Managed Disk Operations", sku, "10K"),
                    ));
                }
                let disk = format!("{} Disk", item.sku_name);
                if (item.meter_name == disk || item.meter_name == format!("{disk}s"))
                    && item.unit_of_measure == "1/Month"
                {
                    return Some((
                        "azure/managed_disks",
                        row("Storage", "Managed Disks", sku, "Month"),
                    ));
                }
                return None;
            }
            if item.product_name == "Ultra Disks" && item.unit_of_measure == "1 Hour" {
                let replication = item.sku_name.strip_prefix("Ultra ")?;
                let meter = [
                    "Provisioned Capacity",
                    "Provisioned IOPS",
                    "Provisioned Throughput (MBps)",
                ]
                .into_iter()
                .find(|m| item.meter_name.ends_with(m))?;
                return Some((
                    "azure/managed_disks",
                    row(
                        "Storage",
                        "Ultra Disks",
                        vec![("meterName", format!("{meter} {replication}"))],
                        "Hrs",
                    ),
                ));
            }
            None
        }
        "Virtual Network" if item.product_name.contains("IP Addresses") => {
            (item.unit_of_measure == "1 Hour").then(|| {
                (
                    "azure/ip_addresses",
                    row(
                        "Virtual Network",
                        "IP Addresses",
                        vec![("meterName", item.meter_name.clone())],
                        "Hrs",
                    ),
                )
            })
        }
        _ => None,
    }
}

/// A JSON number as written (`0.0104`), read exactly.
fn number(n: &serde_json::Number) -> Option<Decimal> {
    let text = n.to_string();
    Decimal::from_str(&text)
        .or_else(|_| Decimal::from_scientific(&text))
        .ok()
}

/// Adds the prices of one page; `source` names it in every row (the URL).
pub fn import_azure_retail_page(
    body: &[u8],
    source: &str,
    tables: &mut ImportedTables,
) -> Result<AzurePage, ImportError> {
    let page: Page = serde_json::from_slice(body).map_err(|e| ImportError::Feed {
        page: source.to_string(),
        message: format!(
            "not an Azure Retail Prices API page ({e}); expected a JSON object with `Items` and `NextPageLink`"
        ),
    })?;
    let src: Arc<str> = Arc::from(source);
    let mut out = AzurePage {
        items: page.items.len(),
        next_page_link: page.next_page_link.filter(|l| !l.is_empty()),
        ..AzurePage::default()
    };
    for item in &page.items {
        match row_of(item, &src) {
            Some((table, row)) => {
                if tables.add(table, row) != Added::Conflicting {
                    out.kept += 1;
                } else {
                    out.skipped += 1;
                }
            }
            None => out.skipped += 1,
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;
    use serde_json::json;

    fn item(
        service: &str,
        product: &str,
        sku: &str,
        meter: &str,
        arm_sku: &str,
        unit: &str,
        price: f64,
    ) -> serde_json::Value {
        json!({"currencyCode": "USD", "tierMinimumUnits": 0.0, "retailPrice": price, "unitPrice": price,
               "armRegionName": "eastus", "location": "US East", "effectiveStartDate": "2024-05-01T00:00:00Z",
               "meterId": "m", "meterName": meter, "productId": "p", "skuId": "s", "productName": product,
               "skuName": sku, "serviceName": service, "serviceId": "x", "serviceFamily": "Compute",
               "unitOfMeasure": unit, "type": "Consumption", "isPrimaryMeterRegion": true, "armSkuName": arm_sku})
    }

    #[test]
    fn a_page_becomes_rows_and_names_the_next_page() {
        let page = json!({"BillingCurrency": "USD", "CustomerEntityId": "Default", "CustomerEntityType": "Retail",
            "Items": [
                item("Virtual Machines", "Virtual Machines BS Series", "B1s", "B1s", "Standard_B1s", "1 Hour", 0.0104),
                item("Virtual Machines", "Virtual Machines BS Series Windows", "B1s", "B1s", "Standard_B1s", "1 Hour", 0.0146),
                item("Virtual Machines", "Virtual Machines BS Series", "B1s Spot", "B1s Spot", "Standard_B1s", "1 Hour", 0.0021),
                item("Storage", "Standard HDD Managed Disks", "S4 LRS", "S4 LRS Disk", "", "1/Month", 1.536),
                item("Storage", "Standard HDD Managed Disks", "S4 LRS", "S4 LRS Disk Operations", "", "10K", 0.0005),
                item("Virtual Network", "IP Addresses", "Standard", "Standard IPv4 Static Public IP", "", "1 Hour", 0.005),
                item("SQL Database", "SQL Database", "S0", "S0 DTUs", "", "1/Day", 0.4839)
            ],
            "NextPageLink": "https://prices.azure.com:443/api/retail/prices?$skip=100", "Count": 7});
        let mut t = ImportedTables::default();
        let got =
            import_azure_retail_page(page.to_string().as_bytes(), "test page", &mut t).unwrap();
        assert_eq!((got.items, got.kept, got.skipped), (7, 5, 2));
        assert_eq!(
            got.next_page_link.as_deref(),
            Some("https://prices.azure.com:443/api/retail/prices?$skip=100")
        );
        let vms = t.rows("azure/virtual_machines");
        assert_eq!(vms.len(), 2);
        assert_eq!(
            vms[0].attributes,
            vec![
                ("armSkuName", "standard_b1s".to_string()),
                ("operatingSystem", "Linux".to_string())
            ]
        );
        assert_eq!(vms[1].price, dec!(0.0146));
        let disks = t.rows("azure/managed_disks");
        assert_eq!(disks[0].unit, "Month");
        assert_eq!(disks[1].product_family, "Managed Disk Operations");
        assert_eq!(t.rows("azure/ip_addresses")[0].unit, "Hrs");
    }

    #[test]
    fn the_last_page_has_no_link_and_garbage_is_named() {
        let mut t = ImportedTables::default();
        let got = import_azure_retail_page(br#"{"Items": [], "NextPageLink": null}"#, "p", &mut t)
            .unwrap();
        assert_eq!(got.next_page_link, None);
        let e = import_azure_retail_page(b"<html>", "https://x/api", &mut t)
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("https://x/api: not an Azure Retail Prices API page"),
            "{e}"
        );
    }
}
