//! `azurerm_iothub`: hub units per month (`sku.capacity` of the `sku.name`
//! tier, S1 … S3, B1 … B3), as Infracost prices it. The free tier (F1) costs
//! nothing and shows no components.

use super::filter;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};
use rust_decimal::Decimal;

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let Some(sku) = attrs.block("sku") else {
        p.note("the sku block is not known at plan time; the IoT hub is not priced");
        return p;
    };
    let Some(name) = sku.str("name").map(str::to_ascii_uppercase) else {
        p.note("sku.name is not known at plan time; the IoT hub is not priced");
        return p;
    };
    if name == "F1" {
        p.note("the free tier (F1) costs nothing");
        return p;
    }
    let units = sku.decimal("capacity").unwrap_or(Decimal::ONE);
    p.push(ComponentSpec::monthly(
        "IoT Hub",
        "units",
        units,
        filter("IoT Hub", "Internet of Things", ctx.region, "1/Month")
            .attr("skuName", name.clone())
            .attr("meterName", format!("{name} Unit")),
    ));
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    fn hub(name: &str, capacity: u32) -> crate::cost::ResourceCost {
        price(
            "azurerm_iothub",
            json!({"location": "westeurope", "sku": [{"name": name, "capacity": capacity}]}),
            "westeurope",
            None,
        )
    }

    #[test]
    fn units_per_month() {
        // S1 × 2 units × $25 = $50
        let r = hub("S1", 2);
        let c = component(&r, "IoT Hub");
        assert_eq!(
            (c.monthly_quantity, c.monthly_cost),
            (Some(dec!(2)), Some(dec!(50)))
        );
    }

    #[test]
    fn the_free_tier_shows_nothing() {
        assert!(hub("F1", 1).all_components().is_empty());
    }
}
