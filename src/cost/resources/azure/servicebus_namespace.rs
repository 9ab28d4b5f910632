//! `azurerm_servicebus_namespace`, as Infracost prices it by `sku`:
//! - Premium: messaging units per hour (`capacity`), shown in units;
//! - Basic: messaging operations per 1M (`monthly_messaging_operations`);
//! - Standard: a base charge per hour, messaging operations in the price
//!   list's tiers (the first 13M free) and brokered connections
//!   (`monthly_brokered_connections`) in tiers (the first 1K free).
//!
//! Without usage a tiered line shows as its first paid tier, as Infracost
//! shows it.

use super::{filter, title_case};
use crate::cost::component::HOURS_PER_MONTH;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

const SERVICE: &str = "Service Bus";
const FAMILY: &str = "Integration";
const OPERATION_TIERS: &[&str] = &[
    "Messaging operations (first 13M)",
    "Messaging operations (13M-100M)",
    "Messaging operations (100M-2,500M)",
    "Messaging operations (over 2,500M)",
];
const CONNECTION_TIERS: &[&str] = &[
    "Brokered connections (first 1K)",
    "Brokered connections (1K-100K)",
    "Brokered connections (100K-500K)",
    "Brokered connections (over 500K)",
];

/// A tiered usage line whose first tier is free: with usage every tier it
/// reaches is shown; without, the first paid tier's name and price.
fn tiered(
    unit: &'static str,
    quantity: Option<Decimal>,
    names: &'static [&'static str],
    filter: crate::pricing::PriceFilter,
) -> ComponentSpec {
    let spec = ComponentSpec::usage(names[0], unit, quantity, filter);
    if quantity.is_some() {
        spec.tier_names(names)
    } else {
        spec.beyond_free_tier().tier_names(&names[1..])
    }
}

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let Some(sku) = attrs.str("sku").map(title_case) else {
        p.note("sku not known at plan time; the Service Bus namespace is not priced");
        return p;
    };
    let meter = |unit: &'static str, meter: &str| {
        filter(SERVICE, FAMILY, ctx.region, unit)
            .attr("skuName", sku.clone())
            .attr("meterName", format!("{sku} {meter}"))
    };
    let operations = ctx
        .usage
        .decimal("monthly_messaging_operations")
        .map(|n| n / dec!(1000000));
    match sku.as_str() {
        "Premium" => {
            let capacity = attrs.decimal("capacity").unwrap_or(Decimal::ONE);
            p.push(
                ComponentSpec::hourly(
                    "Messaging units",
                    "units",
                    capacity,
                    meter("1/Hour", "Messaging Unit"),
                )
                .per(HOURS_PER_MONTH),
            );
        }
        "Basic" => p.push(ComponentSpec::usage(
            "Messaging operations",
            "1M operations",
            operations,
            meter("1M", "Messaging Operations"),
        )),
        _ => {
            p.push(ComponentSpec::hourly(
                "Base charge",
                "hours",
                Decimal::ONE,
                meter("1/Hour", "Base Unit"),
            ));
            p.push(tiered(
                "1M operations",
                operations,
                OPERATION_TIERS,
                meter("1M", "Messaging Operations"),
            ));
            p.push(tiered(
                "connections",
                ctx.usage.decimal("monthly_brokered_connections"),
                CONNECTION_TIERS,
                meter("1", "Brokered Connection"),
            ));
        }
    }
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    fn namespace(sku: &str, capacity: u32, usage: Option<&str>) -> crate::cost::ResourceCost {
        price(
            "azurerm_servicebus_namespace",
            json!({"location": "westeurope", "sku": sku, "capacity": capacity}),
            "westeurope",
            usage,
        )
    }

    #[test]
    fn premium_is_messaging_units_per_hour() {
        // 16 units × 730 h × $0.9275 = $10,833.20
        let r = namespace("Premium", 16, None);
        let c = component(&r, "Messaging units");
        assert_eq!(
            (c.monthly_quantity, c.monthly_cost),
            (Some(dec!(16)), Some(dec!(10833.20)))
        );
        assert_eq!(r.all_components().len(), 1);
    }

    #[test]
    fn basic_is_operations_per_million() {
        // 1,000,000,000 operations = 1,000 × 1M × $0.05 = $50
        let usage = "version: 0.1\nresource_usage:\n  azurerm_servicebus_namespace.test:\n    monthly_messaging_operations: 1000000000\n";
        let r = namespace("Basic", 0, Some(usage));
        let c = component(&r, "Messaging operations");
        assert_eq!(
            (c.monthly_quantity, c.monthly_cost),
            (Some(dec!(1000)), Some(dec!(50)))
        );
        let r = namespace("Basic", 0, None);
        assert_eq!(
            component(&r, "Messaging operations").status,
            ComponentStatus::UsageMissing
        );
    }

    #[test]
    fn standard_tiers_operations_and_connections() {
        // base: 730 h × $0.01344 = $9.8112
        // 3,000M operations: 13 free, 87 × $0.80 = $69.60, 2,400 × $0.50 = $1,200, 500 × $0.20 = $100
        // 1,000,000 connections: 1,000 free, 99,000 × $0.03 = $2,970,
        //   400,000 × $0.025 = $10,000, 500,000 × $0.015 = $7,500
        let usage = "version: 0.1\nresource_usage:\n  azurerm_servicebus_namespace.test:\n    monthly_messaging_operations: 3000000000\n    monthly_brokered_connections: 1000000\n";
        let r = namespace("Standard", 0, Some(usage));
        assert_eq!(
            component(&r, "Base charge").monthly_cost,
            Some(dec!(9.8112))
        );
        for (name, qty, cost) in [
            ("Messaging operations (first 13M)", dec!(13), dec!(0)),
            ("Messaging operations (13M-100M)", dec!(87), dec!(69.60)),
            ("Messaging operations (100M-2,500M)", dec!(2400), dec!(1200)),
            ("Messaging operations (over 2,500M)", dec!(500), dec!(100)),
            ("Brokered connections (first 1K)", dec!(1000), dec!(0)),
            ("Brokered connections (1K-100K)", dec!(99000), dec!(2970)),
            (
                "Brokered connections (100K-500K)",
                dec!(400000),
                dec!(10000),
            ),
            ("Brokered connections (over 500K)", dec!(500000), dec!(7500)),
        ] {
            let c = component(&r, name);
            assert_eq!(
                (c.monthly_quantity, c.monthly_cost),
                (Some(qty), Some(cost)),
                "{name}"
            );
        }
    }

    #[test]
    fn standard_without_usage_shows_the_first_paid_tiers() {
        let r = namespace("standard", 0, None);
        let ops = component(&r, "Messaging operations (13M-100M)");
        assert_eq!(ops.status, ComponentStatus::UsageMissing);
        assert_eq!(ops.price, Some(dec!(0.8)));
        let conns = component(&r, "Brokered connections (1K-100K)");
        assert_eq!(conns.price, Some(dec!(0.03)));
        assert_eq!(r.all_components().len(), 3);
    }
}
