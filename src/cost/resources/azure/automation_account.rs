//! `azurerm_automation_account`: job run time per minute
//! (`monthly_job_run_mins`), non-Azure configuration nodes
//! (`non_azure_config_node_count`) and watcher hours (`monthly_watcher_hrs`),
//! as Infracost prices them: the price is the one past the free allowance
//! (500 minutes, 5 nodes, 744 hours), applied to the whole quantity. A job
//! or node count of 0 in the usage file drops its line.

use super::filter;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};
use rust_decimal::Decimal;

const SERVICE: &str = "Automation";
const FAMILY: &str = "Management and Governance";

pub(crate) fn price(_attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let line = |name: &str, unit: &'static str, qty: Option<Decimal>, sku: &str, meter: &str| {
        ComponentSpec::usage(
            name,
            unit,
            qty,
            filter(SERVICE, FAMILY, ctx.region, unit)
                .attr("skuName", sku.to_string())
                .attr("meterName", meter.to_string()),
        )
    };
    let mins = ctx.usage.decimal("monthly_job_run_mins");
    if mins.is_none_or(|m| m > Decimal::ZERO) {
        p.push(line(
            "Job run time",
            "minutes",
            mins,
            "Basic",
            "Basic Runtime",
        ));
    }
    let nodes = ctx.usage.decimal("non_azure_config_node_count");
    if nodes.is_none_or(|n| n > Decimal::ZERO) {
        p.push(line(
            "Non-azure config nodes",
            "nodes",
            nodes,
            "Non-Azure",
            "Non-Azure Node",
        ));
    }
    p.push(line(
        "Watchers",
        "hours",
        ctx.usage.decimal("monthly_watcher_hrs"),
        "Basic",
        "Watcher",
    ));
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    #[test]
    fn job_minutes_and_nodes_from_usage() {
        // 5 min × $0.002 = $0.01; 2 nodes × $6 = $12
        let usage = "version: 0.1\nresource_usage:\n  azurerm_automation_account.test:\n    non_azure_config_node_count: 2\n    monthly_job_run_mins: 5\n";
        let r = price(
            "azurerm_automation_account",
            json!({"location": "eastus", "sku_name": "Basic"}),
            "eastus",
            Some(usage),
        );
        assert_eq!(
            component(&r, "Job run time").monthly_cost,
            Some(dec!(0.010))
        );
        assert_eq!(
            component(&r, "Non-azure config nodes").monthly_cost,
            Some(dec!(12))
        );
        // no watcher price has a source: said, never $0
        assert_eq!(
            component(&r, "Watchers").status,
            ComponentStatus::NoPriceFound
        );
    }

    #[test]
    fn zero_usage_drops_the_line_and_none_waits_for_usage() {
        // 20 min × $0.002 = $0.04; 0 nodes: no node line
        let usage = "version: 0.1\nresource_usage:\n  azurerm_automation_account.test:\n    non_azure_config_node_count: 0\n    monthly_job_run_mins: 20\n";
        let r = price(
            "azurerm_automation_account",
            json!({"location": "eastus"}),
            "eastus",
            Some(usage),
        );
        assert_eq!(component(&r, "Job run time").monthly_cost, Some(dec!(0.04)));
        assert!(
            r.all_components()
                .iter()
                .all(|(_, c)| c.name != "Non-azure config nodes")
        );
        let r = price(
            "azurerm_automation_account",
            json!({"location": "eastus"}),
            "eastus",
            None,
        );
        let c = component(&r, "Non-azure config nodes");
        assert_eq!(c.status, ComponentStatus::UsageMissing);
        assert_eq!(c.price, Some(dec!(6)));
    }
}
