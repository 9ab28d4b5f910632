//! `aws_sqs_queue`: requests per million; FIFO queues have their own rate.
//! Every 64 KB chunk of a request's payload is billed as one request.
//!
//! Usage (Infracost's keys): `monthly_requests`, `request_size_kb`.
//! Defaults: `request_size_kb` absent means one 64 KB chunk per request;
//! without `monthly_requests` the line is usage-based. The account-wide free
//! tier (first 1M requests a month) is not subtracted. Standard queues get
//! AWS's volume tiers; only the first FIFO tier (up to 100B requests) is in
//! the tables.

use crate::cost::{Attrs, ComponentSpec, Ctx, PriceFilter, Priced};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

const CHUNK_KB: Decimal = dec!(64);

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let (name, usagetype) = if attrs.bool("fifo_queue").unwrap_or(false) {
        // Infracost names both queue types' line "Requests"; the filter differs.
        ("Requests", "Requests-FIFO-Tier1")
    } else {
        ("Requests", "Requests-Tier1")
    };
    let chunks = ctx
        .usage
        .decimal("request_size_kb")
        .filter(|kb| *kb > Decimal::ZERO)
        .map_or(Decimal::ONE, |kb| (kb / CHUNK_KB).ceil());
    let mut p = Priced::default();
    let requests = ctx
        .usage
        .decimal("monthly_requests")
        .and_then(|r| p.mul("monthly_requests × request_size_kb", r, chunks));
    p.push(
        ComponentSpec::usage(
            name,
            "1M requests",
            requests,
            PriceFilter::aws("AWSQueueService", "API Request", ctx.region, "Requests")
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
    fn standard_queue_requests() {
        let usage = "version: 0.1\nresource_usage:\n  aws_sqs_queue.test:\n    monthly_requests: 10000000\n";
        let r = price(
            "aws_sqs_queue",
            json!({"fifo_queue": false}),
            "us-east-1",
            Some(usage),
        );
        // 10M requests × $0.40 per 1M = $4.00.
        assert_eq!(component(&r, "Requests").monthly_cost, Some(dec!(4)));
        assert_eq!(r.monthly_cost, Some(dec!(4)));
    }

    #[test]
    fn fifo_queue_with_large_payloads_counts_64kb_chunks() {
        let usage = "version: 0.1\nresource_usage:\n  aws_sqs_queue.test:\n    monthly_requests: 10000000\n    request_size_kb: 100\n";
        let r = price(
            "aws_sqs_queue",
            json!({"fifo_queue": true}),
            "us-east-1",
            Some(usage),
        );
        // 100 KB = 2 chunks of 64 KB → 20M billed requests × $0.50 per 1M = $10.00.
        let c = component(&r, "Requests");
        assert!(c.price_filter.to_string().contains("Requests-FIFO-Tier1"));
        assert_eq!(c.monthly_quantity, Some(dec!(20)));
        assert_eq!(c.monthly_cost, Some(dec!(10)));
    }

    #[test]
    fn standard_queue_volume_tiers() {
        let usage = "version: 0.1\nresource_usage:\n  aws_sqs_queue.test:\n    monthly_requests: 150000000000\n";
        let r = price("aws_sqs_queue", json!({}), "us-east-1", Some(usage));
        // first 100B × $0.40/1M = $40,000; next 50B × $0.30/1M = $15,000; total $55,000.
        assert_eq!(r.cost_components.len(), 2);
        assert_eq!(r.monthly_cost, Some(dec!(55000)));
    }

    #[test]
    fn usage_missing_is_shown_not_zero() {
        let r = price("aws_sqs_queue", json!({}), "us-east-1", None);
        assert_eq!(
            component(&r, "Requests").status,
            ComponentStatus::UsageMissing
        );
        assert_eq!(r.monthly_cost, None);
    }
}
