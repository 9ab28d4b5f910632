//! `azurerm_key_vault_key`: what a key costs in the vault it lives in (its
//! `key_vault_id`: the vault's `location` and `sku_name`). The vault itself
//! is free; its keys bill, all from usage:
//! - secrets operations per 10K (`monthly_secrets_operations`);
//! - storage key rotations per renewal (`monthly_key_rotation_renewals`);
//! - software-protected keys (any type not ending in `HSM`): operations per
//!   10K (`monthly_protected_keys_operations`), RSA 2048 at the standard
//!   operations rate, other types and sizes as advanced key operations;
//! - HSM-protected keys (`-HSM` types in a Premium vault): keys per month
//!   (`hsm_protected_keys`; RSA 2048 at one rate, other keys in tiers of the
//!   first 250, next 1,250, next 2,500 and over 4,000) and their operations
//!   per 10K, as advanced key operations.

use super::{filter, title_case};
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};
use rust_decimal_macros::dec;

const SERVICE: &str = "Key Vault";
const FAMILY: &str = "Security";
const HSM_TIERS: &[&str] = &[
    "HSM-protected keys (first 250)",
    "HSM-protected keys (next 1250)",
    "HSM-protected keys (next 2500)",
    "HSM-protected keys (over 4000)",
];

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let Some(sku) = ctx
        .referenced(&["key_vault_id"])
        .and_then(|vault| vault.str("sku_name").map(title_case))
    else {
        p.note("the key vault (key_vault_id) or its sku_name is not in the plan; the key is not priced");
        return p;
    };
    let key_type = attrs.str("key_type").unwrap_or_default();
    let rsa_2048 = attrs.decimal("key_size") == Some(dec!(2048));
    let meter = |unit: &'static str, meter: &str| {
        filter(SERVICE, FAMILY, ctx.region, unit)
            .attr("skuName", sku.clone())
            .attr("meterName", meter.to_string())
    };
    let per_10k = |key: &str| ctx.usage.decimal(key).map(|n| n / dec!(10000));
    p.push(ComponentSpec::usage(
        "Secrets operations",
        "10K transactions",
        per_10k("monthly_secrets_operations"),
        meter("10K", "Operations"),
    ));
    p.push(ComponentSpec::usage(
        "Storage key rotations",
        "renewals",
        ctx.usage.decimal("monthly_key_rotation_renewals"),
        meter("Renewal", "Secret Renewal"),
    ));
    let hsm = key_type.ends_with("HSM");
    if !hsm {
        let operations = if key_type.eq_ignore_ascii_case("rsa") && rsa_2048 {
            "Operations"
        } else {
            "Advanced Key Operations"
        };
        p.push(ComponentSpec::usage(
            "Software-protected keys",
            "10K transactions",
            per_10k("monthly_protected_keys_operations"),
            meter("10K", operations),
        ));
    } else if sku == "Premium" {
        let keys = ctx.usage.decimal("hsm_protected_keys");
        if key_type.eq_ignore_ascii_case("rsa-hsm") && rsa_2048 {
            p.push(ComponentSpec::usage(
                "HSM-protected keys",
                "months",
                keys,
                meter("Month", "Premium HSM-protected RSA 2048-bit key"),
            ));
        } else {
            let c = ComponentSpec::usage(
                "HSM-protected keys",
                "months",
                keys,
                meter("Month", "Premium HSM-protected Advanced Key"),
            );
            // Tier lines once the number of keys is known.
            p.push(if keys.is_some() {
                c.tier_names(HSM_TIERS)
            } else {
                c
            });
        }
        if let Some(ops) = per_10k("monthly_protected_keys_operations") {
            p.push(ComponentSpec::usage(
                "HSM-protected keys",
                "10K transactions",
                Some(ops),
                meter("10K", "Advanced Key Operations"),
            ));
        }
    }
    p
}

#[cfg(test)]
mod tests {
    use super::title_case;
    use crate::cost::ComponentStatus;
    use crate::cost::testing::component;
    use crate::cost::usage::UsageFile;
    use crate::cost::{CostOptions, ResourceCost, estimate};
    use crate::plan::parse_plan;
    use crate::pricing::PriceTable;
    use rust_decimal_macros::dec;
    use serde_json::{Value, json};
    use std::path::Path;

    /// A key in a vault of `sku` in eastus, referring to the vault by
    /// `key_vault_id` as terraform's configuration shows it.
    fn key(sku: &str, after: Value, usage: Option<&str>) -> ResourceCost {
        let plan = json!({
            "format_version": "1.2",
            "resource_changes": [
                {"address": "azurerm_key_vault.v", "mode": "managed", "type": "azurerm_key_vault", "name": "v",
                 "provider_name": "registry.terraform.io/hashicorp/azurerm",
                 "change": {"actions": ["create"], "before": null,
                            "after": {"location": "eastus", "sku_name": sku}, "after_unknown": {}}},
                {"address": "azurerm_key_vault_key.test", "mode": "managed", "type": "azurerm_key_vault_key", "name": "test",
                 "provider_name": "registry.terraform.io/hashicorp/azurerm",
                 "change": {"actions": ["create"], "before": null, "after": after,
                            "after_unknown": {"key_vault_id": true}}}
            ],
            "configuration": {"root_module": {"resources": [
                {"address": "azurerm_key_vault.v", "mode": "managed", "type": "azurerm_key_vault", "name": "v",
                 "provider_config_key": "azurerm", "expressions": {}},
                {"address": "azurerm_key_vault_key.test", "mode": "managed", "type": "azurerm_key_vault_key",
                 "name": "test", "provider_config_key": "azurerm",
                 "expressions": {"key_vault_id": {"references": ["azurerm_key_vault.v.id", "azurerm_key_vault.v"]}}}
            ]}}
        });
        let plan = parse_plan(plan.to_string().as_bytes(), Path::new("t.json")).unwrap();
        let usage = usage
            .map(|u| UsageFile::parse(u, Path::new("u.yml")).unwrap())
            .unwrap_or_default();
        let opts = CostOptions {
            usage,
            ..CostOptions::default()
        };
        let project = estimate(&plan, PriceTable::embedded(), &opts);
        project
            .breakdown
            .resources
            .into_iter()
            .find(|r| r.name == "azurerm_key_vault_key.test")
            .expect("the key is priced")
    }

    fn usage(keys: u32) -> String {
        format!(
            "version: 0.1\nresource_usage:\n  azurerm_key_vault_key.test:\n    monthly_secrets_operations: 40000\n    monthly_key_rotation_renewals: 40\n    monthly_protected_keys_operations: 4000000\n    hsm_protected_keys: {keys}\n"
        )
    }

    #[test]
    fn software_keys_bill_operations_rotations_and_key_operations() {
        let u = usage(0);
        // RSA 2048: 400 × $0.03 = $12.00 at the standard operations rate
        let r = key(
            "premium",
            json!({"key_type": "RSA", "key_size": 2048}),
            Some(&u),
        );
        assert_eq!(
            component(&r, "Secrets operations").monthly_cost,
            Some(dec!(0.12))
        );
        assert_eq!(
            component(&r, "Storage key rotations").monthly_cost,
            Some(dec!(40))
        );
        assert_eq!(
            component(&r, "Software-protected keys").monthly_cost,
            Some(dec!(12.00))
        );
        // RSA 3072 and EC: advanced, 400 × $0.15 = $60.00
        let r = key("standard", json!({"key_type": "EC"}), Some(&u));
        assert_eq!(
            component(&r, "Software-protected keys").monthly_cost,
            Some(dec!(60.00))
        );
    }

    #[test]
    fn hsm_keys_in_a_premium_vault_bill_per_key_in_tiers() {
        let u = usage(5000);
        // 250 × $5 + 1,250 × $2.50 + 2,500 × $0.90 + 1,000 × $0.40
        let r = key(
            "premium",
            json!({"key_type": "RSA-HSM", "key_size": 3072}),
            Some(&u),
        );
        for (name, qty, cost) in [
            ("HSM-protected keys (first 250)", dec!(250), dec!(1250)),
            ("HSM-protected keys (next 1250)", dec!(1250), dec!(3125)),
            ("HSM-protected keys (next 2500)", dec!(2500), dec!(2250)),
            ("HSM-protected keys (over 4000)", dec!(1000), dec!(400)),
        ] {
            let c = component(&r, name);
            assert_eq!(
                (c.monthly_quantity, c.monthly_cost),
                (Some(qty), Some(cost)),
                "{name}"
            );
        }
        // RSA 2048 HSM keys: 5,000 × $1.00; operations 400 × $0.15
        let r = key(
            "premium",
            json!({"key_type": "RSA-HSM", "key_size": 2048}),
            Some(&u),
        );
        let all = r.all_components();
        let hsm: Vec<_> = all
            .iter()
            .filter(|(n, _)| n == "HSM-protected keys")
            .collect();
        assert_eq!(hsm.len(), 2);
        assert_eq!(hsm[0].1.monthly_cost, Some(dec!(5000)));
        assert_eq!(hsm[1].1.monthly_cost, Some(dec!(60.00)));
    }

    #[test]
    fn hsm_keys_in_a_standard_vault_bill_only_operations_and_no_usage_waits() {
        let r = key(
            "standard",
            json!({"key_type": "RSA-HSM", "key_size": 2048}),
            Some(&usage(5)),
        );
        assert_eq!(r.all_components().len(), 2);
        let r = key("premium", json!({"key_type": "EC"}), None);
        let c = component(&r, "Software-protected keys");
        assert_eq!(c.status, ComponentStatus::UsageMissing);
        assert_eq!(c.price, Some(dec!(0.15)));
    }

    #[test]
    fn sku_is_spelled_as_the_price_list_does() {
        assert_eq!(title_case("premium"), "Premium");
        assert_eq!(title_case("STANDARD"), "Standard");
    }
}
