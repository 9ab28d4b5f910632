//! `aws_sns_topic`: publish requests per million. Deliveries (to HTTP, email,
//! SMS, mobile push, …) are billed per subscription protocol and belong to
//! the subscriptions, which driftcost does not price here.
//!
//! Usage: `monthly_requests`, `request_size_kb` (each 64 KB chunk bills as
//! one request, default 64). As in Infracost, standard topics bill "API
//! requests (over 1M)": the first 1M requests a month are free. FIFO
//! topics (`fifo_topic = true`) have their own publish and payload rates,
//! which are not in the pricing tables yet, so their line reports no price.

use crate::cost::{Attrs, ComponentSpec, Ctx, PriceFilter, Priced};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

/// Requests a month AWS does not bill (Infracost subtracts them per topic).
const FREE_REQUESTS: Decimal = dec!(1000000);

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let fifo = attrs.bool("fifo_topic").unwrap_or(false);
    let (name, usagetype) = if fifo {
        ("Publish requests (FIFO)", "Requests-FIFO")
    } else {
        ("API requests (over 1M)", "Requests-Tier1")
    };
    let mut p = Priced::default();
    let chunks = ctx
        .usage
        .decimal("request_size_kb")
        .filter(|kb| *kb > Decimal::ZERO)
        .map_or(Decimal::ONE, |kb| (kb / dec!(64)).ceil());
    let requests = ctx
        .usage
        .decimal("monthly_requests")
        .and_then(|r| p.mul("monthly_requests × request_size_kb", r, chunks))
        .map(|r| {
            if fifo {
                r
            } else {
                (r - FREE_REQUESTS).max(Decimal::ZERO)
            }
        });
    p.push(
        ComponentSpec::usage(
            name,
            "1M requests",
            requests,
            PriceFilter::aws("AmazonSNS", "API Request", ctx.region, "Requests")
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

    #[test]
    fn standard_topic_requests() {
        let usage =
            "version: 0.1\nresource_usage:\n  aws_sns_topic.test:\n    monthly_requests: 5000000\n";
        let r = price(
            "aws_sns_topic",
            json!({"name": "events"}),
            "us-east-1",
            Some(usage),
        );
        // Infracost's "API requests (over 1M)": (5M − 1M free) × $0.50 per 1M = $2.00.
        let c = component(&r, "API requests (over 1M)");
        assert_eq!(c.monthly_quantity, Some(dec!(4)));
        assert_eq!(r.monthly_cost, Some(dec!(2)));
        // 128 KB requests bill as two: (10M − 1M) × $0.50 per 1M = $4.50.
        let usage = "version: 0.1\nresource_usage:\n  aws_sns_topic.test:\n    monthly_requests: 5000000\n    request_size_kb: 128\n";
        let big = price("aws_sns_topic", json!({}), "us-east-1", Some(usage));
        assert_eq!(big.monthly_cost, Some(dec!(4.5)));
        let none = price("aws_sns_topic", json!({}), "us-east-1", None);
        assert_eq!(
            component(&none, "API requests (over 1M)").status,
            ComponentStatus::UsageMissing
        );
    }

    #[test]
    fn fifo_topics_are_shown_separately() {
        let r = price(
            "aws_sns_topic",
            json!({"fifo_topic": true}),
            "us-east-1",
            None,
        );
        assert!(component(&r, "Publish requests (FIFO)").usage_based);
    }
}
