//! `aws_rds_cluster`: what an Aurora cluster bills besides its instances
//! (those are `aws_rds_cluster_instance`), named as Infracost names it:
//!
//! - `engine_mode = "serverless"` (Aurora Serverless v1): "Aurora serverless"
//!   ACU-hours, `capacity_units_per_hr` × 730;
//! - "Storage" (or "Storage (I/O-optimized)" for `storage_type =
//!   "aurora-iopt1"`): `storage_gb`;
//! - "I/O requests": (`read_requests_per_sec` + `write_requests_per_sec`) ×
//!   730 h × 3,600 s, per 1M;
//! - "Backup storage", only when `backup_retention_period` is above 1 (the
//!   provider's default is 1): `backup_snapshot_size_gb` × (retention − 1),
//!   the first snapshot being free;
//! - "Backtrack" for provisioned Aurora MySQL: `average_statements_per_hr` ×
//!   730 × `change_records_per_statement` × `backtrack_window_hrs`, per 1M
//!   change records;
//! - "Snapshot export": `snapshot_export_size_gb`.
//!
//! Every line is usage-based: without its usage keys it is listed with its
//! price and no cost.

use crate::cost::{Attrs, ComponentSpec, Ctx, PriceFilter, Priced};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let engine = attrs.str("engine").unwrap_or("aurora-mysql");
    let database_engine = if engine == "aurora-postgresql" {
        "Aurora PostgreSQL"
    } else {
        "Aurora MySQL"
    };
    let serverless = attrs
        .str("engine_mode")
        .is_some_and(|m| m.eq_ignore_ascii_case("serverless"));
    let io_optimized = attrs.str("storage_type") == Some("aurora-iopt1");
    let usage = |key: &str| ctx.usage.decimal(key);
    let op = |usagetype: &str, unit: &'static str| {
        PriceFilter::aws("AmazonRDS", "System Operation", ctx.region, unit)
            .attr("usagetype", usagetype.to_string())
    };

    if serverless {
        let acu_hours = usage("capacity_units_per_hr")
            .and_then(|acu| p.mul("Aurora serverless", acu, dec!(730)));
        p.push(ComponentSpec::usage(
            "Aurora serverless",
            "ACU-hours",
            acu_hours,
            PriceFilter::aws("AmazonRDS", "Serverless", ctx.region, "ACU-Hr")
                .attr("databaseEngine", database_engine),
        ));
    }
    let (storage_name, storage_usagetype) = if io_optimized {
        ("Storage (I/O-optimized)", "Aurora:IO-OptimizedStorageUsage")
    } else {
        ("Storage", "Aurora:StorageUsage")
    };
    p.push(ComponentSpec::usage(
        storage_name,
        "GB",
        usage("storage_gb"),
        PriceFilter::aws("AmazonRDS", "Database Storage", ctx.region, "GB-Mo")
            .attr("usagetype", storage_usagetype.to_string()),
    ));
    let io_requests = match (
        usage("read_requests_per_sec"),
        usage("write_requests_per_sec"),
    ) {
        (Some(read), Some(write)) => p.mul("I/O requests", read + write, dec!(2628000)),
        _ => None,
    };
    p.push(
        ComponentSpec::usage(
            "I/O requests",
            "1M requests",
            io_requests,
            op("Aurora:StorageIOUsage", "IOs"),
        )
        .per(dec!(1000000)),
    );
    let retention = attrs
        .decimal("backup_retention_period")
        .unwrap_or(Decimal::ONE);
    if retention > Decimal::ONE {
        let backup = usage("backup_snapshot_size_gb")
            .and_then(|gb| p.mul("Backup storage", gb, retention - Decimal::ONE));
        p.push(ComponentSpec::usage(
            "Backup storage",
            "GB",
            backup,
            PriceFilter::aws("AmazonRDS", "Storage Snapshot", ctx.region, "GB-Mo")
                .attr("usagetype", "Aurora:BackupUsage".to_string()),
        ));
    }
    if !serverless && engine != "aurora-postgresql" {
        let records = match (
            usage("average_statements_per_hr"),
            usage("change_records_per_statement"),
            usage("backtrack_window_hrs"),
        ) {
            (Some(statements), Some(per_statement), Some(window)) => p
                .mul("Backtrack", statements, dec!(730))
                .and_then(|s| p.mul("Backtrack", s, per_statement))
                .and_then(|s| p.mul("Backtrack", s, window)),
            _ => None,
        };
        p.push(
            ComponentSpec::usage(
                "Backtrack",
                "1M change-records",
                records,
                op("Aurora:BacktrackUsage", "ChangeRecords"),
            )
            .per(dec!(1000000)),
        );
    }
    p.push(ComponentSpec::usage(
        "Snapshot export",
        "GB",
        usage("snapshot_export_size_gb"),
        op("Aurora:SnapshotExportToS3", "GB"),
    ));
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    const USAGE: &str = "version: 0.1\nresource_usage:\n  aws_rds_cluster.test:\n    storage_gb: 100\n    write_requests_per_sec: 10\n    read_requests_per_sec: 10\n    backup_snapshot_size_gb: 100\n    average_statements_per_hr: 10000000\n    change_records_per_statement: 0.38\n    backtrack_window_hrs: 24\n    snapshot_export_size_gb: 200\n    capacity_units_per_hr: 1000\n";

    /// Infracost's `rds_cluster_test` golden (us-east-1), `mysql_backtrack`:
    /// 100 GB × $0.10 = $10.00; 20 req/s × 2,628,000 s = 52.56M × $0.20 =
    /// $10.51; 100 GB × (5 − 1) = 400 GB × $0.021 = $8.40; 10M × 730 × 0.38
    /// × 24 = 66,576M change records × $0.012 = $798.91; 200 GB × $0.01 = $2.
    #[test]
    fn provisioned_mysql_cluster_with_usage() {
        let r = price(
            "aws_rds_cluster",
            json!({"engine": "aurora-mysql", "backup_retention_period": 5}),
            "us-east-1",
            Some(USAGE),
        );
        let storage = component(&r, "Storage");
        assert_eq!(storage.monthly_cost, Some(dec!(10)));
        let io = component(&r, "I/O requests");
        assert_eq!(io.monthly_quantity, Some(dec!(52.56)));
        assert_eq!(io.monthly_cost, Some(dec!(10.512)));
        let backup = component(&r, "Backup storage");
        assert_eq!(backup.monthly_quantity, Some(dec!(400)));
        assert_eq!(backup.monthly_cost, Some(dec!(8.4)));
        let backtrack = component(&r, "Backtrack");
        assert_eq!(backtrack.monthly_quantity, Some(dec!(66576)));
        assert_eq!(backtrack.monthly_cost, Some(dec!(798.912)));
        assert_eq!(component(&r, "Snapshot export").monthly_cost, Some(dec!(2)));
        assert!(
            r.cost_components
                .iter()
                .all(|c| c.name != "Aurora serverless")
        );
    }

    /// Serverless v1 bills ACU-hours (1,000 ACU × 730 h × $0.06 = $43,800);
    /// PostgreSQL has no backtrack, and the default retention of 1 day no
    /// backup line; without usage every line stays usage-based.
    #[test]
    fn serverless_postgres_and_lines_without_usage() {
        let r = price(
            "aws_rds_cluster",
            json!({"engine": "aurora-postgresql", "engine_mode": "serverless"}),
            "us-east-1",
            Some(USAGE),
        );
        let acu = component(&r, "Aurora serverless");
        assert_eq!(acu.monthly_quantity, Some(dec!(730000)));
        assert_eq!(acu.monthly_cost, Some(dec!(43800)));
        let names: Vec<&str> = r.cost_components.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Aurora serverless",
                "Storage",
                "I/O requests",
                "Snapshot export"
            ]
        );
        let bare = price(
            "aws_rds_cluster",
            json!({"engine": "aurora-mysql", "storage_type": "aurora-iopt1"}),
            "us-east-1",
            None,
        );
        // No I/O-Optimized storage price is shipped: said, never $0.
        let storage = component(&bare, "Storage (I/O-optimized)");
        assert_eq!(storage.status, ComponentStatus::NoPriceFound);
        assert_eq!(storage.monthly_cost, None);
        let backtrack = component(&bare, "Backtrack");
        assert_eq!(backtrack.unit, "1M change-records");
        assert_eq!(backtrack.status, ComponentStatus::UsageMissing);
        assert_eq!(backtrack.monthly_cost, None);
    }
}
