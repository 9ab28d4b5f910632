//! `azurerm_logic_app_integration_account`: the account's monthly price by
//! `sku_name` (Basic, Standard), shown as 730 hours as Infracost shows it.
//! The Free sku costs nothing and shows no components.

use super::{filter, title_case};
use crate::cost::component::HOURS_PER_MONTH;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};
use rust_decimal::Decimal;

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let Some(sku) = attrs.str("sku_name").map(title_case) else {
        p.note("sku_name not known at plan time; the integration account is not priced");
        return p;
    };
    if sku == "Free" {
        p.note("the Free sku costs nothing");
        return p;
    }
    p.push(
        ComponentSpec::monthly(
            format!("Integration Account ({sku})"),
            "hours",
            Decimal::ONE,
            filter("Logic Apps", "Integration", ctx.region, "1/Month")
                .attr("productName", "Logic Apps Integration Account")
                .attr("skuName", sku.clone())
                .attr("meterName", format!("{sku} Unit")),
        )
        // One month shown as its 730 hours.
        .per(Decimal::ONE / HOURS_PER_MONTH),
    );
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    fn account(sku: &str) -> crate::cost::ResourceCost {
        price(
            "azurerm_logic_app_integration_account",
            json!({"location": "westeurope", "sku_name": sku}),
            "westeurope",
            None,
        )
    }

    #[test]
    fn a_month_of_the_sku_shown_in_hours() {
        // Standard: 1 month × $1,000 = $1,000 (730 hours); Basic: 1 × $300
        let r = account("Standard");
        let c = component(&r, "Integration Account (Standard)");
        assert_eq!(c.monthly_cost, Some(dec!(1000)));
        assert_eq!(c.monthly_quantity.map(|q| q.round_dp(6)), Some(dec!(730)));
        let r = account("basic");
        assert_eq!(
            component(&r, "Integration Account (Basic)").monthly_cost,
            Some(dec!(300))
        );
    }

    #[test]
    fn free_shows_nothing() {
        let r = account("Free");
        assert!(r.all_components().is_empty());
    }
}
