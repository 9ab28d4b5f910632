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
//!   are usage-based: `monthly_cpu_credit_hrs` is per vCPU (Infracost's
//!   meaning), multiplied by `vcpu_count` or the type's vCPUs.
//! - Instance hours: usage key `monthly_hrs`, else 730 (Infracost).
//! - Reserved: `reserved_instance_type` (standard, convertible),
//!   `reserved_instance_term` (1_year, 3_year) and
//!   `reserved_instance_payment_option` (no_upfront, partial_upfront,
//!   all_upfront) price the hours at that reserved hourly rate (upfront fees
//!   are not in the monthly cost, as in Infracost).

use super::ebs_volume::{Volume, io_components, volume_components};
use crate::cost::{Attrs, ComponentSpec, Ctx, PriceFilter, Priced, Quantity};
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
    // Dedicated instances keep Infracost's name ("on-demand"); the price
    // filter selects the Dedicated row.
    let kind = match tenancy {
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

/// The `purchase_option` of the reserved rate the usage file asks for
/// (`reserved_instance_type`, `reserved_instance_term`,
/// `reserved_instance_payment_option`, Infracost's keys and values); `None`
/// when it asks for none, or (noted) when a value is not one Infracost takes.
pub(crate) fn reserved_option(ctx: &Ctx, notes: &mut Vec<String>) -> Option<&'static str> {
    let class = ctx.usage.str("reserved_instance_type")?;
    let term = ctx.usage.str("reserved_instance_term").unwrap_or("");
    let payment = ctx
        .usage
        .str("reserved_instance_payment_option")
        .unwrap_or("");
    let option = match (class, term, payment) {
        ("standard", "1_year", "no_upfront") => "reserved_standard_1yr_no_upfront",
        ("standard", "1_year", "partial_upfront") => "reserved_standard_1yr_partial_upfront",
        ("standard", "1_year", "all_upfront") => "reserved_standard_1yr_all_upfront",
        ("standard", "3_year", "no_upfront") => "reserved_standard_3yr_no_upfront",
        ("standard", "3_year", "partial_upfront") => "reserved_standard_3yr_partial_upfront",
        ("standard", "3_year", "all_upfront") => "reserved_standard_3yr_all_upfront",
        ("convertible", "1_year", "no_upfront") => "reserved_convertible_1yr_no_upfront",
        ("convertible", "1_year", "partial_upfront") => "reserved_convertible_1yr_partial_upfront",
        ("convertible", "1_year", "all_upfront") => "reserved_convertible_1yr_all_upfront",
        ("convertible", "3_year", "no_upfront") => "reserved_convertible_3yr_no_upfront",
        ("convertible", "3_year", "partial_upfront") => "reserved_convertible_3yr_partial_upfront",
        ("convertible", "3_year", "all_upfront") => "reserved_convertible_3yr_all_upfront",
        _ => {
            notes.push(format!(
                "reserved instance ignored, priced on-demand: reserved_instance_type {class:?}, reserved_instance_term {term:?}, reserved_instance_payment_option {payment:?}; expected standard|convertible, 1_year|3_year, no_upfront|partial_upfront|all_upfront"
            ));
            return None;
        }
    };
    if payment != "no_upfront" {
        notes.push(format!(
            "reserved ({class}, {term}, {payment}): the hourly rate only; the upfront fee is not in the monthly cost (as Infracost)"
        ));
    }
    Some(option)
}

/// Instance hours at a reserved rate: the name says "reserved" and the
/// filter asks for that purchase option (no row: "no price found", never
/// the on-demand price).
pub(crate) fn reserved(mut c: ComponentSpec, option: &'static str) -> ComponentSpec {
    c.name = c.name.replacen("on-demand", "reserved", 1);
    c.filter.purchase_option = option;
    c
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

/// vCPUs of a burstable type (AWS EC2 docs, "Burstable performance instances",
/// the instance-type table); `None` for a size not listed there.
pub(crate) fn burstable_vcpus(instance_type: &str) -> Option<Decimal> {
    let (family, size) = instance_type.split_once('.')?;
    let n = match (family, size) {
        ("t2", "nano" | "micro" | "small") => 1,
        ("t2", "medium" | "large") => 2,
        ("t3" | "t3a" | "t4g", "nano" | "micro" | "small" | "medium" | "large") => 2,
        ("t2" | "t3" | "t3a" | "t4g", "xlarge") => 4,
        ("t2" | "t3" | "t3a" | "t4g", "2xlarge") => 8,
        _ => return None,
    };
    Some(Decimal::from(n))
}

/// Unlimited-mode CPU credits for burstable types; `None` for other types or
/// standard mode. `mode` is the configured `cpu_credits`, if any.
///
/// As in Infracost, `monthly_cpu_credit_hrs` is per vCPU: the vCPU-hours billed
/// are `monthly_cpu_credit_hrs × vcpu_count × count`, with `vcpu_count` from
/// the usage file, else the type's vCPUs ([`burstable_vcpus`]).
pub(crate) fn cpu_credits(
    ctx: &Ctx,
    instance_type: &str,
    mode: Option<&str>,
    os: Os,
    count: Decimal,
    p: &mut Priced,
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
    let hours = ctx.usage.decimal("monthly_cpu_credit_hrs");
    let vcpus = ctx
        .usage
        .decimal("vcpu_count")
        .or_else(|| burstable_vcpus(instance_type));
    let quantity = match (hours, vcpus) {
        (Some(h), Some(v)) => p
            .mul("CPU credits (monthly_cpu_credit_hrs × vcpu_count)", h, v)
            .and_then(|hv| p.mul("CPU credits (vCPU-hours × instances)", hv, count)),
        (Some(_), None) => {
            p.note(format!(
                "monthly_cpu_credit_hrs is per vCPU and the vCPUs of {instance_type} are not known; set vcpu_count in the usage file"
            ));
            None
        }
        (None, _) => None,
    };
    Some(ComponentSpec::usage(
        "CPU credits",
        "vCPU-hours",
        quantity,
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

/// An hourly component billed for `monthly_hrs` hours instead of all month,
/// when the usage file says so (Infracost's `monthly_hrs`).
fn with_monthly_hours(mut c: ComponentSpec, monthly_hrs: Option<Decimal>) -> ComponentSpec {
    if let Some(h) = monthly_hrs {
        c.quantity = Quantity::Monthly(h);
    }
    c
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
    let monthly_hrs = ctx.usage.decimal("monthly_hrs");
    let mut hours = instance_hours(ctx, instance_type, os, tenancy, Decimal::ONE);
    if let Some(option) = reserved_option(ctx, &mut p.notes) {
        p.note(format!(
            "reserved rate `{option}` for {instance_type} in {}; where the tables have no row for it the line says no price found (never the on-demand price)",
            ctx.region
        ));
        hours = reserved(hours, option);
    }
    p.push(with_monthly_hours(hours, monthly_hrs));
    if attrs.bool("ebs_optimized") == Some(true)
        && let Some(c) = ebs_optimized(ctx, instance_type, Decimal::ONE, &mut p.notes)
    {
        p.push(with_monthly_hours(c, monthly_hrs));
    }
    if attrs.bool("monitoring") == Some(true) {
        p.push(detailed_monitoring(ctx, Decimal::ONE));
    }
    let mode = attrs.str("credit_specification.0.cpu_credits");
    if let Some(c) = cpu_credits(ctx, instance_type, mode, os, Decimal::ONE, &mut p) {
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

    /// Infracost's `instance_test` golden (us-east-1): `monthly_cpu_credit_hrs`
    /// is per vCPU. t2.medium unlimited, 300 h × vcpu_count 2 = 600 vCPU-hours
    /// × $0.05 = $30.00; t3.medium 730 h × 2 = 1,460 × $0.05 = $73.00.
    #[test]
    fn cpu_credit_hours_are_per_vcpu() {
        let usage = "version: 0.1\nresource_usage:\n  aws_instance.test:\n    monthly_cpu_credit_hrs: 300\n    vcpu_count: 2\n";
        let t2 = price(
            "aws_instance",
            json!({"instance_type": "t2.medium", "credit_specification": [{"cpu_credits": "unlimited"}]}),
            "us-east-1",
            Some(usage),
        );
        let c = component(&t2, "CPU credits");
        assert_eq!(c.monthly_quantity, Some(dec!(600)));
        assert_eq!(c.monthly_cost, Some(dec!(30.00)));
        // Without vcpu_count the type's vCPUs count: t3.xlarge has 4.
        // 730 h × 4 = 2,920 vCPU-hours × $0.05 = $146.00.
        let usage = "version: 0.1\nresource_usage:\n  aws_instance.test:\n    monthly_cpu_credit_hrs: 730\n";
        let t3 = price(
            "aws_instance",
            json!({"instance_type": "t3.xlarge"}),
            "us-east-1",
            Some(usage),
        );
        let c = component(&t3, "CPU credits");
        assert_eq!(c.monthly_quantity, Some(dec!(2920)));
        assert_eq!(c.monthly_cost, Some(dec!(146.00)));
    }

    /// Infracost's `instance_test` golden (us-east-1, t3.medium): reserved
    /// hourly rates from the usage file, e.g. standard 1 year no upfront
    /// 730 × $0.0261 = $19.05, convertible 3 years partial 730 × $0.0096 = $7.01.
    #[test]
    fn reserved_rates_from_the_usage_file() {
        let cases = [
            ("standard", "1_year", "no_upfront", dec!(19.05)),
            ("standard", "3_year", "partial_upfront", dec!(6.06)),
            ("standard", "1_year", "all_upfront", dec!(0)),
            ("convertible", "1_year", "no_upfront", dec!(21.90)),
            ("convertible", "3_year", "partial_upfront", dec!(7.01)),
        ];
        for (class, term, payment, monthly) in cases {
            let usage = format!(
                "version: 0.1\nresource_usage:\n  aws_instance.test:\n    reserved_instance_type: {class}\n    reserved_instance_term: {term}\n    reserved_instance_payment_option: {payment}\n"
            );
            let r = price(
                "aws_instance",
                json!({"instance_type": "t3.medium"}),
                "us-east-1",
                Some(&usage),
            );
            let c = component(&r, "Instance usage (Linux/UNIX, reserved, t3.medium)");
            assert_eq!(
                c.monthly_cost.map(|m| m.round_dp(2)),
                Some(monthly),
                "{class} {term} {payment}"
            );
        }
        // No reserved row for m5.large: said, never the on-demand price.
        let usage = "version: 0.1\nresource_usage:\n  aws_instance.test:\n    reserved_instance_type: standard\n    reserved_instance_term: 1_year\n    reserved_instance_payment_option: no_upfront\n";
        let r = price(
            "aws_instance",
            json!({"instance_type": "m5.large"}),
            "us-east-1",
            Some(usage),
        );
        let c = component(&r, "Instance usage (Linux/UNIX, reserved, m5.large)");
        assert_eq!(c.status, ComponentStatus::NoPriceFound);
        assert_eq!(c.monthly_cost, None);
        // A value Infracost does not take: on-demand, with a note.
        let usage = "version: 0.1\nresource_usage:\n  aws_instance.test:\n    reserved_instance_type: standard\n    reserved_instance_term: 2_year\n    reserved_instance_payment_option: no_upfront\n";
        let r = price(
            "aws_instance",
            json!({"instance_type": "t3.medium"}),
            "us-east-1",
            Some(usage),
        );
        component(&r, "Instance usage (Linux/UNIX, on-demand, t3.medium)");
        assert!(r.metadata.notes.iter().any(|n| n.contains("2_year")));
    }

    /// Infracost's `monthly_hrs`: an instance billed for 100 hours, not 730.
    /// m5.large us-east-1: 100 × $0.096 = $9.60.
    #[test]
    fn monthly_hours_from_the_usage_file() {
        let usage = "version: 0.1\nresource_usage:\n  aws_instance.test:\n    monthly_hrs: 100\n";
        let r = price(
            "aws_instance",
            json!({"instance_type": "m5.large"}),
            "us-east-1",
            Some(usage),
        );
        let c = component(&r, "Instance usage (Linux/UNIX, on-demand, m5.large)");
        assert_eq!(c.monthly_quantity, Some(dec!(100)));
        assert_eq!(c.monthly_cost, Some(dec!(9.60)));
    }

    #[test]
    fn unlimited_credits_are_usage_based() {
        // t3.medium: 0.0416 × 730 = 30.368; credits default unlimited for t3;
        // 730 h × 2 vCPUs = 1,460 vCPU-hours × 0.05 = 73.00
        let usage = "version: 0.1\nresource_usage:\n  aws_instance.test:\n    monthly_cpu_credit_hrs: 730\n";
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
        let c = component(&d, "Instance usage (Linux/UNIX, on-demand, m5.large)");
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
