//! `azurerm_service_plan`: an App Service plan bills its instances per hour
//! by SKU (`sku_name`: B1…B3, S1…S3, P0v3…P5mv3, I1…I6v2, D1/SHARED) and OS
//! (`os_type`; Windows containers are billed as Windows), times
//! `worker_count` (default 1). `azurerm_app_service_plan` prices through
//! [`plan_component`].
//!
//! F1 (Free) plans show their hours at the Free tier's $0 price, as
//! Infracost shows them. Not billed here: Y1 (Functions consumption, billed
//! per execution by the function app), EP*/WS* (elastic Functions/Logic Apps
//! plans, not priced): each says so.

use super::filter;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};
use rust_decimal::Decimal;

/// The plan's instance-hours component, or `None` (with a note) for plans
/// billed elsewhere or not priced.
pub(crate) fn plan_component(
    sku: &str,
    os: &str,
    workers: Decimal,
    ctx: &Ctx,
    p: &mut Priced,
) -> Option<ComponentSpec> {
    let lower = sku.to_ascii_lowercase();
    if lower == "y1" {
        p.note("Y1 (Consumption) plan: billed per execution by its function apps");
        return None;
    }
    if lower.starts_with("ep") || lower.starts_with("ws") {
        p.note(format!(
            "{sku}: elastic Functions/Logic Apps plans are not priced"
        ));
        return None;
    }
    let os = if os.eq_ignore_ascii_case("linux") {
        "Linux"
    } else {
        "Windows"
    };
    Some(ComponentSpec::hourly(
        format!("Instance usage ({sku})"),
        "hours",
        workers,
        filter("Azure App Service", "Plans", ctx.region, "Hrs")
            .attr("skuName", lower)
            .attr("operatingSystem", os),
    ))
}

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let Some(sku) = attrs.str("sku_name") else {
        p.note("sku_name not known at plan time; the plan is not priced");
        return p;
    };
    let os = attrs.str("os_type").unwrap_or("Windows");
    let workers = attrs
        .decimal("worker_count")
        .filter(|w| !w.is_zero())
        .unwrap_or(Decimal::ONE);
    if let Some(c) = plan_component(sku, os, workers, ctx, &mut p) {
        p.push(c);
    }
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    #[test]
    fn workers_times_the_sku_price_by_os() {
        // Linux P1v3 3 × 730 × $0.155 = $339.45; Windows container S1 $0.10 × 730 = $73.00
        let r = price(
            "azurerm_service_plan",
            json!({"location": "eastus", "sku_name": "P1v3", "os_type": "Linux", "worker_count": 3}),
            "eastus",
            None,
        );
        let c = component(&r, "Instance usage (P1v3)");
        assert_eq!(c.monthly_quantity, Some(dec!(2190)));
        assert_eq!(c.monthly_cost, Some(dec!(339.45)));
        let r = price(
            "azurerm_service_plan",
            json!({"location": "eastus", "sku_name": "S1", "os_type": "WindowsContainer"}),
            "eastus",
            None,
        );
        assert_eq!(r.monthly_cost, Some(dec!(73.00)));
    }

    #[test]
    fn consumption_and_elastic_plans_say_why_they_have_no_cost() {
        for (sku, words) in [("Y1", "Consumption"), ("EP1", "elastic")] {
            let r = price(
                "azurerm_service_plan",
                json!({"location": "eastus", "sku_name": sku, "os_type": "Linux"}),
                "eastus",
                None,
            );
            assert!(r.cost_components.is_empty(), "{sku}");
            assert!(
                r.metadata.notes.iter().any(|n| n.contains(words)),
                "{sku}: {:?}",
                r.metadata.notes
            );
        }
    }

    #[test]
    fn free_plans_show_their_hours_at_the_free_price() {
        // F1: 2 workers × 730 h at the Free tier's $0 (a price, not a missing one)
        let r = price(
            "azurerm_service_plan",
            json!({"location": "eastus", "sku_name": "F1", "os_type": "Linux", "worker_count": 2}),
            "eastus",
            None,
        );
        let c = component(&r, "Instance usage (F1)");
        assert_eq!(c.monthly_quantity, Some(dec!(1460)));
        assert_eq!(c.monthly_cost, Some(dec!(0)));
    }

    #[test]
    fn premium_v3_isolated_v2_and_memory_optimised_skus() {
        // P0v3: Windows $0.1575 × 730 = $114.975, Linux $0.0775 × 730 = $56.575;
        // Linux I2v2 $0.772, Linux P3mv3 $0.744, Windows P3v2 $0.80 per hour
        for (sku, os, cost) in [
            ("P0v3", "Windows", dec!(114.975)),
            ("P0v3", "Linux", dec!(56.575)),
            ("I2v2", "Linux", dec!(563.56)),
            ("P3mv3", "Linux", dec!(543.12)),
            ("P3v2", "Windows", dec!(584.00)),
        ] {
            let r = price(
                "azurerm_service_plan",
                json!({"location": "eastus", "sku_name": sku, "os_type": os}),
                "eastus",
                None,
            );
            assert_eq!(r.monthly_cost, Some(cost), "{sku} {os}");
        }
    }
}
