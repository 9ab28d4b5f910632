//! `aws_api_gateway_rest_api`: REST API requests per million, in AWS's volume
//! tiers (first 333M, next 667M, next 19B, over 20B).
//!
//! Usage (Infracost's key): `monthly_requests`; without it the line is
//! usage-based.

use crate::cost::{Attrs, ComponentSpec, Ctx, PriceFilter, Priced};
use rust_decimal_macros::dec;

pub(crate) fn price(_attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    p.push(
        ComponentSpec::usage(
            "Requests",
            "1M requests",
            ctx.usage.decimal("monthly_requests"),
            PriceFilter::aws("AmazonApiGateway", "API Calls", ctx.region, "Requests")
                .attr("usagetype", "ApiGatewayRequest"),
        )
        .per(dec!(1000000))
        .tier_names(&[
            "Requests (first 333M)",
            "Requests (next 667M)",
            "Requests (next 19B)",
            "Requests (over 20B)",
        ]),
    );
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    #[test]
    fn requests_fill_the_four_tiers() {
        let usage = "version: 0.1\nresource_usage:\n  aws_api_gateway_rest_api.test:\n    monthly_requests: 21000000000\n";
        let r = price(
            "aws_api_gateway_rest_api",
            json!({}),
            "us-east-1",
            Some(usage),
        );
        // 333 × $3.50 = $1,165.50; 667 × $2.80 = $1,867.60; 19,000 × $2.38 = $45,220;
        // 1,000 × $1.51 = $1,510 (per 1M requests).
        assert_eq!(
            component(&r, "Requests (first 333M)").monthly_cost,
            Some(dec!(1165.5))
        );
        assert_eq!(
            component(&r, "Requests (next 667M)").monthly_cost,
            Some(dec!(1867.6))
        );
        let t3 = component(&r, "Requests (next 19B)");
        assert_eq!(t3.monthly_quantity, Some(dec!(19000)));
        assert_eq!(t3.monthly_cost, Some(dec!(45220)));
        assert_eq!(
            component(&r, "Requests (over 20B)").monthly_cost,
            Some(dec!(1510))
        );
        assert_eq!(r.monthly_cost, Some(dec!(49763.1)));
    }

    #[test]
    fn small_or_missing_usage_is_the_first_tier() {
        let usage = "version: 0.1\nresource_usage:\n  aws_api_gateway_rest_api.test:\n    monthly_requests: 1000000\n";
        let r = price(
            "aws_api_gateway_rest_api",
            json!({}),
            "us-east-1",
            Some(usage),
        );
        // 1M × $3.50 per 1M = $3.50.
        assert_eq!(
            component(&r, "Requests (first 333M)").monthly_cost,
            Some(dec!(3.5))
        );
        let r = price("aws_api_gateway_rest_api", json!({}), "us-east-1", None);
        let c = component(&r, "Requests (first 333M)");
        assert_eq!(c.status, ComponentStatus::UsageMissing);
        assert_eq!(c.price, Some(dec!(3.5)));
    }
}
