//! `aws_rds_cluster_instance`: Aurora instance hours by class and engine, as
//! Infracost lists them. Cluster storage and I/O belong to the cluster
//! (`aws_rds_cluster`), not to its instances.
//!
//! - `db.serverless` (Aurora Serverless v2) bills ACU-hours instead of
//!   instance hours: `capacity_units_per_hr` × 730, "(I/O-optimized)" when
//!   the instance's cluster has `storage_type = "aurora-iopt1"`.
//! - Reserved: `reserved_instance_term` and `reserved_instance_payment_option`
//!   price the hours at that reserved rate ("Database instance (reserved, …)").
//! - Burstable classes (db.t3, db.t4g) list "CPU credits" when
//!   `monthly_cpu_credit_hrs` is above 0: those hours × `vcpu_count` (else the
//!   class's vCPUs).
//! - Performance Insights (`performance_insights_enabled`): retention beyond
//!   the free 7 days lists "Performance Insights Long Term Retention" per vCPU
//!   (per ACU for serverless); "Performance Insights API" requests beyond the
//!   free allowance come from `monthly_additional_performance_insights_requests`
//!   (listed usage-based without it, left out when it is 0).
//!
//! Defaults assumed when the plan does not say:
//! - `engine`: `aurora-mysql` (noted); `aurora` (Aurora MySQL 1) prices as Aurora MySQL;
//! - Aurora Standard (not I/O-Optimized) instance prices.
//!
//! Usage: `capacity_units_per_hr`, `monthly_cpu_credit_hrs`, `vcpu_count`,
//! `monthly_additional_performance_insights_requests`,
//! `reserved_instance_term`, `reserved_instance_payment_option`.

use crate::cost::{Attrs, ComponentSpec, Ctx, PriceFilter, Priced};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

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
    let serverless = class == "db.serverless";
    let capacity_units = ctx.usage.decimal("capacity_units_per_hr");
    if serverless {
        let io_optimized = ctx
            .referenced(&["cluster_identifier"])
            .and_then(|cluster| cluster.str("storage_type").map(|t| t == "aurora-iopt1"))
            .unwrap_or(false);
        let (name, usagetype) = if io_optimized {
            (
                "Aurora serverless v2 (I/O-optimized)",
                "Aurora:ServerlessV2IOOptimizedUsage",
            )
        } else {
            ("Aurora serverless v2", "Aurora:ServerlessV2Usage")
        };
        let acu_hours = capacity_units.and_then(|acu| p.mul("ACU-hours", acu, dec!(730)));
        p.push(ComponentSpec::usage(
            name,
            "ACU-hours",
            acu_hours,
            PriceFilter::aws("AmazonRDS", "ServerlessV2", ctx.region, "ACU-Hr")
                .attr("databaseEngine", database_engine)
                .attr("usagetype", usagetype),
        ));
    } else {
        let instance = ComponentSpec::hourly(
            format!("Database instance (on-demand, {class})"),
            "hours",
            Decimal::ONE,
            PriceFilter::aws("AmazonRDS", "Database Instance", ctx.region, "Hrs")
                .attr("instanceType", class)
                .attr("databaseEngine", database_engine)
                .attr("deploymentOption", "Single-AZ"),
        );
        let instance = match super::db_instance::reserved_option(ctx, &mut p.notes) {
            Some(option) => super::instance::reserved(instance, option),
            None => instance,
        };
        p.push(instance);
    }
    let vcpus = super::db_instance::vcpus(class);
    if let Some(family) = burstable_family(class) {
        let hours = ctx
            .usage
            .decimal("monthly_cpu_credit_hrs")
            .unwrap_or(Decimal::ZERO);
        if hours > Decimal::ZERO {
            let count = ctx.usage.decimal("vcpu_count").or(vcpus);
            let quantity = count.and_then(|n| p.mul("CPU credits", n, hours));
            p.push(ComponentSpec::usage(
                "CPU credits",
                "vCPU-hours",
                quantity,
                PriceFilter::aws("AmazonRDS", "CPU Credits", ctx.region, "vCPU-Hr")
                    .attr("databaseEngine", database_engine)
                    .attr("usagetype", format!("CPUCredits:{family}")),
            ));
        }
    }
    if attrs.bool("performance_insights_enabled").unwrap_or(false) {
        let retention = attrs
            .decimal("performance_insights_retention_period")
            .unwrap_or(dec!(7));
        if retention > dec!(7) {
            p.push(super::db_instance::performance_insights_retention(
                ctx,
                class,
                serverless.then_some(capacity_units),
            ));
        }
        if let Some(api) = super::db_instance::performance_insights_api(ctx) {
            p.push(api);
        }
    }
    p
}

/// `db.t3.medium` → `db.t3`: the burstable families whose CPU credits RDS bills.
fn burstable_family(class: &str) -> Option<&str> {
    ["db.t3", "db.t4g"].into_iter().find(|f| {
        class
            .strip_prefix(f)
            .is_some_and(|rest| rest.starts_with('.'))
    })
}

#[cfg(test)]
mod tests {
    use crate::cost::ComponentStatus;
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
    /// Infracost's `rds_cluster_instance_test` golden (us-east-1):
    /// `capacity_units_per_hr: 5` on `db.serverless` is 5 × 730 = 3,650
    /// ACU-hours × $0.12 = $438.00 instead of instance hours; Performance
    /// Insights with 731 days' retention adds 5 ACUs × $0.375 = $1.875 and the
    /// API line (usage-based without requests).
    #[test]
    fn serverless_v2_bills_acu_hours_and_retention_per_acu() {
        let usage = "version: 0.1\nresource_usage:\n  aws_rds_cluster_instance.test:\n    capacity_units_per_hr: 5\n";
        let r = price(
            "aws_rds_cluster_instance",
            json!({"engine": "aurora-mysql", "instance_class": "db.serverless",
                   "performance_insights_enabled": true,
                   "performance_insights_retention_period": 731}),
            "us-east-1",
            Some(usage),
        );
        let acu = component(&r, "Aurora serverless v2");
        assert_eq!(acu.unit, "ACU-hours");
        assert_eq!(acu.monthly_quantity, Some(dec!(3650)));
        assert_eq!(acu.monthly_cost, Some(dec!(438)));
        let ltr = component(&r, "Performance Insights Long Term Retention (serverless)");
        assert_eq!(ltr.unit, "ACUs");
        assert_eq!(ltr.monthly_cost, Some(dec!(1.875)));
        let api = component(&r, "Performance Insights API");
        assert_eq!(api.status, ComponentStatus::UsageMissing);
        assert!(
            r.cost_components
                .iter()
                .all(|c| !c.name.starts_with("Database instance"))
        );
    }

    /// Reserved rates from the usage file (db.r4.large Aurora MySQL 1-year
    /// no upfront: 730 h × $0.19 = $138.70), and CPU credits for a burstable
    /// class: 24 h × `vcpu_count` 2 = 48 vCPU-hours × $0.09 = $4.32; without
    /// `vcpu_count` the class's 2 vCPUs (db.t3.large: 30 h → 60 × $0.09).
    #[test]
    fn reserved_rates_and_cpu_credits_from_the_usage_file() {
        let usage = "version: 0.1\nresource_usage:\n  aws_rds_cluster_instance.test:\n    reserved_instance_term: 1_year\n    reserved_instance_payment_option: no_upfront\n";
        let r = price(
            "aws_rds_cluster_instance",
            json!({"engine": "aurora-mysql", "instance_class": "db.r4.large"}),
            "us-east-1",
            Some(usage),
        );
        let i = component(&r, "Database instance (reserved, db.r4.large)");
        assert_eq!(i.monthly_cost, Some(dec!(138.7)));
        let usage = "version: 0.1\nresource_usage:\n  aws_rds_cluster_instance.test:\n    monthly_cpu_credit_hrs: 24\n    vcpu_count: 2\n";
        let t3 = price(
            "aws_rds_cluster_instance",
            json!({"engine": "aurora-mysql", "instance_class": "db.t3.medium"}),
            "us-east-1",
            Some(usage),
        );
        let credits = component(&t3, "CPU credits");
        assert_eq!(credits.monthly_quantity, Some(dec!(48)));
        assert_eq!(credits.monthly_cost, Some(dec!(4.32)));
        let usage = "version: 0.1\nresource_usage:\n  aws_rds_cluster_instance.test:\n    monthly_cpu_credit_hrs: 30\n";
        let large = price(
            "aws_rds_cluster_instance",
            json!({"engine": "aurora-mysql", "instance_class": "db.t3.large"}),
            "us-east-1",
            Some(usage),
        );
        assert_eq!(
            component(&large, "CPU credits").monthly_quantity,
            Some(dec!(60))
        );
        // No credit hours: no CPU credits line, as in Infracost.
        let none = price(
            "aws_rds_cluster_instance",
            json!({"engine": "aurora-mysql", "instance_class": "db.t3.large"}),
            "us-east-1",
            None,
        );
        assert!(none.cost_components.iter().all(|c| c.name != "CPU credits"));
    }

    /// Provisioned classes bill retention per vCPU at their family's rate
    /// (db.r4.8xlarge: 32 vCPU × $5.184 = $165.888).
    #[test]
    fn performance_insights_retention_per_vcpu() {
        let r = price(
            "aws_rds_cluster_instance",
            json!({"engine": "aurora-mysql", "instance_class": "db.r4.8xlarge",
                   "performance_insights_enabled": true,
                   "performance_insights_retention_period": 731}),
            "us-east-1",
            None,
        );
        let ltr = component(
            &r,
            "Performance Insights Long Term Retention (db.r4.8xlarge)",
        );
        assert_eq!(ltr.unit, "vCPU-month");
        assert_eq!(ltr.monthly_quantity, Some(dec!(32)));
        assert_eq!(ltr.monthly_cost, Some(dec!(165.888)));
    }
}
