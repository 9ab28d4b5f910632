//! `azurerm_lb_rule`: a Standard load balancer rule per hour, billed past the
//! rules included with the balancer. As Infracost prices it, every rule is
//! billed (the first five a balancer includes are not counted off) at the
//! `global` price, or the US Gov or China one for a balancer there. Shared
//! with `azurerm_lb_outbound_rule` ([`super::lb_outbound_rule`]).

use super::filter;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};
use rust_decimal::Decimal;

pub(crate) fn price(_attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    p.push(rule_usage(ctx.region));
    p
}

/// One rule's hours, priced in the rules' pricing region.
pub(super) fn rule_usage(region: &str) -> ComponentSpec {
    ComponentSpec::hourly(
        "Rule usage",
        "hours",
        Decimal::ONE,
        filter("Load Balancer", "Networking", pricing_region(region), "Hrs")
            .attr("skuName", "Standard")
            .attr("meterName", "Overage LB Rules and Outbound Rules"),
    )
}

/// Rules are priced once for the public cloud (`global`), apart for US Gov
/// and China.
fn pricing_region(region: &str) -> &'static str {
    let r = region.to_ascii_lowercase();
    if r.contains("usgov") {
        "US Gov"
    } else if r.contains("china") {
        "China"
    } else {
        "global"
    }
}

#[cfg(test)]
mod tests {
    use super::pricing_region;
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    #[test]
    fn a_rule_is_a_cent_an_hour_in_any_public_region() {
        // 730 h × $0.01 = $7.30, eastus as westeurope
        for region in ["eastus", "westeurope"] {
            let r = price(
                "azurerm_lb_rule",
                json!({"name": "LBRule", "location": region, "protocol": "Tcp"}),
                region,
                None,
            );
            let c = component(&r, "Rule usage");
            assert_eq!(c.monthly_quantity, Some(dec!(730)));
            assert_eq!(c.monthly_cost, Some(dec!(7.30)));
        }
    }

    #[test]
    fn sovereign_clouds_are_priced_apart_and_not_shipped() {
        assert_eq!(pricing_region("usgovvirginia"), "US Gov");
        assert_eq!(pricing_region("chinanorth2"), "China");
        assert_eq!(pricing_region("southeastasia"), "global");
        let r = price(
            "azurerm_lb_rule",
            json!({"name": "LBRule", "location": "usgovvirginia"}),
            "usgovvirginia",
            None,
        );
        assert_eq!(
            component(&r, "Rule usage").status,
            ComponentStatus::NoPriceFound
        );
    }
}
