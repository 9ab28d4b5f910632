//! `aws_wafv2_web_acl`: a monthly fee per web ACL, a monthly fee per rule
//! (the ACL's own rules plus, from the usage file, the rules inside the rule
//! groups it references), per referenced rule group and per managed rule
//! group, and requests per million.
//!
//! Usage (Infracost's keys): `rule_group_rules`, `managed_rule_group_rules`,
//! `monthly_requests` (usage-based without it). Seller fees of AWS
//! Marketplace managed rule groups are not included.

use crate::cost::{Attrs, ComponentSpec, Ctx, PriceFilter, Priced};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let filter = |usagetype: &str, unit: &'static str| {
        PriceFilter::aws("awswaf", "Web Application Firewall", ctx.region, unit)
            .attr("usagetype", usagetype)
    };
    let (mut rules, mut groups, mut managed) = (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
    for rule in attrs.blocks("rule") {
        let statement = rule.block("statement");
        if statement.is_some_and(|s| s.block("rule_group_reference_statement").is_some()) {
            groups += Decimal::ONE;
        } else if statement.is_some_and(|s| s.block("managed_rule_group_statement").is_some()) {
            managed += Decimal::ONE;
        } else {
            rules += Decimal::ONE;
        }
    }
    for key in ["rule_group_rules", "managed_rule_group_rules"] {
        rules += ctx.usage.decimal(key).unwrap_or_default();
    }
    p.push(ComponentSpec::monthly(
        "Web ACL usage",
        "months",
        Decimal::ONE,
        filter("WebACLV2", "WebACL-Mo"),
    ));
    for (name, unit, count) in [
        ("Rules", "rules", rules),
        ("Rule groups", "groups", groups),
        ("Managed rule groups", "groups", managed),
    ] {
        if count > Decimal::ZERO {
            p.push(ComponentSpec::monthly(
                name,
                unit,
                count,
                filter("RuleV2", "Rule-Mo"),
            ));
        }
    }
    p.push(
        ComponentSpec::usage(
            "Requests",
            "1M requests",
            ctx.usage.decimal("monthly_requests"),
            filter("RequestV2-Tier1", "Requests"),
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

    fn acl() -> serde_json::Value {
        json!({"rule": [
            {"name": "block", "statement": [{"byte_match_statement": [{}]}]},
            {"name": "group", "statement": [{"rule_group_reference_statement": [{"arn": "x"}]}]},
            {"name": "managed", "statement": [{"managed_rule_group_statement": [{"name": "AWSManagedRulesCommonRuleSet"}]}]}
        ]})
    }

    #[test]
    fn rules_groups_and_requests_with_usage() {
        let usage = "version: 0.1\nresource_usage:\n  aws_wafv2_web_acl.test:\n    rule_group_rules: 5\n    managed_rule_group_rules: 10\n    monthly_requests: 1000000\n";
        let r = price("aws_wafv2_web_acl", acl(), "us-east-1", Some(usage));
        // ACL $5; (1 + 5 + 10) rules × $1 = $16; 1 group $1; 1 managed group $1; 1M × $0.60.
        assert_eq!(component(&r, "Web ACL usage").monthly_cost, Some(dec!(5)));
        let rules = component(&r, "Rules");
        assert_eq!(rules.monthly_quantity, Some(dec!(16)));
        assert_eq!(rules.monthly_cost, Some(dec!(16)));
        assert_eq!(component(&r, "Rule groups").monthly_cost, Some(dec!(1)));
        assert_eq!(
            component(&r, "Managed rule groups").monthly_cost,
            Some(dec!(1))
        );
        assert_eq!(component(&r, "Requests").monthly_cost, Some(dec!(0.6)));
        assert_eq!(r.monthly_cost, Some(dec!(23.6)));
    }

    #[test]
    fn group_references_only_and_no_usage() {
        let mut a = acl();
        a["rule"].as_array_mut().unwrap().remove(0);
        let r = price("aws_wafv2_web_acl", a, "us-east-1", None);
        // No plain rule and no usage: no Rules line.
        assert!(r.cost_components.iter().all(|c| c.name != "Rules"));
        assert_eq!(
            component(&r, "Requests").status,
            ComponentStatus::UsageMissing
        );
        assert_eq!(r.cost_components.len(), 4);
    }
}
