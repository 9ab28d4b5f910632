//! `aws_instance`: instance hours, its disks, and the extras it can switch on
//! (EBS optimization on older types, detailed monitoring, unlimited CPU credits).
//! Autoscaling groups and EKS node groups price their instances through the
//! helpers here, so an instance costs the same wherever it comes from.
//!
//! Defaults assumed:
//! - Operating system: usage key `operating_system` (linux, windows, rhel, suse),
//!   else Linux; the AMI is not looked at.
//! - `tenancy` default/unset → Shared; dedicated → Dedicated; host → Host
//!   (billed through the dedicated host; noted).
//! - No `root_block_device` (or unknown size) → 8 GB gp2, the common AMI root.
//! - `ebs_block_device` without `volume_type` → gp2.
//! - `ebs_optimized = true` costs extra only on the previous-generation types
//!   that charge for it ([`EBS_OPTIMIZED_SURCHARGE`]); elsewhere it is free (noted).
//! - `monitoring = true` → 7 CloudWatch metrics per instance.
//! - T2 credits default to standard, T3/T3a/T4g to unlimited; unlimited credits
//!   are usage-based (`monthly_cpu_credit_hrs`, in vCPU-hours).

use super::ebs_volume::{Volume, io_components, volume_components};
use crate::cost::{Attrs, ComponentSpec, Ctx, PriceFilter, Priced};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

/// Root volume size when neither the plan nor the template says (the common AMI root).
pub(crate) const DEFAULT_ROOT_GB: Decimal = dec!(8);
/// Metrics CloudWatch publishes per instance with detailed monitoring.
const DETAILED_MONITORING_METRICS: Decimal = dec!(7);

/// Previous-generation types that bill an hourly fee for EBS optimization
/// (AWS EC2 docs, "EBS-optimized instances", supported at additional cost).
/// Current types are EBS-optimized by default at no charge.
pub(crate) const EBS_OPTIMIZED_SURCHARGE: &[&str] = &[
    "c1.xlarge",
    "c3.xlarge",
    "c3.2xlarge",
    "c3.4xlarge",
    "g2.2xlarge",
    "i2.xlarge",
    "i2.2xlarge",
    "i2.4xlarge",
    "m1.large",
    "m1.xlarge",
    "m2.2xlarge",
    "m2.4xlarge",
    "m3.xlarge",
    "m3.2xlarge",
    "r3.xlarge",
    "r3.2xlarge",
    "r3.4xlarge",
];

/// The operating system an instance is billed for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Os {
    Linux,
    Windows,
    Rhel,
    Suse,
}

impl Os {
    /// From Infracost's `operating_system` usage values; unknown values fall back to Linux.
    pub(crate) fn from_usage(ctx: &Ctx, notes: &mut Vec<String>) -> Os {
        match ctx
            .usage
            .str("operating_system")
            .map(str::to_ascii_lowercase)
        {
            None => Os::Linux,
            Some(s) => match s.as_str() {
                "linux" => Os::Linux,
                "windows" => Os::Windows,
                "rhel" => Os::Rhel,
                "suse" => Os::Suse,
                other => {
                    notes.push(format!(
                        "operating_system {other:?} not known (linux, windows, rhel, suse); Linux assumed"
                    ));
                    Os::Linux
                }
            },
        }
    }

    /// The price list's `operatingSystem`.
    pub(crate) fn price_list(self) -> &'static str {
        match self {
            Os::Linux => "Linux",
            Os::Windows => "Windows",
            Os::Rhel => "RHEL",
            Os::Suse => "SUSE",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Os::Linux => "Linux/UNIX",
            Os::Windows => "Windows",
            Os::Rhel => "RHEL",
            Os::Suse => "SUSE",
        }
    }
}

/// The price list's `tenancy` for a provider `tenancy` value.
pub(crate) fn tenancy(value: Option<&str>, notes: &mut Vec<String>) -> &'static str {
    match value {
        Some("dedicated") => "Dedicated",
        Some("host") => {
            notes.push(
                "host tenancy: the instance runs on a dedicated host, which is billed per host (aws_ec2_host)"
                    .to_string(),
            );
            "Host"
        }
        _ => "Shared",
    }
}

/// Hours of `count` instances of one type.
pub(crate) fn instance_hours(
    ctx: &Ctx,
    instance_type: &str,
    os: Os,
    tenancy: &'static str,
    count: Decimal,
) -> ComponentSpec {
    let filter = PriceFilter::aws("AmazonEC2", "Compute Instance", ctx.region, "Hrs")
        .attr("instanceType", instance_type)
        .attr("operatingSystem", os.price_list())
        .attr("tenancy", tenancy)
        .attr("preInstalledSw", "NA")
        .attr("licenseModel", "No License required")
        .attr("capacitystatus", "Used");
    let kind = match tenancy {
        "Dedicated" => "on-demand, dedicated",
        "Host" => "on-demand, host",
        _ => "on-demand",
    };
    ComponentSpec::hourly(
        format!("Instance usage ({}, {kind}, {instance_type})", os.label()),
        "hours",
        count,
        filter,
    )
}

/// The hourly EBS-optimization fee, only for types that bill it.
pub(crate) fn ebs_optimized(
    ctx: &Ctx,
    instance_type: &str,
    count: Decimal,
    notes: &mut Vec<String>,
) -> Option<ComponentSpec> {
    if EBS_OPTIMIZED_SURCHARGE.contains(&instance_type) {
        let filter = PriceFilter::aws("AmazonEC2", "EBS Optimized", ctx.region, "Hrs")
            .attr("usagetype", format!("EBSOptimized:{instance_type}"));
        Some(ComponentSpec::hourly(
            "EBS-optimized usage",
            "hours",
            count,
            filter,
        ))
    } else {
        notes.push(format!(
            "EBS optimization is included at no extra charge for {instance_type}"
        ));
        None
    }
}

/// Detailed monitoring: 7 CloudWatch metrics per instance.
pub(crate) fn detailed_monitoring(ctx: &Ctx, count: Decimal) -> ComponentSpec {
    let filter = PriceFilter::aws("AmazonCloudWatch", "Metric", ctx.region, "Metrics")
        .attr("usagetype", "CW:MetricMonitorUsage");
    ComponentSpec::monthly(
        "EC2 detailed monitoring",
        "metrics",
        DETAILED_MONITORING_METRICS * count,
        filter,
    )
}

/// Unlimited-mode CPU credits for burstable types; `None` for other types or
/// standard mode. `mode` is the configured `cpu_credits`, if any.
pub(crate) fn cpu_credits(
    ctx: &Ctx,
    instance_type: &str,
    mode: Option<&str>,
    os: Os,
) -> Option<ComponentSpec> {
    let family = instance_type.split('.').next().unwrap_or_default();
    let default = match family {
        "t2" => "standard",
        "t3" | "t3a" | "t4g" => "unlimited",
        _ => return None,
    };
    if mode.unwrap_or(default) != "unlimited" {
        return None;
    }
    // CPU credits are priced for Linux (also RHEL/SLES) and for Windows.
    let os_name = if os == Os::Windows {
        "Windows"
    } else {
        "Linux"
    };
    let filter = PriceFilter::aws("AmazonEC2", "CPU Credits", ctx.region, "vCPU-Hours")
        .attr("operatingSystem", os_name)
        .attr("usagetype", format!("CPUCredits:{family}"));
    Some(ComponentSpec::usage(
        "CPU credits",
        "vCPU-hours",
        ctx.usage.decimal("monthly_cpu_credit_hrs"),
        filter,
    ))
}

/// The root disk, 8 GB gp2 where the plan does not say.
pub(crate) fn root_volume(block: Option<Attrs>, type_key: &str, size_key: &str) -> Volume {
    let mut v = block
        .map(|b| Volume::from_block(&b, type_key, size_key))
        .unwrap_or_else(|| Volume {
            kind: "gp2".into(),
            ..Volume::default()
        });
    if v.size_gb.is_none() {
        v.size_gb = Some(DEFAULT_ROOT_GB);
    }
    v
}

/// Adds a disk as a subresource (`root_block_device`, `ebs_block_device[0]`).
pub(crate) fn push_volume(p: &mut Priced, name: String, v: &Volume, ctx: &Ctx, count: Decimal) {
    let mut components = volume_components(v, ctx, count, &mut p.notes);
    components.extend(io_components(v, ctx));
    p.subresources.push((name, components));
}

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let os = Os::from_usage(ctx, &mut p.notes);
    let tenancy = tenancy(attrs.str("tenancy"), &mut p.notes);
    let instance_type = match attrs.str("instance_type") {
        Some(t) => t,
        None => {
            p.note("instance_type unknown at plan time; instance hours not priced");
            "unknown"
        }
    };
    p.push(instance_hours(
        ctx,
        instance_type,
        os,
        tenancy,
        Decimal::ONE,
    ));
    if attrs.bool("ebs_optimized") == Some(true) {
        if let Some(c) = ebs_optimized(ctx, instance_type, Decimal::ONE, &mut p.notes) {
            p.push(c);
        }
    }
    if attrs.bool("monitoring") == Some(true) {
        p.push(detailed_monitoring(ctx, Decimal::ONE));
    }
    let mode = attrs.str("credit_specification.0.cpu_credits");
    if let Some(c) = cpu_credits(ctx, instance_type, mode, os) {
        p.push(c);
    }
    let root = root_volume(
        attrs.block("root_block_device"),
        "volume_type",
        "volume_size",
    );
    push_volume(&mut p, "root_block_device".into(), &root, ctx, Decimal::ONE);
    for (i, block) in attrs.blocks("ebs_block_device").iter().enumerate() {
        // A volume attached with aws_volume_attachment also shows up here
        // once attached; its aws_ebs_volume bills it.
        if let Some(owner) = ctx.volume_priced_elsewhere(
            block.str("volume_id"),
            block.str("device_name"),
            attrs.str("id"),
        ) {
            p.note(format!(
                "ebs_block_device[{i}] is priced as {owner} (attached with aws_volume_attachment), not twice"
            ));
            continue;
        }
        let v = Volume::from_block(block, "volume_type", "volume_size");
        push_volume(
            &mut p,
            format!("ebs_block_device[{i}]"),
            &v,
            ctx,
            Decimal::ONE,
        );
    }
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    #[test]
    fn linux_shared_instance_with_default_root_volume() {
        // m5.large us-east-1: 0.096/h × 730 = 70.08; root 8 GB gp2 × 0.10 = 0.80
        let r = price(
            "aws_instance",
            json!({"instance_type": "m5.large"}),
            "us-east-1",
            None,
        );
        let c = component(&r, "Instance usage (Linux/UNIX, on-demand, m5.large)");
        assert_eq!(c.monthly_cost, Some(dec!(70.08)));
        assert_eq!(
            component(&r, "root_block_device: Storage (general purpose SSD, gp2)").monthly_cost,
            Some(dec!(0.80))
        );
        assert_eq!(r.monthly_cost, Some(dec!(70.88)));
    }

    #[test]
    fn regional_prices_and_block_devices() {
        let r = price(
            "aws_instance",
            json!({"instance_type": "c6i.xlarge",
                   "root_block_device": [{"volume_type": "gp3", "volume_size": 30}],
                   "ebs_block_device": [{"volume_type": "io1", "volume_size": 40, "iops": 1000},
                                        {"volume_size": 10}]}),
            "us-east-1",
            None,
        );
        // c6i.xlarge us-east-1: 0.17 × 730 = 124.10
        // root gp3 30 × 0.08 = 2.40; io1 40 × 0.125 + 1000 × 0.065 = 70.00; gp2 10 × 0.10 = 1.00
        assert_eq!(r.monthly_cost, Some(dec!(197.50)));
        assert_eq!(
            component(&r, "ebs_block_device[0]: Provisioned IOPS").monthly_cost,
            Some(dec!(65.00))
        );
        // c6i.xlarge eu-west-1: 0.1824 × 730 = 133.152
        let eu = price(
            "aws_instance",
            json!({"instance_type": "c6i.xlarge"}),
            "eu-west-1",
            None,
        );
        assert_eq!(
            component(&eu, "Instance usage (Linux/UNIX, on-demand, c6i.xlarge)").monthly_cost,
            Some(dec!(133.152))
        );
    }

    #[test]
    fn unlimited_credits_are_usage_based() {
        // t3.medium: 0.0416 × 730 = 30.368; credits default unlimited for t3;
        // 1,460 vCPU-hours × 0.05 = 73.00
        let usage = "version: 0.1\nresource_usage:\n  aws_instance.test:\n    monthly_cpu_credit_hrs: 1460\n";
        let r = price(
            "aws_instance",
            json!({"instance_type": "t3.medium"}),
            "us-east-1",
            Some(usage),
        );
        assert_eq!(component(&r, "CPU credits").monthly_cost, Some(dec!(73.00)));
        assert_eq!(r.monthly_cost, Some(dec!(104.168)));
        // t2 defaults to standard: no credits component
        let t2 = price(
            "aws_instance",
            json!({"instance_type": "t2.medium"}),
            "us-east-1",
            None,
        );
        assert!(t2.cost_components.iter().all(|c| c.name != "CPU credits"));
        // t2 unlimited without usage: shown, not priced
        let t2u = price(
            "aws_instance",
            json!({"instance_type": "t2.medium", "credit_specification": [{"cpu_credits": "unlimited"}]}),
            "us-east-1",
            None,
        );
        assert_eq!(
            component(&t2u, "CPU credits").status,
            ComponentStatus::UsageMissing
        );
        // t3 standard: no credits component
        let t3s = price(
            "aws_instance",
            json!({"instance_type": "t3.medium", "credit_specification": [{"cpu_credits": "standard"}]}),
            "us-east-1",
            None,
        );
        assert!(t3s.cost_components.iter().all(|c| c.name != "CPU credits"));
    }

    #[test]
    fn detailed_monitoring_and_ebs_optimized_surcharge() {
        // r3.xlarge: 0.333 × 730 = 243.09; EBS-optimized 0.02 × 730 = 14.60;
        // monitoring 7 × 0.30 = 2.10; root 8 × 0.10 = 0.80
        let r = price(
            "aws_instance",
            json!({"instance_type": "r3.xlarge", "ebs_optimized": true, "monitoring": true}),
            "us-east-1",
            None,
        );
        assert_eq!(
            component(&r, "EBS-optimized usage").monthly_cost,
            Some(dec!(14.60))
        );
        assert_eq!(
            component(&r, "EC2 detailed monitoring").monthly_cost,
            Some(dec!(2.10))
        );
        assert_eq!(r.monthly_cost, Some(dec!(260.59)));
        // m5.large is EBS-optimized by default: no component, a note
        let m5 = price(
            "aws_instance",
            json!({"instance_type": "m5.large", "ebs_optimized": true}),
            "us-east-1",
            None,
        );
        assert!(
            m5.cost_components
                .iter()
                .all(|c| c.name != "EBS-optimized usage")
        );
        assert!(
            m5.metadata
                .notes
                .iter()
                .any(|n| n.contains("no extra charge"))
        );
    }

    #[test]
    fn windows_and_dedicated_select_their_price_rows() {
        // No real Windows/Dedicated rows are shipped yet: the filter says what
        // was asked, and the miss is reported instead of a wrong Linux price.
        let usage =
            "version: 0.1\nresource_usage:\n  aws_instance.test:\n    operating_system: windows\n";
        let r = price(
            "aws_instance",
            json!({"instance_type": "m5.large"}),
            "us-east-1",
            Some(usage),
        );
        let c = component(&r, "Instance usage (Windows, on-demand, m5.large)");
        assert!(
            c.price_filter
                .attributes
                .contains(&("operatingSystem", "Windows".to_string()))
        );
        assert_eq!(c.status, ComponentStatus::NoPriceFound);
        let d = price(
            "aws_instance",
            json!({"instance_type": "m5.large", "tenancy": "dedicated"}),
            "us-east-1",
            None,
        );
        let c = component(
            &d,
            "Instance usage (Linux/UNIX, on-demand, dedicated, m5.large)",
        );
        assert!(
            c.price_filter
                .attributes
                .contains(&("tenancy", "Dedicated".to_string()))
        );
        assert_eq!(c.status, ComponentStatus::NoPriceFound);
        let h = price(
            "aws_instance",
            json!({"instance_type": "m5.large", "tenancy": "host"}),
            "us-east-1",
            None,
        );
        assert!(
            h.metadata
                .notes
                .iter()
                .any(|n| n.contains("dedicated host"))
        );
    }
}
