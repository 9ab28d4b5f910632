//! `google_compute_forwarding_rule` and `google_compute_global_forwarding_rule`:
//! a load-balancing forwarding rule billed per hour, plus ingress data
//! processed from the usage file (`monthly_ingress_data_gb`), as Infracost
//! prices both types.

use super::filter;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};
use rust_decimal::Decimal;

pub(crate) fn price(_attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let lb = |description: &'static str, unit: &'static str| {
        filter("Compute Engine", "Network", ctx.region, unit, "on_demand")
            .attr("description", description)
    };
    p.push(ComponentSpec::hourly(
        "Forwarding rules",
        "hours",
        Decimal::ONE,
        lb("Network Load Balancing: Forwarding Rule Additional", "Hrs"),
    ));
    p.push(ComponentSpec::usage(
        "Ingress data",
        "GB",
        ctx.usage.decimal("monthly_ingress_data_gb"),
        lb("Network Load Balancing: Data Processing Charge", "GB"),
    ));
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    #[test]
    fn a_rule_bills_hours_and_ingress_from_usage() {
        // 730 h × $0.01 = $7.30; 100 GB × $0.008 = $0.80
        for t in [
            "google_compute_forwarding_rule",
            "google_compute_global_forwarding_rule",
        ] {
            let usage = format!(
                "version: 0.1\nresource_usage:\n  {t}.test:\n    monthly_ingress_data_gb: 100\n"
            );
            let r = price(
                t,
                json!({"region": "us-central1"}),
                "us-central1",
                Some(&usage),
            );
            assert_eq!(
                component(&r, "Forwarding rules").monthly_cost,
                Some(dec!(7.30))
            );
            assert_eq!(
                component(&r, "Ingress data").monthly_cost,
                Some(dec!(0.800))
            );
            assert_eq!(r.monthly_cost, Some(dec!(8.10)));
        }
    }

    #[test]
    fn without_usage_ingress_is_usage_based() {
        let r = price(
            "google_compute_forwarding_rule",
            json!({"region": "us-central1"}),
            "us-central1",
            None,
        );
        assert_eq!(
            component(&r, "Ingress data").status,
            ComponentStatus::UsageMissing
        );
        assert_eq!(r.monthly_cost, Some(dec!(7.30)));
    }
}
