//! `aws_neptune_cluster_instance`: Neptune instance hours by instance class,
//! at the I/O-Optimized rate when the instance's cluster has `storage_type =
//! iopt1`, plus CPU credits for burstable `db.t3`/`db.t4g` classes.
//!
//! Usage (Infracost's key): `monthly_cpu_credit_hrs`. Infracost reads it as
//! vCPU-hours per hour (10 means 7,300 vCPU-hours a month); it is read the
//! same way here so both give the same figure. Without it the line is
//! usage-based.

use crate::cost::{Attrs, ComponentSpec, Ctx, HOURS_PER_MONTH, PriceFilter, Priced};
use rust_decimal::Decimal;

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let class = attrs
        .str("instance_class")
        .unwrap_or("unknown")
        .to_ascii_lowercase();
    let io_optimized = ctx
        .referenced(&["cluster_identifier"])
        .and_then(|c| c.str("storage_type"))
        .is_some_and(|s| s.eq_ignore_ascii_case("iopt1"));
    let prefix = if io_optimized {
        "InstanceUsageIOOptimized"
    } else {
        "InstanceUsage"
    };
    p.push(ComponentSpec::hourly(
        format!("Database instance (on-demand, {class})"),
        "hours",
        Decimal::ONE,
        PriceFilter::aws("AmazonNeptune", "Database Instance", ctx.region, "Hrs")
            .attr("usagetype", format!("{prefix}:{class}")),
    ));
    let family = ["db.t3", "db.t4g"]
        .into_iter()
        .find(|f| class.starts_with(&format!("{f}.")));
    if let Some(family) = family {
        let credits = ctx
            .usage
            .decimal("monthly_cpu_credit_hrs")
            .and_then(|h| p.mul("monthly_cpu_credit_hrs × 730", h, HOURS_PER_MONTH));
        p.push(ComponentSpec::usage(
            "CPU credits",
            "vCPU-hours",
            credits,
            PriceFilter::aws("AmazonNeptune", "CPU Credits", ctx.region, "vCPU-Hours")
                .attr("usagetype", format!("CPUCredits:{family}")),
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
    fn burstable_instance_with_cpu_credits() {
        let usage = "version: 0.1\nresource_usage:\n  aws_neptune_cluster_instance.test:\n    monthly_cpu_credit_hrs: 10\n";
        let r = price(
            "aws_neptune_cluster_instance",
            json!({"instance_class": "db.t3.medium"}),
            "eu-west-2",
            Some(usage),
        );
        // 730 h × $0.112 = $81.76; 10 × 730 = 7,300 vCPU-h × $0.15 = $1,095.
        assert_eq!(
            component(&r, "Database instance (on-demand, db.t3.medium)").monthly_cost,
            Some(dec!(81.76))
        );
        let c = component(&r, "CPU credits");
        assert_eq!(c.monthly_quantity, Some(dec!(7300)));
        assert_eq!(c.monthly_cost, Some(dec!(1095)));
    }

    #[test]
    fn memory_instance_and_missing_usage() {
        let r = price(
            "aws_neptune_cluster_instance",
            json!({"instance_class": "db.r4.large"}),
            "eu-west-2",
            None,
        );
        // 730 h × $0.408 = $297.84.
        assert_eq!(r.cost_components.len(), 1);
        assert_eq!(r.monthly_cost, Some(dec!(297.84)));
        let r = price(
            "aws_neptune_cluster_instance",
            json!({"instance_class": "db.t3.medium"}),
            "eu-west-2",
            None,
        );
        assert_eq!(
            component(&r, "CPU credits").status,
            ComponentStatus::UsageMissing
        );
    }
}
