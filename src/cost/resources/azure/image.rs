//! `azurerm_image`: storage per GB-month at the Standard HDD snapshot rate
//! (Azure bills custom images there, as snapshots, whatever disks back them),
//! as Infracost prices it. The size is the usage file's `storage_gb`, else
//! the image's own disks (`os_disk` and each `data_disk`: `size_gb`, else the
//! `disk_size_gb` of the managed disk its `managed_disk_id` refers to), else
//! the disks of the virtual machine `source_virtual_machine_id` refers to
//! (its `storage_os_disk` size, 128 GB when the plan does not know it, plus
//! each `storage_data_disk`'s size). Without any, the line waits for usage.

use crate::cost::{Attrs, Ctx, Priced};
use rust_decimal::Decimal;

/// The size Azure gives an OS disk made from a marketplace image when the
/// configuration names none, as Infracost assumes it.
const DEFAULT_VM_OS_DISK_GB: Decimal = Decimal::from_parts(128, 0, 0, false, 0);

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let size = ctx.usage.decimal("storage_gb").or_else(|| {
        let own = own_disks_gb(attrs, ctx);
        if own > Decimal::ZERO {
            return Some(own);
        }
        ctx.referenced(&["source_virtual_machine_id"])
            .map(|vm| vm_disks_gb(&vm))
            .filter(|gb| *gb > Decimal::ZERO)
    });
    p.push(super::snapshot::storage(ctx, size));
    p
}

/// The image's `os_disk` and `data_disk` sizes; a disk without `size_gb`
/// counts its referenced managed disk's size (the plan's configuration names
/// the first element of each block).
fn own_disks_gb(attrs: &Attrs, ctx: &Ctx) -> Decimal {
    let sized = |disk: &Attrs, block: &str, first: bool| {
        disk.decimal("size_gb")
            .or_else(|| {
                first
                    .then(|| ctx.referenced(&[block, "managed_disk_id"]))
                    .flatten()
                    .and_then(|md| md.decimal("disk_size_gb"))
            })
            .unwrap_or_default()
    };
    let mut gb = attrs
        .block("os_disk")
        .map(|d| sized(&d, "os_disk", true))
        .unwrap_or_default();
    for (i, d) in attrs.blocks("data_disk").iter().enumerate() {
        gb += sized(d, "data_disk", i == 0);
    }
    gb
}

/// A virtual machine's OS disk (128 GB unless sized) plus its data disks.
fn vm_disks_gb(vm: &Attrs) -> Decimal {
    let os = vm
        .decimal("storage_os_disk.0.disk_size_gb")
        .unwrap_or(DEFAULT_VM_OS_DISK_GB);
    vm.blocks("storage_data_disk")
        .iter()
        .filter_map(|d| d.decimal("disk_size_gb"))
        .fold(os, |a, b| a + b)
}

#[cfg(test)]
mod tests {
    use crate::cost::ComponentStatus;
    use crate::cost::resources::azure::price_in_plan;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    #[test]
    fn size_from_the_images_disks_or_usage() {
        // os_disk 30 GB + data_disk 30 GB = 60 GB × $0.05 = $3.00
        let r = price(
            "azurerm_image",
            json!({"location": "westeurope", "os_disk": [{"size_gb": 30}],
                   "data_disk": [{"size_gb": 30}]}),
            "westeurope",
            None,
        );
        let c = component(&r, "Storage");
        assert_eq!(
            (c.monthly_quantity, c.monthly_cost),
            (Some(dec!(60)), Some(dec!(3.00)))
        );
        // usage storage_gb wins: 300 GB × $0.05 = $15
        let usage = "version: 0.1\nresource_usage:\n  azurerm_image.test:\n    storage_gb: 300\n";
        let r = price(
            "azurerm_image",
            json!({"location": "westeurope", "os_disk": [{"size_gb": 30}]}),
            "westeurope",
            Some(usage),
        );
        assert_eq!(component(&r, "Storage").monthly_cost, Some(dec!(15)));
        // no disks, no source, no usage: waits for usage at $0.05/GB
        let r = price(
            "azurerm_image",
            json!({"location": "westeurope"}),
            "westeurope",
            None,
        );
        let c = component(&r, "Storage");
        assert_eq!(c.status, ComponentStatus::UsageMissing);
        assert_eq!(c.price, Some(dec!(0.05)));
    }

    fn rc(addr: &str, ty: &str, name: &str, after: serde_json::Value) -> serde_json::Value {
        json!({"address": addr, "mode": "managed", "type": ty, "name": name,
               "provider_name": "registry.terraform.io/hashicorp/azurerm",
               "change": {"actions": ["create"], "before": null, "after": after}})
    }

    #[test]
    fn size_from_the_referenced_managed_disk() {
        // os_disk without size_gb → the managed disk's 70 GB × $0.05 = $3.50
        let plan = json!({"format_version": "1.2", "resource_changes": [
            rc("azurerm_managed_disk.d", "azurerm_managed_disk", "d",
               json!({"location": "westeurope", "disk_size_gb": 70})),
            rc("azurerm_image.i", "azurerm_image", "i",
               json!({"location": "westeurope", "os_disk": [{"size_gb": null}]}))],
            "configuration": {"root_module": {"resources": [
                {"address": "azurerm_image.i", "mode": "managed", "type": "azurerm_image",
                 "name": "i", "expressions": {"os_disk": [{"managed_disk_id": {"references":
                    ["azurerm_managed_disk.d.id", "azurerm_managed_disk.d"]}}]}},
                {"address": "azurerm_managed_disk.d", "mode": "managed",
                 "type": "azurerm_managed_disk", "name": "d", "expressions": {}}]}}});
        let r = price_in_plan(plan, None, "azurerm_image.i");
        let (_, c) = r.all_components().into_iter().next().unwrap();
        assert_eq!(
            (c.monthly_quantity, c.monthly_cost),
            (Some(dec!(70)), Some(dec!(3.50)))
        );
    }

    #[test]
    fn size_from_the_source_virtual_machine() {
        // 128 GB OS disk (unsized) + 30 GB data disk + unsized data disk = 158 GB
        // × $0.05 = $7.90
        let plan = json!({"format_version": "1.2", "resource_changes": [
            rc("azurerm_virtual_machine.vm", "azurerm_virtual_machine", "vm",
               json!({"location": "westeurope", "vm_size": "Standard_DS1_v2",
                      "storage_os_disk": [{"name": "os"}],
                      "storage_data_disk": [{"disk_size_gb": 30}, {"disk_size_gb": null}]})),
            rc("azurerm_image.i", "azurerm_image", "i", json!({"location": "westeurope"}))],
            "configuration": {"root_module": {"resources": [
                {"address": "azurerm_image.i", "mode": "managed", "type": "azurerm_image",
                 "name": "i", "expressions": {"source_virtual_machine_id": {"references":
                    ["azurerm_virtual_machine.vm.id", "azurerm_virtual_machine.vm"]}}},
                {"address": "azurerm_virtual_machine.vm", "mode": "managed",
                 "type": "azurerm_virtual_machine", "name": "vm", "expressions": {}}]}}});
        let r = price_in_plan(plan, None, "azurerm_image.i");
        let (_, c) = r.all_components().into_iter().next().unwrap();
        assert_eq!(
            (c.monthly_quantity, c.monthly_cost),
            (Some(dec!(158)), Some(dec!(7.90)))
        );
    }
}
