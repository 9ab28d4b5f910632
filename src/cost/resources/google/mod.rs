//! Google Cloud resource types. Attribute names are the Google provider's;
//! price filters use cloud `google` with the Cloud Billing Catalog's service
//! and resource family names (`Compute Engine` / `Compute Instance`), and the
//! SKU `description` where a family needs one, with its location suffix
//! removed (`Nvidia Tesla K80 GPU running in Americas` → `Nvidia Tesla K80 GPU
//! running`, `Storage PD Capacity in Belgium` → `Storage PD Capacity`), as
//! `pricing import --gcp-billing` writes it.

use super::{Registration, priced};
use crate::pricing::PriceFilter;

mod artifact_registry_repository;
mod bigquery_dataset;
mod bigquery_table;
mod cloud_run;
mod cloud_run_service;
mod cloud_run_v2_job;
mod cloud_run_v2_service;
mod cloudfunctions_function;
mod compute_address;
mod compute_disk;
mod compute_external_vpn_gateway;
mod compute_forwarding_rule;
mod compute_image;
mod compute_instance;
mod compute_instance_group_manager;
mod compute_machine_image;
mod compute_router_nat;
mod compute_snapshot;
mod compute_target_proxy;
mod compute_vpn_gateway;
mod compute_vpn_tunnel;
mod container_cluster;
mod container_node_pool;
mod container_registry;
mod dns_managed_zone;
mod dns_record_set;
mod kms_crypto_key;
mod logging;
mod memorystore_instance;
mod monitoring_metric_descriptor;
mod network_egress;
mod pubsub_subscription;
mod pubsub_topic;
mod redis_cluster;
mod redis_instance;
mod secret_manager;
mod secret_manager_secret;
mod secret_manager_secret_version;
mod service_networking_connection;
mod sql_database_instance;
mod storage_bucket;
#[cfg(test)]
mod testing;

/// Every priced Google resource type: one line each (its name, its price function and
/// the usage-file keys it reads, nested keys dotted as `standard.storage_gb`).
pub(crate) const REGISTRY: &[Registration] = &[
    priced("google_compute_instance", compute_instance::price).keys(&["monthly_hrs"]),
    priced("google_compute_disk", compute_disk::price),
    priced("google_compute_address", compute_address::price),
    priced("google_compute_global_address", compute_address::price),
    priced("google_container_cluster", container_cluster::price)
        .computed_keys(container_cluster::usage_keys),
    priced("google_container_node_pool", container_node_pool::price).keys(&["nodes"]),
    priced("google_container_registry", container_registry::price).keys(&[
        "storage_gb",
        "monthly_class_a_operations",
        "monthly_class_b_operations",
        "monthly_egress_data_transfer_gb.same_continent",
        "monthly_egress_data_transfer_gb.worldwide",
        "monthly_egress_data_transfer_gb.asia",
        "monthly_egress_data_transfer_gb.china",
        "monthly_egress_data_transfer_gb.australia",
    ]),
    priced("google_sql_database_instance", sql_database_instance::price)
        .keys(&["backup_storage_gb"]),
    priced("google_redis_instance", redis_instance::price),
    priced("google_redis_cluster", redis_cluster::price).keys(&["backup_storage_gb"]),
    priced("google_memorystore_instance", memorystore_instance::price).keys(&["backup_storage_gb"]),
    priced("google_storage_bucket", storage_bucket::price).keys(&[
        "storage_gb",
        "monthly_class_a_operations",
        "monthly_class_b_operations",
        "monthly_data_retrieval_gb",
        "monthly_egress_data_transfer_gb.same_continent",
        "monthly_egress_data_transfer_gb.worldwide",
        "monthly_egress_data_transfer_gb.asia",
        "monthly_egress_data_transfer_gb.china",
        "monthly_egress_data_transfer_gb.australia",
    ]),
    priced(
        "google_artifact_registry_repository",
        artifact_registry_repository::price,
    )
    .computed_keys(artifact_registry_repository::usage_keys),
    priced("google_bigquery_dataset", bigquery_dataset::price).keys(&["monthly_queries_tb"]),
    priced("google_bigquery_table", bigquery_table::price).keys(&[
        "monthly_active_logical_storage_gb",
        "monthly_long_term_logical_storage_gb",
        "monthly_active_storage_gb",
        "monthly_long_term_storage_gb",
        "monthly_streaming_inserts_mb",
        "monthly_storage_write_api_gb",
        "monthly_storage_read_api_tb",
    ]),
    priced("google_cloud_run_service", cloud_run_service::price).keys(CLOUD_RUN_KEYS),
    priced("google_cloud_run_v2_service", cloud_run_v2_service::price).keys(CLOUD_RUN_KEYS),
    priced("google_cloud_run_v2_job", cloud_run_v2_job::price)
        .keys(&["monthly_job_executions", "average_task_execution_mins"]),
    priced(
        "google_cloudfunctions_function",
        cloudfunctions_function::price,
    )
    .keys(&[
        "request_duration_ms",
        "monthly_function_invocations",
        "monthly_outbound_data_gb",
    ]),
    priced(
        "google_compute_instance_group_manager",
        compute_instance_group_manager::price,
    ),
    priced(
        "google_compute_region_instance_group_manager",
        compute_instance_group_manager::price,
    ),
    priced("google_compute_router_nat", compute_router_nat::price)
        .keys(&["assigned_vms", "monthly_data_processed_gb"]),
    priced(
        "google_compute_forwarding_rule",
        compute_forwarding_rule::price,
    )
    .keys(&["monthly_ingress_data_gb"]),
    priced(
        "google_compute_global_forwarding_rule",
        compute_forwarding_rule::price,
    )
    .keys(&["monthly_ingress_data_gb"]),
    priced("google_compute_vpn_tunnel", compute_vpn_tunnel::price),
    priced("google_compute_vpn_gateway", compute_vpn_gateway::price)
        .keys(compute_vpn_gateway::USAGE_KEYS),
    priced("google_compute_ha_vpn_gateway", compute_vpn_gateway::price)
        .keys(compute_vpn_gateway::USAGE_KEYS),
    priced(
        "google_service_networking_connection",
        service_networking_connection::price,
    )
    .keys(compute_vpn_gateway::USAGE_KEYS),
    priced(
        "google_compute_external_vpn_gateway",
        compute_external_vpn_gateway::price,
    )
    .keys(&[
        "monthly_egress_data_transfer_gb.worldwide",
        "monthly_egress_data_transfer_gb.china",
        "monthly_egress_data_transfer_gb.australia",
    ]),
    priced(
        "google_compute_target_grpc_proxy",
        compute_target_proxy::price,
    )
    .keys(PROXY_KEYS),
    priced(
        "google_compute_target_http_proxy",
        compute_target_proxy::price,
    )
    .keys(PROXY_KEYS),
    priced(
        "google_compute_target_https_proxy",
        compute_target_proxy::price,
    )
    .keys(PROXY_KEYS),
    priced(
        "google_compute_target_ssl_proxy",
        compute_target_proxy::price,
    )
    .keys(PROXY_KEYS),
    priced(
        "google_compute_target_tcp_proxy",
        compute_target_proxy::price,
    )
    .keys(PROXY_KEYS),
    priced(
        "google_compute_region_target_http_proxy",
        compute_target_proxy::price,
    )
    .keys(PROXY_KEYS),
    priced(
        "google_compute_region_target_https_proxy",
        compute_target_proxy::price,
    )
    .keys(PROXY_KEYS),
    priced("google_compute_snapshot", compute_snapshot::price).keys(&["storage_gb"]),
    priced("google_compute_image", compute_image::price).keys(&["storage_gb"]),
    priced("google_compute_machine_image", compute_machine_image::price).keys(&["storage_gb"]),
    priced("google_dns_managed_zone", dns_managed_zone::price),
    priced("google_dns_record_set", dns_record_set::price).keys(&["monthly_queries"]),
    priced("google_kms_crypto_key", kms_crypto_key::price)
        .keys(&["key_versions", "monthly_key_operations"]),
    priced("google_secret_manager_secret", secret_manager_secret::price).keys(&[
        "active_secret_versions",
        "monthly_access_operations",
        "monthly_rotation_notifications",
    ]),
    priced(
        "google_secret_manager_secret_version",
        secret_manager_secret_version::price,
    )
    .keys(&["monthly_access_operations"]),
    priced(
        "google_monitoring_metric_descriptor",
        monitoring_metric_descriptor::price,
    )
    .keys(&["monthly_monitoring_data_mb", "monthly_api_calls"]),
    priced("google_pubsub_topic", pubsub_topic::price).keys(&["monthly_message_data_tb"]),
    priced("google_pubsub_subscription", pubsub_subscription::price).keys(&[
        "monthly_message_data_tb",
        "storage_gb",
        "snapshot_storage_gb",
    ]),
    priced("google_logging_project_bucket_config", logging::price).keys(LOGGING_KEYS),
    priced("google_logging_folder_bucket_config", logging::price).keys(LOGGING_KEYS),
    priced("google_logging_organization_bucket_config", logging::price).keys(LOGGING_KEYS),
    priced(
        "google_logging_billing_account_bucket_config",
        logging::price,
    )
    .keys(LOGGING_KEYS),
    priced("google_logging_project_sink", logging::price).keys(LOGGING_KEYS),
    priced("google_logging_folder_sink", logging::price).keys(LOGGING_KEYS),
    priced("google_logging_organization_sink", logging::price).keys(LOGGING_KEYS),
    priced("google_logging_billing_account_sink", logging::price).keys(LOGGING_KEYS),
];

/// What every target proxy reads from the usage file.
const PROXY_KEYS: &[&str] = &["monthly_proxy_instances", "monthly_data_processed_gb"];

/// What both Cloud Run service types read from the usage file.
const CLOUD_RUN_KEYS: &[&str] = &[
    "monthly_requests",
    "average_request_duration_ms",
    "concurrent_requests_per_instance",
    "instance_hrs",
];

/// What every Cloud Logging bucket config and sink reads from the usage file.
const LOGGING_KEYS: &[&str] = &["monthly_logging_data_gb"];

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
            // As Infracost lists them free (internal/providers/terraform/google/registry.go,
            // FreeResources @ 7c081feab4fb3e96634550ac78ed298e58c92742).
            | "google_artifact_registry_repository_iam_binding"
            | "google_artifact_registry_repository_iam_member"
            | "google_bigquery_dataset_access"
            | "google_bigquery_dataset_iam_binding"
            | "google_bigquery_dataset_iam_member"
            | "google_bigquery_dataset_iam_policy"
            | "google_bigquery_table_iam_binding"
            | "google_bigquery_table_iam_member"
            | "google_cloudfunctions_function_iam_binding"
            | "google_cloudfunctions_function_iam_member"
            | "google_cloudfunctions2_function_iam_member"
            | "google_cloud_run_service_iam_binding"
            | "google_cloud_run_service_iam_member"
            | "google_cloud_run_v2_service_iam_member"
            | "google_cloud_run_domain_mapping"
            | "google_compute_attached_disk"
            | "google_compute_backend_bucket"
            | "google_compute_backend_service"
            | "google_compute_global_network_endpoint_group"
            | "google_compute_health_check"
            | "google_compute_http_health_check"
            | "google_compute_instance_group"
            | "google_compute_instance_template"
            | "google_compute_managed_ssl_certificate"
            | "google_compute_network_endpoint_group"
            | "google_compute_network_peering"
            // Priced through the group they name (compute_instance_group_manager.rs).
            | "google_compute_per_instance_config"
            | "google_compute_region_per_instance_config"
            | "google_compute_project_metadata"
            | "google_compute_project_metadata_item"
            | "google_compute_region_backend_service"
            | "google_compute_region_health_check"
            | "google_compute_region_network_endpoint_group"
            | "google_compute_region_url_map"
            | "google_compute_router_interface"
            | "google_compute_shared_vpc_host_project"
            | "google_compute_shared_vpc_service_project"
            | "google_compute_ssl_certificate"
            | "google_compute_ssl_policy"
            | "google_compute_url_map"
            | "google_dns_policy"
            | "google_folder_iam_member"
            | "google_iam_workload_identity_pool"
            | "google_iam_workload_identity_pool_provider"
            | "google_kms_crypto_key_iam_binding"
            | "google_kms_crypto_key_iam_member"
            | "google_kms_key_ring"
            | "google_kms_key_ring_iam_member"
            | "google_logging_metric"
            | "google_logging_project_exclusion"
            | "google_monitoring_alert_policy"
            | "google_monitoring_dashboard"
            | "google_monitoring_notification_channel"
            | "google_monitoring_uptime_check_config"
            | "google_organization_iam_member"
            | "google_project_iam_custom_role"
            | "google_project_service_identity"
            | "google_pubsub_subscription_iam_member"
            | "google_pubsub_topic_iam_member"
            | "google_secret_manager_secret_iam_binding"
            | "google_secret_manager_secret_iam_member"
            | "google_service_account_iam_binding"
            | "google_sql_database"
            | "google_sql_user"
            | "google_storage_bucket_object"
            | "google_storage_bucket_iam_policy"
            | "google_storage_notification"
            // Infracost prices the other target proxies (compute_target_proxy.rs);
            // it has no price for this one, and its forwarding rule bills.
            | "google_compute_region_target_tcp_proxy"
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

#[cfg(test)]
mod tests {
    use super::filter;

    #[test]
    fn a_missing_google_price_names_the_region_and_the_billing_import() {
        let m = filter(
            "Compute Engine",
            "Storage",
            "me-west1",
            "GB-Mo",
            "on_demand",
        )
        .attr("description", "Storage PD Capacity")
        .miss_message();
        assert!(m.contains("me-west1"), "{m}");
        assert!(m.contains("driftcost pricing import --gcp-billing"), "{m}");
        assert!(m.contains("--pricing-dir"), "{m}");
    }
}
