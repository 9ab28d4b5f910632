//! Pages of the Google Cloud Billing Catalog API (`GET
//! https://cloudbilling.googleapis.com/v1/services/<SERVICE_ID>/skus?key=…&pageToken=…`):
//! a JSON object with `skus` and `nextPageToken` (empty on the last page).
//! The caller fetches (the binary does the network I/O); this turns one page
//! into table rows.
//!
//! Kept: SKUs of a (service display name, resource family) that
//! `src/pricing/families.rs` declares with a `description` attribute
//! (Compute Engine `Compute`/`Storage`/`Network`, Kubernetes Engine
//! `Compute`, Cloud SQL `ApplicationServices`), usage type `OnDemand` (→ `on_demand`) or `Preemptible`
//! (→ `preemptible`), one row per service region. The description loses its
//! location suffix (`… running in Americas` → `… running`, `Storage PD Capacity
//! in Belgium` → `Storage PD Capacity`). Prices are the last (paid) tier, as
//! Infracost prices them; `units` + `nanos` are read exactly. Units: `h` →
//! `Hrs`, `GiBy.mo` → `GB-Mo`, `mo` → `IOPS-Mo` for IOPS SKUs.
//!
//! Predefined machine types are not single SKUs in the catalog (they are
//! billed as vCPUs and memory), so `machineType` rows are not imported.

use super::super::families::family;
use super::{Added, ImportError, ImportedTables, TableRow};
use rust_decimal::Decimal;
use serde::Deserialize;
use std::fmt;
use std::sync::Arc;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Page {
    skus: Vec<Sku>,
    #[serde(default)]
    next_page_token: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Sku {
    #[serde(default)]
    description: String,
    category: Category,
    #[serde(default)]
    service_regions: Vec<String>,
    #[serde(default)]
    pricing_info: Vec<PricingInfo>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Category {
    #[serde(default)]
    service_display_name: String,
    #[serde(default)]
    resource_family: String,
    #[serde(default)]
    usage_type: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PricingInfo {
    #[serde(default)]
    effective_time: String,
    pricing_expression: PricingExpression,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PricingExpression {
    #[serde(default)]
    usage_unit: String,
    #[serde(default)]
    tiered_rates: Vec<TieredRate>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TieredRate {
    unit_price: Money,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Money {
    #[serde(default)]
    currency_code: String,
    /// int64 as a JSON string.
    #[serde(default)]
    units: Option<String>,
    #[serde(default)]
    nanos: i64,
}

/// What one page gave.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct GcpPage {
    pub skus: usize,
    pub kept: usize,
    pub skipped: usize,
    /// The next page's token; `None` on the last page.
    pub next_page_token: Option<String>,
}

impl fmt::Display for GcpPage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} SKUs read, {} prices kept, {} skipped (families driftcost does not price, commitments, other currencies or zero)",
            self.skus, self.kept, self.skipped
        )
    }
}

/// `Nvidia Tesla K80 GPU running in Americas` → `Nvidia Tesla K80 GPU running`.
pub(crate) fn strip_location(description: &str) -> &str {
    match description.rfind(" in ") {
        Some(i)
            if description[i + 4..]
                .chars()
                .next()
                .is_some_and(char::is_uppercase) =>
        {
            &description[..i]
        }
        _ => description,
    }
}

fn money(m: &Money) -> Option<Decimal> {
    let units: i64 = m.units.as_deref().unwrap_or("0").parse().ok()?;
    Some(Decimal::from(units) + Decimal::new(m.nanos, 9))
}

fn unit_of(usage_unit: &str, description: &str) -> Option<&'static str> {
    Some(match usage_unit {
        "h" => "Hrs",
        "GiBy.mo" => "GB-Mo",
        "mo" if description.contains("IOPS") => "IOPS-Mo",
        _ => return None,
    })
}

/// Adds the prices of one page; `source` names it in every row.
pub fn import_gcp_billing_page(
    body: &[u8],
    source: &str,
    tables: &mut ImportedTables,
) -> Result<GcpPage, ImportError> {
    let page: Page = serde_json::from_slice(body).map_err(|e| ImportError::Feed {
        page: source.to_string(),
        message: format!(
            "not a Cloud Billing Catalog SKU page ({e}); expected a JSON object with `skus` and `nextPageToken`"
        ),
    })?;
    let src: Arc<str> = Arc::from(source);
    let mut out = GcpPage {
        skus: page.skus.len(),
        next_page_token: page.next_page_token.filter(|t| !t.is_empty()),
        ..GcpPage::default()
    };
    for sku in &page.skus {
        let c = &sku.category;
        let declared = family(&c.service_display_name, &c.resource_family)
            .filter(|f| f.attributes == ["description"]);
        let purchase = match c.usage_type.as_str() {
            "OnDemand" => "on_demand",
            "Preemptible" => "preemptible",
            _ => "",
        };
        let info = sku.pricing_info.first();
        let rate = info.and_then(|i| i.pricing_expression.tiered_rates.last());
        let price = rate
            .filter(|r| r.unit_price.currency_code == "USD")
            .and_then(|r| money(&r.unit_price));
        let unit = info.and_then(|i| unit_of(&i.pricing_expression.usage_unit, &sku.description));
        let (Some(fam), false, Some(info), Some(price), Some(unit)) =
            (declared, purchase.is_empty(), info, price, unit)
        else {
            out.skipped += 1;
            continue;
        };
        if price <= Decimal::ZERO || sku.service_regions.is_empty() {
            out.skipped += 1;
            continue;
        }
        let table = match fam.service {
            "Kubernetes Engine" => "google/kubernetes_engine",
            "Cloud SQL" => "google/cloud_sql",
            _ => "google/compute_engine",
        };
        let description = strip_location(&sku.description).to_string();
        for region in &sku.service_regions {
            let row = TableRow {
                cloud: "google",
                service: fam.service.to_string(),
                product_family: fam.product_family.to_string(),
                region: region.clone(),
                attributes: vec![("description", description.clone())],
                purchase_option: purchase,
                unit: unit.to_string(),
                start: Decimal::ZERO,
                end: None,
                price,
                effective_date: info.effective_time.get(..10).unwrap_or("").to_string(),
                source: src.clone(),
            };
            if tables.add(table, row) == Added::Conflicting {
                out.skipped += 1;
            } else {
                out.kept += 1;
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;
    use serde_json::json;

    fn sku(
        description: &str,
        family: &str,
        usage: &str,
        unit: &str,
        tiers: serde_json::Value,
        regions: &[&str],
    ) -> serde_json::Value {
        json!({"name": "services/6F81-5844-456A/skus/X", "skuId": "X", "description": description,
               "category": {"serviceDisplayName": "Compute Engine", "resourceFamily": family,
                            "resourceGroup": "G", "usageType": usage},
               "serviceRegions": regions,
               "pricingInfo": [{"summary": "", "effectiveTime": "2024-08-01T10:00:00.000Z",
                   "pricingExpression": {"usageUnit": unit, "displayQuantity": 1, "tieredRates": tiers,
                       "usageUnitDescription": "", "baseUnit": "s", "baseUnitDescription": "second",
                       "baseUnitConversionFactor": 3600},
                   "currencyConversionRate": 1}],
               "serviceProviderName": "Google"})
    }

    fn rate(start: u32, units: &str, nanos: i64) -> serde_json::Value {
        json!({"startUsageAmount": start, "unitPrice": {"currencyCode": "USD", "units": units, "nanos": nanos}})
    }

    #[test]
    fn descriptions_lose_their_location() {
        assert_eq!(
            strip_location("Nvidia Tesla K80 GPU running in Americas"),
            "Nvidia Tesla K80 GPU running"
        );
        assert_eq!(
            strip_location("Storage PD Capacity in Belgium"),
            "Storage PD Capacity"
        );
        assert_eq!(strip_location("Storage PD Capacity"), "Storage PD Capacity");
    }

    #[test]
    fn a_page_becomes_rows_per_region_at_the_paid_tier() {
        let page = json!({"skus": [
            sku("Custom Instance Core running in Americas", "Compute", "OnDemand", "h",
                json!([rate(0, "0", 33174000)]), &["us-central1", "us-east1"]),
            sku("Storage PD Capacity", "Storage", "OnDemand", "GiBy.mo",
                json!([rate(0, "0", 0), rate(30, "0", 40000000)]), &["us-central1"]),
            sku("Commitment v1: Cpu in Americas for 1 Year", "Compute", "Commit1Yr", "h",
                json!([rate(0, "0", 19915000)]), &["us-central1"]),
            sku("Licensing Fee for Windows", "License", "OnDemand", "h",
                json!([rate(0, "0", 46000000)]), &["global"])
        ], "nextPageToken": "abc"});
        let mut t = ImportedTables::default();
        let got = import_gcp_billing_page(page.to_string().as_bytes(), "p1", &mut t).unwrap();
        assert_eq!((got.skus, got.kept, got.skipped), (4, 3, 2));
        assert_eq!(got.next_page_token.as_deref(), Some("abc"));
        let rows = t.rows("google/compute_engine");
        let core = rows
            .iter()
            .find(|r| r.attributes[0].1 == "Custom Instance Core running" && r.region == "us-east1")
            .unwrap();
        assert_eq!(core.price, dec!(0.033174));
        assert_eq!(core.unit, "Hrs");
        let pd = rows.iter().find(|r| r.unit == "GB-Mo").unwrap();
        assert_eq!(pd.price, dec!(0.04));
    }

    #[test]
    fn not_a_page_is_named() {
        let e = import_gcp_billing_page(
            b"{\"error\": {}}",
            "https://x/skus",
            &mut ImportedTables::default(),
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.starts_with("https://x/skus: not a Cloud Billing Catalog SKU page"),
            "{e}"
        );
    }
}
