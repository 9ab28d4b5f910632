//! `azurerm_notification_hub_namespace`: the namespace per month by
//! `sku_name` (Basic when unset) and pushes per 1M (`monthly_pushes`) in the
//! price list's tiers, the first 10M included, as Infracost prices it. The
//! Free sku costs nothing and shows no components.
//!
//! Without usage the pushes line shows as the first paid tier.

use super::{filter, title_case};
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

const SERVICE: &str = "Notification Hubs";
const BASIC_TIERS: &[&str] = &["Pushes (first 10M)", "Pushes (over 10M)"];
const STANDARD_TIERS: &[&str] = &[
    "Pushes (first 10M)",
    "Pushes (10-100M)",
    "Pushes (over 100M)",
];

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let sku = title_case(attrs.str("sku_name").unwrap_or("Basic"));
    if sku == "Free" {
        p.note("the Free sku costs nothing");
        return p;
    }
    let meter = |unit: &'static str, meter: &str| {
        filter(SERVICE, SERVICE, ctx.region, unit)
            .attr("productName", SERVICE)
            .attr("skuName", sku.clone())
            .attr("meterName", format!("{sku} {meter}"))
    };
    p.push(ComponentSpec::monthly(
        format!("Namespace usage ({sku})"),
        "months",
        Decimal::ONE,
        meter("1/Month", "Unit"),
    ));
    let pushes = ctx
        .usage
        .decimal("monthly_pushes")
        .map(|n| n / dec!(1000000));
    let names = if sku == "Basic" {
        BASIC_TIERS
    } else {
        STANDARD_TIERS
    };
    let spec = ComponentSpec::usage(names[0], "1M pushes", pushes, meter("1M", "Pushes"));
    p.push(if pushes.is_some() {
        spec.tier_names(names)
    } else {
        spec.beyond_free_tier().tier_names(&names[1..])
    });
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    fn namespace(sku: Option<&str>, pushes: Option<u64>) -> crate::cost::ResourceCost {
        let usage = pushes.map(|n| {
            format!("version: 0.1\nresource_usage:\n  azurerm_notification_hub_namespace.test:\n    monthly_pushes: {n}\n")
        });
        price(
            "azurerm_notification_hub_namespace",
            json!({"location": "eastus", "sku_name": sku}),
            "eastus",
            usage.as_deref(),
        )
    }

    #[test]
    fn basic_namespace_and_pushes_over_10m() {
        // 1 month × $10; 200M pushes: 10 included, 190 × $1 = $190
        let r = namespace(Some("Basic"), Some(200_000_000));
        assert_eq!(
            component(&r, "Namespace usage (Basic)").monthly_cost,
            Some(dec!(10))
        );
        let c = component(&r, "Pushes (over 10M)");
        assert_eq!(
            (c.monthly_quantity, c.monthly_cost),
            (Some(dec!(190)), Some(dec!(190)))
        );
        // no sku_name is Basic; without usage the paid tier waits at $1
        let r = namespace(None, None);
        let c = component(&r, "Pushes (over 10M)");
        assert_eq!(c.status, ComponentStatus::UsageMissing);
        assert_eq!(c.price, Some(dec!(1)));
    }

    #[test]
    fn standard_pushes_in_two_paid_tiers() {
        // 1 month × $200; 130M pushes: 10 included, 90 × $10 = $900, 30 × $2.50 = $75
        let r = namespace(Some("Standard"), Some(130_000_000));
        assert_eq!(
            component(&r, "Namespace usage (Standard)").monthly_cost,
            Some(dec!(200))
        );
        let c = component(&r, "Pushes (10-100M)");
        assert_eq!(
            (c.monthly_quantity, c.monthly_cost),
            (Some(dec!(90)), Some(dec!(900)))
        );
        let c = component(&r, "Pushes (over 100M)");
        assert_eq!(
            (c.monthly_quantity, c.monthly_cost),
            (Some(dec!(30)), Some(dec!(75)))
        );
        let r = namespace(Some("Standard"), None);
        assert_eq!(component(&r, "Pushes (10-100M)").price, Some(dec!(10)));
    }

    #[test]
    fn free_shows_nothing() {
        assert!(namespace(Some("Free"), None).all_components().is_empty());
    }
}
