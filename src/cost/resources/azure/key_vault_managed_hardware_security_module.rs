//! `azurerm_key_vault_managed_hardware_security_module`: a Managed HSM pool
//! bills per hour while it exists, as Infracost prices it (its Dedicated
//! HSM "Standard Instance" meter, whatever the `sku_name`).

use super::filter;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};
use rust_decimal::Decimal;

pub(crate) fn price(_attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    p.push(ComponentSpec::hourly(
        "HSM pools",
        "hours",
        Decimal::ONE,
        filter("Key Vault", "Security", ctx.region, "Hrs")
            .attr("skuName", "Standard")
            .attr("meterName", "Standard Instance"),
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
    fn an_hsm_pool_bills_every_hour() {
        // 730 h × $4.85 = $3,540.50
        let r = price(
            "azurerm_key_vault_managed_hardware_security_module",
            json!({"location": "eastus", "sku_name": "Standard_B1"}),
            "eastus",
            None,
        );
        let c = component(&r, "HSM pools");
        assert_eq!(c.monthly_quantity, Some(dec!(730)));
        assert_eq!(c.monthly_cost, Some(dec!(3540.50)));
        // a region without a shipped price says so, never $0
        let r = price(
            "azurerm_key_vault_managed_hardware_security_module",
            json!({"location": "japaneast", "sku_name": "Standard_B1"}),
            "japaneast",
            None,
        );
        assert_eq!(
            component(&r, "HSM pools").status,
            ComponentStatus::NoPriceFound
        );
    }
}
