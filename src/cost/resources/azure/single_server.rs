//! The Azure Database single servers (`azurerm_postgresql_server`,
//! `azurerm_mysql_server`, `azurerm_mariadb_server`), priced alike as
//! Infracost prices them:
//! - compute hours of `sku_name` (`B_Gen5_2`, `GP_Gen5_4`, `MO_Gen5_16`:
//!   tier Basic / General Purpose / Memory Optimized, hardware family, vCores);
//! - storage per GB-month (`storage_mb` / 1024, whole GB), Memory Optimized
//!   at the General Purpose storage price (the price list has no MO storage);
//! - additional backup storage per GB from usage key
//!   `additional_backup_storage_gb`, geo-redundant (GRS) with
//!   `geo_redundant_backup_enabled`, else LRS.

use super::filter;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

/// Prices a single server of `service` (`Azure Database for PostgreSQL`).
pub(crate) fn price_server(attrs: &Attrs, ctx: &Ctx, service: &'static str) -> Priced {
    let mut p = Priced::default();
    let Some(sku) = attrs.str("sku_name") else {
        p.note("sku_name not known at plan time; the server is not priced");
        return p;
    };
    let Some((tier, family, cores)) = parse_sku(sku) else {
        p.note(format!(
            "sku_name `{sku}` is not a single-server SKU (B_Gen5_2, GP_Gen5_4, MO_Gen5_16); the server is not priced"
        ));
        return p;
    };
    p.push(ComponentSpec::hourly(
        format!("Compute ({sku})"),
        "hours",
        Decimal::ONE,
        filter(service, "Single Server Compute", ctx.region, "Hrs")
            .attr("productName", format!("{tier} - Compute {family}"))
            .attr("skuName", format!("{cores} vCore")),
    ));
    let storage_tier = if tier == "Memory Optimized" {
        "General Purpose"
    } else {
        tier
    };
    let storage = filter(service, "Single Server Storage", ctx.region, "GB-Mo")
        .attr("productName", format!("{storage_tier} - Storage"))
        .attr("skuName", "Storage");
    p.push(
        match attrs
            .decimal("storage_mb")
            .map(|mb| (mb / dec!(1024)).floor())
        {
            Some(gb) => ComponentSpec::monthly("Storage", "GB", gb, storage),
            None => ComponentSpec::usage("Storage", "GB", None, storage),
        },
    );
    let backup = if attrs.bool("geo_redundant_backup_enabled") == Some(true) {
        "Backup GRS"
    } else {
        "Backup LRS"
    };
    p.push(ComponentSpec::usage(
        "Additional backup storage",
        "GB",
        ctx.usage.decimal("additional_backup_storage_gb"),
        filter(service, "Single Server Storage", ctx.region, "GB-Mo")
            .attr("productName", "Backup Storage")
            .attr("skuName", backup),
    ));
    p
}

/// `GP_Gen5_4` → (`General Purpose`, `Gen5`, 4).
fn parse_sku(sku: &str) -> Option<(&'static str, &str, u32)> {
    let mut parts = sku.split('_');
    let tier = match parts.next()? {
        "B" => "Basic",
        "GP" => "General Purpose",
        "MO" => "Memory Optimized",
        _ => return None,
    };
    let family = parts.next().filter(|f| !f.is_empty())?;
    let cores = parts.next()?.parse().ok()?;
    parts.next().is_none().then_some((tier, family, cores))
}

#[cfg(test)]
mod tests {
    use super::parse_sku;
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    #[test]
    fn skus_name_tier_family_and_cores() {
        assert_eq!(parse_sku("GP_Gen5_4"), Some(("General Purpose", "Gen5", 4)));
        assert_eq!(
            parse_sku("MO_Gen5_16"),
            Some(("Memory Optimized", "Gen5", 16))
        );
        assert_eq!(parse_sku("B_Gen5_2"), Some(("Basic", "Gen5", 2)));
        assert_eq!(parse_sku("GP_Standard_D4s_v3"), None);
        assert_eq!(parse_sku("XX_Gen5_2"), None);
        assert_eq!(parse_sku("GP_Gen5"), None);
    }

    #[test]
    fn every_engine_prices_compute_storage_and_backups_alike() {
        // GP_Gen5_4 730 h × $0.3504 = $255.792; 4,000 GB × $0.115 = $460;
        // geo-redundant backups 3,000 GB × $0.20 = $600
        for ty in [
            "azurerm_postgresql_server",
            "azurerm_mysql_server",
            "azurerm_mariadb_server",
        ] {
            let usage = format!(
                "version: 0.1\nresource_usage:\n  {ty}.test:\n    additional_backup_storage_gb: 3000\n"
            );
            let r = price(
                ty,
                json!({"location": "eastus", "sku_name": "GP_Gen5_4", "storage_mb": 4096000,
                       "geo_redundant_backup_enabled": true}),
                "eastus",
                Some(&usage),
            );
            assert_eq!(
                component(&r, "Compute (GP_Gen5_4)").monthly_cost,
                Some(dec!(255.792)),
                "{ty}"
            );
            let s = component(&r, "Storage");
            assert_eq!(
                (s.monthly_quantity, s.monthly_cost),
                (Some(dec!(4000)), Some(dec!(460.000))),
                "{ty}"
            );
            assert_eq!(
                component(&r, "Additional backup storage").monthly_cost,
                Some(dec!(600.00)),
                "{ty}"
            );
        }
    }

    #[test]
    fn memory_optimised_storage_is_general_purpose_and_basic_has_its_own() {
        // MO_Gen5_16 730 h × $1.8896 = $1,379.408; 5 GB × $0.115 = $0.575; LRS backups wait
        let r = price(
            "azurerm_postgresql_server",
            json!({"location": "eastus", "sku_name": "MO_Gen5_16", "storage_mb": 5120}),
            "eastus",
            None,
        );
        assert_eq!(
            component(&r, "Compute (MO_Gen5_16)").monthly_cost,
            Some(dec!(1379.408))
        );
        assert_eq!(component(&r, "Storage").monthly_cost, Some(dec!(0.575)));
        let b = component(&r, "Additional backup storage");
        assert_eq!(b.status, ComponentStatus::UsageMissing);
        assert_eq!(b.price, Some(dec!(0.10)));
        // B_Gen5_2 730 h × $0.068 = $49.64; 5 GB × $0.10 = $0.50
        let r = price(
            "azurerm_mariadb_server",
            json!({"location": "eastus", "sku_name": "B_Gen5_2", "storage_mb": 5120}),
            "eastus",
            None,
        );
        assert_eq!(r.monthly_cost, Some(dec!(50.14)));
    }

    #[test]
    fn unknown_skus_and_storage_are_said() {
        let r = price(
            "azurerm_mysql_server",
            json!({"location": "eastus", "sku_name": "GP_Standard_D2ds_v4"}),
            "eastus",
            None,
        );
        assert!(r.cost_components.is_empty());
        assert!(
            r.metadata
                .notes
                .iter()
                .any(|n| n.contains("GP_Standard_D2ds_v4"))
        );
        let r = price(
            "azurerm_mysql_server",
            json!({"location": "eastus", "sku_name": "B_Gen5_2"}),
            "eastus",
            None,
        );
        assert_eq!(
            component(&r, "Storage").status,
            ComponentStatus::UsageMissing
        );
    }
}
