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
//! - The other families our Azure types look up whose attributes are Retail
//!   fields (`MAPPED`): Redis, storage accounts (the meter after the SKU),
//!   App Service plans (`skuName` lower case without spaces, `Linux` when the
//!   product says so), AKS, Load Balancer, NAT Gateway, Private Link,
//!   Firewall, VPN Gateway, Key Vault, Container Registry, Functions, Cosmos
//!   DB (meters as [`cosmos_meter`] names them) and single SQL databases' DTUs (per day), MySQL/PostgreSQL flexible servers'
//!   storage, backup and IOPS. An
//!   item's `unitOfMeasure` is turned into the shipped rows' unit by an exact
//!   ratio (`100 Hours` → per hour, `10` executions → per million); a unit
//!   the family does not list is skipped.
//!
//! SQL Database vCore compute, storage and backups, MySQL/PostgreSQL flexible servers' compute, Log Analytics, DNS and
//! Application Gateway are not imported: their shipped keys (`gp_standard_…`
//! server SKUs, per-instance vCore prices, tiered data rows without a
//! product) are not Retail fields one to one, so a missing price there is
//! filled by a row in a `--pricing-dir` table ([`imports_family`] tells the
//! missing-price message which advice to give).
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
    // Items of the other families we price (see `MAPPED`).
    let other = || {
        let (family, attributes) = family_of(item)?;
        let (unit, factor) = family
            .units
            .iter()
            .find(|(api, _, _)| *api == item.unit_of_measure)
            .map(|(_, unit, factor)| (*unit, *factor))?;
        let mut r = row(family.service, family.family, attributes, unit);
        // The item's unit of measure scaled to the shipped one: a
        // power-of-ten ratio, exact in Decimal.
        if factor != (1, 1) {
            r.price = (price * Decimal::from(factor.0) / Decimal::from(factor.1)).normalize();
        }
        Some((family.table, r))
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
            other()
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
        _ => other(),
    }
}

/// How the items of one of our families become rows: the table, the family
/// and, per Retail `unitOfMeasure` this family takes, the shipped unit and
/// the ratio (multiply, divide) that turns the item's price into it.
struct Mapped {
    table: &'static str,
    service: &'static str,
    family: &'static str,
    units: &'static [(&'static str, &'static str, (i64, i64))],
}

const HOURS: &[(&str, &str, (i64, i64))] =
    &[("1 Hour", "Hrs", (1, 1)), ("100 Hours", "Hrs", (1, 100))];
const HOURS_GB: &[(&str, &str, (i64, i64))] = &[
    ("1 Hour", "Hrs", (1, 1)),
    ("100 Hours", "Hrs", (1, 100)),
    ("1 GB", "GB", (1, 1)),
];

const FLEXIBLE_STORAGE: &[(&str, &str, (i64, i64))] = &[
    ("1 GB/Month", "GB-Mo", (1, 1)),
    ("1 IOPS/Month", "IOPS-Mo", (1, 1)),
];

/// The families filled from the Retail Prices API besides virtual machines,
/// managed/ultra disks and IP addresses (see [`row_of`]).
const MAPPED: &[Mapped] = &[
    Mapped {
        table: "azure/redis_cache",
        service: "Redis Cache",
        family: "Cache",
        units: HOURS,
    },
    Mapped {
        table: "azure/storage",
        service: "Storage",
        family: "Storage",
        units: &[
            ("1 GB/Month", "GB", (1, 1)),
            ("1 GB", "GB", (1, 1)),
            ("10K", "10K", (1, 1)),
            ("100K", "10K", (1, 10)),
            ("1M", "10K", (1, 100)),
        ],
    },
    Mapped {
        table: "azure/app_service",
        service: "Azure App Service",
        family: "Plans",
        units: HOURS,
    },
    Mapped {
        table: "azure/kubernetes_service",
        service: "Azure Kubernetes Service",
        family: "Compute",
        units: HOURS,
    },
    Mapped {
        table: "azure/load_balancer",
        service: "Load Balancer",
        family: "Load Balancer",
        units: HOURS_GB,
    },
    Mapped {
        table: "azure/networking",
        service: "Virtual Network",
        family: "NAT Gateway",
        units: HOURS_GB,
    },
    Mapped {
        table: "azure/networking",
        service: "Virtual Network",
        family: "Private Link",
        units: HOURS_GB,
    },
    Mapped {
        table: "azure/networking",
        service: "Azure Firewall",
        family: "Firewall",
        units: HOURS_GB,
    },
    Mapped {
        table: "azure/vpn_gateway",
        service: "VPN Gateway",
        family: "Networking",
        units: HOURS_GB,
    },
    Mapped {
        table: "azure/key_vault",
        service: "Key Vault",
        family: "Security",
        units: &[("10K", "10K", (1, 1)), ("1/Month", "Month", (1, 1))],
    },
    Mapped {
        table: "azure/container_registry",
        service: "Container Registry",
        family: "Containers",
        units: &[("1/Day", "Day", (1, 1)), ("1 GB/Month", "GB-Mo", (1, 1))],
    },
    Mapped {
        table: "azure/postgresql_flexible",
        service: "Azure Database for PostgreSQL",
        family: "Storage",
        units: FLEXIBLE_STORAGE,
    },
    Mapped {
        table: "azure/mysql_flexible",
        service: "Azure Database for MySQL",
        family: "Storage",
        units: FLEXIBLE_STORAGE,
    },
    Mapped {
        table: "azure/sql_database",
        service: "SQL Database",
        family: "DTU",
        units: &[("1/Day", "Day", (1, 1))],
    },
    Mapped {
        table: "azure/cosmos_db",
        service: "Azure Cosmos DB",
        family: "Databases",
        units: &[
            ("1 Hour", "Hrs", (1, 1)),
            ("1/Hour", "Hrs", (1, 1)),
            ("1 GB/Month", "GB", (1, 1)),
            ("1 GB", "GB", (1, 1)),
            ("10K", "10K", (1, 1)),
            ("1M", "1M", (1, 1)),
        ],
    },
    Mapped {
        table: "azure/functions",
        service: "Functions",
        family: "Compute",
        units: &[
            ("1 Hour", "Hrs", (1, 1)),
            ("1 GB Hour", "GB-Hrs", (1, 1)),
            ("1 GB Second", "GB-Second", (1, 1)),
            ("1M", "1M", (1, 1)),
            ("10", "1M", (100_000, 1)),
        ],
    },
];

/// Whether `pricing import --azure-retail` fills prices of this (service,
/// product family): the missing-price message names it only then.
pub fn imports_family(service: &str, product_family: &str) -> bool {
    const OWN: [(&str, &str); 5] = [
        ("Virtual Machines", "Compute"),
        ("Storage", "Managed Disks"),
        ("Storage", "Managed Disk Operations"),
        ("Storage", "Ultra Disks"),
        ("Virtual Network", "IP Addresses"),
    ];
    OWN.contains(&(service, product_family))
        || MAPPED
            .iter()
            .any(|m| m.service == service && m.family == product_family)
}

/// The storage account products our storage type looks up.
const STORAGE_PRODUCTS: &[&str] = &[
    "Blob Storage",
    "General Block Blob",
    "General Block Blob v2",
    "General Block Blob v2 Hierarchical Namespace",
    "Premium Block Blob",
    "Premium Block Blob v2 Hierarchical Namespace",
    "Files v2",
    "Premium Files",
];

/// The family an item belongs to and its attributes, in the families' names
/// and in the shipped rows' spelling; `None` for items of no family.
fn family_of(item: &Item) -> Option<(&'static Mapped, Vec<(&'static str, String)>)> {
    let (service, family, attributes) =
        match (item.service_name.as_str(), item.product_name.as_str()) {
            ("Redis Cache", p) if p.starts_with("Azure Redis Cache ") => (
                "Redis Cache",
                "Cache",
                vec![
                    ("productName", p.to_string()),
                    ("skuName", item.sku_name.clone()),
                ],
            ),
            ("Storage", p) if STORAGE_PRODUCTS.contains(&p) => {
                // "Hot LRS Data Stored" under skuName "Hot LRS": the meter is
                // what follows the SKU, as the shipped rows spell it.
                let meter = item
                    .meter_name
                    .strip_prefix(item.sku_name.as_str())
                    .map(str::trim_start)
                    .filter(|m| !m.is_empty())
                    .unwrap_or(&item.meter_name);
                (
                    "Storage",
                    "Storage",
                    vec![
                        ("productName", p.to_string()),
                        ("skuName", item.sku_name.clone()),
                        ("meterName", meter.to_string()),
                    ],
                )
            }
            ("Azure App Service", p) if p.ends_with(" Plan") || p.ends_with(" Plan - Linux") => {
                let os = if p.ends_with("Linux") {
                    "Linux"
                } else {
                    "Windows"
                };
                // "P1 v3" is the plan `p1v3` our type asks for.
                let sku: String = item
                    .sku_name
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .collect::<String>()
                    .to_ascii_lowercase();
                (
                    "Azure App Service",
                    "Plans",
                    vec![("skuName", sku), ("operatingSystem", os.to_string())],
                )
            }
            ("Azure Kubernetes Service", _) => (
                "Azure Kubernetes Service",
                "Compute",
                vec![("skuName", item.sku_name.clone())],
            ),
            ("Load Balancer", _) => ("Load Balancer", "Load Balancer", meter(item)),
            ("NAT Gateway", _) | ("Virtual Network", "NAT Gateway") => {
                ("Virtual Network", "NAT Gateway", meter(item))
            }
            ("Virtual Network", "Virtual Network Private Link") => {
                ("Virtual Network", "Private Link", meter(item))
            }
            ("Azure Firewall", _) => ("Azure Firewall", "Firewall", meter(item)),
            ("VPN Gateway", _) => ("VPN Gateway", "Networking", meter(item)),
            ("Key Vault", _) => ("Key Vault", "Security", sku_meter(item)),
            ("Container Registry", _) => ("Container Registry", "Containers", sku_meter(item)),
            ("Functions", _) => ("Functions", "Compute", meter(item)),
            // Flexible servers' storage, backup and IOPS meters (their compute is
            // priced per vCore there, per server SKU here: not imported).
            (s @ ("Azure Database for PostgreSQL" | "Azure Database for MySQL"), p)
                if p.contains("Flexible Server") && !p.ends_with("Compute") =>
            {
                let s = if s.ends_with("PostgreSQL") {
                    "Azure Database for PostgreSQL"
                } else {
                    "Azure Database for MySQL"
                };
                (s, "Storage", meter(item))
            }
            // Single databases' DTU meters ("S12 DTUs" under skuName "S12").
            ("SQL Database", p)
                if p.starts_with("SQL Database Single")
                    && (item.meter_name.ends_with(" DTU")
                        || item.meter_name.ends_with(" DTUs")) =>
            {
                (
                    "SQL Database",
                    "DTU",
                    vec![("skuName", item.sku_name.clone())],
                )
            }
            // Throughput, storage, analytical storage, backups and restores.
            ("Azure Cosmos DB", p) if p.starts_with("Azure Cosmos DB") => (
                "Azure Cosmos DB",
                "Databases",
                vec![
                    ("productName", p.to_string()),
                    ("skuName", item.sku_name.clone()),
                    ("meterName", cosmos_meter(&item.meter_name).to_string()),
                ],
            ),
            _ => return None,
        };
    let mapped = MAPPED
        .iter()
        .find(|m| m.service == service && m.family == family)?;
    Some((mapped, attributes))
}

/// A Cosmos DB meter as the shipped rows name it: storage and analytical
/// operations meters by what they end with (`Standard Data Stored` → `Data
/// Stored`), backups and restores by what they contain, as Infracost matches
/// them; other meters as the API names them.
fn cosmos_meter(meter: &str) -> &str {
    const ENDINGS: [&str; 3] = ["Data Stored", "Write Operations", "Read Operations"];
    const WITHIN: [&str; 2] = ["Continuous Backup", "Data Restore"];
    ENDINGS
        .into_iter()
        .find(|e| meter.ends_with(e))
        .or_else(|| WITHIN.into_iter().find(|w| meter.contains(w)))
        .unwrap_or(meter)
}

fn meter(item: &Item) -> Vec<(&'static str, String)> {
    vec![("meterName", item.meter_name.clone())]
}

fn sku_meter(item: &Item) -> Vec<(&'static str, String)> {
    vec![
        ("skuName", item.sku_name.clone()),
        ("meterName", item.meter_name.clone()),
    ]
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

#[cfg(test)]
mod family_tests {
    use super::*;
    use crate::pricing::families::family;
    use rust_decimal_macros::dec;
    use serde_json::json;

    /// One Retail Prices API item as the API spells it (eastus, pay-as-you-go).
    fn item(
        service: &str,
        product: &str,
        sku: &str,
        meter: &str,
        unit: &str,
        price: &str,
    ) -> String {
        let v = json!({"currencyCode": "USD", "tierMinimumUnits": 0.0, "retailPrice": 0, "unitPrice": 0,
            "armRegionName": "eastus", "location": "US East", "effectiveStartDate": "2024-05-01T00:00:00Z",
            "meterId": "m", "meterName": meter, "productId": "p", "skuId": "s", "productName": product,
            "skuName": sku, "serviceName": service, "serviceId": "x", "serviceFamily": "x",
            "unitOfMeasure": unit, "type": "Consumption", "isPrimaryMeterRegion": true, "armSkuName": ""});
        // The price as the API writes it (a JSON number, not a float we made).
        v.to_string()
            .replace("\"retailPrice\":0", &format!("\"retailPrice\":{price}"))
            .replace("\"unitPrice\":0", &format!("\"unitPrice\":{price}"))
    }

    fn in_region(item: String, region: &str) -> String {
        item.replace(
            r#""armRegionName":"eastus""#,
            &format!(r#""armRegionName":"{region}""#),
        )
    }

    fn import(items: &[String]) -> (AzurePage, ImportedTables) {
        let body = format!(
            r#"{{"Items": [{}], "NextPageLink": null}}"#,
            items.join(",")
        );
        let mut t = ImportedTables::default();
        let got = import_azure_retail_page(body.as_bytes(), "test page", &mut t).unwrap();
        (got, t)
    }

    /// The shipped row with this row's key (region, attributes, unit) in
    /// `pricing/azure/<file>.csv`: its tier start and price.
    fn shipped(file: &str, r: &TableRow) -> (Decimal, Decimal) {
        let (service, family, region, attributes, unit) =
            (&r.service, &r.product_family, &r.region, attrs(r), &r.unit);
        let text = std::fs::read_to_string(format!(
            "{}/pricing/azure/{file}.csv",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        let prefix = format!("azure,{service},{family},{region},{attributes},on_demand,{unit},");
        // The row with this tier start (the cell after the prefix).
        let line = text
            .lines()
            .filter_map(|l| l.strip_prefix(prefix.as_str()))
            .find(|rest| {
                rest.split(',')
                    .next()
                    .and_then(|c| Decimal::from_str(c).ok())
                    == Some(r.start)
            })
            .unwrap_or_else(|| panic!("no shipped row {prefix}{}", r.start));
        let cells: Vec<&str> = line.split(',').collect();
        (
            Decimal::from_str(cells[0]).unwrap(),
            Decimal::from_str(cells[2]).unwrap(),
        )
    }

    fn attrs(r: &TableRow) -> String {
        // The shipped files list attributes in the family's order.
        let f = family(&r.service, &r.product_family).expect("a known family");
        f.attributes
            .iter()
            .map(|a| {
                let v = &r
                    .attributes
                    .iter()
                    .find(|(k, _)| k == a)
                    .expect("attribute")
                    .1;
                format!("{a}={v}")
            })
            .collect::<Vec<_>>()
            .join(";")
    }

    fn assert_shipped(t: &ImportedTables, table: &str, file: &str) {
        let rows = t.rows(table);
        assert!(!rows.is_empty(), "nothing in {table}");
        for r in rows {
            let (start, price) = shipped(file, r);
            assert_eq!((r.start, r.price), (start, price), "{table}: {}", attrs(r));
        }
    }

    #[test]
    fn redis_storage_and_app_service_items_become_the_shipped_rows() {
        let (got, t) = import(&[
            item(
                "Redis Cache",
                "Azure Redis Cache Basic",
                "C4",
                "C4 Cache",
                "1 Hour",
                "0.21",
            ),
            item(
                "Redis Cache",
                "Azure Redis Cache Premium",
                "P1",
                "P1 Cache Instance",
                "1 Hour",
                "0.277",
            ),
            item(
                "Storage",
                "General Block Blob v2",
                "Cool LRS",
                "Cool LRS Data Stored",
                "1 GB/Month",
                "0.0152",
            ),
            item(
                "Storage",
                "General Block Blob v2",
                "Cool LRS",
                "Cool LRS Write Operations",
                "10K",
                "0.1",
            ),
            item(
                "Azure App Service",
                "Azure App Service Basic Plan",
                "B1",
                "B1",
                "1 Hour",
                "0.075",
            ),
            item(
                "Azure App Service",
                "Azure App Service Premium v3 Plan - Linux",
                "P1 v3",
                "P1 v3",
                "1 Hour",
                "0.155",
            ),
            item(
                "Azure Kubernetes Service",
                "Azure Kubernetes Service",
                "Standard",
                "Standard Uptime SLA",
                "1 Hour",
                "0.10",
            ),
            item(
                "Azure Firewall",
                "Azure Firewall",
                "Standard",
                "Standard Deployment",
                "1 Hour",
                "1.25",
            ),
            item(
                "VPN Gateway",
                "VPN Gateway",
                "VpnGw1",
                "VpnGw1",
                "1 Hour",
                "0.19",
            ),
            item(
                "Key Vault",
                "Key Vault",
                "Standard",
                "Operations",
                "10K",
                "0.03",
            ),
            item(
                "Functions",
                "Functions",
                "Premium",
                "vCPU Duration",
                "1 Hour",
                "0.173",
            ),
            item(
                "SQL Database",
                "SQL Database Single Standard",
                "S12",
                "S12 DTUs",
                "1/Day",
                "145.17",
            ),
            // vCore compute: its shipped key is not a Retail field, skipped.
            item(
                "SQL Database",
                "SQL Database Single/Elastic Pool General Purpose - Compute Gen5",
                "4 vCore",
                "vCore",
                "1 Hour",
                "0.5044",
            ),
        ]);
        let names = [
            "azure/redis_cache",
            "azure/storage",
            "azure/app_service",
            "azure/kubernetes_service",
            "azure/networking",
            "azure/vpn_gateway",
            "azure/key_vault",
            "azure/functions",
        ];
        let counts: Vec<usize> = names.iter().map(|n| t.rows(n).len()).collect();
        assert_eq!((got.kept, got.skipped), (12, 1), "{counts:?}");
        assert_shipped(&t, "azure/redis_cache", "redis_cache");
        assert_shipped(&t, "azure/storage", "storage");
        assert_shipped(&t, "azure/app_service", "app_service");
        assert_shipped(&t, "azure/kubernetes_service", "kubernetes_service");
        assert_shipped(&t, "azure/networking", "networking");
        assert_shipped(&t, "azure/vpn_gateway", "vpn_gateway");
        assert_shipped(&t, "azure/key_vault", "key_vault");
        assert_shipped(&t, "azure/functions", "functions");
        assert_shipped(&t, "azure/sql_database", "sql_database");
        assert_eq!(t.rows("azure/app_service").len(), 2);
    }

    #[test]
    fn other_unit_scales_are_converted_exactly_or_skipped() {
        let (got, t) = import(&[
            // Per 100 hours: the shipped rows are per hour.
            item(
                "Redis Cache",
                "Azure Redis Cache Standard",
                "C3",
                "C3 Cache",
                "100 Hours",
                "45",
            ),
            // Per 10 executions: the shipped row is per million.
            item(
                "Functions",
                "Functions",
                "Standard",
                "Total Executions",
                "10",
                "0.000002",
            ),
            // A scale no shipped row uses for this family.
            item(
                "Redis Cache",
                "Azure Redis Cache Standard",
                "C2",
                "C2 Cache",
                "1/Month",
                "100",
            ),
        ]);
        assert_eq!((got.kept, got.skipped), (2, 1));
        let redis = t.rows("azure/redis_cache");
        assert_eq!(
            (redis[0].unit.as_str(), redis[0].price),
            ("Hrs", dec!(0.45))
        );
        assert_shipped(&t, "azure/redis_cache", "redis_cache");
        let f = t.rows("azure/functions");
        assert_eq!((f[0].unit.as_str(), f[0].price), ("1M", dec!(0.2)));
        assert_shipped(&t, "azure/functions", "functions");
    }

    #[test]
    fn flexible_server_storage_and_tiered_blob_capacity_become_the_shipped_rows() {
        let hot = |start: &str, price: &str| {
            in_region(
                item(
                    "Storage",
                    "Blob Storage",
                    "Hot LRS",
                    "Hot LRS Data Stored",
                    "1 GB/Month",
                    price,
                ),
                "westus",
            )
            .replace(
                r#""tierMinimumUnits":0.0"#,
                &format!(r#""tierMinimumUnits":{start}"#),
            )
        };
        let (got, t) = import(&[
            in_region(
                item(
                    "Azure Database for PostgreSQL",
                    "Azure Database for PostgreSQL Flexible Server Storage",
                    "Storage",
                    "Storage Data Stored",
                    "1 GB/Month",
                    "0.138",
                ),
                "westus",
            ),
            in_region(
                item(
                    "Azure Database for MySQL",
                    "Azure Database for MySQL Flexible Server Backup Storage",
                    "Backup Storage",
                    "Backup Storage Data Stored",
                    "1 GB/Month",
                    "0.095",
                ),
                "westus",
            ),
            // Per-vCore compute is not the per-server price the tables hold.
            item(
                "Azure Database for PostgreSQL",
                "Azure Database for PostgreSQL Flexible Server General Purpose Dsv3 Series Compute",
                "D4s v3",
                "vCore",
                "1 Hour",
                "0.0975",
            ),
            hot("0.0", "0.0208"),
            hot("51200.0", "0.019968"),
            hot("563200.0", "0.019136"),
        ]);
        assert_eq!((got.kept, got.skipped), (5, 1));
        assert_shipped(&t, "azure/postgresql_flexible", "postgresql_flexible");
        assert_shipped(&t, "azure/mysql_flexible", "mysql_flexible");
        assert_shipped(&t, "azure/storage", "storage");
        assert_eq!(t.rows("azure/storage").len(), 3);
        // Written, each tier ends where the next starts, as the shipped rows
        // do (the API gives only `tierMinimumUnits`): no tier is charged twice.
        let dir = tempfile::tempdir().unwrap();
        t.write(dir.path()).unwrap();
        let cells = |text: &str| -> Vec<String> {
            text.lines()
                .filter(|l| {
                    // Attributes in any order, as the loader takes them.
                    l.starts_with("azure,Storage,Storage,westus,")
                        && [
                            "productName=Blob Storage",
                            "skuName=Hot LRS",
                            "meterName=Data Stored",
                        ]
                        .iter()
                        .all(|a| l.contains(a))
                })
                .map(|l| l.split(',').skip(7).take(3).collect::<Vec<_>>().join(","))
                .collect()
        };
        let written = std::fs::read_to_string(dir.path().join("azure/storage.csv")).unwrap();
        let shipped = std::fs::read_to_string(format!(
            "{}/pricing/azure/storage.csv",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        assert_eq!(cells(&written), cells(&shipped));
        assert_eq!(cells(&written).len(), 3);
    }

    #[test]
    fn every_mapped_family_is_one_the_lookups_know() {
        for m in MAPPED {
            assert!(
                family(m.service, m.family).is_some(),
                "{} / {}",
                m.service,
                m.family
            );
            assert!(imports_family(m.service, m.family));
        }
        assert!(imports_family("SQL Database", "DTU"));
        assert!(!imports_family("SQL Database", "Compute"));
    }

    /// Cosmos DB's Retail meters (`Hot LRS`-style prefixes and suffixes on
    /// storage and operations meters dropped, as Infracost matches them)
    /// become the shipped rows' keys; either spelling of "per hour" is read.
    #[test]
    fn cosmos_db_items_become_the_shipped_rows() {
        let cosmos = |product: &str, sku: &str, meter: &str, unit: &str, price: &str| {
            in_region(
                item("Azure Cosmos DB", product, sku, meter, unit, price),
                "westus",
            )
        };
        let (got, t) = import(&[
            cosmos("Azure Cosmos DB", "RUs", "100 RU/s", "1/Hour", "0.008"),
            cosmos(
                "Azure Cosmos DB",
                "RUs",
                "Data Stored",
                "1 GB/Month",
                "0.25",
            ),
            cosmos("Azure Cosmos DB serverless", "RUs", "1M RUs", "1M", "0.279"),
            cosmos(
                "Azure Cosmos DB Analytics Storage",
                "Standard",
                "Standard Data Stored",
                "1 GB/Month",
                "0.03",
            ),
            cosmos(
                "Azure Cosmos DB Analytics Storage",
                "Standard",
                "Standard Write Operations",
                "10K",
                "0.055",
            ),
            cosmos(
                "Azure Cosmos DB Analytics Storage",
                "Standard",
                "Standard Read Operations",
                "10K",
                "0.0054",
            ),
            cosmos(
                "Azure Cosmos DB Snapshot",
                "Standard",
                "Data Stored",
                "1 GB/Month",
                "0.15",
            ),
            cosmos(
                "Azure Cosmos DB - PITR",
                "Backup",
                "Continuous Backup",
                "1 GB/Month",
                "0.20",
            ),
            // a unit our rows do not use is skipped, never scaled by a guess
            cosmos("Azure Cosmos DB", "RUs", "100 RU/s", "100/Month", "5.84"),
        ]);
        assert_eq!((got.kept, got.skipped), (8, 1));
        assert_shipped(&t, "azure/cosmos_db", "cosmos_db");
        let hourly = in_region(
            item(
                "Azure Cosmos DB",
                "Azure Cosmos DB",
                "RUs",
                "100 RU/s",
                "1 Hour",
                "0.008",
            ),
            "centralus",
        );
        let (_, t) = import(&[hourly]);
        assert_shipped(&t, "azure/cosmos_db", "cosmos_db");
        assert!(imports_family("Azure Cosmos DB", "Databases"));
    }
}
