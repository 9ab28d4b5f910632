//! `azurerm_api_management`: the service's units per hour by the tier and
//! count of its `sku_name` (`Premium_4` is four Premium units), as Infracost
//! prices it:
//! - Developer, Basic, Standard, Premium (any tier but Consumption): units
//!   per hour, shown in units (730 unit-hours a month each);
//! - Consumption: calls per month (`monthly_api_calls`), shown per 1M calls,
//!   at the table's per-10K price;
//! - Premium also: self-hosted gateways per hour (`self_hosted_gateway_count`),
//!   usage-based.

use super::{filter, title_case};
use crate::cost::component::HOURS_PER_MONTH;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use std::str::FromStr;

const SERVICE: &str = "API Management";
const FAMILY: &str = "Developer Tools";

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let Some(sku) = attrs.str("sku_name") else {
        p.note("sku_name not known at plan time; the API management service is not priced");
        return p;
    };
    let parsed = sku
        .split_once('_')
        .and_then(|(tier, n)| Some((tier.to_ascii_lowercase(), Decimal::from_str(n).ok()?)));
    let Some((tier, capacity)) = parsed else {
        p.note(format!(
            "sku_name `{sku}` is not `<tier>_<units>` (e.g. `Developer_1`); the API management service is not priced"
        ));
        return p;
    };
    let sku_filter = |sku: String, unit: &'static str| {
        filter(SERVICE, FAMILY, ctx.region, unit).attr("skuName", sku)
    };
    if tier == "consumption" {
        p.push(
            ComponentSpec::usage(
                "API management (consumption)",
                "1M calls",
                ctx.usage
                    .decimal("monthly_api_calls")
                    .map(|calls| calls / dec!(10000)),
                sku_filter("Consumption".into(), "10K"),
            )
            .per(dec!(100)),
        );
    } else {
        p.push(
            ComponentSpec::hourly(
                format!("API management ({tier})"),
                "units",
                capacity,
                sku_filter(title_case(&tier), "Hrs"),
            )
            .per(HOURS_PER_MONTH),
        );
    }
    if tier == "premium" {
        p.push(
            ComponentSpec::usage(
                "Self hosted gateway",
                "gateways",
                ctx.usage
                    .decimal("self_hosted_gateway_count")
                    .map(|n| n * HOURS_PER_MONTH),
                sku_filter("Gateway".into(), "Hrs"),
            )
            .per(HOURS_PER_MONTH),
        );
    }
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    fn apim(sku: &str, usage: Option<&str>) -> crate::cost::ResourceCost {
        price(
            "azurerm_api_management",
            json!({"location": "eastus", "sku_name": sku}),
            "eastus",
            usage,
        )
    }

    #[test]
    fn dedicated_tiers_are_units_per_hour() {
        // Developer_1: 1 × 730 h × $0.0658 = $48.034
        let r = apim("Developer_1", None);
        let c = component(&r, "API management (developer)");
        assert_eq!(c.monthly_quantity, Some(dec!(1)));
        assert_eq!(c.monthly_cost, Some(dec!(48.034)));
        // Basic_2: 2 × 730 h × $0.2016 = $294.336
        let r = apim("Basic_2", None);
        let c = component(&r, "API management (basic)");
        assert_eq!(
            (c.monthly_quantity, c.monthly_cost),
            (Some(dec!(2)), Some(dec!(294.336)))
        );
        // Standard_3: 3 × 730 h × $0.9407 = $2,060.133
        let r = apim("Standard_3", None);
        let c = component(&r, "API management (standard)");
        assert_eq!(c.monthly_cost, Some(dec!(2060.133)));
        assert_eq!(r.all_components().len(), 1);
    }

    #[test]
    fn premium_adds_self_hosted_gateways_from_usage() {
        // Premium_4: 4 × 730 h × $3.829 = $11,180.68; 5 gateways × 730 h × $1.37 = $5,000.50
        let usage = "version: 0.1\nresource_usage:\n  azurerm_api_management.test:\n    self_hosted_gateway_count: 5\n";
        let r = apim("Premium_4", Some(usage));
        assert_eq!(
            component(&r, "API management (premium)").monthly_cost,
            Some(dec!(11180.68))
        );
        let g = component(&r, "Self hosted gateway");
        assert_eq!(
            (g.monthly_quantity, g.monthly_cost),
            (Some(dec!(5)), Some(dec!(5000.50)))
        );
        // Without usage: usage-based at 730 h × $1.37 = $1,000.10 per gateway.
        let r = apim("Premium_4", None);
        let g = component(&r, "Self hosted gateway");
        assert_eq!(g.status, ComponentStatus::UsageMissing);
        assert_eq!(g.price, Some(dec!(1000.10)));
    }

    #[test]
    fn consumption_is_per_million_calls() {
        // 10,000,000 calls = 1,000 × 10K × $0.035 = $35, shown as 10 × 1M calls
        let usage = "version: 0.1\nresource_usage:\n  azurerm_api_management.test:\n    monthly_api_calls: 10000000\n";
        let r = apim("Consumption_0", Some(usage));
        let c = component(&r, "API management (consumption)");
        assert_eq!(
            (c.monthly_quantity, c.monthly_cost),
            (Some(dec!(10)), Some(dec!(35)))
        );
        assert_eq!(r.all_components().len(), 1);
        let r = apim("Consumption_0", None);
        let c = component(&r, "API management (consumption)");
        assert_eq!(c.status, ComponentStatus::UsageMissing);
        assert_eq!(c.price, Some(dec!(3.5)));
    }

    #[test]
    fn a_malformed_sku_is_said_and_other_regions_have_no_price() {
        let r = apim("Premium", None);
        assert!(r.all_components().is_empty());
        assert!(r.metadata.notes.iter().any(|n| n.contains("sku_name")));
        let r = price(
            "azurerm_api_management",
            json!({"location": "westeurope", "sku_name": "Developer_1"}),
            "westeurope",
            None,
        );
        assert_eq!(
            component(&r, "API management (developer)").status,
            ComponentStatus::NoPriceFound
        );
    }
}
