//! `aws_neptune_cluster`: cluster storage and I/O requests (usage-based),
//! plus backup storage when `backup_retention_period` keeps more than one
//! day of backups.
//!
//! Usage (Infracost's keys): `storage_gb`, `monthly_io_requests`,
//! `backup_storage_gb`; lines without them stay usage-based.

use crate::cost::{Attrs, ComponentSpec, Ctx, PriceFilter, Priced};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let storage = |usagetype: &str| {
        PriceFilter::aws("AmazonNeptune", "Database Storage", ctx.region, "GB-Mo")
            .attr("usagetype", usagetype)
    };
    p.push(ComponentSpec::usage(
        "Storage",
        "GB",
        ctx.usage.decimal("storage_gb"),
        storage("StorageUsage"),
    ));
    p.push(
        ComponentSpec::usage(
            "I/O requests",
            "1M request",
            ctx.usage.decimal("monthly_io_requests"),
            PriceFilter::aws("AmazonNeptune", "System Operation", ctx.region, "IOs")
                .attr("usagetype", "StorageIOUsage"),
        )
        .per(dec!(1000000)),
    );
    if attrs
        .decimal("backup_retention_period")
        .is_some_and(|days| days > Decimal::ONE)
    {
        p.push(ComponentSpec::usage(
            "Backup storage",
            "GB",
            ctx.usage.decimal("backup_storage_gb"),
            storage("BackupUsage"),
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
    fn storage_and_io_from_usage() {
        let usage = "version: 0.1\nresource_usage:\n  aws_neptune_cluster.test:\n    storage_gb: 100\n    monthly_io_requests: 5000000\n";
        let r = price(
            "aws_neptune_cluster",
            json!({"backup_retention_period": 1}),
            "eu-west-2",
            Some(usage),
        );
        // 100 GB × $0.12 = $12; 5M × $0.23 per 1M = $1.15; one day of backups is free.
        assert_eq!(component(&r, "Storage").monthly_cost, Some(dec!(12)));
        assert_eq!(component(&r, "I/O requests").monthly_cost, Some(dec!(1.15)));
        assert_eq!(r.cost_components.len(), 2);
    }

    #[test]
    fn longer_retention_adds_backup_storage() {
        let r = price(
            "aws_neptune_cluster",
            json!({"backup_retention_period": 7}),
            "eu-west-2",
            None,
        );
        assert_eq!(
            component(&r, "Storage").status,
            ComponentStatus::UsageMissing
        );
        // No backup rate is shipped: said, not shown as $0.
        assert_eq!(
            component(&r, "Backup storage").status,
            ComponentStatus::NoPriceFound
        );
    }
}
