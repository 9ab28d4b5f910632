//! `azurerm_storage_share`: an Azure Files share, priced as Infracost does:
//! data at rest (the `quota` for Premium shares, else usage `storage_gb`),
//! snapshots, metadata (Hot/Cool), read/write/list/other operations per 10K
//! (not Premium) and data retrieval (Cool, not GZRS), at the share's
//! `access_tier` (`TransactionOptimized`, the default, is the `Standard`
//! price) and the replication of the storage account `storage_account_name`
//! refers to (LRS when unknown). A Premium share on an account that is not
//! `FileStorage` is not a valid share and is not priced.

use super::filter;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};
use crate::pricing::PriceFilter;
use rust_decimal::Decimal;

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let tier_attr = attrs.str("access_tier").unwrap_or("TransactionOptimized");
    let tier = match tier_attr.to_ascii_lowercase().as_str() {
        "hot" => "Hot",
        "cool" => "Cool",
        "transactionoptimized" => "Standard",
        "premium" => "Premium",
        _ => {
            p.note(format!(
                "access_tier `{tier_attr}` is not an Azure Files tier; the share is not priced"
            ));
            return p;
        }
    };
    let premium = tier == "Premium";
    let account = account_of(attrs, ctx);
    let replication = account
        .as_ref()
        .and_then(|a| a.str("account_replication_type"))
        .unwrap_or("LRS")
        .to_ascii_uppercase();
    if premium
        && let Some(a) = &account
        && !a
            .str("account_kind")
            .is_some_and(|k| k.eq_ignore_ascii_case("FileStorage"))
    {
        p.note("Premium shares need a FileStorage account; the share is not priced");
        return p;
    }
    let product = if premium { "Premium Files" } else { "Files v2" };
    let sku = format!("{tier} {replication}");
    let meter = |unit: &'static str, name: &str| -> PriceFilter {
        filter("Storage", "Storage", ctx.region, unit)
            .attr("productName", product)
            .attr("skuName", sku.clone())
            .attr("meterName", name.to_string())
    };
    let gb = |key: &str| ctx.usage.decimal(key);
    let per_10k = |key: &str| ctx.usage.decimal(key).map(|n| n / Decimal::from(10_000));

    let stored = ctx
        .usage
        .decimal("storage_gb")
        .or_else(|| premium.then(|| attrs.decimal("quota")).flatten());
    let (data_meter, snapshot_meter) = if premium {
        ("Provisioned", "Snapshots")
    } else {
        ("Data Stored", "Data Stored")
    };
    p.push(ComponentSpec::usage(
        "Data at rest",
        "GB",
        stored,
        meter("GB", data_meter),
    ));
    p.push(ComponentSpec::usage(
        "Snapshots",
        "GB",
        gb("snapshots_storage_gb"),
        meter("GB", snapshot_meter),
    ));
    if tier == "Hot" || tier == "Cool" {
        p.push(ComponentSpec::usage(
            "Metadata at rest",
            "GB",
            gb("metadata_at_rest_storage_gb"),
            meter("GB", "Metadata"),
        ));
    }
    if !premium {
        let other_meter = if tier == "Standard" {
            "Protocol Operations"
        } else {
            "Other Operations"
        };
        for (name, key, meter_name) in [
            (
                "Read operations",
                "monthly_read_operations",
                "Read Operations",
            ),
            (
                "Write operations",
                "monthly_write_operations",
                "Write Operations",
            ),
            (
                "List operations",
                "monthly_list_operations",
                "List Operations",
            ),
            ("Other operations", "monthly_other_operations", other_meter),
        ] {
            p.push(ComponentSpec::usage(
                name,
                "10k operations",
                per_10k(key),
                meter("10K", meter_name),
            ));
        }
    }
    if tier == "Cool" && replication != "GZRS" {
        p.push(ComponentSpec::usage(
            "Data retrieval",
            "GB",
            gb("monthly_data_retrieval_gb"),
            meter("GB", "Data Retrieval"),
        ));
    }
    p
}

/// The storage account holding the share: the plan's account of that name
/// (names are unique across Azure, and the plan knows them even where the
/// reference goes through a `for_each` key), else the one the configuration
/// refers to.
fn account_of<'p>(attrs: &Attrs, ctx: &Ctx<'_, 'p>) -> Option<Attrs<'p>> {
    let by_name = attrs.str("storage_account_name").and_then(|name| {
        ctx.find_resource(
            &["azurerm_storage_account"],
            |v| v.get("name").and_then(|v| v.as_str()) == Some(name),
            None,
        )
    });
    by_name
        .or_else(|| ctx.referenced(&["storage_account_name"]))
        .or_else(|| ctx.referenced(&["storage_account_id"]))
}

#[cfg(test)]
mod tests {
    use crate::cost::ComponentStatus;
    use crate::cost::resources::azure::price_in_plan;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    const USAGE: &str = "version: 0.1\nresource_usage:\n  azurerm_storage_share.test:\n    storage_gb: 2000000\n    snapshots_storage_gb: 20000\n    metadata_at_rest_storage_gb: 20000\n    monthly_write_operations: 2000000\n    monthly_list_operations: 2000000\n    monthly_read_operations: 200000\n    monthly_other_operations: 2000000\n    monthly_data_retrieval_gb: 2000\n";

    #[test]
    fn transaction_optimized_is_the_standard_price_without_metadata() {
        // (location given so the test needs no account) no account: LRS. 2,000,000 GB × $0.06 = $120,000; snapshots 20,000 ×
        // $0.06 = $1,200; reads 20 × $0.0015 = $0.03; writes 200 × $0.015 = $3;
        // lists 200 × $0.015 = $3; protocol ops 200 × $0.0015 = $0.30
        let r = price(
            "azurerm_storage_share",
            json!({"location": "westus", "quota": 50, "access_tier": "TransactionOptimized"}),
            "westus",
            Some(USAGE),
        );
        for (name, cost) in [
            ("Data at rest", dec!(120000)),
            ("Snapshots", dec!(1200)),
            ("Read operations", dec!(0.03)),
            ("Write operations", dec!(3)),
            ("List operations", dec!(3)),
            ("Other operations", dec!(0.30)),
        ] {
            assert_eq!(component(&r, name).monthly_cost, Some(cost), "{name}");
        }
        assert!(
            r.all_components()
                .iter()
                .all(|(_, c)| c.name != "Metadata at rest" && c.name != "Data retrieval")
        );
    }

    #[test]
    fn cool_has_metadata_and_retrieval() {
        // Cool LRS: metadata 20,000 × $0.0297 = $594; retrieval 2,000 × $0.01 = $20;
        // writes 200 × $0.13 = $26
        let r = price(
            "azurerm_storage_share",
            json!({"location": "westus", "quota": 50, "access_tier": "Cool"}),
            "westus",
            Some(USAGE),
        );
        assert_eq!(
            component(&r, "Metadata at rest").monthly_cost,
            Some(dec!(594))
        );
        assert_eq!(component(&r, "Data retrieval").monthly_cost, Some(dec!(20)));
        assert_eq!(
            component(&r, "Write operations").monthly_cost,
            Some(dec!(26))
        );
        // Hot has no retrieval; without usage the data waits for it
        let r = price(
            "azurerm_storage_share",
            json!({"location": "westus", "quota": 50, "access_tier": "Hot"}),
            "westus",
            None,
        );
        assert_eq!(
            component(&r, "Data at rest").status,
            ComponentStatus::UsageMissing
        );
        assert!(
            r.all_components()
                .iter()
                .all(|(_, c)| c.name != "Data retrieval")
        );
    }

    fn premium_plan(kind: &str) -> serde_json::Value {
        let rc = |addr: &str, ty: &str, name: &str, after: serde_json::Value| {
            json!({"address": addr, "mode": "managed", "type": ty, "name": name,
                   "provider_name": "registry.terraform.io/hashicorp/azurerm",
                   "change": {"actions": ["create"], "before": null, "after": after}})
        };
        json!({"format_version": "1.2", "resource_changes": [
            rc("azurerm_storage_account.a", "azurerm_storage_account", "a",
               json!({"location": "westus", "account_kind": kind, "account_tier": "Premium",
                      "account_replication_type": "ZRS"})),
            rc("azurerm_storage_share.s", "azurerm_storage_share", "s",
               json!({"quota": 50, "access_tier": "Premium"}))],
            "configuration": {"root_module": {"resources": [
                {"address": "azurerm_storage_share.s", "mode": "managed",
                 "type": "azurerm_storage_share", "name": "s",
                 "expressions": {"storage_account_name": {"references":
                    ["azurerm_storage_account.a.name", "azurerm_storage_account.a"]}}},
                {"address": "azurerm_storage_account.a", "mode": "managed",
                 "type": "azurerm_storage_account", "name": "a", "expressions": {}}]}}})
    }

    #[test]
    fn premium_is_the_quota_at_the_accounts_replication_and_lives_where_it_does() {
        // Premium ZRS in westus (the account's location): 50 GB quota × $0.22 = $11;
        // no operation lines
        let r = price_in_plan(premium_plan("FileStorage"), None, "azurerm_storage_share.s");
        let comps = r.all_components();
        let data = comps
            .iter()
            .find(|(_, c)| c.name == "Data at rest")
            .unwrap();
        assert_eq!(
            (data.1.monthly_quantity, data.1.monthly_cost),
            (Some(dec!(50)), Some(dec!(11.00)))
        );
        assert_eq!(comps.len(), 2);
        // found by its name alone (no reference in the configuration; the
        // region then comes from a location given here): ZRS, the same $11
        let mut plan = premium_plan("FileStorage");
        plan["resource_changes"][0]["change"]["after"]["name"] = json!("acct");
        plan["resource_changes"][1]["change"]["after"]["storage_account_name"] = json!("acct");
        plan["resource_changes"][1]["change"]["after"]["location"] = json!("westus");
        plan["configuration"]["root_module"]["resources"][0]["expressions"] = json!({});
        let r = price_in_plan(plan, None, "azurerm_storage_share.s");
        let comps = r.all_components();
        let data = comps
            .iter()
            .find(|(_, c)| c.name == "Data at rest")
            .unwrap();
        assert_eq!(data.1.monthly_cost, Some(dec!(11.00)));
        // a Premium share on a StorageV2 account is not priced
        let r = price_in_plan(premium_plan("StorageV2"), None, "azurerm_storage_share.s");
        assert!(r.all_components().is_empty());
    }
}
