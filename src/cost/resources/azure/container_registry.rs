//! `azurerm_container_registry`: the registry per day by `sku` (Basic,
//! Standard, Premium; unset is Classic), each geo-replica location per day at
//! the same rate (`georeplications` blocks, or the older
//! `georeplication_locations` list), storage beyond what the SKU includes
//! (10 GB Basic and Classic, 100 GB Standard, 500 GB Premium; usage key
//! `storage_gb`) and build vCPU seconds (usage key `monthly_build_vcpu_hrs`).
//! A month is 30 days, as Infracost counts registry days.

use super::filter;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

const SERVICE: &str = "Container Registry";
const FAMILY: &str = "Containers";
const DAYS: Decimal = dec!(30);

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let sku = attrs
        .str("sku")
        .filter(|s| !s.is_empty())
        .unwrap_or("Classic");
    let included = match sku.to_ascii_lowercase().as_str() {
        "standard" => dec!(100),
        "premium" => dec!(500),
        _ => dec!(10),
    };
    let sku_filter = |unit: &'static str, meter: String| {
        filter(SERVICE, FAMILY, ctx.region, unit)
            .attr("skuName", sku.to_string())
            .attr("meterName", meter)
    };
    let replicas = attrs
        .len("georeplications")
        .max(attrs.len("georeplication_locations"));
    if replicas > 0 {
        let label = if replicas == 1 {
            "location"
        } else {
            "locations"
        };
        p.push(ComponentSpec::monthly(
            format!("Geo replication ({replicas} {label})"),
            "days",
            DAYS * Decimal::from(replicas),
            sku_filter("Day", format!("{sku} Registry Unit")),
        ));
    }
    p.push(ComponentSpec::monthly(
        format!("Registry usage ({sku})"),
        "days",
        DAYS,
        sku_filter("Day", format!("{sku} Registry Unit")),
    ));
    let storage = ctx.usage.decimal("storage_gb");
    // Within the included storage there is nothing to bill, so no line.
    if storage.is_none_or(|gb| gb > included) {
        p.push(ComponentSpec::usage(
            format!("Storage (over {included}GB)"),
            "GB",
            storage.map(|gb| gb - included),
            sku_filter("GB-Mo", "Data Stored".into()),
        ));
    }
    let build = match ctx.usage.decimal("monthly_build_vcpu_hrs") {
        Some(hours) => p.mul("monthly_build_vcpu_hrs × 3,600", hours, dec!(3600)),
        None => None,
    };
    p.push(ComponentSpec::usage(
        "Build vCPU",
        "seconds",
        build,
        sku_filter("Second", "Task vCPU Duration".into()),
    ));
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    fn registry(attrs: serde_json::Value, usage: Option<&str>) -> crate::cost::ResourceCost {
        price("azurerm_container_registry", attrs, "westeurope", usage)
    }

    #[test]
    fn premium_with_replicas_storage_and_builds() {
        let usage = "version: 0.1\nresource_usage:\n  azurerm_container_registry.test:\n    storage_gb: 550\n    monthly_build_vcpu_hrs: 150\n";
        let r = registry(
            json!({"location": "westeurope", "sku": "Premium",
                   "georeplications": [{"location": "eastus"}, {"location": "northeurope"}]}),
            Some(usage),
        );
        // 2 replicas × 30 days × $1.667 = $100.02; the registry 30 × $1.667 = $50.01
        let geo = component(&r, "Geo replication (2 locations)");
        assert_eq!(geo.monthly_quantity, Some(dec!(60)));
        assert_eq!(geo.monthly_cost, Some(dec!(100.02)));
        assert_eq!(
            component(&r, "Registry usage (Premium)").monthly_cost,
            Some(dec!(50.01))
        );
        // 550 − 500 included = 50 GB × $0.10 = $5.00
        let s = component(&r, "Storage (over 500GB)");
        assert_eq!(s.monthly_quantity, Some(dec!(50)));
        assert_eq!(s.monthly_cost, Some(dec!(5.00)));
        // 150 h × 3,600 = 540,000 s × $0.0001 = $54.00
        let b = component(&r, "Build vCPU");
        assert_eq!(b.monthly_quantity, Some(dec!(540000)));
        assert_eq!(b.monthly_cost, Some(dec!(54.00)));
    }

    #[test]
    fn basic_storage_within_the_included_10_gb_has_no_line_and_old_locations_count() {
        let usage = "version: 0.1\nresource_usage:\n  azurerm_container_registry.test:\n    storage_gb: 8\n";
        let r = registry(
            json!({"location": "westeurope", "sku": "Basic"}),
            Some(usage),
        );
        // 30 × $0.167 = $5.01
        assert_eq!(
            component(&r, "Registry usage (Basic)").monthly_cost,
            Some(dec!(5.01))
        );
        assert!(
            r.all_components()
                .iter()
                .all(|(n, _)| !n.starts_with("Storage"))
        );
        let r = registry(
            json!({"location": "westeurope", "sku": "Premium", "georeplication_locations": ["East US"]}),
            None,
        );
        assert_eq!(
            component(&r, "Geo replication (1 location)").monthly_quantity,
            Some(dec!(30))
        );
    }

    #[test]
    fn without_usage_storage_and_builds_wait_for_it() {
        let r = registry(json!({"location": "westeurope", "sku": "Basic"}), None);
        let s = component(&r, "Storage (over 10GB)");
        assert_eq!(s.status, ComponentStatus::UsageMissing);
        assert_eq!(s.price, Some(dec!(0.10)));
        assert_eq!(
            component(&r, "Build vCPU").status,
            ComponentStatus::UsageMissing
        );
    }

    #[test]
    fn unpriced_regions_and_classic_say_no_price() {
        let r = price(
            "azurerm_container_registry",
            json!({"location": "southeastasia", "sku": "Standard"}),
            "southeastasia",
            None,
        );
        assert_eq!(
            component(&r, "Registry usage (Standard)").status,
            ComponentStatus::NoPriceFound
        );
        let r = registry(json!({"location": "westeurope"}), None);
        assert_eq!(
            component(&r, "Registry usage (Classic)").status,
            ComponentStatus::NoPriceFound
        );
    }
}
