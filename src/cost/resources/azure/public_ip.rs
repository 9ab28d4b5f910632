//! `azurerm_public_ip`: a public IPv4/IPv6 address per hour, by SKU (`sku`,
//! `Basic` or `Standard`), tier (`sku_tier`, `Regional` or `Global`) and
//! allocation (`allocation_method`). Standard addresses are always static.
//! Meter names are the Retail Prices API's (`Standard IPv4 Static Public IP`).

use super::filter;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};
use rust_decimal::Decimal;

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let sku = attrs.str("sku").unwrap_or("Basic");
    let global = attrs
        .str("sku_tier")
        .is_some_and(|t| t.eq_ignore_ascii_case("global"));
    let version = if attrs
        .str("ip_version")
        .is_some_and(|v| v.eq_ignore_ascii_case("ipv6"))
    {
        "IPv6"
    } else {
        "IPv4"
    };
    let dynamic = attrs
        .str("allocation_method")
        .is_some_and(|a| a.eq_ignore_ascii_case("dynamic"));
    let (name, meter) = if sku.eq_ignore_ascii_case("standard") {
        if global {
            (
                "IP address (static, global)",
                format!("Global {version} Static Public IP"),
            )
        } else {
            (
                "IP address (static, regional)",
                format!("Standard {version} Static Public IP"),
            )
        }
    } else if dynamic {
        (
            "IP address (dynamic, regional)",
            format!("Basic {version} Dynamic Public IP"),
        )
    } else {
        (
            "IP address (static, regional)",
            format!("Basic {version} Static Public IP"),
        )
    };
    p.push(ComponentSpec::hourly(
        name,
        "hours",
        Decimal::ONE,
        filter("Virtual Network", "IP Addresses", ctx.region, "Hrs").attr("meterName", meter),
    ));
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    #[test]
    fn standard_regional_and_global() {
        // regional 730 × $0.005 = $3.65; global 730 × $0.01 = $7.30
        let r = price(
            "azurerm_public_ip",
            json!({"location": "eastus", "sku": "Standard", "allocation_method": "Static"}),
            "eastus",
            None,
        );
        assert_eq!(
            component(&r, "IP address (static, regional)").monthly_cost,
            Some(dec!(3.65))
        );
        let r = price(
            "azurerm_public_ip",
            json!({"location": "eastus", "sku": "Standard", "sku_tier": "Global", "allocation_method": "Static"}),
            "eastus",
            None,
        );
        assert_eq!(
            component(&r, "IP address (static, global)").monthly_cost,
            Some(dec!(7.30))
        );
    }

    #[test]
    fn basic_addresses_by_allocation() {
        let r = price(
            "azurerm_public_ip",
            json!({"location": "eastus", "sku": "Basic", "allocation_method": "Dynamic"}),
            "eastus",
            None,
        );
        // named as Infracost names it; 730 h × $0.004 = $2.92
        let c = component(&r, "IP address (dynamic, regional)");
        assert_eq!(c.monthly_cost, Some(dec!(2.92)));
        assert_eq!(
            c.price_filter.attributes,
            vec![("meterName", "Basic IPv4 Dynamic Public IP".to_string())]
        );
        let r = price(
            "azurerm_public_ip",
            json!({"location": "eastus", "allocation_method": "Static", "ip_version": "IPv6"}),
            "eastus",
            None,
        );
        let c = component(&r, "IP address (static, regional)");
        assert_eq!(
            c.price_filter.attributes,
            vec![("meterName", "Basic IPv6 Static Public IP".to_string())]
        );
    }

    #[test]
    fn standard_static_in_west_europe() {
        // 730 h × $0.005 = $3.65 (Infracost's firewall golden's public IP)
        let r = price(
            "azurerm_public_ip",
            json!({"location": "westeurope", "sku": "Standard", "allocation_method": "Static"}),
            "westeurope",
            None,
        );
        assert_eq!(
            component(&r, "IP address (static, regional)").monthly_cost,
            Some(dec!(3.650))
        );
    }
}
