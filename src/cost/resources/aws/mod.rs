//! AWS resource types. Attribute names are the AWS provider's; price filter
//! attributes are the AWS Price List's (with `usagetype` stripped of its region
//! prefix, e.g. `NatGateway-Hours`).

use super::PriceFn;

mod autoscaling_group;
mod cloudwatch_log_group;
mod db_instance;
mod dynamodb_table;
mod ebs_volume;
mod ecs_service;
mod efs_file_system;
mod eip;
mod eks_cluster;
mod eks_node_group;
mod elasticache_cluster;
mod elasticache_replication_group;
mod elb;
pub(crate) mod free;
mod instance;
mod kms_key;
mod lambda_function;
mod lb;
mod nat_gateway;
mod rds_cluster_instance;
mod route53_record;
mod route53_zone;
mod s3_bucket;
mod secretsmanager_secret;
mod sns_topic;
mod sqs_queue;
// --- more AWS types
mod acmpca_certificate_authority;
mod api_gateway_rest_api;
mod apigatewayv2_api;
mod backup_vault;
mod cloudfront_distribution;
mod cloudwatch_dashboard;
mod cloudwatch_metric_alarm;
mod config_config_rule;
mod docdb_cluster_instance;
mod ec2_client_vpn_endpoint;
mod ec2_client_vpn_network_association;
mod ec2_transit_gateway_vpc_attachment;
mod ecr_repository;
mod fsx_windows_file_system;
mod globalaccelerator_accelerator;
mod kinesis_firehose_delivery_stream;
mod kinesis_stream;
mod mq_broker;
mod msk_cluster;
mod neptune_cluster_instance;
mod opensearch_domain;
mod redshift_cluster;
mod sfn_state_machine;
mod ssm_parameter;
mod transit_gateway;
mod vpc_endpoint;
mod vpn_connection;
mod wafv2_web_acl;

/// Priced AWS resource types (keep in step with `price_fn`).
pub(crate) const SUPPORTED: &[&str] = &[
    // --- compute
    "aws_instance",
    "aws_ebs_volume",
    "aws_autoscaling_group",
    "aws_eks_cluster",
    "aws_eks_node_group",
    "aws_lambda_function",
    "aws_ecs_service",
    // --- data
    "aws_db_instance",
    "aws_rds_cluster_instance",
    "aws_elasticache_cluster",
    "aws_elasticache_replication_group",
    "aws_dynamodb_table",
    "aws_s3_bucket",
    "aws_efs_file_system",
    // --- network and messaging
    "aws_nat_gateway",
    "aws_lb",
    "aws_alb",
    "aws_elb",
    "aws_eip",
    "aws_route53_zone",
    "aws_route53_record",
    "aws_cloudwatch_log_group",
    "aws_kms_key",
    "aws_secretsmanager_secret",
    "aws_sqs_queue",
    "aws_sns_topic",
    // --- more AWS types
    "aws_cloudwatch_dashboard",
    "aws_cloudwatch_metric_alarm",
    "aws_config_config_rule",
    "aws_ecr_repository",
    "aws_ssm_parameter",
    "aws_sfn_state_machine",
    "aws_backup_vault",
    "aws_vpc_endpoint",
    "aws_vpn_connection",
    "aws_ec2_transit_gateway_vpc_attachment",
    "aws_kinesis_stream",
    "aws_api_gateway_rest_api",
    "aws_apigatewayv2_api",
    "aws_kinesis_firehose_delivery_stream",
    "aws_acmpca_certificate_authority",
    "aws_ec2_client_vpn_endpoint",
    "aws_ec2_client_vpn_network_association",
    "aws_wafv2_web_acl",
    "aws_mq_broker",
    "aws_globalaccelerator_accelerator",
    "aws_docdb_cluster_instance",
    "aws_neptune_cluster_instance",
    "aws_msk_cluster",
    "aws_redshift_cluster",
    "aws_opensearch_domain",
    "aws_elasticsearch_domain",
    "aws_fsx_windows_file_system",
    "aws_cloudfront_distribution",
];

/// The usage-file keys each priced type reads (nested keys dotted, as
/// `standard.storage_gb`); keep in step with the resource files.
pub(crate) fn usage_keys(resource_type: &str) -> &'static [&'static str] {
    const INSTANCE: &[&str] = &[
        "instances",
        "operating_system",
        "monthly_cpu_credit_hrs",
        "vcpu_count",
    ];
    match resource_type {
        "aws_instance" => &[
            "operating_system",
            "monthly_cpu_credit_hrs",
            "vcpu_count",
            "monthly_hrs",
            "reserved_instance_type",
            "reserved_instance_term",
            "reserved_instance_payment_option",
        ],
        "aws_autoscaling_group" | "aws_eks_node_group" => INSTANCE,
        "aws_ebs_volume" => &["monthly_standard_io_requests"],
        "aws_lambda_function" => &["monthly_requests", "request_duration_ms"],
        "aws_db_instance" => &[
            "monthly_standard_io_requests",
            "additional_backup_storage_gb",
        ],
        "aws_elasticache_cluster" | "aws_elasticache_replication_group" => {
            &["snapshot_storage_size_gb"]
        }
        "aws_dynamodb_table" => &[
            "monthly_write_request_units",
            "monthly_read_request_units",
            "storage_gb",
            "pitr_backup_storage_gb",
            "on_demand_backup_storage_gb",
            "monthly_data_restored_gb",
            "monthly_streams_read_request_units",
        ],
        "aws_s3_bucket" => s3_bucket::usage_keys(),
        "aws_efs_file_system" => &["storage_gb", "infrequent_access_storage_gb"],
        "aws_nat_gateway" | "aws_elb" => &["monthly_data_processed_gb"],
        "aws_lb" | "aws_alb" => &[
            "new_connections",
            "active_connections",
            "processed_bytes_gb",
            "rule_evaluations",
        ],
        "aws_route53_record" => &[
            "monthly_standard_queries",
            "monthly_latency_based_queries",
            "monthly_geo_queries",
        ],
        "aws_cloudwatch_log_group" => &[
            "monthly_data_ingested_gb",
            "storage_gb",
            "monthly_data_scanned_gb",
        ],
        "aws_kms_key" | "aws_secretsmanager_secret" | "aws_sns_topic" => &["monthly_requests"],
        "aws_sqs_queue" => &["monthly_requests", "request_size_kb"],
        // --- more AWS types
        "aws_config_config_rule" => &["monthly_rule_evaluations"],
        "aws_ecr_repository" => &["storage_gb"],
        "aws_ssm_parameter" => &[
            "parameter_storage_hrs",
            "api_throughput_limit",
            "monthly_api_interactions",
        ],
        "aws_sfn_state_machine" => &[
            "monthly_transitions",
            "monthly_requests",
            "workflow_duration_ms",
            "memory_mb",
        ],
        "aws_backup_vault" => backup_vault::USAGE_KEYS,
        "aws_vpc_endpoint" => &["monthly_data_processed_gb"],
        "aws_vpn_connection" => &["monthly_data_processed_gb"],
        "aws_ec2_transit_gateway_vpc_attachment" => &["monthly_data_processed_gb"],
        "aws_kinesis_stream" => kinesis_stream::USAGE_KEYS,
        "aws_api_gateway_rest_api" => &["monthly_requests"],
        "aws_apigatewayv2_api" => &[
            "monthly_requests",
            "request_size_kb",
            "monthly_messages",
            "message_size_kb",
            "monthly_connection_mins",
        ],
        "aws_kinesis_firehose_delivery_stream" => &["monthly_data_ingested_gb"],
        "aws_acmpca_certificate_authority" => &["monthly_requests"],
        "aws_wafv2_web_acl" => &[
            "rule_group_rules",
            "managed_rule_group_rules",
            "monthly_requests",
        ],
        "aws_mq_broker" => &["storage_size_gb"],
        "aws_globalaccelerator_accelerator" => globalaccelerator_accelerator::USAGE_KEYS,
        "aws_docdb_cluster_instance" => &[
            "data_storage_gb",
            "monthly_io_requests",
            "monthly_cpu_credit_hrs",
        ],
        "aws_neptune_cluster_instance" => &["monthly_cpu_credit_hrs"],
        "aws_redshift_cluster" => &[
            "managed_storage_gb",
            "excess_concurrency_scaling_secs",
            "spectrum_data_scanned_tb",
            "backup_storage_gb",
        ],
        "aws_fsx_windows_file_system" => &["backup_storage_gb"],
        "aws_cloudfront_distribution" => cloudfront_distribution::USAGE_KEYS,
        _ => &[],
    }
}

pub(crate) fn price_fn(resource_type: &str) -> Option<PriceFn> {
    Some(match resource_type {
        // --- compute
        "aws_instance" => instance::price,
        "aws_ebs_volume" => ebs_volume::price,
        "aws_autoscaling_group" => autoscaling_group::price,
        "aws_eks_cluster" => eks_cluster::price,
        "aws_eks_node_group" => eks_node_group::price,
        "aws_lambda_function" => lambda_function::price,
        "aws_ecs_service" => ecs_service::price,
        // --- data
        "aws_db_instance" => db_instance::price,
        "aws_rds_cluster_instance" => rds_cluster_instance::price,
        "aws_elasticache_cluster" => elasticache_cluster::price,
        "aws_elasticache_replication_group" => elasticache_replication_group::price,
        "aws_dynamodb_table" => dynamodb_table::price,
        "aws_s3_bucket" => s3_bucket::price,
        "aws_efs_file_system" => efs_file_system::price,
        // --- network and messaging
        "aws_nat_gateway" => nat_gateway::price,
        "aws_lb" => lb::price,
        "aws_alb" => lb::price,
        "aws_elb" => elb::price,
        "aws_eip" => eip::price,
        "aws_route53_zone" => route53_zone::price,
        "aws_route53_record" => route53_record::price,
        "aws_cloudwatch_log_group" => cloudwatch_log_group::price,
        "aws_kms_key" => kms_key::price,
        "aws_secretsmanager_secret" => secretsmanager_secret::price,
        "aws_sqs_queue" => sqs_queue::price,
        "aws_sns_topic" => sns_topic::price,
        // --- more AWS types
        "aws_cloudwatch_dashboard" => cloudwatch_dashboard::price,
        "aws_cloudwatch_metric_alarm" => cloudwatch_metric_alarm::price,
        "aws_config_config_rule" => config_config_rule::price,
        "aws_ecr_repository" => ecr_repository::price,
        "aws_ssm_parameter" => ssm_parameter::price,
        "aws_sfn_state_machine" => sfn_state_machine::price,
        "aws_backup_vault" => backup_vault::price,
        "aws_vpc_endpoint" => vpc_endpoint::price,
        "aws_vpn_connection" => vpn_connection::price,
        "aws_ec2_transit_gateway_vpc_attachment" => ec2_transit_gateway_vpc_attachment::price,
        "aws_kinesis_stream" => kinesis_stream::price,
        "aws_api_gateway_rest_api" => api_gateway_rest_api::price,
        "aws_apigatewayv2_api" => apigatewayv2_api::price,
        "aws_kinesis_firehose_delivery_stream" => kinesis_firehose_delivery_stream::price,
        "aws_acmpca_certificate_authority" => acmpca_certificate_authority::price,
        "aws_ec2_client_vpn_endpoint" => ec2_client_vpn_endpoint::price,
        "aws_ec2_client_vpn_network_association" => ec2_client_vpn_network_association::price,
        "aws_wafv2_web_acl" => wafv2_web_acl::price,
        "aws_mq_broker" => mq_broker::price,
        "aws_globalaccelerator_accelerator" => globalaccelerator_accelerator::price,
        "aws_docdb_cluster_instance" => docdb_cluster_instance::price,
        "aws_neptune_cluster_instance" => neptune_cluster_instance::price,
        "aws_msk_cluster" => msk_cluster::price,
        "aws_redshift_cluster" => redshift_cluster::price,
        "aws_opensearch_domain" => opensearch_domain::price,
        "aws_elasticsearch_domain" => opensearch_domain::price,
        "aws_fsx_windows_file_system" => fsx_windows_file_system::price,
        "aws_cloudfront_distribution" => cloudfront_distribution::price,
        _ => return None,
    })
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
