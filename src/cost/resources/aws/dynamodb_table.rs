//! `aws_dynamodb_table`: provisioned capacity hours or on-demand request
//! units, storage, and replicated writes for global-table replicas.
//!
//! Defaults assumed when the plan does not say:
//! - `billing_mode`: `PROVISIONED` (the provider's default);
//! - `read_capacity` / `write_capacity`: 0 when absent (nothing provisioned);
//! - each `replica` block is billed replicated writes in its own region, at
//!   the table's write capacity (provisioned) or its write request units (on-demand).
//!
//! Usage: `storage_gb`, `monthly_read_request_units`, `monthly_write_request_units`.

use crate::cost::{Attrs, ComponentSpec, Ctx, PriceFilter, Priced};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let on_demand = attrs.str("billing_mode") == Some("PAY_PER_REQUEST");
    let filter = |family: &'static str, region: &str, usagetype: &str, unit: &'static str| {
        PriceFilter::aws("AmazonDynamoDB", family, region, unit).attr("usagetype", usagetype)
    };
    let writes = ctx.usage.decimal("monthly_write_request_units");
    let wcu = attrs.decimal("write_capacity").unwrap_or(Decimal::ZERO);
    if on_demand {
        let per_request = "Amazon DynamoDB PayPerRequest Throughput";
        p.push(
            ComponentSpec::usage(
                "Write request unit (WRU)",
                "1M WRU",
                writes,
                filter(
                    per_request,
                    ctx.region,
                    "WriteRequestUnits",
                    "WriteRequestUnits",
                ),
            )
            .per(dec!(1000000)),
        );
        p.push(
            ComponentSpec::usage(
                "Read request unit (RRU)",
                "1M RRU",
                ctx.usage.decimal("monthly_read_request_units"),
                filter(
                    per_request,
                    ctx.region,
                    "ReadRequestUnits",
                    "ReadRequestUnits",
                ),
            )
            .per(dec!(1000000)),
        );
    } else {
        p.push(ComponentSpec::hourly(
            "Write capacity unit (WCU)",
            "WCU",
            wcu,
            filter(
                "Provisioned IOPS",
                ctx.region,
                "WriteCapacityUnit-Hrs",
                "WriteCapacityUnit-Hrs",
            ),
        ));
        p.push(ComponentSpec::hourly(
            "Read capacity unit (RCU)",
            "RCU",
            attrs.decimal("read_capacity").unwrap_or(Decimal::ZERO),
            filter(
                "Provisioned IOPS",
                ctx.region,
                "ReadCapacityUnit-Hrs",
                "ReadCapacityUnit-Hrs",
            ),
        ));
    }
    p.push(ComponentSpec::usage(
        "Data storage",
        "GB",
        ctx.usage.decimal("storage_gb"),
        filter(
            "Database Storage",
            ctx.region,
            "TimedStorage-ByteHrs",
            "GB-Mo",
        ),
    ));
    for replica in attrs.blocks("replica") {
        let Some(region) = replica.str("region_name") else {
            continue;
        };
        let name = format!("Replicated write ({region})");
        let replicated = "DDB-Operation-ReplicatedWrite";
        p.push(if on_demand {
            ComponentSpec::usage(
                name,
                "1M rWRU",
                writes,
                filter(
                    replicated,
                    region,
                    "ReplWriteRequestUnits",
                    "ReplicatedWriteRequestUnits",
                ),
            )
            .per(dec!(1000000))
        } else {
            ComponentSpec::hourly(
                name,
                "rWCU",
                wcu,
                filter(
                    replicated,
                    region,
                    "ReplWriteCapacityUnit-Hrs",
                    "ReplicatedWriteCapacityUnit-Hrs",
                ),
            )
        });
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
    fn on_demand_prices_request_units_per_million() {
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
        assert_eq!(w.monthly_quantity, Some(dec!(4)));
        assert_eq!(w.price, Some(dec!(0.715)));
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
        assert_eq!(w.hourly_quantity, Some(dec!(5)));
        assert!(
            w.price_filter
                .to_string()
                .contains("usagetype=WriteCapacityUnit-Hrs")
        );
        // us-east-1: 5 WCU × 0.00065 $/h × 730 h = 2.3725
        assert_eq!(w.status, ComponentStatus::Priced);
        assert_eq!(w.monthly_cost, Some(dec!(2.3725)));
        let rcu = component(&r, "Read capacity unit (RCU)");
        assert_eq!(rcu.hourly_quantity, Some(dec!(10)));
        // 10 RCU × 0.00013 $/h × 730 h = 0.949
        assert_eq!(rcu.monthly_cost, Some(dec!(0.949)));
        // Storage tiers: first 25 GB at $0, then 100 GB × 0.25 $ = 25.
        let free = component(&r, "Data storage (first 25 GB)");
        assert_eq!(free.monthly_cost, Some(dec!(0)));
        let paid = component(&r, "Data storage (over 25 GB)");
        assert_eq!(paid.monthly_quantity, Some(dec!(100)));
        assert_eq!(paid.monthly_cost, Some(dec!(25)));
        // 2.3725 + 0.949 + 25
        assert_eq!(r.monthly_cost, Some(dec!(28.3215)));
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
        let eu = component(&r, "Replicated write (eu-west-1)");
        assert_eq!(eu.hourly_quantity, Some(dec!(3)));
        assert!(eu.price_filter.to_string().contains("in eu-west-1"));
        component(&r, "Replicated write (ap-southeast-1)");
    }
}
