//! `azurerm_kubernetes_cluster`: the Uptime SLA (`sku_tier` Standard, or the
//! older Paid) per cluster-hour, the default node pool (priced as a node
//! pool: usage key `default_node_pool.nodes` with `default_node_pool.monthly_hrs`
//! per node, else the pool's node count as a node pool counts it; its OS
//! disk shown as `os_disk` under `default_node_pool`),
//! the Standard load balancer's data processed (usage key
//! `load_balancer.monthly_data_processed_gb`) and, with HTTP application
//! routing, the DNS zone it creates. The Free tier has no cluster charge.

use super::filter;
use super::kubernetes_cluster_node_pool::{node_count, pool_components, pool_os};
use crate::cost::component::HOURS_PER_MONTH;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};
use rust_decimal::Decimal;

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let tier = attrs.str("sku_tier").unwrap_or("Free");
    if tier.eq_ignore_ascii_case("paid") || tier.eq_ignore_ascii_case("standard") {
        p.push(ComponentSpec::hourly(
            "Uptime SLA",
            "hours",
            Decimal::ONE,
            filter("Azure Kubernetes Service", "Compute", ctx.region, "Hrs")
                .attr("skuName", "Standard"),
        ));
    } else if tier.eq_ignore_ascii_case("premium") {
        p.push(ComponentSpec::hourly(
            "Premium tier",
            "hours",
            Decimal::ONE,
            filter("Azure Kubernetes Service", "Compute", ctx.region, "Hrs")
                .attr("skuName", "Premium"),
        ));
    }
    let pool = attrs.block("default_node_pool.0").unwrap_or(Attrs::empty());
    // Usage nodes (when more than 0) bring their own hours per node.
    let (nodes, hours) = match ctx
        .usage
        .decimal("default_node_pool.nodes")
        .filter(|n| *n > Decimal::ZERO)
    {
        Some(n) => (
            n,
            ctx.usage
                .decimal("default_node_pool.monthly_hrs")
                .unwrap_or(HOURS_PER_MONTH),
        ),
        None => (node_count(&pool), HOURS_PER_MONTH),
    };
    let (instance, os_disk) = pool_components(&pool, pool_os(&pool), nodes, hours, ctx, &mut p);
    if !instance.is_empty() {
        p.subresources
            .push(("default_node_pool".to_string(), instance));
    }
    if !os_disk.is_empty() {
        p.push_nested("default_node_pool", "os_disk", os_disk);
    }
    if attrs
        .str("network_profile.0.load_balancer_sku")
        .is_some_and(|s| s.eq_ignore_ascii_case("standard"))
    {
        p.subresources.push((
            "Load Balancer".to_string(),
            vec![super::lb::data_processed(
                ctx.region,
                ctx.usage.decimal("load_balancer.monthly_data_processed_gb"),
            )],
        ));
    }
    if attrs.bool("http_application_routing_enabled") == Some(true) {
        p.subresources.push((
            "DNS".to_string(),
            vec![super::dns_zone::hosted_zone(ctx.region)],
        ));
    }
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    #[test]
    fn free_tier_bills_only_the_nodes() {
        // 1 × Standard_D2_v2 $0.146 × 730 = $106.58; its Standard HDD OS disk S10 LRS $5.89
        let r = price(
            "azurerm_kubernetes_cluster",
            json!({"location": "eastus", "default_node_pool": [{"vm_size": "Standard_D2_v2", "node_count": 1}]}),
            "eastus",
            None,
        );
        assert!(r.cost_components.is_empty());
        assert_eq!(
            component(
                &r,
                "default_node_pool: Instance usage (Linux, pay as you go, Standard_D2_v2)"
            )
            .monthly_cost,
            Some(dec!(106.58))
        );
        assert_eq!(
            component(&r, "default_node_pool: os_disk: Storage (S10, LRS)").monthly_cost,
            Some(dec!(5.89))
        );
    }

    #[test]
    fn paid_tier_load_balancer_and_dns() {
        // SLA 730 × $0.10 = $73.00; 100 GB × $0.005 = $0.50; DNS zone $0.50
        let usage = "version: 0.1\nresource_usage:\n  azurerm_kubernetes_cluster.test:\n    default_node_pool:\n      nodes: 2\n    load_balancer:\n      monthly_data_processed_gb: 100\n";
        let r = price(
            "azurerm_kubernetes_cluster",
            json!({"location": "eastus", "sku_tier": "Standard",
                   "default_node_pool": [{"vm_size": "Standard_D2_v2", "node_count": 1, "os_disk_type": "Ephemeral"}],
                   "network_profile": [{"load_balancer_sku": "standard"}],
                   "http_application_routing_enabled": true}),
            "eastus",
            Some(usage),
        );
        assert_eq!(component(&r, "Uptime SLA").monthly_cost, Some(dec!(73.00)));
        assert_eq!(
            component(
                &r,
                "default_node_pool: Instance usage (Linux, pay as you go, Standard_D2_v2)"
            )
            .monthly_quantity,
            Some(dec!(1460))
        );
        assert_eq!(
            component(&r, "Load Balancer: Data processed").monthly_cost,
            Some(dec!(0.50))
        );
        assert_eq!(
            component(&r, "DNS: Hosted zone").monthly_cost,
            Some(dec!(0.50))
        );
    }

    #[test]
    fn default_pool_hours_come_from_its_usage_with_its_nodes() {
        // usage nodes 2 × monthly_hrs 450 = 900 h × $0.146 = $131.40
        let usage = "version: 0.1\nresource_usage:\n  azurerm_kubernetes_cluster.test:\n    default_node_pool:\n      nodes: 2\n      monthly_hrs: 450\n";
        let r = price(
            "azurerm_kubernetes_cluster",
            json!({"location": "eastus",
                   "default_node_pool": [{"vm_size": "Standard_D2_v2", "os_disk_type": "Ephemeral"}]}),
            "eastus",
            Some(usage),
        );
        let c = component(
            &r,
            "default_node_pool: Instance usage (Linux, pay as you go, Standard_D2_v2)",
        );
        assert_eq!(c.monthly_quantity, Some(dec!(900)));
        assert_eq!(c.monthly_cost, Some(dec!(131.40)));
    }

    #[test]
    fn min_count_windows_and_the_os_disk_under_the_pool() {
        // min_count 3: 3 × 730 h × $0.146 = $319.74; P10 LRS 3 × $19.71 = $59.13
        let r = price(
            "azurerm_kubernetes_cluster",
            json!({"location": "eastus", "sku_tier": "Standard",
                   "default_node_pool": [{"vm_size": "Standard_DS2_v2", "min_count": 3, "os_disk_size_gb": 128}]}),
            "eastus",
            None,
        );
        assert_eq!(
            component(
                &r,
                "default_node_pool: Instance usage (Linux, pay as you go, Standard_DS2_v2)"
            )
            .monthly_cost,
            Some(dec!(319.74))
        );
        assert_eq!(
            component(&r, "default_node_pool: os_disk: Storage (P10, LRS)").monthly_cost,
            Some(dec!(59.13))
        );
        // os_sku Windows2022, 5 nodes: Standard_D2_v2 Windows $0.238 × 3650 h = $868.70;
        // 32 GB → S4 LRS 5 × $1.536 = $7.68
        let r = price(
            "azurerm_kubernetes_cluster",
            json!({"location": "eastus",
                   "default_node_pool": [{"vm_size": "Standard_D2_v2", "node_count": 5,
                                          "os_disk_size_gb": 32, "os_sku": "Windows2022"}]}),
            "eastus",
            None,
        );
        assert_eq!(
            component(
                &r,
                "default_node_pool: Instance usage (Windows, pay as you go, Standard_D2_v2)"
            )
            .monthly_cost,
            Some(dec!(868.70))
        );
        assert_eq!(
            component(&r, "default_node_pool: os_disk: Storage (S4, LRS)").monthly_cost,
            Some(dec!(7.68))
        );
    }
}
