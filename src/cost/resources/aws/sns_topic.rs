//! `aws_sns_topic`: publish requests per million, and deliveries per
//! subscription protocol as Infracost lists them (HTTP/HTTPS, email, Kinesis
//! Firehose, mobile push, macOS, SMS): each protocol's deliveries are
//! `<protocol>_subscriptions × requests`, less its free deliveries (100k HTTP,
//! 1k email, 100 SMS); without both numbers a protocol's line is usage-based,
//! and with either at 0 it is 0. `sms_notification_price` (a custom SMS rate)
//! is not applied: the table's SMS rate is used and a note says so.
//!
//! Usage: `monthly_requests`, `http_subscriptions`, `email_subscriptions`,
//! `kinesis_subscriptions`, `mobile_push_subscriptions`, `macos_subscriptions`,
//! `sms_subscriptions`, `sms_notification_price`, `request_size_kb` (each 64 KB chunk bills as
//! one request, default 64). As in Infracost, standard topics bill "API
//! requests (over 1M)": the first 1M requests a month are free. FIFO
//! topics (`fifo_topic = true`) have their own publish and payload rates,
//! which are not in the pricing tables yet, so their line reports no price.

use crate::cost::{Attrs, ComponentSpec, Ctx, PriceFilter, Priced};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

/// Requests a month AWS does not bill (Infracost subtracts them per topic).
const FREE_REQUESTS: Decimal = dec!(1000000);

/// Per protocol: line name, unit, units per shown unit, price-list usage type,
/// free deliveries a month, usage key.
const DELIVERIES: &[(&str, &str, Decimal, &str, Decimal, &str)] = &[
    (
        "HTTP/HTTPS notifications (over 100k)",
        "100k notifications",
        dec!(100000),
        "DeliveryAttempts-HTTP",
        dec!(100000),
        "http_subscriptions",
    ),
    (
        "Email/Email-JSON notifications (over 1k)",
        "100k notifications",
        dec!(100000),
        "DeliveryAttempts-SMTP",
        dec!(1000),
        "email_subscriptions",
    ),
    (
        "Kinesis Firehose notifications",
        "1M notifications",
        dec!(1000000),
        "DeliveryAttempts-FIREHOSE",
        dec!(0),
        "kinesis_subscriptions",
    ),
    (
        "Mobile Push notifications",
        "1M notifications",
        dec!(1000000),
        "DeliveryAttempts-APNS",
        dec!(0),
        "mobile_push_subscriptions",
    ),
    (
        "MacOS notifications",
        "1M notifications",
        dec!(1000000),
        "DeliveryAttempts-MACOS",
        dec!(0),
        "macos_subscriptions",
    ),
    (
        "SMS notifications (over 100)",
        "100 notifications",
        dec!(100),
        "DeliveryAttempts-SMS",
        dec!(100),
        "sms_subscriptions",
    ),
];

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
    let billed = ctx
        .usage
        .decimal("monthly_requests")
        .and_then(|r| p.mul("monthly_requests × request_size_kb", r, chunks));
    let requests = billed.map(|r| {
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
    if fifo {
        return p;
    }
    for (name, unit, per, usagetype, free, key) in DELIVERIES {
        let subscriptions = ctx.usage.decimal(key);
        let quantity = match (subscriptions, billed) {
            (Some(s), Some(r)) => p
                .mul(&format!("{key} × monthly_requests"), s, r)
                .map(|n| (n - free).max(Decimal::ZERO)),
            (Some(z), _) | (_, Some(z)) if z.is_zero() => Some(Decimal::ZERO),
            _ => None,
        };
        p.push(
            ComponentSpec::usage(
                *name,
                unit,
                quantity,
                PriceFilter::aws("AmazonSNS", "Message Delivery", ctx.region, "Notifications")
                    .attr("usagetype", *usagetype),
            )
            .per(*per),
        );
    }
    if ctx.usage.decimal("sms_notification_price").is_some() {
        p.note(
            "sms_notification_price is not applied: SMS deliveries are priced at the table's rate",
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

    /// Infracost's `sns_topic_test` golden (us-east-1),
    /// `sns_topic_withChargedSubscribers`: 1,000 requests a month to 200 HTTP,
    /// 300 email, 4,000 Kinesis Firehose, 5,000 mobile push, 6,000 macOS and 1
    /// SMS subscriptions, less each protocol's free deliveries.
    #[test]
    fn deliveries_per_subscription_protocol_match_infracosts_golden() {
        let usage = "version: 0.1\nresource_usage:\n  aws_sns_topic.test:\n    monthly_requests: 1000\n    http_subscriptions: 200\n    email_subscriptions: 300\n    kinesis_subscriptions: 4000\n    mobile_push_subscriptions: 5000\n    macos_subscriptions: 6000\n    sms_subscriptions: 1\n";
        let r = price("aws_sns_topic", json!({}), "us-east-1", Some(usage));
        let check = |name: &str, unit: &str, qty, cost| {
            let c = component(&r, name);
            assert_eq!(c.unit, unit, "{name}");
            assert_eq!(c.monthly_quantity, Some(qty), "{name}");
            assert_eq!(c.monthly_cost, Some(cost), "{name}");
        };
        // (200 × 1,000 − 100k free) = 1 × 100k × $0.06
        check(
            "HTTP/HTTPS notifications (over 100k)",
            "100k notifications",
            dec!(1),
            dec!(0.06),
        );
        // (300,000 − 1k free) = 2.99 × 100k × $2.00
        check(
            "Email/Email-JSON notifications (over 1k)",
            "100k notifications",
            dec!(2.99),
            dec!(5.98),
        );
        check(
            "Kinesis Firehose notifications",
            "1M notifications",
            dec!(4),
            dec!(0.76),
        );
        check(
            "Mobile Push notifications",
            "1M notifications",
            dec!(5),
            dec!(2.5),
        );
        check("MacOS notifications", "1M notifications", dec!(6), dec!(3));
        // (1,000 − 100 free) = 9 × 100 × $0.0075
        check(
            "SMS notifications (over 100)",
            "100 notifications",
            dec!(9),
            dec!(6.75),
        );
        // Without subscription counts the deliveries are usage-based.
        let none = price("aws_sns_topic", json!({}), "us-east-1", None);
        assert_eq!(
            component(&none, "MacOS notifications").status,
            ComponentStatus::UsageMissing
        );
    }
}
