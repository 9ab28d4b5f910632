//! `aws_eks_node_group`: managed worker nodes, priced as the EC2 instances and
//! disks they are.
//!
//! Defaults assumed:
//! - Node count: `scaling_config.desired_size`, else `min_size`, else 1 (noted).
//! - Instance type: `instance_types[0]`, else the launch template's, else t3.medium
//!   (the EKS API default).
//! - Disk: `disk_size` GB gp2 per node, default 20 GB, listed on the node
//!   group itself; with a launch template, the template's
//!   `block_device_mappings` instead.
//! - Instance type with a launch template: the node group's `instance_types[0]`
//!   wins over the template's `instance_type`.
//! - Reserved rates from Infracost's `reserved_instance_type`,
//!   `reserved_instance_term`, `reserved_instance_payment_option`.
//! - `capacity_type = SPOT` is priced on demand (noted).
//! - Windows AMI types (`ami_type` WINDOWS_*) bill Windows; otherwise the usage
//!   key `operating_system`, else Linux.

use super::autoscaling_group::{price_launch_template, referenced_template};
use super::ebs_volume::Volume;
use super::ebs_volume::{io_components, volume_components};
use super::instance::{Os, cpu_credits, instance_hours, reserved, reserved_option};
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
        // The node group's own `instance_types` wins over the template's
        // `instance_type` (EKS launches the listed type), as in Infracost.
        let fallback = listed_type.or(Some(DEFAULT_INSTANCE_TYPE));
        price_launch_template(&mut p, ctx, &lt, count, listed_type, fallback, Some(disk));
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
    let hours = instance_hours(ctx, instance_type, os, "Shared", count);
    let hours = match reserved_option(ctx, &mut p.notes) {
        Some(option) => reserved(hours, option),
        None => hours,
    };
    p.push(hours);
    if let Some(c) = cpu_credits(ctx, instance_type, None, os, count, &mut p) {
        p.push(c);
    }
    // The node disk is listed on the node group itself, as Infracost lists it.
    let components = volume_components(&disk, ctx, count, &mut p.notes);
    p.components.extend(components);
    p.components.extend(io_components(&disk, ctx));
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

    /// Infracost's `eks_node_group_test` golden: the node disk is the group's
    /// own "Storage (general purpose SSD, gp2)" line (3 × 20 GB = 60 GB,
    /// $6.00), and `reserved_instance_*` usage prices t3.medium at the 1-year
    /// no-upfront rate (730 h × $0.0261 = $19.053).
    #[test]
    fn disk_on_the_group_and_reserved_rates() {
        let r = price(
            "aws_eks_node_group",
            json!({"scaling_config": [{"desired_size": 3, "min_size": 1, "max_size": 3}]}),
            "us-east-1",
            None,
        );
        let disk = component(&r, "Storage (general purpose SSD, gp2)");
        assert_eq!(disk.monthly_quantity, Some(dec!(60)));
        assert_eq!(disk.monthly_cost, Some(dec!(6)));
        let usage = "version: 0.1\nresource_usage:\n  aws_eks_node_group.test:\n    reserved_instance_type: standard\n    reserved_instance_term: 1_year\n    reserved_instance_payment_option: no_upfront\n";
        let reserved = price(
            "aws_eks_node_group",
            json!({"scaling_config": [{"desired_size": 1, "min_size": 1, "max_size": 1}]}),
            "us-east-1",
            Some(usage),
        );
        assert_eq!(
            component(
                &reserved,
                "Instance usage (Linux/UNIX, reserved, t3.medium)"
            )
            .monthly_cost,
            Some(dec!(19.053))
        );
    }
}
