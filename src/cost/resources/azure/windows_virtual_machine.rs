//! `azurerm_windows_virtual_machine`: as the Linux VM, at Windows prices;
//! with Azure Hybrid Benefit (`license_type` = `Windows_Server` or
//! `Windows_Client`) the Windows licence is already paid for, so the hours
//! are billed at the Linux price and shown as "hybrid benefit".

use super::linux_virtual_machine::price_vm;
use crate::cost::{Attrs, Ctx, Priced};

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    price_vm(attrs, ctx, "Windows", hybrid_benefit(attrs))
}

/// Whether `license_type` brings the Windows licence (Azure Hybrid Benefit).
pub(crate) fn hybrid_benefit(attrs: &Attrs) -> bool {
    attrs
        .str("license_type")
        .is_some_and(|l| l.starts_with("Windows_"))
}

#[cfg(test)]
mod tests {
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    #[test]
    fn windows_prices_include_the_licence() {
        // Standard_F2 Windows $0.192 × 730 = $140.16
        let r = price(
            "azurerm_windows_virtual_machine",
            json!({"location": "eastus", "size": "Standard_F2",
                   "os_disk": [{"storage_account_type": "Premium_LRS"}]}),
            "eastus",
            None,
        );
        assert_eq!(
            component(&r, "Instance usage (Windows, pay as you go, Standard_F2)").monthly_cost,
            Some(dec!(140.16))
        );
    }

    #[test]
    fn hybrid_benefit_bills_the_linux_price() {
        // Standard_D2_v4 at the Linux price $0.096 × 730 = $70.08
        let r = price(
            "azurerm_windows_virtual_machine",
            json!({"location": "eastus", "size": "Standard_D2_v4", "license_type": "Windows_Server",
                   "os_disk": [{"storage_account_type": "StandardSSD_LRS", "disk_size_gb": 1000}]}),
            "eastus",
            None,
        );
        assert_eq!(
            component(
                &r,
                "Instance usage (Windows, hybrid benefit, Standard_D2_v4)"
            )
            .monthly_cost,
            Some(dec!(70.08))
        );
        assert_eq!(
            component(&r, "os_disk: Storage (E30, LRS)").monthly_cost,
            Some(dec!(76.80))
        );
    }
}
