//! `azurerm_traffic_manager_external_endpoint`: the health checks of
//! an external (non-Azure) endpoint, billed at the `Non-Azure Endpoint` meters; see [`super::traffic_manager_azure_endpoint`].

use super::traffic_manager_azure_endpoint::endpoint;
use crate::cost::{Attrs, Ctx, Priced};

pub(crate) fn price(_attrs: &Attrs, ctx: &Ctx) -> Priced {
    endpoint(ctx, "Non-Azure Endpoint")
}

#[cfg(test)]
mod tests {
    use super::super::price_in_plan;
    use super::super::traffic_manager_azure_endpoint::tests::plan_with;
    use rust_decimal_macros::dec;
    use serde_json::json;

    #[test]
    fn basic_and_fast_interval_health_checks() {
        // 1 month (730 h) × $0.54; fast add-on (interval 10 s) 1 month × $2.00
        let t = "azurerm_traffic_manager_external_endpoint";
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
        assert_eq!(cost("Basic health check (Global)"), Some(dec!(0.54)));
        assert_eq!(
            cost("Fast interval health checks add-on (Global)"),
            Some(dec!(2.00))
        );
    }
}
