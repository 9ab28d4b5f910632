//! `aws_cloudwatch_log_group`: log data ingested, stored (archived) and
//! scanned by Logs Insights queries. The `INFREQUENT_ACCESS` log class has a
//! lower ingestion rate; storage and Insights scans cost the same in both
//! classes.
//!
//! Usage (Infracost's keys): `monthly_data_ingested_gb`, `storage_gb`
//! (GB-months stored), `monthly_data_scanned_gb`. Defaults: each line without
//! its key is usage-based; `log_group_class` absent means `STANDARD`; the
//! `DELIVERY` class is priced like `STANDARD` (a note says so).

use crate::cost::{Attrs, ComponentSpec, Ctx, PriceFilter, Priced};

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let filter = |family, usagetype: &str, unit| {
        PriceFilter::aws("AmazonCloudWatch", family, ctx.region, unit).attr("usagetype", usagetype)
    };
    let mut p = Priced::default();
    let (name, ingest) = match attrs.str("log_group_class") {
        Some("INFREQUENT_ACCESS") => (
            "Data ingested (infrequent access)",
            "DataProcessingIA-Bytes",
        ),
        other => {
            if other == Some("DELIVERY") {
                p.note("DELIVERY log class priced at STANDARD rates");
            }
            ("Data ingested", "DataProcessing-Bytes")
        }
    };
    p.push(ComponentSpec::usage(
        name,
        "GB",
        ctx.usage.decimal("monthly_data_ingested_gb"),
        filter("Data Payload", ingest, "GB"),
    ));
    // Infracost's name and unit, so its readers match the line.
    p.push(ComponentSpec::usage(
        "Archival Storage",
        "GB",
        ctx.usage.decimal("storage_gb"),
        filter("Storage Snapshot", "TimedStorage-ByteHrs", "GB-Mo"),
    ));
    p.push(ComponentSpec::usage(
        "Insights queries data scanned",
        "GB",
        ctx.usage.decimal("monthly_data_scanned_gb"),
        filter("Data Payload", "DataScanned-Bytes", "GB"),
    ));
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    const USAGE: &str = "version: 0.1\nresource_usage:\n  aws_cloudwatch_log_group.test:\n    monthly_data_ingested_gb: 10\n    storage_gb: 100\n    monthly_data_scanned_gb: 200\n";

    #[test]
    fn standard_class_ingestion_storage_and_scans() {
        let r = price(
            "aws_cloudwatch_log_group",
            json!({"name": "/app", "retention_in_days": 30}),
            "us-east-1",
            Some(USAGE),
        );
        // 10 GB × $0.50 = $5.00; 100 GB-mo × $0.03 = $3.00; 200 GB × $0.005 = $1.00.
        assert_eq!(component(&r, "Data ingested").monthly_cost, Some(dec!(5)));
        assert_eq!(
            component(&r, "Archival Storage").monthly_cost,
            Some(dec!(3))
        );
        assert_eq!(
            component(&r, "Insights queries data scanned").monthly_cost,
            Some(dec!(1))
        );
        assert_eq!(r.monthly_cost, Some(dec!(9)));
    }

    #[test]
    fn infrequent_access_ingests_at_its_own_rate() {
        let r = price(
            "aws_cloudwatch_log_group",
            json!({"log_group_class": "INFREQUENT_ACCESS"}),
            "us-east-1",
            Some(USAGE),
        );
        // 10 GB × $0.25 = $2.50; + $3.00 storage + $1.00 scans = $6.50.
        assert_eq!(
            component(&r, "Data ingested (infrequent access)").monthly_cost,
            Some(dec!(2.5))
        );
        assert_eq!(r.monthly_cost, Some(dec!(6.5)));
    }

    #[test]
    fn everything_is_usage_based_without_usage() {
        let r = price("aws_cloudwatch_log_group", json!({}), "us-east-1", None);
        assert_eq!(r.monthly_cost, None);
        assert!(
            r.cost_components
                .iter()
                .all(|c| c.status == ComponentStatus::UsageMissing)
        );
    }
}
