//! `aws_msk_cluster`: broker instance hours (one per broker node) and broker
//! EBS storage (volume size × broker nodes).
//!
//! Storage autoscaling through an `aws_appautoscaling_target` on
//! `kafka:broker-storage:VolumeSize` is not followed: the provisioned volume
//! size is priced (noted).

use crate::cost::{Attrs, ComponentSpec, Ctx, PriceFilter, Priced};
use rust_decimal::Decimal;

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let nodes = attrs
        .decimal("number_of_broker_nodes")
        .unwrap_or(Decimal::ONE);
    let group = attrs.block("broker_node_group_info");
    let instance_type = group
        .and_then(|g| g.str("instance_type"))
        .unwrap_or("unknown");
    let volume_gb = group.and_then(|g| {
        g.decimal("storage_info.0.ebs_storage_info.0.volume_size")
            .or_else(|| g.decimal("ebs_volume_size"))
    });
    p.push(ComponentSpec::hourly(
        format!("Instance ({instance_type})"),
        "hours",
        nodes,
        PriceFilter::aws(
            "AmazonMSK",
            "Managed Streaming for Apache Kafka (MSK)",
            ctx.region,
            "Hrs",
        )
        .attr("usagetype", format!("Kafka.{instance_type}")),
    ));
    let storage = match volume_gb {
        Some(gb) => p.mul("ebs_volume_size × number_of_broker_nodes", gb, nodes),
        None => {
            p.note("broker EBS volume size not known at plan time: storage not priced");
            None
        }
    };
    if let Some(storage) = storage {
        p.push(ComponentSpec::monthly(
            "Storage",
            "GB",
            storage,
            PriceFilter::aws(
                "AmazonMSK",
                "Managed Streaming for Apache Kafka (MSK)",
                ctx.region,
                "GB-Mo",
            )
            .attr("usagetype", "Kafka.Storage.GP2"),
        ));
    }
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    #[test]
    fn broker_hours_and_storage_per_node() {
        let r = price(
            "aws_msk_cluster",
            json!({"number_of_broker_nodes": 4,
                   "broker_node_group_info": [{"instance_type": "kafka.m5.24xlarge", "ebs_volume_size": 1000}]}),
            "us-east-1",
            None,
        );
        // 4 × 730 h × $10.08 = $29,433.60; 1,000 GB × 4 × $0.10 = $400.
        let i = component(&r, "Instance (kafka.m5.24xlarge)");
        assert_eq!(i.monthly_quantity, Some(dec!(2920)));
        assert_eq!(i.monthly_cost, Some(dec!(29433.6)));
        assert_eq!(component(&r, "Storage").monthly_cost, Some(dec!(400)));
    }

    #[test]
    fn storage_info_block_of_newer_providers() {
        let r = price(
            "aws_msk_cluster",
            json!({"number_of_broker_nodes": 2,
                   "broker_node_group_info": [{"instance_type": "kafka.t3.small",
                       "storage_info": [{"ebs_storage_info": [{"volume_size": 500}]}]}]}),
            "us-east-1",
            None,
        );
        // 2 × 730 h × $0.0456 = $66.576; 500 GB × 2 × $0.10 = $100.
        assert_eq!(
            component(&r, "Instance (kafka.t3.small)").monthly_cost,
            Some(dec!(66.576))
        );
        assert_eq!(component(&r, "Storage").monthly_quantity, Some(dec!(1000)));
        assert_eq!(r.monthly_cost, Some(dec!(166.576)));
    }
}
