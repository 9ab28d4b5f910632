//! `azurerm_app_service_plan` (the provider's older plan resource): priced as
//! `azurerm_service_plan` from `sku.size` and `sku.capacity` (default 1); the
//! OS is Linux when `kind` is Linux (or `reserved` is true), else Windows;
//! `kind = "elastic"` plans are not priced.

use super::service_plan::plan_component;
use crate::cost::{Attrs, Ctx, Priced};
use rust_decimal::Decimal;

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let Some(size) = attrs.str("sku.0.size") else {
        p.note("sku.size not known at plan time; the plan is not priced");
        return p;
    };
    let kind = attrs.str("kind").unwrap_or("Windows").to_ascii_lowercase();
    if kind == "elastic" {
        p.note("elastic (Functions Premium) plans are not priced");
        return p;
    }
    let os = if kind == "linux" || attrs.bool("reserved") == Some(true) {
        "Linux"
    } else {
        "Windows"
    };
    let capacity = attrs
        .decimal("sku.0.capacity")
        .filter(|c| !c.is_zero())
        .unwrap_or(Decimal::ONE);
    if let Some(c) = plan_component(size, os, capacity, ctx, &mut p) {
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
    fn size_capacity_and_kind() {
        // Linux P1v2 × 10: 7,300 h × $0.101 = $737.30; Windows S1 × 5: 3,650 × $0.10 = $365.00
        let r = price(
            "azurerm_app_service_plan",
            json!({"location": "eastus", "kind": "Linux", "sku": [{"tier": "PremiumContainer", "size": "P1v2", "capacity": 10}]}),
            "eastus",
            None,
        );
        assert_eq!(
            component(&r, "Instance usage (P1v2)").monthly_cost,
            Some(dec!(737.30))
        );
        let r = price(
            "azurerm_app_service_plan",
            json!({"location": "eastus", "kind": "Windows", "sku": [{"tier": "Standard", "size": "S1", "capacity": 5}]}),
            "eastus",
            None,
        );
        assert_eq!(r.monthly_cost, Some(dec!(365.00)));
        let r = price(
            "azurerm_app_service_plan",
            json!({"location": "eastus", "kind": "elastic", "sku": [{"tier": "ElasticPremium", "size": "EP1"}]}),
            "eastus",
            None,
        );
        assert!(r.cost_components.is_empty());
    }

    #[test]
    fn premium_windows_container_plans() {
        // PC2 730 h × $0.16245 = $118.5885; PC3 15 × 730 h × $0.324892 = $3,557.5674
        for (size, capacity, cost) in [("PC2", 1, dec!(118.5885)), ("PC3", 15, dec!(3557.5674))] {
            let r = price(
                "azurerm_app_service_plan",
                json!({"location": "eastus", "kind": "Windows",
                       "sku": [{"tier": "PremiumContainer", "size": size, "capacity": capacity}]}),
                "eastus",
                None,
            );
            assert_eq!(
                component(&r, &format!("Instance usage ({size})")).monthly_cost,
                Some(cost)
            );
        }
    }
}
