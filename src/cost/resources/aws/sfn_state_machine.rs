//! `aws_sfn_state_machine`: Standard workflows are billed per state
//! transition; Express workflows per request and per GB-second of duration,
//! in AWS's duration tiers (first 1K GB-hours, next 4K, over 5K).
//!
//! Usage (Infracost's keys): `monthly_transitions` (Standard);
//! `monthly_requests`, `workflow_duration_ms`, `memory_mb` (Express). As AWS
//! bills them, memory is rounded up to 64 MB steps (at least 64 MB) and
//! duration up to 100 ms steps. Duration needs all three Express keys;
//! without them it stays usage-based.

use crate::cost::{Attrs, ComponentSpec, Ctx, PriceFilter, Priced};
use rust_decimal_macros::dec;

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let filter = |usagetype: &str, unit: &'static str| {
        PriceFilter::aws("AmazonStates", "AWS Step Functions", ctx.region, unit)
            .attr("usagetype", usagetype)
    };
    let express = attrs
        .str("type")
        .is_some_and(|t| t.eq_ignore_ascii_case("express"));
    if !express {
        p.push(
            ComponentSpec::usage(
                "Transitions",
                "1K transitions",
                ctx.usage.decimal("monthly_transitions"),
                filter("StateTransition", "Transitions"),
            )
            .per(dec!(1000)),
        );
        return p;
    }
    let requests = ctx.usage.decimal("monthly_requests");
    p.push(
        ComponentSpec::usage(
            "Requests",
            "1M requests",
            requests,
            filter("StepFunctions-Request", "Requests"),
        )
        .per(dec!(1000000)),
    );
    let gb_seconds = match (
        requests,
        ctx.usage.decimal("workflow_duration_ms"),
        ctx.usage.decimal("memory_mb"),
    ) {
        (Some(requests), Some(ms), Some(mb)) => {
            let mb = (mb.max(dec!(64)) / dec!(64)).ceil() * dec!(64);
            let ms = (ms / dec!(100)).ceil() * dec!(100);
            p.mul("monthly_requests × workflow_duration_ms", requests, ms)
                .and_then(|r_ms| p.mul("… × memory_mb", r_ms, mb))
                .map(|x| x / dec!(1000) / dec!(1024))
        }
        _ => None,
    };
    p.push(
        ComponentSpec::usage(
            "Duration",
            "GB-hours",
            gb_seconds,
            filter("StepFunctions-GB-Second", "GB-Second"),
        )
        .per(dec!(3600))
        .tier_names(&[
            "Duration (first 1K)",
            "Duration (next 4K)",
            "Duration (over 5K)",
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

    fn usage(body: &str) -> String {
        format!("version: 0.1\nresource_usage:\n  aws_sfn_state_machine.test:\n{body}")
    }

    #[test]
    fn standard_transitions() {
        let u = usage("    monthly_transitions: 10000\n");
        let r = price(
            "aws_sfn_state_machine",
            json!({"type": "STANDARD"}),
            "us-east-1",
            Some(&u),
        );
        // 10 × 1K transitions × $0.025 = $0.25.
        let c = component(&r, "Transitions");
        assert_eq!(c.monthly_quantity, Some(dec!(10)));
        assert_eq!(c.monthly_cost, Some(dec!(0.25)));
        let r = price("aws_sfn_state_machine", json!({}), "us-east-1", None);
        assert_eq!(
            component(&r, "Transitions").status,
            ComponentStatus::UsageMissing
        );
    }

    #[test]
    fn express_in_the_first_duration_tier() {
        let u = usage(
            "    monthly_requests: 100000\n    workflow_duration_ms: 90\n    memory_mb: 100\n",
        );
        let r = price(
            "aws_sfn_state_machine",
            json!({"type": "EXPRESS"}),
            "us-east-1",
            Some(&u),
        );
        // 0.1M requests × $1.00 = $0.10.
        assert_eq!(component(&r, "Requests").monthly_cost, Some(dec!(0.1)));
        // 100,000 × 0.1 s (90 ms → 100 ms) × 128 MB (100 → 128) / 1024 = 1,250 GB-s
        // × $0.00001667 = $0.0208375.
        let d = component(&r, "Duration (first 1K)");
        assert_eq!(d.monthly_quantity, Some(dec!(1250) / dec!(3600)));
        assert_eq!(d.monthly_cost, Some(dec!(0.0208375)));
    }

    #[test]
    fn express_duration_across_three_tiers() {
        let u = usage(
            "    monthly_requests: 100000000\n    workflow_duration_ms: 1000\n    memory_mb: 1024\n",
        );
        let r = price(
            "aws_sfn_state_machine",
            json!({"type": "EXPRESS"}),
            "us-east-1",
            Some(&u),
        );
        // 1e8 × 1 s × 1 GB = 1e8 GB-s: 3.6M × $0.00001667 = $60.012;
        // 14.4M × $0.00000833 = $119.952; 82M × $0.00000456 = $373.92.
        let first = component(&r, "Duration (first 1K)");
        assert_eq!(first.monthly_cost, Some(dec!(60.012)));
        let next = component(&r, "Duration (next 4K)");
        assert_eq!(next.monthly_cost, Some(dec!(119.952)));
        let over = component(&r, "Duration (over 5K)");
        assert_eq!(over.monthly_cost, Some(dec!(373.92)));
        // 100M requests × $1.00 per 1M = $100.
        assert_eq!(r.monthly_cost, Some(dec!(653.884)));
    }

    #[test]
    fn express_without_usage_is_usage_based() {
        let r = price(
            "aws_sfn_state_machine",
            json!({"type": "EXPRESS"}),
            "us-east-1",
            None,
        );
        assert_eq!(
            component(&r, "Requests").status,
            ComponentStatus::UsageMissing
        );
        let d = component(&r, "Duration (first 1K)");
        assert_eq!(d.status, ComponentStatus::UsageMissing);
        assert_eq!(d.price, Some(dec!(0.060012)));
    }
}
