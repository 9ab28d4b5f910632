//! `azurerm_virtual_network_gateway` (VPN): the gateway per hour by `sku`
//! (default Basic), point-to-site tunnels beyond the 128 included (usage key
//! `p2s_connection`, the total), per tunnel for the month, and data
//! transferred between virtual networks per GB (usage key
//! `monthly_data_transfer_gb`), priced by the location's bandwidth zone.

use super::filter;
use crate::cost::component::HOURS_PER_MONTH;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

const SERVICE: &str = "VPN Gateway";
const FAMILY: &str = "Networking";
/// Point-to-site tunnels every SKU includes.
const INCLUDED_TUNNELS: Decimal = dec!(128);

/// The bandwidth zone of an Azure location, as the Retail Prices API names
/// it for inter-network transfer: Zone 1 (North America, Europe), Zone 2
/// (Asia Pacific), Zone 3 (South America, Africa, Middle East), the US
/// government's own.
fn bandwidth_zone(region: &str) -> &'static str {
    const ZONE_2: &[&str] = &["asia", "australia", "japan", "korea", "india"];
    const ZONE_3: &[&str] = &["brazil", "southafrica", "uae", "qatar", "israel"];
    if region.starts_with("usgov") || region.starts_with("usdod") {
        "US Gov Zone 1"
    } else if ZONE_3.iter().any(|z| region.starts_with(z)) {
        "Zone 3"
    } else if ZONE_2.iter().any(|z| region.contains(z)) {
        "Zone 2"
    } else {
        "Zone 1"
    }
}

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let sku = attrs.str("sku").unwrap_or("Basic");
    let meter = if sku == "Basic" { "Basic Gateway" } else { sku };
    p.push(ComponentSpec::hourly(
        format!("VPN gateway ({sku})"),
        "hours",
        Decimal::ONE,
        filter(SERVICE, FAMILY, ctx.region, "Hrs").attr("meterName", meter),
    ));
    let tunnels = ctx.usage.decimal("p2s_connection");
    let extra = tunnels.map(|t| (t - INCLUDED_TUNNELS).max(Decimal::ZERO));
    // Within the included tunnels there is nothing to bill, so no line.
    if extra.is_none_or(|e| e > Decimal::ZERO) {
        let tunnel = filter(SERVICE, FAMILY, ctx.region, "Hrs").attr("meterName", "P2S Connection");
        p.push(match extra {
            Some(n) => {
                ComponentSpec::hourly("VPN gateway P2S tunnels (over 128)", "tunnel", n, tunnel)
                    .per(HOURS_PER_MONTH)
            }
            None => {
                ComponentSpec::usage("VPN gateway P2S tunnels (over 128)", "tunnel", None, tunnel)
                    .per(HOURS_PER_MONTH)
            }
        });
    }
    p.push(ComponentSpec::usage(
        "VPN gateway data tranfer",
        "GB",
        ctx.usage.decimal("monthly_data_transfer_gb"),
        filter(SERVICE, FAMILY, bandwidth_zone(ctx.region), "GB")
            .attr("meterName", "Inter-Virtual Network Data Transfer Out"),
    ));
    p
}

#[cfg(test)]
mod tests {
    use super::bandwidth_zone;
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    fn gateway(sku: &str, usage: Option<&str>) -> crate::cost::ResourceCost {
        let usage = usage.map(|u| {
            format!("version: 0.1\nresource_usage:\n  azurerm_virtual_network_gateway.test:\n{u}")
        });
        price(
            "azurerm_virtual_network_gateway",
            json!({"location": "eastus", "sku": sku, "type": "Vpn"}),
            "eastus",
            usage.as_deref(),
        )
    }

    #[test]
    fn gateway_tunnels_beyond_128_and_transfer() {
        // VpnGw2: 730 h × $0.49 = $357.70; 150 − 128 = 22 tunnels × $7.30 = $160.60;
        // 20 GB × $0.035 = $0.70
        let r = gateway(
            "VpnGw2",
            Some("    p2s_connection: 150\n    monthly_data_transfer_gb: 20\n"),
        );
        assert_eq!(
            component(&r, "VPN gateway (VpnGw2)").monthly_cost,
            Some(dec!(357.70))
        );
        let t = component(&r, "VPN gateway P2S tunnels (over 128)");
        assert_eq!(
            (t.monthly_quantity, t.monthly_cost),
            (Some(dec!(22)), Some(dec!(160.60)))
        );
        assert_eq!(
            component(&r, "VPN gateway data tranfer").monthly_cost,
            Some(dec!(0.70))
        );
    }

    #[test]
    fn tunnels_within_the_included_have_no_line_and_no_usage_waits() {
        let r = gateway("VpnGw1", Some("    p2s_connection: 100\n"));
        assert!(
            r.all_components()
                .iter()
                .all(|(n, _)| !n.starts_with("VPN gateway P2S"))
        );
        let r = gateway("Basic", None);
        assert_eq!(
            component(&r, "VPN gateway (Basic)").monthly_cost,
            Some(dec!(26.28))
        );
        let t = component(&r, "VPN gateway P2S tunnels (over 128)");
        assert_eq!(t.status, ComponentStatus::UsageMissing);
        assert_eq!(t.price, Some(dec!(7.30)));
    }

    #[test]
    fn bandwidth_zones() {
        assert_eq!(bandwidth_zone("westeurope"), "Zone 1");
        assert_eq!(bandwidth_zone("southeastasia"), "Zone 2");
        assert_eq!(bandwidth_zone("brazilsouth"), "Zone 3");
        assert_eq!(bandwidth_zone("usgovvirginia"), "US Gov Zone 1");
    }
}
