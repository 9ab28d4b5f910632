//! AWS resource types. Attribute names are the AWS provider's; price filter
//! attributes are the AWS Price List's (with `usagetype` stripped of its region
//! prefix, e.g. `NatGateway-Hours`).

use super::PriceFn;

mod cloudwatch_log_group;
mod eip;
mod elb;
pub(crate) mod free;
mod kms_key;
mod lb;
mod nat_gateway;
mod route53_record;
mod route53_zone;
mod secretsmanager_secret;
mod sns_topic;
mod sqs_queue;

/// Priced AWS resource types (keep in step with `price_fn`).
pub(crate) const SUPPORTED: &[&str] = &[
    "aws_alb",
    "aws_cloudwatch_log_group",
    "aws_eip",
    "aws_elb",
    "aws_kms_key",
    "aws_lb",
    "aws_nat_gateway",
    "aws_route53_record",
    "aws_route53_zone",
    "aws_secretsmanager_secret",
    "aws_sns_topic",
    "aws_sqs_queue",
];

pub(crate) fn price_fn(resource_type: &str) -> Option<PriceFn> {
    Some(match resource_type {
        "aws_alb" | "aws_lb" => lb::price,
        "aws_cloudwatch_log_group" => cloudwatch_log_group::price,
        "aws_eip" => eip::price,
        "aws_elb" => elb::price,
        "aws_kms_key" => kms_key::price,
        "aws_nat_gateway" => nat_gateway::price,
        "aws_route53_record" => route53_record::price,
        "aws_route53_zone" => route53_zone::price,
        "aws_secretsmanager_secret" => secretsmanager_secret::price,
        "aws_sns_topic" => sns_topic::price,
        "aws_sqs_queue" => sqs_queue::price,
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
