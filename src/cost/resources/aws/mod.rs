//! AWS resource types. Attribute names are the AWS provider's; price filter
//! attributes are the AWS Price List's (with `usagetype` stripped of its region
//! prefix, e.g. `NatGateway-Hours`).

use super::PriceFn;

mod autoscaling_group;
mod ebs_volume;
mod ecs_service;
mod eks_cluster;
mod eks_node_group;
pub(crate) mod free;
mod instance;
mod lambda_function;
mod nat_gateway;
// --- data
mod db_instance;
mod dynamodb_table;
mod efs_file_system;
mod elasticache_cluster;
mod elasticache_replication_group;
mod rds_cluster_instance;
mod s3_bucket;

/// Priced AWS resource types (keep in step with `price_fn`).
pub(crate) const SUPPORTED: &[&str] = &[
    "aws_nat_gateway",
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
    "aws_dynamodb_table",
    "aws_efs_file_system",
    "aws_elasticache_cluster",
    "aws_elasticache_replication_group",
    "aws_rds_cluster_instance",
    "aws_s3_bucket",
];

pub(crate) fn price_fn(resource_type: &str) -> Option<PriceFn> {
    Some(match resource_type {
        "aws_nat_gateway" => nat_gateway::price,
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
        "aws_dynamodb_table" => dynamodb_table::price,
        "aws_efs_file_system" => efs_file_system::price,
        "aws_elasticache_cluster" => elasticache_cluster::price,
        "aws_elasticache_replication_group" => elasticache_replication_group::price,
        "aws_rds_cluster_instance" => rds_cluster_instance::price,
        "aws_s3_bucket" => s3_bucket::price,
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
