//! `azurerm_signalr_service`: units (`sku.capacity`) at the `sku.name`
//! tier's price per day, over a month of 730 / 24 days, and additional
//! messages per 1M (`monthly_additional_messages`), as Infracost prices it.
//! The Free tier costs nothing and shows no components.

use super::{filter, title_case};
use crate::cost::component::HOURS_PER_MONTH;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

const SERVICE: &str = "SignalR";
const FAMILY: &str = "Analytics";

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let Some(sku) = attrs.block("sku") else {
        p.note("the sku block is not known at plan time; the SignalR service is not priced");
        return p;
    };
    let Some(name) = sku.str("name") else {
        p.note("sku.name is not known at plan time; the SignalR service is not priced");
        return p;
    };
    // `Standard_S1` → `Standard`.
    let tier = title_case(name.split('_').next().unwrap_or(name));
    if tier == "Free" {
        p.note("the Free tier costs nothing");
        return p;
    }
    let capacity = sku.decimal("capacity").unwrap_or(Decimal::ONE);
    let days = HOURS_PER_MONTH / dec!(24);
    let Some(unit_days) = p.mul("sku.capacity × days in a month", capacity, days) else {
        return p;
    };
    p.push(
        ComponentSpec::monthly(
            format!("Service usage ({tier})"),
            "units",
            unit_days,
            filter(SERVICE, FAMILY, ctx.region, "1/Day").attr("meterName", format!("{tier} Unit")),
        )
        .per(days),
    );
    p.push(ComponentSpec::usage(
        format!("Additional messages ({tier})"),
        "1M messages",
        ctx.usage
            .decimal("monthly_additional_messages")
            .map(|n| n / dec!(1000000)),
        filter(SERVICE, FAMILY, ctx.region, "1M").attr("meterName", format!("{tier} Message")),
    ));
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    fn signalr(sku: &str, capacity: u32, messages: Option<u64>) -> crate::cost::ResourceCost {
        let usage = messages.map(|n| {
            format!("version: 0.1\nresource_usage:\n  azurerm_signalr_service.test:\n    monthly_additional_messages: {n}\n")
        });
        price(
            "azurerm_signalr_service",
            json!({"location": "westeurope", "sku": [{"name": sku, "capacity": capacity}]}),
            "westeurope",
            usage.as_deref(),
        )
    }

    #[test]
    fn units_per_day_and_messages_per_million() {
        // Standard, 5 units: 5 × 730/24 days × $1.61 = $244.854…; 1,234,567 messages × $1/1M = $1.234567
        let r = signalr("Standard_S1", 5, Some(1_234_567));
        let c = component(&r, "Service usage (Standard)");
        assert_eq!(c.monthly_quantity.map(|q| q.round_dp(6)), Some(dec!(5)));
        assert_eq!(c.monthly_cost.map(|q| q.round_dp(2)), Some(dec!(244.85)));
        let c = component(&r, "Additional messages (Standard)");
        assert_eq!(
            (c.monthly_quantity, c.monthly_cost),
            (Some(dec!(1.234567)), Some(dec!(1.234567)))
        );
        // Premium, 1 unit: 730/24 days × $2 = $60.833…
        let r = signalr("Premium_P1", 1, None);
        let c = component(&r, "Service usage (Premium)");
        assert_eq!(c.monthly_cost.map(|q| q.round_dp(2)), Some(dec!(60.83)));
        let c = component(&r, "Additional messages (Premium)");
        assert_eq!(c.status, ComponentStatus::UsageMissing);
        assert_eq!(c.price, Some(dec!(1)));
    }

    #[test]
    fn free_tier_and_missing_sku_show_nothing() {
        assert!(signalr("Free_F1", 1, None).all_components().is_empty());
        let r = price(
            "azurerm_signalr_service",
            json!({"location": "westeurope"}),
            "westeurope",
            None,
        );
        assert!(r.all_components().is_empty());
        assert!(r.metadata.notes.iter().any(|n| n.contains("sku")));
    }
}
