//! `aws_ssm_parameter`: advanced-tier parameters are billed per parameter-hour
//! and for API interactions at the higher throughput limit; standard-tier
//! parameters cost nothing (no components, noted).
//!
//! Usage (Infracost's keys): `parameter_storage_hrs` (default 730, the whole
//! month), `api_throughput_limit` (`standard`, `advanced` or `higher`; default
//! the parameter's tier), `monthly_api_interactions` (usage-based without it).

use crate::cost::{Attrs, ComponentSpec, Ctx, PriceFilter, Priced};
use rust_decimal_macros::dec;

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let tier = attrs.str("tier").unwrap_or("Standard").to_ascii_lowercase();
    if tier != "standard" {
        let hours = ctx
            .usage
            .decimal("parameter_storage_hrs")
            .unwrap_or(dec!(730));
        p.push(ComponentSpec::monthly(
            "Parameter storage (advanced)",
            "hours",
            hours,
            PriceFilter::aws(
                "AWSSystemsManager",
                "AWS Systems Manager",
                ctx.region,
                "Hrs",
            )
            .attr("usagetype", "PS-Advanced-Param-Tier1"),
        ));
    }
    let throughput = ctx
        .usage
        .str("api_throughput_limit")
        .map(str::to_ascii_lowercase)
        .unwrap_or(tier);
    if throughput != "standard" {
        if !matches!(throughput.as_str(), "advanced" | "higher") {
            p.note(format!(
                "usage api_throughput_limit `{throughput}` is not one of standard, advanced, higher; priced as higher throughput"
            ));
        }
        p.push(
            ComponentSpec::usage(
                format!("API interactions ({throughput})"),
                "10k interactions",
                ctx.usage.decimal("monthly_api_interactions"),
                PriceFilter::aws("AWSSystemsManager", "API Request", ctx.region, "Requests")
                    .attr("usagetype", "PS-Param-Processed-Tier2"),
            )
            .per(dec!(10000)),
        );
    }
    if p.components.is_empty() {
        p.note("standard-tier parameter: free");
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
    fn advanced_parameter_with_usage() {
        let usage = "version: 0.1\nresource_usage:\n  aws_ssm_parameter.test:\n    api_throughput_limit: advanced\n    monthly_api_interactions: 100000\n    parameter_storage_hrs: 600\n";
        let r = price(
            "aws_ssm_parameter",
            json!({"tier": "Advanced"}),
            "us-east-1",
            Some(usage),
        );
        // 600 h × $0.0000684932 = $0.04109592; 10 × 10k × $0.05 = $0.50.
        let s = component(&r, "Parameter storage (advanced)");
        assert_eq!(s.monthly_quantity, Some(dec!(600)));
        assert_eq!(s.monthly_cost, Some(dec!(0.04109592)));
        let a = component(&r, "API interactions (advanced)");
        assert_eq!(a.monthly_quantity, Some(dec!(10)));
        assert_eq!(a.monthly_cost, Some(dec!(0.5)));
    }

    #[test]
    fn advanced_parameter_without_usage_is_a_whole_month() {
        let r = price(
            "aws_ssm_parameter",
            json!({"tier": "Advanced"}),
            "us-east-1",
            None,
        );
        // 730 h × $0.0000684932 = $0.050000036.
        let s = component(&r, "Parameter storage (advanced)");
        assert_eq!(s.monthly_quantity, Some(dec!(730)));
        assert_eq!(s.monthly_cost, Some(dec!(0.050000036)));
        assert_eq!(
            component(&r, "API interactions (advanced)").status,
            ComponentStatus::UsageMissing
        );
    }

    #[test]
    fn standard_parameter_is_free_unless_higher_throughput() {
        let r = price(
            "aws_ssm_parameter",
            json!({"tier": "Standard"}),
            "us-east-1",
            None,
        );
        assert!(r.cost_components.is_empty());
        let usage = "version: 0.1\nresource_usage:\n  aws_ssm_parameter.test:\n    api_throughput_limit: higher\n    monthly_api_interactions: 20000\n";
        let r = price("aws_ssm_parameter", json!({}), "us-east-1", Some(usage));
        // Standard storage is free; 2 × 10k interactions × $0.05 = $0.10.
        assert_eq!(r.cost_components.len(), 1);
        assert_eq!(
            component(&r, "API interactions (higher)").monthly_cost,
            Some(dec!(0.1))
        );
    }
}
