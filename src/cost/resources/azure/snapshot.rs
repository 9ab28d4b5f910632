//! `azurerm_snapshot`: storage per GB-month at the Standard HDD snapshot
//! rate (Azure bills every snapshot there, whatever disk it copies), as
//! Infracost prices it. The size is the usage file's `storage_gb`, else the
//! snapshot's `disk_size_gb`, else the `disk_size_gb` of the managed disk its
//! `source_uri` refers to; without any, the line waits for usage.

use super::filter;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};
use rust_decimal::Decimal;

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let size = ctx
        .usage
        .decimal("storage_gb")
        .or_else(|| attrs.decimal("disk_size_gb"))
        .or_else(|| {
            ctx.referenced(&["source_uri"])
                .and_then(|disk| disk.decimal("disk_size_gb"))
        });
    p.push(storage(ctx, size));
    p
}

/// Snapshot storage per GB at the Standard HDD LRS snapshot rate; images
/// (`image.rs`) are billed the same way.
pub(super) fn storage(ctx: &Ctx, gb: Option<Decimal>) -> ComponentSpec {
    ComponentSpec::usage(
        "Storage",
        "GB",
        gb,
        filter("Storage", "Storage", ctx.region, "GB")
            .attr("productName", "Standard HDD Managed Disks")
            .attr("skuName", "Snapshots LRS")
            .attr("meterName", "LRS Snapshots"),
    )
}

#[cfg(test)]
mod tests {
    use crate::cost::ComponentStatus;
    use crate::cost::resources::azure::price_in_plan;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    #[test]
    fn size_from_the_snapshot_or_usage() {
        // 20 GB × $0.05 = $1.00
        let r = price(
            "azurerm_snapshot",
            json!({"location": "westeurope", "disk_size_gb": 20}),
            "westeurope",
            None,
        );
        let c = component(&r, "Storage");
        assert_eq!(
            (c.monthly_quantity, c.monthly_cost),
            (Some(dec!(20)), Some(dec!(1.00)))
        );
        // usage storage_gb wins: 300 GB × $0.05 = $15
        let usage =
            "version: 0.1\nresource_usage:\n  azurerm_snapshot.test:\n    storage_gb: 300\n";
        let r = price(
            "azurerm_snapshot",
            json!({"location": "westeurope", "disk_size_gb": 20}),
            "westeurope",
            Some(usage),
        );
        assert_eq!(component(&r, "Storage").monthly_cost, Some(dec!(15)));
    }

    fn plan_with_source(references: serde_json::Value) -> serde_json::Value {
        let rc = |addr: &str, ty: &str, name: &str, after: serde_json::Value| {
            json!({"address": addr, "mode": "managed", "type": ty, "name": name,
                   "provider_name": "registry.terraform.io/hashicorp/azurerm",
                   "change": {"actions": ["create"], "before": null, "after": after}})
        };
        json!({"format_version": "1.2", "resource_changes": [
            rc("azurerm_managed_disk.d", "azurerm_managed_disk", "d",
               json!({"location": "westeurope", "storage_account_type": "Standard_LRS",
                      "disk_size_gb": 70})),
            rc("azurerm_snapshot.s", "azurerm_snapshot", "s",
               json!({"location": "westeurope", "create_option": "Copy"}))],
            "configuration": {"root_module": {"resources": [
                {"address": "azurerm_snapshot.s", "mode": "managed",
                 "type": "azurerm_snapshot", "name": "s",
                 "expressions": {"source_uri": {"references": references}}},
                {"address": "azurerm_managed_disk.d", "mode": "managed",
                 "type": "azurerm_managed_disk", "name": "d", "expressions": {}}]}}})
    }

    #[test]
    fn size_from_the_source_disk_else_usage_based() {
        // the source disk's 70 GB × $0.05 = $3.50
        let plan = plan_with_source(json!([
            "azurerm_managed_disk.d.id",
            "azurerm_managed_disk.d"
        ]));
        let r = price_in_plan(plan, None, "azurerm_snapshot.s");
        let (_, c) = r.all_components().into_iter().next().unwrap();
        assert_eq!(
            (c.monthly_quantity, c.monthly_cost),
            (Some(dec!(70)), Some(dec!(3.50)))
        );
        let plan = plan_with_source(json!(["each.value.source_uri", "each.value", "each"]));
        let r = price_in_plan(plan, None, "azurerm_snapshot.s");
        let (_, c) = r.all_components().into_iter().next().unwrap();
        assert_eq!(c.status, ComponentStatus::UsageMissing);
        assert_eq!(c.price, Some(dec!(0.05)));
    }
}
