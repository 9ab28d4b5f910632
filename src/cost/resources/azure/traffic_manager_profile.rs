//! `azurerm_traffic_manager_profile`: DNS queries per million in two tiers
//! (the first billion, then beyond; usage key `monthly_dns_queries`, a count)
//! and, with `traffic_view_enabled`, Traffic View data points per million
//! (usage key `monthly_traffic_view_data_points`, a count). A profile whose
//! `profile_status` is `Disabled` costs nothing. Traffic Manager is priced
//! once for the public cloud (`global`), apart for US Gov, China, Germany.

use super::filter;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

const SERVICE: &str = "Traffic Manager";
const FAMILY: &str = "Networking";
const MILLION: Decimal = dec!(1_000_000);

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    if !is_enabled(attrs) {
        return p;
    }
    let region = billing_region(ctx.region);
    p.push(
        ComponentSpec::usage(
            "DNS queries",
            "1M queries",
            ctx.usage
                .decimal("monthly_dns_queries")
                .map(|q| q / MILLION),
            filter(SERVICE, FAMILY, region, "1M")
                .attr("skuName", "Azure Endpoint")
                .attr("meterName", "DNS Queries"),
        )
        .tier_names(&["DNS queries (first 1B)", "DNS queries (over 1B)"]),
    );
    if attrs.bool("traffic_view_enabled") == Some(true) {
        p.push(ComponentSpec::usage(
            "Traffic view",
            "1M data points",
            ctx.usage
                .decimal("monthly_traffic_view_data_points")
                .map(|q| q / MILLION),
            filter(SERVICE, FAMILY, region, "1M")
                .attr("skuName", "Traffic View")
                .attr("meterName", "Traffic View Data Points Processed"),
        ));
    }
    p
}

/// Whether a profile is on (`profile_status` defaults to `Enabled`).
pub(super) fn is_enabled(attrs: &Attrs) -> bool {
    attrs
        .str("profile_status")
        .is_none_or(|s| s.eq_ignore_ascii_case("enabled"))
}

/// Where Traffic Manager bills a profile: one price for the public cloud,
/// apart for US Gov, China and Germany (lowercase codes in our tables).
pub(super) fn billing_region(region: &str) -> &'static str {
    let r = region.to_ascii_lowercase();
    if r.contains("usgov") {
        "usgov"
    } else if r.contains("china") {
        "china"
    } else if r.contains("germany") {
        "germany"
    } else {
        "global"
    }
}

#[cfg(test)]
mod tests {
    use super::billing_region;
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::{Value, json};

    fn profile(attrs: Value, usage: Option<&str>) -> crate::cost::ResourceCost {
        let mut attrs = attrs;
        attrs["location"] = json!("westeurope");
        let usage = usage.map(|u| {
            format!("version: 0.1\nresource_usage:\n  azurerm_traffic_manager_profile.test:\n{u}")
        });
        price(
            "azurerm_traffic_manager_profile",
            attrs,
            "westeurope",
            usage.as_deref(),
        )
    }

    #[test]
    fn queries_in_two_tiers_and_traffic_view_per_million_points() {
        // 1,234,567,890 queries: 1,000 × 1M × $0.54 = $540.00;
        // 234.56789 × 1M × $0.375 = $87.96; 12,345,678 points: 12.345678 × $2.00 = $24.69
        let r = profile(
            json!({"profile_status": "Enabled", "traffic_view_enabled": true}),
            Some(
                "    monthly_dns_queries: 1234567890\n    monthly_traffic_view_data_points: 12345678\n",
            ),
        );
        let c = component(&r, "DNS queries (first 1B)");
        assert_eq!(c.monthly_quantity, Some(dec!(1000)));
        assert_eq!(c.monthly_cost, Some(dec!(540)));
        let c = component(&r, "DNS queries (over 1B)");
        assert_eq!(c.monthly_quantity, Some(dec!(234.56789)));
        assert_eq!(c.monthly_cost.map(|d| d.round_dp(2)), Some(dec!(87.96)));
        let c = component(&r, "Traffic view");
        assert_eq!(c.monthly_cost.map(|d| d.round_dp(2)), Some(dec!(24.69)));
    }

    #[test]
    fn without_usage_prices_are_shown_and_traffic_view_only_when_enabled() {
        let r = profile(json!({"traffic_view_enabled": false}), None);
        assert_eq!(r.all_components().len(), 1);
        let c = component(&r, "DNS queries (first 1B)");
        assert_eq!(c.status, ComponentStatus::UsageMissing);
        assert_eq!(c.price, Some(dec!(0.54)));
        let r = profile(json!({"traffic_view_enabled": true}), None);
        assert_eq!(component(&r, "Traffic view").price, Some(dec!(2)));
    }

    #[test]
    fn a_disabled_profile_costs_nothing_and_sovereign_clouds_are_apart() {
        let r = profile(
            json!({"profile_status": "Disabled", "traffic_view_enabled": true}),
            None,
        );
        assert!(r.all_components().is_empty());
        assert_eq!(billing_region("usgovvirginia"), "usgov");
        assert_eq!(billing_region("chinaeast2"), "china");
        assert_eq!(billing_region("germanywestcentral"), "germany");
        assert_eq!(billing_region("eastus"), "global");
    }
}
