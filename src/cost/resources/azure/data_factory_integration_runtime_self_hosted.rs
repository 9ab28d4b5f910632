//! `azurerm_data_factory_integration_runtime_self_hosted`: orchestration per
//! 1K activity runs (`monthly_orchestration_runs`), and data movement,
//! pipeline and external pipeline activity, one hour each per hour, at the
//! self-hosted runtime's rates, as Infracost prices it. It lives where its
//! data factory (`data_factory_id`) does.

use crate::cost::{Attrs, Ctx, Priced};

pub(crate) fn price(_attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    super::data_factory::runtime_activity(&mut p, ctx, "Self Hosted");
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    #[test]
    fn runs_and_activity_hours() {
        // 10,000 runs = 10 × 1K × $1.50 = $15; 730 h × $0.10 = $73;
        // 730 h × $0.002 = $1.46; 730 h × $0.0001 = $0.073
        let usage = "version: 0.1\nresource_usage:\n  azurerm_data_factory_integration_runtime_self_hosted.test:\n    monthly_orchestration_runs: 10000\n";
        let ty = "azurerm_data_factory_integration_runtime_self_hosted";
        let r = price(
            ty,
            json!({"location": "westeurope"}),
            "westeurope",
            Some(usage),
        );
        for (name, cost) in [
            ("Orchestration", dec!(15)),
            ("Data movement activity", dec!(73)),
            ("Pipeline activity", dec!(1.46)),
            ("External pipeline activity", dec!(0.073)),
        ] {
            assert_eq!(component(&r, name).monthly_cost, Some(cost), "{name}");
        }
        let r = price(ty, json!({"location": "westeurope"}), "westeurope", None);
        let c = component(&r, "Orchestration");
        assert_eq!(c.status, ComponentStatus::UsageMissing);
        assert_eq!(c.price, Some(dec!(1.5)));
    }

    #[test]
    fn it_lives_where_its_data_factory_does() {
        let rc = |addr: &str, ty: &str, name: &str, after: serde_json::Value| {
            json!({"address": addr, "mode": "managed", "type": ty, "name": name,
                   "provider_name": "registry.terraform.io/hashicorp/azurerm",
                   "change": {"actions": ["create"], "before": null, "after": after}})
        };
        let ty = "azurerm_data_factory_integration_runtime_self_hosted";
        let plan = json!({"format_version": "1.2", "resource_changes": [
            rc("azurerm_data_factory.f", "azurerm_data_factory", "f",
               json!({"location": "westeurope"})),
            rc(&format!("{ty}.r"), ty, "r", json!({"name": "r"}))],
            "configuration": {"root_module": {"resources": [
                {"address": format!("{ty}.r"), "mode": "managed", "type": ty, "name": "r",
                 "expressions": {"data_factory_id": {"references": [
                    "azurerm_data_factory.f.id", "azurerm_data_factory.f"]}}},
                {"address": "azurerm_data_factory.f", "mode": "managed",
                 "type": "azurerm_data_factory", "name": "f", "expressions": {}}]}}});
        let r = crate::cost::resources::azure::price_in_plan(plan, None, &format!("{ty}.r"));
        let all = r.all_components();
        let (_, movement) = all
            .iter()
            .find(|(n, _)| n == "Data movement activity")
            .unwrap();
        // westeurope's 730 h × $0.10 = $73 (eastus, the guess, has no price)
        assert_eq!(movement.monthly_cost, Some(dec!(73)));
    }
}
