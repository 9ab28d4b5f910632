//! `azurerm_iothub_dps`: device provisioning operations per 1K
//! (`monthly_operations`) at the `sku.name` tier's rate, as Infracost
//! prices it.

use super::filter;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};
use rust_decimal_macros::dec;

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let Some(name) = attrs
        .block("sku")
        .and_then(|sku| sku.str("name").map(str::to_ascii_uppercase))
    else {
        p.note("sku.name is not known at plan time; the provisioning service is not priced");
        return p;
    };
    p.push(ComponentSpec::usage(
        "Device provisioning",
        "1k operations",
        ctx.usage
            .decimal("monthly_operations")
            .map(|n| n / dec!(1000)),
        filter("IoT Hub", "Internet of Things", ctx.region, "1K")
            .attr("skuName", name.clone())
            .attr("meterName", format!("{name} Operations")),
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
    fn operations_per_thousand() {
        // 10,000 operations = 10 × 1K × $0.10 = $1.00
        let usage = "version: 0.1\nresource_usage:\n  azurerm_iothub_dps.test:\n    monthly_operations: 10000\n";
        let attrs = json!({"location": "westeurope", "sku": [{"name": "S1", "capacity": 2}]});
        let r = price(
            "azurerm_iothub_dps",
            attrs.clone(),
            "westeurope",
            Some(usage),
        );
        let c = component(&r, "Device provisioning");
        assert_eq!(
            (c.monthly_quantity, c.monthly_cost),
            (Some(dec!(10)), Some(dec!(1)))
        );
        let r = price("azurerm_iothub_dps", attrs, "westeurope", None);
        let c = component(&r, "Device provisioning");
        assert_eq!(c.status, ComponentStatus::UsageMissing);
        assert_eq!(c.price, Some(dec!(0.1)));
        let r = price(
            "azurerm_iothub_dps",
            json!({"location": "westeurope"}),
            "westeurope",
            None,
        );
        assert!(r.all_components().is_empty());
    }
}
