//! `aws_route53_record`: DNS queries answered for the record, per million,
//! listed as Infracost lists them: standard, latency-based and geo queries,
//! each a line of its own read from its own usage key, whatever the record's
//! routing policy, named by tier ("Standard queries (first 1B)").
//! Queries to alias records that point at AWS resources are free, so alias
//! records get no cost line.
//!
//! Usage (Infracost's keys): `monthly_standard_queries`,
//! `monthly_latency_based_queries`, `monthly_geo_queries`. Without a key its
//! line is usage-based. Queries above 1B a month are a line of their own,
//! "(over 1B)", at the lower rate.

use crate::cost::{Attrs, ComponentSpec, Ctx, PriceFilter, Priced};
use rust_decimal_macros::dec;

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    if attrs.block("alias").is_some() {
        p.note("alias record: queries to AWS resources are free");
        return p;
    }
    for (name, usagetype, key) in [
        (
            "Standard queries",
            "DNS-Queries",
            "monthly_standard_queries",
        ),
        (
            "Latency based routing queries",
            "LBR-Queries",
            "monthly_latency_based_queries",
        ),
        ("Geo DNS queries", "Geo-Queries", "monthly_geo_queries"),
    ] {
        p.push(
            ComponentSpec::usage(
                name,
                "1M queries",
                ctx.usage.decimal(key),
                PriceFilter::aws("AmazonRoute53", "DNS Query", "global", "Queries")
                    .attr("usagetype", usagetype),
            )
            .per(dec!(1000000))
            .short_tier_labels(),
        );
    }
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    const USAGE: &str = "version: 0.1\nresource_usage:\n  aws_route53_record.test:\n    monthly_standard_queries: 10000000\n    monthly_latency_based_queries: 10000000\n    monthly_geo_queries: 10000000\n";

    /// Infracost's breakdowns list all three query lines on every record,
    /// named by tier: 10M of each × $0.40 / $0.60 / $0.70 per 1M = $17.00.
    #[test]
    fn every_query_kind_is_a_line_named_by_tier() {
        let r = price(
            "aws_route53_record",
            json!({"type": "A"}),
            "us-east-1",
            Some(USAGE),
        );
        let c = component(&r, "Standard queries (first 1B)");
        assert_eq!(c.monthly_quantity, Some(dec!(10)));
        assert_eq!(c.price, Some(dec!(0.4)));
        assert_eq!(c.monthly_cost, Some(dec!(4)));
        assert_eq!(
            component(&r, "Latency based routing queries (first 1B)").monthly_cost,
            Some(dec!(6))
        );
        assert_eq!(
            component(&r, "Geo DNS queries (first 1B)").monthly_cost,
            Some(dec!(7))
        );
        assert_eq!(r.monthly_cost, Some(dec!(17)));
    }

    #[test]
    fn alias_records_are_free_and_missing_usage_is_shown() {
        let alias = price(
            "aws_route53_record",
            json!({"alias": [{"name": "lb.example.com", "zone_id": "Z1"}]}),
            "us-east-1",
            Some(USAGE),
        );
        assert!(alias.cost_components.is_empty());
        let plain = price("aws_route53_record", json!({}), "us-east-1", None);
        for name in [
            "Standard queries (first 1B)",
            "Latency based routing queries (first 1B)",
            "Geo DNS queries (first 1B)",
        ] {
            assert_eq!(
                component(&plain, name).status,
                ComponentStatus::UsageMissing,
                "{name}"
            );
        }
        // Above 1B a month: "(over 1B)" at its own rate.
        let usage = "version: 0.1\nresource_usage:\n  aws_route53_record.test:\n    monthly_standard_queries: 1500000000\n";
        let big = price("aws_route53_record", json!({}), "us-east-1", Some(usage));
        let over = component(&big, "Standard queries (over 1B)");
        assert_eq!(over.monthly_quantity, Some(dec!(500)));
        assert_eq!(over.monthly_cost, Some(dec!(100)));
    }

    /// Infracost's `route53_record_test` golden, `my_record_withUsage`:
    /// 1.1B standard, 1.2B latency-based and 1.5B geo queries; the lines
    /// above 1B are 100 × $0.20, 200 × $0.30 and 500 × $0.35 per 1M.
    #[test]
    fn queries_above_a_billion_match_infracosts_golden() {
        let usage = "version: 0.1\nresource_usage:\n  aws_route53_record.test:\n    monthly_standard_queries: 1100000000\n    monthly_latency_based_queries: 1200000000\n    monthly_geo_queries: 1500000000\n";
        let r = price("aws_route53_record", json!({}), "us-east-1", Some(usage));
        let cost = |name: &str| component(&r, name).monthly_cost;
        assert_eq!(cost("Standard queries (over 1B)"), Some(dec!(20)));
        assert_eq!(
            cost("Latency based routing queries (over 1B)"),
            Some(dec!(60))
        );
        assert_eq!(cost("Geo DNS queries (over 1B)"), Some(dec!(175)));
        assert_eq!(r.monthly_cost, Some(dec!(1955)));
    }
}
