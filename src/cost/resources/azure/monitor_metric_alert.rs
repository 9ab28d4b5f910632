//! `azurerm_monitor_metric_alert`: the time series it monitors — each scope
//! times each dimension of its criteria — and, for dynamic criteria, the
//! dynamic-threshold time series as well. A disabled alert costs nothing. As
//! Infracost prices it, every time series is billed at the paid price (the
//! first 10 free ones are the subscription's, not one alert's).

use super::filter;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};
use rust_decimal::Decimal;

const SERVICE: &str = "Azure Monitor";
const FAMILY: &str = "Management and Governance";

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    if attrs.bool("enabled") == Some(false) {
        return p;
    }
    // No scopes means the subscription: one scope.
    let scopes = Decimal::from(attrs.len("scopes").max(1));
    let dimensions =
        |block: &str| -> usize { attrs.blocks(block).iter().map(|c| c.len("dimension")).sum() };
    let fixed = Decimal::from(dimensions("criteria"));
    let dynamic = Decimal::from(dimensions("dynamic_criteria"));
    let all = scopes * (fixed + dynamic);
    if all > Decimal::ZERO {
        p.push(ComponentSpec::monthly(
            "Metrics monitoring",
            "time-series",
            all,
            filter(SERVICE, FAMILY, ctx.region, "Month")
                .attr("meterName", "Alerts Metric Monitored"),
        ));
    }
    let dynamic = scopes * dynamic;
    if dynamic > Decimal::ZERO {
        p.push(ComponentSpec::monthly(
            "Dynamic threshold monitoring",
            "time-series",
            dynamic,
            filter(SERVICE, FAMILY, ctx.region, "Month")
                .attr("meterName", "Alerts Dynamic Threshold"),
        ));
    }
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::{Value, json};

    fn alert(attrs: Value) -> crate::cost::ResourceCost {
        let mut attrs = attrs;
        attrs["location"] = json!("eastus");
        price("azurerm_monitor_metric_alert", attrs, "eastus", None)
    }

    fn dims(n: usize) -> Value {
        json!([{"metric_name": "Transactions", "dimension": vec![json!({"name": "ApiName"}); n]}])
    }

    #[test]
    fn static_criteria_bill_scopes_times_dimensions() {
        // 2 scopes × (2 + 2 dimensions) = 8 time series × $0.10 = $0.80
        let mut criteria = dims(2);
        criteria.as_array_mut().unwrap().push(dims(2)[0].clone());
        let r = alert(json!({"scopes": ["vm1", "vm2"], "criteria": criteria}));
        let c = component(&r, "Metrics monitoring");
        assert_eq!(c.monthly_quantity, Some(dec!(8)));
        assert_eq!(c.monthly_cost, Some(dec!(0.80)));
        assert_eq!(r.all_components().len(), 1);
    }

    #[test]
    fn dynamic_criteria_also_bill_the_dynamic_threshold() {
        // 2 scopes × 2 dimensions = 4 × $0.10 = $0.40, twice
        let r = alert(json!({"scopes": ["vm1", "vm2"], "dynamic_criteria": dims(2)}));
        let c = component(&r, "Metrics monitoring");
        assert_eq!(c.monthly_cost, Some(dec!(0.40)));
        let c = component(&r, "Dynamic threshold monitoring");
        assert_eq!(c.monthly_quantity, Some(dec!(4)));
        assert_eq!(c.monthly_cost, Some(dec!(0.40)));
    }

    #[test]
    fn no_scopes_is_the_subscription_and_disabled_or_dimensionless_is_free() {
        // no scopes: 1 × 1 dimension = 1 × $0.10
        let r = alert(json!({"criteria": dims(1)}));
        assert_eq!(
            component(&r, "Metrics monitoring").monthly_cost,
            Some(dec!(0.10))
        );
        let r = alert(json!({"enabled": false, "scopes": ["vm1"], "criteria": dims(1)}));
        assert!(r.all_components().is_empty());
        let r = alert(json!({"scopes": ["vm1"], "criteria": dims(0)}));
        assert!(r.all_components().is_empty());
    }
}
