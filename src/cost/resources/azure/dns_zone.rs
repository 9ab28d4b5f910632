//! `azurerm_dns_zone`: one public hosted zone per month. Azure DNS bills
//! zones by pricing zone, not by location: `Zone 1` everywhere but the
//! sovereign clouds (US Gov, Germany, China), whose zones are priced apart.

use super::filter;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};
use rust_decimal::Decimal;

pub(crate) fn price(_attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    p.push(hosted_zone(ctx.region));
    p
}

/// The pricing zone Azure DNS bills a location in.
pub(super) fn dns_zone_of(region: &str) -> &'static str {
    let r = region.to_ascii_lowercase();
    if r.starts_with("usgov") {
        "US Gov Zone 1"
    } else if r.starts_with("germany") {
        "DE Zone 1"
    } else if r.starts_with("china") {
        "Zone 1 (China)"
    } else {
        "Zone 1"
    }
}

/// A public hosted zone for a month (also created by AKS HTTP application routing).
pub(super) fn hosted_zone(region: &str) -> ComponentSpec {
    ComponentSpec::monthly(
        "Hosted zone",
        "months",
        Decimal::ONE,
        filter("Azure DNS", "Zones", dns_zone_of(region), "Month").attr("meterName", "Public Zone"),
    )
}

#[cfg(test)]
mod tests {
    use super::dns_zone_of;
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    #[test]
    fn a_zone_is_half_a_dollar_a_month_wherever_it_lives() {
        // 1 month × $0.50 (Zone 1), for westus as for westeurope
        for region in ["westus", "westeurope"] {
            let r = price(
                "azurerm_dns_zone",
                json!({"name": "example.com", "resource_group_name": "rg"}),
                region,
                None,
            );
            let c = component(&r, "Hosted zone");
            assert_eq!(c.monthly_quantity, Some(dec!(1)));
            assert_eq!(c.monthly_cost, Some(dec!(0.50)));
        }
    }

    #[test]
    fn sovereign_clouds_have_their_own_zones_germany_priced_us_gov_not() {
        assert_eq!(dns_zone_of("usgovvirginia"), "US Gov Zone 1");
        assert_eq!(dns_zone_of("germanywestcentral"), "DE Zone 1");
        assert_eq!(dns_zone_of("chinanorth2"), "Zone 1 (China)");
        assert_eq!(dns_zone_of("southeastasia"), "Zone 1");
        // Germany's zone: 1 month × $0.54
        let r = price(
            "azurerm_dns_zone",
            json!({"name": "example.de", "location": "germanywestcentral"}),
            "germanywestcentral",
            None,
        );
        assert_eq!(component(&r, "Hosted zone").monthly_cost, Some(dec!(0.54)));
        let r = price(
            "azurerm_dns_zone",
            json!({"name": "example.gov", "location": "usgovvirginia"}),
            "usgovvirginia",
            None,
        );
        let c = component(&r, "Hosted zone");
        assert_eq!(c.status, ComponentStatus::NoPriceFound);
        assert_eq!(c.monthly_cost, None);
    }
}
