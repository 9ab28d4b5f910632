//! `google_container_node_pool`: a GKE node pool is its nodes' Compute
//! Engine VMs and boot disks (with local SSDs and GPUs when configured),
//! priced as `google_compute_instance` prices them, sustained-use discounts
//! included. `google_container_cluster` prices its default and inline pools
//! through [`pool_components`].
//!
//! Nodes, as Infracost counts them: nodes per zone (usage key `nodes`, else
//! `node_count`, else `initial_node_count`, else `autoscaling.min_node_count`,
//! else 3, GKE's default) × zones (`node_locations` of the pool, else of its cluster; else 1
//! for a zonal `location`, 3 for a regional one).
//! Node config defaults: `e2-medium`, 100 GB `pd-standard` boot disk.

use super::compute_disk::disk_component;
use super::compute_instance::{gpu_components, local_ssd, machine_components, purchase_option};
use crate::cost::component::HOURS_PER_MONTH;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};
use crate::plan::region_google_zone;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

/// Zones a pool's nodes run in: its node locations, else 1 for a zone, 3 for a region.
pub(crate) fn zone_count(location: Option<&str>, node_locations: usize) -> Decimal {
    if node_locations > 0 {
        return Decimal::from(node_locations);
    }
    match location {
        Some(l) if region_google_zone(l) => Decimal::ONE,
        _ => dec!(3),
    }
}

/// The components of `nodes` identical nodes built from a `node_config` block.
pub(crate) fn pool_components(
    node_config: &Attrs,
    nodes: Decimal,
    ctx: &Ctx,
    p: &mut Priced,
) -> Vec<ComponentSpec> {
    let machine = node_config
        .str("machine_type")
        .map(super::compute_instance::machine_type_name)
        .unwrap_or("e2-medium");
    let purchase = if node_config.bool("preemptible") == Some(true)
        || node_config.bool("spot") == Some(true)
    {
        "preemptible"
    } else {
        purchase_option(node_config)
    };
    let mut out = machine_components(machine, purchase, HOURS_PER_MONTH, nodes, ctx, p);
    let size = node_config
        .decimal("disk_size_gb")
        .filter(|s| !s.is_zero())
        .unwrap_or(dec!(100));
    let kind = node_config.str("disk_type").unwrap_or("pd-standard");
    out.push(disk_component(kind, Some(size), nodes, ctx));
    if let Some(n) = node_config
        .decimal("local_ssd_count")
        .filter(|n| !n.is_zero())
    {
        out.push(local_ssd(n * nodes, purchase, ctx));
    }
    out.extend(gpu_components(
        &node_config.blocks("guest_accelerator"),
        purchase,
        HOURS_PER_MONTH,
        nodes,
        ctx,
        p,
    ));
    out
}

/// GKE's node count per zone when a pool or cluster sets none.
pub(crate) const DEFAULT_NODES_PER_ZONE: Decimal = dec!(3);

/// Nodes per zone of a pool block (or a cluster's default pool).
pub(crate) fn nodes_per_zone(pool: &Attrs, usage_nodes: Option<Decimal>) -> Decimal {
    usage_nodes
        .or_else(|| pool.decimal("node_count"))
        .or_else(|| pool.decimal("initial_node_count"))
        .or_else(|| pool.decimal("autoscaling.0.min_node_count"))
        .unwrap_or(DEFAULT_NODES_PER_ZONE)
}

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let cluster = ctx.referenced(&["cluster"]);
    let location = attrs
        .str("location")
        .or_else(|| cluster.as_ref().and_then(|c| c.str("location")));
    let locations = match attrs.len("node_locations") {
        0 => cluster.as_ref().map_or(0, |c| c.len("node_locations")),
        n => n,
    };
    let zones = zone_count(location, locations);
    let nodes = nodes_per_zone(attrs, ctx.usage.decimal("nodes")) * zones;
    let config = attrs.block("node_config.0").unwrap_or(Attrs::empty());
    p.components = pool_components(&config, nodes, ctx, &mut p);
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cost::testing::{component, price};
    use serde_json::json;

    #[test]
    fn zones_from_locations() {
        assert_eq!(zone_count(Some("us-central1-a"), 0), Decimal::ONE);
        assert_eq!(zone_count(Some("us-central1"), 0), dec!(3));
        assert_eq!(zone_count(Some("us-central1"), 2), dec!(2));
        assert_eq!(zone_count(None, 0), dec!(3));
    }

    #[test]
    fn a_pool_without_a_node_count_has_three_nodes_per_zone() {
        // zonal, nothing set: 3 nodes × 730 h = 2,190 h × $0.03350571 = $73.3775049;
        // 3 × 100 GB pd-standard × $0.04 = $12.00
        let r = price(
            "google_container_node_pool",
            json!({"location": "us-central1-a"}),
            "us-central1",
            None,
        );
        let vm = component(&r, "Instance usage (Linux/UNIX, on-demand, e2-medium)");
        assert_eq!(vm.monthly_quantity, Some(dec!(2190)));
        assert_eq!(vm.monthly_cost, Some(dec!(73.3775049)));
        let disk = component(&r, "Standard provisioned storage (pd-standard)");
        assert_eq!(disk.monthly_quantity, Some(dec!(300)));
    }

    #[test]
    fn regional_pool_defaults() {
        // 3 zones × 1 node: e2-medium $0.03350571 × 2,190 h = $73.3775049;
        // 300 GB pd-standard × $0.04 = $12.00
        let r = price(
            "google_container_node_pool",
            json!({"location": "us-central1", "node_count": 1}),
            "us-central1",
            None,
        );
        let vm = component(&r, "Instance usage (Linux/UNIX, on-demand, e2-medium)");
        assert_eq!(vm.monthly_quantity, Some(dec!(2190)));
        assert_eq!(vm.monthly_cost, Some(dec!(73.3775049)));
        let disk = component(&r, "Standard provisioned storage (pd-standard)");
        assert_eq!(disk.monthly_quantity, Some(dec!(300)));
        assert_eq!(disk.monthly_cost, Some(dec!(12.00)));
    }

    #[test]
    fn node_config_with_ssd_local_ssd_and_gpus() {
        // 3 nodes of n1-standard-16: 0.759996 × 2,190 × 0.7 = 1,165.073868;
        // 3 × 120 GB pd-ssd × 0.17 = 61.20; 3 × 1 × 375 GB local SSD × 0.08 = 90.00;
        // 3 × 4 K80 × 730 h × 0.45 × 0.7 = 2,759.40
        let r = price(
            "google_container_node_pool",
            json!({"location": "us-central1", "initial_node_count": 1, "node_config": [{
                "machine_type": "n1-standard-16", "disk_size_gb": 120, "disk_type": "pd-ssd",
                "local_ssd_count": 1,
                "guest_accelerator": [{"type": "nvidia-tesla-k80", "count": 4}]}]}),
            "us-central1",
            None,
        );
        assert_eq!(
            component(&r, "Instance usage (Linux/UNIX, on-demand, n1-standard-16)").monthly_cost,
            Some(dec!(1165.073868))
        );
        assert_eq!(
            component(&r, "SSD provisioned storage (pd-ssd)").monthly_cost,
            Some(dec!(61.20))
        );
        assert_eq!(
            component(&r, "Local SSD provisioned storage").monthly_cost,
            Some(dec!(90.00))
        );
        let gpu = component(&r, "NVIDIA Tesla K80 (on-demand)");
        assert_eq!(gpu.monthly_quantity, Some(dec!(8760)));
        assert_eq!(gpu.monthly_cost, Some(dec!(2759.40)));
    }

    #[test]
    fn usage_nodes_and_spot_and_zonal() {
        // zonal pool, usage says 4 nodes; spot e2-medium $0.012136 × 2,920 h
        let usage =
            "version: 0.1\nresource_usage:\n  google_container_node_pool.test:\n    nodes: 4\n";
        let r = price(
            "google_container_node_pool",
            json!({"location": "us-central1-a", "node_count": 2, "node_config": [{"spot": true}]}),
            "us-central1",
            Some(usage),
        );
        let vm = component(&r, "Instance usage (Linux/UNIX, preemptible, e2-medium)");
        assert_eq!(vm.monthly_quantity, Some(dec!(2920)));
        assert_eq!(vm.monthly_cost, Some(dec!(0.012136) * dec!(2920)));
    }
}
