//! `azurerm_search_service`: search units per hour (`partition_count` ×
//! `replica_count`, each 1 when unset) at the `sku`'s rate, and image
//! extraction per 1,000 images (`monthly_images_extracted`) in the price
//! list's tiers (first 1M, next 4M, over 5M), as Infracost prices it. The
//! `free` sku costs nothing and shows no components.

use super::{filter, title_case};
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

const SERVICE: &str = "Azure Cognitive Search";
const FAMILY: &str = "Web";
const IMAGE_TIERS: &[&str] = &[
    "Image extraction (first 1M)",
    "Image extraction (next 4M)",
    "Image extraction (over 5M)",
];

/// The price list's `skuName` for a provider `sku`: `standard2` → `Standard S2`,
/// `storage_optimized_l1` → `Storage Optimized L1`, `basic` → `Basic`.
fn sku_name(sku: &str) -> String {
    let sku = sku.to_ascii_lowercase();
    let spaced = match sku.strip_prefix("standard") {
        Some(n) if !n.is_empty() => format!("standard s{n}"),
        _ => sku.replace('_', " "),
    };
    spaced
        .split(' ')
        .map(|w| {
            if w.len() <= 2 {
                w.to_ascii_uppercase()
            } else {
                title_case(w)
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let Some(sku) = attrs.str("sku") else {
        p.note("sku not known at plan time; the search service is not priced");
        return p;
    };
    if sku.eq_ignore_ascii_case("free") {
        p.note("the free sku costs nothing");
        return p;
    }
    let partitions = attrs.decimal("partition_count").unwrap_or(Decimal::ONE);
    let replicas = attrs.decimal("replica_count").unwrap_or(Decimal::ONE);
    let Some(units) = p.mul("partition_count × replica_count", partitions, replicas) else {
        return p;
    };
    let name = sku_name(sku);
    let plural = if units > Decimal::ONE {
        "units"
    } else {
        "unit"
    };
    p.push(ComponentSpec::hourly(
        format!("Search usage ({name}, {} {plural})", units.normalize()),
        "hours",
        units,
        filter(SERVICE, FAMILY, ctx.region, "Hrs").attr("skuName", name),
    ));
    p.push(
        ComponentSpec::usage(
            "Image extraction",
            "1000 images",
            ctx.usage
                .decimal("monthly_images_extracted")
                .map(|n| n / dec!(1000)),
            filter(SERVICE, FAMILY, ctx.region, "1K").attr("skuName", "Document Cracking"),
        )
        .tier_names(IMAGE_TIERS),
    );
    p
}

#[cfg(test)]
mod tests {
    use super::sku_name;
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    fn search(attrs: serde_json::Value, images: Option<u64>) -> crate::cost::ResourceCost {
        let usage = images.map(|n| {
            format!("version: 0.1\nresource_usage:\n  azurerm_search_service.test:\n    monthly_images_extracted: {n}\n")
        });
        price("azurerm_search_service", attrs, "eastus", usage.as_deref())
    }

    #[test]
    fn skus_read_as_the_price_list_names_them() {
        assert_eq!(sku_name("basic"), "Basic");
        assert_eq!(sku_name("standard2"), "Standard S2");
        assert_eq!(sku_name("storage_optimized_l1"), "Storage Optimized L1");
    }

    #[test]
    fn units_are_partitions_times_replicas() {
        // basic, 2 partitions × 2 replicas = 4 units: 2,920 h × $0.101 = $294.92
        let r = search(
            json!({"location": "eastus", "sku": "basic", "partition_count": 2, "replica_count": 2}),
            None,
        );
        let c = component(&r, "Search usage (Basic, 4 units)");
        assert_eq!(
            (c.monthly_quantity, c.monthly_cost),
            (Some(dec!(2920)), Some(dec!(294.92)))
        );
        // standard2, defaults to 1 unit: 730 h × $1.344 = $981.12
        let r = search(json!({"location": "eastus", "sku": "standard2"}), None);
        assert_eq!(
            component(&r, "Search usage (Standard S2, 1 unit)").monthly_cost,
            Some(dec!(981.12))
        );
    }

    #[test]
    fn image_extraction_is_tiered() {
        // 6M images = 6,000 × 1K: 1,000 × $1 + 4,000 × $0.80 + 1,000 × $0.65
        let r = search(
            json!({"location": "eastus", "sku": "storage_optimized_l1"}),
            Some(6_000_000),
        );
        assert_eq!(
            component(&r, "Search usage (Storage Optimized L1, 1 unit)").monthly_cost,
            Some(dec!(2802.47)) // 730 h × $3.839
        );
        for (name, qty, cost) in [
            ("Image extraction (first 1M)", dec!(1000), dec!(1000)),
            ("Image extraction (next 4M)", dec!(4000), dec!(3200)),
            ("Image extraction (over 5M)", dec!(1000), dec!(650)),
        ] {
            let c = component(&r, name);
            assert_eq!(
                (c.monthly_quantity, c.monthly_cost),
                (Some(qty), Some(cost))
            );
        }
        // 2M images: 1,000 × $1 + 1,000 × $0.80, no third tier
        let r = search(
            json!({"location": "eastus", "sku": "standard2"}),
            Some(2_000_000),
        );
        assert_eq!(r.all_components().len(), 3);
        assert_eq!(
            component(&r, "Image extraction (next 4M)").monthly_cost,
            Some(dec!(800))
        );
    }

    #[test]
    fn without_usage_images_wait_and_free_shows_nothing() {
        let r = search(
            json!({"location": "eastus", "sku": "storage_optimized_l1"}),
            None,
        );
        let c = component(&r, "Image extraction (first 1M)");
        assert_eq!(c.status, ComponentStatus::UsageMissing);
        assert_eq!(c.price, Some(dec!(1)));
        let r = search(json!({"location": "eastus", "sku": "free"}), None);
        assert!(r.all_components().is_empty());
    }
}
