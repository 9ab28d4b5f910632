//! `azurerm_monitor_scheduled_query_rules_alert_v2`: a log alert rule priced
//! by its `evaluation_frequency` (an ISO 8601 duration such as `PT5M`; one
//! Infracost cannot read is taken as 1 minute, the dearest rate), plus the
//! time series beyond the first: each scope times each dimension of its
//! criteria (no scopes means the subscription: one).

use super::monitor_scheduled_query_rules_alert::log_alert;
use crate::cost::{Attrs, Ctx, Priced};
use rust_decimal::Decimal;

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let minutes = attrs
        .str("evaluation_frequency")
        .and_then(duration_minutes)
        .unwrap_or(Decimal::ONE);
    let scopes = Decimal::from(attrs.len("scopes").max(1));
    let dimensions: usize = attrs
        .blocks("criteria")
        .iter()
        .map(|c| c.len("dimension"))
        .sum();
    let mut p = log_alert(attrs, ctx, minutes, scopes * Decimal::from(dimensions));
    if attrs
        .str("evaluation_frequency")
        .is_some_and(|f| duration_minutes(f).is_none())
    {
        p.note("evaluation_frequency is not an ISO 8601 duration (as `PT5M`): priced at the 1 minute rate");
    }
    p
}

/// Whole minutes in an ISO 8601 duration (`PT5M`, `PT1H`, `P1D`, `P1W`,
/// `P1DT2H`, `PT90S`); `None` when it is not one. Years and months count as
/// 365 and 28 days: only "15 minutes or more" matters for the price.
fn duration_minutes(text: &str) -> Option<Decimal> {
    let rest = text.trim().strip_prefix('P')?;
    let (date, time) = match rest.split_once('T') {
        Some((_, "")) => return None,
        Some((d, t)) => (d, t),
        None => (rest, ""),
    };
    const DAY: i64 = 86_400;
    let date_units = [
        ('Y', 365 * DAY),
        ('M', 28 * DAY),
        ('W', 7 * DAY),
        ('D', DAY),
    ];
    let time_units = [('H', 3_600), ('M', 60), ('S', 1)];
    let mut seconds = Decimal::ZERO;
    let mut parts = 0;
    for (part, units) in [(date, &date_units[..]), (time, &time_units[..])] {
        let mut number = String::new();
        for ch in part.chars() {
            if ch.is_ascii_digit() || ch == '.' {
                number.push(ch);
                continue;
            }
            let per = units.iter().find(|(u, _)| *u == ch)?.1;
            let n: Decimal = number.parse().ok()?;
            seconds += n * Decimal::from(per);
            number.clear();
            parts += 1;
        }
        if !number.is_empty() {
            return None;
        }
    }
    (parts > 0).then(|| (seconds / Decimal::from(60)).trunc())
}

#[cfg(test)]
mod tests {
    use super::duration_minutes;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::{Value, json};

    #[test]
    fn iso_8601_durations_in_minutes() {
        assert_eq!(duration_minutes("PT1M"), Some(dec!(1)));
        assert_eq!(duration_minutes("PT10M"), Some(dec!(10)));
        assert_eq!(duration_minutes("PT1H"), Some(dec!(60)));
        assert_eq!(duration_minutes("P1D"), Some(dec!(1440)));
        assert_eq!(duration_minutes("P1DT2H"), Some(dec!(1560)));
        assert_eq!(duration_minutes("PT90S"), Some(dec!(1)));
        assert_eq!(duration_minutes("5 minutes"), None);
        assert_eq!(duration_minutes("P"), None);
        assert_eq!(duration_minutes("PT"), None);
        assert_eq!(duration_minutes("PT5X"), None);
    }

    fn rule(frequency: &str, scopes: Value, dimensions: &[usize]) -> crate::cost::ResourceCost {
        let criteria: Vec<Value> = dimensions
            .iter()
            .map(|&n| json!({"query": "requests", "dimension": vec![json!({"name": "d"}); n]}))
            .collect();
        price(
            "azurerm_monitor_scheduled_query_rules_alert_v2",
            json!({"location": "westeurope", "evaluation_frequency": frequency,
                   "scopes": scopes, "criteria": criteria, "enabled": true}),
            "westeurope",
            None,
        )
    }

    #[test]
    fn time_series_beyond_the_first_are_billed_at_the_rules_rate() {
        // 1 scope × (2 + 2) dimensions = 4 time series: the rule $3.00 (1 minute)
        // and 3 more × $0.30 = $0.90
        let r = rule("PT1M", json!(["vm1"]), &[2, 2]);
        let c = component(&r, "Log alerts monitoring (1 minute frequency)");
        assert_eq!(c.monthly_cost, Some(dec!(3.00)));
        let c = component(&r, "Additional time-series monitoring (1 minute frequency)");
        assert_eq!(c.monthly_quantity, Some(dec!(3)));
        assert_eq!(c.monthly_cost, Some(dec!(0.90)));
        // P1D bills at 15 minutes: $0.50 and 3 × $0.05 = $0.15
        let r = rule("P1D", json!(["vm1"]), &[2, 2]);
        let c = component(
            &r,
            "Additional time-series monitoring (15 minute frequency)",
        );
        assert_eq!(c.monthly_cost, Some(dec!(0.15)));
    }

    #[test]
    fn one_time_series_is_the_rule_alone_and_bad_durations_take_one_minute() {
        // no scopes = 1 × 1 dimension: the rule only, $1.50 at 5 minutes
        let r = rule("PT5M", json!([]), &[1]);
        assert_eq!(r.all_components().len(), 1);
        assert_eq!(
            component(&r, "Log alerts monitoring (5 minute frequency)").monthly_cost,
            Some(dec!(1.50))
        );
        // an unreadable duration: the 1 minute rate, $3.00
        let r = rule("five minutes", json!(["vm1"]), &[1]);
        assert_eq!(
            component(&r, "Log alerts monitoring (1 minute frequency)").monthly_cost,
            Some(dec!(3.00))
        );
    }
}
