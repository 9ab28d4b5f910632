//! `azurerm_mssql_database`, as Infracost prices it, by `sku_name`:
//! - vCore (`GP_Gen5_4`, `BC_M_8`, `HS_Gen5_2`: tier, family, cores):
//!   compute hours (and zone redundancy with `zone_redundant`), Hyperscale
//!   read replicas (`read_replica_count`), the SQL licence per vCore-hour
//!   unless `license_type` is `BasePrice`, storage (`max_size_gb`, 5 GB when
//!   unset) and, except on Hyperscale, backups.
//! - Serverless (`GP_S_Gen5_2`; also when `sku_name` is unset): vCore-hours
//!   from usage key `monthly_vcore_hours`, zone redundancy alike, storage and
//!   backups; no licence line (it is in the vCore price).
//! - DTU (`Basic`, `S0`…`S12`, `P1`…`P15`): the DTU price per day over 730
//!   hours, extra data storage (usage key `extra_data_storage_gb`, else
//!   `max_size_gb` beyond what the tier includes) and backups.
//! - `ElasticPool`: only backups (the pool bills the compute).
//!
//! Backups: long-term retention (usage key `long_term_retention_storage_gb`)
//! and point-in-time restore storage (`backup_storage_gb`), by
//! `storage_account_type` (`Geo` RA-GRS, the default; `Local` LRS; `Zone` ZRS).

use super::filter;
use crate::cost::component::HOURS_PER_MONTH;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

const SERVICE: &str = "SQL Database";

/// A vCore SKU: Infracost's tier and family names and the core count.
struct VCore {
    tier: &'static str,
    family: &'static str,
    cores: Decimal,
}

fn parse_vcore(sku: &str) -> Option<VCore> {
    let parts: Vec<&str> = sku.split('_').collect();
    if parts.len() < 3 {
        return None;
    }
    let tier = match parts[..parts.len() - 2].join("_").as_str() {
        "GP" => "General Purpose",
        "GP_S" => "General Purpose - Serverless",
        "HS" => "Hyperscale",
        "BC" => "Business Critical",
        _ => return None,
    };
    let family = match parts[parts.len() - 2] {
        "Gen5" => "Compute Gen5",
        "Gen4" => "Compute Gen4",
        "M" => "Compute M Series",
        "DC" => "Compute DC-Series",
        "FSv2" => "Compute FSv2 Series",
        _ => return None,
    };
    let cores = parts[parts.len() - 1].parse::<u32>().ok()?;
    Some(VCore {
        tier,
        family,
        cores: Decimal::from(cores),
    })
}

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let sku = attrs.str("sku_name").unwrap_or("GP_S_Gen5_2");
    let redundancy = match attrs
        .str("storage_account_type")
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        None | Some("geo") => "RA-GRS",
        Some("local") => "LRS",
        Some("zone") => "ZRS",
        Some(other) => {
            p.note(format!(
                "storage_account_type `{other}` is not Geo, Local or Zone; backups priced as RA-GRS"
            ));
            "RA-GRS"
        }
    };
    if sku.eq_ignore_ascii_case("elasticpool") {
        backups(&mut p, redundancy, ctx);
        return p;
    }
    match parse_vcore(sku) {
        Some(v) => vcore(&mut p, attrs, ctx, sku, &v, redundancy),
        None => dtu(&mut p, attrs, ctx, sku, redundancy),
    }
    p
}

fn vcore(p: &mut Priced, attrs: &Attrs, ctx: &Ctx, sku: &str, v: &VCore, redundancy: &str) {
    let zone = attrs.bool("zone_redundant") == Some(true);
    let product = format!("{} - {}", v.tier, v.family);
    let compute = |sku_name: String| {
        filter(SERVICE, "Compute", ctx.region, "Hrs")
            .attr("productName", product.clone())
            .attr("skuName", sku_name)
    };
    let serverless = v.tier == "General Purpose - Serverless";
    if serverless {
        let hours = ctx.usage.decimal("monthly_vcore_hours");
        p.push(ComponentSpec::usage(
            format!("Compute (serverless, {sku})"),
            "vCore-hours",
            hours,
            compute("1 vCore".into()),
        ));
        if zone {
            p.push(ComponentSpec::usage(
                format!("Zone redundancy (serverless, {sku})"),
                "vCore-hours",
                hours,
                compute("1 vCore Zone Redundancy".into()),
            ));
        }
    } else {
        let cores = v.cores;
        p.push(ComponentSpec::hourly(
            format!("Compute (provisioned, {sku})"),
            "hours",
            Decimal::ONE,
            compute(format!("{cores} vCore")),
        ));
        if zone {
            p.push(ComponentSpec::hourly(
                format!("Zone redundancy (provisioned, {sku})"),
                "hours",
                Decimal::ONE,
                compute(format!("{cores} vCore Zone Redundancy")),
            ));
        }
    }
    let hyperscale = v.tier == "Hyperscale";
    if hyperscale {
        let replica_sku = if zone {
            format!("{} vCore Zone Redundancy", v.cores)
        } else {
            format!("{} vCore", v.cores)
        };
        let replicas = attrs.decimal("read_replica_count");
        let spec = match replicas {
            Some(n) => ComponentSpec::hourly("Read replicas", "hours", n, compute(replica_sku)),
            None => ComponentSpec::usage("Read replicas", "hours", None, compute(replica_sku))
                .per(HOURS_PER_MONTH),
        };
        p.push(spec);
    }
    let base_price = attrs
        .str("license_type")
        .is_some_and(|l| l.eq_ignore_ascii_case("baseprice"));
    if !serverless && !base_price {
        p.push(ComponentSpec::hourly(
            "SQL license",
            "vCore-hours",
            v.cores,
            filter(SERVICE, "License", license_region(ctx.region), "Hrs")
                .attr("productName", format!("{} - SQL License", v.tier)),
        ));
    }
    let storage_tier = if serverless {
        "General Purpose"
    } else {
        v.tier
    };
    let storage_sku = if zone {
        format!("{storage_tier} Zone Redundancy")
    } else {
        storage_tier.to_string()
    };
    p.push(ComponentSpec::monthly(
        "Storage",
        "GB",
        attrs.decimal("max_size_gb").unwrap_or(dec!(5)),
        filter(SERVICE, "Storage", ctx.region, "GB-Mo").attr("skuName", storage_sku),
    ));
    if !hyperscale {
        backups(p, redundancy, ctx);
    }
}

fn dtu(p: &mut Priced, attrs: &Attrs, ctx: &Ctx, sku: &str, redundancy: &str) {
    let mut code = sku.to_ascii_uppercase();
    if code == "BASIC" {
        code = "B".into();
    }
    let tier = match code.chars().next() {
        Some('B') => "Basic",
        Some('S') => "Standard",
        Some('P') => "Premium",
        _ => {
            p.note(format!(
                "sku_name `{sku}` is not a DTU (Basic, S0–S12, P1–P15), vCore (GP_Gen5_4) or ElasticPool SKU; the database is not priced"
            ));
            return;
        }
    };
    // Priced per day; shown over 730 hours as Infracost shows it.
    let days = HOURS_PER_MONTH / dec!(24);
    p.push(
        ComponentSpec::monthly(
            format!("Compute ({})", sku.to_uppercase()),
            "hours",
            days,
            filter(SERVICE, "DTU", ctx.region, "Day").attr("skuName", code.clone()),
        )
        .per(Decimal::ONE / dec!(24)),
    );
    let included = match code.as_str() {
        c if c.starts_with('S') => Some(dec!(250)),
        "P1" | "P2" | "P4" | "P6" => Some(dec!(500)),
        "P11" | "P15" => Some(dec!(4096)),
        _ => None,
    };
    let extra = if tier != "Basic" {
        ctx.usage
            .decimal("extra_data_storage_gb")
            .or_else(|| included.and_then(|inc| attrs.decimal("max_size_gb").map(|max| max - inc)))
    } else {
        None
    };
    if let Some(gb) = extra.filter(|g| *g > Decimal::ZERO) {
        p.push(ComponentSpec::monthly(
            "Extra data storage",
            "GB",
            gb,
            filter(SERVICE, "Storage", ctx.region, "GB-Mo").attr("skuName", tier),
        ));
    }
    backups(p, redundancy, ctx);
}

/// The licence price's region: one global price but in sovereign clouds.
fn license_region(region: &str) -> &'static str {
    if region.contains("usgov") {
        "usgov"
    } else if region.contains("china") {
        "china"
    } else if region.contains("germany") {
        "germany"
    } else {
        "global"
    }
}

fn backups(p: &mut Priced, redundancy: &str, ctx: &Ctx) {
    for (name, key, kind) in [
        (
            "Long-term retention",
            "long_term_retention_storage_gb",
            "LTR",
        ),
        ("PITR backup storage", "backup_storage_gb", "PITR"),
    ] {
        p.push(ComponentSpec::usage(
            format!("{name} ({redundancy})"),
            "GB",
            ctx.usage.decimal(key),
            filter(SERVICE, "Backup", ctx.region, "GB-Mo")
                .attr("meterName", format!("{kind} {redundancy} Data Stored")),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::parse_vcore;
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    fn db(attrs: serde_json::Value, usage: Option<&str>) -> crate::cost::ResourceCost {
        price("azurerm_mssql_database", attrs, "eastus", usage)
    }

    #[test]
    fn skus_parse_into_tier_family_and_cores() {
        let v = parse_vcore("BC_M_8").unwrap();
        assert_eq!(
            (v.tier, v.family, v.cores),
            ("Business Critical", "Compute M Series", dec!(8))
        );
        assert_eq!(
            parse_vcore("GP_S_Gen5_4").unwrap().tier,
            "General Purpose - Serverless"
        );
        assert!(parse_vcore("S12").is_none());
        assert!(parse_vcore("XX_Gen5_4").is_none());
        assert!(parse_vcore("GP_Gen5_x").is_none());
    }

    #[test]
    fn provisioned_vcore_with_licence_storage_and_backups() {
        // BC_Gen5_8 730 h × $2.43548 = $1,777.9004; licence 8 × 730 × $0.375 = $2,190;
        // 10 GB × $0.25 = $2.50; LTR 1,000 GB × $0.05 = $50; PITR 500 GB × $0.20 = $100
        let usage = "version: 0.1\nresource_usage:\n  azurerm_mssql_database.test:\n    long_term_retention_storage_gb: 1000\n    backup_storage_gb: 500\n";
        let r = db(
            json!({"sku_name": "BC_Gen5_8", "max_size_gb": 10}),
            Some(usage),
        );
        assert_eq!(
            component(&r, "Compute (provisioned, BC_Gen5_8)").monthly_cost,
            Some(dec!(1777.9004))
        );
        let l = component(&r, "SQL license");
        assert_eq!(
            (l.monthly_quantity, l.monthly_cost),
            (Some(dec!(5840)), Some(dec!(2190.000)))
        );
        assert_eq!(component(&r, "Storage").monthly_cost, Some(dec!(2.50)));
        assert_eq!(
            component(&r, "Long-term retention (RA-GRS)").monthly_cost,
            Some(dec!(50.00))
        );
        assert_eq!(
            component(&r, "PITR backup storage (RA-GRS)").monthly_cost,
            Some(dec!(100.00))
        );
    }

    #[test]
    fn base_price_drops_the_licence_and_zone_adds_a_line() {
        let r = db(
            json!({"sku_name": "GP_Gen5_4", "license_type": "BasePrice", "zone_redundant": true,
                   "storage_account_type": "Local"}),
            None,
        );
        let names: Vec<String> = r.all_components().into_iter().map(|(n, _)| n).collect();
        assert_eq!(
            names,
            [
                "Compute (provisioned, GP_Gen5_4)",
                "Zone redundancy (provisioned, GP_Gen5_4)",
                "Storage",
                "Long-term retention (LRS)",
                "PITR backup storage (LRS)"
            ]
        );
        // zone-redundant General Purpose storage: 5 GB × $0.23 = $1.15
        assert_eq!(component(&r, "Storage").monthly_cost, Some(dec!(1.15)));
        // 730 h × $0.60886 = $444.4678
        assert_eq!(
            component(&r, "Compute (provisioned, GP_Gen5_4)").monthly_cost,
            Some(dec!(444.4678))
        );
    }

    #[test]
    fn hyperscale_has_replicas_and_no_backups() {
        // 730 h × $0.36532 = $266.6836; 2 replicas × 730 × $0.36532 = $533.3672; 5 GB × $0.25
        let r = db(
            json!({"sku_name": "HS_Gen5_2", "read_replica_count": 2}),
            None,
        );
        assert_eq!(
            component(&r, "Compute (provisioned, HS_Gen5_2)").monthly_cost,
            Some(dec!(266.6836))
        );
        let rr = component(&r, "Read replicas");
        assert_eq!(
            (rr.monthly_quantity, rr.monthly_cost),
            (Some(dec!(1460)), Some(dec!(533.3672)))
        );
        assert_eq!(component(&r, "Storage").monthly_cost, Some(dec!(1.25)));
        assert!(
            r.all_components()
                .iter()
                .all(|(n, _)| !n.contains("retention"))
        );
        let r = db(json!({"sku_name": "HS_Gen5_2"}), None);
        assert_eq!(
            component(&r, "Read replicas").status,
            ComponentStatus::UsageMissing
        );
    }

    #[test]
    fn serverless_bills_vcore_hours_from_usage() {
        // 500 vCore-hours × $0.52176 = $260.88
        let usage = "version: 0.1\nresource_usage:\n  azurerm_mssql_database.test:\n    monthly_vcore_hours: 500\n";
        let r = db(json!({"sku_name": "GP_S_Gen5_4"}), Some(usage));
        assert_eq!(
            component(&r, "Compute (serverless, GP_S_Gen5_4)").monthly_cost,
            Some(dec!(260.88))
        );
        assert!(r.all_components().iter().all(|(n, _)| n != "SQL license"));
        // no sku_name: Azure's default, GP_S_Gen5_2, waiting for usage
        let r = db(json!({"name": "db"}), None);
        assert_eq!(
            component(&r, "Compute (serverless, GP_S_Gen5_2)").status,
            ComponentStatus::UsageMissing
        );
    }

    #[test]
    fn dtu_per_day_over_730_hours_and_extra_storage() {
        // P6 $120/day × 730/24 days = $3,650; extra 500 GB × $0.34 = $170
        let usage = "version: 0.1\nresource_usage:\n  azurerm_mssql_database.test:\n    extra_data_storage_gb: 500\n";
        let r = db(json!({"sku_name": "P6"}), Some(usage));
        let c = component(&r, "Compute (P6)");
        assert_eq!(c.monthly_cost.map(|m| m.round_dp(2)), Some(dec!(3650.00)));
        assert_eq!(c.monthly_quantity.map(|q| q.round_dp(6)), Some(dec!(730)));
        assert_eq!(
            component(&r, "Extra data storage").monthly_cost,
            Some(dec!(170.00))
        );
        // S12 with max_size_gb 500: 250 GB beyond the 250 included × $0.17 = $42.50
        let r = db(json!({"sku_name": "S12", "max_size_gb": 500}), None);
        let e = component(&r, "Extra data storage");
        assert_eq!(
            (e.monthly_quantity, e.monthly_cost),
            (Some(dec!(250)), Some(dec!(42.50)))
        );
        assert_eq!(
            component(&r, "Compute (S12)")
                .monthly_cost
                .map(|m| m.round_dp(2)),
            Some(dec!(4415.59))
        );
    }

    #[test]
    fn elastic_pool_members_bill_only_backups_and_odd_skus_are_said() {
        let r = db(
            json!({"sku_name": "ElasticPool", "storage_account_type": "Zone"}),
            None,
        );
        let names: Vec<String> = r.all_components().into_iter().map(|(n, _)| n).collect();
        assert_eq!(
            names,
            ["Long-term retention (ZRS)", "PITR backup storage (ZRS)"]
        );
        let r = db(json!({"sku_name": "DW100c"}), None);
        assert!(r.all_components().is_empty());
        assert!(r.metadata.notes.iter().any(|n| n.contains("DW100c")));
    }

    #[test]
    fn general_purpose_licence_storage_zone_and_m_series_compute() {
        // GP_Gen5_4: licence 4 × 730 × $0.099966 = $291.90072; 5 GB × $0.115 = $0.575;
        // zone redundancy 730 h × $0.36532 = $266.6836
        let r = db(
            json!({"sku_name": "GP_Gen5_4", "zone_redundant": true}),
            None,
        );
        assert_eq!(
            component(&r, "SQL license").monthly_cost,
            Some(dec!(291.90072))
        );
        assert_eq!(
            component(&r, "Zone redundancy (provisioned, GP_Gen5_4)").monthly_cost,
            Some(dec!(266.6836))
        );
        let r = db(json!({"sku_name": "GP_Gen5_4"}), None);
        assert_eq!(component(&r, "Storage").monthly_cost, Some(dec!(0.575)));
        // Hyperscale licence: 2 × 730 × $0.099966 = $145.95036
        let r = db(json!({"sku_name": "HS_Gen5_2"}), None);
        assert_eq!(
            component(&r, "SQL license").monthly_cost,
            Some(dec!(145.95036))
        );
        // BC_M_8: 730 h × $13.43025 = $9,804.0825
        let r = db(json!({"sku_name": "BC_M_8", "max_size_gb": 50}), None);
        assert_eq!(
            component(&r, "Compute (provisioned, BC_M_8)").monthly_cost,
            Some(dec!(9804.0825))
        );
        // S1: $0.9677/day × 730/24 days = $29.43
        let r = db(json!({"sku_name": "S1"}), None);
        assert_eq!(
            component(&r, "Compute (S1)")
                .monthly_cost
                .map(|m| m.round_dp(2)),
            Some(dec!(29.43))
        );
    }
}
