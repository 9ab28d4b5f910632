//! `azurerm_service_plan`: an App Service plan bills its instances per hour
//! by SKU (`sku_name`: B1…B3, S1…S3, P0v3…P5mv3, I1…I6v2, D1/SHARED) and OS
//! (`os_type`; Windows containers are billed as Windows), times
//! `worker_count` (default 1). `azurerm_app_service_plan` prices through
//! [`plan_component`].
//!
//! Not billed here: F1 (free), Y1 (Functions consumption, billed per
//! execution by the function app), EP*/WS* (elastic Functions/Logic Apps
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
    if lower == "f1" || lower == "free" {
        p.note("F1 (Free) plan: no charge");
        return None;
    }
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
    fn free_consumption_and_elastic_plans_say_why_they_have_no_cost() {
        for (sku, words) in [("F1", "Free"), ("Y1", "Consumption"), ("EP1", "elastic")] {
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
}
