//! `google_redis_cluster` (Memorystore for Redis Cluster), as Infracost
//! prices it:
//! - nodes: `shard_count` × (1 + `replica_count`) node-hours of `node_type`
//!   (default REDIS_HIGHMEM_MEDIUM);
//! - AOF persistence (`persistence_config.mode = "AOF"`): the node type's
//!   provisioned GB (2, 7, 13 or 58) per hour, as Infracost counts it;
//! - backups (an `automated_backup_config` block): `backup_storage_gb` held
//!   all month, priced per GB-hour and shown per GB-month; usage-based
//!   without it.

use super::filter;
use crate::cost::component::HOURS_PER_MONTH;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};
use crate::pricing::PriceFilter;
use rust_decimal::Decimal;

/// (node type, line name, SKU description suffix, AOF provisioned GB).
const NODE_TYPES: &[(&str, &str, &str, u32)] = &[
    (
        "REDIS_SHARED_CORE_NANO",
        "shared core nano",
        "Shared Core Nano",
        2,
    ),
    (
        "REDIS_STANDARD_SMALL",
        "standard small",
        "Standard Small",
        7,
    ),
    ("REDIS_HIGHMEM_MEDIUM", "highmem medium", "Default", 13),
    (
        "REDIS_HIGHMEM_XLARGE",
        "highmem xlarge",
        "Highmem XLarge",
        58,
    ),
];

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let node_type = attrs
        .str("node_type")
        .unwrap_or("REDIS_HIGHMEM_MEDIUM")
        .to_ascii_uppercase();
    let known = NODE_TYPES.iter().find(|(t, ..)| *t == node_type);
    let redis = |description: String, unit: &'static str| -> PriceFilter {
        filter(
            "Cloud Memorystore for Redis",
            "ApplicationServices",
            ctx.region,
            unit,
            "on_demand",
        )
        .attr("description", description)
    };
    let (name, sku) = match known {
        Some((_, name, sku, _)) => (name.to_string(), sku.to_string()),
        None => {
            p.note(format!(
                "node_type {node_type} is not one driftcost knows; its nodes are shown without a price"
            ));
            (node_type.to_ascii_lowercase(), node_type.clone())
        }
    };
    let (_, nodes) = shard_nodes(&mut p, attrs);
    p.push(ComponentSpec::hourly(
        format!("Cluster node ({name})"),
        "hours",
        nodes,
        redis(format!("Redis Cluster Node {sku}"), "Hrs"),
    ));
    let aof = attrs
        .str("persistence_config.0.mode")
        .is_some_and(|m| m.eq_ignore_ascii_case("AOF"));
    if aof {
        match known {
            Some((.., gb)) => p.push(ComponentSpec::hourly(
                "AOF persistence",
                "GB",
                Decimal::from(*gb),
                redis("Memorystore for Redis Cluster: AOF Storage".into(), "GBy.h"),
            )),
            None => p.note(format!(
                "AOF persistence of node type {node_type} is not priced: its provisioned size is not known"
            )),
        }
    }
    backups(
        &mut p,
        attrs,
        ctx,
        redis("Memorystore for Redis Cluster: Backups".into(), "GBy.h"),
    );
    p
}

/// The shards (`shard_count`, 1 when not known at plan time, said in a
/// note) and the nodes they make with their replicas: shards × (1 +
/// `replica_count`). Redis Cluster and Memorystore for Valkey count alike.
pub(super) fn shard_nodes(p: &mut Priced, attrs: &Attrs) -> (Decimal, Decimal) {
    let shards = attrs.decimal("shard_count").unwrap_or_else(|| {
        p.note("shard_count is not known at plan time; 1 shard assumed");
        Decimal::ONE
    });
    let replicas = attrs.decimal("replica_count").unwrap_or(Decimal::ZERO);
    let nodes = p
        .mul(
            "shard_count × (1 + replica_count)",
            shards,
            Decimal::ONE + replicas,
        )
        .unwrap_or(Decimal::ZERO);
    (shards, nodes)
}

/// Backups of a cluster with `automated_backup_config`: `backup_storage_gb`
/// (usage) held all month, priced per GB-hour (`filter`) and shown per GB.
/// Redis Cluster and Memorystore for Valkey bill them alike.
pub(super) fn backups(p: &mut Priced, attrs: &Attrs, ctx: &Ctx, filter: PriceFilter) {
    if attrs.len("automated_backup_config") == 0 {
        return;
    }
    let gb_hours = ctx
        .usage
        .decimal("backup_storage_gb")
        .and_then(|gb| p.mul("backup_storage_gb × 730 h", gb, HOURS_PER_MONTH));
    p.push(ComponentSpec::usage("Backups", "GB", gb_hours, filter).per(HOURS_PER_MONTH));
}

#[cfg(test)]
mod tests {
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    const T: &str = "google_redis_cluster";

    #[test]
    fn nodes_are_shards_times_replicas_plus_one() {
        // 3 shards × (1 + 2) = 9 nodes × 730 h = 6,570 h; highmem xlarge × $0.8581 = $5,637.717
        let after = json!({"region": "us-central1", "shard_count": 3, "replica_count": 2,
            "node_type": "REDIS_HIGHMEM_XLARGE"});
        let r = price(T, after, "us-central1", None);
        let c = component(&r, "Cluster node (highmem xlarge)");
        assert_eq!(c.monthly_quantity, Some(dec!(6570)));
        assert_eq!(c.monthly_cost.map(|c| c.normalize()), Some(dec!(5637.717)));
        assert_eq!(r.cost_components.len(), 1);
    }

    #[test]
    fn aof_and_backups_add_their_lines() {
        // 1 shard × 3 = 2,190 h × $0.1425 = $312.075; AOF 7 GB × 730 h = 5,110 GB-h;
        // backups 1,000 GB × 730 h × $0.00011111 = $81.1103, shown as 1,000 GB
        let usage = "version: 0.1\nresource_usage:\n  google_redis_cluster.test:\n    backup_storage_gb: 1000\n";
        let after = json!({"region": "us-central1", "shard_count": 1, "replica_count": 2,
            "node_type": "REDIS_STANDARD_SMALL", "persistence_config": [{"mode": "AOF"}],
            "automated_backup_config": [{"retention": "7d"}]});
        let r = price(T, after.clone(), "us-central1", Some(usage));
        assert_eq!(
            component(&r, "Cluster node (standard small)")
                .monthly_cost
                .map(|c| c.normalize()),
            Some(dec!(312.075))
        );
        assert_eq!(
            component(&r, "AOF persistence").monthly_quantity,
            Some(dec!(5110))
        );
        let backups = component(&r, "Backups");
        assert_eq!(backups.monthly_quantity, Some(dec!(1000)));
        assert_eq!(
            backups.monthly_cost.map(|c| c.normalize()),
            Some(dec!(81.1103))
        );
        let r = price(T, after, "us-central1", None);
        assert_eq!(
            component(&r, "Backups").status,
            ComponentStatus::UsageMissing
        );
    }
}
