//! `aws_lb` and `aws_alb`: an hourly charge per load balancer plus load
//! balancer capacity units (LCU for application, NLCU for network, GLCU for
//! gateway load balancers), all priced under AWSELB "LCUUsage".
//!
//! The usage file gives Infracost's keys with Infracost's meaning, so a file
//! written for Infracost gives the same figures here. Infracost divides each
//! key by the capacity one LCU buys and bills the largest result as the
//! month's LCU-hours (it does not multiply by 730), shown in "LCU" with the
//! price per LCU-month (hourly price × 730):
//!
//! | key | per LCU-hour |
//! |---|---|
//! | `new_connections` | 100 |
//! | `active_connections` | 3,000 |
//! | `processed_bytes_gb` | 1 |
//! | `rule_evaluations` (application only, and only next to another key) | 1,000 |
//!
//! The same divisors apply to network and gateway load balancers, as in
//! Infracost (`internal/resources/aws/lb.go`). Golden check: 10,000 new, 1,000
//! active, 1,000 GB, 300 rules → max(100, 0.33, 1000, 0.3) = 1,000 LCU-hours →
//! 1.3699 LCU × $5.84 = $8.00 (application, us-east-1).
//!
//! Defaults: `load_balancer_type` absent means `application` (the provider's
//! default); without any of the keys above the LCU line is usage-based.

use crate::cost::{Attrs, ComponentSpec, Ctx, HOURS_PER_MONTH, PriceFilter, Priced, Usage};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

/// What one capacity unit buys, per Infracost's reading of the usage keys.
const NEW_CONNECTIONS_PER_LCU: Decimal = dec!(100);
const ACTIVE_CONNECTIONS_PER_LCU: Decimal = dec!(3000);
const GB_PER_LCU: Decimal = Decimal::ONE;
const RULE_EVALUATIONS_PER_LCU: Decimal = dec!(1000);

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let (family, name, application) = match attrs.str("load_balancer_type") {
        Some("network") => ("Load Balancer-Network", "Network load balancer", false),
        Some("gateway") => ("Load Balancer-Gateway", "Gateway load balancer", false),
        other => {
            if let Some(t) = other.filter(|t| *t != "application") {
                p.note(format!(
                    "load_balancer_type `{t}` is not known; priced as an application load balancer"
                ));
            }
            (
                "Load Balancer-Application",
                "Application load balancer",
                true,
            )
        }
    };
    let filter = |usagetype: &str, unit| {
        PriceFilter::aws("AWSELB", family, ctx.region, unit).attr("usagetype", usagetype)
    };
    p.push(ComponentSpec::hourly(
        name,
        "hours",
        Decimal::ONE,
        filter("LoadBalancerUsage", "Hrs"),
    ));
    p.push(
        ComponentSpec::usage(
            "Load balancer capacity units",
            "LCU",
            lcu_hours(&ctx.usage, application),
            filter("LCUUsage", "LCU-Hrs"),
        )
        .per(HOURS_PER_MONTH),
    );
    p
}

/// LCU-hours in the month: the largest dimension in capacity units; `None`
/// when the usage file gives none. Rule evaluations count only for
/// application load balancers and only next to another dimension (Infracost).
fn lcu_hours(usage: &Usage, application: bool) -> Option<Decimal> {
    let max = [
        (usage.decimal("new_connections"), NEW_CONNECTIONS_PER_LCU),
        (
            usage.decimal("active_connections"),
            ACTIVE_CONNECTIONS_PER_LCU,
        ),
        (usage.decimal("processed_bytes_gb"), GB_PER_LCU),
    ]
    .into_iter()
    .filter_map(|(value, per_lcu)| value.map(|v| v / per_lcu))
    .max()?;
    let rules = usage
        .decimal("rule_evaluations")
        .filter(|_| application)
        .map(|v| v / RULE_EVALUATIONS_PER_LCU);
    Some(rules.map_or(max, |r| r.max(max)))
}

#[cfg(test)]
mod tests {
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    /// Infracost's `lb_test` golden (us-east-1): `alb1_usage` and `nlb1_usage`
    /// with 10,000 new connections, 1,000 active, 1,000 GB (and 300 rule
    /// evaluations on the ALB) bill 1,000 LCU-hours: 1.3699 LCU × $5.84 = $8.00
    /// and × $4.38 = $6.00.
    #[test]
    fn lcus_match_infracosts_golden() {
        let usage = "version: 0.1\nresource_usage:\n  aws_lb.test:\n    new_connections: 10000\n    active_connections: 1000\n    processed_bytes_gb: 1000\n    rule_evaluations: 300\n";
        let alb = price(
            "aws_lb",
            json!({"load_balancer_type": "application"}),
            "us-east-1",
            Some(usage),
        );
        let lcu = component(&alb, "Load balancer capacity units");
        assert_eq!(lcu.unit, "LCU");
        assert_eq!(lcu.price, Some(dec!(5.84)));
        assert_eq!(lcu.monthly_cost, Some(dec!(8.00)));
        assert_eq!(
            lcu.monthly_quantity.map(|q| q.round_dp(4)),
            Some(dec!(1.3699))
        );
        let nlb = price(
            "aws_lb",
            json!({"load_balancer_type": "network"}),
            "us-east-1",
            Some(usage),
        );
        assert_eq!(
            component(&nlb, "Load balancer capacity units").monthly_cost,
            Some(dec!(6.00))
        );
    }

    #[test]
    fn application_is_the_default_and_lcus_take_the_largest_dimension() {
        let usage = "version: 0.1\nresource_usage:\n  aws_lb.test:\n    new_connections: 50\n    active_connections: 6000\n    processed_bytes_gb: 0.5\n    rule_evaluations: 2500\n";
        let r = price(
            "aws_lb",
            json!({"internal": false}),
            "us-east-1",
            Some(usage),
        );
        // LCU-hours = max(50/100, 6000/3000, 0.5/1, 2500/1000) = 2.5; × $0.008 = $0.02.
        // 730 h × $0.0225 = $16.425; total $16.445.
        assert_eq!(
            component(&r, "Application load balancer").monthly_cost,
            Some(dec!(16.425))
        );
        let lcu = component(&r, "Load balancer capacity units");
        assert_eq!(lcu.monthly_cost, Some(dec!(0.02)));
        assert_eq!(r.monthly_cost, Some(dec!(16.445)));
        // Rule evaluations alone do not bill (Infracost counts them only next
        // to another dimension): the line stays usage-based.
        let rules_only =
            "version: 0.1\nresource_usage:\n  aws_lb.test:\n    rule_evaluations: 2500\n";
        let r = price("aws_lb", json!({}), "us-east-1", Some(rules_only));
        assert_eq!(
            component(&r, "Load balancer capacity units").status,
            ComponentStatus::UsageMissing
        );
    }

    #[test]
    fn aws_alb_is_the_same_resource() {
        let r = price(
            "aws_alb",
            json!({"load_balancer_type": "application"}),
            "us-east-1",
            None,
        );
        // 730 h × $0.0225 = $16.425; LCUs usage-based.
        assert_eq!(r.monthly_cost, Some(dec!(16.425)));
        let lcu = component(&r, "Load balancer capacity units");
        assert_eq!(lcu.status, ComponentStatus::UsageMissing);
        assert_eq!(lcu.price, Some(dec!(5.84)));
    }

    #[test]
    fn network_load_balancer_ignores_rule_evaluations() {
        let usage = "version: 0.1\nresource_usage:\n  aws_lb.test:\n    new_connections: 1600\n    active_connections: 3000\n    processed_bytes_gb: 3\n    rule_evaluations: 100000\n";
        let r = price(
            "aws_lb",
            json!({"load_balancer_type": "network"}),
            "ap-northeast-1",
            Some(usage),
        );
        // NLCU-hours = max(1600/100, 3000/3000, 3/1) = 16 (rule evaluations do
        // not apply to NLBs); 16 × $0.006 = $0.096.
        // 730 h × $0.0243 = $17.739; total $17.835.
        assert_eq!(
            component(&r, "Network load balancer").monthly_cost,
            Some(dec!(17.739))
        );
        assert_eq!(
            component(&r, "Load balancer capacity units").monthly_cost,
            Some(dec!(0.096))
        );
        assert_eq!(r.monthly_cost, Some(dec!(17.835)));
    }

    #[test]
    fn gateway_load_balancer_without_usage() {
        let r = price(
            "aws_lb",
            json!({"load_balancer_type": "gateway"}),
            "us-east-1",
            None,
        );
        // 730 h × $0.0125 = $9.125; GLCUs usage-based at $0.004 × 730 = $2.92 per GLCU-month.
        assert_eq!(r.monthly_cost, Some(dec!(9.125)));
        assert_eq!(
            component(&r, "Load balancer capacity units").price,
            Some(dec!(2.92))
        );
    }
}
