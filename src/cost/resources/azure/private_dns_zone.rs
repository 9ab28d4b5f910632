//! `azurerm_private_dns_zone`: one hosted zone per month, priced like a public
//! zone by the DNS pricing zone of its location (Infracost prices it with the
//! public zone's meter; see [`super::dns_zone`]).

use super::dns_zone::hosted_zone;
use crate::cost::{Attrs, Ctx, Priced};

pub(crate) fn price(_attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    p.push(hosted_zone(ctx.region));
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    #[test]
    fn a_private_zone_is_priced_by_its_dns_pricing_zone() {
        // 1 month × $0.50 (Zone 1); 1 month × $0.54 (DE Zone 1)
        for (region, cost) in [("westus", dec!(0.50)), ("germanywestcentral", dec!(0.54))] {
            let r = price(
                "azurerm_private_dns_zone",
                json!({"name": "privatelink.example.com", "location": region}),
                region,
                None,
            );
            let c = component(&r, "Hosted zone");
            assert_eq!(c.monthly_quantity, Some(dec!(1)));
            assert_eq!(c.monthly_cost, Some(cost), "{region}");
        }
        // US Gov Zone 1 has no price in our tables
        let r = price(
            "azurerm_private_dns_zone",
            json!({"name": "privatelink.example.us", "location": "usgovvirginia"}),
            "usgovvirginia",
            None,
        );
        assert_eq!(
            component(&r, "Hosted zone").status,
            ComponentStatus::NoPriceFound
        );
    }
}
