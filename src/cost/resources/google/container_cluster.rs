//! `google_container_cluster`: the GKE management fee per cluster-hour
//! (zonal, regional and Autopilot clusters each have their own SKU), the
//! default node pool unless `remove_default_node_pool`, and inline
//! `node_pool` blocks, each a subresource priced as a node pool.
//!
//! Autopilot (`enable_autopilot`): pods' vCPU, memory and ephemeral storage
//! requests are billed per hour from usage keys `autopilot_vcpu_count`,
//! `autopilot_memory_gb`, `autopilot_ephemeral_storage_gb`.
//! Usage key `nodes` overrides the default pool's nodes per zone.

use super::container_node_pool::{
    DEFAULT_NODES_PER_ZONE, nodes_per_zone, pool_components, zone_count,
};
use super::filter;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};
use crate::plan::region_google_zone;
use rust_decimal::Decimal;

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let location = attrs.str("location");
    let zonal = location.is_some_and(region_google_zone);
    let autopilot = attrs.bool("enable_autopilot") == Some(true);
    let (name, description) = if autopilot {
        ("Autopilot", "Autopilot Kubernetes Clusters")
    } else if zonal {
        ("Cluster management fee", "Zonal Kubernetes Clusters")
    } else {
        ("Cluster management fee", "Regional Kubernetes Clusters")
    };
    let gke =
        |region: &str, unit| filter("Kubernetes Engine", "Compute", region, unit, "on_demand");
    p.push(ComponentSpec::hourly(
        name,
        "hours",
        Decimal::ONE,
        gke("global", "Hrs").attr("description", description),
    ));
    if autopilot {
        for (label, unit, key, description) in [
            (
                "Autopilot vCPU",
                "vCPU",
                "autopilot_vcpu_count",
                "Autopilot Pod mCPU Requests",
            ),
            (
                "Autopilot memory",
                "GB",
                "autopilot_memory_gb",
                "Autopilot Pod Memory Requests",
            ),
            (
                "Autopilot ephemeral storage",
                "GB",
                "autopilot_ephemeral_storage_gb",
                "Autopilot Pod Ephemeral Storage Requests",
            ),
        ] {
            let per_hour = ctx.usage.decimal(key);
            let monthly =
                per_hour.and_then(|q| p.mul(label, q, crate::cost::component::HOURS_PER_MONTH));
            p.push(ComponentSpec::usage(
                label,
                unit,
                monthly,
                gke(ctx.region, "Hrs").attr("description", description),
            ));
        }
        return p;
    }
    let zones = zone_count(location, attrs.len("node_locations"));
    if attrs.bool("remove_default_node_pool") != Some(true) {
        let config = attrs.block("node_config.0").unwrap_or(Attrs::empty());
        let per_zone = attrs
            .decimal("initial_node_count")
            .unwrap_or(DEFAULT_NODES_PER_ZONE);
        let nodes = ctx.usage.decimal("nodes").unwrap_or(per_zone) * zones;
        let components = pool_components(&config, nodes, ctx, &mut p);
        p.subresources
            .push(("default_pool".to_string(), components));
    }
    for (i, pool) in attrs.blocks("node_pool").iter().enumerate() {
        let pool_zones = match pool.len("node_locations") {
            0 => zones,
            n => Decimal::from(n),
        };
        let nodes = nodes_per_zone(pool, None) * pool_zones;
        let config = pool.block("node_config.0").unwrap_or(Attrs::empty());
        let components = pool_components(&config, nodes, ctx, &mut p);
        p.subresources.push((format!("node_pool[{i}]"), components));
    }
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    #[test]
    fn a_default_pool_without_initial_node_count_has_three_nodes_per_zone() {
        // zonal cluster: 3 × e2-medium 730 h = 2,190 h; regional: 3 zones × 3 = 6,570 h
        for (location, hours) in [("us-central1-a", dec!(2190)), ("us-central1", dec!(6570))] {
            let r = price(
                "google_container_cluster",
                json!({"location": location}),
                "us-central1",
                None,
            );
            let vm = component(
                &r,
                "default_pool: Instance usage (Linux/UNIX, on-demand, e2-medium)",
            );
            assert_eq!(vm.monthly_quantity, Some(hours), "{location}");
        }
    }

    #[test]
    fn regional_cluster_with_default_pool() {
        // fee 730 × $0.10 = $73.00; default pool 3 × e2-medium 2,190 h × $0.03350571 = 73.3775049,
        // 300 GB × $0.04 = $12.00
        let r = price(
            "google_container_cluster",
            json!({"location": "us-central1", "initial_node_count": 1}),
            "us-central1",
            None,
        );
        assert_eq!(
            component(&r, "Cluster management fee").monthly_cost,
            Some(dec!(73.00))
        );
        assert_eq!(
            component(
                &r,
                "default_pool: Instance usage (Linux/UNIX, on-demand, e2-medium)"
            )
            .monthly_quantity,
            Some(dec!(2190))
        );
        assert_eq!(r.monthly_cost, Some(dec!(158.3775049)));
    }

    #[test]
    fn removed_default_pool_and_inline_pools() {
        // zonal: fee only, plus one inline pool of 2 nodes in 1 zone
        let r = price(
            "google_container_cluster",
            json!({"location": "us-central1-a", "remove_default_node_pool": true,
                   "node_pool": [{"node_count": 2, "node_config": [{"machine_type": "n1-standard-1"}]}]}),
            "us-central1",
            None,
        );
        assert_eq!(r.subresources.len(), 1);
        assert_eq!(r.subresources[0].name, "node_pool[0]");
        assert_eq!(
            component(
                &r,
                "node_pool[0]: Instance usage (Linux/UNIX, on-demand, n1-standard-1)"
            )
            .monthly_quantity,
            Some(dec!(1460))
        );
    }

    #[test]
    fn autopilot_bills_requests_from_usage() {
        let r = price(
            "google_container_cluster",
            json!({"location": "us-central1", "enable_autopilot": true}),
            "us-central1",
            None,
        );
        // no Autopilot fee row is shipped (no source at hand): said, never $0
        assert_eq!(
            component(&r, "Autopilot").status,
            ComponentStatus::NoPriceFound
        );
        assert_ne!(
            component(&r, "Autopilot vCPU").status,
            ComponentStatus::Priced
        );
        assert!(r.subresources.is_empty());
    }
}
