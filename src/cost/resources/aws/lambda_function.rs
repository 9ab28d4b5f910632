//! `aws_lambda_function`: requests and compute duration (GB-seconds), both
//! usage-based, priced per architecture; duration is tiered by monthly volume.
//!
//! Defaults assumed:
//! - `memory_size` 128 MB, `architectures` x86_64, `ephemeral_storage.size` 512 MB
//!   (the AWS defaults).
//! - Duration GB-seconds = requests × `request_duration_ms`/1000 × memory/1024;
//!   unknown until the usage file gives both values.
//! - Ephemeral storage above the free 512 MB is billed in GB-seconds the same way
//!   (shown, usage-based, at the default size too, as Infracost shows it).
//! - `request_duration_ms` is rounded up to the millisecond, as AWS bills it.
//! - The free tier is not deducted (it is per account, not per function).
//! - Duration lines are named by their tier as Infracost names them
//!   (`Duration (first 6B)`, `Duration (next 9B)`, `Duration (over 15B)`;
//!   arm64: 7.5B, 11.25B, 18.75B).
//!
//! Usage: `monthly_requests`, `request_duration_ms`.

use crate::cost::{Attrs, ComponentSpec, Ctx, PriceFilter, Priced};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

const DEFAULT_MEMORY_MB: Decimal = dec!(128);
const FREE_EPHEMERAL_MB: Decimal = dec!(512);

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let arm = attrs.str("architectures.0") == Some("arm64");
    let suffix = if arm { "-ARM" } else { "" };
    let filter = |usagetype: String, unit| {
        PriceFilter::aws("AWSLambda", "Serverless", ctx.region, unit).attr("usagetype", usagetype)
    };
    let memory = attrs.decimal("memory_size").unwrap_or(DEFAULT_MEMORY_MB);
    let requests = ctx.usage.decimal("monthly_requests");
    // Billed per millisecond, rounded up.
    let duration_ms = ctx.usage.decimal("request_duration_ms").map(|d| d.ceil());
    let seconds = requests
        .zip(duration_ms)
        .and_then(|(r, d)| p.mul("monthly_requests × request_duration_ms", r, d))
        .map(|ms| ms / dec!(1000));
    let gb_seconds = seconds.and_then(|s| {
        p.mul(
            "monthly_requests × request_duration_ms × memory_size",
            s,
            memory / dec!(1024),
        )
    });
    p.push(
        ComponentSpec::usage(
            "Requests",
            "1M requests",
            requests,
            filter(format!("Request{suffix}"), "Requests"),
        )
        .per(dec!(1000000)),
    );
    p.push(
        ComponentSpec::usage(
            "Duration",
            "GB-seconds",
            gb_seconds,
            filter(format!("Lambda-GB-Second{suffix}"), "Lambda-GB-Second"),
        )
        .short_tier_labels(),
    );
    let ephemeral = attrs
        .decimal("ephemeral_storage.0.size")
        .unwrap_or(FREE_EPHEMERAL_MB);
    // Shown at the default size too (usage-based, as Infracost shows it): the
    // free 512 MB then come to 0 GB-seconds.
    let billed_gb = (ephemeral - FREE_EPHEMERAL_MB).max(Decimal::ZERO) / dec!(1024);
    let storage = seconds.and_then(|s| {
        p.mul(
            "monthly_requests × request_duration_ms × ephemeral_storage",
            s,
            billed_gb,
        )
    });
    p.push(ComponentSpec::usage(
        "Ephemeral storage",
        "GB-seconds",
        storage,
        filter(format!("Lambda-Storage-GB-Second{suffix}"), "GB-Seconds"),
    ));
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    const USAGE: &str = "version: 0.1\nresource_usage:\n  aws_lambda_function.test:\n    monthly_requests: 10000000\n    request_duration_ms: 300\n";

    #[test]
    fn x86_requests_and_duration() {
        // requests 10M × 0.20 per 1M = 2.00
        // 10M × 0.3 s × 512/1024 GB = 1,500,000 GB-s × 0.0000166667 = 25.00005
        let r = price(
            "aws_lambda_function",
            json!({"memory_size": 512}),
            "us-east-1",
            Some(USAGE),
        );
        assert_eq!(component(&r, "Requests").monthly_cost, Some(dec!(2.00)));
        assert_eq!(component(&r, "Requests").price, Some(dec!(0.20)));
        let d = component(&r, "Duration (first 6B)");
        assert_eq!(d.monthly_quantity, Some(dec!(1500000)));
        assert_eq!(d.monthly_cost, Some(dec!(25.00005)));
        assert_eq!(r.monthly_cost, Some(dec!(27.00005)));
    }

    #[test]
    fn arm64_is_priced_separately() {
        // requests 2.00; 1,500,000 GB-s × 0.0000133334 = 20.0001
        let r = price(
            "aws_lambda_function",
            json!({"memory_size": 512, "architectures": ["arm64"]}),
            "us-east-1",
            Some(USAGE),
        );
        let d = component(&r, "Duration (first 7.5B)");
        assert_eq!(d.monthly_cost, Some(dec!(20.0001)));
        assert!(
            d.price_filter
                .attributes
                .contains(&("usagetype", "Lambda-GB-Second-ARM".to_string()))
        );
        assert_eq!(r.monthly_cost, Some(dec!(22.0001)));
    }

    /// Infracost's `lambda_function_test` golden (us-east-1): tiers named
    /// `first 6B` / `next 9B` / `over 15B` (x86_64) and `first 7.5B` /
    /// `next 11.25B` / `over 18.75B` (arm64), named even when one tier is used.
    /// lambda_duration_15B: 15e9 requests × 2.048 s × 2 GB = 61.44e9 GB-s:
    /// 6e9 × $0.0000166667 = $100,000.20; 9e9 × $0.000015 = $135,000;
    /// 46.44e9 × $0.0000133334 = $619,203.10.
    /// lambda_duration_18B_arm: 18.25e9 × 2.048 × 2 = 74.752e9 GB-s, the last
    /// 56.002e9 × $0.0000106667 = $597,356.53.
    #[test]
    fn duration_tiers_match_infracosts_golden() {
        let usage = "version: 0.1\nresource_usage:\n  aws_lambda_function.test:\n    monthly_requests: 15000000000\n    request_duration_ms: 2048\n";
        let r = price(
            "aws_lambda_function",
            json!({"memory_size": 2048}),
            "us-east-1",
            Some(usage),
        );
        let cost = |name: &str| component(&r, name).monthly_cost.map(|c| c.round_dp(2));
        assert_eq!(cost("Duration (first 6B)"), Some(dec!(100000.20)));
        assert_eq!(cost("Duration (next 9B)"), Some(dec!(135000.00)));
        assert_eq!(cost("Duration (over 15B)"), Some(dec!(619203.10)));
        assert_eq!(
            component(&r, "Duration (over 15B)").monthly_quantity,
            Some(dec!(46440000000))
        );
        let usage = "version: 0.1\nresource_usage:\n  aws_lambda_function.test:\n    monthly_requests: 18250000000\n    request_duration_ms: 2048\n";
        let arm = price(
            "aws_lambda_function",
            json!({"memory_size": 2048, "architectures": ["arm64"]}),
            "us-east-1",
            Some(usage),
        );
        let over = component(&arm, "Duration (over 18.75B)");
        assert_eq!(over.monthly_quantity, Some(dec!(56002000000)));
        assert_eq!(
            over.monthly_cost.map(|c| c.round_dp(2)),
            Some(dec!(597356.53))
        );
        component(&arm, "Duration (next 11.25B)");
        // Without usage the first tier's name and price are shown.
        let none = price("aws_lambda_function", json!({}), "us-east-1", None);
        assert_eq!(
            component(&none, "Duration (first 6B)").price,
            Some(dec!(0.0000166667))
        );
    }

    #[test]
    fn duration_tiers_apply_above_six_billion_gb_seconds() {
        // 10,000M requests × 1 s × 1 GB = 10,000,000,000 GB-s:
        // 6e9 × 0.0000166667 = 100,000.20; 4e9 × 0.000015 = 60,000.00
        let usage = "version: 0.1\nresource_usage:\n  aws_lambda_function.test:\n    monthly_requests: 10000000000\n    request_duration_ms: 1000\n";
        let r = price(
            "aws_lambda_function",
            json!({"memory_size": 1024}),
            "us-east-1",
            Some(usage),
        );
        assert_eq!(
            component(&r, "Duration (first 6B)").monthly_cost,
            Some(dec!(100000.20))
        );
        assert_eq!(
            component(&r, "Duration (next 9B)").monthly_cost,
            Some(dec!(60000.00))
        );
    }

    #[test]
    fn usage_based_without_a_usage_file_and_default_memory() {
        let r = price("aws_lambda_function", json!({}), "us-east-1", None);
        assert_eq!(r.monthly_cost, None);
        assert_eq!(
            component(&r, "Duration (first 6B)").status,
            ComponentStatus::UsageMissing
        );
        // 128 MB default: 10M × 0.3 s × 0.125 GB = 375,000 GB-s
        let r = price("aws_lambda_function", json!({}), "us-east-1", Some(USAGE));
        assert_eq!(
            component(&r, "Duration (first 6B)").monthly_quantity,
            Some(dec!(375000))
        );
    }

    /// Infracost's `lambda_function_test` golden shows "Ephemeral storage" as
    /// usage-based for functions at the default 512 MB, as it does requests
    /// and duration; with usage, the free 512 MB comes to 0 GB-seconds.
    #[test]
    fn ephemeral_storage_is_shown_at_the_default_size() {
        let none = price("aws_lambda_function", json!({}), "us-east-1", None);
        let e = component(&none, "Ephemeral storage");
        assert_eq!(e.status, ComponentStatus::UsageMissing);
        assert_eq!(e.unit, "GB-seconds");
        assert_eq!(e.price, Some(dec!(0.0000000309)));
        let used = price(
            "aws_lambda_function",
            json!({"ephemeral_storage": [{"size": 512}]}),
            "us-east-1",
            Some(USAGE),
        );
        let e = component(&used, "Ephemeral storage");
        assert_eq!(e.monthly_quantity, Some(dec!(0)));
        assert_eq!(e.monthly_cost, Some(dec!(0)));
    }

    /// AWS bills duration rounded up to the next millisecond (so does
    /// Infracost): 10M × 0.301 s × 0.5 GB = 1,505,000 GB-s.
    #[test]
    fn request_duration_rounds_up_to_the_millisecond() {
        let usage = "version: 0.1\nresource_usage:\n  aws_lambda_function.test:\n    monthly_requests: 10000000\n    request_duration_ms: 300.2\n";
        let r = price(
            "aws_lambda_function",
            json!({"memory_size": 512}),
            "us-east-1",
            Some(usage),
        );
        assert_eq!(
            component(&r, "Duration (first 6B)").monthly_quantity,
            Some(dec!(1505000))
        );
    }

    #[test]
    fn ephemeral_storage_above_512_mb_is_a_component() {
        let r = price(
            "aws_lambda_function",
            json!({"ephemeral_storage": [{"size": 2048}]}),
            "us-east-1",
            Some(USAGE),
        );
        // 10M × 0.3 s × 1.5 GB = 4,500,000 GB-s × $0.0000000309 = $0.13905
        let e = component(&r, "Ephemeral storage");
        assert_eq!(e.monthly_quantity, Some(dec!(4500000)));
        assert_eq!(e.price, Some(dec!(0.0000000309)));
        assert_eq!(e.monthly_cost, Some(dec!(0.13905)));
        // ap-southeast-1 has its own price: 4,500,000 × $0.0000000370 = $0.1665
        let r = price(
            "aws_lambda_function",
            json!({"ephemeral_storage": [{"size": 2048}], "arn": "arn:aws:lambda:ap-southeast-1:1:function:f"}),
            "ap-southeast-1",
            Some(USAGE),
        );
        assert_eq!(
            component(&r, "Ephemeral storage").monthly_cost,
            Some(dec!(0.1665))
        );
    }
}
