//! `aws_route53_record`: DNS queries answered for the record, per million.
//! The rate depends on the routing policy: latency-based and geo
//! (geolocation, geoproximity) records cost more than standard ones.
//! Queries to alias records that point at AWS resources are free, so alias
//! records get no cost line.
//!
//! Usage (Infracost's keys): `monthly_standard_queries`,
//! `monthly_latency_based_queries`, `monthly_geo_queries`; the one matching the
//! record's routing policy is read. Defaults: without it the line is
//! usage-based. Only the first-1B-queries tier is in the tables, so queries
//! above 1B a month are left out (a note says so).

use crate::cost::{Attrs, ComponentSpec, Ctx, PriceFilter, Priced};
use rust_decimal_macros::dec;

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    if attrs.block("alias").is_some() {
        p.note("alias record: queries to AWS resources are free");
        return p;
    }
    let (name, usagetype, key) = if attrs.block("latency_routing_policy").is_some() {
        (
            "Latency based routing queries",
            "LBR-Queries",
            "monthly_latency_based_queries",
        )
    } else if attrs.block("geolocation_routing_policy").is_some()
        || attrs.block("geoproximity_routing_policy").is_some()
    {
        ("Geo DNS queries", "Geo-Queries", "monthly_geo_queries")
    } else {
        (
            "Standard queries",
            "DNS-Queries",
            "monthly_standard_queries",
        )
    };
    let queries = ctx.usage.decimal(key);
    if queries.is_some_and(|q| q > dec!(1000000000)) {
        p.note("queries above 1B a month are not priced: that tier is not in the pricing tables");
    }
    p.push(
        ComponentSpec::usage(
            name,
            "1M queries",
            queries,
            PriceFilter::aws("AmazonRoute53", "DNS Query", "global", "Queries")
                .attr("usagetype", usagetype),
        )
        .per(dec!(1000000)),
    );
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    const USAGE: &str = "version: 0.1\nresource_usage:\n  aws_route53_record.test:\n    monthly_standard_queries: 10000000\n    monthly_latency_based_queries: 10000000\n    monthly_geo_queries: 10000000\n";

    #[test]
    fn standard_queries_per_million() {
        let r = price(
            "aws_route53_record",
            json!({"type": "A"}),
            "us-east-1",
            Some(USAGE),
        );
        // 10M queries × $0.40 per 1M = $4.00.
        let c = component(&r, "Standard queries");
        assert_eq!(c.monthly_quantity, Some(dec!(10)));
        assert_eq!(c.price, Some(dec!(0.4)));
        assert_eq!(r.monthly_cost, Some(dec!(4)));
    }

    #[test]
    fn routing_policy_picks_the_rate() {
        let latency = price(
            "aws_route53_record",
            json!({"latency_routing_policy": [{"region": "us-east-1"}]}),
            "us-east-1",
            Some(USAGE),
        );
        // 10M × $0.60 per 1M = $6.00.
        assert_eq!(latency.monthly_cost, Some(dec!(6)));
        let geo = price(
            "aws_route53_record",
            json!({"geolocation_routing_policy": [{"country": "DE"}]}),
            "us-east-1",
            Some(USAGE),
        );
        // 10M × $0.70 per 1M = $7.00.
        assert_eq!(
            component(&geo, "Geo DNS queries").monthly_cost,
            Some(dec!(7))
        );
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
        assert_eq!(
            component(&plain, "Standard queries").status,
            ComponentStatus::UsageMissing
        );
    }
}
