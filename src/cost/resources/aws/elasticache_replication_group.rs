//! `aws_elasticache_replication_group`: every node of the group, billed like
//! single clusters, plus snapshot storage.
//!
//! Node count, first that the plan gives: `num_cache_clusters` (or the older
//! `number_cache_clusters`); `num_node_groups` × (`replicas_per_node_group` + 1)
//! for cluster mode; else 1 (noted).
//! Defaults assumed when the plan does not say: `engine` `redis`,
//! `replicas_per_node_group` 0.
//!
//! Usage: `snapshot_storage_size_gb`.

use super::elasticache_cluster::nodes_and_snapshots;
use crate::cost::{Attrs, Ctx, Priced};
use rust_decimal::Decimal;

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let clusters = attrs
        .decimal("num_cache_clusters")
        .or_else(|| attrs.decimal("number_cache_clusters"))
        .filter(|n| !n.is_zero());
    let shards = attrs
        .decimal("num_node_groups")
        .filter(|n| !n.is_zero())
        .map(|groups| {
            let replicas = attrs
                .decimal("replicas_per_node_group")
                .unwrap_or(Decimal::ZERO);
            groups * (replicas + Decimal::ONE)
        });
    let nodes = clusters.or(shards).unwrap_or_else(|| {
        p.note("node count unknown; assumed 1 node");
        Decimal::ONE
    });
    let engine = attrs.str("engine").unwrap_or("redis");
    nodes_and_snapshots(&mut p, attrs.str("node_type"), engine, nodes, ctx);
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    #[test]
    fn num_cache_clusters_counts_nodes() {
        let r = price(
            "aws_elasticache_replication_group",
            json!({"node_type": "cache.m3.2xlarge", "num_cache_clusters": 3}),
            "us-west-2",
            None,
        );
        // 3 nodes × 0.728 $/h × 730 h = 1594.32
        assert_eq!(
            component(&r, "ElastiCache (on-demand, cache.m3.2xlarge)").monthly_cost,
            Some(dec!(1594.32))
        );
    }

    #[test]
    fn cluster_mode_counts_shards_times_replicas_plus_primary() {
        let r = price(
            "aws_elasticache_replication_group",
            json!({"node_type": "cache.m3.2xlarge", "num_node_groups": 2,
                   "replicas_per_node_group": 1, "num_cache_clusters": null}),
            "eu-central-1",
            Some(
                "version: 0.1\nresource_usage:\n  aws_elasticache_replication_group.test:\n    snapshot_storage_size_gb: 10\n",
            ),
        );
        // 2 shards × (1 replica + 1 primary) = 4 nodes; 4 × 0.848 $/h × 730 h = 2476.16
        let n = component(&r, "ElastiCache (on-demand, cache.m3.2xlarge)");
        assert_eq!(n.hourly_quantity, Some(dec!(4)));
        assert_eq!(n.monthly_cost, Some(dec!(2476.16)));
        assert_eq!(
            component(&r, "Backup storage").monthly_quantity,
            Some(dec!(10))
        );
    }
}
