//! `azurerm_lb`: a Standard (or Gateway) load balancer's data processed per
//! GB, from usage key `monthly_data_processed_gb`. Basic load balancers are
//! free; Infracost no longer prices load-balancing rules.

use super::filter;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};
use rust_decimal::Decimal;

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let sku = attrs.str("sku").unwrap_or("Basic");
    if sku.eq_ignore_ascii_case("basic") {
        p.note("Basic load balancers are free");
        return p;
    }
    p.push(data_processed(
        ctx.region,
        ctx.usage.decimal("monthly_data_processed_gb"),
    ));
    p
}

/// A Standard load balancer's data processed (also an AKS cluster's).
pub(super) fn data_processed(region: &str, gb: Option<Decimal>) -> ComponentSpec {
    ComponentSpec::usage(
        "Data processed",
        "GB",
        gb,
        filter("Load Balancer", "Load Balancer", region, "GB")
            .attr("meterName", "Standard Data Processed"),
    )
}

#[cfg(test)]
mod tests {
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    #[test]
    fn standard_bills_data_processed_from_usage() {
        // 100 GB × $0.005 = $0.50
        let usage = "version: 0.1\nresource_usage:\n  azurerm_lb.test:\n    monthly_data_processed_gb: 100\n";
        let r = price(
            "azurerm_lb",
            json!({"location": "eastus", "sku": "Standard"}),
            "eastus",
            Some(usage),
        );
        let c = component(&r, "Data processed");
        assert_eq!(c.monthly_quantity, Some(dec!(100)));
        assert_eq!(c.monthly_cost, Some(dec!(0.50)));
    }

    #[test]
    fn without_usage_it_waits_and_basic_is_free() {
        let r = price(
            "azurerm_lb",
            json!({"location": "eastus", "sku": "Standard"}),
            "eastus",
            None,
        );
        let c = component(&r, "Data processed");
        assert_eq!(c.status, ComponentStatus::UsageMissing);
        assert_eq!(c.price, Some(dec!(0.005)));
        let r = price("azurerm_lb", json!({"location": "eastus"}), "eastus", None);
        assert!(r.all_components().is_empty());
    }
}
