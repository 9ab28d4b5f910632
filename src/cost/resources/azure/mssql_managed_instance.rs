//! `azurerm_mssql_managed_instance`, as Infracost prices it:
//! - compute hours of `sku_name` (`GP_Gen5`, `BC_Gen5`: General Purpose or
//!   Business Critical, Gen5) at `vcores` cores, named `Compute (GP_GEN5 4 cores)`;
//! - storage beyond the 32 GB included (`storage_size_in_gb`), and with it
//!   point-in-time-restore backups per GB from usage key `backup_storage_gb`;
//! - the SQL licence per vCore-hour when `license_type` is `LicenseIncluded`
//!   (a global price);
//! - long-term retention backups per GB from usage key
//!   `long_term_retention_storage_gb`.
//!
//! Backups are named and priced by `storage_account_type` (`LRS`, `ZRS`,
//! `GRS`, `GZRS`; the provider's default is `GRS`).

use super::filter;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

const SERVICE: &str = "SQL Managed Instance";
/// Storage every instance includes without charge.
const INCLUDED_GB: Decimal = dec!(32);

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let (Some(sku), Some(cores)) = (attrs.str("sku_name"), attrs.decimal("vcores")) else {
        p.note("sku_name or vcores not known at plan time; the instance is not priced");
        return p;
    };
    let tier = if sku.contains("GP") {
        "General Purpose"
    } else if sku.contains("BC") {
        "Business Critical"
    } else {
        p.note(format!(
            "sku_name `{sku}` is neither General Purpose (GP_Gen5) nor Business Critical (BC_Gen5); the instance is not priced"
        ));
        return p;
    };
    let product = if sku.contains("Gen5") {
        format!("SQL Managed Instance {tier} - Compute Gen5")
    } else {
        format!("SQL Managed Instance {tier}")
    };
    p.push(ComponentSpec::hourly(
        format!("Compute ({} {cores} cores)", sku.to_uppercase()),
        "hours",
        Decimal::ONE,
        filter(SERVICE, "Compute", ctx.region, "Hrs")
            .attr("productName", product)
            .attr("skuName", format!("{cores} vCore")),
    ));
    let redundancy = attrs.str("storage_account_type").unwrap_or("GRS");
    let storage = |product: &str, meter: String| {
        filter(SERVICE, "Storage", ctx.region, "GB-Mo")
            .attr("productName", product.to_string())
            .attr("meterName", meter)
    };
    let extra_gb = attrs.decimal("storage_size_in_gb").unwrap_or(INCLUDED_GB) - INCLUDED_GB;
    if extra_gb > Decimal::ZERO {
        p.push(ComponentSpec::monthly(
            "Additional Storage",
            "GB",
            extra_gb,
            storage(
                "SQL Managed Instance General Purpose - Storage",
                "Data Stored".into(),
            ),
        ));
        p.push(ComponentSpec::usage(
            format!("PITR backup storage ({redundancy})"),
            "GB",
            ctx.usage.decimal("backup_storage_gb"),
            storage(
                "SQL Managed Instance PITR Backup Storage",
                format!("{redundancy} Data Stored"),
            ),
        ));
    }
    if attrs.str("license_type") == Some("LicenseIncluded") {
        p.push(ComponentSpec::hourly(
            "SQL license",
            "vCore-hours",
            cores,
            filter(SERVICE, "License", "global", "Hrs").attr(
                "productName",
                "SQL Managed Instance General Purpose - SQL License",
            ),
        ));
    }
    p.push(ComponentSpec::usage(
        format!("LTR backup storage ({redundancy})"),
        "GB",
        ctx.usage.decimal("long_term_retention_storage_gb"),
        storage(
            "SQL Managed Instance - LTR Backup Storage",
            format!("LTR Backup {redundancy} Data Stored"),
        ),
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
    fn general_purpose_with_licence_extra_storage_and_backups() {
        // GP_Gen5 4 cores 730 h × $0.66976 = $488.9248; 64 − 32 = 32 GB × $0.137 = $4.384;
        // PITR LRS 100 GB × $0.119 = $11.90; licence 4 × 730 × $0.099966 = $291.90072;
        // LTR LRS 5 GB × $0.0298 = $0.149
        let usage = "version: 0.1\nresource_usage:\n  azurerm_mssql_managed_instance.test:\n    backup_storage_gb: 100\n    long_term_retention_storage_gb: 5\n";
        let r = price(
            "azurerm_mssql_managed_instance",
            json!({"location": "westeurope", "sku_name": "GP_Gen5", "vcores": 4,
                   "storage_size_in_gb": 64, "storage_account_type": "LRS",
                   "license_type": "LicenseIncluded"}),
            "westeurope",
            Some(usage),
        );
        let names: Vec<String> = r.all_components().into_iter().map(|(n, _)| n).collect();
        assert_eq!(
            names,
            [
                "Compute (GP_GEN5 4 cores)",
                "Additional Storage",
                "PITR backup storage (LRS)",
                "SQL license",
                "LTR backup storage (LRS)"
            ]
        );
        let cost = |n: &str| component(&r, n).monthly_cost;
        assert_eq!(cost("Compute (GP_GEN5 4 cores)"), Some(dec!(488.9248)));
        assert_eq!(cost("Additional Storage"), Some(dec!(4.384)));
        assert_eq!(cost("PITR backup storage (LRS)"), Some(dec!(11.900)));
        assert_eq!(cost("SQL license"), Some(dec!(291.90072)));
        assert_eq!(cost("LTR backup storage (LRS)"), Some(dec!(0.1490)));
    }

    #[test]
    fn business_critical_zrs_base_price_and_no_extra_storage() {
        // BC_Gen5 40 cores 730 h × $13.39516 = $9,778.4668; ZRS PITR 100 × $0.149, LTR 100 × $0.0372
        let usage = "version: 0.1\nresource_usage:\n  azurerm_mssql_managed_instance.test:\n    backup_storage_gb: 100\n    long_term_retention_storage_gb: 100\n";
        let r = price(
            "azurerm_mssql_managed_instance",
            json!({"location": "westeurope", "sku_name": "BC_Gen5", "vcores": 40,
                   "storage_size_in_gb": 64, "storage_account_type": "ZRS",
                   "license_type": "BasePrice"}),
            "westeurope",
            Some(usage),
        );
        assert_eq!(
            component(&r, "Compute (BC_GEN5 40 cores)").monthly_cost,
            Some(dec!(9778.4668))
        );
        assert_eq!(
            component(&r, "PITR backup storage (ZRS)").monthly_cost,
            Some(dec!(14.900))
        );
        assert_eq!(
            component(&r, "LTR backup storage (ZRS)").monthly_cost,
            Some(dec!(3.7200))
        );
        assert!(r.all_components().iter().all(|(n, _)| n != "SQL license"));
        // 32 GB is included: no storage or PITR line; LTR waits for usage
        let r = price(
            "azurerm_mssql_managed_instance",
            json!({"location": "westeurope", "sku_name": "GP_Gen5", "vcores": 16,
                   "storage_size_in_gb": 32, "storage_account_type": "LRS"}),
            "westeurope",
            None,
        );
        let names: Vec<String> = r.all_components().into_iter().map(|(n, _)| n).collect();
        assert_eq!(
            names,
            ["Compute (GP_GEN5 16 cores)", "LTR backup storage (LRS)"]
        );
        assert_eq!(
            component(&r, "LTR backup storage (LRS)").status,
            ComponentStatus::UsageMissing
        );
        // GP_Gen5 16 cores 730 h × $2.67904 = $1,955.6992
        assert_eq!(r.monthly_cost, Some(dec!(1955.6992)));
    }

    #[test]
    fn unknown_skus_are_said() {
        let r = price(
            "azurerm_mssql_managed_instance",
            json!({"location": "westeurope", "sku_name": "XX_Gen5", "vcores": 4}),
            "westeurope",
            None,
        );
        assert!(r.all_components().is_empty());
        assert!(r.metadata.notes.iter().any(|n| n.contains("XX_Gen5")));
    }
}
