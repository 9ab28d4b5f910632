//! `azurerm_traffic_manager_azure_endpoint`: the health checks Traffic
//! Manager runs on an Azure endpoint, per month shown in hours: basic checks
//! always, and the fast-interval add-on when its profile's
//! `monitor_config.interval_in_seconds` is under 30 (the default is 30). An
//! endpoint of a disabled profile costs nothing. Priced in the profile's
//! billing region ([`super::traffic_manager_profile`]).

use super::filter;
use super::traffic_manager_profile::{billing_region, is_enabled};
use crate::cost::{Attrs, ComponentSpec, Ctx, HOURS_PER_MONTH, Priced};
use rust_decimal::Decimal;

pub(crate) fn price(_attrs: &Attrs, ctx: &Ctx) -> Priced {
    endpoint(ctx, "Azure Endpoint")
}

/// The health checks of an endpoint billed at `sku` (`Azure Endpoint`, or
/// `Non-Azure Endpoint` for external ones).
pub(super) fn endpoint(ctx: &Ctx, sku: &'static str) -> Priced {
    let mut p = Priced::default();
    let Some(profile) = ctx.referenced(&["profile_id"]) else {
        p.note(
            "profile_id does not refer to a profile in this plan: its health checks are not priced",
        );
        return p;
    };
    if !is_enabled(&profile) {
        return p;
    }
    let interval = profile
        .decimal("monitor_config.0.interval_in_seconds")
        .unwrap_or(Decimal::from(30));
    // The endpoint lives where its profile does (its `profile_id` parent).
    let region = billing_region(ctx.region);
    // Named as Infracost names the billing regions.
    let shown = match region {
        "usgov" => "US Gov",
        "china" => "China",
        "germany" => "Germany",
        _ => "Global",
    };
    p.push(health_check(
        format!("Basic health check ({shown})"),
        region,
        sku,
        "Health Checks",
    ));
    if interval < Decimal::from(30) {
        p.push(health_check(
            format!("Fast interval health checks add-on ({shown})"),
            region,
            sku,
            "Fast Interval Health Check Add-ons",
        ));
    }
    p
}

/// One month of a health-check meter, shown as its 730 hours.
fn health_check(
    name: String,
    region: &'static str,
    sku: &'static str,
    meter: &str,
) -> ComponentSpec {
    ComponentSpec::monthly(
        name,
        "hours",
        Decimal::ONE,
        filter("Traffic Manager", "Networking", region, "Month")
            .attr("skuName", sku)
            .attr("meterName", format!("{sku} {meter}")),
    )
    .per(Decimal::ONE / HOURS_PER_MONTH)
}

#[cfg(test)]
pub(super) mod tests {
    use super::super::price_in_plan;
    use crate::cost::ComponentStatus;
    use rust_decimal_macros::dec;
    use serde_json::{Value, json};

    /// A plan with a resource group in `location`, a profile and its endpoint
    /// of type `endpoint_type` (all named `x`).
    pub(in crate::cost::resources::azure) fn plan_with(
        endpoint_type: &str,
        location: &str,
        mut profile: Value,
    ) -> Value {
        profile["resource_group_name"] = json!("rg");
        let rc = |t: &str, after: Value| {
            json!({"address": format!("{t}.x"), "mode": "managed", "type": t, "name": "x",
            "provider_name": "registry.terraform.io/hashicorp/azurerm",
            "change": {"actions": ["create"], "before": null, "after": after, "after_unknown": {}}})
        };
        let cfg = |t: &str, exprs: Value| {
            json!({"address": format!("{t}.x"), "mode": "managed", "type": t, "name": "x",
            "provider_config_key": "azurerm", "expressions": exprs})
        };
        json!({"format_version": "1.2", "resource_changes": [
            rc("azurerm_resource_group", json!({"name": "rg", "location": location})),
            rc("azurerm_traffic_manager_profile", profile),
            rc(endpoint_type, json!({"name": "e", "weight": 100}))],
          "configuration": {"root_module": {"resources": [
            cfg("azurerm_resource_group", json!({})),
            cfg("azurerm_traffic_manager_profile", json!({"resource_group_name": {"references": ["azurerm_resource_group.x.name", "azurerm_resource_group.x"]}})),
            cfg(endpoint_type, json!({"profile_id": {"references": ["azurerm_traffic_manager_profile.x.id", "azurerm_traffic_manager_profile.x"]}}))]}}})
    }

    fn plan(location: &str, profile: Value) -> Value {
        plan_with("azurerm_traffic_manager_azure_endpoint", location, profile)
    }

    fn endpoint(location: &str, profile: Value) -> crate::cost::ResourceCost {
        price_in_plan(
            plan(location, profile),
            None,
            "azurerm_traffic_manager_azure_endpoint.x",
        )
    }

    /// The basic and the fast-interval health-check costs of an endpoint of
    /// `endpoint_type` whose profile (in westeurope) checks every 10 s.
    pub(in crate::cost::resources::azure) fn fast_checks(
        endpoint_type: &str,
    ) -> (Option<rust_decimal::Decimal>, Option<rust_decimal::Decimal>) {
        let plan = plan_with(
            endpoint_type,
            "westeurope",
            json!({"monitor_config": [{"interval_in_seconds": 10}]}),
        );
        let r = price_in_plan(plan, None, &format!("{endpoint_type}.x"));
        (
            cost(&r, "Basic health check (Global)"),
            cost(&r, "Fast interval health checks add-on (Global)"),
        )
    }

    fn cost(r: &crate::cost::ResourceCost, name: &str) -> Option<rust_decimal::Decimal> {
        r.all_components()
            .into_iter()
            .find(|(n, _)| n == name)
            .and_then(|(_, c)| c.monthly_cost)
    }

    #[test]
    fn basic_checks_always_and_the_fast_add_on_under_thirty_seconds() {
        // 1 month (730 h) × $0.36; fast add-on 1 month × $1.00
        let r = endpoint(
            "westeurope",
            json!({"monitor_config": [{"interval_in_seconds": 10}]}),
        );
        assert_eq!(cost(&r, "Basic health check (Global)"), Some(dec!(0.36)));
        assert_eq!(
            cost(&r, "Fast interval health checks add-on (Global)"),
            Some(dec!(1.00))
        );
        let (_, c) = r.all_components().into_iter().next().unwrap();
        assert_eq!(c.monthly_quantity.map(|q| q.round_dp(6)), Some(dec!(730)));
        // interval 30 (also the default): basic only
        for profile in [
            json!({"monitor_config": [{"interval_in_seconds": 30}]}),
            json!({"monitor_config": [{}]}),
        ] {
            let r = endpoint("westeurope", profile);
            assert_eq!(r.all_components().len(), 1);
        }
    }

    #[test]
    fn germany_is_priced_apart_and_disabled_profiles_cost_nothing() {
        // Germany: basic $0.36, fast add-on $1.36
        let r = endpoint(
            "germanynorth",
            json!({"monitor_config": [{"interval_in_seconds": 10}]}),
        );
        assert_eq!(cost(&r, "Basic health check (Germany)"), Some(dec!(0.36)));
        assert_eq!(
            cost(&r, "Fast interval health checks add-on (Germany)"),
            Some(dec!(1.36))
        );
        let r = endpoint(
            "westeurope",
            json!({"profile_status": "Disabled", "monitor_config": [{"interval_in_seconds": 10}]}),
        );
        assert!(r.all_components().is_empty());
        // US Gov has no shipped price
        let r = endpoint("usgovvirginia", json!({"monitor_config": [{}]}));
        let (_, c) = r.all_components().into_iter().next().unwrap();
        assert_eq!(c.status, ComponentStatus::NoPriceFound);
    }
}
