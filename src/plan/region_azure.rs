//! Where an `azurerm_*` resource lives: its own `location` (the provider
//! normalises `"West Europe"` to `westeurope`; we do the same), else the
//! location of the resource group it names (`resource_group_name`, found among
//! the plan's `azurerm_resource_group` resources and data sources), else the
//! location of the parent its configuration refers to (an SQL database's
//! `server_id`, a key's `key_vault_id`), else a guess: `eastus` (Infracost's default), unless
//! `--default-region` is an Azure location.

use super::region::{Region, RegionSource};
use super::{Plan, ResourceChange};
use serde_json::Value;

/// Location Infracost assumes for Azure resources that name none.
pub(crate) const AZURE_DEFAULT_REGION: &str = "eastus";

/// `None` for resources that are not Azure's.
pub(super) fn region_of(
    plan: &Plan,
    rc: &ResourceChange,
    values: Option<&Value>,
    default: &str,
) -> Option<Region> {
    if !rc.resource_type.starts_with("azurerm_") {
        return None;
    }
    let text = |v: Option<&Value>, k: &str| {
        v.and_then(|v| v.get(k))
            .and_then(Value::as_str)
            .filter(|s| !s.trim().is_empty())
            .map(normalize)
    };
    if let Some(code) = text(values, "location") {
        return Some(Region {
            code,
            source: RegionSource::Resource("location".into()),
        });
    }
    if let Some(group) = text(values, "resource_group_name") {
        let found = plan
            .resource_changes
            .iter()
            .filter(|g| g.resource_type == "azurerm_resource_group")
            .find_map(|g| {
                let side = g.change.after_value().or(g.change.before_value());
                (text(side, "name").as_deref() == Some(group.as_str()))
                    .then(|| text(side, "location"))
                    .flatten()
            });
        if let Some(code) = found {
            return Some(Region {
                code,
                source: RegionSource::Resource(format!("location of resource group `{group}`")),
            });
        }
    }
    if let Some(region) = parent_location(plan, rc, default) {
        return Some(region);
    }
    Some(Region::guess(default, is_location, AZURE_DEFAULT_REGION))
}

/// Attributes naming a parent whose location a resource without one lives in.
const PARENT_KEYS: &[&str] = &["server_id", "key_vault_id"];

/// The location of the parent resource this one's configuration refers to
/// through [`PARENT_KEYS`] (an `azurerm_mssql_database` lives where its
/// `azurerm_mssql_server` does); `None` when there is none or it is a guess.
fn parent_location(plan: &Plan, rc: &ResourceChange, default: &str) -> Option<Region> {
    let cfg = plan.configuration.as_ref()?;
    let own = cfg.resource(
        rc.module_address.as_deref(),
        &rc.resource_type,
        &rc.name,
        false,
    )?;
    let prefix = rc
        .module_address
        .as_deref()
        .map(|m| format!("{m}."))
        .unwrap_or_default();
    PARENT_KEYS.iter().find_map(|key| {
        own.references(&[key]).into_iter().find_map(|reference| {
            let parts: Vec<&str> = reference.split('.').collect();
            if parts.len() < 2 || parts[0] == "data" {
                return None;
            }
            let base = format!("{prefix}{}.{}", parts[0], parts[1]);
            let parent = plan.resource_changes.iter().find(|p| {
                p.address == base
                    || p.address
                        .strip_prefix(base.as_str())
                        .is_some_and(|rest| rest.starts_with('['))
            })?;
            if parent.address == rc.address || !parent.resource_type.starts_with("azurerm_") {
                return None;
            }
            let side = parent.change.after_value().or(parent.change.before_value());
            let found = region_of(plan, parent, side, default)?;
            (!found.is_guess()).then(|| Region {
                code: found.code,
                source: RegionSource::Resource(format!("location of `{}`", parent.address)),
            })
        })
    })
}

/// `"West Europe"` → `westeurope`: the form the provider stores and prices use.
pub(crate) fn normalize(location: &str) -> String {
    location
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Azure location names are one lowercase word (`eastus`, `westus2`).
fn is_location(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && s.chars().next().is_some_and(|c| c.is_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::parse_plan;
    use serde_json::json;
    use std::path::Path;

    fn resolve(after: Value, group: Option<Value>, default: &str) -> Region {
        let mut changes = vec![json!({
            "address": "azurerm_managed_disk.d", "mode": "managed",
            "type": "azurerm_managed_disk", "name": "d",
            "provider_name": "registry.terraform.io/hashicorp/azurerm",
            "change": {"actions": ["create"], "before": null, "after": after}
        })];
        if let Some(g) = group {
            changes.push(json!({
                "address": "azurerm_resource_group.rg", "mode": "managed",
                "type": "azurerm_resource_group", "name": "rg",
                "provider_name": "registry.terraform.io/hashicorp/azurerm",
                "change": {"actions": ["no-op"], "before": g, "after": g}
            }));
        }
        let p = json!({"format_version": "1.2", "resource_changes": changes});
        let p = parse_plan(p.to_string().as_bytes(), Path::new("t.json")).unwrap();
        let rc = &p.resource_changes[0];
        p.region_of(rc, rc.change.after_value(), default)
    }

    #[test]
    fn own_location_is_normalised() {
        let r = resolve(json!({"location": "West Europe"}), None, "us-east-1");
        assert_eq!(r.code, "westeurope");
        assert_eq!(r.source, RegionSource::Resource("location".into()));
    }

    #[test]
    fn the_resource_group_location_is_next() {
        let r = resolve(
            json!({"resource_group_name": "rg-prod"}),
            Some(json!({"name": "rg-prod", "location": "northeurope"})),
            "us-east-1",
        );
        assert_eq!(r.code, "northeurope");
        assert!(!r.is_guess());
        let r = resolve(
            json!({"resource_group_name": "other"}),
            Some(json!({"name": "rg-prod", "location": "northeurope"})),
            "us-east-1",
        );
        assert_eq!(r.code, "eastus");
        assert!(r.is_guess());
    }

    #[test]
    fn a_database_lives_where_its_server_does() {
        let server = |after: Value| {
            json!({
                "address": "azurerm_mssql_server.sql", "mode": "managed",
                "type": "azurerm_mssql_server", "name": "sql",
                "provider_name": "registry.terraform.io/hashicorp/azurerm",
                "change": {"actions": ["create"], "before": null, "after": after}
            })
        };
        let plan = |server_after: Value| {
            let p = json!({"format_version": "1.2", "resource_changes": [
                {"address": "azurerm_mssql_database.db", "mode": "managed",
                 "type": "azurerm_mssql_database", "name": "db",
                 "provider_name": "registry.terraform.io/hashicorp/azurerm",
                 "change": {"actions": ["create"], "before": null, "after": {"sku_name": "S1"}}},
                server(server_after)],
                "configuration": {"root_module": {"resources": [
                    {"address": "azurerm_mssql_database.db", "mode": "managed",
                     "type": "azurerm_mssql_database", "name": "db",
                     "expressions": {"server_id": {"references": [
                        "azurerm_mssql_server.sql.id", "azurerm_mssql_server.sql"]}}},
                    {"address": "azurerm_mssql_server.sql", "mode": "managed",
                     "type": "azurerm_mssql_server", "name": "sql", "expressions": {}}]}}});
            parse_plan(p.to_string().as_bytes(), Path::new("t.json")).unwrap()
        };
        let p = plan(json!({"location": "North Europe"}));
        let rc = &p.resource_changes[0];
        let r = p.region_of(rc, rc.change.after_value(), "us-east-1");
        assert_eq!(r.code, "northeurope");
        assert_eq!(
            r.source,
            RegionSource::Resource("location of `azurerm_mssql_server.sql`".into())
        );
        // a server without a location is no better than the guess
        let p = plan(json!({"name": "sql"}));
        let rc = &p.resource_changes[0];
        let r = p.region_of(rc, rc.change.after_value(), "us-east-1");
        assert_eq!(r.code, "eastus");
        assert!(r.is_guess());
    }

    #[test]
    fn an_azure_default_region_is_used_as_the_guess() {
        let r = resolve(json!({}), None, "westus2");
        assert_eq!(r.code, "westus2");
        assert!(r.is_guess());
    }
}
