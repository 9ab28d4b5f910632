//! `azurerm_application_insights`: data ingested per GB (usage key
//! `monthly_data_ingested_gb`) and, when `retention_in_days` passes the 90
//! days included, the ingested data kept for the extra days: GB ×
//! (days − 90) / 30, priced per GB-month.

use super::filter;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};
use rust_decimal::Decimal;

const SERVICE: &str = "Application Insights";
const FAMILY: &str = "Management and Governance";
const INCLUDED_DAYS: Decimal = Decimal::from_parts(90, 0, 0, false, 0);

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let ingested = ctx.usage.decimal("monthly_data_ingested_gb");
    p.push(ComponentSpec::usage(
        "Data ingested",
        "GB",
        ingested,
        meter(ctx.region, "Enterprise Overage Data"),
    ));
    let days = attrs.decimal("retention_in_days").unwrap_or_default();
    if let Some(gb) = ingested.filter(|_| days > INCLUDED_DAYS) {
        let months = (days - INCLUDED_DAYS) / Decimal::from(30);
        let retained = p.mul("data retention", gb, months);
        p.push(ComponentSpec::usage(
            format!("Data retention ({} days)", days.normalize()),
            "GB",
            retained,
            meter(ctx.region, "Data Retention"),
        ));
    }
    p
}

fn meter(region: &str, meter: &'static str) -> crate::pricing::PriceFilter {
    filter(SERVICE, FAMILY, region, "GB")
        .attr("skuName", "Enterprise")
        .attr("meterName", meter)
}

#[cfg(test)]
mod tests {
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::{Value, json};

    fn insights(attrs: Value, gb: Option<&str>) -> crate::cost::ResourceCost {
        let mut attrs = attrs;
        attrs["location"] = json!("eastus");
        let usage = gb.map(|g| {
            format!("version: 0.1\nresource_usage:\n  azurerm_application_insights.test:\n    monthly_data_ingested_gb: {g}\n")
        });
        price(
            "azurerm_application_insights",
            attrs,
            "eastus",
            usage.as_deref(),
        )
    }

    #[test]
    fn ingestion_and_retention_past_ninety_days() {
        // 1,000 GB × $2.30 = $2,300; retention 120 days: 1,000 GB × (120 − 90) / 30
        // = 1,000 GB-months × $0.10 = $100
        let r = insights(json!({"retention_in_days": 120}), Some("1000"));
        assert_eq!(
            component(&r, "Data ingested").monthly_cost,
            Some(dec!(2300))
        );
        let c = component(&r, "Data retention (120 days)");
        assert_eq!(c.monthly_quantity, Some(dec!(1000)));
        assert_eq!(c.monthly_cost, Some(dec!(100)));
        // 180 days: 300 GB × 3 = 900 GB-months × $0.10 = $90
        let r = insights(json!({"retention_in_days": 180}), Some("300"));
        let c = component(&r, "Data retention (180 days)");
        assert_eq!(c.monthly_quantity, Some(dec!(900)));
        assert_eq!(c.monthly_cost, Some(dec!(90)));
    }

    #[test]
    fn ninety_days_or_no_usage_bills_ingestion_only() {
        let r = insights(json!({"retention_in_days": 90}), Some("10"));
        assert_eq!(r.all_components().len(), 1);
        // no usage: ingestion usage-based at $2.30 per GB, no retention line
        let r = insights(json!({"retention_in_days": 120}), None);
        assert_eq!(r.all_components().len(), 1);
        let c = component(&r, "Data ingested");
        assert_eq!(c.status, ComponentStatus::UsageMissing);
        assert_eq!(c.price, Some(dec!(2.30)));
    }
}
