//! `google_storage_bucket`: Cloud Storage, all usage-based as Infracost
//! prices it: storage per GiB-month by class (`storage_class`, STANDARD
//! default) and location (`location`, US default; US/EU/ASIA and the dual
//! regions NAM4/EUR4/ASIA1 are multi-region for STANDARD), data retrieval for
//! NEARLINE/COLDLINE/ARCHIVE, and class A/B operations per 10,000.
//! Usage keys: `storage_gb`, `monthly_class_a_operations`,
//! `monthly_class_b_operations`, `monthly_data_retrieval_gb`.
//! Network egress (`monthly_egress_data_transfer_gb.<destination>`) is a
//! "Network egress" subresource (see [`super::network_egress`]).

use super::filter;
use super::network_egress::egress;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};
use rust_decimal_macros::dec;

/// The price region and resource group of a bucket's storage.
pub(crate) fn storage_group(location: &str, class: &str) -> (String, &'static str) {
    let region = location.to_ascii_lowercase();
    let group = match class {
        "NEARLINE" => "NearlineStorage",
        "COLDLINE" => "ColdlineStorage",
        "ARCHIVE" => "ArchiveStorage",
        _ if matches!(
            region.as_str(),
            "us" | "eu" | "asia" | "nam4" | "eur4" | "asia1"
        ) =>
        {
            "MultiRegionalStorage"
        }
        _ => "RegionalStorage",
    };
    let region = if region == "eu" && group == "MultiRegionalStorage" {
        "europe".to_string()
    } else {
        region
    };
    (region, group)
}

fn ops_group(class: &str) -> &'static str {
    match class {
        "MULTI_REGIONAL" => "MultiRegionalOps",
        "NEARLINE" => "NearlineOps",
        "COLDLINE" => "ColdlineOps",
        "ARCHIVE" => "ArchiveOps",
        _ => "RegionalOps",
    }
}

/// Class A and B operations per 10,000 of a bucket of storage class `class`,
/// from `monthly_class_a_operations` and `monthly_class_b_operations`.
pub(crate) fn operations(ctx: &Ctx, class: &str) -> Vec<ComponentSpec> {
    let ops = ops_group(class);
    [
        (
            "Object adds, bucket/object list (class A)",
            "monthly_class_a_operations",
            "A",
        ),
        (
            "Object gets, retrieve bucket/object metadata (class B)",
            "monthly_class_b_operations",
            "B",
        ),
    ]
    .into_iter()
    .map(|(name, key, op_class)| {
        ComponentSpec::usage(
            name,
            "10k operations",
            ctx.usage.decimal(key).map(|n| n / dec!(10000)),
            filter("Cloud Storage", "Operations", "global", "10K", "on_demand")
                .attr("resourceGroup", ops)
                .attr("class", op_class),
        )
    })
    .collect()
}

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let class = attrs
        .str("storage_class")
        .unwrap_or("STANDARD")
        .to_ascii_uppercase();
    let location = attrs.str("location").unwrap_or("US");
    let (region, group) = storage_group(location, &class);
    let storage =
        |family, region: &str, unit| filter("Cloud Storage", family, region, unit, "on_demand");
    p.push(ComponentSpec::usage(
        format!("Storage ({})", class.to_ascii_lowercase()),
        "GiB",
        ctx.usage.decimal("storage_gb"),
        storage("Storage", &region, "GB-Mo").attr("resourceGroup", group),
    ));
    let ops = ops_group(&class);
    if matches!(class.as_str(), "NEARLINE" | "COLDLINE" | "ARCHIVE") {
        p.push(ComponentSpec::usage(
            "Data retrieval",
            "GB",
            ctx.usage.decimal("monthly_data_retrieval_gb"),
            storage("Retrieval", "global", "GB").attr("resourceGroup", ops),
        ));
    }
    p.components.extend(operations(ctx, &class));
    p.subresources.push(egress(ctx));
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use serde_json::json;

    fn egress(r: &crate::cost::ResourceCost, name: &str) -> crate::cost::CostComponent {
        r.subresources
            .iter()
            .find(|s| s.name == "Network egress")
            .and_then(|s| s.cost_components.iter().find(|c| c.name == name))
            .cloned()
            .unwrap_or_else(|| panic!("no egress line {name}: {r:#?}"))
    }

    #[test]
    fn network_egress_is_split_into_infracosts_tiers() {
        // worldwide 12,500 GB: 1,024 × $0.12 = $122.88, 9,216 × $0.11 = $1,013.76,
        // 2,260 × $0.08 = $180.80; asia 1,500 GB: 1,024 × $0.12, 476 × $0.11 = $52.36;
        // same continent 550 × $0.02 = $11.00; china 50 × $0.23 = $11.50; australia 250 × $0.19 = $47.50
        let usage = "version: 0.1\nresource_usage:\n  google_storage_bucket.test:\n    monthly_egress_data_transfer_gb:\n      same_continent: 550\n      worldwide: 12500\n      asia: 1500\n      china: 50\n      australia: 250\n";
        let r = price(
            "google_storage_bucket",
            json!({"location": "ASIA", "storage_class": "COLDLINE"}),
            "us-central1",
            Some(usage),
        );
        for (name, gb, cost) in [
            ("Data transfer in same continent", dec!(550), dec!(11.00)),
            (
                "Data transfer to worldwide excluding Asia, Australia (first 1TB)",
                dec!(1024),
                dec!(122.88),
            ),
            (
                "Data transfer to worldwide excluding Asia, Australia (next 9TB)",
                dec!(9216),
                dec!(1013.76),
            ),
            (
                "Data transfer to worldwide excluding Asia, Australia (over 10TB)",
                dec!(2260),
                dec!(180.80),
            ),
            (
                "Data transfer to Asia excluding China, but including Hong Kong (first 1TB)",
                dec!(1024),
                dec!(122.88),
            ),
            (
                "Data transfer to Asia excluding China, but including Hong Kong (next 9TB)",
                dec!(476),
                dec!(52.36),
            ),
            (
                "Data transfer to China excluding Hong Kong (first 1TB)",
                dec!(50),
                dec!(11.50),
            ),
            (
                "Data transfer to Australia (first 1TB)",
                dec!(250),
                dec!(47.50),
            ),
        ] {
            let c = egress(&r, name);
            assert_eq!(c.monthly_quantity, Some(gb), "{name}");
            assert_eq!(
                c.monthly_cost.map(|c| c.normalize()),
                Some(cost.normalize()),
                "{name}"
            );
        }
        // Without usage: the first tier of each destination, usage-based, never $0.
        let r = price(
            "google_storage_bucket",
            json!({"location": "EU"}),
            "us-central1",
            None,
        );
        let c = egress(&r, "Data transfer to Australia (first 1TB)");
        assert_eq!(c.monthly_quantity, None);
        assert_eq!(c.status, ComponentStatus::UsageMissing);
        assert_eq!(r.subresources[0].cost_components.len(), 5);
    }

    #[test]
    fn multi_region_standard_with_usage() {
        // EU multi-region standard 150 GiB × $0.026 = $3.90; 40,000 class A = 4 × $0.05 = $0.20;
        // 20,000 class B = 2 × $0.004 = $0.008
        let usage = "version: 0.1\nresource_usage:\n  google_storage_bucket.test:\n    storage_gb: 150\n    monthly_class_a_operations: 40000\n    monthly_class_b_operations: 20000\n";
        let r = price(
            "google_storage_bucket",
            json!({"location": "EU"}),
            "us-central1",
            Some(usage),
        );
        assert_eq!(
            component(&r, "Storage (standard)").monthly_cost,
            Some(dec!(3.90))
        );
        let a = component(&r, "Object adds, bucket/object list (class A)");
        assert_eq!(a.monthly_quantity, Some(dec!(4)));
        assert_eq!(a.monthly_cost, Some(dec!(0.20)));
        assert_eq!(
            component(&r, "Object gets, retrieve bucket/object metadata (class B)").monthly_cost,
            Some(dec!(0.008))
        );
    }

    #[test]
    fn without_usage_everything_waits_and_cold_classes_add_retrieval() {
        let r = price("google_storage_bucket", json!({}), "us-central1", None);
        assert!(
            r.cost_components
                .iter()
                .all(|c| c.status == ComponentStatus::UsageMissing)
        );
        assert_eq!(r.monthly_cost, None);
        // coldline retrieval 250 GB × $0.02 = $5.00
        let usage = "version: 0.1\nresource_usage:\n  google_storage_bucket.test:\n    monthly_data_retrieval_gb: 250\n";
        let r = price(
            "google_storage_bucket",
            json!({"location": "US-CENTRAL1", "storage_class": "COLDLINE"}),
            "us-central1",
            Some(usage),
        );
        assert_eq!(
            component(&r, "Data retrieval").monthly_cost,
            Some(dec!(5.00))
        );
        assert_eq!(
            storage_group("US-CENTRAL1", "COLDLINE"),
            ("us-central1".to_string(), "ColdlineStorage")
        );
        assert_eq!(
            storage_group("EU", "STANDARD"),
            ("europe".to_string(), "MultiRegionalStorage")
        );
        assert_eq!(
            storage_group("europe-west1", "STANDARD").1,
            "RegionalStorage"
        );
    }
}
