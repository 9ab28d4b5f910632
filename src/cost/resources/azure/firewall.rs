//! `azurerm_firewall`: the deployment per hour by `sku_tier` (`Standard`
//! when unset, `Premium`, `Basic`), in a Virtual WAN hub when it has a
//! `virtual_hub` block (named as Infracost names it), and data processed per
//! GB from usage key `monthly_data_processed_gb`.

use super::filter;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};
use rust_decimal::Decimal;

const SERVICE: &str = "Azure Firewall";
const FAMILY: &str = "Firewall";

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let tier = match attrs
        .str("sku_tier")
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        None | Some("standard") => "Standard",
        Some("premium") => "Premium",
        Some("basic") => "Basic",
        Some(other) => {
            p.note(format!(
                "sku_tier `{other}` is not Basic, Standard or Premium; the firewall is not priced"
            ));
            return p;
        }
    };
    let hub = attrs.block("virtual_hub").is_some();
    let (name, meter) = if hub {
        // Infracost spells the Standard hub "Secure", the Premium "Secured".
        let label = if tier == "Premium" {
            "Premium Secured Virtual Hub".to_string()
        } else {
            format!("{tier} Secure Virtual Hub")
        };
        (
            format!("Deployment ({label})"),
            format!("{tier} Secured Virtual Hub Deployment"),
        )
    } else {
        (format!("Deployment ({tier})"), format!("{tier} Deployment"))
    };
    p.push(ComponentSpec::hourly(
        name,
        "hours",
        Decimal::ONE,
        filter(SERVICE, FAMILY, ctx.region, "Hrs").attr("meterName", meter),
    ));
    p.push(ComponentSpec::usage(
        "Data processed",
        "GB",
        ctx.usage.decimal("monthly_data_processed_gb"),
        filter(SERVICE, FAMILY, ctx.region, "GB")
            .attr("meterName", format!("{tier} Data Processed")),
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
    fn standard_and_premium_deployments_with_data() {
        // Standard 730 h × $1.25 = $912.50; 10,000 GB × $0.016 = $160
        let usage = "version: 0.1\nresource_usage:\n  azurerm_firewall.test:\n    monthly_data_processed_gb: 10000\n";
        let r = price(
            "azurerm_firewall",
            json!({"location": "eastus", "sku_name": "AZFW_VNet", "sku_tier": "Standard"}),
            "eastus",
            Some(usage),
        );
        assert_eq!(
            component(&r, "Deployment (Standard)").monthly_cost,
            Some(dec!(912.50))
        );
        assert_eq!(
            component(&r, "Data processed").monthly_cost,
            Some(dec!(160.000))
        );
        // Premium 730 h × $1.75 = $1,277.50; no usage: data waits
        let r = price(
            "azurerm_firewall",
            json!({"location": "eastus", "sku_tier": "Premium"}),
            "eastus",
            None,
        );
        assert_eq!(
            component(&r, "Deployment (Premium)").monthly_cost,
            Some(dec!(1277.50))
        );
        assert_eq!(
            component(&r, "Data processed").status,
            ComponentStatus::UsageMissing
        );
    }

    #[test]
    fn hub_firewalls_are_named_for_the_hub() {
        let hub = json!([{"virtual_hub_id": "/subscriptions/x/hub"}]);
        let r = price(
            "azurerm_firewall",
            json!({"location": "eastus", "sku_tier": "Standard", "virtual_hub": hub}),
            "eastus",
            None,
        );
        assert_eq!(
            component(&r, "Deployment (Standard Secure Virtual Hub)").monthly_cost,
            Some(dec!(912.50))
        );
        let r = price(
            "azurerm_firewall",
            json!({"location": "eastus", "sku_tier": "Premium", "virtual_hub": hub}),
            "eastus",
            None,
        );
        assert_eq!(
            component(&r, "Deployment (Premium Secured Virtual Hub)").monthly_cost,
            Some(dec!(1277.50))
        );
    }

    #[test]
    fn no_tier_is_standard_and_an_odd_tier_is_said() {
        let r = price(
            "azurerm_firewall",
            json!({"location": "eastus"}),
            "eastus",
            None,
        );
        assert_eq!(
            component(&r, "Deployment (Standard)").monthly_cost,
            Some(dec!(912.50))
        );
        let r = price(
            "azurerm_firewall",
            json!({"location": "eastus", "sku_tier": "Ultra"}),
            "eastus",
            None,
        );
        assert!(r.all_components().is_empty());
    }
}
