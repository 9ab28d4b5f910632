//! Google Cloud resource types. Attribute names are the Google provider's;
//! price filters use cloud `google` with the Cloud Billing Catalog's service
//! and resource family names (`Compute Engine` / `Compute Instance`), and the
//! SKU `description` where a family needs one, with its location suffix
//! removed (`Nvidia Tesla K80 GPU running in Americas` → `Nvidia Tesla K80 GPU
//! running`, `Storage PD Capacity in Belgium` → `Storage PD Capacity`), as
//! `pricing import --gcp-billing` writes it.

use super::{Registration, priced};
use crate::pricing::PriceFilter;

mod compute_address;
mod compute_disk;
mod compute_instance;
mod container_cluster;
mod container_node_pool;
mod redis_instance;
mod sql_database_instance;
mod storage_bucket;

/// Every priced Google resource type: one line each (its name, its price function and
/// the usage-file keys it reads, nested keys dotted as `standard.storage_gb`).
pub(crate) const REGISTRY: &[Registration] = &[
    priced("google_compute_instance", compute_instance::price).keys(&["monthly_hrs"]),
    priced("google_compute_disk", compute_disk::price),
    priced("google_compute_address", compute_address::price),
    priced("google_compute_global_address", compute_address::price),
    priced("google_container_cluster", container_cluster::price).keys(&[
        "nodes",
        "autopilot_vcpu_count",
        "autopilot_memory_gb",
        "autopilot_ephemeral_storage_gb",
    ]),
    priced("google_container_node_pool", container_node_pool::price).keys(&["nodes"]),
    priced("google_sql_database_instance", sql_database_instance::price)
        .keys(&["backup_storage_gb"]),
    priced("google_redis_instance", redis_instance::price),
    priced("google_storage_bucket", storage_bucket::price).keys(&[
        "storage_gb",
        "monthly_class_a_operations",
        "monthly_class_b_operations",
        "monthly_data_retrieval_gb",
    ]),
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
