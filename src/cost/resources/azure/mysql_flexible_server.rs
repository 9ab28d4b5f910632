//! `azurerm_mysql_flexible_server`: compute hours of `sku_name`
//! (`B_Standard_B1ms`, `GP_Standard_D2ads_v5`, `MO_Standard_E4ds_v4`),
//! storage per GB-month (`storage.size_gb`, 20 GB when unset), IOPS beyond
//! the 360 included (`storage.iops`), and additional backup storage per GB
//! from usage key `additional_backup_storage_gb`, as Infracost prices them.

use super::filter;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

const SERVICE: &str = "Azure Database for MySQL";
/// IOPS every server gets without charge (Infracost's figure).
const FREE_IOPS: Decimal = dec!(360);

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    match attrs.str("sku_name") {
        Some(sku) => p.push(ComponentSpec::hourly(
            format!("Compute ({sku})"),
            "hours",
            Decimal::ONE,
            filter(SERVICE, "Compute", ctx.region, "Hrs").attr("skuName", sku.to_ascii_lowercase()),
        )),
        None => p.note("sku_name not known at plan time; compute is not priced"),
    }
    let storage = attrs.block("storage").unwrap_or(Attrs::empty());
    let size = storage
        .decimal("size_gb")
        .filter(|g| !g.is_zero())
        .unwrap_or(dec!(20));
    p.push(ComponentSpec::monthly(
        "Storage",
        "GB",
        size,
        filter(SERVICE, "Storage", ctx.region, "GB-Mo").attr("meterName", "Storage Data Stored"),
    ));
    let extra_iops = storage.decimal("iops").unwrap_or(FREE_IOPS) - FREE_IOPS;
    if extra_iops > Decimal::ZERO {
        p.push(ComponentSpec::monthly(
            "Additional IOPS",
            "IOPS",
            extra_iops,
            filter(SERVICE, "Storage", ctx.region, "IOPS-Mo").attr("meterName", "Additional IOPS"),
        ));
    }
    p.push(ComponentSpec::usage(
        "Additional backup storage",
        "GB",
        ctx.usage.decimal("additional_backup_storage_gb"),
        filter(SERVICE, "Storage", ctx.region, "GB-Mo")
            .attr("meterName", "Backup Storage Data Stored"),
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
    fn compute_storage_extra_iops_and_backups() {
        // MO_Standard_E4ds_v4 730 h × $0.5244 = $382.812; 20 GB × $0.138 = $2.76;
        // 500 − 360 = 140 IOPS × $0.06 = $8.40; 3,000 GB backups × $0.095 = $285.00
        let usage = "version: 0.1\nresource_usage:\n  azurerm_mysql_flexible_server.test:\n    additional_backup_storage_gb: 3000\n";
        let r = price(
            "azurerm_mysql_flexible_server",
            json!({"location": "westus", "sku_name": "MO_Standard_E4ds_v4",
                   "storage": [{"iops": 500, "size_gb": 20}]}),
            "westus",
            Some(usage),
        );
        assert_eq!(
            component(&r, "Compute (MO_Standard_E4ds_v4)").monthly_cost,
            Some(dec!(382.812))
        );
        assert_eq!(component(&r, "Storage").monthly_cost, Some(dec!(2.76)));
        let iops = component(&r, "Additional IOPS");
        assert_eq!(iops.monthly_quantity, Some(dec!(140)));
        assert_eq!(iops.monthly_cost, Some(dec!(8.40)));
        assert_eq!(
            component(&r, "Additional backup storage").monthly_cost,
            Some(dec!(285.00))
        );
    }

    #[test]
    fn defaults_twenty_gb_no_extra_iops_and_backups_wait() {
        // B_Standard_B1ms 730 × $0.022 = $16.06; default 20 GB × $0.138 = $2.76
        let r = price(
            "azurerm_mysql_flexible_server",
            json!({"location": "westus", "sku_name": "B_Standard_B1ms"}),
            "westus",
            None,
        );
        assert_eq!(
            component(&r, "Compute (B_Standard_B1ms)").monthly_cost,
            Some(dec!(16.06))
        );
        let s = component(&r, "Storage");
        assert_eq!(
            (s.monthly_quantity, s.monthly_cost),
            (Some(dec!(20)), Some(dec!(2.76)))
        );
        assert!(
            r.all_components()
                .iter()
                .all(|(n, _)| n != "Additional IOPS")
        );
        assert_eq!(
            component(&r, "Additional backup storage").status,
            ComponentStatus::UsageMissing
        );
        // 360 IOPS are included: nothing extra
        let r = price(
            "azurerm_mysql_flexible_server",
            json!({"location": "westus", "sku_name": "GP_Standard_D2ads_v5",
                   "storage": [{"iops": 360, "size_gb": 30}]}),
            "westus",
            None,
        );
        // 730 × $0.195 = $142.35; 30 GB × $0.138 = $4.14
        assert_eq!(
            component(&r, "Compute (GP_Standard_D2ads_v5)").monthly_cost,
            Some(dec!(142.35))
        );
        assert_eq!(component(&r, "Storage").monthly_cost, Some(dec!(4.14)));
        assert!(
            r.all_components()
                .iter()
                .all(|(n, _)| n != "Additional IOPS")
        );
    }
}
