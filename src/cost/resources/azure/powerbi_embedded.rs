//! `azurerm_powerbi_embedded`: the capacity node per hour by `sku_name`
//! (`A1` … `A8`), as Infracost prices it.

use super::filter;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};
use rust_decimal::Decimal;

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let Some(sku) = attrs.str("sku_name") else {
        p.note("sku_name not known at plan time; the Power BI Embedded capacity is not priced");
        return p;
    };
    let sku = sku.to_ascii_uppercase();
    p.push(ComponentSpec::hourly(
        format!("Node usage ({sku})"),
        "hours",
        Decimal::ONE,
        filter("Power BI Embedded", "Analytics", ctx.region, "Hrs").attr("skuName", sku),
    ));
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    fn capacity(sku: &str, region: &str) -> crate::cost::ResourceCost {
        price(
            "azurerm_powerbi_embedded",
            json!({"location": region, "sku_name": sku}),
            region,
            None,
        )
    }

    #[test]
    fn node_hours_by_sku() {
        // A1: 730 h × $1.0081 = $735.913; A5: 730 h × $16.121 = $11,768.33
        let r = capacity("A1", "westeurope");
        assert_eq!(
            component(&r, "Node usage (A1)").monthly_cost,
            Some(dec!(735.913))
        );
        let r = capacity("a5", "westeurope");
        assert_eq!(
            component(&r, "Node usage (A5)").monthly_cost,
            Some(dec!(11768.33))
        );
        let r = capacity("A1", "eastus");
        assert_eq!(
            component(&r, "Node usage (A1)").status,
            ComponentStatus::NoPriceFound
        );
    }
}
