//! `aws_kinesis_firehose_delivery_stream`: data ingested in AWS's volume tiers
//! (first 500 TB, next 1.5 PB, next 3 PB), plus format conversion when
//! `extended_s3_configuration.data_format_conversion_configuration` is on,
//! plus VPC data and per-AZ delivery hours when the Elasticsearch/OpenSearch
//! destination is in a VPC (one AZ per `vpc_config.subnet_ids` entry).
//!
//! Usage (Infracost's key): `monthly_data_ingested_gb`; every data line
//! without it stays usage-based.

use crate::cost::{Attrs, ComponentSpec, Ctx, PriceFilter, Priced};
use rust_decimal::Decimal;

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let filter = |group: &str, operation: &str, unit: &'static str| {
        PriceFilter::aws(
            "AmazonKinesisFirehose",
            "Kinesis Firehose",
            ctx.region,
            unit,
        )
        .attr("group", group)
        .attr("operation", operation)
    };
    let ingested = ctx.usage.decimal("monthly_data_ingested_gb");
    p.push(
        ComponentSpec::usage(
            "Data ingested",
            "GB",
            ingested,
            filter("Event-by-Event Processing", "", "GB"),
        )
        .tier_names(&[
            "Data ingested (first 500TB)",
            "Data ingested (next 1.5PB)",
            "Data ingested (next 3PB)",
        ]),
    );
    let conversion = attrs
        .block("extended_s3_configuration")
        .and_then(|s3| s3.block("data_format_conversion_configuration"))
        .is_some_and(|c| c.bool("enabled").unwrap_or(true));
    if conversion {
        p.push(ComponentSpec::usage(
            "Format conversion",
            "GB",
            ingested,
            filter("", "DataFormatConversion", "GB"),
        ));
    }
    let vpc = ["elasticsearch_configuration", "opensearch_configuration"]
        .iter()
        .find_map(|dest| attrs.block(dest).and_then(|d| d.block("vpc_config")));
    if let Some(vpc) = vpc {
        p.push(ComponentSpec::usage(
            "VPC data",
            "GB",
            ingested,
            filter("", "VpcBandwidth", "GB"),
        ));
        p.push(ComponentSpec::hourly(
            "VPC AZ delivery",
            "hours",
            Decimal::from(vpc.len("subnet_ids")),
            filter("", "RunVpcInstance", "Hrs"),
        ));
    }
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    fn all_options() -> serde_json::Value {
        json!({
            "extended_s3_configuration": [{"data_format_conversion_configuration": [{"enabled": true}]}],
            "elasticsearch_configuration": [{"vpc_config": [{"subnet_ids": ["a", "b"]}]}]
        })
    }

    #[test]
    fn every_line_with_usage_across_three_tiers() {
        let usage = "version: 0.1\nresource_usage:\n  aws_kinesis_firehose_delivery_stream.test:\n    monthly_data_ingested_gb: 7000000\n";
        let r = price(
            "aws_kinesis_firehose_delivery_stream",
            all_options(),
            "eu-west-2",
            Some(usage),
        );
        // 512,000 GB × $0.035 = $17,920; 1,536,000 × $0.03 = $46,080;
        // 4,952,000 × $0.024 = $118,848.
        assert_eq!(
            component(&r, "Data ingested (first 500TB)").monthly_cost,
            Some(dec!(17920))
        );
        assert_eq!(
            component(&r, "Data ingested (next 1.5PB)").monthly_cost,
            Some(dec!(46080))
        );
        let t3 = component(&r, "Data ingested (next 3PB)");
        assert_eq!(t3.monthly_quantity, Some(dec!(4952000)));
        assert_eq!(t3.monthly_cost, Some(dec!(118848)));
        // 7M GB × $0.021 = $147,000; 7M × $0.01 = $70,000; 2 AZ × 730 h × $0.011 = $16.06.
        assert_eq!(
            component(&r, "Format conversion").monthly_cost,
            Some(dec!(147000))
        );
        assert_eq!(component(&r, "VPC data").monthly_cost, Some(dec!(70000)));
        assert_eq!(
            component(&r, "VPC AZ delivery").monthly_cost,
            Some(dec!(16.06))
        );
    }

    #[test]
    fn plain_stream_without_usage_is_usage_based() {
        let r = price(
            "aws_kinesis_firehose_delivery_stream",
            json!({}),
            "eu-west-2",
            None,
        );
        assert_eq!(r.cost_components.len(), 1);
        let c = component(&r, "Data ingested (first 500TB)");
        assert_eq!(c.status, ComponentStatus::UsageMissing);
        assert_eq!(c.price, Some(dec!(0.035)));
        let off = json!({"extended_s3_configuration": [{"data_format_conversion_configuration": [{"enabled": false}]}]});
        let r = price(
            "aws_kinesis_firehose_delivery_stream",
            off,
            "eu-west-2",
            None,
        );
        assert_eq!(r.cost_components.len(), 1);
    }
}
