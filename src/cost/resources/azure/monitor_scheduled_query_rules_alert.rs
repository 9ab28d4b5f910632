//! `azurerm_monitor_scheduled_query_rules_alert`: a log alert rule per month,
//! priced by how often it runs (`frequency`, in minutes, billed at the 1, 5,
//! 10 or 15 minute rate at or below it). A disabled rule costs nothing. The
//! v2 resource ([`super::monitor_scheduled_query_rules_alert_v2`]) shares the
//! pricing and adds time series beyond the first.

use super::filter;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};
use rust_decimal::Decimal;

const SERVICE: &str = "Azure Monitor";
const FAMILY: &str = "Management and Governance";

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let minutes = attrs.decimal("frequency").unwrap_or(Decimal::ONE);
    log_alert(attrs, ctx, minutes, Decimal::ONE)
}

/// The components of an enabled log alert running every `minutes` over
/// `time_series` time series (the first comes with the rule).
pub(super) fn log_alert(
    attrs: &Attrs,
    ctx: &Ctx,
    minutes: Decimal,
    time_series: Decimal,
) -> Priced {
    let mut p = Priced::default();
    if attrs.bool("enabled") == Some(false) {
        return p;
    }
    let every = billed_frequency(minutes);
    p.push(ComponentSpec::monthly(
        format!("Log alerts monitoring ({every} minute frequency)"),
        "rule",
        Decimal::ONE,
        filter(SERVICE, FAMILY, ctx.region, "Month").attr(
            "meterName",
            format!("Alerts System Log Monitored at {every} Minute Frequency"),
        ),
    ));
    if time_series > Decimal::ONE {
        p.push(ComponentSpec::monthly(
            format!("Additional time-series monitoring ({every} minute frequency)"),
            "time-series",
            time_series - Decimal::ONE,
            filter(SERVICE, FAMILY, ctx.region, "Month").attr(
                "meterName",
                format!("Alerts Resource Monitored at {every} Minute Frequency"),
            ),
        ));
    }
    p
}

/// The rate a rule running every `minutes` is billed at: 15, 10, 5 or 1.
fn billed_frequency(minutes: Decimal) -> u32 {
    if minutes >= Decimal::from(15) {
        15
    } else if minutes >= Decimal::from(10) {
        10
    } else if minutes >= Decimal::from(5) {
        5
    } else {
        1
    }
}

#[cfg(test)]
mod tests {
    use super::billed_frequency;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    fn rule(frequency: i64, enabled: bool) -> crate::cost::ResourceCost {
        price(
            "azurerm_monitor_scheduled_query_rules_alert",
            json!({"location": "westeurope", "frequency": frequency, "enabled": enabled}),
            "westeurope",
            None,
        )
    }

    #[test]
    fn frequencies_bill_at_the_rate_at_or_below_them() {
        assert_eq!(billed_frequency(dec!(1)), 1);
        assert_eq!(billed_frequency(dec!(4)), 1);
        assert_eq!(billed_frequency(dec!(5)), 5);
        assert_eq!(billed_frequency(dec!(11)), 10);
        assert_eq!(billed_frequency(dec!(60)), 15);
        // 1 rule × $1.50 (5 minutes); × $1.00 (11 → 10); × $0.50 (60 → 15)
        for (f, name, cost) in [
            (5, "Log alerts monitoring (5 minute frequency)", dec!(1.50)),
            (
                11,
                "Log alerts monitoring (10 minute frequency)",
                dec!(1.00),
            ),
            (
                60,
                "Log alerts monitoring (15 minute frequency)",
                dec!(0.50),
            ),
        ] {
            let r = rule(f, true);
            let c = component(&r, name);
            assert_eq!(c.monthly_quantity, Some(dec!(1)));
            assert_eq!(c.monthly_cost, Some(cost));
            assert_eq!(r.all_components().len(), 1, "one time series: no extra");
        }
    }

    #[test]
    fn a_disabled_rule_costs_nothing() {
        assert!(rule(5, false).all_components().is_empty());
    }
}
