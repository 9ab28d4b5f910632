//! `aws_sns_topic`: publish requests per million. Deliveries (to HTTP, email,
//! SMS, mobile push, …) are billed per subscription protocol and belong to
//! the subscriptions, which driftcost does not price here.
//!
//! Usage: `monthly_requests`. Defaults: without it the line is usage-based;
//! the account-wide free tier (first 1M requests) is not subtracted. FIFO
//! topics (`fifo_topic = true`) have their own publish and payload rates,
//! which are not in the pricing tables yet, so their line reports no price.

use crate::cost::{Attrs, ComponentSpec, Ctx, PriceFilter, Priced};
use rust_decimal_macros::dec;

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let (name, usagetype) = if attrs.bool("fifo_topic").unwrap_or(false) {
        ("Publish requests (FIFO)", "Requests-FIFO")
    } else {
        ("Requests", "Requests-Tier1")
    };
    let mut p = Priced::default();
    p.push(
        ComponentSpec::usage(
            name,
            "1M requests",
            ctx.usage.decimal("monthly_requests"),
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
        // 5M requests × $0.50 per 1M = $2.50.
        assert_eq!(r.monthly_cost, Some(dec!(2.5)));
        let none = price("aws_sns_topic", json!({}), "us-east-1", None);
        assert_eq!(
            component(&none, "Requests").status,
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
