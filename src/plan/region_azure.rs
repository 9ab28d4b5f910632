//! Where an `azurerm_*` resource lives: its own `location` (the provider
//! normalises `"West Europe"` to `westeurope`; we do the same), else the
//! location of the resource group it names (`resource_group_name`, found among
//! the plan's `azurerm_resource_group` resources and data sources), else a
//! guess: `eastus` (Infracost's default), unless `--default-region` is an Azure
//! location.

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
    let code = if is_location(default) {
        default.to_string()
    } else {
        AZURE_DEFAULT_REGION.to_string()
    };
    Some(Region {
        code,
        source: RegionSource::DefaultGuess,
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
    fn an_azure_default_region_is_used_as_the_guess() {
        let r = resolve(json!({}), None, "westus2");
        assert_eq!(r.code, "westus2");
        assert!(r.is_guess());
    }
}
