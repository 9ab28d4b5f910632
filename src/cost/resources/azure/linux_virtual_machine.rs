//! `azurerm_linux_virtual_machine`: pay-as-you-go hours of the VM size, and
//! its OS disk as a subresource (`os_disk`, priced as a managed disk).
//! `azurerm_windows_virtual_machine` prices through [`price_vm`] too.
//!
//! As Infracost prices it:
//! - Size: `size` (`Standard_B1s`; `standard_b1s` and `B1s` mean the same;
//!   `Basic_A2` is a Basic-tier size). Looked up in lower case.
//! - Hours: usage key `monthly_hrs`, default 730.
//! - OS disk: `os_disk.storage_account_type` (default `Standard_LRS`) and
//!   `os_disk.disk_size_gb` (default 30 GB); its operations from usage key
//!   `os_disk.monthly_disk_operations`.
//! - `additional_capabilities.ultra_ssd_enabled`: the ultra disk reservation
//!   per vCPU-month, billed only while no ultra disk is attached: usage-based.
//! - Names: `Instance usage (Linux, pay as you go, Standard_B1s)`, the size
//!   as written, as Infracost names them.
//! - Spot VMs (`priority = "Spot"`) are not priced (spot prices move); noted.

use super::filter;
use super::managed_disk::disk_components;
use crate::cost::component::HOURS_PER_MONTH;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};

/// `standard_b1s` / `B1s` → `Standard_B1s` as shown; `Basic_A2` stays.
pub(crate) fn size_label(size: &str) -> String {
    let lower = size.to_ascii_lowercase();
    if lower.starts_with("standard_") || lower.starts_with("basic_") {
        size.to_string()
    } else {
        format!("Standard_{size}")
    }
}

/// Pay-as-you-go hours of `hours` (already × the number of VMs) of a size.
pub(crate) fn instance_component(
    size: &str,
    os: &str,
    hours: rust_decimal::Decimal,
    ctx: &Ctx,
) -> ComponentSpec {
    hours_component(size, os, false, hours, ctx)
}

/// Hours of a size named for `os`, billed at the `os` price or, with Azure
/// Hybrid Benefit (the licence already paid for), at the Linux price.
fn hours_component(
    size: &str,
    os: &str,
    hybrid_benefit: bool,
    hours: rust_decimal::Decimal,
    ctx: &Ctx,
) -> ComponentSpec {
    let label = size_label(size);
    let (how, billed_as) = if hybrid_benefit {
        ("hybrid benefit", "Linux")
    } else {
        ("pay as you go", os)
    };
    ComponentSpec::monthly(
        format!("Instance usage ({os}, {how}, {label})"),
        "hours",
        hours,
        filter("Virtual Machines", "Compute", ctx.region, "Hrs")
            .attr("armSkuName", label.to_ascii_lowercase())
            .attr("operatingSystem", billed_as),
    )
}

/// Prices a Linux or Windows VM; `os` is the price list's `Linux`/`Windows`.
pub(crate) fn price_vm(attrs: &Attrs, ctx: &Ctx, os: &str, hybrid_benefit: bool) -> Priced {
    let Some(size) = attrs.str("size") else {
        let mut p = Priced::default();
        p.note("size not known at plan time; the VM is not priced");
        return p;
    };
    vm_components(attrs, size, ctx, os, hybrid_benefit)
}

/// One VM of `size`: its hours, the ultra disk reservation and its OS disk
/// (`os_disk` block), as a VM and each instance of a scale set have them.
pub(crate) fn vm_components(
    attrs: &Attrs,
    size: &str,
    ctx: &Ctx,
    os: &str,
    hybrid_benefit: bool,
) -> Priced {
    let mut p = instance_hours(attrs, size, ctx, os, hybrid_benefit);
    if attrs.bool("additional_capabilities.0.ultra_ssd_enabled") == Some(true) {
        p.push(ultra_reservation(ctx));
    }
    let disk = attrs.block("os_disk.0").unwrap_or(Attrs::empty());
    push_disk(
        &mut p,
        "os_disk",
        disk.str("storage_account_type").unwrap_or("Standard_LRS"),
        disk.decimal("disk_size_gb"),
        ctx.usage.decimal("os_disk.monthly_disk_operations"),
        ctx,
    );
    p
}

/// The hours of one VM of `size` (spot VMs: shown, not priced).
pub(crate) fn instance_hours(
    attrs: &Attrs,
    size: &str,
    ctx: &Ctx,
    os: &str,
    hybrid_benefit: bool,
) -> Priced {
    let mut p = Priced::default();
    let label = size_label(size);
    if attrs
        .str("priority")
        .is_some_and(|s| s.eq_ignore_ascii_case("spot"))
    {
        p.note("Spot VM: spot prices change continuously and are not priced");
        p.push(ComponentSpec::usage(
            format!("Instance usage ({os}, spot, {label})"),
            "hours",
            None,
            filter("Virtual Machines", "Compute", ctx.region, "Hrs")
                .attr("armSkuName", format!("{}:spot", label.to_ascii_lowercase()))
                .attr("operatingSystem", os),
        ));
    } else {
        let hours = ctx.usage.decimal("monthly_hrs").unwrap_or(HOURS_PER_MONTH);
        p.push(hours_component(size, os, hybrid_benefit, hours, ctx));
    }
    p
}

/// The ultra disk reservation, billed per vCPU only while no ultra disk is
/// attached: usage-based, shown per vCPU-month.
pub(crate) fn ultra_reservation(ctx: &Ctx) -> ComponentSpec {
    ComponentSpec::usage(
        "Ultra disk reservation (if unattached)",
        "vCPU",
        None,
        filter("Storage", "Ultra Disks", ctx.region, "Hrs")
            .attr("meterName", "Reservation per vCPU Provisioned"),
    )
    .per(HOURS_PER_MONTH)
}

/// A VM's disk as a subresource called `name`, priced as a managed disk.
pub(crate) fn push_disk(
    p: &mut Priced,
    name: &str,
    storage_type: &str,
    size_gb: Option<rust_decimal::Decimal>,
    operations: Option<rust_decimal::Decimal>,
    ctx: &Ctx,
) {
    let mut notes = Vec::new();
    let components = disk_components(
        storage_type,
        size_gb,
        None,
        None,
        operations,
        ctx,
        &mut notes,
    );
    p.notes.extend(notes);
    if !components.is_empty() {
        p.subresources.push((name.to_string(), components));
    }
}

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    price_vm(attrs, ctx, "Linux", false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    #[test]
    fn sizes_are_shown_with_their_tier() {
        assert_eq!(size_label("B1s"), "Standard_B1s");
        assert_eq!(size_label("standard_b1s"), "standard_b1s");
        assert_eq!(size_label("Basic_A2"), "Basic_A2");
    }

    #[test]
    fn vm_hours_and_default_os_disk() {
        // Standard_B1s $0.0104 × 730 = $7.592; os disk S4 LRS $1.536
        let r = price(
            "azurerm_linux_virtual_machine",
            json!({"location": "eastus", "size": "Standard_B1s",
                   "os_disk": [{"caching": "ReadWrite", "storage_account_type": "Standard_LRS"}]}),
            "eastus",
            None,
        );
        assert_eq!(
            component(&r, "Instance usage (Linux, pay as you go, Standard_B1s)").monthly_cost,
            Some(dec!(7.592))
        );
        assert_eq!(
            component(&r, "os_disk: Storage (S4, LRS)").monthly_cost,
            Some(dec!(1.536))
        );
        assert_eq!(
            component(&r, "os_disk: Disk operations").status,
            ComponentStatus::UsageMissing
        );
    }

    #[test]
    fn lowercase_size_and_monthly_hours() {
        // 100 h × $0.0104 = $1.04
        let usage = "version: 0.1\nresource_usage:\n  azurerm_linux_virtual_machine.test:\n    monthly_hrs: 100\n";
        let r = price(
            "azurerm_linux_virtual_machine",
            json!({"location": "eastus", "size": "standard_b1s"}),
            "eastus",
            Some(usage),
        );
        let c = component(&r, "Instance usage (Linux, pay as you go, standard_b1s)");
        assert_eq!(c.monthly_quantity, Some(dec!(100)));
        assert_eq!(c.monthly_cost, Some(dec!(1.04)));
    }

    #[test]
    fn premium_os_disk_has_no_operations() {
        // Standard_F2 Linux $0.099 × 730 = $72.27; P4 LRS $5.28
        let r = price(
            "azurerm_linux_virtual_machine",
            json!({"location": "eastus", "size": "Standard_F2",
                   "os_disk": [{"storage_account_type": "Premium_LRS"}]}),
            "eastus",
            None,
        );
        assert_eq!(r.monthly_cost, Some(dec!(77.55)));
        assert_eq!(r.subresources[0].cost_components.len(), 1);
    }

    #[test]
    fn ultra_ssd_reservation_waits_for_usage() {
        // shown per vCPU-month: 730 h × $0.006 = $4.38
        let r = price(
            "azurerm_linux_virtual_machine",
            json!({"location": "eastus", "size": "Standard_A2_v2",
                   "additional_capabilities": [{"ultra_ssd_enabled": true}]}),
            "eastus",
            None,
        );
        let c = component(&r, "Ultra disk reservation (if unattached)");
        assert_eq!(c.status, ComponentStatus::UsageMissing);
        assert_eq!(c.price, Some(dec!(4.38)));
    }

    #[test]
    fn spot_vms_are_noted_not_priced() {
        let r = price(
            "azurerm_linux_virtual_machine",
            json!({"location": "eastus", "size": "Standard_B1s", "priority": "Spot",
                   "os_disk": [{"storage_account_type": "Premium_LRS"}]}),
            "eastus",
            None,
        );
        assert_ne!(
            component(&r, "Instance usage (Linux, spot, Standard_B1s)").status,
            ComponentStatus::Priced
        );
        assert!(r.metadata.notes.iter().any(|n| n.contains("Spot VM")));
    }
}
