//! `azurerm_eventgrid_topic` and `azurerm_eventgrid_system_topic` (custom
//! and system topics bill alike): operations per 100K
//! (`monthly_operations`, rounded down to whole 100Ks), every one at the
//! paid rate after the price list's free first 100K, as Infracost prices
//! them.

use super::filter;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};
use rust_decimal_macros::dec;

pub(crate) fn price(_attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    p.push(
        ComponentSpec::usage(
            "Operations",
            "100k operations",
            ctx.usage
                .decimal("monthly_operations")
                .map(|n| (n / dec!(100000)).floor()),
            filter("Event Grid", "Internet of Things", ctx.region, "100K")
                .attr("skuName", "Standard")
                .attr("meterName", "Standard Operations"),
        )
        .beyond_free_tier(),
    );
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    #[test]
    fn operations_per_whole_100k_at_the_paid_rate() {
        for ty in ["azurerm_eventgrid_topic", "azurerm_eventgrid_system_topic"] {
            // 860,000 operations → 8 × 100K (rounded down) × $0.06 = $0.48
            let usage = format!(
                "version: 0.1\nresource_usage:\n  {ty}.test:\n    monthly_operations: 860000\n"
            );
            let r = price(
                ty,
                json!({"location": "westeurope"}),
                "westeurope",
                Some(&usage),
            );
            let c = component(&r, "Operations");
            assert_eq!(
                (c.monthly_quantity, c.monthly_cost),
                (Some(dec!(8)), Some(dec!(0.48))),
                "{ty}"
            );
            let r = price(ty, json!({"location": "westeurope"}), "westeurope", None);
            let c = component(&r, "Operations");
            assert_eq!(c.status, ComponentStatus::UsageMissing);
            assert_eq!(c.price, Some(dec!(0.06)));
        }
    }
}
