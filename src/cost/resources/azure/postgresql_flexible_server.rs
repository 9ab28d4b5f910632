//! `azurerm_postgresql_flexible_server`: compute hours of `sku_name`
//! (`B_Standard_B1ms`, `GP_Standard_D4s_v3`, `MO_Standard_E4s_v3`; doubled
//! with a `high_availability` standby), storage per GB-month (`storage_mb` /
//! 1024, whole GB; unknown → usage-based), and additional backup storage per
//! GB from usage key `additional_backup_storage_gb`.

use super::filter;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

const SERVICE: &str = "Azure Database for PostgreSQL";

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let Some(sku) = attrs.str("sku_name") else {
        p.note("sku_name not known at plan time; compute is not priced");
        return p;
    };
    let ha = attrs
        .str("high_availability.0.mode")
        .is_some_and(|m| !m.eq_ignore_ascii_case("disabled"));
    let servers = if ha { dec!(2) } else { Decimal::ONE };
    p.push(ComponentSpec::hourly(
        format!("Compute ({sku})"),
        "hours",
        servers,
        filter(SERVICE, "Compute", ctx.region, "Hrs").attr("skuName", sku.to_ascii_lowercase()),
    ));
    let storage_gb = attrs
        .decimal("storage_mb")
        .map(|mb| (mb / dec!(1024)).floor());
    let storage =
        filter(SERVICE, "Storage", ctx.region, "GB-Mo").attr("meterName", "Storage Data Stored");
    p.push(match storage_gb {
        Some(gb) => ComponentSpec::monthly("Storage", "GB", gb, storage),
        None => ComponentSpec::usage("Storage", "GB", None, storage),
    });
    p.push(ComponentSpec::usage(
        "Additional backup storage",
        "GB",
        ctx.usage.decimal("additional_backup_storage_gb"),
        filter(SERVICE, "Storage", ctx.region, "GB-Mo")
            .attr("meterName", "Backup Storage LRS Data Stored"),
    ));
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    #[test]
    fn compute_storage_and_backups() {
        // GP_Standard_D4s_v3 $0.39 × 730 = $284.70; 32 GB × $0.138 = $4.416;
        // backups 5,000 GB × $0.095 = $475.00
        let usage = "version: 0.1\nresource_usage:\n  azurerm_postgresql_flexible_server.test:\n    additional_backup_storage_gb: 5000\n";
        let r = price(
            "azurerm_postgresql_flexible_server",
            json!({"location": "westus", "sku_name": "GP_Standard_D4s_v3", "storage_mb": 32768}),
            "westus",
            Some(usage),
        );
        assert_eq!(
            component(&r, "Compute (GP_Standard_D4s_v3)").monthly_cost,
            Some(dec!(284.70))
        );
        assert_eq!(component(&r, "Storage").monthly_cost, Some(dec!(4.416)));
        assert_eq!(
            component(&r, "Additional backup storage").monthly_cost,
            Some(dec!(475.00))
        );
    }

    #[test]
    fn high_availability_doubles_compute_and_unknown_storage_waits() {
        // 2 × B_Standard_B1ms $0.022 × 730 = $32.12 (Azure bills the standby too;
        // Infracost's golden shows one server, see the parity case's knownGap)
        let r = price(
            "azurerm_postgresql_flexible_server",
            json!({"location": "westus", "sku_name": "B_Standard_B1ms",
                   "high_availability": [{"mode": "ZoneRedundant"}]}),
            "westus",
            None,
        );
        let c = component(&r, "Compute (B_Standard_B1ms)");
        assert_eq!(c.monthly_quantity, Some(dec!(1460)));
        assert_eq!(c.monthly_cost, Some(dec!(32.12)));
        assert_eq!(
            component(&r, "Storage").status,
            ComponentStatus::UsageMissing
        );
    }

    #[test]
    fn burstable_and_v5_sizes_by_region() {
        // westus B_Standard_B2ms $0.176 × 730 = $128.48; GP_Standard_D2ds_v5 $0.203 × 730 = $148.19;
        // eastus B_Standard_B1ms $0.017 × 730 = $12.41
        for (region, sku, cost) in [
            ("westus", "B_Standard_B2ms", dec!(128.48)),
            ("westus", "GP_Standard_D2ds_v5", dec!(148.19)),
            ("eastus", "B_Standard_B1ms", dec!(12.41)),
        ] {
            let r = price(
                "azurerm_postgresql_flexible_server",
                json!({"location": region, "sku_name": sku}),
                region,
                None,
            );
            assert_eq!(
                component(&r, &format!("Compute ({sku})")).monthly_cost,
                Some(cost),
                "{sku} in {region}"
            );
        }
    }
}
