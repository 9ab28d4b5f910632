//! Azure resource types. Attribute names are the azurerm provider's; price
//! filters use cloud `azure` with the Retail Prices API's `serviceName` and
//! field names (`armSkuName`, `skuName`, `meterName`). Regions are the API's
//! `armRegionName` (`eastus`, `westeurope`). VM sizes are looked up in lower
//! case, since the provider accepts `standard_b1s` as well as `Standard_B1s`.

use super::{Registration, priced};
use crate::pricing::PriceFilter;

mod api_management;
mod app_configuration;
mod app_service_plan;
mod application_gateway;
mod application_insights;
mod automation_account;
mod bastion_host;
mod container_registry;
mod cosmosdb;
mod cosmosdb_cassandra_keyspace;
mod cosmosdb_cassandra_table;
mod cosmosdb_gremlin_database;
mod cosmosdb_gremlin_graph;
mod cosmosdb_mongo_collection;
mod cosmosdb_mongo_database;
mod cosmosdb_sql_container;
mod cosmosdb_sql_database;
mod cosmosdb_table;
mod data_factory;
mod data_factory_integration_runtime_azure;
mod data_factory_integration_runtime_self_hosted;
mod databricks_workspace;
mod dns_a_record;
mod dns_aaaa_record;
mod dns_caa_record;
mod dns_cname_record;
mod dns_mx_record;
mod dns_ns_record;
mod dns_ptr_record;
mod dns_queries;
mod dns_srv_record;
mod dns_txt_record;
mod dns_zone;
mod eventgrid_topic;
mod firewall;
mod function_app;
mod function_apps;
mod image;
mod iothub;
mod iothub_dps;
mod key_vault_certificate;
mod key_vault_key;
mod key_vault_managed_hardware_security_module;
mod kubernetes_cluster;
mod kubernetes_cluster_node_pool;
mod lb;
mod lb_outbound_rule;
mod lb_rule;
mod linux_function_app;
mod linux_virtual_machine;
mod linux_virtual_machine_scale_set;
mod log_analytics_workspace;
mod logic_app_integration_account;
mod managed_disk;
mod mariadb_server;
mod monitor_metric_alert;
mod monitor_scheduled_query_rules_alert;
mod monitor_scheduled_query_rules_alert_v2;
mod mssql_database;
mod mssql_elasticpool;
mod mssql_managed_instance;
mod mysql_flexible_server;
mod mysql_server;
mod nat_gateway;
mod network_ddos_protection_plan;
mod notification_hub_namespace;
mod postgresql_flexible_server;
mod postgresql_server;
mod powerbi_embedded;
mod private_dns_a_record;
mod private_dns_aaaa_record;
mod private_dns_cname_record;
mod private_dns_mx_record;
mod private_dns_ptr_record;
mod private_dns_srv_record;
mod private_dns_txt_record;
mod private_dns_zone;
mod private_endpoint;
mod public_ip;
mod public_ip_prefix;
mod redis_cache;
mod search_service;
mod service_plan;
mod servicebus_namespace;
mod signalr_service;
mod single_server;
mod snapshot;
mod storage_account;
mod storage_share;
mod traffic_manager_azure_endpoint;
mod traffic_manager_external_endpoint;
mod traffic_manager_nested_endpoint;
mod traffic_manager_profile;
mod virtual_machine;
mod virtual_network_gateway;
mod windows_function_app;
mod windows_virtual_machine;
mod windows_virtual_machine_scale_set;

/// Every priced Azure resource type: one line each (its name, its price function and
/// the usage-file keys it reads, nested keys dotted as `standard.storage_gb`).
pub(crate) const REGISTRY: &[Registration] = &[
    priced("azurerm_api_management", api_management::price)
        .keys(&["monthly_api_calls", "self_hosted_gateway_count"]),
    priced("azurerm_app_configuration", app_configuration::price)
        .keys(&["monthly_additional_requests"]),
    priced("azurerm_automation_account", automation_account::price).keys(&[
        "monthly_job_run_mins",
        "non_azure_config_node_count",
        "monthly_watcher_hrs",
    ]),
    priced("azurerm_data_factory", data_factory::price).keys(&[
        "monthly_read_write_operation_entities",
        "monthly_monitoring_operation_entities",
    ]),
    priced(
        "azurerm_data_factory_integration_runtime_azure",
        data_factory_integration_runtime_azure::price,
    )
    .keys(&["monthly_orchestration_runs"]),
    priced(
        "azurerm_data_factory_integration_runtime_self_hosted",
        data_factory_integration_runtime_self_hosted::price,
    )
    .keys(&["monthly_orchestration_runs"]),
    priced("azurerm_databricks_workspace", databricks_workspace::price).keys(&[
        "monthly_all_purpose_compute_dbu_hrs",
        "monthly_jobs_compute_dbu_hrs",
        "monthly_jobs_light_compute_dbu_hrs",
    ]),
    priced("azurerm_eventgrid_system_topic", eventgrid_topic::price).keys(&["monthly_operations"]),
    priced("azurerm_eventgrid_topic", eventgrid_topic::price).keys(&["monthly_operations"]),
    priced("azurerm_image", image::price).keys(&["storage_gb"]),
    priced("azurerm_iothub", iothub::price),
    priced("azurerm_iothub_dps", iothub_dps::price).keys(&["monthly_operations"]),
    priced(
        "azurerm_logic_app_integration_account",
        logic_app_integration_account::price,
    ),
    priced(
        "azurerm_notification_hub_namespace",
        notification_hub_namespace::price,
    )
    .keys(&["monthly_pushes"]),
    priced("azurerm_powerbi_embedded", powerbi_embedded::price),
    priced(
        "azurerm_linux_virtual_machine",
        linux_virtual_machine::price,
    )
    .keys(&["monthly_hrs", "os_disk.monthly_disk_operations"]),
    priced(
        "azurerm_windows_virtual_machine",
        windows_virtual_machine::price,
    )
    .keys(&["monthly_hrs", "os_disk.monthly_disk_operations"]),
    priced("azurerm_managed_disk", managed_disk::price).keys(&["monthly_disk_operations"]),
    priced("azurerm_public_ip", public_ip::price),
    priced("azurerm_kubernetes_cluster", kubernetes_cluster::price).keys(&[
        "default_node_pool.nodes",
        "default_node_pool.monthly_hrs",
        "load_balancer.monthly_data_processed_gb",
    ]),
    priced(
        "azurerm_kubernetes_cluster_node_pool",
        kubernetes_cluster_node_pool::price,
    )
    .keys(&["nodes", "monthly_hrs"]),
    priced("azurerm_search_service", search_service::price).keys(&["monthly_images_extracted"]),
    priced("azurerm_service_plan", service_plan::price),
    priced("azurerm_servicebus_namespace", servicebus_namespace::price).keys(&[
        "monthly_messaging_operations",
        "monthly_brokered_connections",
    ]),
    priced("azurerm_signalr_service", signalr_service::price)
        .keys(&["monthly_additional_messages"]),
    priced("azurerm_snapshot", snapshot::price).keys(&["storage_gb"]),
    priced("azurerm_app_service_plan", app_service_plan::price),
    priced(
        "azurerm_postgresql_flexible_server",
        postgresql_flexible_server::price,
    )
    .keys(&["additional_backup_storage_gb"]),
    priced("azurerm_dns_a_record", dns_a_record::price).keys(dns_queries::USAGE_KEYS),
    priced("azurerm_dns_aaaa_record", dns_aaaa_record::price).keys(dns_queries::USAGE_KEYS),
    priced("azurerm_dns_caa_record", dns_caa_record::price).keys(dns_queries::USAGE_KEYS),
    priced("azurerm_dns_cname_record", dns_cname_record::price).keys(dns_queries::USAGE_KEYS),
    priced("azurerm_dns_mx_record", dns_mx_record::price).keys(dns_queries::USAGE_KEYS),
    priced("azurerm_dns_ns_record", dns_ns_record::price).keys(dns_queries::USAGE_KEYS),
    priced("azurerm_dns_ptr_record", dns_ptr_record::price).keys(dns_queries::USAGE_KEYS),
    priced("azurerm_dns_srv_record", dns_srv_record::price).keys(dns_queries::USAGE_KEYS),
    priced("azurerm_dns_txt_record", dns_txt_record::price).keys(dns_queries::USAGE_KEYS),
    priced("azurerm_dns_zone", dns_zone::price),
    priced("azurerm_virtual_machine", virtual_machine::price).keys(&[
        "monthly_hrs",
        "storage_os_disk.monthly_disk_operations",
        "storage_data_disk.monthly_disk_operations",
    ]),
    priced("azurerm_public_ip_prefix", public_ip_prefix::price),
    priced("azurerm_firewall", firewall::price).keys(&["monthly_data_processed_gb"]),
    priced("azurerm_lb", lb::price).keys(&["monthly_data_processed_gb"]),
    priced("azurerm_lb_outbound_rule", lb_outbound_rule::price),
    priced("azurerm_lb_rule", lb_rule::price),
    priced("azurerm_nat_gateway", nat_gateway::price).keys(&["monthly_data_processed_gb"]),
    priced(
        "azurerm_network_ddos_protection_plan",
        network_ddos_protection_plan::price,
    )
    .keys(&["overage_amount"]),
    priced("azurerm_private_dns_a_record", private_dns_a_record::price)
        .keys(dns_queries::USAGE_KEYS),
    priced(
        "azurerm_private_dns_aaaa_record",
        private_dns_aaaa_record::price,
    )
    .keys(dns_queries::USAGE_KEYS),
    priced(
        "azurerm_private_dns_cname_record",
        private_dns_cname_record::price,
    )
    .keys(dns_queries::USAGE_KEYS),
    priced(
        "azurerm_private_dns_mx_record",
        private_dns_mx_record::price,
    )
    .keys(dns_queries::USAGE_KEYS),
    priced(
        "azurerm_private_dns_ptr_record",
        private_dns_ptr_record::price,
    )
    .keys(dns_queries::USAGE_KEYS),
    priced(
        "azurerm_private_dns_srv_record",
        private_dns_srv_record::price,
    )
    .keys(dns_queries::USAGE_KEYS),
    priced(
        "azurerm_private_dns_txt_record",
        private_dns_txt_record::price,
    )
    .keys(dns_queries::USAGE_KEYS),
    priced("azurerm_private_dns_zone", private_dns_zone::price),
    priced("azurerm_private_endpoint", private_endpoint::price).keys(&[
        "monthly_inbound_data_processed_gb",
        "monthly_outbound_data_processed_gb",
    ]),
    priced("azurerm_redis_cache", redis_cache::price),
    priced(
        "azurerm_linux_virtual_machine_scale_set",
        linux_virtual_machine_scale_set::price,
    )
    .keys(&["instances", "os_disk.monthly_disk_operations"]),
    priced(
        "azurerm_windows_virtual_machine_scale_set",
        windows_virtual_machine_scale_set::price,
    )
    .keys(&["instances", "os_disk.monthly_disk_operations"]),
    priced(
        "azurerm_log_analytics_workspace",
        log_analytics_workspace::price,
    )
    .keys(&[
        "monthly_log_data_ingestion_gb",
        "monthly_sentinel_data_ingestion_gb",
        "monthly_additional_log_data_retention_gb",
        "monthly_log_data_export_gb",
        "monthly_basic_log_data_ingestion_gb",
        "monthly_basic_log_search_gb",
        "monthly_archive_data_gb",
        "monthly_archived_data_gb",
        "monthly_archive_data_restored_gb",
        "monthly_archived_data_restored_gb",
        "monthly_archive_data_searched_gb",
        "monthly_archived_data_searched_gb",
    ]),
    priced("azurerm_mssql_database", mssql_database::price).keys(&[
        "monthly_vcore_hours",
        "extra_data_storage_gb",
        "long_term_retention_storage_gb",
        "backup_storage_gb",
    ]),
    priced(
        "azurerm_mysql_flexible_server",
        mysql_flexible_server::price,
    )
    .keys(&["additional_backup_storage_gb"]),
    priced("azurerm_container_registry", container_registry::price)
        .keys(&["storage_gb", "monthly_build_vcpu_hrs"]),
    priced("azurerm_key_vault_key", key_vault_key::price).keys(&[
        "monthly_secrets_operations",
        "monthly_key_rotation_renewals",
        "monthly_protected_keys_operations",
        "hsm_protected_keys",
    ]),
    priced(
        "azurerm_key_vault_certificate",
        key_vault_certificate::price,
    )
    .keys(&[
        "monthly_certificate_renewal_requests",
        "monthly_certificate_other_operations",
    ]),
    priced(
        "azurerm_key_vault_managed_hardware_security_module",
        key_vault_managed_hardware_security_module::price,
    ),
    priced("azurerm_postgresql_server", postgresql_server::price)
        .keys(&["additional_backup_storage_gb"]),
    priced("azurerm_monitor_metric_alert", monitor_metric_alert::price),
    priced(
        "azurerm_monitor_scheduled_query_rules_alert",
        monitor_scheduled_query_rules_alert::price,
    ),
    priced(
        "azurerm_monitor_scheduled_query_rules_alert_v2",
        monitor_scheduled_query_rules_alert_v2::price,
    ),
    priced("azurerm_mysql_server", mysql_server::price).keys(&["additional_backup_storage_gb"]),
    priced("azurerm_mariadb_server", mariadb_server::price).keys(&["additional_backup_storage_gb"]),
    priced("azurerm_mssql_elasticpool", mssql_elasticpool::price),
    priced(
        "azurerm_mssql_managed_instance",
        mssql_managed_instance::price,
    )
    .keys(&["backup_storage_gb", "long_term_retention_storage_gb"]),
    priced("azurerm_function_app", function_app::price).keys(function_apps::USAGE_KEYS),
    priced("azurerm_linux_function_app", linux_function_app::price).keys(function_apps::USAGE_KEYS),
    priced("azurerm_windows_function_app", windows_function_app::price)
        .keys(function_apps::USAGE_KEYS),
    priced("azurerm_storage_account", storage_account::price).keys(storage_account::USAGE_KEYS),
    priced(
        "azurerm_traffic_manager_azure_endpoint",
        traffic_manager_azure_endpoint::price,
    ),
    priced(
        "azurerm_traffic_manager_external_endpoint",
        traffic_manager_external_endpoint::price,
    ),
    priced(
        "azurerm_traffic_manager_nested_endpoint",
        traffic_manager_nested_endpoint::price,
    ),
    priced(
        "azurerm_traffic_manager_profile",
        traffic_manager_profile::price,
    )
    .keys(&["monthly_dns_queries", "monthly_traffic_view_data_points"]),
    priced("azurerm_storage_share", storage_share::price).keys(&[
        "storage_gb",
        "snapshots_storage_gb",
        "metadata_at_rest_storage_gb",
        "monthly_read_operations",
        "monthly_write_operations",
        "monthly_list_operations",
        "monthly_other_operations",
        "monthly_data_retrieval_gb",
    ]),
    priced("azurerm_application_gateway", application_gateway::price)
        .keys(&["monthly_data_processed_gb", "capacity_units"]),
    priced("azurerm_application_insights", application_insights::price)
        .keys(&["monthly_data_ingested_gb"]),
    priced("azurerm_bastion_host", bastion_host::price).keys(&["monthly_outbound_data_gb"]),
    priced(
        "azurerm_virtual_network_gateway",
        virtual_network_gateway::price,
    )
    .keys(&["p2s_connection", "monthly_data_transfer_gb"]),
    priced(
        "azurerm_cosmosdb_sql_database",
        cosmosdb_sql_database::price,
    )
    .keys(cosmosdb::USAGE_KEYS),
    priced(
        "azurerm_cosmosdb_sql_container",
        cosmosdb_sql_container::price,
    )
    .keys(cosmosdb::USAGE_KEYS),
    priced(
        "azurerm_cosmosdb_mongo_database",
        cosmosdb_mongo_database::price,
    )
    .keys(cosmosdb::USAGE_KEYS),
    priced(
        "azurerm_cosmosdb_mongo_collection",
        cosmosdb_mongo_collection::price,
    )
    .keys(cosmosdb::USAGE_KEYS),
    priced(
        "azurerm_cosmosdb_cassandra_keyspace",
        cosmosdb_cassandra_keyspace::price,
    )
    .keys(cosmosdb::USAGE_KEYS),
    priced(
        "azurerm_cosmosdb_cassandra_table",
        cosmosdb_cassandra_table::price,
    )
    .keys(cosmosdb::USAGE_KEYS),
    priced(
        "azurerm_cosmosdb_gremlin_database",
        cosmosdb_gremlin_database::price,
    )
    .keys(cosmosdb::USAGE_KEYS),
    priced(
        "azurerm_cosmosdb_gremlin_graph",
        cosmosdb_gremlin_graph::price,
    )
    .keys(cosmosdb::USAGE_KEYS),
    priced("azurerm_cosmosdb_table", cosmosdb_table::price).keys(cosmosdb::USAGE_KEYS),
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
            // Billed through their databases and keys (`azurerm_key_vault_key`),
            // as Infracost lists them.
            | "azurerm_mssql_server"
            | "azurerm_key_vault"
            // Billed through its databases, containers, keyspaces, tables and
            // graphs (`cosmosdb.rs`), as Infracost lists it.
            | "azurerm_cosmosdb_account"
            // Free in Azure DNS, as Infracost lists them.
            | "azurerm_private_dns_resolver"
            // Billed through its balancer's rules, as Infracost lists it.
            | "azurerm_lb_backend_address_pool"
            | "azurerm_private_dns_zone_virtual_network_link"
    )
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

/// `premium` → `Premium`, `cool` → `Cool`: how the price list spells SKUs and
/// access tiers the provider takes in any case.
pub(crate) fn title_case(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map_or_else(String::new, |first| {
        first
            .to_uppercase()
            .chain(chars.flat_map(char::to_lowercase))
            .collect()
    })
}

/// Test support for types that read other resources of the plan (a key's
/// vault, a function app's plan): prices the whole plan with the shipped
/// tables and returns the resource at `address`.
#[cfg(test)]
pub(super) fn price_in_plan(
    plan: serde_json::Value,
    usage_yaml: Option<&str>,
    address: &str,
) -> crate::cost::ResourceCost {
    use std::path::Path;
    let plan = crate::plan::parse_plan(plan.to_string().as_bytes(), Path::new("test.json"))
        .expect("test plan parses");
    let usage = usage_yaml
        .map(|u| crate::cost::usage::UsageFile::parse(u, Path::new("usage.yml")).expect("usage"))
        .unwrap_or_default();
    let opts = crate::cost::CostOptions {
        usage,
        ..crate::cost::CostOptions::default()
    };
    crate::cost::estimate(&plan, crate::pricing::PriceTable::embedded(), &opts)
        .breakdown
        .resources
        .into_iter()
        .find(|r| r.name == address)
        .expect("the resource is priced")
}
