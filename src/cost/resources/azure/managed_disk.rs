//! `azurerm_managed_disk`: Standard HDD (S), Standard SSD (E) and Premium SSD
//! (P) disks are billed per disk per month by the tier their size falls in
//! (a 30 GB Standard disk is an S4, up to 32 GB), plus, for Standard HDD and
//! SSD, disk operations per 10,000 (usage key `monthly_disk_operations`).
//! Ultra disks bill provisioned capacity, IOPS and throughput per hour.
//! VMs price their OS disks through [`disk_components`].
//!
//! Defaults (as Infracost applies them): size unset → 30 GB (ultra: 1,024 GiB,
//! 2,048 IOPS, 8 MB/s). A replication other than LRS/ZRS, an unknown type, or
//! a size above the largest tier is not priced and says so.

use super::filter;
use crate::cost::component::HOURS_PER_MONTH;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

const STANDARD: &[(&str, u32)] = &[
    ("S4", 32),
    ("S6", 64),
    ("S10", 128),
    ("S15", 256),
    ("S20", 512),
    ("S30", 1024),
    ("S40", 2048),
    ("S50", 4096),
    ("S60", 8192),
    ("S70", 16384),
    ("S80", 32767),
];
const STANDARD_SSD: &[(&str, u32)] = &[
    ("E1", 4),
    ("E2", 8),
    ("E3", 16),
    ("E4", 32),
    ("E6", 64),
    ("E10", 128),
    ("E15", 256),
    ("E20", 512),
    ("E30", 1024),
    ("E40", 2048),
    ("E50", 4096),
    ("E60", 8192),
    ("E70", 16384),
    ("E80", 32767),
];
const PREMIUM: &[(&str, u32)] = &[
    ("P1", 4),
    ("P2", 8),
    ("P3", 16),
    ("P4", 32),
    ("P6", 64),
    ("P10", 128),
    ("P15", 256),
    ("P20", 512),
    ("P30", 1024),
    ("P40", 2048),
    ("P50", 4096),
    ("P60", 8192),
    ("P70", 16384),
    ("P80", 32767),
];
const ULTRA_SIZES: &[u32] = &[4, 8, 16, 32, 64, 128, 256, 512];

/// The tier (`S4`, `E30`, `P10`) a disk of `size_gb` is billed as.
pub(crate) fn tier_name(prefix: &str, size_gb: Decimal) -> Option<&'static str> {
    let tiers = match prefix.to_ascii_lowercase().as_str() {
        "standard" => STANDARD,
        "standardssd" => STANDARD_SSD,
        "premium" => PREMIUM,
        _ => return None,
    };
    tiers
        .iter()
        .find(|(_, max)| Decimal::from(*max) >= size_gb)
        .map(|(name, _)| *name)
}

/// Ultra disks are billed at the next size step: 4…512 GiB in powers of
/// two, then whole TiB, up to 64 TiB.
pub(crate) fn ultra_size(size_gb: Decimal) -> Decimal {
    if size_gb >= dec!(65536) {
        return dec!(65536);
    }
    if let Some(s) = ULTRA_SIZES.iter().find(|s| Decimal::from(**s) >= size_gb) {
        return Decimal::from(*s);
    }
    (size_gb / dec!(1024)).ceil() * dec!(1024)
}

/// Components for one disk of `storage_account_type` (`Premium_LRS`, …).
pub(crate) fn disk_components(
    storage_account_type: &str,
    size_gb: Option<Decimal>,
    iops: Option<Decimal>,
    mbps: Option<Decimal>,
    monthly_operations: Option<Decimal>,
    ctx: &Ctx,
    notes: &mut Vec<String>,
) -> Vec<ComponentSpec> {
    let (prefix, replication) = storage_account_type
        .split_once('_')
        .unwrap_or((storage_account_type, ""));
    let replication = replication.to_ascii_uppercase();
    if replication != "LRS" && replication != "ZRS" {
        notes.push(format!(
            "disk type {storage_account_type:?}: replication must be LRS or ZRS; not priced"
        ));
        return Vec::new();
    }
    if prefix.eq_ignore_ascii_case("ultrassd") {
        let size = ultra_size(size_gb.filter(|s| !s.is_zero()).unwrap_or(dec!(1024)));
        let iops = iops.filter(|s| !s.is_zero()).unwrap_or(dec!(2048));
        let mbps = mbps.filter(|s| !s.is_zero()).unwrap_or(dec!(8));
        let f = |meter: &str| {
            filter("Storage", "Ultra Disks", ctx.region, "Hrs")
                .attr("meterName", format!("{meter} {replication}"))
        };
        // Billed per hour, shown (as Infracost shows them) as the provisioned
        // amount for the month.
        return vec![
            ComponentSpec::hourly(
                format!("Storage (ultra, {size} GiB)"),
                "GiB",
                size,
                f("Provisioned Capacity"),
            )
            .per(HOURS_PER_MONTH),
            ComponentSpec::hourly("Provisioned IOPS", "IOPS", iops, f("Provisioned IOPS"))
                .per(HOURS_PER_MONTH),
            ComponentSpec::hourly(
                "Throughput",
                "MB/s",
                mbps,
                f("Provisioned Throughput (MBps)"),
            )
            .per(HOURS_PER_MONTH),
        ];
    }
    let size = size_gb.filter(|s| !s.is_zero()).unwrap_or(dec!(30));
    let Some(tier) = tier_name(prefix, size) else {
        notes.push(format!(
            "disk type {storage_account_type:?} of {size} GB has no Standard/StandardSSD/Premium tier; not priced"
        ));
        return Vec::new();
    };
    let sku = format!("{tier} {replication}");
    let mut out = vec![ComponentSpec::monthly(
        format!("Storage ({tier}, {replication})"),
        "months",
        Decimal::ONE,
        filter("Storage", "Managed Disks", ctx.region, "Month").attr("skuName", sku.clone()),
    )];
    if !prefix.eq_ignore_ascii_case("premium") {
        out.push(ComponentSpec::usage(
            "Disk operations",
            "10k operations",
            monthly_operations.map(|o| o / dec!(10000)),
            filter("Storage", "Managed Disk Operations", ctx.region, "10K").attr("skuName", sku),
        ));
    }
    out
}

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let kind = attrs.str("storage_account_type").unwrap_or("Standard_LRS");
    let mut notes = Vec::new();
    p.components = disk_components(
        kind,
        attrs.decimal("disk_size_gb"),
        attrs.decimal("disk_iops_read_write"),
        attrs.decimal("disk_mbps_read_write"),
        ctx.usage.decimal("monthly_disk_operations"),
        ctx,
        &mut notes,
    );
    p.notes = notes;
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use serde_json::json;

    #[test]
    fn tiers_follow_size() {
        assert_eq!(tier_name("Standard", dec!(30)), Some("S4"));
        assert_eq!(tier_name("StandardSSD", dec!(1000)), Some("E30"));
        assert_eq!(tier_name("Premium", dec!(33)), Some("P6"));
        assert_eq!(tier_name("Premium", dec!(40000)), None);
        assert_eq!(ultra_size(dec!(3)), dec!(4));
        assert_eq!(ultra_size(dec!(2000)), dec!(2048));
        assert_eq!(ultra_size(dec!(100000)), dec!(65536));
    }

    #[test]
    fn standard_disk_with_and_without_operations() {
        // S4 LRS $1.536/month; 20,000 ops = 2 × 10k × $0.0005
        let r = price(
            "azurerm_managed_disk",
            json!({"location": "eastus", "storage_account_type": "Standard_LRS"}),
            "eastus",
            None,
        );
        assert_eq!(
            component(&r, "Storage (S4, LRS)").monthly_cost,
            Some(dec!(1.536))
        );
        assert_eq!(
            component(&r, "Disk operations").status,
            ComponentStatus::UsageMissing
        );
        let usage = "version: 0.1\nresource_usage:\n  azurerm_managed_disk.test:\n    monthly_disk_operations: 20000\n";
        let r = price(
            "azurerm_managed_disk",
            json!({"location": "eastus", "storage_account_type": "Standard_LRS"}),
            "eastus",
            Some(usage),
        );
        let ops = component(&r, "Disk operations");
        assert_eq!(ops.monthly_quantity, Some(dec!(2)));
        assert_eq!(ops.monthly_cost, Some(dec!(0.001)));
    }

    #[test]
    fn premium_has_no_operations_charge() {
        // P4 LRS $5.28
        let r = price(
            "azurerm_managed_disk",
            json!({"location": "eastus", "storage_account_type": "Premium_LRS", "disk_size_gb": 30}),
            "eastus",
            None,
        );
        assert_eq!(r.cost_components.len(), 1);
        assert_eq!(r.monthly_cost, Some(dec!(5.28)));
    }

    #[test]
    fn standard_ssd_custom_size() {
        // 1,000 GB StandardSSD → E30 LRS $76.80
        let r = price(
            "azurerm_managed_disk",
            json!({"location": "eastus", "storage_account_type": "StandardSSD_LRS", "disk_size_gb": 1000}),
            "eastus",
            None,
        );
        assert_eq!(
            component(&r, "Storage (E30, LRS)").monthly_cost,
            Some(dec!(76.80))
        );
    }

    #[test]
    fn ultra_disk_bills_capacity_iops_and_throughput() {
        let r = price(
            "azurerm_managed_disk",
            json!({"location": "eastus", "storage_account_type": "UltraSSD_LRS", "disk_size_gb": 2000,
                   "disk_iops_read_write": 4000, "disk_mbps_read_write": 20}),
            "eastus",
            None,
        );
        // Shown per month as Infracost shows them, billed per hour:
        // 2,048 GiB × 730 h × $0.000164 = $245.19; 4,000 IOPS × 730 h ×
        // $0.000068 = $198.56; 20 MB/s × 730 h × $0.000479 = $6.99
        let s = component(&r, "Storage (ultra, 2048 GiB)");
        assert_eq!(s.monthly_quantity, Some(dec!(2048)));
        assert_eq!(s.monthly_cost.map(|c| c.round_dp(2)), Some(dec!(245.19)));
        let iops = component(&r, "Provisioned IOPS");
        assert_eq!(iops.monthly_quantity, Some(dec!(4000)));
        assert_eq!(iops.monthly_cost.map(|c| c.round_dp(2)), Some(dec!(198.56)));
        let mbps = component(&r, "Throughput");
        assert_eq!(mbps.monthly_quantity, Some(dec!(20)));
        assert_eq!(mbps.monthly_cost.map(|c| c.round_dp(2)), Some(dec!(6.99)));
    }

    #[test]
    fn unknown_replication_is_not_priced() {
        let r = price(
            "azurerm_managed_disk",
            json!({"location": "eastus", "storage_account_type": "Standard_GRS"}),
            "eastus",
            None,
        );
        assert!(r.cost_components.is_empty());
        assert!(r.metadata.notes.iter().any(|n| n.contains("LRS or ZRS")));
    }
}
