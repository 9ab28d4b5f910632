//! `aws_kinesis_stream`: an on-demand stream bills stream hours plus data in,
//! out, enhanced fan-out out and retention; a provisioned stream bills shard
//! hours plus PUT payload units, retention, retrieval and enhanced fan-out.
//! The mode is `stream_mode_details.stream_mode` (terraform's default is
//! PROVISIONED).
//!
//! Usage (Infracost's keys): `monthly_on_demand_*` for on-demand streams and
//! `monthly_provisioned_*` for provisioned ones, see [`ON_DEMAND`] and
//! [`PROVISIONED`]; each line without its key stays usage-based.

use crate::cost::{Attrs, ComponentSpec, Ctx, PriceFilter, Priced};
use rust_decimal::Decimal;

/// (usage key, component name, unit, usagetype, operation, table unit)
type Line = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

const ON_DEMAND: &[Line] = &[
    (
        "monthly_on_demand_data_in_gb",
        "Data ingested",
        "GB",
        "OnDemand-BilledIncomingBytes",
        "OnDemandDataIngested",
        "GB",
    ),
    (
        "monthly_on_demand_data_out_gb",
        "Data retrieval",
        "GB",
        "OnDemand-BilledOutgoingBytes",
        "OnDemandDataRetrieval",
        "GB",
    ),
    (
        "monthly_on_demand_efo_data_out_gb",
        "Enhanced Fan Out (EFO) Data retrieval",
        "GB",
        "OnDemand-BilledOutgoingEFOBytes",
        "OnDemandEFODataRetrieval",
        "GB",
    ),
    (
        "monthly_on_demand_extended_retention_gb",
        "Extended retention (24H to 7D)",
        "GB",
        "OnDemand-ExtendedRetention-ByteHrs",
        "OnDemandExtendedRetentionByteHrs",
        "GB-Mo",
    ),
    (
        "monthly_on_demand_long_term_retention_gb",
        "Long term retention (7D+)",
        "GB",
        "OnDemand-LongTermRetention-ByteHrs",
        "OnDemandLongTermRetentionByteHrs",
        "GB-Mo",
    ),
];

const PROVISIONED: &[Line] = &[
    (
        "monthly_provisioned_put_units",
        "Put request unit",
        "units",
        "PutRequestPayloadUnits",
        "PutRequest",
        "PutRequest",
    ),
    (
        "monthly_provisioned_extended_retention_gb",
        "Extended retention (24H to 7D)",
        "GB",
        "Extended-ShardHour",
        "shardHourStorage",
        "GB-Mo",
    ),
    (
        "monthly_provisioned_long_term_retention_gb",
        "Long term retention (7D+)",
        "GB",
        "LongTermRetention-ByteHrs",
        "LongTermRetentionByteHrs",
        "GB-Mo",
    ),
    (
        "monthly_provisioned_long_term_retrieval_gb",
        "Extended retention retrieval (7D+)",
        "GB",
        "LongTermRetention-ReadBytes",
        "LongTermRetentionDataRetrieval",
        "GB",
    ),
    (
        "monthly_provisioned_efo_data_out_gb",
        "Enhanced Fan Out (EFO) Data retrieval",
        "GB",
        "ReadBytes",
        "EnhancedFanoutDataRetrieval",
        "GB",
    ),
    (
        "monthly_provisioned_efo_consumer_hours",
        "Enhanced Fan Out (EFO)",
        "consumer-shard hour",
        "EnhancedFanoutHour",
        "ConsumerHour",
        "ConsumerShardHour",
    ),
];

pub(crate) const USAGE_KEYS: &[&str] = &[
    "monthly_on_demand_data_in_gb",
    "monthly_on_demand_data_out_gb",
    "monthly_on_demand_efo_data_out_gb",
    "monthly_on_demand_extended_retention_gb",
    "monthly_on_demand_long_term_retention_gb",
    "monthly_provisioned_put_units",
    "monthly_provisioned_extended_retention_gb",
    "monthly_provisioned_long_term_retention_gb",
    "monthly_provisioned_long_term_retrieval_gb",
    "monthly_provisioned_efo_data_out_gb",
    "monthly_provisioned_efo_consumer_hours",
];

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let filter = |usagetype: &str, operation: &str, unit: &'static str| {
        PriceFilter::aws("AmazonKinesis", "Kinesis Streams", ctx.region, unit)
            .attr("usagetype", usagetype)
            .attr("operation", operation)
    };
    let on_demand = attrs
        .str("stream_mode_details.0.stream_mode")
        .is_some_and(|m| m.eq_ignore_ascii_case("ON_DEMAND"));
    let lines = if on_demand {
        p.push(ComponentSpec::hourly(
            "ON_DEMAND",
            "hours",
            Decimal::ONE,
            filter("OnDemand-StreamHour", "OnDemandStreamHr", "StreamHr"),
        ));
        ON_DEMAND
    } else {
        let shards = attrs.decimal("shard_count").unwrap_or(Decimal::ONE);
        p.push(ComponentSpec::hourly(
            "PROVISIONED",
            "hours",
            shards,
            filter("Storage-ShardHour", "shardHourStorage", "ShardHour"),
        ));
        PROVISIONED
    };
    for &(key, name, unit, usagetype, operation, table_unit) in lines {
        p.push(ComponentSpec::usage(
            name,
            unit,
            ctx.usage.decimal(key),
            filter(usagetype, operation, table_unit),
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

    #[test]
    fn usage_keys_are_the_lines_keys() {
        let keys: Vec<&str> = super::ON_DEMAND
            .iter()
            .chain(super::PROVISIONED)
            .map(|l| l.0)
            .collect();
        assert_eq!(keys, super::USAGE_KEYS);
    }

    #[test]
    fn provisioned_shard_hours_and_usage_lines() {
        let usage = "version: 0.1\nresource_usage:\n  aws_kinesis_stream.test:\n    monthly_provisioned_put_units: 6500000\n    monthly_provisioned_efo_consumer_hours: 100\n    monthly_provisioned_long_term_retrieval_gb: 100\n";
        let r = price(
            "aws_kinesis_stream",
            json!({"shard_count": 4, "stream_mode_details": [{"stream_mode": "PROVISIONED"}]}),
            "us-east-1",
            Some(usage),
        );
        // 4 shards × 730 h × $0.015 = $43.80.
        let s = component(&r, "PROVISIONED");
        assert_eq!(s.monthly_quantity, Some(dec!(2920)));
        assert_eq!(s.monthly_cost, Some(dec!(43.8)));
        // 6.5M units × $0.000000014 = $0.091.
        assert_eq!(
            component(&r, "Put request unit").monthly_cost,
            Some(dec!(0.091))
        );
        // 100 consumer-shard hours × $0.015 = $1.50; 100 GB × $0.021 = $2.10.
        assert_eq!(
            component(&r, "Enhanced Fan Out (EFO)").monthly_cost,
            Some(dec!(1.5))
        );
        assert_eq!(
            component(&r, "Extended retention retrieval (7D+)").monthly_cost,
            Some(dec!(2.1))
        );
        assert_eq!(
            component(&r, "Long term retention (7D+)").status,
            ComponentStatus::UsageMissing
        );
    }

    #[test]
    fn on_demand_stream_hours_and_data() {
        let usage = "version: 0.1\nresource_usage:\n  aws_kinesis_stream.test:\n    monthly_on_demand_data_in_gb: 0.2\n    monthly_on_demand_efo_data_out_gb: 2\n";
        let r = price(
            "aws_kinesis_stream",
            json!({"stream_mode_details": [{"stream_mode": "ON_DEMAND"}]}),
            "us-east-2",
            Some(usage),
        );
        // 730 h × $0.04 = $29.20; 0.2 GB × $0.08 = $0.016; 2 GB × $0.05 = $0.10.
        assert_eq!(component(&r, "ON_DEMAND").monthly_cost, Some(dec!(29.2)));
        assert_eq!(
            component(&r, "Data ingested").monthly_cost,
            Some(dec!(0.016))
        );
        assert_eq!(
            component(&r, "Enhanced Fan Out (EFO) Data retrieval").monthly_cost,
            Some(dec!(0.1))
        );
        assert_eq!(
            component(&r, "Data retrieval").status,
            ComponentStatus::UsageMissing
        );
        assert_eq!(r.cost_components.len(), 6);
    }
}
