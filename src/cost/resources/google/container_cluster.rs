//! `google_container_cluster`: the GKE management fee per cluster-hour
//! (zonal, regional and Autopilot clusters each have their own SKU), the
//! default node pool unless `remove_default_node_pool`, and inline
//! `node_pool` blocks, each a subresource priced as a node pool.
//!
//! Autopilot (`enable_autopilot`): pods' vCPU, memory and ephemeral storage
//! requests are billed per hour from usage keys `autopilot_vcpu_count`,
//! `autopilot_memory_gb`, `autopilot_ephemeral_storage_gb` (held all month),
//! and shown per unit-month (10 vCPU, not 7,300 vCPU-hours) as Infracost shows them.
//! Usage key `nodes` overrides the default pool's nodes per zone, and
//! `node_pool[N].nodes` the nodes per zone of the N-th inline pool.

use super::container_node_pool::{
    DEFAULT_NODES_PER_ZONE, nodes_per_zone, pool_components, zone_count,
};
use super::filter;
use crate::cost::component::HOURS_PER_MONTH;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};
use crate::plan::region_google_zone;
use rust_decimal::Decimal;
use std::sync::LazyLock;

/// Inline pools whose `node_pool[N].nodes` usage key is listed as known.
const LISTED_POOLS: usize = 64;

/// The usage keys a cluster reads: its own, then one per inline pool.
pub(crate) fn usage_keys() -> &'static [&'static str] {
    static KEYS: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
        let own = [
            "nodes",
            "autopilot_vcpu_count",
            "autopilot_memory_gb",
            "autopilot_ephemeral_storage_gb",
        ];
        let pools = (0..LISTED_POOLS)
            .map(|i| &*Box::leak(format!("node_pool[{i}].nodes").into_boxed_str()));
        own.into_iter().chain(pools).collect()
    });
    &KEYS
}

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
            // Requests held all month: priced per hour, shown per unit-month.
            let requested = ctx.usage.decimal(key);
            let hours = requested.and_then(|q| p.mul(label, q, HOURS_PER_MONTH));
            p.push(
                ComponentSpec::usage(
                    label,
                    unit,
                    hours,
                    gke(ctx.region, "Hrs").attr("description", description),
                )
                .per(HOURS_PER_MONTH),
            );
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
        let usage_nodes = ctx.usage.decimal(&format!("node_pool[{i}].nodes"));
        let nodes = nodes_per_zone(pool, usage_nodes) * pool_zones;
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
    fn autopilot_bills_the_fee_and_requests_per_unit_month() {
        // fee 730 h × $0.10 = $73; requests shown per unit-month (Infracost's golden):
        // 10 vCPU × 730 h × $0.0445 = $324.85; 50 GB × 730 × $0.0049225 = $179.67125;
        // 100 GB × 730 × $0.0000548 = $4.0004
        let usage = "version: 0.1\nresource_usage:\n  google_container_cluster.test:\n    autopilot_vcpu_count: 10\n    autopilot_memory_gb: 50\n    autopilot_ephemeral_storage_gb: 100\n";
        let after = json!({"location": "us-central1", "enable_autopilot": true});
        let r = price(
            "google_container_cluster",
            after.clone(),
            "us-central1",
            Some(usage),
        );
        assert_eq!(component(&r, "Autopilot").monthly_cost, Some(dec!(73.00)));
        let vcpu = component(&r, "Autopilot vCPU");
        assert_eq!(vcpu.monthly_quantity, Some(dec!(10)));
        assert_eq!(vcpu.monthly_cost, Some(dec!(324.85)));
        let memory = component(&r, "Autopilot memory");
        assert_eq!(memory.monthly_quantity, Some(dec!(50)));
        assert_eq!(memory.monthly_cost, Some(dec!(179.67125)));
        let ephemeral = component(&r, "Autopilot ephemeral storage");
        assert_eq!(ephemeral.monthly_quantity, Some(dec!(100)));
        assert_eq!(ephemeral.monthly_cost, Some(dec!(4.0004)));
        assert!(r.subresources.is_empty());
        // without usage the requests are usage-based, never $0
        let r = price("google_container_cluster", after, "us-central1", None);
        assert_eq!(
            component(&r, "Autopilot vCPU").status,
            ComponentStatus::UsageMissing
        );
    }

    #[test]
    fn usage_names_the_nodes_of_each_inline_pool() {
        // Infracost's keys `node_pool[0].nodes` (written whole) and a nested
        // `node_pool[1]: {nodes}` both set nodes per zone; regional = 3 zones:
        // pool 0: 4 × 3 × 730 = 8,760 h; pool 1: 5 × 3 × 730 = 10,950 h
        let usage = "version: 0.1\nresource_usage:\n  google_container_cluster.test:\n    node_pool[0].nodes: 4\n    node_pool[1]:\n      nodes: 5\n";
        let pool = json!({"node_count": 2, "node_config": [{"machine_type": "n1-standard-1"}]});
        let after = json!({"location": "us-central1", "node_pool": [pool.clone(), pool]});
        let r = price(
            "google_container_cluster",
            after,
            "us-central1",
            Some(usage),
        );
        let hours = |i: usize| {
            component(
                &r,
                &format!("node_pool[{i}]: Instance usage (Linux/UNIX, on-demand, n1-standard-1)"),
            )
            .monthly_quantity
        };
        assert_eq!(hours(0), Some(dec!(8760)));
        assert_eq!(hours(1), Some(dec!(10950)));
    }
}
