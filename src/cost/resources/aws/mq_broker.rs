//! `aws_mq_broker`: broker instance hours by engine, host instance type and
//! deployment (Single-AZ, or Multi-AZ for active/standby and cluster
//! deployments), plus broker storage: EFS (ActiveMQ's default) or EBS, and
//! RabbitMQ's own EBS storage, stored on each of a cluster's three nodes.
//!
//! Usage (Infracost's key): `storage_size_gb` (per node); without it the
//! storage line is usage-based.

use crate::cost::{Attrs, ComponentSpec, Ctx, PriceFilter, Priced};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let engine = attrs.str("engine_type").unwrap_or("ActiveMQ");
    let rabbit = engine.eq_ignore_ascii_case("rabbitmq");
    let instance_type = attrs.str("host_instance_type").unwrap_or("unknown");
    let deployment = attrs
        .str("deployment_mode")
        .unwrap_or("SINGLE_INSTANCE")
        .to_ascii_lowercase();
    let multi_az = matches!(
        deployment.as_str(),
        "active_standby_multi_az" | "cluster_multi_az"
    );
    let storage_type = attrs
        .str("storage_type")
        .map(str::to_ascii_lowercase)
        .unwrap_or_else(|| if rabbit { "ebs" } else { "efs" }.to_string());
    let brand = if rabbit { "RabbitMQ" } else { "ActiveMQ" };
    p.push(ComponentSpec::hourly(
        format!("Instance usage ({engine}, {instance_type}, {deployment})"),
        "hours",
        Decimal::ONE,
        PriceFilter::aws("AmazonMQ", "Broker Instances", ctx.region, "Hrs")
            .attr("instanceType", instance_type)
            .attr("brokerEngine", brand)
            .attr(
                "deploymentOption",
                if multi_az { "Multi-AZ" } else { "Single-AZ" },
            ),
    ));
    let (usagetype, nodes) = if rabbit {
        (
            "TimedStorage-RabbitMQ-ByteHrs",
            if multi_az { dec!(3) } else { Decimal::ONE },
        )
    } else if storage_type == "ebs" {
        ("TimedStorage-EBS-ByteHrs", Decimal::ONE)
    } else {
        ("TimedStorage-ByteHrs", Decimal::ONE)
    };
    let gb = ctx
        .usage
        .decimal("storage_size_gb")
        .and_then(|gb| p.mul("storage_size_gb × nodes", gb, nodes));
    p.push(ComponentSpec::usage(
        format!("Storage ({engine}, {})", storage_type.to_ascii_uppercase()),
        "GB",
        gb,
        PriceFilter::aws("AmazonMQ", "Broker Storage", ctx.region, "GB-Mo")
            .attr("usagetype", usagetype),
    ));
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    #[test]
    fn rabbitmq_cluster_stores_on_three_nodes() {
        let usage =
            "version: 0.1\nresource_usage:\n  aws_mq_broker.test:\n    storage_size_gb: 10\n";
        let r = price(
            "aws_mq_broker",
            json!({"engine_type": "RabbitMQ", "host_instance_type": "mq.m5.xlarge", "deployment_mode": "CLUSTER_MULTI_AZ"}),
            "us-east-1",
            Some(usage),
        );
        // 730 h × $1.728 = $1,261.44; 10 GB × 3 nodes × $0.10 = $3.
        assert_eq!(
            component(
                &r,
                "Instance usage (RabbitMQ, mq.m5.xlarge, cluster_multi_az)"
            )
            .monthly_cost,
            Some(dec!(1261.44))
        );
        let s = component(&r, "Storage (RabbitMQ, EBS)");
        assert_eq!(s.monthly_quantity, Some(dec!(30)));
        assert_eq!(s.monthly_cost, Some(dec!(3)));
    }

    #[test]
    fn activemq_defaults_to_single_instance_on_efs() {
        let r = price(
            "aws_mq_broker",
            json!({"engine_type": "ActiveMQ", "host_instance_type": "mq.t2.micro"}),
            "us-east-1",
            None,
        );
        // 730 h × $0.03 = $21.90; EFS storage at $0.30/GB is usage-based.
        assert_eq!(
            component(
                &r,
                "Instance usage (ActiveMQ, mq.t2.micro, single_instance)"
            )
            .monthly_cost,
            Some(dec!(21.9))
        );
        let s = component(&r, "Storage (ActiveMQ, EFS)");
        assert_eq!(s.status, ComponentStatus::UsageMissing);
        assert_eq!(s.price, Some(dec!(0.3)));
        let r = price(
            "aws_mq_broker",
            json!({"engine_type": "ActiveMQ", "host_instance_type": "mq.m5.large", "deployment_mode": "ACTIVE_STANDBY_MULTI_AZ", "storage_type": "ebs"}),
            "us-east-1",
            None,
        );
        // Multi-AZ mq.m5.large: 730 h × $0.576 = $420.48; EBS at $0.10/GB.
        assert_eq!(
            component(
                &r,
                "Instance usage (ActiveMQ, mq.m5.large, active_standby_multi_az)"
            )
            .monthly_cost,
            Some(dec!(420.48))
        );
        assert_eq!(
            component(&r, "Storage (ActiveMQ, EBS)").price,
            Some(dec!(0.1))
        );
    }
}
