//! `azurerm_mssql_elasticpool`: an SQL Database elastic pool, as Infracost
//! prices it, by `sku.name`:
//! - DTU pools (`BasicPool`, `StandardPool`, `PremiumPool`): the pool's eDTUs
//!   (`sku.capacity`) per day over 730 hours, named `Compute (Standard, 200 DTUs)`,
//!   and storage in `max_size_gb` beyond what the pool includes (Standard: as
//!   many GB as eDTUs; Premium: 250 GB at 125 eDTUs … 4 TB at 4,000; Basic:
//!   none charged) as extra data storage;
//! - vCore pools (`GP_Gen5`, `BC_DC`, …: `sku.tier` and `sku.family`): compute
//!   hours of `sku.capacity` vCores, zone redundancy on General Purpose when
//!   `zone_redundant` (free on Business Critical), the SQL licence per
//!   vCore-hour unless `license_type` is `BasePrice`, and `max_size_gb` of storage.
//!
//! Prices are the single database's (the price list's "Single/Elastic Pool"
//! meters), except the pools' eDTU packs.

use super::filter;
use crate::cost::component::HOURS_PER_MONTH;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

const SERVICE: &str = "SQL Database";

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let (Some(sku), Some(capacity)) = (attrs.str("sku.0.name"), attrs.decimal("sku.0.capacity"))
    else {
        p.note("sku.name or sku.capacity not known at plan time; the pool is not priced");
        return p;
    };
    let tier = split_camel(attrs.str("sku.0.tier").unwrap_or_default());
    let max_size_gb = attrs.decimal("max_size_gb");
    if ["basicpool", "standardpool", "premiumpool"].contains(&sku.to_ascii_lowercase().as_str()) {
        dtu_pool(&mut p, ctx, &tier, capacity, max_size_gb);
    } else {
        vcore_pool(&mut p, attrs, ctx, sku, &tier, capacity, max_size_gb);
    }
    p
}

fn dtu_pool(p: &mut Priced, ctx: &Ctx, tier: &str, edtus: Decimal, max_size_gb: Option<Decimal>) {
    // Priced per day; shown over 730 hours as Infracost shows it.
    let days = HOURS_PER_MONTH / dec!(24);
    p.push(
        ComponentSpec::monthly(
            format!("Compute ({tier}, {edtus} DTUs)"),
            "hours",
            days,
            filter(SERVICE, "Elastic Pool DTU", ctx.region, "Day")
                .attr("productName", format!("SQL Database Elastic Pool - {tier}"))
                .attr("skuName", format!("{edtus} DTU Pack")),
        )
        .per(dec!(1) / dec!(24)),
    );
    let included = match tier {
        "Standard" => Some(edtus),
        "Premium" => premium_included_gb(edtus),
        _ => None,
    };
    if let (Some(max), Some(included)) = (max_size_gb, included) {
        let extra = max - included;
        if extra > Decimal::ZERO {
            p.push(ComponentSpec::monthly(
                "Extra data storage",
                "GB",
                extra,
                filter(SERVICE, "Storage", ctx.region, "GB-Mo").attr("skuName", tier.to_string()),
            ));
        }
    }
}

/// Storage a Premium pool of `edtus` eDTUs includes.
fn premium_included_gb(edtus: Decimal) -> Option<Decimal> {
    let gb = match u32::try_from(edtus.trunc().mantissa()).ok()? {
        125 => 250,
        250 => 500,
        500 => 750,
        n @ 1000..=4000 if n % 500 == 0 => n + n * 24 / 1000,
        _ => return None,
    };
    Some(Decimal::from(gb))
}

fn vcore_pool(
    p: &mut Priced,
    attrs: &Attrs,
    ctx: &Ctx,
    sku: &str,
    tier: &str,
    cores: Decimal,
    max_size_gb: Option<Decimal>,
) {
    let family = match attrs.str("sku.0.family").unwrap_or_default() {
        "DC" => "Compute DC-Series".to_string(),
        "FSv2" => "Compute FSv2 Series".to_string(),
        f => format!("Compute {f}"),
    };
    let compute = |sku_name: String| {
        filter(SERVICE, "Compute", ctx.region, "Hrs")
            .attr("productName", format!("{tier} - {family}"))
            .attr("skuName", sku_name)
    };
    p.push(ComponentSpec::hourly(
        format!("Compute ({sku}, {cores} vCore)"),
        "hours",
        Decimal::ONE,
        compute(format!("{cores} vCore")),
    ));
    let general_purpose = tier.eq_ignore_ascii_case("general purpose");
    let zone = attrs.bool("zone_redundant") == Some(true) && general_purpose;
    if zone {
        p.push(ComponentSpec::hourly(
            format!("Zone redundancy ({sku}, {cores} vCore)"),
            "hours",
            Decimal::ONE,
            compute(format!("{cores} vCore Zone Redundancy")),
        ));
    }
    if !attrs
        .str("license_type")
        .is_some_and(|l| l.eq_ignore_ascii_case("baseprice"))
    {
        p.push(ComponentSpec::hourly(
            "SQL license",
            "vCore-hours",
            cores,
            filter(SERVICE, "License", "global", "Hrs")
                .attr("productName", format!("{tier} - SQL License")),
        ));
    }
    let storage_sku = if zone {
        format!("{tier} Zone Redundancy")
    } else {
        tier.to_string()
    };
    let storage = filter(SERVICE, "Storage", ctx.region, "GB-Mo").attr("skuName", storage_sku);
    p.push(match max_size_gb {
        Some(gb) => ComponentSpec::monthly("Storage", "GB", gb, storage),
        None => ComponentSpec::usage("Storage", "GB", None, storage),
    });
}

/// `GeneralPurpose` → `General Purpose`, as the price list names tiers.
fn split_camel(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && c.is_ascii_uppercase() {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{premium_included_gb, split_camel};
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    fn pool(attrs: serde_json::Value) -> crate::cost::ResourceCost {
        price("azurerm_mssql_elasticpool", attrs, "westeurope", None)
    }

    #[test]
    fn tiers_and_premium_storage() {
        assert_eq!(split_camel("GeneralPurpose"), "General Purpose");
        assert_eq!(split_camel("Standard"), "Standard");
        assert_eq!(premium_included_gb(dec!(125)), Some(dec!(250)));
        assert_eq!(premium_included_gb(dec!(500)), Some(dec!(750)));
        assert_eq!(premium_included_gb(dec!(1000)), Some(dec!(1024)));
        assert_eq!(premium_included_gb(dec!(4000)), Some(dec!(4096)));
        assert_eq!(premium_included_gb(dec!(100)), None);
    }

    #[test]
    fn dtu_pools_bill_edtus_per_day_and_storage_beyond_what_they_include() {
        // Standard 200 eDTUs $14.50/day × 730/24 = $441.04; 300 − 200 GB × $0.221 = $22.10
        let r = pool(json!({"location": "westeurope", "max_size_gb": 300,
            "sku": [{"name": "StandardPool", "tier": "Standard", "capacity": 200}]}));
        let c = component(&r, "Compute (Standard, 200 DTUs)");
        assert_eq!(c.monthly_quantity.map(|q| q.round_dp(6)), Some(dec!(730)));
        assert_eq!(c.monthly_cost.map(|m| m.round_dp(2)), Some(dec!(441.04)));
        assert_eq!(
            component(&r, "Extra data storage").monthly_cost,
            Some(dec!(22.100))
        );
        // Premium 500 eDTUs $90/day = $2,737.50; 1,024 − 750 = 274 GB × $0.442 = $121.108
        let r = pool(json!({"location": "westeurope", "max_size_gb": 1024,
            "sku": [{"name": "PremiumPool", "tier": "Premium", "capacity": 500}]}));
        assert_eq!(
            component(&r, "Compute (Premium, 500 DTUs)")
                .monthly_cost
                .map(|m| m.round_dp(2)),
            Some(dec!(2737.50))
        );
        let e = component(&r, "Extra data storage");
        assert_eq!(
            (e.monthly_quantity, e.monthly_cost),
            (Some(dec!(274)), Some(dec!(121.108)))
        );
        // Basic 100 eDTUs $4.84/day = $147.22, no storage line
        let r = pool(json!({"location": "westeurope", "max_size_gb": 9.765625,
            "sku": [{"name": "BasicPool", "tier": "Basic", "capacity": 100}]}));
        assert_eq!(r.all_components().len(), 1);
        assert_eq!(r.monthly_cost.map(|m| m.round_dp(2)), Some(dec!(147.22)));
    }

    #[test]
    fn vcore_pools_bill_compute_zone_licence_and_storage() {
        // GP_Gen5 4 vCore 730 h × $0.66976 = $488.9248; zone 730 × $0.40185 = $293.3505;
        // licence 4 × 730 × $0.099966 = $291.90072; zone-redundant storage 100 GB × $0.274
        let r = pool(
            json!({"location": "westeurope", "max_size_gb": 100, "zone_redundant": true,
            "license_type": "LicenseIncluded",
            "sku": [{"name": "GP_Gen5", "tier": "GeneralPurpose", "family": "Gen5", "capacity": 4}]}),
        );
        let names: Vec<String> = r.all_components().into_iter().map(|(n, _)| n).collect();
        assert_eq!(
            names,
            [
                "Compute (GP_Gen5, 4 vCore)",
                "Zone redundancy (GP_Gen5, 4 vCore)",
                "SQL license",
                "Storage"
            ]
        );
        let cost = |n: &str| component(&r, n).monthly_cost;
        assert_eq!(cost("Compute (GP_Gen5, 4 vCore)"), Some(dec!(488.9248)));
        assert_eq!(
            cost("Zone redundancy (GP_Gen5, 4 vCore)"),
            Some(dec!(293.3505))
        );
        assert_eq!(cost("SQL license"), Some(dec!(291.90072)));
        assert_eq!(cost("Storage"), Some(dec!(27.400)));
        // Business Critical DC: zone redundancy is free; licence $0.375; storage $0.2975
        let r = pool(
            json!({"location": "westeurope", "max_size_gb": 100, "zone_redundant": true,
            "sku": [{"name": "BC_DC", "tier": "BusinessCritical", "family": "DC", "capacity": 8}]}),
        );
        let names: Vec<String> = r.all_components().into_iter().map(|(n, _)| n).collect();
        assert_eq!(
            names,
            ["Compute (BC_DC, 8 vCore)", "SQL license", "Storage"]
        );
        assert_eq!(
            component(&r, "Compute (BC_DC, 8 vCore)").monthly_cost,
            Some(dec!(4625.280))
        );
        assert_eq!(
            component(&r, "SQL license").monthly_cost,
            Some(dec!(2190.000))
        );
        assert_eq!(component(&r, "Storage").monthly_cost, Some(dec!(29.7500)));
        // BasePrice: no licence; General Purpose storage $0.1369
        let r = pool(
            json!({"location": "westeurope", "max_size_gb": 100, "license_type": "BasePrice",
            "sku": [{"name": "GP_Gen5", "tier": "GeneralPurpose", "family": "Gen5", "capacity": 4}]}),
        );
        assert_eq!(r.all_components().len(), 2);
        assert_eq!(component(&r, "Storage").monthly_cost, Some(dec!(13.6900)));
    }
}
