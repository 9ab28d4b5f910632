//! `google_memorystore_instance` (Memorystore for Valkey), as Infracost
//! prices it:
//! - nodes: `shard_count` × (1 + `replica_count`) node-hours of `node_type`
//!   (default HIGHMEM_MEDIUM);
//! - AOF persistence (`persistence_config.mode = "AOF"`): `shard_count` ×
//!   the node type's capacity in GB, per hour;
//! - backups (an `automated_backup_config` block): `backup_storage_gb` held
//!   all month, priced per GB-hour and shown per GB-month; usage-based
//!   without it.

use super::filter;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};
use crate::pricing::PriceFilter;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

/// (node type, line name, SKU description, capacity in GB).
const NODE_TYPES: &[(&str, &str, &str, Decimal)] = &[
    (
        "SHARED_CORE_NANO",
        "shared core nano",
        "Shared Core Nano Node",
        dec!(1.4),
    ),
    ("CUSTOM_PICO", "custom pico", "Custom Pico Node", dec!(1.25)),
    (
        "CUSTOM_MICRO",
        "custom micro",
        "Custom Micro Node",
        dec!(2.5),
    ),
    ("CUSTOM_MINI", "custom mini", "Custom Mini Node", dec!(3.75)),
    (
        "STANDARD_SMALL",
        "standard small",
        "Standard Small Node",
        dec!(6.5),
    ),
    (
        "HIGHMEM_MEDIUM",
        "highmem medium",
        "Highmem Medium Node",
        dec!(13),
    ),
    (
        "HIGHCPU_MEDIUM",
        "highcpu medium",
        "Highcpu Medium Node",
        dec!(13),
    ),
    (
        "STANDARD_LARGE",
        "standard large",
        "Standard Large Node",
        dec!(26),
    ),
    (
        "HIGHMEM_XLARGE",
        "highmem xlarge",
        "Highmem XLarge Node",
        dec!(58),
    ),
    (
        "HIGHMEM_2XLARGE",
        "highmem 2xlarge",
        "Highmem 2xlarge Node",
        dec!(110),
    ),
];

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let node_type = attrs
        .str("node_type")
        .unwrap_or("HIGHMEM_MEDIUM")
        .to_ascii_uppercase();
    let valkey = |description: String, unit: &'static str| -> PriceFilter {
        filter(
            "Cloud Memorystore",
            "ApplicationServices",
            ctx.region,
            unit,
            "on_demand",
        )
        .attr("description", description)
    };
    let Some(&(_, name, sku, capacity)) = NODE_TYPES.iter().find(|(t, ..)| *t == node_type) else {
        p.note(format!(
            "node_type {node_type} is not a Memorystore for Valkey node type driftcost knows; the instance is not priced"
        ));
        return p;
    };
    let (shards, nodes) = super::redis_cluster::shard_nodes(&mut p, attrs);
    p.push(ComponentSpec::hourly(
        format!("Node ({name})"),
        "hours",
        nodes,
        valkey(sku.to_string(), "Hrs"),
    ));
    let aof = attrs
        .str("persistence_config.0.mode")
        .is_some_and(|m| m.eq_ignore_ascii_case("AOF"));
    if aof && let Some(gb) = p.mul("shard_count × node capacity", shards, capacity) {
        p.push(ComponentSpec::hourly(
            "AOF persistence",
            "GB",
            gb,
            valkey("Memorystore for Valkey: AOF Storage".into(), "GBy.h"),
        ));
    }
    super::redis_cluster::backups(
        &mut p,
        attrs,
        ctx,
        valkey("Memorystore for Valkey: Backups".into(), "GBy.h"),
    );
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    const T: &str = "google_memorystore_instance";

    #[test]
    fn nodes_default_to_highmem_medium_without_replicas() {
        // 3 shards × 1 = 3 nodes × 730 h = 2,190 h × $0.1923 = $421.137
        let r = price(
            T,
            json!({"location": "us-central1", "shard_count": 3}),
            "us-central1",
            None,
        );
        let c = component(&r, "Node (highmem medium)");
        assert_eq!(c.monthly_quantity, Some(dec!(2190)));
        assert_eq!(c.monthly_cost.map(|c| c.normalize()), Some(dec!(421.137)));
    }

    #[test]
    fn aof_is_shards_times_capacity_and_backups_come_from_usage() {
        // 2 shards × 2 = 4 × 730 = 2,920 h × $0.1425 = $416.10; AOF 2 × 6.5 GB × 730 = 9,490 GB-h;
        // backups 1,000 GB × 730 h × $0.00011111 = $81.1103
        let after = json!({"location": "us-central1", "shard_count": 2, "replica_count": 1,
            "node_type": "STANDARD_SMALL", "persistence_config": [{"mode": "AOF"}],
            "automated_backup_config": [{"retention": "604800s"}]});
        let usage = "version: 0.1\nresource_usage:\n  google_memorystore_instance.test:\n    backup_storage_gb: 1000\n";
        let r = price(T, after.clone(), "us-central1", Some(usage));
        assert_eq!(
            component(&r, "Node (standard small)")
                .monthly_cost
                .map(|c| c.normalize()),
            Some(dec!(416.1))
        );
        assert_eq!(
            component(&r, "AOF persistence").monthly_quantity,
            Some(dec!(9490))
        );
        assert_eq!(
            component(&r, "Backups").monthly_cost.map(|c| c.normalize()),
            Some(dec!(81.1103))
        );
        let r = price(T, after, "us-central1", None);
        assert_eq!(
            component(&r, "Backups").status,
            ComponentStatus::UsageMissing
        );
    }
}
