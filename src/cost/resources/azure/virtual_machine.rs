//! `azurerm_virtual_machine` (the provider's legacy VM), as Infracost prices
//! it: hours of `vm_size` at the Windows price when `storage_os_disk.os_type`
//! is `Windows` or the VM has `os_profile_windows_config` (Linux otherwise;
//! `license_type` `Windows_Server`/`Windows_Client` is the hybrid benefit);
//! usage key `monthly_hrs`; the ultra disk reservation (always shown,
//! usage-based); `storage_os_disk` and each `storage_data_disk` as managed
//! disks (`managed_disk_type`, `disk_size_gb`), their operations from usage
//! keys `storage_os_disk.monthly_disk_operations` and
//! `storage_data_disk.monthly_disk_operations`.

use super::linux_virtual_machine::{instance_hours, push_disk, ultra_reservation};
use super::windows_virtual_machine::hybrid_benefit;
use crate::cost::{Attrs, Ctx, Priced};

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let Some(size) = attrs.str("vm_size") else {
        let mut p = Priced::default();
        p.note("vm_size not known at plan time; the VM is not priced");
        return p;
    };
    let windows = attrs
        .str("storage_os_disk.0.os_type")
        .is_some_and(|t| t.eq_ignore_ascii_case("windows"))
        || attrs.block("os_profile_windows_config").is_some();
    let os = if windows { "Windows" } else { "Linux" };
    let mut p = instance_hours(attrs, size, ctx, os, windows && hybrid_benefit(attrs));
    p.push(ultra_reservation(ctx));
    let disk = |p: &mut Priced, name: &str, block: Attrs, usage_key: &str| {
        push_disk(
            p,
            name,
            block.str("managed_disk_type").unwrap_or("Standard_LRS"),
            block.decimal("disk_size_gb"),
            ctx.usage.decimal(usage_key),
            ctx,
        );
    };
    let os_disk = attrs.block("storage_os_disk").unwrap_or(Attrs::empty());
    disk(
        &mut p,
        "storage_os_disk",
        os_disk,
        "storage_os_disk.monthly_disk_operations",
    );
    for data in attrs.blocks("storage_data_disk") {
        disk(
            &mut p,
            "storage_data_disk",
            data,
            "storage_data_disk.monthly_disk_operations",
        );
    }
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    #[test]
    fn linux_hours_ultra_line_and_os_disk() {
        // Standard_DS1_v2 Linux 730 h × $0.073 = $53.29; S4 LRS $1.536
        let r = price(
            "azurerm_virtual_machine",
            json!({"location": "eastus", "vm_size": "Standard_DS1_v2",
                   "storage_os_disk": [{"managed_disk_type": "Standard_LRS", "create_option": "FromImage"}],
                   "os_profile_linux_config": [{"disable_password_authentication": false}]}),
            "eastus",
            None,
        );
        assert_eq!(
            component(&r, "Instance usage (Linux, pay as you go, Standard_DS1_v2)").monthly_cost,
            Some(dec!(53.290))
        );
        let u = component(&r, "Ultra disk reservation (if unattached)");
        assert_eq!(
            (u.status, u.price),
            (ComponentStatus::UsageMissing, Some(dec!(4.38)))
        );
        assert_eq!(
            component(&r, "storage_os_disk: Storage (S4, LRS)").monthly_cost,
            Some(dec!(1.536))
        );
    }

    #[test]
    fn windows_by_os_disk_type_with_hours_and_data_disks() {
        // Standard_DS1_v2 Windows 100 h × $0.119 = $11.90; a P4-sized data disk
        let usage = "version: 0.1\nresource_usage:\n  azurerm_virtual_machine.test:\n    monthly_hrs: 100\n";
        let r = price(
            "azurerm_virtual_machine",
            json!({"location": "eastus", "vm_size": "Standard_DS1_v2",
                   "storage_os_disk": [{"managed_disk_type": "Standard_LRS", "os_type": "Windows"}],
                   "storage_data_disk": [{"managed_disk_type": "Premium_LRS", "disk_size_gb": 32, "lun": 1}]}),
            "eastus",
            Some(usage),
        );
        let c = component(
            &r,
            "Instance usage (Windows, pay as you go, Standard_DS1_v2)",
        );
        assert_eq!(
            (c.monthly_quantity, c.monthly_cost),
            (Some(dec!(100)), Some(dec!(11.900)))
        );
        assert_eq!(
            component(&r, "storage_data_disk: Storage (P4, LRS)").monthly_cost,
            Some(dec!(5.28))
        );
    }

    #[test]
    fn unknown_size_is_not_priced() {
        let r = price(
            "azurerm_virtual_machine",
            json!({"location": "eastus"}),
            "eastus",
            None,
        );
        assert!(r.all_components().is_empty());
    }
}
