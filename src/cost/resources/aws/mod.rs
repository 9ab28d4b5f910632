//! AWS resource types. Attribute names are the AWS provider's; price filter
//! attributes are the AWS Price List's (with `usagetype` stripped of its region
//! prefix, e.g. `NatGateway-Hours`).

use super::{Registration, priced};

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
mod rds_cluster;
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
mod fsx_openzfs_file_system;
mod fsx_windows_file_system;
mod globalaccelerator_accelerator;
mod kinesis_firehose_delivery_stream;
mod kinesis_stream;
mod mq_broker;
mod msk_cluster;
mod neptune_cluster;
mod neptune_cluster_instance;
mod opensearch_domain;
mod redshift_cluster;
mod sfn_state_machine;
mod ssm_parameter;
mod transit_gateway;
mod vpc_endpoint;
mod vpn_connection;
mod wafv2_web_acl;

/// Every priced AWS resource type: one line each (its name, its price function and
/// the usage-file keys it reads, nested keys dotted as `standard.storage_gb`).
pub(crate) const REGISTRY: &[Registration] = &[
    // --- compute
    priced("aws_instance", instance::price).keys(&[
        "operating_system",
        "monthly_cpu_credit_hrs",
        "vcpu_count",
        "monthly_hrs",
        "reserved_instance_type",
        "reserved_instance_term",
        "reserved_instance_payment_option",
    ]),
    priced("aws_ebs_volume", ebs_volume::price).keys(&["monthly_standard_io_requests"]),
    priced("aws_autoscaling_group", autoscaling_group::price).keys(&[
        "instances",
        "operating_system",
        "monthly_cpu_credit_hrs",
        "vcpu_count",
        "reserved_instance_type",
        "reserved_instance_term",
        "reserved_instance_payment_option",
    ]),
    priced("aws_eks_cluster", eks_cluster::price),
    priced("aws_eks_node_group", eks_node_group::price).keys(&[
        "instances",
        "operating_system",
        "monthly_cpu_credit_hrs",
        "vcpu_count",
        "reserved_instance_type",
        "reserved_instance_term",
        "reserved_instance_payment_option",
    ]),
    priced("aws_lambda_function", lambda_function::price)
        .keys(&["monthly_requests", "request_duration_ms"]),
    priced("aws_ecs_service", ecs_service::price),
    // --- data
    priced("aws_db_instance", db_instance::price).keys(&[
        "monthly_standard_io_requests",
        "additional_backup_storage_gb",
        "reserved_instance_term",
        "reserved_instance_payment_option",
        "monthly_additional_performance_insights_requests",
    ]),
    priced("aws_rds_cluster", rds_cluster::price).keys(&[
        "capacity_units_per_hr",
        "storage_gb",
        "write_requests_per_sec",
        "read_requests_per_sec",
        "backup_snapshot_size_gb",
        "average_statements_per_hr",
        "change_records_per_statement",
        "backtrack_window_hrs",
        "snapshot_export_size_gb",
    ]),
    priced("aws_rds_cluster_instance", rds_cluster_instance::price).keys(&[
        "capacity_units_per_hr",
        "monthly_cpu_credit_hrs",
        "vcpu_count",
        "monthly_additional_performance_insights_requests",
        "reserved_instance_term",
        "reserved_instance_payment_option",
    ]),
    priced("aws_elasticache_cluster", elasticache_cluster::price)
        .keys(&["snapshot_storage_size_gb"]),
    priced(
        "aws_elasticache_replication_group",
        elasticache_replication_group::price,
    )
    .keys(&["snapshot_storage_size_gb"]),
    priced("aws_dynamodb_table", dynamodb_table::price).keys(&[
        "monthly_write_request_units",
        "monthly_read_request_units",
        "storage_gb",
        "pitr_backup_storage_gb",
        "on_demand_backup_storage_gb",
        "monthly_data_restored_gb",
        "monthly_streams_read_request_units",
    ]),
    priced("aws_s3_bucket", s3_bucket::price).computed_keys(s3_bucket::usage_keys),
    priced("aws_efs_file_system", efs_file_system::price)
        .keys(&["storage_gb", "infrequent_access_storage_gb"]),
    // --- network and messaging
    priced("aws_nat_gateway", nat_gateway::price).keys(&["monthly_data_processed_gb"]),
    priced("aws_lb", lb::price).keys(&[
        "new_connections",
        "active_connections",
        "processed_bytes_gb",
        "rule_evaluations",
    ]),
    priced("aws_alb", lb::price).keys(&[
        "new_connections",
        "active_connections",
        "processed_bytes_gb",
        "rule_evaluations",
    ]),
    priced("aws_elb", elb::price).keys(&["monthly_data_processed_gb"]),
    priced("aws_eip", eip::price),
    priced("aws_route53_zone", route53_zone::price),
    priced("aws_route53_record", route53_record::price).keys(&[
        "monthly_standard_queries",
        "monthly_latency_based_queries",
        "monthly_geo_queries",
    ]),
    priced("aws_cloudwatch_log_group", cloudwatch_log_group::price).keys(&[
        "monthly_data_ingested_gb",
        "storage_gb",
        "monthly_data_scanned_gb",
    ]),
    priced("aws_kms_key", kms_key::price).keys(&["monthly_requests"]),
    priced("aws_secretsmanager_secret", secretsmanager_secret::price).keys(&["monthly_requests"]),
    priced("aws_sqs_queue", sqs_queue::price).keys(&["monthly_requests", "request_size_kb"]),
    priced("aws_sns_topic", sns_topic::price).keys(&[
        "monthly_requests",
        "request_size_kb",
        "http_subscriptions",
        "email_subscriptions",
        "kinesis_subscriptions",
        "mobile_push_subscriptions",
        "macos_subscriptions",
        "sms_subscriptions",
        "sms_notification_price",
    ]),
    // --- more AWS types
    priced("aws_cloudwatch_dashboard", cloudwatch_dashboard::price),
    priced(
        "aws_cloudwatch_metric_alarm",
        cloudwatch_metric_alarm::price,
    ),
    priced("aws_config_config_rule", config_config_rule::price).keys(&["monthly_rule_evaluations"]),
    priced("aws_ecr_repository", ecr_repository::price).keys(&["storage_gb"]),
    priced("aws_ssm_parameter", ssm_parameter::price).keys(&[
        "parameter_storage_hrs",
        "api_throughput_limit",
        "monthly_api_interactions",
    ]),
    priced("aws_sfn_state_machine", sfn_state_machine::price).keys(&[
        "monthly_transitions",
        "monthly_requests",
        "workflow_duration_ms",
        "memory_mb",
    ]),
    priced("aws_backup_vault", backup_vault::price).keys(backup_vault::USAGE_KEYS),
    priced("aws_vpc_endpoint", vpc_endpoint::price).keys(&["monthly_data_processed_gb"]),
    priced("aws_vpn_connection", vpn_connection::price).keys(&["monthly_data_processed_gb"]),
    priced(
        "aws_ec2_transit_gateway_vpc_attachment",
        ec2_transit_gateway_vpc_attachment::price,
    )
    .keys(&["monthly_data_processed_gb"]),
    priced("aws_kinesis_stream", kinesis_stream::price).keys(kinesis_stream::USAGE_KEYS),
    priced("aws_api_gateway_rest_api", api_gateway_rest_api::price).keys(&["monthly_requests"]),
    priced("aws_apigatewayv2_api", apigatewayv2_api::price).keys(&[
        "monthly_requests",
        "request_size_kb",
        "monthly_messages",
        "message_size_kb",
        "monthly_connection_mins",
    ]),
    priced(
        "aws_kinesis_firehose_delivery_stream",
        kinesis_firehose_delivery_stream::price,
    )
    .keys(&["monthly_data_ingested_gb"]),
    priced(
        "aws_acmpca_certificate_authority",
        acmpca_certificate_authority::price,
    )
    .keys(&["monthly_requests"]),
    priced(
        "aws_ec2_client_vpn_endpoint",
        ec2_client_vpn_endpoint::price,
    ),
    priced(
        "aws_ec2_client_vpn_network_association",
        ec2_client_vpn_network_association::price,
    ),
    priced("aws_wafv2_web_acl", wafv2_web_acl::price).keys(&[
        "rule_group_rules",
        "managed_rule_group_rules",
        "monthly_requests",
    ]),
    priced("aws_mq_broker", mq_broker::price).keys(&["storage_size_gb"]),
    priced(
        "aws_globalaccelerator_accelerator",
        globalaccelerator_accelerator::price,
    )
    .keys(globalaccelerator_accelerator::USAGE_KEYS),
    priced("aws_docdb_cluster_instance", docdb_cluster_instance::price).keys(&[
        "data_storage_gb",
        "monthly_io_requests",
        "monthly_cpu_credit_hrs",
    ]),
    priced(
        "aws_neptune_cluster_instance",
        neptune_cluster_instance::price,
    )
    .keys(&["monthly_cpu_credit_hrs"]),
    priced("aws_msk_cluster", msk_cluster::price),
    priced("aws_redshift_cluster", redshift_cluster::price).keys(&[
        "managed_storage_gb",
        "excess_concurrency_scaling_secs",
        "spectrum_data_scanned_tb",
        "backup_storage_gb",
    ]),
    priced("aws_opensearch_domain", opensearch_domain::price),
    priced("aws_elasticsearch_domain", opensearch_domain::price),
    priced(
        "aws_fsx_windows_file_system",
        fsx_windows_file_system::price,
    )
    .keys(&["backup_storage_gb"]),
    priced(
        "aws_cloudfront_distribution",
        cloudfront_distribution::price,
    )
    .keys(cloudfront_distribution::USAGE_KEYS),
    priced(
        "aws_fsx_openzfs_file_system",
        fsx_openzfs_file_system::price,
    )
    .keys(&["compression_savings_percent", "backup_storage_gb"]),
    priced("aws_neptune_cluster", neptune_cluster::price).keys(&[
        "storage_gb",
        "monthly_io_requests",
        "backup_storage_gb",
    ]),
];
