//! `aws_config_config_rule`: AWS Config rule evaluations per month, in AWS's
//! volume tiers (first 100K, next 400K, over 500K).
//!
//! Usage (Infracost's key): `monthly_rule_evaluations`; without it the line is
//! usage-based.

use crate::cost::{Attrs, ComponentSpec, Ctx, PriceFilter, Priced};

pub(crate) fn price(_attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    p.push(
        ComponentSpec::usage(
            "Rule evaluations",
            "evaluations",
            ctx.usage.decimal("monthly_rule_evaluations"),
            PriceFilter::aws(
                "AWSConfig",
                "Management Tools - AWS Config Rules",
                ctx.region,
                "Evaluations",
            )
            .attr("usagetype", "ConfigRuleEvaluations"),
        )
        .tier_names(&[
            "Rule evaluations (first 100K)",
            "Rule evaluations (next 400K)",
            "Rule evaluations (over 500K)",
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
    fn evaluations_fill_the_volume_tiers() {
        let usage = "version: 0.1\nresource_usage:\n  aws_config_config_rule.test:\n    monthly_rule_evaluations: 1000000\n";
        let r = price(
            "aws_config_config_rule",
            json!({}),
            "us-east-1",
            Some(usage),
        );
        // 100,000 × $0.001 = $100; 400,000 × $0.0008 = $320; 500,000 × $0.0005 = $250.
        let first = component(&r, "Rule evaluations (first 100K)");
        assert_eq!(first.monthly_quantity, Some(dec!(100000)));
        assert_eq!(first.monthly_cost, Some(dec!(100)));
        let next = component(&r, "Rule evaluations (next 400K)");
        assert_eq!(next.monthly_cost, Some(dec!(320)));
        let over = component(&r, "Rule evaluations (over 500K)");
        assert_eq!(over.monthly_quantity, Some(dec!(500000)));
        assert_eq!(over.monthly_cost, Some(dec!(250)));
        assert_eq!(r.monthly_cost, Some(dec!(670)));
    }

    #[test]
    fn within_the_first_tier_is_one_line_and_no_usage_stays_usage_based() {
        let usage = "version: 0.1\nresource_usage:\n  aws_config_config_rule.test:\n    monthly_rule_evaluations: 2000\n";
        let r = price(
            "aws_config_config_rule",
            json!({}),
            "us-east-1",
            Some(usage),
        );
        // 2,000 × $0.001 = $2.
        assert_eq!(
            component(&r, "Rule evaluations (first 100K)").monthly_cost,
            Some(dec!(2))
        );
        let r = price("aws_config_config_rule", json!({}), "us-east-1", None);
        let c = component(&r, "Rule evaluations (first 100K)");
        assert_eq!(c.status, ComponentStatus::UsageMissing);
        assert_eq!(c.price, Some(dec!(0.001)));
        assert_eq!(r.monthly_cost, None);
    }
}
