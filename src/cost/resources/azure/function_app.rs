//! `azurerm_function_app` (the older type): billed by the plan `app_service_plan_id` names, as
//! [`super::function_apps`] describes: Elastic Premium vCPU and memory, else
//! consumption execution time and executions from usage.

use super::function_apps;
use crate::cost::{Attrs, Ctx, Priced};

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    function_apps::price(attrs, ctx, "app_service_plan_id")
}

#[cfg(test)]
mod tests {
    use crate::cost::testing::component;
    use crate::cost::usage::UsageFile;
    use crate::cost::{CostOptions, ResourceCost, estimate};
    use crate::plan::parse_plan;
    use crate::pricing::PriceTable;
    use rust_decimal_macros::dec;
    use serde_json::{Value, json};
    use std::path::Path;

    /// A function app on `plan` (a legacy app service plan's values, or
    /// `None` for a plan outside this configuration), eastus.
    fn app(plan: Option<Value>, usage: Option<&str>) -> ResourceCost {
        let mut changes = vec![
            json!({"address": "azurerm_function_app.test", "mode": "managed",
            "type": "azurerm_function_app", "name": "test",
            "provider_name": "registry.terraform.io/hashicorp/azurerm",
            "change": {"actions": ["create"], "before": null,
                       "after": {"location": "eastus", "app_service_plan_id": "/subscriptions/0/serverFarms/p"},
                       "after_unknown": {}}}),
        ];
        if let Some(plan) = plan {
            let mut plan = plan;
            plan["id"] = json!("/subscriptions/0/serverFarms/p");
            changes.push(
                json!({"address": "azurerm_app_service_plan.p", "mode": "managed",
                "type": "azurerm_app_service_plan", "name": "p",
                "provider_name": "registry.terraform.io/hashicorp/azurerm",
                "change": {"actions": ["no-op"], "before": plan, "after": plan}}),
            );
        }
        let plan = json!({"format_version": "1.2", "resource_changes": changes});
        let plan = parse_plan(plan.to_string().as_bytes(), Path::new("t.json")).unwrap();
        let usage = usage
            .map(|u| UsageFile::parse(u, Path::new("u.yml")).unwrap())
            .unwrap_or_default();
        let opts = CostOptions {
            usage,
            ..CostOptions::default()
        };
        estimate(&plan, PriceTable::embedded(), &opts)
            .breakdown
            .resources
            .into_iter()
            .find(|r| r.name == "azurerm_function_app.test")
            .expect("priced")
    }

    const USAGE: &str = "version: 0.1\nresource_usage:\n  azurerm_function_app.test:\n    monthly_executions: 3540123\n    execution_duration_ms: 495\n    memory_mb: 490\n    instances: 2\n";

    #[test]
    fn an_elastic_plan_bills_vcpu_and_memory_per_instance() {
        // EP2 × 2 instances: 4 vCPU × 730 h × $0.173 = $505.16;
        // 14 GB × 730 h × $0.0123 = $125.71
        let plan =
            json!({"kind": "elastic", "sku": [{"tier": "Standard", "size": "EP2", "capacity": 1}]});
        let r = app(Some(plan.clone()), Some(USAGE));
        let cpu = component(&r, "vCPU (EP2)");
        assert_eq!(cpu.monthly_quantity, Some(dec!(4)));
        assert_eq!(cpu.monthly_cost, Some(dec!(505.16)));
        let mem = component(&r, "Memory (EP2)");
        assert_eq!(mem.monthly_quantity, Some(dec!(14)));
        assert_eq!(mem.monthly_cost.map(|c| c.round_dp(2)), Some(dec!(125.71)));
        // without usage, one instance; tier ElasticPremium counts as elastic too
        let plan =
            json!({"kind": "FunctionApp", "sku": [{"tier": "ElasticPremium", "size": "ep1"}]});
        let r = app(Some(plan), None);
        assert_eq!(component(&r, "vCPU (EP1)").monthly_cost, Some(dec!(126.29)));
        assert_eq!(
            component(&r, "Memory (EP1)").monthly_quantity,
            Some(dec!(3.5))
        );
    }

    #[test]
    fn other_plans_and_unknown_plans_bill_consumption() {
        // 3,540,123 runs × 0.495 s × 512 MB (490 rounded up) / 1,024 = 876,180.4425 GB-s
        // × $0.000016 = $14.02; 3.540123 M executions × $0.20 = $0.71
        for plan in [
            Some(json!({"kind": "FunctionApp", "sku": [{"tier": "Standard", "size": "EP2"}]})),
            None,
        ] {
            let r = app(plan, Some(USAGE));
            let t = component(&r, "Execution time");
            assert_eq!(t.monthly_quantity, Some(dec!(876180.4425)));
            assert_eq!(t.monthly_cost.map(|c| c.round_dp(2)), Some(dec!(14.02)));
            let e = component(&r, "Executions");
            assert_eq!(e.monthly_quantity, Some(dec!(3.540123)));
            assert_eq!(e.monthly_cost.map(|c| c.round_dp(2)), Some(dec!(0.71)));
        }
    }

    #[test]
    fn short_small_runs_bill_the_minimums() {
        // 3,000,000 × 0.1 s (50 ms raised to 100) × 128 MB (64 raised) / 1,024 = 37,500 GB-s
        let u = "version: 0.1\nresource_usage:\n  azurerm_function_app.test:\n    monthly_executions: 3000000\n    execution_duration_ms: 50\n    memory_mb: 64\n";
        let r = app(None, Some(u));
        assert_eq!(
            component(&r, "Execution time").monthly_quantity,
            Some(dec!(37500))
        );
        // executions alone: execution time waits for the rest
        let u = "version: 0.1\nresource_usage:\n  azurerm_function_app.test:\n    monthly_executions: 100000\n";
        let r = app(None, Some(u));
        assert_eq!(component(&r, "Execution time").monthly_quantity, None);
        assert_eq!(component(&r, "Executions").monthly_cost, Some(dec!(0.02)));
    }
}
