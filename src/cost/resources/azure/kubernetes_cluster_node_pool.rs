//! `azurerm_kubernetes_cluster_node_pool`: an AKS node pool is its nodes' VMs
//! (pay-as-you-go hours of `vm_size`, Linux or Windows by `os_type`) and
//! their managed OS disks. `azurerm_kubernetes_cluster` prices its default
//! pool through [`pool_components`].
//!
//! As Infracost counts it: nodes = usage key `nodes`, else `node_count`, else
//! 1; hours per node from usage key `monthly_hrs` (default 730). OS disks
//! (`os_disk_type` Managed, the default; Ephemeral disks live on the VM and
//! cost nothing extra) of `os_disk_size_gb` (default 128 GB) are Premium SSD
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

/// Components of `nodes` nodes of a pool block (`vm_size`, `os_disk_*`).
pub(crate) fn pool_components(
    pool: &Attrs,
    os: &str,
    nodes: Decimal,
    hours: Decimal,
    ctx: &Ctx,
    p: &mut Priced,
) -> Vec<ComponentSpec> {
    let Some(size) = pool.str("vm_size") else {
        p.note("vm_size not known at plan time; the node pool is not priced");
        return Vec::new();
    };
    let mut out = vec![instance_component(size, os, hours * nodes, ctx)];
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
            out.push(c);
        }
        p.notes.extend(notes);
    }
    out
}

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let nodes = ctx
        .usage
        .decimal("nodes")
        .or_else(|| attrs.decimal("node_count").filter(|n| !n.is_zero()))
        .unwrap_or(Decimal::ONE);
    let hours = ctx.usage.decimal("monthly_hrs").unwrap_or(HOURS_PER_MONTH);
    let os = if attrs
        .str("os_type")
        .is_some_and(|o| o.eq_ignore_ascii_case("windows"))
    {
        "Windows"
    } else {
        "Linux"
    };
    p.components = pool_components(attrs, os, nodes, hours, ctx, &mut p);
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
        let disk = component(&r, "Storage (P10, LRS)");
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
}
