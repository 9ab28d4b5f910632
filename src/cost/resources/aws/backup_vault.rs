//! `aws_backup_vault`: what AWS Backup stores and restores through the
//! vault, all usage-based: EFS warm/cold backups and restores, EBS, RDS,
//! Aurora, DynamoDB, and FSx (Windows, Lustre) backups, each priced at the
//! rate Infracost uses for it.
//!
//! Usage (Infracost's keys): see [`LINES`]; each line without its key stays
//! usage-based.

use crate::cost::{Attrs, ComponentSpec, Ctx, PriceFilter, Priced};

/// (usage key, component name, unit, service, product family, usagetype, table unit):
/// the price-list products Infracost prices each line with.
const LINES: &[(&str, &str, &str, &str, &str, &str, &str)] = &[
    (
        "monthly_efs_warm_backup_gb",
        "EFS backup (warm)",
        "GB",
        "AWSBackup",
        "AWS Backup Storage",
        "WarmStorage-ByteHrs-EFS",
        "GB-Mo",
    ),
    (
        "monthly_efs_cold_backup_gb",
        "EFS backup (cold)",
        "GB",
        "AWSBackup",
        "AWS Backup Early Delete Size",
        "EarlyDelete-ColdByteHrs-EFS",
        "GB-Mo",
    ),
    (
        "monthly_efs_warm_restore_gb",
        "EFS restore (warm)",
        "GB",
        "AWSBackup",
        "AWS Backup Storage",
        "PartialRestore-Warm-EFS",
        "GB",
    ),
    (
        "monthly_efs_cold_restore_gb",
        "EFS restore (cold)",
        "GB",
        "AWSBackup",
        "AWS Backup Storage",
        "PartialRestore-Cold-EFS",
        "GB",
    ),
    (
        "monthly_efs_item_restore_requests",
        "EFS restore (item-level)",
        "requests",
        "AWSBackup",
        "AWS Backup Storage",
        "PartialRestore-Jobs-EFS",
        "Requests",
    ),
    (
        "monthly_ebs_snapshot_gb",
        "EBS snapshot",
        "GB",
        "AmazonEC2",
        "Storage Snapshot",
        "EBS:SnapshotUsage",
        "GB-Mo",
    ),
    (
        "monthly_rds_snapshot_gb",
        "RDS snapshot",
        "GB",
        "AmazonRDS",
        "Storage Snapshot",
        "RDS:ChargedBackupUsage",
        "GB-Mo",
    ),
    (
        "monthly_dynamodb_backup_gb",
        "DynamoDB backup",
        "GB",
        "AmazonDynamoDB",
        "Amazon DynamoDB On-Demand Backup Storage",
        "TimedBackupStorage-ByteHrs",
        "GB-Mo",
    ),
    (
        "monthly_dynamodb_restore_gb",
        "DynamoDB restore",
        "GB",
        "AmazonDynamoDB",
        "Amazon DynamoDB Restore Data Size",
        "RestoreDataSize-Bytes",
        "GB",
    ),
    (
        "monthly_aurora_snapshot_gb",
        "Aurora snapshot",
        "GB",
        "AmazonRDS",
        "Storage Snapshot",
        "Aurora:BackupUsage",
        "GB-Mo",
    ),
    // Infracost prices both FSx lines at the Lustre backup rate (the
    // usagetype column is not used for FSx, see below).
    (
        "monthly_fsx_windows_backup_gb",
        "FSx for Windows backup",
        "GB",
        "AmazonFSx",
        "Storage",
        "BackupUsage",
        "GB-Mo",
    ),
    (
        "monthly_fsx_lustre_backup_gb",
        "FSx for Lustre backup",
        "GB",
        "AmazonFSx",
        "Storage",
        "BackupUsage",
        "GB-Mo",
    ),
];

pub(crate) const USAGE_KEYS: &[&str] = &[
    "monthly_efs_warm_backup_gb",
    "monthly_efs_cold_backup_gb",
    "monthly_efs_warm_restore_gb",
    "monthly_efs_cold_restore_gb",
    "monthly_efs_item_restore_requests",
    "monthly_ebs_snapshot_gb",
    "monthly_rds_snapshot_gb",
    "monthly_dynamodb_backup_gb",
    "monthly_dynamodb_restore_gb",
    "monthly_aurora_snapshot_gb",
    "monthly_fsx_windows_backup_gb",
    "monthly_fsx_lustre_backup_gb",
];

pub(crate) fn price(_attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    for &(key, name, unit, service, family, usagetype, table_unit) in LINES {
        let mut filter =
            PriceFilter::aws(service, family, ctx.region, table_unit).attr("usagetype", usagetype);
        if service == "AmazonFSx" {
            filter = PriceFilter::aws(service, family, ctx.region, table_unit)
                .attr("fileSystemType", "Lustre")
                .attr("deploymentOption", "N/A")
                .attr("storageType", "Backup");
        }
        p.push(ComponentSpec::usage(
            name,
            unit,
            ctx.usage.decimal(key),
            filter,
        ));
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
    fn every_line_reads_its_own_key() {
        let keys = super::LINES.iter().map(|l| l.0).collect::<Vec<_>>();
        assert_eq!(keys, super::USAGE_KEYS);
        let mut usage = String::from("version: 0.1\nresource_usage:\n  aws_backup_vault.test:\n");
        for k in super::USAGE_KEYS {
            usage.push_str(&format!("    {k}: 10000\n"));
        }
        let r = price("aws_backup_vault", json!({}), "us-west-1", Some(&usage));
        // 10,000 of each × its us-west-1 rate (the region of Infracost's golden test).
        for (name, cost) in [
            ("EFS backup (warm)", dec!(600)),
            ("EFS backup (cold)", dec!(120)),
            ("EFS restore (warm)", dec!(240)),
            ("EFS restore (cold)", dec!(360)),
            ("EFS restore (item-level)", dec!(6000)),
            ("EBS snapshot", dec!(550)),
            ("RDS snapshot", dec!(950)),
            ("DynamoDB backup", dec!(1120)),
            ("DynamoDB restore", dec!(1680)),
            ("Aurora snapshot", dec!(240)),
            ("FSx for Windows backup", dec!(550)),
            ("FSx for Lustre backup", dec!(550)),
        ] {
            assert_eq!(component(&r, name).monthly_cost, Some(cost), "{name}");
        }
        assert_eq!(r.monthly_cost, Some(dec!(12960)));
    }

    #[test]
    fn without_usage_every_line_is_usage_based() {
        let r = price("aws_backup_vault", json!({}), "us-west-1", None);
        assert_eq!(r.cost_components.len(), 12);
        assert!(
            r.cost_components
                .iter()
                .all(|c| c.status == ComponentStatus::UsageMissing)
        );
        assert_eq!(r.monthly_cost, None);
    }
}
