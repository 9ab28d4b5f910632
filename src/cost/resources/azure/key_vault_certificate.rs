//! `azurerm_key_vault_certificate`: what a certificate costs in the vault it
//! lives in (its `key_vault_id`: the vault's `location` and `sku_name`), all
//! from usage, as Infracost prices it:
//! - certificate renewal requests (`monthly_certificate_renewal_requests`);
//! - other certificate operations per 10K (`monthly_certificate_other_operations`),
//!   at the vault's operations rate.

use super::{filter, title_case};
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};
use rust_decimal_macros::dec;

const SERVICE: &str = "Key Vault";
const FAMILY: &str = "Security";

pub(crate) fn price(_attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let Some(sku) = ctx
        .referenced(&["key_vault_id"])
        .and_then(|vault| vault.str("sku_name").map(title_case))
    else {
        p.note("the key vault (key_vault_id) or its sku_name is not in the plan; the certificate is not priced");
        return p;
    };
    let meter = |unit: &'static str, meter: &'static str| {
        filter(SERVICE, FAMILY, ctx.region, unit)
            .attr("skuName", sku.clone())
            .attr("meterName", meter)
    };
    p.push(ComponentSpec::usage(
        "Certificate renewals",
        "requests",
        ctx.usage.decimal("monthly_certificate_renewal_requests"),
        meter("Request", "Certificate Renewal Request"),
    ));
    p.push(ComponentSpec::usage(
        "Certificate operations",
        "10K transactions",
        ctx.usage
            .decimal("monthly_certificate_other_operations")
            .map(|n| n / dec!(10000)),
        meter("10K", "Operations"),
    ));
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::ComponentStatus;
    use crate::cost::resources::azure::price_in_plan;
    use rust_decimal_macros::dec;
    use serde_json::json;

    fn plan(vault_sku: &str) -> serde_json::Value {
        let rc = |addr: &str, ty: &str, name: &str, after: serde_json::Value| {
            json!({"address": addr, "mode": "managed", "type": ty, "name": name,
                   "provider_name": "registry.terraform.io/hashicorp/azurerm",
                   "change": {"actions": ["create"], "before": null, "after": after}})
        };
        json!({"format_version": "1.2", "resource_changes": [
            rc("azurerm_key_vault.v", "azurerm_key_vault", "v",
               json!({"location": "eastus", "sku_name": vault_sku})),
            rc("azurerm_key_vault_certificate.c", "azurerm_key_vault_certificate", "c",
               json!({"name": "cert"}))],
            "configuration": {"root_module": {"resources": [
                {"address": "azurerm_key_vault_certificate.c", "mode": "managed",
                 "type": "azurerm_key_vault_certificate", "name": "c",
                 "expressions": {"key_vault_id": {"references": [
                    "azurerm_key_vault.v.id", "azurerm_key_vault.v"]}}},
                {"address": "azurerm_key_vault.v", "mode": "managed",
                 "type": "azurerm_key_vault", "name": "v", "expressions": {}}]}}})
    }

    #[test]
    fn renewals_and_operations_from_usage() {
        // 100 renewals × $3 = $300; 100,000 operations = 10 × 10K × $0.03 = $0.30
        let usage = "version: 0.1\nresource_usage:\n  azurerm_key_vault_certificate.c:\n    monthly_certificate_renewal_requests: 100\n    monthly_certificate_other_operations: 100000\n";
        for sku in ["standard", "premium"] {
            let r = price_in_plan(plan(sku), Some(usage), "azurerm_key_vault_certificate.c");
            let all = r.all_components();
            let renewals = all
                .iter()
                .find(|(n, _)| n == "Certificate renewals")
                .unwrap()
                .1;
            assert_eq!(renewals.monthly_cost, Some(dec!(300)), "{sku}");
            let ops = all
                .iter()
                .find(|(n, _)| n == "Certificate operations")
                .unwrap()
                .1;
            assert_eq!(
                (ops.monthly_quantity, ops.monthly_cost),
                (Some(dec!(10)), Some(dec!(0.30))),
                "{sku}"
            );
        }
    }

    #[test]
    fn without_usage_both_wait_and_without_a_vault_it_is_said() {
        let r = price_in_plan(plan("standard"), None, "azurerm_key_vault_certificate.c");
        assert!(
            r.all_components()
                .iter()
                .all(|(_, c)| c.status == ComponentStatus::UsageMissing)
        );
        assert_eq!(r.all_components().len(), 2);
        let mut lonely = plan("standard");
        lonely["configuration"]["root_module"]["resources"][0]["expressions"] = json!({});
        let r = price_in_plan(lonely, None, "azurerm_key_vault_certificate.c");
        assert!(r.all_components().is_empty());
        assert!(r.metadata.notes.iter().any(|n| n.contains("key_vault_id")));
    }
}
