//! `azurerm_nat_gateway`: the gateway per hour and its data processed per
//! GB (usage key `monthly_data_processed_gb`). Its public IPs and prefixes
//! are their own resources.

use super::filter;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};
use rust_decimal::Decimal;

const SERVICE: &str = "Virtual Network";
const FAMILY: &str = "NAT Gateway";

pub(crate) fn price(_attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    p.push(ComponentSpec::hourly(
        "NAT gateway",
        "hours",
        Decimal::ONE,
        filter(SERVICE, FAMILY, ctx.region, "Hrs").attr("meterName", "Standard Gateway"),
    ));
    p.push(ComponentSpec::usage(
        "Data processed",
        "GB",
        ctx.usage.decimal("monthly_data_processed_gb"),
        filter(SERVICE, FAMILY, ctx.region, "GB").attr("meterName", "Standard Data Processed"),
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
    fn gateway_hours_and_data_processed() {
        // 730 h × $0.045 = $32.85; 10 GB × $0.045 = $0.45
        let usage = "version: 0.1\nresource_usage:\n  azurerm_nat_gateway.test:\n    monthly_data_processed_gb: 10\n";
        let r = price(
            "azurerm_nat_gateway",
            json!({"location": "westeurope", "sku_name": "Standard"}),
            "westeurope",
            Some(usage),
        );
        assert_eq!(component(&r, "NAT gateway").monthly_cost, Some(dec!(32.85)));
        assert_eq!(
            component(&r, "Data processed").monthly_cost,
            Some(dec!(0.45))
        );
    }

    #[test]
    fn data_waits_for_usage_and_other_regions_say_no_price() {
        let r = price(
            "azurerm_nat_gateway",
            json!({"location": "westeurope"}),
            "westeurope",
            None,
        );
        let c = component(&r, "Data processed");
        assert_eq!(c.status, ComponentStatus::UsageMissing);
        assert_eq!(c.price, Some(dec!(0.045)));
        let r = price(
            "azurerm_nat_gateway",
            json!({"location": "southeastasia"}),
            "southeastasia",
            None,
        );
        assert_eq!(
            component(&r, "NAT gateway").status,
            ComponentStatus::NoPriceFound
        );
    }
}
