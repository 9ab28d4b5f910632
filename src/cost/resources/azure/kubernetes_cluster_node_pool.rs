//! `azurerm_kubernetes_cluster_node_pool`: an AKS node pool is its nodes' VMs
//! (pay-as-you-go hours of `vm_size`, Linux or Windows by `os_type`) and
//! their managed OS disks. `azurerm_kubernetes_cluster` prices its default
//! pool through [`pool_components`].
//!
//! As Infracost counts it: nodes = usage key `nodes`, else `node_count`
//! (else 1; a `min_count` replaces a count of 1; 0 is 1); Windows by `os_type`
//! or an `os_sku` starting `Windows`; hours per node from usage key `monthly_hrs` (default 730). OS disks
//! (`os_disk_type` Managed, the default; Ephemeral disks live on the VM and
//! cost nothing extra), shown as the `os_disk` subresource, of `os_disk_size_gb` (default 128 GB) are Premium SSD
//! when the size supports premium storage (`DS`, `GS`, `M` series, or an `s`
//! among the size's feature letters, as `D2s_v3`), else Standard HDD, LRS.

use super::linux_virtual_machine::instance_component;
use super::managed_disk::disk_components;
use crate::cost::component::HOURS_PER_MONTH;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

/// Whether a VM size's OS disk is Premium SSD (`Standard_DS2_v2`, `Standard_D2s_v3`).
pub(crate) fn premium_storage(vm_size: &str) -> bool {
    let sub = vm_size.split('_').nth(1).unwrap_or("").to_ascii_lowercase();
    if ["ds", "gs", "m"].iter().any(|p| sub.starts_with(p)) {
        return true;
    }
    // a digit, then feature letters that include `s`
    let bytes = sub.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() {
            let mut j = i + 1;
            while j < bytes.len() && bytes[j].is_ascii_digit() {
                j += 1;
            }
            let mut k = j;
            while k < bytes.len() && bytes[k].is_ascii_alphabetic() {
                if bytes[k] == b's' {
                    return true;
                }
                k += 1;
            }
            i = k.max(i + 1);
        } else {
            i += 1;
        }
    }
    false
}

/// Infracost's node count of a pool block: `node_count` (else 1); a
/// `min_count` set while that count is 1 replaces it; a count of 0 is 1.
pub(crate) fn node_count(pool: &Attrs) -> Decimal {
    let mut nodes = pool.decimal("node_count").unwrap_or(Decimal::ONE);
    if nodes == Decimal::ONE
        && let Some(min) = pool.decimal("min_count")
    {
        nodes = min;
    }
    if nodes > Decimal::ZERO {
        nodes
    } else {
        Decimal::ONE
    }
}

/// The price list's OS of a pool block: `os_type`, or Windows when `os_sku`
/// names a Windows image (`Windows2022`).
pub(crate) fn pool_os(pool: &Attrs) -> &'static str {
    let windows = pool
        .str("os_type")
        .is_some_and(|o| o.eq_ignore_ascii_case("windows"))
        || pool
            .str("os_sku")
            .is_some_and(|s| s.to_ascii_lowercase().starts_with("windows"));
    if windows { "Windows" } else { "Linux" }
}

/// `nodes` nodes of a pool block (`vm_size`, `os_disk_*`): the nodes' hours
/// (`hours` each), and their managed OS disks (shown as an `os_disk`
/// subresource; empty for ephemeral disks).
pub(crate) fn pool_components(
    pool: &Attrs,
    os: &str,
    nodes: Decimal,
    hours: Decimal,
    ctx: &Ctx,
    p: &mut Priced,
) -> (Vec<ComponentSpec>, Vec<ComponentSpec>) {
    let Some(size) = pool.str("vm_size") else {
        p.note("vm_size not known at plan time; the node pool is not priced");
        return (Vec::new(), Vec::new());
    };
    let Some(total_hours) = p.mul("the node pool's hours (nodes × monthly_hrs)", hours, nodes)
    else {
        return (Vec::new(), Vec::new());
    };
    let instance = vec![instance_component(size, os, total_hours, ctx)];
    let mut os_disk = Vec::new();
    let disk_type = pool.str("os_disk_type").unwrap_or("Managed");
    if disk_type.eq_ignore_ascii_case("managed") {
        let size_gb = pool
            .decimal("os_disk_size_gb")
            .filter(|s| !s.is_zero())
            .unwrap_or(dec!(128));
        let kind = if premium_storage(size) {
            "Premium_LRS"
        } else {
            "Standard_LRS"
        };
        let mut notes = Vec::new();
        // One disk per node: the storage component is per month per disk.
        for mut c in disk_components(kind, Some(size_gb), None, None, None, ctx, &mut notes)
            .into_iter()
            .filter(|c| c.name.starts_with("Storage"))
        {
            c.quantity = crate::cost::Quantity::Monthly(nodes);
            os_disk.push(c);
        }
        p.notes.extend(notes);
    }
    (instance, os_disk)
}

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let nodes = ctx
        .usage
        .decimal("nodes")
        .unwrap_or_else(|| node_count(attrs));
    let hours = ctx.usage.decimal("monthly_hrs").unwrap_or(HOURS_PER_MONTH);
    let (instance, os_disk) = pool_components(attrs, pool_os(attrs), nodes, hours, ctx, &mut p);
    p.components = instance;
    if !os_disk.is_empty() {
        p.subresources.push(("os_disk".to_string(), os_disk));
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cost::testing::{component, price};
    use serde_json::json;

    #[test]
    fn premium_storage_by_size_name() {
        assert!(premium_storage("Standard_DS2_v2"));
        assert!(premium_storage("Standard_D2s_v3"));
        assert!(premium_storage("Standard_E16-8as_v4"));
        assert!(premium_storage("Standard_M8ms"));
        assert!(!premium_storage("Standard_D2_v2"));
        assert!(!premium_storage("Standard_F2"));
    }

    #[test]
    fn nodes_times_vm_hours_and_os_disks() {
        // 3 × Standard_DS2_v2 $0.146 × 730 = $319.74; 3 × P10 LRS $19.71 = $59.13
        let r = price(
            "azurerm_kubernetes_cluster_node_pool",
            json!({"vm_size": "Standard_DS2_v2", "node_count": 3}),
            "eastus",
            None,
        );
        let vm = component(&r, "Instance usage (Linux, pay as you go, Standard_DS2_v2)");
        assert_eq!(vm.monthly_quantity, Some(dec!(2190)));
        assert_eq!(vm.monthly_cost, Some(dec!(319.74)));
        let disk = component(&r, "os_disk: Storage (P10, LRS)");
        assert_eq!(disk.monthly_quantity, Some(dec!(3)));
        assert_eq!(disk.monthly_cost, Some(dec!(59.13)));
    }

    #[test]
    fn usage_nodes_and_ephemeral_disks() {
        // usage: 2 nodes × 100 h × $0.146 = $29.20; ephemeral OS disk: no disk component
        let usage = "version: 0.1\nresource_usage:\n  azurerm_kubernetes_cluster_node_pool.test:\n    nodes: 2\n    monthly_hrs: 100\n";
        let r = price(
            "azurerm_kubernetes_cluster_node_pool",
            json!({"vm_size": "Standard_D2_v2", "node_count": 5, "os_disk_type": "Ephemeral"}),
            "eastus",
            Some(usage),
        );
        assert_eq!(r.cost_components.len(), 1);
        assert_eq!(r.monthly_cost, Some(dec!(29.20)));
    }

    #[test]
    fn min_count_is_the_node_count_when_none_is_set() {
        // min_count 2, no node_count: 2 × 730 h × $0.146 = $213.16 (ephemeral disk: none)
        let r = price(
            "azurerm_kubernetes_cluster_node_pool",
            json!({"vm_size": "Standard_DS2_v2", "min_count": 2, "os_disk_type": "Ephemeral"}),
            "eastus",
            None,
        );
        let vm = component(&r, "Instance usage (Linux, pay as you go, Standard_DS2_v2)");
        assert_eq!(vm.monthly_quantity, Some(dec!(1460)));
        assert_eq!(vm.monthly_cost, Some(dec!(213.16)));
    }

    #[test]
    fn a_min_count_of_zero_keeps_one_node() {
        // node_count 1, min_count 0: the min_count replaces a count of 1, and
        // a count of 0 is 1 node (730 h × $0.146), as Infracost counts it
        let r = price(
            "azurerm_kubernetes_cluster_node_pool",
            json!({"vm_size": "Standard_DS2_v2", "node_count": 1, "min_count": 0, "max_count": 3}),
            "eastus",
            None,
        );
        let vm = component(&r, "Instance usage (Linux, pay as you go, Standard_DS2_v2)");
        assert_eq!(vm.monthly_quantity, Some(dec!(730)));
        assert_eq!(
            component(&r, "os_disk: Storage (P10, LRS)").monthly_quantity,
            Some(dec!(1))
        );
    }

    #[test]
    fn a_windows_os_sku_bills_windows_hours() {
        // os_sku Windows2022: Standard_DS2_v2 Windows $0.238 × 730 = $173.74
        let r = price(
            "azurerm_kubernetes_cluster_node_pool",
            json!({"vm_size": "Standard_DS2_v2", "os_sku": "Windows2022"}),
            "eastus",
            None,
        );
        assert_eq!(
            component(
                &r,
                "Instance usage (Windows, pay as you go, Standard_DS2_v2)"
            )
            .monthly_cost,
            Some(dec!(173.74))
        );
    }

    #[test]
    fn standard_hdd_os_disks_of_non_premium_sizes() {
        // Standard_D2_v3 (no `s`): S10 LRS $5.89 per disk; 2 nodes × 450 h × $0.079 (Basic_A2)
        let usage = "version: 0.1\nresource_usage:\n  azurerm_kubernetes_cluster_node_pool.test:\n    nodes: 2\n    monthly_hrs: 450\n";
        let r = price(
            "azurerm_kubernetes_cluster_node_pool",
            json!({"vm_size": "Basic_A2"}),
            "eastus",
            Some(usage),
        );
        assert_eq!(
            component(&r, "Instance usage (Linux, pay as you go, Basic_A2)").monthly_cost,
            Some(dec!(71.10))
        );
        let disk = component(&r, "os_disk: Storage (S10, LRS)");
        assert_eq!(disk.monthly_quantity, Some(dec!(2)));
        assert_eq!(disk.monthly_cost, Some(dec!(11.78)));
        let r = price(
            "azurerm_kubernetes_cluster_node_pool",
            json!({"vm_size": "Standard_D2_v3"}),
            "eastus",
            None,
        );
        assert_eq!(
            component(&r, "Instance usage (Linux, pay as you go, Standard_D2_v3)").monthly_cost,
            Some(dec!(70.08))
        );
    }
}
