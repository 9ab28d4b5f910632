//! Google Cloud resource types. Attribute names are the Google provider's;
//! price filters use cloud `google` with the Cloud Billing Catalog's service
//! and resource family names (`Compute Engine` / `Compute Instance`), and the
//! SKU `description` where a family needs one, with its location suffix
//! removed (`Nvidia Tesla K80 GPU running in Americas` → `Nvidia Tesla K80 GPU
//! running`, `Storage PD Capacity in Belgium` → `Storage PD Capacity`), as
//! `pricing import --gcp-billing` writes it.

use super::PriceFn;
use crate::pricing::PriceFilter;

mod compute_address;
mod compute_disk;
mod compute_instance;
mod container_cluster;
mod container_node_pool;
mod redis_instance;
mod sql_database_instance;
mod storage_bucket;

/// Priced Google resource types (keep in step with `price_fn`).
pub(crate) const SUPPORTED: &[&str] = &[
    "google_compute_instance",
    "google_compute_disk",
    "google_compute_address",
    "google_compute_global_address",
    "google_container_cluster",
    "google_container_node_pool",
    "google_sql_database_instance",
    "google_redis_instance",
    "google_storage_bucket",
];

/// Google resource types billed at nothing (networks, IAM, projects, …).
pub(crate) fn is_free(resource_type: &str) -> bool {
    matches!(
        resource_type,
        "google_compute_network"
            | "google_compute_subnetwork"
            | "google_compute_firewall"
            | "google_compute_route"
            | "google_compute_router"
            | "google_project"
            | "google_project_service"
            | "google_project_iam_member"
            | "google_project_iam_binding"
            | "google_project_iam_policy"
            | "google_service_account"
            | "google_service_account_key"
            | "google_service_account_iam_member"
            | "google_storage_bucket_iam_member"
            | "google_storage_bucket_iam_binding"
            | "google_compute_instance_iam_member"
    )
}

/// The usage-file keys each priced type reads.
pub(crate) fn usage_keys(resource_type: &str) -> &'static [&'static str] {
    match resource_type {
        "google_compute_instance" => &["monthly_hrs"],
        "google_container_node_pool" => &["nodes"],
        "google_sql_database_instance" => &["backup_storage_gb"],
        "google_storage_bucket" => &[
            "storage_gb",
            "monthly_class_a_operations",
            "monthly_class_b_operations",
            "monthly_data_retrieval_gb",
        ],
        "google_container_cluster" => &[
            "nodes",
            "autopilot_vcpu_count",
            "autopilot_memory_gb",
            "autopilot_ephemeral_storage_gb",
        ],
        _ => &[],
    }
}

pub(crate) fn price_fn(resource_type: &str) -> Option<PriceFn> {
    Some(match resource_type {
        "google_compute_instance" => compute_instance::price,
        "google_compute_disk" => compute_disk::price,
        "google_compute_address" | "google_compute_global_address" => compute_address::price,
        "google_container_cluster" => container_cluster::price,
        "google_container_node_pool" => container_node_pool::price,
        "google_sql_database_instance" => sql_database_instance::price,
        "google_redis_instance" => redis_instance::price,
        "google_storage_bucket" => storage_bucket::price,
        _ => return None,
    })
}

/// A Google price in `region`, bought `purchase_option` (`on_demand`, `preemptible`).
pub(crate) fn filter(
    service: &'static str,
    family: &'static str,
    region: &str,
    unit: &'static str,
    purchase_option: &'static str,
) -> PriceFilter {
    PriceFilter {
        cloud: "google",
        service,
        product_family: family,
        region: region.to_string(),
        attributes: Vec::new(),
        purchase_option,
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
