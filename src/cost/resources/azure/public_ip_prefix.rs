//! `azurerm_public_ip_prefix`: the prefix per hour, as Infracost prices it
//! (one rate a prefix, whatever its `prefix_length`).

use super::filter;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};
use rust_decimal::Decimal;

pub(crate) fn price(_attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    p.push(ComponentSpec::hourly(
        "IP prefix",
        "hours",
        Decimal::ONE,
        filter("Virtual Network", "IP Addresses", ctx.region, "Hrs")
            .attr("meterName", "Public IP Prefix Static IP Addresses"),
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
    fn a_prefix_an_hour() {
        // 730 h × $0.006 = $4.38
        let r = price(
            "azurerm_public_ip_prefix",
            json!({"location": "westeurope", "prefix_length": 30}),
            "westeurope",
            None,
        );
        assert_eq!(component(&r, "IP prefix").monthly_cost, Some(dec!(4.380)));
        // eastus (Infracost's public_ip_prefix golden): the same $0.006
        let r = price(
            "azurerm_public_ip_prefix",
            json!({"location": "eastus", "prefix_length": 31}),
            "eastus",
            None,
        );
        assert_eq!(component(&r, "IP prefix").monthly_cost, Some(dec!(4.380)));
        let r = price(
            "azurerm_public_ip_prefix",
            json!({"location": "japaneast", "prefix_length": 28}),
            "japaneast",
            None,
        );
        assert_eq!(
            component(&r, "IP prefix").status,
            ComponentStatus::NoPriceFound
        );
    }
}
