//! `azurerm_application_gateway`, by `sku.name` (`Standard_Small`,
//! `WAF_Medium`, `Standard_v2`, `WAF_v2`, …), as Infracost bills it:
//! - v1: the gateway per hour for each instance, and data processed per GB
//!   (usage key `monthly_data_processed_gb`) in tiers of the first 10 TB, the
//!   next 30 TB and over 40 TB (a size's free tiers are shown at $0);
//! - v2: the gateway's fixed cost per hour and capacity units per hour.
//!
//! Instances (v1) and capacity units (v2) are `sku.capacity`; with an
//! `autoscale_configuration`, the usage key `capacity_units`, else its
//! `min_capacity`.

use super::filter;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};
use rust_decimal::Decimal;

const SERVICE: &str = "Application Gateway";
const FAMILY: &str = "Networking";
/// Data processed is billed per gateway size, whatever the product: its rows
/// are keyed by the meter alone.
const DATA_FAMILY: &str = "Data Processed";
const DATA_TIERS: &[&str] = &[
    "Data processing (0-10TB)",
    "Data processing (10-40TB)",
    "Data processing (over 40TB)",
];

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let Some((tier, size)) = attrs.str("sku.0.name").and_then(|n| n.split_once('_')) else {
        p.note("sku.name is not `<tier>_<size>` (as `WAF_v2`); the gateway is not priced");
        return p;
    };
    let standard = tier.eq_ignore_ascii_case("standard");
    let size = size.to_ascii_lowercase();
    let capacity = if attrs.block("autoscale_configuration.0").is_some() {
        ctx.usage
            .decimal("capacity_units")
            .or_else(|| attrs.decimal("autoscale_configuration.0.min_capacity"))
    } else {
        attrs.decimal("sku.0.capacity")
    }
    .unwrap_or(Decimal::ONE);
    let product = |suffix: &str| {
        let tier = if standard { "Standard" } else { "WAF" };
        format!("Application Gateway {tier}{suffix}")
    };
    if size == "v2" {
        p.push(ComponentSpec::hourly(
            format!(
                "Gateway usage ({})",
                if standard { "basic v2" } else { "WAF v2" }
            ),
            "hours",
            Decimal::ONE,
            filter(SERVICE, FAMILY, ctx.region, "Hrs")
                .attr("productName", product(" v2"))
                .attr("meterName", "Fixed Cost"),
        ));
        p.push(ComponentSpec::hourly(
            format!(
                "V2 capacity units ({})",
                if standard { "basic" } else { "WAF" }
            ),
            "CU",
            capacity,
            filter(SERVICE, FAMILY, ctx.region, "Hrs")
                .attr("productName", product(" v2"))
                .attr("meterName", "Capacity Units"),
        ));
        return p;
    }
    let size_title = super::title_case(&size);
    p.push(ComponentSpec::hourly(
        format!(
            "Gateway usage ({}, {size})",
            if standard { "basic" } else { "WAF" }
        ),
        "hours",
        capacity,
        filter(SERVICE, FAMILY, ctx.region, "Hrs")
            .attr("productName", product(""))
            .attr("meterName", format!("{size_title} Gateway")),
    ));
    p.push(
        ComponentSpec::usage(
            "Data processing",
            "GB",
            ctx.usage.decimal("monthly_data_processed_gb"),
            filter(SERVICE, DATA_FAMILY, ctx.region, "GB")
                .attr("meterName", format!("{size_title} Data Processed")),
        )
        .tier_names(DATA_TIERS),
    );
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::{Value, json};

    fn gateway(sku: Value, usage: Option<&str>) -> crate::cost::ResourceCost {
        let mut attrs = json!({"location": "eastus", "sku": [sku]});
        if let Some(auto) = sku.get("auto") {
            attrs["autoscale_configuration"] = json!([{"min_capacity": auto, "max_capacity": 10}]);
        }
        let usage = usage.map(|u| {
            format!("version: 0.1\nresource_usage:\n  azurerm_application_gateway.test:\n{u}")
        });
        price(
            "azurerm_application_gateway",
            attrs,
            "eastus",
            usage.as_deref(),
        )
    }

    #[test]
    fn v1_bills_instances_and_data_in_tiers() {
        // Standard_Small × 2: 1,460 h × $0.025 = $36.50; 100,000 GB at $0.008:
        // 10,240 GB $81.92, 30,720 GB $245.76, 59,040 GB $472.32
        let r = gateway(
            json!({"name": "Standard_Small", "tier": "Standard", "capacity": 2}),
            Some("    monthly_data_processed_gb: 100000\n"),
        );
        let g = component(&r, "Gateway usage (basic, small)");
        assert_eq!(
            (g.monthly_quantity, g.monthly_cost),
            (Some(dec!(1460)), Some(dec!(36.50)))
        );
        for (name, qty, cost) in [
            ("Data processing (0-10TB)", dec!(10240), dec!(81.92)),
            ("Data processing (10-40TB)", dec!(30720), dec!(245.76)),
            ("Data processing (over 40TB)", dec!(59040), dec!(472.32)),
        ] {
            let c = component(&r, name);
            assert_eq!(
                (c.monthly_quantity, c.monthly_cost),
                (Some(qty), Some(cost)),
                "{name}"
            );
        }
        // WAF_Medium: the first 10 TB are free; 30,720 GB × $0.007 = $215.04
        let r = gateway(
            json!({"name": "WAF_Medium", "tier": "WAF", "capacity": 2}),
            Some("    monthly_data_processed_gb: 100000\n"),
        );
        assert_eq!(
            component(&r, "Gateway usage (WAF, medium)").monthly_cost,
            Some(dec!(183.96))
        );
        assert_eq!(
            component(&r, "Data processing (10-40TB)").monthly_cost,
            Some(dec!(215.04))
        );
        assert_eq!(
            component(&r, "Data processing (0-10TB)").monthly_cost,
            Some(dec!(0))
        );
    }

    #[test]
    fn autoscaling_takes_capacity_units_from_usage_else_the_minimum() {
        // WAF_Medium autoscaling: 20 units × 730 h = 14,600 h × $0.126 = $1,839.60
        let sku = json!({"name": "WAF_Medium", "tier": "WAF", "auto": 3});
        let r = gateway(sku.clone(), Some("    capacity_units: 20\n"));
        assert_eq!(
            component(&r, "Gateway usage (WAF, medium)").monthly_cost,
            Some(dec!(1839.60))
        );
        // without usage the minimum, 3 × 730 = 2,190 h; data waits for usage at $0.00
        let r = gateway(sku, None);
        assert_eq!(
            component(&r, "Gateway usage (WAF, medium)").monthly_quantity,
            Some(dec!(2190))
        );
        let d = component(&r, "Data processing (0-10TB)");
        assert_eq!(d.status, ComponentStatus::UsageMissing);
    }

    #[test]
    fn v2_bills_the_fixed_cost_and_capacity_units() {
        // WAF_v2: 730 h × $0.36 = $262.80; capacity 2 × 730 = 1,460 CU × $0.0144 = $21.02
        let r = gateway(
            json!({"name": "WAF_v2", "tier": "WAF_v2", "capacity": 2}),
            Some("    capacity_units: 10\n"),
        );
        assert_eq!(
            component(&r, "Gateway usage (WAF v2)").monthly_cost,
            Some(dec!(262.80))
        );
        let cu = component(&r, "V2 capacity units (WAF)");
        assert_eq!(cu.monthly_quantity, Some(dec!(1460)));
        assert_eq!(cu.monthly_cost.map(|c| c.round_dp(2)), Some(dec!(21.02)));
        // Standard_v2 has no shipped price: said, not $0
        let r = gateway(
            json!({"name": "Standard_v2", "tier": "Standard_v2", "capacity": 2}),
            None,
        );
        assert_eq!(
            component(&r, "Gateway usage (basic v2)").status,
            ComponentStatus::NoPriceFound
        );
    }
}
