//! `aws_fsx_openzfs_file_system`: provisioned throughput (MBps-months), SSD
//! storage (GB-months; with data compression on, the capacity left after the
//! expected savings), user-provisioned SSD IOPS above the 3 IOPS per GB
//! included, and backup storage. Priced at the Single-AZ rates, as Infracost
//! does.
//!
//! Usage (Infracost's keys): `compression_savings_percent` (default 50 when
//! compression is on), `backup_storage_gb` (usage-based without it).

use crate::cost::{Attrs, ComponentSpec, Ctx, PriceFilter, Priced};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let zfs = |family: &'static str, unit: &'static str| {
        PriceFilter::aws("AmazonFSx", family, ctx.region, unit)
            .attr("fileSystemType", "OpenZFS")
            .attr("deploymentOption", "Single-AZ")
    };
    match attrs.decimal("throughput_capacity") {
        Some(mbps) => p.push(ComponentSpec::monthly(
            "Throughput capacity",
            "MBps",
            mbps,
            zfs("Provisioned Throughput", "MBps-Mo"),
        )),
        None => p.note("throughput_capacity not known at plan time: throughput not priced"),
    }
    let capacity = attrs.decimal("storage_capacity");
    let iops = attrs.block("disk_iops_configuration").filter(|c| {
        c.str("mode")
            .is_some_and(|m| m.eq_ignore_ascii_case("USER_PROVISIONED"))
    });
    if let (Some(iops), Some(gb)) = (iops.and_then(|c| c.decimal("iops")), capacity) {
        let extra = (iops - gb * dec!(3)).max(Decimal::ZERO);
        if extra > Decimal::ZERO {
            p.push(ComponentSpec::monthly(
                "Provisioned IOPS",
                "IOPS",
                extra,
                zfs("Provisioned IOPS", "IOPS-Mo"),
            ));
        }
    }
    let compression = attrs
        .str("root_volume_configuration.0.data_compression_type")
        .filter(|c| !c.eq_ignore_ascii_case("NONE"));
    match capacity {
        Some(gb) => {
            let (name, gb) = match compression {
                Some(kind) => {
                    let saved = ctx
                        .usage
                        .decimal("compression_savings_percent")
                        .unwrap_or(dec!(50));
                    let kept = (gb * (Decimal::ONE - saved / dec!(100))).ceil();
                    (
                        format!("SSD storage ({kind} compression, {}%)", saved.round()),
                        kept,
                    )
                }
                None => ("SSD storage".to_string(), gb),
            };
            p.push(ComponentSpec::monthly(
                name,
                "GB",
                gb,
                zfs("Storage", "GB-Mo").attr("storageType", "SSD"),
            ));
        }
        None => p.note("storage_capacity not known at plan time: storage not priced"),
    }
    p.push(ComponentSpec::usage(
        "Backup storage",
        "GB",
        ctx.usage.decimal("backup_storage_gb"),
        zfs("Storage", "GB-Mo").attr("storageType", "Backup"),
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
    fn provisioned_iops_above_the_included_three_per_gb() {
        let r = price(
            "aws_fsx_openzfs_file_system",
            json!({"storage_capacity": 300, "throughput_capacity": 1024,
                   "disk_iops_configuration": [{"mode": "USER_PROVISIONED", "iops": 1000}]}),
            "us-east-1",
            None,
        );
        // 1,024 MBps × $0.26 = $266.24; (1,000 − 3 × 300) IOPS × $0.006 = $0.60;
        // 300 GB × $0.09 = $27.
        assert_eq!(
            component(&r, "Throughput capacity").monthly_cost,
            Some(dec!(266.24))
        );
        let iops = component(&r, "Provisioned IOPS");
        assert_eq!(iops.monthly_quantity, Some(dec!(100)));
        assert_eq!(iops.monthly_cost, Some(dec!(0.6)));
        assert_eq!(component(&r, "SSD storage").monthly_cost, Some(dec!(27)));
        assert_eq!(
            component(&r, "Backup storage").status,
            ComponentStatus::UsageMissing
        );
    }

    #[test]
    fn compression_keeps_the_capacity_left_after_savings() {
        let usage = "version: 0.1\nresource_usage:\n  aws_fsx_openzfs_file_system.test:\n    compression_savings_percent: 40\n    backup_storage_gb: 100\n";
        let r = price(
            "aws_fsx_openzfs_file_system",
            json!({"storage_capacity": 300, "throughput_capacity": 1024,
                   "root_volume_configuration": [{"data_compression_type": "LZ4"}]}),
            "us-east-1",
            Some(usage),
        );
        // 300 GB × 60% = 180 GB × $0.09 = $16.20; 100 GB backup × $0.05 = $5; no IOPS line.
        let s = component(&r, "SSD storage (LZ4 compression, 40%)");
        assert_eq!(s.monthly_quantity, Some(dec!(180)));
        assert_eq!(s.monthly_cost, Some(dec!(16.2)));
        assert_eq!(component(&r, "Backup storage").monthly_cost, Some(dec!(5)));
        assert_eq!(r.cost_components.len(), 3);
        let r = price(
            "aws_fsx_openzfs_file_system",
            json!({"storage_capacity": 300, "throughput_capacity": 1024,
                   "root_volume_configuration": [{"data_compression_type": "ZSTD"}]}),
            "us-east-1",
            None,
        );
        // Default 50% savings: 150 GB × $0.09 = $13.50.
        assert_eq!(
            component(&r, "SSD storage (ZSTD compression, 50%)").monthly_cost,
            Some(dec!(13.5))
        );
    }
}
