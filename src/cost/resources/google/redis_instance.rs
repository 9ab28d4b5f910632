//! `google_redis_instance`: Memorystore for Redis, billed per GB-hour of
//! provisioned capacity (`memory_size_gb`) at the rate of its service tier
//! (`tier`: BASIC, or STANDARD_HA) and capacity tier: M1 up to 4 GB, M2 up to
//! 10 GB, M3 up to 35 GB, M4 up to 100 GB, M5 above.

use super::filter;
use crate::cost::component::HOURS_PER_MONTH;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};
use rust_decimal_macros::dec;

pub(crate) fn capacity_tier(gb: rust_decimal::Decimal) -> &'static str {
    if gb <= dec!(4) {
        "M1"
    } else if gb <= dec!(10) {
        "M2"
    } else if gb <= dec!(35) {
        "M3"
    } else if gb <= dec!(100) {
        "M4"
    } else {
        "M5"
    }
}

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let service_tier = match attrs.str("tier") {
        Some("STANDARD_HA") => "Standard",
        _ => "Basic",
    };
    let Some(gb) = attrs.decimal("memory_size_gb") else {
        p.note("memory_size_gb not known at plan time; the instance is not priced");
        return p;
    };
    let capacity = capacity_tier(gb);
    // Billed per GB-hour, shown per GB of capacity as Infracost shows it.
    p.push(
        ComponentSpec::monthly(
            format!(
                "Redis instance ({}, {capacity})",
                service_tier.to_ascii_lowercase()
            ),
            "GB",
            gb * HOURS_PER_MONTH,
            filter(
                "Cloud Memorystore for Redis",
                "ApplicationServices",
                ctx.region,
                "GB-Hrs",
                "on_demand",
            )
            .attr(
                "description",
                format!("Redis Capacity {service_tier} {capacity}"),
            ),
        )
        .per(HOURS_PER_MONTH),
    );
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cost::testing::{component, price};
    use serde_json::json;

    #[test]
    fn capacity_tiers_by_size() {
        assert_eq!(capacity_tier(dec!(1)), "M1");
        assert_eq!(capacity_tier(dec!(4.5)), "M2");
        assert_eq!(capacity_tier(dec!(35)), "M3");
        assert_eq!(capacity_tier(dec!(100)), "M4");
        assert_eq!(capacity_tier(dec!(300)), "M5");
    }

    #[test]
    fn basic_and_standard_per_gb_hour() {
        // basic 1 GB: 730 GB-h × $0.049 = $35.77, shown as 1 GB as Infracost shows it;
        // standard 45 GB: 32,850 GB-h × $0.035 = $1,149.75
        let r = price(
            "google_redis_instance",
            json!({"region": "us-central1", "memory_size_gb": 1}),
            "us-central1",
            None,
        );
        let c = component(&r, "Redis instance (basic, M1)");
        assert_eq!(c.unit, "GB");
        assert_eq!(c.monthly_quantity, Some(dec!(1)));
        assert_eq!(c.monthly_cost, Some(dec!(35.77)));
        let r = price(
            "google_redis_instance",
            json!({"region": "us-central1", "memory_size_gb": 45, "tier": "STANDARD_HA"}),
            "us-central1",
            None,
        );
        assert_eq!(
            component(&r, "Redis instance (standard, M4)").monthly_cost,
            Some(dec!(1149.75))
        );
    }

    #[test]
    fn unknown_size_is_noted() {
        let r = price(
            "google_redis_instance",
            json!({"region": "us-central1"}),
            "us-central1",
            None,
        );
        assert!(r.cost_components.is_empty());
        assert!(
            r.metadata
                .notes
                .iter()
                .any(|n| n.contains("memory_size_gb"))
        );
    }
}
