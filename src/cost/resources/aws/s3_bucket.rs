//! `aws_s3_bucket`: everything is usage-based, one subresource per storage
//! class, with Infracost's names, units and usage keys (nested per class as
//! Infracost's usage files nest them: `standard.storage_gb`, …).
//!
//! Defaults assumed: the Standard class is always listed (usage-based until the
//! usage file says); the other classes only when the usage file has a section
//! for them. Standard storage is tiered by the price table (first 50 TB, next
//! 450 TB, over 500 TB).
//!
//! Usage keys per class (see [`CLASSES`]): `storage_gb` (or the Intelligent-
//! Tiering tiers' `*_storage_gb`), `monthly_tier_1_requests` (PUT, COPY, POST,
//! LIST), `monthly_tier_2_requests` (GET and others),
//! `monthly_lifecycle_transition_requests`, `monthly_data_retrieval_gb`,
//! `monthly_select_data_scanned_gb`, `monthly_select_data_returned_gb`,
//! Glacier's per-speed retrieval and Select keys, `monitored_objects`,
//! `early_delete_gb`.

use crate::cost::{Attrs, ComponentSpec, Ctx, PriceFilter, Priced};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

/// How a line is measured and which price family holds it.
#[derive(Clone, Copy)]
enum Measure {
    /// GB stored in the month (price family `Storage`).
    StoredGb,
    /// Requests, shown per 1,000 (`API Request`).
    Requests,
    /// GB scanned, returned or retrieved (`Fee`).
    DataGb,
    /// Objects monitored, shown per 1,000 (`Fee`).
    Objects,
}

/// One line of a storage class: name, usage key (inside the class's
/// section), measure, and the price list's `usagetype`.
type Line = (&'static str, &'static str, Measure, &'static str);

/// A storage class: usage-file section, subresource name, lines.
const CLASSES: &[(&str, &str, &[Line])] = {
    use Measure::*;
    &[
        (
            "standard",
            "Standard",
            &[
                ("Storage", "storage_gb", StoredGb, "TimedStorage-ByteHrs"),
                (
                    "PUT, COPY, POST, LIST requests",
                    "monthly_tier_1_requests",
                    Requests,
                    "Requests-Tier1",
                ),
                (
                    "GET, SELECT, and all other requests",
                    "monthly_tier_2_requests",
                    Requests,
                    "Requests-Tier2",
                ),
                (
                    "Select data scanned",
                    "monthly_select_data_scanned_gb",
                    DataGb,
                    "Select-Scanned-Bytes",
                ),
                (
                    "Select data returned",
                    "monthly_select_data_returned_gb",
                    DataGb,
                    "Select-Returned-Bytes",
                ),
            ],
        ),
        (
            "intelligent_tiering",
            "Intelligent tiering",
            &[
                (
                    "Storage (frequent access)",
                    "frequent_access_storage_gb",
                    StoredGb,
                    "TimedStorage-INT-FA-ByteHrs",
                ),
                (
                    "Storage (infrequent access)",
                    "infrequent_access_storage_gb",
                    StoredGb,
                    "TimedStorage-INT-IA-ByteHrs",
                ),
                (
                    "Storage (archive access)",
                    "archive_access_storage_gb",
                    StoredGb,
                    "TimedStorage-INT-AA-ByteHrs",
                ),
                (
                    "Storage (deep archive access)",
                    "deep_archive_access_storage_gb",
                    StoredGb,
                    "TimedStorage-INT-DAA-ByteHrs",
                ),
                (
                    "Monitoring and automation",
                    "monitored_objects",
                    Objects,
                    "Monitoring-Automation-INT",
                ),
                (
                    "PUT, COPY, POST, LIST requests",
                    "monthly_tier_1_requests",
                    Requests,
                    "Requests-INT-Tier1",
                ),
                (
                    "GET, SELECT, and all other requests",
                    "monthly_tier_2_requests",
                    Requests,
                    "Requests-INT-Tier2",
                ),
                (
                    "Lifecycle transition",
                    "monthly_lifecycle_transition_requests",
                    Requests,
                    "Requests-Tier4",
                ),
                (
                    "Select data scanned",
                    "monthly_select_data_scanned_gb",
                    DataGb,
                    "Select-Scanned-INT-Bytes",
                ),
                (
                    "Select data returned",
                    "monthly_select_data_returned_gb",
                    DataGb,
                    "Select-Returned-INT-Bytes",
                ),
                (
                    "Early delete (within 30 days)",
                    "early_delete_gb",
                    StoredGb,
                    "EarlyDelete-INT",
                ),
            ],
        ),
        (
            "standard_infrequent_access",
            "Standard - infrequent access",
            &[
                (
                    "Storage",
                    "storage_gb",
                    StoredGb,
                    "TimedStorage-SIA-ByteHrs",
                ),
                (
                    "PUT, COPY, POST, LIST requests",
                    "monthly_tier_1_requests",
                    Requests,
                    "Requests-SIA-Tier1",
                ),
                (
                    "GET, SELECT, and all other requests",
                    "monthly_tier_2_requests",
                    Requests,
                    "Requests-SIA-Tier2",
                ),
                (
                    "Lifecycle transition",
                    "monthly_lifecycle_transition_requests",
                    Requests,
                    "Requests-Tier4",
                ),
                (
                    "Retrievals",
                    "monthly_data_retrieval_gb",
                    DataGb,
                    "Retrieval-SIA",
                ),
                (
                    "Select data scanned",
                    "monthly_select_data_scanned_gb",
                    DataGb,
                    "Select-Scanned-SIA-Bytes",
                ),
                (
                    "Select data returned",
                    "monthly_select_data_returned_gb",
                    DataGb,
                    "Select-Returned-SIA-Bytes",
                ),
            ],
        ),
        (
            "one_zone_infrequent_access",
            "One zone - infrequent access",
            &[
                (
                    "Storage",
                    "storage_gb",
                    StoredGb,
                    "TimedStorage-ZIA-ByteHrs",
                ),
                (
                    "PUT, COPY, POST, LIST requests",
                    "monthly_tier_1_requests",
                    Requests,
                    "Requests-ZIA-Tier1",
                ),
                (
                    "GET, SELECT, and all other requests",
                    "monthly_tier_2_requests",
                    Requests,
                    "Requests-ZIA-Tier2",
                ),
                (
                    "Lifecycle transition",
                    "monthly_lifecycle_transition_requests",
                    Requests,
                    "Requests-Tier4",
                ),
                (
                    "Retrievals",
                    "monthly_data_retrieval_gb",
                    DataGb,
                    "Retrieval-ZIA",
                ),
                (
                    "Select data scanned",
                    "monthly_select_data_scanned_gb",
                    DataGb,
                    "Select-Scanned-ZIA-Bytes",
                ),
                (
                    "Select data returned",
                    "monthly_select_data_returned_gb",
                    DataGb,
                    "Select-Returned-ZIA-Bytes",
                ),
            ],
        ),
        (
            "glacier_flexible_retrieval",
            "Glacier flexible retrieval",
            &[
                (
                    "Storage",
                    "storage_gb",
                    StoredGb,
                    "TimedStorage-GlacierByteHrs",
                ),
                (
                    "PUT, COPY, POST, LIST requests",
                    "monthly_tier_1_requests",
                    Requests,
                    "Requests-GLACIER-Tier1",
                ),
                (
                    "GET, SELECT, and all other requests",
                    "monthly_tier_2_requests",
                    Requests,
                    "Requests-GLACIER-Tier2",
                ),
                (
                    "Lifecycle transition",
                    "monthly_lifecycle_transition_requests",
                    Requests,
                    "Requests-Tier3",
                ),
                (
                    "Retrieval requests (standard)",
                    "monthly_standard_data_retrieval_requests",
                    Requests,
                    "Requests-Tier3",
                ),
                (
                    "Retrievals (standard)",
                    "monthly_standard_data_retrieval_gb",
                    DataGb,
                    "Standard-Retrieval-Bytes",
                ),
                (
                    "Select data scanned (standard)",
                    "monthly_standard_select_data_scanned_gb",
                    DataGb,
                    "Std-Select-Scanned-Bytes",
                ),
                (
                    "Select data returned (standard)",
                    "monthly_standard_select_data_returned_gb",
                    DataGb,
                    "Std-Select-Returned-Bytes",
                ),
                (
                    "Retrieval requests (expedited)",
                    "monthly_expedited_data_retrieval_requests",
                    Requests,
                    "Requests-Tier6",
                ),
                (
                    "Retrievals (expedited)",
                    "monthly_expedited_data_retrieval_gb",
                    DataGb,
                    "Expedited-Retrieval-Bytes",
                ),
                (
                    "Select data scanned (expedited)",
                    "monthly_expedited_select_data_scanned_gb",
                    DataGb,
                    "Exp-Select-Scanned-Bytes",
                ),
                (
                    "Select data returned (expedited)",
                    "monthly_expedited_select_data_returned_gb",
                    DataGb,
                    "Exp-Select-Returned-Bytes",
                ),
                (
                    "Select data scanned (bulk)",
                    "monthly_bulk_select_data_scanned_gb",
                    DataGb,
                    "Bulk-Select-Scanned-Bytes",
                ),
                (
                    "Select data returned (bulk)",
                    "monthly_bulk_select_data_returned_gb",
                    DataGb,
                    "Bulk-Select-Returned-Bytes",
                ),
                (
                    "Early delete (within 90 days)",
                    "early_delete_gb",
                    StoredGb,
                    "EarlyDelete-ByteHrs",
                ),
            ],
        ),
        (
            "glacier_deep_archive",
            "Glacier deep archive",
            &[
                (
                    "Storage",
                    "storage_gb",
                    StoredGb,
                    "TimedStorage-GDA-ByteHrs",
                ),
                (
                    "PUT, COPY, POST, LIST requests",
                    "monthly_tier_1_requests",
                    Requests,
                    "Requests-GDA-Tier1",
                ),
                (
                    "GET, SELECT, and all other requests",
                    "monthly_tier_2_requests",
                    Requests,
                    "Requests-GDA-Tier2",
                ),
                (
                    "Lifecycle transition",
                    "monthly_lifecycle_transition_requests",
                    Requests,
                    "Requests-GDA-Tier1",
                ),
                (
                    "Retrieval requests (standard)",
                    "monthly_standard_data_retrieval_requests",
                    Requests,
                    "Requests-GDA-Tier3",
                ),
                (
                    "Retrievals (standard)",
                    "monthly_standard_data_retrieval_gb",
                    DataGb,
                    "Standard-Retrieval-Bytes",
                ),
                (
                    "Retrieval requests (bulk)",
                    "monthly_bulk_data_retrieval_requests",
                    Requests,
                    "Requests-GDA-Tier5",
                ),
                (
                    "Retrievals (bulk)",
                    "monthly_bulk_data_retrieval_gb",
                    DataGb,
                    "Bulk-Retrieval-Bytes",
                ),
                (
                    "Early delete (within 180 days)",
                    "early_delete_gb",
                    StoredGb,
                    "EarlyDelete-GDA",
                ),
            ],
        ),
    ]
};

/// Every usage key the classes read, dotted (`standard.storage_gb`).
pub(crate) fn usage_keys() -> &'static [&'static str] {
    static KEYS: std::sync::LazyLock<Vec<&'static str>> = std::sync::LazyLock::new(|| {
        CLASSES
            .iter()
            .flat_map(|(section, _, lines)| {
                lines.iter().map(move |(_, key, _, _)| {
                    &*Box::leak(format!("{section}.{key}").into_boxed_str())
                })
            })
            .collect()
    });
    &KEYS
}

/// The price-list offer a line is in: Glacier flexible retrieval's retrievals
/// and Select, and deep archive's retrievals, are sold in the Glacier offers
/// (the same usage type names mean other prices in each), everything else in
/// AmazonS3.
fn offer(section: &str, measure: Measure) -> &'static str {
    match (section, measure) {
        ("glacier_flexible_retrieval", Measure::DataGb) => "AmazonGlacier",
        ("glacier_deep_archive", Measure::DataGb) => "AmazonS3GlacierDeepArchive",
        _ => "AmazonS3",
    }
}

pub(crate) fn price(_attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    for (section, class_name, lines) in CLASSES {
        if *section != "standard" && !ctx.usage.has(section) {
            continue;
        }
        let components = lines
            .iter()
            .map(|(name, key, measure, usagetype)| {
                let quantity = ctx.usage.decimal(&format!("{section}.{key}"));
                let (family, unit, table_unit, per) = match measure {
                    Measure::StoredGb => ("Storage", "GB", "GB-Mo", Decimal::ONE),
                    Measure::Requests => ("API Request", "1k requests", "Requests", dec!(1000)),
                    Measure::DataGb => ("Fee", "GB", "GB", Decimal::ONE),
                    Measure::Objects => ("Fee", "1k objects", "Objects", dec!(1000)),
                };
                let filter =
                    PriceFilter::aws(offer(section, *measure), family, ctx.region, table_unit)
                        .attr("usagetype", *usagetype);
                ComponentSpec::usage(*name, unit, quantity, filter).per(per)
            })
            .collect();
        p.subresources.push((class_name.to_string(), components));
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
        let s = component(&r, "Standard: Storage");
        assert!(s.usage_based);
        assert_eq!(s.status, ComponentStatus::UsageMissing);
        // Infracost's bucket1: Standard's five lines, nothing else.
        assert_eq!(r.subresources.len(), 1);
        assert_eq!(r.all_components().len(), 5);
        let scanned = component(&r, "Standard: Select data scanned");
        assert_eq!(scanned.price, Some(dec!(0.002)));
        let returned = component(&r, "Standard: Select data returned");
        assert_eq!(returned.price, Some(dec!(0.0007)));
    }

    /// Infracost's `s3_bucket_test` golden (us-east-1), `bucket_withUsage`:
    /// every class and usage key; total $11,811.53 (lines rounded there to
    /// cents, so the sum of exact lines is compared).
    #[test]
    fn every_class_matches_infracosts_golden() {
        let mut usage = String::from("version: 0.1\nresource_usage:\n  aws_s3_bucket.test:\n");
        for (section, n, keys) in [
            (
                "standard",
                10000,
                &[
                    "storage_gb",
                    "monthly_tier_1_requests",
                    "monthly_tier_2_requests",
                    "monthly_select_data_scanned_gb",
                    "monthly_select_data_returned_gb",
                ][..],
            ),
            (
                "intelligent_tiering",
                20000,
                &[
                    "frequent_access_storage_gb",
                    "infrequent_access_storage_gb",
                    "archive_access_storage_gb",
                    "deep_archive_access_storage_gb",
                    "monthly_tier_1_requests",
                    "monthly_tier_2_requests",
                    "monthly_select_data_scanned_gb",
                    "monthly_select_data_returned_gb",
                    "monitored_objects",
                    "monthly_lifecycle_transition_requests",
                    "early_delete_gb",
                ][..],
            ),
            (
                "standard_infrequent_access",
                30000,
                &[
                    "storage_gb",
                    "monthly_tier_1_requests",
                    "monthly_tier_2_requests",
                    "monthly_lifecycle_transition_requests",
                    "monthly_data_retrieval_gb",
                    "monthly_select_data_scanned_gb",
                    "monthly_select_data_returned_gb",
                ][..],
            ),
            (
                "one_zone_infrequent_access",
                40000,
                &[
                    "storage_gb",
                    "monthly_tier_1_requests",
                    "monthly_tier_2_requests",
                    "monthly_lifecycle_transition_requests",
                    "monthly_data_retrieval_gb",
                    "monthly_select_data_scanned_gb",
                    "monthly_select_data_returned_gb",
                ][..],
            ),
            (
                "glacier_flexible_retrieval",
                50000,
                &[
                    "storage_gb",
                    "monthly_tier_1_requests",
                    "monthly_tier_2_requests",
                    "monthly_lifecycle_transition_requests",
                    "monthly_standard_select_data_scanned_gb",
                    "monthly_standard_select_data_returned_gb",
                    "monthly_bulk_select_data_scanned_gb",
                    "monthly_bulk_select_data_returned_gb",
                    "monthly_expedited_select_data_scanned_gb",
                    "monthly_expedited_select_data_returned_gb",
                    "monthly_standard_data_retrieval_requests",
                    "monthly_expedited_data_retrieval_requests",
                    "monthly_standard_data_retrieval_gb",
                    "monthly_expedited_data_retrieval_gb",
                    "early_delete_gb",
                ][..],
            ),
            (
                "glacier_deep_archive",
                60000,
                &[
                    "storage_gb",
                    "monthly_tier_1_requests",
                    "monthly_tier_2_requests",
                    "monthly_lifecycle_transition_requests",
                    "monthly_standard_data_retrieval_requests",
                    "monthly_bulk_data_retrieval_requests",
                    "monthly_standard_data_retrieval_gb",
                    "monthly_bulk_data_retrieval_gb",
                    "early_delete_gb",
                ][..],
            ),
        ] {
            usage.push_str(&format!("    {section}:\n"));
            for key in keys {
                usage.push_str(&format!("      {key}: {n}\n"));
            }
        }
        let r = price("aws_s3_bucket", json!({}), "us-east-1", Some(&usage));
        let check = |name: &str, qty, cost| {
            let c = component(&r, name);
            assert_eq!(c.monthly_quantity, Some(qty), "{name}");
            assert_eq!(c.monthly_cost.map(|m| m.round_dp(2)), Some(cost), "{name}");
        };
        check("Standard: Storage", dec!(10000), dec!(230.00));
        check(
            "Standard: PUT, COPY, POST, LIST requests",
            dec!(10),
            dec!(0.05),
        );
        check("Standard: Select data scanned", dec!(10000), dec!(20.00));
        check("Standard: Select data returned", dec!(10000), dec!(7.00));
        check(
            "Intelligent tiering: Storage (deep archive access)",
            dec!(20000),
            dec!(19.80),
        );
        check(
            "Intelligent tiering: Monitoring and automation",
            dec!(20),
            dec!(0.05),
        );
        check(
            "Intelligent tiering: Early delete (within 30 days)",
            dec!(20000),
            dec!(460.00),
        );
        check(
            "Standard - infrequent access: Retrievals",
            dec!(30000),
            dec!(300.00),
        );
        check(
            "One zone - infrequent access: Select data returned",
            dec!(40000),
            dec!(400.00),
        );
        check(
            "Glacier flexible retrieval: Retrieval requests (expedited)",
            dec!(50),
            dec!(500.00),
        );
        check(
            "Glacier flexible retrieval: Select data returned (bulk)",
            dec!(50000),
            dec!(125.00),
        );
        check(
            "Glacier deep archive: Retrievals (standard)",
            dec!(60000),
            dec!(1200.00),
        );
        check(
            "Glacier deep archive: Retrieval requests (bulk)",
            dec!(60),
            dec!(1.50),
        );
        assert_eq!(r.all_components().len(), 5 + 11 + 7 + 7 + 15 + 9);
        // 11,811.53 in the golden is the sum of its lines rounded to cents;
        // the exact lines sum to 11,811.526.
        assert_eq!(r.monthly_cost, Some(dec!(11811.526)));
    }

    /// The Glacier lines use the usage types AWS's price list has for them
    /// (checked against AWS's S3 usage-type table and Infracost's price
    /// filters, internal/resources/aws/s3_glacier_storage_class.go and
    /// s3_glacier_deep_archive_storage_class.go): Select on Glacier flexible
    /// retrieval is `Std-`/`Exp-`/`Bulk-Select-{Scanned,Returned}-Bytes` in the
    /// AmazonGlacier offer; deep archive retrievals are `Standard-Retrieval-Bytes`
    /// and `Bulk-Retrieval-Bytes` in the AmazonS3GlacierDeepArchive offer.
    #[test]
    fn glacier_lines_use_the_price_lists_usage_types() {
        let usage = "version: 0.1\nresource_usage:\n  aws_s3_bucket.test:\n    glacier_flexible_retrieval:\n      storage_gb: 1\n    glacier_deep_archive:\n      storage_gb: 1\n";
        let r = price(
            "aws_s3_bucket",
            json!({"bucket": "b"}),
            "us-east-1",
            Some(usage),
        );
        let f = |name: &str| component(&r, name).price_filter.to_string();
        for (name, service, usagetype) in [
            (
                "Glacier flexible retrieval: Select data scanned (standard)",
                "AmazonGlacier",
                "usagetype=Std-Select-Scanned-Bytes",
            ),
            (
                "Glacier flexible retrieval: Select data returned (expedited)",
                "AmazonGlacier",
                "usagetype=Exp-Select-Returned-Bytes",
            ),
            (
                "Glacier flexible retrieval: Select data scanned (bulk)",
                "AmazonGlacier",
                "usagetype=Bulk-Select-Scanned-Bytes",
            ),
            (
                "Glacier deep archive: Retrievals (standard)",
                "AmazonS3GlacierDeepArchive",
                "usagetype=Standard-Retrieval-Bytes",
            ),
            (
                "Glacier deep archive: Retrievals (bulk)",
                "AmazonS3GlacierDeepArchive",
                "usagetype=Bulk-Retrieval-Bytes",
            ),
        ] {
            let filter = f(name);
            assert!(
                filter.contains(service) && filter.contains(usagetype),
                "{name}: {filter}"
            );
        }
        let storage = f("Glacier flexible retrieval: Storage");
        assert!(
            storage.contains("AmazonS3")
                && storage.contains("usagetype=TimedStorage-GlacierByteHrs"),
            "{storage}"
        );
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
        let t1 = component(&r, "Standard: Storage (first 51,200 GB)");
        assert_eq!(t1.monthly_cost, Some(dec!(1177.6)));
        // Next 8,800 GB × 0.022 = 193.6
        let t2 = component(&r, "Standard: Storage (next 460,800 GB)");
        assert_eq!(t2.monthly_quantity, Some(dec!(8800)));
        assert_eq!(t2.monthly_cost, Some(dec!(193.6)));
        // 2,000,000 PUT × 0.000005 = 10 (shown as 2,000 × 0.005 per 1k)
        let put = component(&r, "Standard: PUT, COPY, POST, LIST requests");
        assert_eq!(put.monthly_quantity, Some(dec!(2000)));
        assert_eq!(put.price, Some(dec!(0.005)));
        assert_eq!(put.monthly_cost, Some(dec!(10)));
        // 10,000,000 GET × 0.0000004 = 4
        assert_eq!(
            component(&r, "Standard: GET, SELECT, and all other requests").monthly_cost,
            Some(dec!(4))
        );
        // 1177.6 + 193.6 + 10 + 4 = 1385.2
        assert_eq!(r.monthly_cost, Some(dec!(1385.2)));
    }

    #[test]
    fn other_classes_appear_with_their_usage() {
        let usage = "version: 0.1\nresource_usage:\n  aws_s3_bucket.test:\n    standard_infrequent_access:\n      storage_gb: 10\n";
        let r = price("aws_s3_bucket", json!({}), "ap-northeast-1", Some(usage));
        let ia = component(&r, "Standard - infrequent access: Storage");
        assert_eq!(ia.status, ComponentStatus::NoPriceFound);
        assert!(
            ia.price_filter
                .to_string()
                .contains("TimedStorage-SIA-ByteHrs")
        );
    }
}
