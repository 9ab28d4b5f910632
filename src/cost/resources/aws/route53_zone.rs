//! `aws_route53_zone`: a monthly charge per hosted zone, public or private.
//! Route 53 is a global service, so prices are looked up in region `global`.
//!
//! Defaults: each zone is priced at the rate of the first 25 zones of an
//! account ($0.50); the cheaper rate for zones beyond 25 depends on the whole
//! account, which one plan cannot see.

use crate::cost::{Attrs, ComponentSpec, Ctx, PriceFilter, Priced};
use rust_decimal::Decimal;

pub(crate) fn price(_attrs: &Attrs, _ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    p.push(ComponentSpec::monthly(
        "Hosted zone",
        "months",
        Decimal::ONE,
        PriceFilter::aws("AmazonRoute53", "DNS Zone", "global", "HostedZone")
            .attr("usagetype", "HostedZone"),
    ));
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::testing::price;
    use rust_decimal_macros::dec;
    use serde_json::json;

    #[test]
    fn a_zone_costs_the_first_tier_rate_in_any_region() {
        // 1 zone × $0.50 (first 25 zones).
        let r = price(
            "aws_route53_zone",
            json!({"name": "example.com"}),
            "eu-west-1",
            None,
        );
        assert_eq!(r.monthly_cost, Some(dec!(0.5)));
    }
}
