//! `aws_dynamodb_table`: provisioned capacity or on-demand request units,
//! storage, backups (point-in-time recovery and on-demand), restores, stream
//! reads, and replicated writes for each global-table replica, with
//! Infracost's component names, units and usage keys.
//!
//! Defaults assumed when the plan does not say:
//! - `billing_mode`: `PROVISIONED` (the provider's default);
//! - `read_capacity` / `write_capacity`: 0 when absent (nothing provisioned);
//! - each `replica` block is a "Global table (<region>)" billed replicated
//!   writes in its own region, at the table's write capacity (provisioned) or
//!   its write request units (on-demand).
//! - Storage and stream reads are priced beyond the account-wide free tier
//!   (25 GB, 2.5M stream reads), which one table cannot claim (as Infracost).
//!
//! Capacity units are shown per unit-month (WCU × 730 hours), request units
//! one by one, as Infracost shows them.
//!
//! Usage: `monthly_write_request_units`, `monthly_read_request_units`,
//! `storage_gb`, `pitr_backup_storage_gb`, `on_demand_backup_storage_gb`,
//! `monthly_data_restored_gb`, `monthly_streams_read_request_units`.

use crate::cost::{Attrs, ComponentSpec, Ctx, HOURS_PER_MONTH, PriceFilter, Priced};
use rust_decimal::Decimal;

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let on_demand = attrs.str("billing_mode") == Some("PAY_PER_REQUEST");
    let filter = |family: &'static str, region: &str, usagetype: &str, unit: &'static str| {
        PriceFilter::aws("AmazonDynamoDB", family, region, unit).attr("usagetype", usagetype)
    };
    let usage = |key: &str| ctx.usage.decimal(key);
    let writes = usage("monthly_write_request_units");
    let wcu = attrs.decimal("write_capacity").unwrap_or(Decimal::ZERO);
    if on_demand {
        let per_request = "Amazon DynamoDB PayPerRequest Throughput";
        p.push(ComponentSpec::usage(
            "Write request unit (WRU)",
            "WRUs",
            writes,
            filter(
                per_request,
                ctx.region,
                "WriteRequestUnits",
                "WriteRequestUnits",
            ),
        ));
        p.push(ComponentSpec::usage(
            "Read request unit (RRU)",
            "RRUs",
            usage("monthly_read_request_units"),
            filter(
                per_request,
                ctx.region,
                "ReadRequestUnits",
                "ReadRequestUnits",
            ),
        ));
    } else {
        p.push(
            ComponentSpec::hourly(
                "Write capacity unit (WCU)",
                "WCU",
                wcu,
                filter(
                    "Provisioned IOPS",
                    ctx.region,
                    "WriteCapacityUnit-Hrs",
                    "WriteCapacityUnit-Hrs",
                ),
            )
            .per(HOURS_PER_MONTH),
        );
        p.push(
            ComponentSpec::hourly(
                "Read capacity unit (RCU)",
                "RCU",
                attrs.decimal("read_capacity").unwrap_or(Decimal::ZERO),
                filter(
                    "Provisioned IOPS",
                    ctx.region,
                    "ReadCapacityUnit-Hrs",
                    "ReadCapacityUnit-Hrs",
                ),
            )
            .per(HOURS_PER_MONTH),
        );
    }
    p.push(
        ComponentSpec::usage(
            "Data storage",
            "GB",
            usage("storage_gb"),
            filter(
                "Database Storage",
                ctx.region,
                "TimedStorage-ByteHrs",
                "GB-Mo",
            ),
        )
        .beyond_free_tier(),
    );
    p.push(ComponentSpec::usage(
        "Point-In-Time Recovery (PITR) backup storage",
        "GB",
        usage("pitr_backup_storage_gb"),
        filter(
            "Database Storage",
            ctx.region,
            "TimedPITRStorage-ByteHrs",
            "GB-Mo",
        ),
    ));
    p.push(ComponentSpec::usage(
        "On-demand backup storage",
        "GB",
        usage("on_demand_backup_storage_gb"),
        filter(
            "Amazon DynamoDB On-Demand Backup Storage",
            ctx.region,
            "TimedBackupStorage-ByteHrs",
            "GB-Mo",
        ),
    ));
    p.push(ComponentSpec::usage(
        "Table data restored",
        "GB",
        usage("monthly_data_restored_gb"),
        filter(
            "Amazon DynamoDB Restore Data Size",
            ctx.region,
            "RestoreDataSize-Bytes",
            "GB",
        ),
    ));
    p.push(
        ComponentSpec::usage(
            "Streams read request unit (sRRU)",
            "sRRUs",
            usage("monthly_streams_read_request_units"),
            filter("API Request", ctx.region, "Streams-Requests", "Requests"),
        )
        .beyond_free_tier(),
    );
    for replica in attrs.blocks("replica") {
        let Some(region) = replica.str("region_name") else {
            continue;
        };
        let replicated = "DDB-Operation-ReplicatedWrite";
        let component = if on_demand {
            ComponentSpec::usage(
                "Replicated write request unit (rWRU)",
                "rWRU",
                writes,
                filter(
                    replicated,
                    region,
                    "ReplWriteRequestUnits",
                    "ReplicatedWriteRequestUnits",
                ),
            )
        } else {
            ComponentSpec::hourly(
                "Replicated write capacity unit (rWCU)",
                "rWCU",
                wcu,
                filter(
                    replicated,
                    region,
                    "ReplWriteCapacityUnit-Hrs",
                    "ReplicatedWriteCapacityUnit-Hrs",
                ),
            )
        };
        p.subresources.push((
            format!("Global table ({region})"),
            vec![component.per(HOURS_PER_MONTH)],
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

    /// Infracost's `dynamodb_table_test` golden (us-east-2),
    /// `my_dynamodb_table_usage`: on-demand with every usage key and replicas
    /// in us-east-2 and us-west-1. The table is put in us-east-1, whose
    /// request, storage and backup prices are the golden's us-east-2 ones
    /// (us-east-2 request units are not in the shipped tables yet).
    #[test]
    fn on_demand_table_matches_infracosts_golden() {
        let usage = "version: 0.1\nresource_usage:\n  aws_dynamodb_table.test:\n    monthly_write_request_units: 3000000\n    monthly_read_request_units: 8000000\n    storage_gb: 230\n    pitr_backup_storage_gb: 2300\n    on_demand_backup_storage_gb: 460\n    monthly_data_restored_gb: 230\n    monthly_streams_read_request_units: 2000000\n";
        let r = price(
            "aws_dynamodb_table",
            json!({"billing_mode": "PAY_PER_REQUEST",
                   "replica": [{"region_name": "us-east-2"}, {"region_name": "us-west-1"}]}),
            "us-east-1",
            Some(usage),
        );
        let check = |name: &str, qty, unit: &str, cost| {
            let c = component(&r, name);
            assert_eq!(c.unit, unit, "{name}");
            assert_eq!(
                c.monthly_quantity.map(|q| q.round_dp(4)),
                Some(qty),
                "{name}"
            );
            assert_eq!(c.monthly_cost.map(|m| m.round_dp(2)), Some(cost), "{name}");
        };
        // 3,000,000 × $0.000000625 = $1.875; 8,000,000 × $0.000000125 = $1.00
        check(
            "Write request unit (WRU)",
            dec!(3000000),
            "WRUs",
            dec!(1.88),
        );
        check("Read request unit (RRU)", dec!(8000000), "RRUs", dec!(1.00));
        // Beyond the free tier, as Infracost: 230 GB × $0.25 = $57.50
        check("Data storage", dec!(230), "GB", dec!(57.50));
        // 2,300 × $0.20; 460 × $0.10; 230 × $0.15; 2,000,000 × $0.0000002
        check(
            "Point-In-Time Recovery (PITR) backup storage",
            dec!(2300),
            "GB",
            dec!(460.00),
        );
        check("On-demand backup storage", dec!(460), "GB", dec!(46.00));
        check("Table data restored", dec!(230), "GB", dec!(34.50));
        check(
            "Streams read request unit (sRRU)",
            dec!(2000000),
            "sRRUs",
            dec!(0.40),
        );
        // Replicated writes: 3,000,000 rWRU shown per 730 (4,109.5890), priced
        // in each replica's region: × $0.000000625 = $1.88, × $0.0000006975 = $2.09.
        check(
            "Global table (us-east-2): Replicated write request unit (rWRU)",
            dec!(4109.5890),
            "rWRU",
            dec!(1.88),
        );
        check(
            "Global table (us-west-1): Replicated write request unit (rWRU)",
            dec!(4109.5890),
            "rWRU",
            dec!(2.09),
        );
    }

    /// The same golden's provisioned `my_dynamodb_table`: 20 WCU, 30 RCU,
    /// shown per unit-month. 20 × 730 × $0.00065 = $9.49; replicated in
    /// us-west-1: 20 × 730 × $0.000725 = $10.585.
    #[test]
    fn provisioned_table_shows_capacity_per_unit_month() {
        let r = price(
            "aws_dynamodb_table",
            json!({"billing_mode": "PROVISIONED", "read_capacity": 30, "write_capacity": 20,
                   "replica": [{"region_name": "us-west-1"}]}),
            "us-east-1",
            None,
        );
        let w = component(&r, "Write capacity unit (WCU)");
        assert_eq!(w.monthly_quantity, Some(dec!(20)));
        assert_eq!(w.monthly_cost, Some(dec!(9.49)));
        let rw = component(
            &r,
            "Global table (us-west-1): Replicated write capacity unit (rWCU)",
        );
        assert_eq!(rw.monthly_quantity, Some(dec!(20)));
        assert_eq!(rw.monthly_cost, Some(dec!(10.585)));
        // Without usage the backups, restores and streams stay usage-based.
        for name in [
            "Point-In-Time Recovery (PITR) backup storage",
            "On-demand backup storage",
            "Table data restored",
            "Streams read request unit (sRRU)",
        ] {
            let c = component(&r, name);
            assert_eq!(c.status, ComponentStatus::UsageMissing, "{name}");
            assert!(c.price.is_some(), "{name} has a us-east-1 price");
        }
    }

    #[test]
    fn on_demand_prices_request_units_one_by_one() {
        let r = price(
            "aws_dynamodb_table",
            json!({"billing_mode": "PAY_PER_REQUEST"}),
            "ap-northeast-1",
            Some(
                "version: 0.1\nresource_usage:\n  aws_dynamodb_table.test:\n    monthly_read_request_units: 20000000\n    monthly_write_request_units: 4000000\n",
            ),
        );
        // 4,000,000 WRU × 0.000000715 $ = 2.86
        let w = component(&r, "Write request unit (WRU)");
        assert_eq!(w.monthly_quantity, Some(dec!(4000000)));
        assert_eq!(w.price, Some(dec!(0.000000715)));
        assert_eq!(w.monthly_cost, Some(dec!(2.86)));
        // 20,000,000 RRU × 0.0000001425 $ = 2.85
        assert_eq!(
            component(&r, "Read request unit (RRU)").monthly_cost,
            Some(dec!(2.85))
        );
        // Storage: usage-based, no value given, and no ap-northeast-1 row.
        assert_eq!(component(&r, "Data storage").monthly_cost, None);
        assert_eq!(r.monthly_cost, Some(dec!(5.71)));
    }

    #[test]
    fn provisioned_is_the_default_and_bills_capacity_hours() {
        let r = price(
            "aws_dynamodb_table",
            json!({"read_capacity": 10, "write_capacity": 5}),
            "us-east-1",
            Some(
                "version: 0.1\nresource_usage:\n  aws_dynamodb_table.test:\n    storage_gb: 125\n",
            ),
        );
        let w = component(&r, "Write capacity unit (WCU)");
        assert_eq!(w.monthly_quantity, Some(dec!(5)));
        assert!(
            w.price_filter
                .to_string()
                .contains("usagetype=WriteCapacityUnit-Hrs")
        );
        // us-east-1: 5 WCU × 0.00065 $/h × 730 h = 2.3725
        assert_eq!(w.status, ComponentStatus::Priced);
        assert_eq!(w.monthly_cost, Some(dec!(2.3725)));
        let rcu = component(&r, "Read capacity unit (RCU)");
        assert_eq!(rcu.monthly_quantity, Some(dec!(10)));
        // 10 RCU × 0.00013 $/h × 730 h = 0.949
        assert_eq!(rcu.monthly_cost, Some(dec!(0.949)));
        // Storage beyond the account-wide free tier: 125 GB × 0.25 $ = 31.25.
        let storage = component(&r, "Data storage");
        assert_eq!(storage.monthly_quantity, Some(dec!(125)));
        assert_eq!(storage.monthly_cost, Some(dec!(31.25)));
        // 2.3725 + 0.949 + 31.25
        assert_eq!(r.monthly_cost, Some(dec!(34.5715)));
    }

    #[test]
    fn replicas_bill_replicated_writes_in_their_region() {
        let r = price(
            "aws_dynamodb_table",
            json!({"read_capacity": 1, "write_capacity": 3,
                   "replica": [{"region_name": "eu-west-1"}, {"region_name": "ap-southeast-1"}]}),
            "us-east-1",
            None,
        );
        let eu = component(
            &r,
            "Global table (eu-west-1): Replicated write capacity unit (rWCU)",
        );
        assert_eq!(eu.monthly_quantity, Some(dec!(3)));
        assert!(eu.price_filter.to_string().contains("in eu-west-1"));
        component(
            &r,
            "Global table (ap-southeast-1): Replicated write capacity unit (rWCU)",
        );
    }
}
