//! `aws_ebs_volume`: provisioned storage, plus the performance each volume
//! type bills separately. Instances, launch templates and node groups price
//! their disks through [`volume_components`] so every disk is billed the same way.
//!
//! Defaults assumed:
//! - `type` unset → gp2 (the AWS API default).
//! - `size` unknown (e.g. restored from a snapshot) → storage shown without a
//!   cost and a note; no size is guessed.
//! - gp3 `iops` unset → 3,000 and `throughput` unset → 125 MiB/s (the free baseline).
//! - io1/io2 `iops` unknown → provisioned IOPS shown without a cost and a note.
//! - io2 IOPS are tiered per volume: up to 32,000, 32,001–64,000, above 64,000.
//!
//! Usage: `monthly_standard_io_requests` (magnetic volumes only).

use crate::cost::{Attrs, ComponentSpec, Ctx, PriceFilter, Priced};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

/// IOPS included in a gp3 volume's storage price.
const GP3_BASELINE_IOPS: Decimal = dec!(3000);
/// Throughput (MiB/s) included in a gp3 volume's storage price.
const GP3_BASELINE_THROUGHPUT: Decimal = dec!(125);
/// The price list bills gp3 throughput per GiBps-month; people provision MiB/s.
const MIBPS_PER_GIBPS: Decimal = dec!(1024);

/// One disk as the volume, instance or launch template describes it.
#[derive(Debug, Clone, Default)]
pub(crate) struct Volume {
    /// `volumeApiName` (gp2, gp3, io1, io2, st1, sc1, standard).
    pub kind: String,
    pub size_gb: Option<Decimal>,
    pub iops: Option<Decimal>,
    pub throughput: Option<Decimal>,
}

impl Volume {
    /// Reads `volume_type`/`volume_size`-style attributes of a block (instance
    /// `root_block_device`, launch template `ebs`); `type_key`/`size_key` name them.
    pub(crate) fn from_block(block: &Attrs, type_key: &str, size_key: &str) -> Volume {
        Volume {
            kind: block.str(type_key).unwrap_or("gp2").to_string(),
            size_gb: block.decimal(size_key),
            iops: block.decimal("iops"),
            throughput: block.decimal("throughput"),
        }
    }
}

/// Components for `count` identical disks; assumptions go to `notes`.
pub(crate) fn volume_components(
    v: &Volume,
    ctx: &Ctx,
    count: Decimal,
    notes: &mut Vec<String>,
) -> Vec<ComponentSpec> {
    let storage_filter = PriceFilter::aws("AmazonEC2", "Storage", ctx.region, "GB-Mo")
        .attr("volumeApiName", v.kind.as_str());
    let op = |usagetype: &str, unit| {
        PriceFilter::aws("AmazonEC2", "System Operation", ctx.region, unit)
            .attr("usagetype", usagetype)
    };
    let label = match v.kind.as_str() {
        "gp2" => "Storage (general purpose SSD, gp2)".to_string(),
        "gp3" => "Storage (general purpose SSD, gp3)".to_string(),
        "io1" => "Storage (provisioned IOPS SSD, io1)".to_string(),
        "io2" => "Storage (provisioned IOPS SSD, io2)".to_string(),
        "st1" => "Storage (throughput optimized HDD, st1)".to_string(),
        "sc1" => "Storage (cold HDD, sc1)".to_string(),
        "standard" => "Storage (magnetic)".to_string(),
        other => {
            notes.push(format!(
                "unknown EBS volume type {other:?}; priced by that name"
            ));
            format!("Storage ({other})")
        }
    };
    let mut out = Vec::new();
    match v.size_gb {
        Some(size) => out.push(ComponentSpec::monthly(
            label,
            "GB",
            size * count,
            storage_filter,
        )),
        None => {
            notes.push(format!(
                "{} volume size unknown at plan time (restored from a snapshot?); storage shown without a cost",
                v.kind
            ));
            out.push(ComponentSpec::usage(label, "GB", None, storage_filter));
        }
    }
    match v.kind.as_str() {
        "gp3" => {
            let iops = v.iops.unwrap_or(GP3_BASELINE_IOPS);
            if iops > GP3_BASELINE_IOPS {
                out.push(ComponentSpec::monthly(
                    "Provisioned IOPS",
                    "IOPS",
                    (iops - GP3_BASELINE_IOPS) * count,
                    op("EBS:VolumeP-IOPS.gp3", "IOPS-Mo"),
                ));
            }
            let throughput = v.throughput.unwrap_or(GP3_BASELINE_THROUGHPUT);
            if throughput > GP3_BASELINE_THROUGHPUT {
                let filter = PriceFilter::aws(
                    "AmazonEC2",
                    "Provisioned Throughput",
                    ctx.region,
                    "GiBps-mo",
                )
                .attr("usagetype", "EBS:VolumeP-Throughput.gp3");
                out.push(
                    ComponentSpec::monthly(
                        "Provisioned throughput",
                        // Infracost's unit name for the same MiB/s figure
                        "Mbps",
                        (throughput - GP3_BASELINE_THROUGHPUT) * count / MIBPS_PER_GIBPS,
                        filter,
                    )
                    .per(Decimal::ONE / MIBPS_PER_GIBPS),
                );
            }
        }
        "io1" | "io2" => {
            let usagetype = if v.kind == "io1" {
                "EBS:VolumeP-IOPS.piops"
            } else {
                "EBS:VolumeP-IOPS.io2"
            };
            let filter = op(usagetype, "IOPS-Mo");
            match v.iops {
                Some(iops) => {
                    if v.kind == "io2" && count > Decimal::ONE {
                        notes.push(
                            "io2 IOPS tiers apply per volume; tiers applied to the total of identical volumes"
                                .to_string(),
                        );
                    }
                    out.push(ComponentSpec::monthly(
                        "Provisioned IOPS",
                        "IOPS",
                        iops * count,
                        filter,
                    ));
                }
                None => {
                    notes.push(format!(
                        "{} provisioned IOPS unknown at plan time; shown without a cost",
                        v.kind
                    ));
                    out.push(ComponentSpec::usage(
                        "Provisioned IOPS",
                        "IOPS",
                        None,
                        filter,
                    ));
                }
            }
        }
        _ => {}
    }
    out
}

/// I/O requests of magnetic volumes, from the usage file.
fn standard_io(ctx: &Ctx) -> ComponentSpec {
    let filter = PriceFilter::aws("AmazonEC2", "System Operation", ctx.region, "IOs")
        .attr("usagetype", "EBS:VolumeIOUsage");
    ComponentSpec::usage(
        "I/O requests",
        // Infracost's unit name
        "1M request",
        ctx.usage.decimal("monthly_standard_io_requests"),
        filter,
    )
    .per(dec!(1000000))
}

/// Magnetic-volume I/O for a disk that is part of another resource.
pub(crate) fn io_components(v: &Volume, ctx: &Ctx) -> Vec<ComponentSpec> {
    if v.kind == "standard" {
        vec![standard_io(ctx)]
    } else {
        Vec::new()
    }
}

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let v = Volume::from_block(attrs, "type", "size");
    let mut notes = Vec::new();
    p.components = volume_components(&v, ctx, Decimal::ONE, &mut notes);
    p.components.extend(io_components(&v, ctx));
    p.notes = notes;
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    #[test]
    fn gp2_is_the_default_type() {
        // 10 GB × 0.10 = 1.00
        let r = price("aws_ebs_volume", json!({"size": 10}), "us-east-1", None);
        let c = component(&r, "Storage (general purpose SSD, gp2)");
        assert_eq!(c.monthly_cost, Some(dec!(1.00)));
        assert_eq!(r.monthly_cost, Some(dec!(1.00)));
    }

    #[test]
    fn gp3_bills_iops_and_throughput_above_the_baseline() {
        // storage 100 × 0.08 = 8.00
        // IOPS (6000 − 3000) × 0.005 = 15.00
        // throughput (250 − 125) MiB/s = 125/1024 GiBps × 40.96 = 5.00 ($0.04 per MiBps)
        let r = price(
            "aws_ebs_volume",
            json!({"type": "gp3", "size": 100, "iops": 6000, "throughput": 250}),
            "us-east-1",
            None,
        );
        assert_eq!(
            component(&r, "Storage (general purpose SSD, gp3)").monthly_cost,
            Some(dec!(8.00))
        );
        assert_eq!(
            component(&r, "Provisioned IOPS").monthly_cost,
            Some(dec!(15.00))
        );
        let t = component(&r, "Provisioned throughput");
        assert_eq!(t.unit, "Mbps", "Infracost's unit");
        assert_eq!(t.monthly_cost, Some(dec!(5.00)));
        assert_eq!(t.monthly_quantity, Some(dec!(125)));
        assert_eq!(t.price, Some(dec!(0.04)));
        assert_eq!(r.monthly_cost, Some(dec!(28.00)));
    }

    #[test]
    fn gp3_at_baseline_bills_storage_only() {
        // 40 × 0.08 = 3.20
        let r = price(
            "aws_ebs_volume",
            json!({"type": "gp3", "size": 40, "iops": 3000, "throughput": 125}),
            "us-east-1",
            None,
        );
        assert_eq!(r.cost_components.len(), 1);
        assert_eq!(r.monthly_cost, Some(dec!(3.20)));
    }

    #[test]
    fn io1_bills_storage_and_iops() {
        // 40 × 0.125 = 5.00; 1000 × 0.065 = 65.00
        let r = price(
            "aws_ebs_volume",
            json!({"type": "io1", "size": 40, "iops": 1000}),
            "us-east-1",
            None,
        );
        assert_eq!(r.monthly_cost, Some(dec!(70.00)));
    }

    #[test]
    fn io2_iops_are_tiered() {
        // storage 100 × 0.125 = 12.50
        // IOPS 32,000 × 0.065 = 2,080.00; 32,000 × 0.0455 = 1,456.00; 6,000 × 0.03185 = 191.10
        let r = price(
            "aws_ebs_volume",
            json!({"type": "io2", "size": 100, "iops": 70000}),
            "us-east-1",
            None,
        );
        assert_eq!(
            component(&r, "Provisioned IOPS (first 32,000 IOPS)").monthly_cost,
            Some(dec!(2080.00))
        );
        assert_eq!(
            component(&r, "Provisioned IOPS (next 32,000 IOPS)").monthly_cost,
            Some(dec!(1456.00))
        );
        assert_eq!(
            component(&r, "Provisioned IOPS (over 64,000 IOPS)").monthly_cost,
            Some(dec!(191.10))
        );
        assert_eq!(r.monthly_cost, Some(dec!(3739.60)));
    }

    #[test]
    fn io2_in_tokyo_uses_tokyo_tiers() {
        // 10 × 0.142 = 1.42; 40,000 IOPS: 32,000 × 0.074 = 2,368.00 + 8,000 × 0.0518 = 414.40
        let r = price(
            "aws_ebs_volume",
            json!({"type": "io2", "size": 10, "iops": 40000}),
            "ap-northeast-1",
            None,
        );
        assert_eq!(r.monthly_cost, Some(dec!(2783.82)));
    }

    #[test]
    fn hdd_volumes_bill_storage_only() {
        // st1 40 × 0.045 = 1.80; sc1 50 × 0.015 = 0.75
        let st1 = price(
            "aws_ebs_volume",
            json!({"type": "st1", "size": 40}),
            "us-east-1",
            None,
        );
        assert_eq!(st1.monthly_cost, Some(dec!(1.80)));
        let sc1 = price(
            "aws_ebs_volume",
            json!({"type": "sc1", "size": 50}),
            "us-east-1",
            None,
        );
        assert_eq!(sc1.monthly_cost, Some(dec!(0.75)));
    }

    #[test]
    fn magnetic_io_requests_come_from_usage() {
        // 20 × 0.05 = 1.00; 3M requests × 0.05 per 1M = 0.15
        let usage = "version: 0.1\nresource_usage:\n  aws_ebs_volume.test:\n    monthly_standard_io_requests: 3000000\n";
        let r = price(
            "aws_ebs_volume",
            json!({"type": "standard", "size": 20}),
            "us-east-1",
            Some(usage),
        );
        let io = component(&r, "I/O requests");
        assert_eq!(io.monthly_cost, Some(dec!(0.15)));
        assert_eq!(io.monthly_quantity, Some(dec!(3)));
        assert_eq!(r.monthly_cost, Some(dec!(1.15)));
        let r = price(
            "aws_ebs_volume",
            json!({"type": "standard", "size": 20}),
            "us-east-1",
            None,
        );
        assert_eq!(
            component(&r, "I/O requests").status,
            ComponentStatus::UsageMissing
        );
    }

    #[test]
    fn unknown_size_is_noted_not_guessed() {
        let r = price(
            "aws_ebs_volume",
            json!({"type": "gp3", "snapshot_id": "snap-1"}),
            "us-east-1",
            None,
        );
        assert_eq!(r.monthly_cost, None);
        assert!(r.metadata.notes.iter().any(|n| n.contains("size unknown")));
    }
}
