//! `aws_lb` and `aws_alb`: an hourly charge per load balancer plus load
//! balancer capacity units (LCU for application, NLCU for network, GLCU for
//! gateway load balancers), all priced under AWSELB "LCUUsage".
//!
//! LCUs bill the largest of their dimensions each hour, so the usage file gives
//! the average traffic per hour with Infracost's keys and driftcost converts
//! it with AWS's published capacity of one LCU:
//!
//! | key | meaning | application | network (TCP) | gateway |
//! |---|---|---|---|---|
//! | `new_connections` | new connections (flows) per second | 25 | 800 | 600 |
//! | `active_connections` | active connections (flows) per minute | 3,000 | 100,000 | 60,000 |
//! | `processed_bytes_gb` | GB processed per hour | 1 | 1 | 1 |
//! | `rule_evaluations` | rule evaluations per second (application only) | 1,000 | - | - |
//!
//! LCU-hours per month = max(dimension ÷ capacity) × 730.
//!
//! Defaults: `load_balancer_type` absent means `application` (the provider's
//! default); without any of the keys above the LCU line is usage-based.
//! NLB TLS listeners have smaller capacities (50 new / 3,000 active per NLCU)
//! that the plan does not show on the load balancer, so TCP is assumed.

use crate::cost::{Attrs, ComponentSpec, Ctx, HOURS_PER_MONTH, PriceFilter, Priced, Usage};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

/// What one capacity unit buys per hour for one kind of load balancer.
struct Capacity {
    new_per_second: Decimal,
    active_per_minute: Decimal,
    gb_per_hour: Decimal,
    rule_evaluations_per_second: Option<Decimal>,
}

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let (family, name, capacity) = match attrs.str("load_balancer_type") {
        Some("network") => (
            "Load Balancer-Network",
            "Network load balancer",
            Capacity {
                new_per_second: dec!(800),
                active_per_minute: dec!(100000),
                gb_per_hour: Decimal::ONE,
                rule_evaluations_per_second: None,
            },
        ),
        Some("gateway") => (
            "Load Balancer-Gateway",
            "Gateway load balancer",
            Capacity {
                new_per_second: dec!(600),
                active_per_minute: dec!(60000),
                gb_per_hour: Decimal::ONE,
                rule_evaluations_per_second: None,
            },
        ),
        other => {
            if let Some(t) = other.filter(|t| *t != "application") {
                p.note(format!(
                    "load_balancer_type `{t}` is not known; priced as an application load balancer"
                ));
            }
            (
                "Load Balancer-Application",
                "Application load balancer",
                Capacity {
                    new_per_second: dec!(25),
                    active_per_minute: dec!(3000),
                    gb_per_hour: Decimal::ONE,
                    rule_evaluations_per_second: Some(dec!(1000)),
                },
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
    let lcu_hours = lcu_per_hour(&ctx.usage, &capacity).and_then(|lcu| {
        p.mul(
            "load balancer usage (LCUs × 730 hours)",
            lcu,
            HOURS_PER_MONTH,
        )
    });
    p.push(ComponentSpec::usage(
        "Load balancer capacity units",
        "LCU-hours",
        lcu_hours,
        filter("LCUUsage", "LCU-Hrs"),
    ));
    p
}

/// The largest dimension in capacity units; `None` when the usage file gives none.
fn lcu_per_hour(usage: &Usage, capacity: &Capacity) -> Option<Decimal> {
    let mut dims = vec![
        (usage.decimal("new_connections"), capacity.new_per_second),
        (
            usage.decimal("active_connections"),
            capacity.active_per_minute,
        ),
        (usage.decimal("processed_bytes_gb"), capacity.gb_per_hour),
    ];
    if let Some(per_lcu) = capacity.rule_evaluations_per_second {
        dims.push((usage.decimal("rule_evaluations"), per_lcu));
    }
    dims.into_iter()
        .filter_map(|(value, per_lcu)| value.map(|v| v / per_lcu))
        .max()
}

#[cfg(test)]
mod tests {
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    #[test]
    fn application_is_the_default_and_lcus_take_the_largest_dimension() {
        let usage = "version: 0.1\nresource_usage:\n  aws_lb.test:\n    new_connections: 50\n    active_connections: 3000\n    processed_bytes_gb: 0.5\n    rule_evaluations: 500\n";
        let r = price(
            "aws_lb",
            json!({"internal": false}),
            "us-east-1",
            Some(usage),
        );
        // LCU/h = max(50/25, 3000/3000, 0.5/1, 500/1000) = 2; 2 × 730 = 1460 LCU-hours.
        // 730 h × $0.0225 = $16.425; 1460 × $0.008 = $11.68; total $28.105.
        assert_eq!(
            component(&r, "Application load balancer").monthly_cost,
            Some(dec!(16.425))
        );
        let lcu = component(&r, "Load balancer capacity units");
        assert_eq!(lcu.monthly_quantity, Some(dec!(1460)));
        assert_eq!(lcu.monthly_cost, Some(dec!(11.68)));
        assert_eq!(r.monthly_cost, Some(dec!(28.105)));
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
        assert_eq!(lcu.price, Some(dec!(0.008)));
    }

    #[test]
    fn network_load_balancer_uses_nlcu_capacity_and_price() {
        let usage = "version: 0.1\nresource_usage:\n  aws_lb.test:\n    new_connections: 1600\n    active_connections: 100000\n    processed_bytes_gb: 3\n    rule_evaluations: 100000\n";
        let r = price(
            "aws_lb",
            json!({"load_balancer_type": "network"}),
            "ap-northeast-1",
            Some(usage),
        );
        // NLCU/h = max(1600/800, 100000/100000, 3/1) = 3 (rule evaluations do not
        // apply to NLBs); 3 × 730 = 2190 NLCU-hours × $0.006 = $13.14.
        // 730 h × $0.0243 = $17.739; total $30.879.
        assert_eq!(
            component(&r, "Network load balancer").monthly_cost,
            Some(dec!(17.739))
        );
        assert_eq!(
            component(&r, "Load balancer capacity units").monthly_cost,
            Some(dec!(13.14))
        );
        assert_eq!(r.monthly_cost, Some(dec!(30.879)));
    }

    #[test]
    fn gateway_load_balancer_without_usage() {
        let r = price(
            "aws_lb",
            json!({"load_balancer_type": "gateway"}),
            "us-east-1",
            None,
        );
        // 730 h × $0.0125 = $9.125; GLCUs usage-based at $0.004.
        assert_eq!(r.monthly_cost, Some(dec!(9.125)));
        assert_eq!(
            component(&r, "Load balancer capacity units").price,
            Some(dec!(0.004))
        );
    }
}
