//! `aws_s3_bucket`: everything is usage-based (stored GB and requests), keyed
//! by storage class the way Infracost's usage files nest them
//! (`standard.storage_gb`, `standard.monthly_tier_1_requests`, …).
//!
//! Defaults assumed: the Standard class is always listed (usage-based until the
//! usage file says); the other classes only when their usage keys are present.
//! Storage is tiered by the price table (first 50 TB, next 450 TB, over 500 TB).
//!
//! Usage: `standard.storage_gb`, `standard.monthly_tier_1_requests` (PUT, COPY,
//! POST, LIST), `standard.monthly_tier_2_requests` (GET and others),
//! `intelligent_tiering.frequent_access_storage_gb`,
//! `standard_infrequent_access.storage_gb`, `glacier_flexible_retrieval.storage_gb`.

use crate::cost::{Attrs, ComponentSpec, Ctx, PriceFilter, Priced};
use rust_decimal_macros::dec;

pub(crate) fn price(_attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let storage = |usagetype: &str| {
        PriceFilter::aws("AmazonS3", "Storage", ctx.region, "GB-Mo").attr("usagetype", usagetype)
    };
    let requests = |usagetype: &str| {
        PriceFilter::aws("AmazonS3", "API Request", ctx.region, "Requests")
            .attr("usagetype", usagetype)
    };
    let u = &ctx.usage;
    p.push(ComponentSpec::usage(
        "Standard storage",
        "GB",
        u.decimal("standard.storage_gb"),
        storage("TimedStorage-ByteHrs"),
    ));
    p.push(
        ComponentSpec::usage(
            "Standard PUT, COPY, POST, LIST requests",
            "1k requests",
            u.decimal("standard.monthly_tier_1_requests"),
            requests("Requests-Tier1"),
        )
        .per(dec!(1000)),
    );
    p.push(
        ComponentSpec::usage(
            "Standard GET, SELECT, and all other requests",
            "1k requests",
            u.decimal("standard.monthly_tier_2_requests"),
            requests("Requests-Tier2"),
        )
        .per(dec!(1000)),
    );
    for (key, name, usagetype) in [
        (
            "intelligent_tiering.frequent_access_storage_gb",
            "Intelligent-Tiering frequent access storage",
            "TimedStorage-INT-FA-ByteHrs",
        ),
        (
            "standard_infrequent_access.storage_gb",
            "Standard-IA storage",
            "TimedStorage-SIA-ByteHrs",
        ),
        (
            "glacier_flexible_retrieval.storage_gb",
            "Glacier Flexible Retrieval storage",
            "TimedStorage-GlacierByteHrs",
        ),
    ] {
        if let Some(gb) = u.decimal(key) {
            p.push(ComponentSpec::usage(
                name,
                "GB",
                Some(gb),
                storage(usagetype),
            ));
        }
    }
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    #[test]
    fn everything_is_usage_based_without_a_usage_file() {
        let r = price("aws_s3_bucket", json!({"bucket": "b"}), "us-east-1", None);
        assert_eq!(r.monthly_cost, None);
        let s = component(&r, "Standard storage");
        assert!(s.usage_based);
        assert_eq!(s.status, ComponentStatus::UsageMissing);
        assert_eq!(r.cost_components.len(), 3);
    }

    #[test]
    fn storage_crossing_50_tb_splits_into_tiers_and_requests_show_per_1k() {
        let usage = "version: 0.1\nresource_usage:\n  aws_s3_bucket.test:\n    standard:\n      storage_gb: 60000\n      monthly_tier_1_requests: 2000000\n      monthly_tier_2_requests: 10000000\n";
        let r = price(
            "aws_s3_bucket",
            json!({"bucket": "b"}),
            "us-east-1",
            Some(usage),
        );
        // First 51,200 GB × 0.023 = 1177.6
        let t1 = component(&r, "Standard storage (first 51,200 GB)");
        assert_eq!(t1.monthly_cost, Some(dec!(1177.6)));
        // Next 8,800 GB × 0.022 = 193.6
        let t2 = component(&r, "Standard storage (next 460,800 GB)");
        assert_eq!(t2.monthly_quantity, Some(dec!(8800)));
        assert_eq!(t2.monthly_cost, Some(dec!(193.6)));
        // 2,000,000 PUT × 0.000005 = 10 (shown as 2,000 × 0.005 per 1k)
        let put = component(&r, "Standard PUT, COPY, POST, LIST requests");
        assert_eq!(put.monthly_quantity, Some(dec!(2000)));
        assert_eq!(put.price, Some(dec!(0.005)));
        assert_eq!(put.monthly_cost, Some(dec!(10)));
        // 10,000,000 GET × 0.0000004 = 4
        assert_eq!(
            component(&r, "Standard GET, SELECT, and all other requests").monthly_cost,
            Some(dec!(4))
        );
        // 1177.6 + 193.6 + 10 + 4 = 1385.2
        assert_eq!(r.monthly_cost, Some(dec!(1385.2)));
    }

    #[test]
    fn other_classes_appear_with_their_usage() {
        let usage = "version: 0.1\nresource_usage:\n  aws_s3_bucket.test:\n    standard_infrequent_access:\n      storage_gb: 10\n";
        let r = price("aws_s3_bucket", json!({}), "ap-northeast-1", Some(usage));
        let ia = component(&r, "Standard-IA storage");
        assert_eq!(ia.status, ComponentStatus::NoPriceFound);
        assert!(
            ia.price_filter
                .to_string()
                .contains("TimedStorage-SIA-ByteHrs")
        );
    }
}
