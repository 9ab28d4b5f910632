//! `aws_lambda_function`: requests and compute duration (GB-seconds), both
//! usage-based, priced per architecture; duration is tiered by monthly volume.
//!
//! Defaults assumed:
//! - `memory_size` 128 MB, `architectures` x86_64, `ephemeral_storage.size` 512 MB
//!   (the AWS defaults).
//! - Duration GB-seconds = requests × `request_duration_ms`/1000 × memory/1024;
//!   unknown until the usage file gives both values.
//! - Ephemeral storage above the free 512 MB is billed in GB-seconds the same way.
//! - The free tier is not deducted (it is per account, not per function).
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
    let duration_ms = ctx.usage.decimal("request_duration_ms");
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
    p.push(ComponentSpec::usage(
        if arm {
            "Duration (arm64)"
        } else {
            "Duration (x86_64)"
        },
        "GB-seconds",
        gb_seconds,
        filter(format!("Lambda-GB-Second{suffix}"), "Lambda-GB-Second"),
    ));
    let ephemeral = attrs
        .decimal("ephemeral_storage.0.size")
        .unwrap_or(FREE_EPHEMERAL_MB);
    if ephemeral > FREE_EPHEMERAL_MB {
        let storage = seconds.and_then(|s| {
            p.mul(
                "monthly_requests × request_duration_ms × ephemeral_storage",
                s,
                (ephemeral - FREE_EPHEMERAL_MB) / dec!(1024),
            )
        });
        p.push(ComponentSpec::usage(
            "Ephemeral storage",
            "GB-seconds",
            storage,
            filter(format!("Lambda-Storage-GB-Second{suffix}"), "GB-Seconds"),
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
        let d = component(&r, "Duration (x86_64)");
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
        let d = component(&r, "Duration (arm64)");
        assert_eq!(d.monthly_cost, Some(dec!(20.0001)));
        assert!(
            d.price_filter
                .attributes
                .contains(&("usagetype", "Lambda-GB-Second-ARM".to_string()))
        );
        assert_eq!(r.monthly_cost, Some(dec!(22.0001)));
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
            component(&r, "Duration (x86_64) (first 6,000,000,000 GB-seconds)").monthly_cost,
            Some(dec!(100000.20))
        );
        assert_eq!(
            component(&r, "Duration (x86_64) (next 9,000,000,000 GB-seconds)").monthly_cost,
            Some(dec!(60000.00))
        );
    }

    #[test]
    fn usage_based_without_a_usage_file_and_default_memory() {
        let r = price("aws_lambda_function", json!({}), "us-east-1", None);
        assert_eq!(r.monthly_cost, None);
        assert_eq!(
            component(&r, "Duration (x86_64)").status,
            ComponentStatus::UsageMissing
        );
        // 128 MB default: 10M × 0.3 s × 0.125 GB = 375,000 GB-s
        let r = price("aws_lambda_function", json!({}), "us-east-1", Some(USAGE));
        assert_eq!(
            component(&r, "Duration (x86_64)").monthly_quantity,
            Some(dec!(375000))
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
