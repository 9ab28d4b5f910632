//! `azurerm_network_ddos_protection_plan`: the plan per hour, and its
//! overage — resources protected beyond the 100 the plan covers — per
//! resource-hour (usage key `overage_amount`, a count of resources, since the
//! plan's coverage cannot be read from the configuration).

use super::filter;
use crate::cost::{Attrs, ComponentSpec, Ctx, HOURS_PER_MONTH, Priced};
use rust_decimal::Decimal;

const SERVICE: &str = "Azure DDOS Protection";
const FAMILY: &str = "Networking";

pub(crate) fn price(_attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    p.push(ComponentSpec::hourly(
        "DDoS Protection Plan",
        "hours",
        Decimal::ONE,
        filter(SERVICE, FAMILY, ctx.region, "Hrs")
            .attr("skuName", "Network Protection")
            .attr("meterName", "Network Protection Plan"),
    ));
    let overage = ctx.usage.decimal("overage_amount");
    // Infracost says "resource" for one (or none given), "resources" beyond.
    let unit = if overage.is_some_and(|n| n > Decimal::ONE) {
        "resources"
    } else {
        "resource"
    };
    p.push(
        ComponentSpec::usage(
            "Overage charges",
            unit,
            overage.map(|n| n * HOURS_PER_MONTH),
            filter(SERVICE, FAMILY, ctx.region, "Hrs")
                .attr("skuName", "Network Protection")
                .attr("meterName", "Network Protection Resource"),
        )
        .per(HOURS_PER_MONTH),
    );
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    fn plan(usage: Option<&str>) -> crate::cost::ResourceCost {
        let usage = usage.map(|u| {
            format!(
                "version: 0.1\nresource_usage:\n  azurerm_network_ddos_protection_plan.test:\n    overage_amount: {u}\n"
            )
        });
        price(
            "azurerm_network_ddos_protection_plan",
            json!({"name": "ddos", "location": "westeurope"}),
            "westeurope",
            usage.as_deref(),
        )
    }

    #[test]
    fn the_plan_by_the_hour_and_overage_by_the_resource_month() {
        // 730 h × $4.032258 = $2,943.548… → $2,943.55
        // 5 resources × 730 h × $0.040323 = $147.179… → $147.18
        let r = plan(Some("5"));
        let c = component(&r, "DDoS Protection Plan");
        assert_eq!(c.monthly_quantity, Some(dec!(730)));
        assert_eq!(c.monthly_cost.map(|d| d.round_dp(2)), Some(dec!(2943.55)));
        let c = component(&r, "Overage charges");
        assert_eq!(c.unit, "resources");
        assert_eq!(c.monthly_quantity, Some(dec!(5)));
        assert_eq!(c.monthly_cost.map(|d| d.round_dp(2)), Some(dec!(147.18)));
    }

    #[test]
    fn overage_waits_for_usage_priced_per_resource_month() {
        // no overage_amount: usage-based at 730 h × $0.040323 = $29.43579 per resource
        let r = plan(None);
        let c = component(&r, "Overage charges");
        assert_eq!(c.status, ComponentStatus::UsageMissing);
        assert_eq!(c.unit, "resource");
        assert_eq!(c.price, Some(dec!(29.43579)));
        // one resource over: singular unit, 730 h × $0.040323 = $29.44
        let r = plan(Some("1"));
        let c = component(&r, "Overage charges");
        assert_eq!(c.unit, "resource");
        assert_eq!(c.monthly_cost.map(|d| d.round_dp(2)), Some(dec!(29.44)));
    }

    #[test]
    fn regions_without_a_source_say_no_price() {
        let r = price(
            "azurerm_network_ddos_protection_plan",
            json!({"name": "ddos", "location": "southeastasia"}),
            "southeastasia",
            None,
        );
        assert_eq!(
            component(&r, "DDoS Protection Plan").status,
            ComponentStatus::NoPriceFound
        );
    }
}
