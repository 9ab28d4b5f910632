//! `aws_elasticache_cluster`: node hours by node type and engine, plus Redis
//! or Valkey snapshot storage beyond the free allowance.
//!
//! Defaults assumed when the plan does not say:
//! - `engine`: `redis`;
//! - `num_cache_nodes`: 1;
//! - a cluster that belongs to a replication group (`replication_group_id`) is
//!   billed through `aws_elasticache_replication_group`, so it is not priced
//!   twice (noted).
//!
//! Usage: `snapshot_storage_size_gb`.

use crate::cost::{Attrs, ComponentSpec, Ctx, PriceFilter, Priced};
use rust_decimal::Decimal;

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    if attrs.str("replication_group_id").is_some() {
        p.note("member of a replication group; its nodes are priced with the replication group");
        return p;
    }
    let engine = attrs.str("engine").unwrap_or("redis");
    let nodes = attrs.decimal("num_cache_nodes").unwrap_or(Decimal::ONE);
    nodes_and_snapshots(&mut p, attrs.str("node_type"), engine, nodes, ctx);
    p
}

/// Node hours and snapshot storage, shared with replication groups.
pub(super) fn nodes_and_snapshots(
    p: &mut Priced,
    node_type: Option<&str>,
    engine: &str,
    nodes: Decimal,
    ctx: &Ctx,
) {
    let node_type = node_type.unwrap_or("unknown");
    let cache_engine = match engine {
        "memcached" => "Memcached",
        "valkey" => "Valkey",
        _ => "Redis",
    };
    p.push(ComponentSpec::hourly(
        format!("ElastiCache (on-demand, {node_type})"),
        "hours",
        nodes,
        PriceFilter::aws("AmazonElastiCache", "Cache Instance", ctx.region, "Hrs")
            .attr("instanceType", node_type)
            .attr("cacheEngine", cache_engine),
    ));
    if cache_engine != "Memcached" {
        p.push(ComponentSpec::usage(
            "Backup storage",
            "GB",
            ctx.usage.decimal("snapshot_storage_size_gb"),
            PriceFilter::aws("AmazonElastiCache", "Storage Snapshot", ctx.region, "GB-Mo")
                .attr("usagetype", "BackupUsage"),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    #[test]
    fn redis_nodes_are_hours_times_node_count() {
        let r = price(
            "aws_elasticache_cluster",
            json!({"engine": "redis", "node_type": "cache.m3.2xlarge", "num_cache_nodes": 2}),
            "eu-west-1",
            None,
        );
        // 2 nodes × 0.785 $/h × 730 h = 1146.1
        let n = component(&r, "ElastiCache (on-demand, cache.m3.2xlarge)");
        assert_eq!(n.hourly_quantity, Some(dec!(2)));
        assert_eq!(n.monthly_cost, Some(dec!(1146.1)));
        let b = component(&r, "Backup storage");
        assert!(b.usage_based);
        assert_eq!(b.monthly_quantity, None);
    }

    #[test]
    fn memcached_has_no_snapshots_and_valkey_misses_explicitly() {
        let m = price(
            "aws_elasticache_cluster",
            json!({"engine": "memcached", "node_type": "cache.m3.2xlarge"}),
            "ap-northeast-1",
            None,
        );
        // 1 node × 0.965 $/h × 730 h = 704.45
        assert_eq!(m.monthly_cost, Some(dec!(704.45)));
        assert_eq!(m.cost_components.len(), 1);
        let v = price(
            "aws_elasticache_cluster",
            json!({"engine": "valkey", "node_type": "cache.m3.2xlarge"}),
            "us-east-1",
            None,
        );
        assert_eq!(
            component(&v, "ElastiCache (on-demand, cache.m3.2xlarge)").status,
            ComponentStatus::NoPriceFound
        );
    }

    #[test]
    fn replication_group_members_are_not_priced_twice() {
        let r = price(
            "aws_elasticache_cluster",
            json!({"replication_group_id": "rg", "node_type": "cache.m3.2xlarge"}),
            "us-east-1",
            None,
        );
        assert!(r.cost_components.is_empty());
        assert_eq!(r.monthly_cost, None);
    }
}
