//! `google_storage_bucket`: Cloud Storage, all usage-based as Infracost
//! prices it: storage per GiB-month by class (`storage_class`, STANDARD
//! default) and location (`location`, US default; US/EU/ASIA and the dual
//! regions NAM4/EUR4/ASIA1 are multi-region for STANDARD), data retrieval for
//! NEARLINE/COLDLINE/ARCHIVE, and class A/B operations per 10,000.
//! Usage keys: `storage_gb`, `monthly_class_a_operations`,
//! `monthly_class_b_operations`, `monthly_data_retrieval_gb`.
//! Network egress (`monthly_egress_data_transfer_gb`) is not priced; noted
//! when the usage file gives it.

use super::filter;
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
    for (name, key, op_class) in [
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
    ] {
        p.push(ComponentSpec::usage(
            name,
            "10k operations",
            ctx.usage.decimal(key).map(|n| n / dec!(10000)),
            storage("Operations", "global", "10K")
                .attr("resourceGroup", ops)
                .attr("class", op_class),
        ));
    }
    if ctx
        .usage
        .decimal("monthly_egress_data_transfer_gb.same_continent")
        .is_some()
        || ctx
            .usage
            .decimal("monthly_egress_data_transfer_gb.worldwide")
            .is_some()
    {
        p.note("network egress from the bucket is not priced");
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use serde_json::json;

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
