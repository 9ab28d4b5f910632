//! `azurerm_private_endpoint`: the endpoint per hour, and inbound and
//! outbound data processed per GB in tiers (first 1 PB, next 4 PB, over
//! 5 PB), from usage keys `monthly_inbound_data_processed_gb` and
//! `monthly_outbound_data_processed_gb`.

use super::filter;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};
use rust_decimal::Decimal;

const SERVICE: &str = "Virtual Network";
const FAMILY: &str = "Private Link";

pub(crate) fn price(_attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    p.push(ComponentSpec::hourly(
        "Private endpoint",
        "hour",
        Decimal::ONE,
        filter(SERVICE, FAMILY, ctx.region, "Hrs").attr("meterName", "Private Endpoint"),
    ));
    for (direction, key, meter, tiers) in [
        (
            "Inbound",
            "monthly_inbound_data_processed_gb",
            "Data Processed - Ingress",
            &[
                "Inbound data processed (first 1PB)",
                "Inbound data processed (next 4PB)",
                "Inbound data processed (over 5PB)",
            ],
        ),
        (
            "Outbound",
            "monthly_outbound_data_processed_gb",
            "Data Processed - Egress",
            &[
                "Outbound data processed (first 1PB)",
                "Outbound data processed (next 4PB)",
                "Outbound data processed (over 5PB)",
            ],
        ),
    ] {
        p.push(
            ComponentSpec::usage(
                format!("{direction} data processed"),
                "GB",
                ctx.usage.decimal(key),
                filter(SERVICE, FAMILY, ctx.region, "GB").attr("meterName", meter),
            )
            .tier_names(tiers),
        );
    }
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    #[test]
    fn data_crosses_all_three_tiers() {
        // 5,120,000 GB: 1,000,000 × $0.01 = $10,000; 4,000,000 × $0.006 = $24,000;
        // 120,000 × $0.004 = $480; endpoint 730 h × $0.01 = $7.30
        let usage = "version: 0.1\nresource_usage:\n  azurerm_private_endpoint.test:\n    monthly_inbound_data_processed_gb: 5120000\n    monthly_outbound_data_processed_gb: 5120000\n";
        let r = price(
            "azurerm_private_endpoint",
            json!({"location": "westus"}),
            "westus",
            Some(usage),
        );
        let c = component(&r, "Private endpoint");
        assert_eq!(
            (c.unit.as_str(), c.monthly_cost),
            ("hour", Some(dec!(7.30)))
        );
        for dir in ["Inbound", "Outbound"] {
            let t = |n: &str| component(&r, &format!("{dir} data processed ({n})")).monthly_cost;
            assert_eq!(t("first 1PB"), Some(dec!(10000)));
            assert_eq!(t("next 4PB"), Some(dec!(24000)));
            assert_eq!(t("over 5PB"), Some(dec!(480)));
        }
        assert_eq!(r.monthly_cost, Some(dec!(68967.30)));
    }

    #[test]
    fn one_direction_known_the_other_waits() {
        // 100 GB inbound × $0.01 = $1.00
        let usage = "version: 0.1\nresource_usage:\n  azurerm_private_endpoint.test:\n    monthly_inbound_data_processed_gb: 100\n";
        let r = price(
            "azurerm_private_endpoint",
            json!({"location": "westus"}),
            "westus",
            Some(usage),
        );
        let c = component(&r, "Inbound data processed (first 1PB)");
        assert_eq!(c.monthly_cost, Some(dec!(1.00)));
        let c = component(&r, "Outbound data processed (first 1PB)");
        assert_eq!(c.status, ComponentStatus::UsageMissing);
        assert_eq!(c.price, Some(dec!(0.01)));
    }
}
