//! `azurerm_windows_virtual_machine_scale_set`: as the Linux scale set, at
//! Windows prices; with Azure Hybrid Benefit (`license_type` =
//! `Windows_Server` or `Windows_Client`) at the Linux price.

use super::linux_virtual_machine_scale_set::price_scale_set;
use super::windows_virtual_machine::hybrid_benefit;
use crate::cost::{Attrs, Ctx, Priced};

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    price_scale_set(attrs, ctx, "Windows", hybrid_benefit(attrs))
}

#[cfg(test)]
mod tests {
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    #[test]
    fn windows_instances_at_the_windows_price() {
        // 3 × 730 h × $0.133 = $291.27; 3 × S4 $1.536 = $4.608
        let r = price(
            "azurerm_windows_virtual_machine_scale_set",
            json!({"location": "eastus", "sku": "Basic_A2", "instances": 3,
                   "os_disk": [{"storage_account_type": "Standard_LRS"}]}),
            "eastus",
            None,
        );
        let c = component(&r, "Instance usage (Windows, pay as you go, Basic_A2)");
        assert_eq!(c.monthly_cost, Some(dec!(291.27)));
        assert_eq!(
            component(&r, "os_disk: Storage (S4, LRS)").monthly_cost,
            Some(dec!(4.608))
        );
    }

    #[test]
    fn hybrid_benefit_bills_the_linux_price() {
        // 2 × 730 h × $0.096 = $140.16
        let r = price(
            "azurerm_windows_virtual_machine_scale_set",
            json!({"location": "eastus", "sku": "Standard_D2_v4", "instances": 2,
                   "license_type": "Windows_Server"}),
            "eastus",
            None,
        );
        assert_eq!(
            component(
                &r,
                "Instance usage (Windows, hybrid benefit, Standard_D2_v4)"
            )
            .monthly_cost,
            Some(dec!(140.16))
        );
    }
}
