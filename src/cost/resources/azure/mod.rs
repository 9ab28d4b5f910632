//! Azure resource types. Attribute names are the azurerm provider's; price
//! filters use cloud `azure` with the Retail Prices API's `serviceName` and
//! field names (`armSkuName`, `skuName`, `meterName`). Regions are the API's
//! `armRegionName` (`eastus`, `westeurope`). VM sizes are looked up in lower
//! case, since the provider accepts `standard_b1s` as well as `Standard_B1s`.

use super::PriceFn;
use crate::pricing::PriceFilter;

mod app_service_plan;
mod kubernetes_cluster;
mod kubernetes_cluster_node_pool;
mod linux_virtual_machine;
mod managed_disk;
mod postgresql_flexible_server;
mod public_ip;
mod service_plan;
mod windows_virtual_machine;

/// Priced Azure resource types (keep in step with `price_fn`).
pub(crate) const SUPPORTED: &[&str] = &[
    "azurerm_linux_virtual_machine",
    "azurerm_windows_virtual_machine",
    "azurerm_managed_disk",
    "azurerm_public_ip",
    "azurerm_kubernetes_cluster",
    "azurerm_kubernetes_cluster_node_pool",
    "azurerm_service_plan",
    "azurerm_app_service_plan",
    "azurerm_postgresql_flexible_server",
];

/// Azure resource types billed at nothing.
pub(crate) fn is_free(resource_type: &str) -> bool {
    matches!(
        resource_type,
        "azurerm_resource_group"
            | "azurerm_virtual_network"
            | "azurerm_subnet"
            | "azurerm_network_interface"
            | "azurerm_network_security_group"
            | "azurerm_network_security_rule"
            | "azurerm_subnet_network_security_group_association"
            | "azurerm_network_interface_security_group_association"
            | "azurerm_route_table"
            | "azurerm_subnet_route_table_association"
            | "azurerm_role_assignment"
            | "azurerm_user_assigned_identity"
            | "azurerm_virtual_machine_data_disk_attachment"
    )
}

/// The usage-file keys each priced type reads.
pub(crate) fn usage_keys(resource_type: &str) -> &'static [&'static str] {
    match resource_type {
        "azurerm_linux_virtual_machine" | "azurerm_windows_virtual_machine" => {
            &["monthly_hrs", "os_disk.monthly_disk_operations"]
        }
        "azurerm_managed_disk" => &["monthly_disk_operations"],
        "azurerm_kubernetes_cluster" => &[
            "default_node_pool.nodes",
            "load_balancer.monthly_data_processed_gb",
        ],
        "azurerm_kubernetes_cluster_node_pool" => &["nodes", "monthly_hrs"],
        "azurerm_postgresql_flexible_server" => &["additional_backup_storage_gb"],
        _ => &[],
    }
}

pub(crate) fn price_fn(resource_type: &str) -> Option<PriceFn> {
    Some(match resource_type {
        "azurerm_linux_virtual_machine" => linux_virtual_machine::price,
        "azurerm_windows_virtual_machine" => windows_virtual_machine::price,
        "azurerm_managed_disk" => managed_disk::price,
        "azurerm_public_ip" => public_ip::price,
        "azurerm_kubernetes_cluster" => kubernetes_cluster::price,
        "azurerm_kubernetes_cluster_node_pool" => kubernetes_cluster_node_pool::price,
        "azurerm_service_plan" => service_plan::price,
        "azurerm_app_service_plan" => app_service_plan::price,
        "azurerm_postgresql_flexible_server" => postgresql_flexible_server::price,
        _ => return None,
    })
}

/// An Azure pay-as-you-go price in `region`.
pub(crate) fn filter(
    service: &'static str,
    family: &'static str,
    region: &str,
    unit: &'static str,
) -> PriceFilter {
    PriceFilter {
        cloud: "azure",
        service,
        product_family: family,
        region: region.to_string(),
        attributes: Vec::new(),
        purchase_option: "on_demand",
        unit,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_supported_type_has_a_price_fn() {
        for t in super::SUPPORTED {
            assert!(super::price_fn(t).is_some(), "{t} listed but not wired");
        }
    }
}
