//! `aws_rds_cluster_instance`: Aurora instance hours by class and engine.
//! Cluster storage and I/O belong to the cluster, not to its instances.
//!
//! Defaults assumed when the plan does not say:
//! - `engine`: `aurora-mysql` (noted); `aurora` (Aurora MySQL 1) prices as Aurora MySQL;
//! - Aurora Standard (not I/O-Optimized) instance prices.

use crate::cost::{Attrs, ComponentSpec, Ctx, PriceFilter, Priced};
use rust_decimal::Decimal;

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let engine = attrs.str("engine").unwrap_or_else(|| {
        p.note("engine unknown; assumed aurora-mysql");
        "aurora-mysql"
    });
    let database_engine = match engine {
        "aurora-postgresql" => "Aurora PostgreSQL",
        "aurora" | "aurora-mysql" => "Aurora MySQL",
        other => other,
    };
    let class = attrs.str("instance_class").unwrap_or("unknown");
    p.push(ComponentSpec::hourly(
        format!("Database instance (on-demand, {class})"),
        "hours",
        Decimal::ONE,
        PriceFilter::aws("AmazonRDS", "Database Instance", ctx.region, "Hrs")
            .attr("instanceType", class)
            .attr("databaseEngine", database_engine)
            .attr("deploymentOption", "Single-AZ"),
    ));
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    #[test]
    fn aurora_mysql_and_postgresql_instance_hours() {
        let m = price(
            "aws_rds_cluster_instance",
            json!({"engine": "aurora-mysql", "instance_class": "db.r5.12xlarge"}),
            "eu-west-1",
            None,
        );
        // 7.68 $/h × 730 h = 5606.4
        assert_eq!(
            component(&m, "Database instance (on-demand, db.r5.12xlarge)").monthly_cost,
            Some(dec!(5606.4))
        );
        let pg = price(
            "aws_rds_cluster_instance",
            json!({"engine": "aurora-postgresql", "instance_class": "db.r5.12xlarge"}),
            "us-east-1",
            None,
        );
        // 6.96 $/h × 730 h = 5080.8
        assert_eq!(pg.monthly_cost, Some(dec!(5080.8)));
        assert!(
            component(&pg, "Database instance (on-demand, db.r5.12xlarge)")
                .price_filter
                .to_string()
                .contains("databaseEngine=Aurora PostgreSQL")
        );
    }
}
