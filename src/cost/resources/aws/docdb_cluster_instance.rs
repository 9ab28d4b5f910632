//! `aws_docdb_cluster_instance`: DocumentDB instance hours by instance class,
//! plus storage and I/O (billed per cluster, shown per instance as Infracost
//! does), plus CPU credits for burstable `db.t3` classes.
//!
//! Usage (Infracost's keys): `data_storage_gb`, `monthly_io_requests`,
//! `monthly_cpu_credit_hrs` (vCPU-hours a month); lines without them stay
//! usage-based.

use crate::cost::{Attrs, ComponentSpec, Ctx, PriceFilter, Priced};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let class = attrs.str("instance_class").unwrap_or("unknown");
    p.push(ComponentSpec::hourly(
        format!("Database instance (on-demand, {class})"),
        "hours",
        Decimal::ONE,
        PriceFilter::aws("AmazonDocDB", "Database Instance", ctx.region, "Hrs")
            .attr("instanceType", class),
    ));
    p.push(ComponentSpec::usage(
        "Storage",
        "GB",
        ctx.usage.decimal("data_storage_gb"),
        PriceFilter::aws("AmazonDocDB", "Database Storage", ctx.region, "GB-Mo")
            .attr("usagetype", "StorageUsage"),
    ));
    p.push(
        ComponentSpec::usage(
            "I/O requests",
            "1M requests",
            ctx.usage.decimal("monthly_io_requests"),
            PriceFilter::aws("AmazonDocDB", "System Operation", ctx.region, "IOs")
                .attr("usagetype", "StorageIOUsage"),
        )
        .per(dec!(1000000)),
    );
    if class.starts_with("db.t3.") {
        p.push(ComponentSpec::usage(
            "CPU credits",
            "vCPU-hours",
            ctx.usage.decimal("monthly_cpu_credit_hrs"),
            PriceFilter::aws("AmazonDocDB", "CPU Credits", ctx.region, "vCPU-Hours")
                .attr("usagetype", "CPUCredits:db.t3"),
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
    fn burstable_instance_with_usage() {
        let usage = "version: 0.1\nresource_usage:\n  aws_docdb_cluster_instance.test:\n    data_storage_gb: 1000\n    monthly_io_requests: 10000000\n    monthly_cpu_credit_hrs: 10\n";
        let r = price(
            "aws_docdb_cluster_instance",
            json!({"instance_class": "db.t3.medium"}),
            "us-east-1",
            Some(usage),
        );
        // 730 h × $0.078 = $56.94; 1,000 GB × $0.10 = $100; 10M × $0.20/1M = $2;
        // 10 vCPU-h × $0.09 = $0.90.
        assert_eq!(
            component(&r, "Database instance (on-demand, db.t3.medium)").monthly_cost,
            Some(dec!(56.94))
        );
        assert_eq!(component(&r, "Storage").monthly_cost, Some(dec!(100)));
        assert_eq!(component(&r, "I/O requests").monthly_cost, Some(dec!(2)));
        assert_eq!(component(&r, "CPU credits").monthly_cost, Some(dec!(0.9)));
        assert_eq!(r.monthly_cost, Some(dec!(159.84)));
    }

    #[test]
    fn memory_optimized_instance_has_no_cpu_credits() {
        let r = price(
            "aws_docdb_cluster_instance",
            json!({"instance_class": "db.r5.4xlarge"}),
            "us-east-1",
            None,
        );
        // 730 h × $2.216 = $1,617.68.
        assert_eq!(
            component(&r, "Database instance (on-demand, db.r5.4xlarge)").monthly_cost,
            Some(dec!(1617.68))
        );
        assert_eq!(r.cost_components.len(), 3);
        assert_eq!(
            component(&r, "Storage").status,
            ComponentStatus::UsageMissing
        );
    }
}
