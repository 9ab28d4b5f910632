//! Where an `azurerm_*` resource lives: its own `location` (the provider
//! normalises `"West Europe"` to `westeurope`; we do the same), else the
//! location of the resource group it names (`resource_group_name`, found among
//! the plan's `azurerm_resource_group` resources and data sources), else the
//! location of the parent its configuration refers to (an SQL database's
//! `server_id`, a key's `key_vault_id`, a node pool's `kubernetes_cluster_id`, a
//! Traffic Manager endpoint's `profile_id`), else a guess: `eastus` (Infracost's default), unless
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
        // The group the configuration refers to first: two groups may share a name.
        let referenced = referenced_parents(plan, rc, "resource_group_name")
            .into_iter()
            .filter(|g| g.resource_type == "azurerm_resource_group");
        let found = referenced
            .chain(
                plan.resource_changes
                    .iter()
                    .filter(|g| g.resource_type == "azurerm_resource_group"),
            )
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
const PARENT_KEYS: &[&str] = &[
    "server_id",
    "key_vault_id",
    "kubernetes_cluster_id",
    "cassandra_keyspace_id",
    "data_factory_id",
    "profile_id",
    "storage_account_name",
    "storage_account_id",
];

/// The location of the parent resource this one's configuration refers to
/// through [`PARENT_KEYS`] (an `azurerm_mssql_database` lives where its
/// `azurerm_mssql_server` does); `None` when there is none or it is a guess.
fn parent_location(plan: &Plan, rc: &ResourceChange, default: &str) -> Option<Region> {
    PARENT_KEYS.iter().find_map(|key| {
        referenced_parents(plan, rc, key)
            .into_iter()
            .find_map(|parent| {
                if !parent.resource_type.starts_with("azurerm_") {
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

/// The plan's resources that `rc`'s configuration refers to in `key`
/// (`server_id = azurerm_mssql_server.sql.id`), itself excluded.
fn referenced_parents<'p>(
    plan: &'p Plan,
    rc: &ResourceChange,
    key: &str,
) -> Vec<&'p ResourceChange> {
    let Some(own) = plan.configuration.as_ref().and_then(|cfg| {
        cfg.resource(
            rc.module_address.as_deref(),
            &rc.resource_type,
            &rc.name,
            false,
        )
    }) else {
        return Vec::new();
    };
    let prefix = rc
        .module_address
        .as_deref()
        .map(|m| format!("{m}."))
        .unwrap_or_default();
    own.references(&[key])
        .into_iter()
        .filter_map(|reference| {
            let parts: Vec<&str> = reference.split('.').collect();
            if parts.len() < 2 || parts[0] == "data" {
                return None;
            }
            let base = format!("{prefix}{}.{}", parts[0], parts[1]);
            plan.resource_changes.iter().find(|p| {
                p.address != rc.address
                    && (p.address == base
                        || p.address
                            .strip_prefix(base.as_str())
                            .is_some_and(|rest| rest.starts_with('[')))
            })
        })
        .collect()
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
    fn of_two_groups_with_one_name_the_referenced_one_is_used() {
        let group = |name: &str, location: &str| {
            json!({"address": format!("azurerm_resource_group.{name}"), "mode": "managed",
                   "type": "azurerm_resource_group", "name": name,
                   "provider_name": "registry.terraform.io/hashicorp/azurerm",
                   "change": {"actions": ["create"], "before": null,
                              "after": {"name": "example-resources", "location": location}}})
        };
        let p = json!({"format_version": "1.2", "resource_changes": [
            {"address": "azurerm_dns_zone.germany", "mode": "managed",
             "type": "azurerm_dns_zone", "name": "germany",
             "provider_name": "registry.terraform.io/hashicorp/azurerm",
             "change": {"actions": ["create"], "before": null,
                        "after": {"resource_group_name": "example-resources"}}},
            group("example", "westus"), group("example1", "germanywestcentral")],
            "configuration": {"root_module": {"resources": [
                {"address": "azurerm_dns_zone.germany", "mode": "managed",
                 "type": "azurerm_dns_zone", "name": "germany",
                 "expressions": {"resource_group_name": {"references": [
                    "azurerm_resource_group.example1.name", "azurerm_resource_group.example1"]}}}]}}});
        let p = parse_plan(p.to_string().as_bytes(), Path::new("t.json")).unwrap();
        let rc = &p.resource_changes[0];
        let r = p.region_of(rc, rc.change.after_value(), "us-east-1");
        assert_eq!(r.code, "germanywestcentral");
        assert!(!r.is_guess());
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
    fn a_node_pool_lives_where_its_cluster_does() {
        let p = json!({"format_version": "1.2", "resource_changes": [
            {"address": "azurerm_kubernetes_cluster_node_pool.pool", "mode": "managed",
             "type": "azurerm_kubernetes_cluster_node_pool", "name": "pool",
             "provider_name": "registry.terraform.io/hashicorp/azurerm",
             "change": {"actions": ["create"], "before": null, "after": {"vm_size": "Standard_D2_v2"}}},
            {"address": "azurerm_kubernetes_cluster.aks", "mode": "managed",
             "type": "azurerm_kubernetes_cluster", "name": "aks",
             "provider_name": "registry.terraform.io/hashicorp/azurerm",
             "change": {"actions": ["create"], "before": null, "after": {"location": "westeurope"}}}],
            "configuration": {"root_module": {"resources": [
                {"address": "azurerm_kubernetes_cluster_node_pool.pool", "mode": "managed",
                 "type": "azurerm_kubernetes_cluster_node_pool", "name": "pool",
                 "expressions": {"kubernetes_cluster_id": {"references": [
                    "azurerm_kubernetes_cluster.aks.id", "azurerm_kubernetes_cluster.aks"]}}},
                {"address": "azurerm_kubernetes_cluster.aks", "mode": "managed",
                 "type": "azurerm_kubernetes_cluster", "name": "aks", "expressions": {}}]}}});
        let p = parse_plan(p.to_string().as_bytes(), Path::new("t.json")).unwrap();
        let rc = &p.resource_changes[0];
        let r = p.region_of(rc, rc.change.after_value(), "us-east-1");
        assert_eq!(r.code, "westeurope");
        assert!(!r.is_guess());
    }

    #[test]
    fn an_azure_default_region_is_used_as_the_guess() {
        let r = resolve(json!({}), None, "westus2");
        assert_eq!(r.code, "westus2");
        assert!(r.is_guess());
    }
}
