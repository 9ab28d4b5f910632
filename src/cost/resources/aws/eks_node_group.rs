//! `aws_eks_node_group`: managed worker nodes, priced as the EC2 instances and
//! disks they are.
//!
//! Defaults assumed:
//! - Node count: `scaling_config.desired_size`, else `min_size`, else 1 (noted).
//! - Instance type: `instance_types[0]`, else the launch template's, else t3.medium
//!   (the EKS API default).
//! - Disk: `disk_size` GB gp2 per node, default 20 GB; with a launch template,
//!   the template's `block_device_mappings` instead.
//! - `capacity_type = SPOT` is priced on demand (noted).
//! - Windows AMI types (`ami_type` WINDOWS_*) bill Windows; otherwise the usage
//!   key `operating_system`, else Linux.

use super::autoscaling_group::{price_launch_template, referenced_template};
use super::ebs_volume::Volume;
use super::instance::{Os, cpu_credits, instance_hours, push_volume};
use crate::cost::{Attrs, Ctx, Priced};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

const DEFAULT_INSTANCE_TYPE: &str = "t3.medium";
const DEFAULT_DISK_GB: Decimal = dec!(20);

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    // Infracost's `instances` usage key wins over the plan's scaling config.
    let count = match ctx.usage.decimal("instances").or_else(|| {
        attrs
            .decimal("scaling_config.0.desired_size")
            .or_else(|| attrs.decimal("scaling_config.0.min_size"))
    }) {
        Some(n) => n,
        None => {
            p.note("scaling_config.desired_size unknown; 1 node assumed");
            Decimal::ONE
        }
    };
    if attrs.str("capacity_type") == Some("SPOT") {
        p.note("SPOT capacity priced at the on-demand rate");
    }
    let listed_type = attrs.str("instance_types.0");
    let disk = Volume {
        kind: "gp2".into(),
        size_gb: Some(attrs.decimal("disk_size").unwrap_or(DEFAULT_DISK_GB)),
        ..Volume::default()
    };
    if let Some(lt) = referenced_template(ctx, "launch_template") {
        let fallback = listed_type.or(Some(DEFAULT_INSTANCE_TYPE));
        price_launch_template(&mut p, ctx, &lt, count, fallback, Some(disk));
        return p;
    }
    let os = if attrs
        .str("ami_type")
        .is_some_and(|a| a.starts_with("WINDOWS"))
    {
        Os::Windows
    } else {
        Os::from_usage(ctx, &mut p.notes)
    };
    let instance_type = listed_type.unwrap_or(DEFAULT_INSTANCE_TYPE);
    p.push(instance_hours(ctx, instance_type, os, "Shared", count));
    if let Some(c) = cpu_credits(ctx, instance_type, None, os, count, &mut p) {
        p.push(c);
    }
    push_volume(&mut p, "disk".into(), &disk, ctx, count);
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    #[test]
    fn desired_size_times_type_and_disk() {
        // m6i.large 0.096 × 730 × 3 = 210.24; disk 50 GB gp2 × 3 × 0.10 = 15.00
        let r = price(
            "aws_eks_node_group",
            json!({"instance_types": ["m6i.large"], "disk_size": 50,
                   "scaling_config": [{"desired_size": 3, "min_size": 1, "max_size": 5}]}),
            "us-east-1",
            None,
        );
        assert_eq!(
            component(&r, "Instance usage (Linux/UNIX, on-demand, m6i.large)").monthly_cost,
            Some(dec!(210.24))
        );
        assert_eq!(r.monthly_cost, Some(dec!(225.24)));
    }

    #[test]
    fn defaults_to_t3_medium_and_20_gb() {
        // t3.medium 0.0416 × 730 × 2 = 60.736; disk 20 × 2 × 0.10 = 4.00
        let r = price(
            "aws_eks_node_group",
            json!({"scaling_config": [{"desired_size": 2, "min_size": 1, "max_size": 3}]}),
            "us-east-1",
            None,
        );
        assert_eq!(r.monthly_cost, Some(dec!(64.736)));
    }
}
