//! `azurerm_traffic_manager_nested_endpoint`: the health checks of
//! a nested endpoint (another profile), billed at the `Azure Endpoint` meters as Infracost prices it; see [`super::traffic_manager_azure_endpoint`].

use super::traffic_manager_azure_endpoint::endpoint;
use crate::cost::{Attrs, Ctx, Priced};

pub(crate) fn price(_attrs: &Attrs, ctx: &Ctx) -> Priced {
    endpoint(ctx, "Azure Endpoint")
}

#[cfg(test)]
mod tests {
    use super::super::price_in_plan;
    use super::super::traffic_manager_azure_endpoint::tests::plan_with;
    use rust_decimal_macros::dec;
    use serde_json::json;

    #[test]
    fn basic_and_fast_interval_health_checks() {
        // 1 month (730 h) × $0.36; fast add-on (interval 10 s) 1 month × $1.00
        let t = "azurerm_traffic_manager_nested_endpoint";
        let plan = plan_with(
            t,
            "westeurope",
            json!({"monitor_config": [{"interval_in_seconds": 10}]}),
        );
        let r = price_in_plan(plan, None, &format!("{t}.x"));
        let cost = |name: &str| {
            r.all_components()
                .into_iter()
                .find(|(n, _)| n == name)
                .and_then(|(_, c)| c.monthly_cost)
        };
        assert_eq!(cost("Basic health check (Global)"), Some(dec!(0.36)));
        assert_eq!(
            cost("Fast interval health checks add-on (Global)"),
            Some(dec!(1.00))
        );
    }
}
