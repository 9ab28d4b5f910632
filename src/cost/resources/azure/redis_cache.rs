//! `azurerm_redis_cache`: cache nodes per hour by `sku_name`, `family` and
//! `capacity` (`Premium` `P` `1` is a P1). Basic is one node; Standard a
//! primary and replica billed as one cache (its price covers both nodes);
//! Premium bills each node: `shard_count` shards (at least one) of a primary
//! and `replicas_per_primary` (or the older `replicas_per_master`, default 1)
//! replicas. Shown in nodes, as Infracost shows them.

use super::filter;
use crate::cost::component::HOURS_PER_MONTH;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let (Some(tier), Some(family), Some(capacity)) = (
        attrs.str("sku_name"),
        attrs.str("family"),
        attrs.decimal("capacity"),
    ) else {
        p.note("sku_name, family or capacity not known at plan time; the cache is not priced");
        return p;
    };
    let size = format!("{}{}", family.to_ascii_uppercase(), capacity.normalize());
    let tier = match tier.to_ascii_lowercase().as_str() {
        "basic" => "Basic",
        "standard" => "Standard",
        "premium" => "Premium",
        other => {
            p.note(format!(
                "sku_name `{other}` is not a Redis cache tier (Basic, Standard, Premium); the cache is not priced"
            ));
            return p;
        }
    };
    // (billed units per hour, hours of the table's unit per node shown)
    let (units, per_node) = match tier {
        "Basic" => (Decimal::ONE, HOURS_PER_MONTH),
        // One cache-hour is two node-hours.
        "Standard" => (Decimal::ONE, HOURS_PER_MONTH / dec!(2)),
        _ => {
            let shards = attrs
                .decimal("shard_count")
                .filter(|s| *s > Decimal::ZERO)
                .unwrap_or(Decimal::ONE);
            let replicas = attrs
                .decimal("replicas_per_primary")
                .or_else(|| attrs.decimal("replicas_per_master"))
                .unwrap_or(Decimal::ONE);
            let Some(nodes) = p.mul(
                "shard_count × nodes per shard",
                shards,
                Decimal::ONE + replicas,
            ) else {
                return p;
            };
            (nodes, HOURS_PER_MONTH)
        }
    };
    p.push(
        ComponentSpec::hourly(
            format!("Cache usage ({tier}_{size})"),
            "nodes",
            units,
            filter("Redis Cache", "Cache", ctx.region, "Hrs")
                .attr("productName", format!("Azure Redis Cache {tier}"))
                .attr("skuName", size),
        )
        .per(per_node),
    );
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    fn cache(attrs: serde_json::Value) -> crate::cost::ResourceCost {
        price("azurerm_redis_cache", attrs, "eastus", None)
    }

    #[test]
    fn basic_is_one_node_and_standard_two_at_the_cache_price() {
        // Basic C4: 1 node × 730 h × $0.21 = $153.30
        let r =
            cache(json!({"location": "eastus", "sku_name": "Basic", "family": "C", "capacity": 4}));
        let c = component(&r, "Cache usage (Basic_C4)");
        assert_eq!(c.monthly_quantity, Some(dec!(1)));
        assert_eq!(c.monthly_cost, Some(dec!(153.30)));
        // Standard C3: 2 nodes, one cache × 730 h × $0.45 = $328.50
        let r = cache(
            json!({"location": "eastus", "sku_name": "Standard", "family": "C", "capacity": 3}),
        );
        let c = component(&r, "Cache usage (Standard_C3)");
        assert_eq!(c.monthly_quantity, Some(dec!(2)));
        assert_eq!(c.monthly_cost, Some(dec!(328.50)));
    }

    #[test]
    fn premium_bills_every_node_of_every_shard() {
        // P1, 3 shards × 2 nodes × 730 h × $0.277 = $1,213.26
        let r = cache(
            json!({"location": "eastus", "sku_name": "Premium", "family": "P", "capacity": 1, "shard_count": 3}),
        );
        let c = component(&r, "Cache usage (Premium_P1)");
        assert_eq!(c.monthly_quantity, Some(dec!(6)));
        assert_eq!(c.monthly_cost, Some(dec!(1213.26)));
        // P2, 3 shards × (1 + 2 replicas_per_master) × 730 × $0.555 = $3,646.35
        let r = cache(
            json!({"location": "eastus", "sku_name": "Premium", "family": "P", "capacity": 2,
                             "shard_count": 3, "replicas_per_master": 2}),
        );
        let c = component(&r, "Cache usage (Premium_P2)");
        assert_eq!(c.monthly_quantity, Some(dec!(9)));
        assert_eq!(c.monthly_cost, Some(dec!(3646.35)));
        // P3, 3 shards × (1 + 3 replicas_per_primary) × 730 × $1.109 = $9,714.84
        let r = cache(
            json!({"location": "eastus", "sku_name": "Premium", "family": "P", "capacity": 3,
                             "shard_count": 3, "replicas_per_primary": 3, "replicas_per_master": 3}),
        );
        let c = component(&r, "Cache usage (Premium_P3)");
        assert_eq!(c.monthly_quantity, Some(dec!(12)));
        assert_eq!(c.monthly_cost, Some(dec!(9714.84)));
        // zero shards is one shard (not clustered): 2 × 730 × $0.277 = $404.42
        let r = cache(
            json!({"location": "eastus", "sku_name": "Premium", "family": "P", "capacity": 1, "shard_count": 0}),
        );
        assert_eq!(
            component(&r, "Cache usage (Premium_P1)").monthly_cost,
            Some(dec!(404.42))
        );
    }

    #[test]
    fn unknown_size_or_tier_is_not_priced() {
        let r = cache(json!({"location": "eastus", "sku_name": "Premium"}));
        assert!(r.all_components().is_empty());
        let r = cache(
            json!({"location": "eastus", "sku_name": "Enterprise", "family": "E", "capacity": 10}),
        );
        assert!(r.all_components().is_empty());
    }
}
