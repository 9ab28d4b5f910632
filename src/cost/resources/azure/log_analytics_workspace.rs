//! `azurerm_log_analytics_workspace`, as Infracost prices it:
//! - `PerGB2018`: log data ingestion per GB (usage key
//!   `monthly_log_data_ingestion_gb`), at the paid rate: the free 5 GB a day
//!   belong to the billing account, not to one workspace.
//! - `CapacityReservation` with `reservation_capacity_in_gb_per_day`: 30
//!   days of the commitment tier (100, 200, 300, 400, 500, 1000, 2000 or
//!   5000 GB a day; other values bill as the tier below, above 5000 as 5000).
//! - With Microsoft Sentinel on the workspace (a `SecurityInsights`
//!   `azurerm_log_analytics_solution` or an `azurerm_sentinel_*` resource
//!   referring to it in the configuration), Sentinel ingestion the same way
//!   (usage key `monthly_sentinel_data_ingestion_gb`).
//! - Retention beyond the free 30 days (`retention_in_days`), data export,
//!   Basic logs ingestion and search, archive storage, restore and search:
//!   usage-based.
//! - `Free` is free; the legacy tiers (`Standard`, `Premium`, `PerNode`,
//!   `Unlimited`) are not priced, and say so.

use super::filter;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};
use crate::plan::ResourceConfig;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde_json::Value;

const SERVICE: &str = "Azure Monitor";
const FAMILY: &str = "Logs";

/// Commitment tiers in GB a day, with the unit Infracost shows for each.
const TIERS: &[(i64, &str)] = &[
    (100, "100 GB (per day)"),
    (200, "200 GB (per day)"),
    (300, "300 GB (per day)"),
    (400, "400 GB (per day)"),
    (500, "500 GB (per day)"),
    (1000, "1000 GB (per day)"),
    (2000, "2000 GB (per day)"),
    (5000, "5000 GB (per day)"),
];

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let sku = attrs.str("sku").unwrap_or("PerGB2018");
    let lower = sku.to_ascii_lowercase();
    if lower == "free" {
        p.note("the Free tier is free");
        return p;
    }
    if matches!(
        lower.as_str(),
        "unlimited" | "standard" | "premium" | "pernode"
    ) {
        p.note(format!(
            "`{sku}` is a legacy pricing tier and is not priced; move to PerGB2018 or CapacityReservation"
        ));
        return p;
    }
    let sentinel = sentinel_enabled(ctx);
    let meter =
        |m: &str| filter(SERVICE, FAMILY, ctx.region, "GB").attr("meterName", m.to_string());
    if lower == "pergb2018" {
        let per_gb = |name: &str, key: &str| {
            ComponentSpec::usage(
                name.to_string(),
                "GB",
                ctx.usage.decimal(key),
                meter("Pay-as-you-go Data Ingestion"),
            )
        };
        p.push(per_gb(
            "Log data ingestion",
            "monthly_log_data_ingestion_gb",
        ));
        if sentinel {
            p.push(per_gb(
                "Sentinel data ingestion",
                "monthly_sentinel_data_ingestion_gb",
            ));
        }
    }
    if lower == "capacityreservation"
        && let Some(gb) = attrs
            .decimal("reservation_capacity_in_gb_per_day")
            .filter(|g| *g > Decimal::ZERO)
    {
        let (tier, unit) = commitment_tier(gb);
        let per_day = |name: &str| {
            ComponentSpec::monthly(
                name.to_string(),
                unit,
                dec!(30),
                filter(SERVICE, FAMILY, ctx.region, "Day")
                    .attr("meterName", format!("{tier} GB Commitment Tier")),
            )
        };
        p.push(per_day("Log data ingestion"));
        if sentinel {
            p.push(per_day("Sentinel data ingestion"));
        }
    }
    if attrs
        .decimal("retention_in_days")
        .is_some_and(|d| d > dec!(30))
    {
        p.push(ComponentSpec::usage(
            "Log data retention",
            "GB",
            ctx.usage
                .decimal("monthly_additional_log_data_retention_gb"),
            meter("Pay-as-you-go Data Retention"),
        ));
    }
    let usage = |keys: &[&str]| keys.iter().find_map(|k| ctx.usage.decimal(k));
    for (name, unit, keys, m) in [
        (
            "Log data export",
            "GB",
            &["monthly_log_data_export_gb"][..],
            "Data Exported",
        ),
        (
            "Basic log data ingestion",
            "GB",
            &["monthly_basic_log_data_ingestion_gb"][..],
            "Basic Logs Data Ingestion",
        ),
        (
            "Basic log search queries",
            "GB searched",
            &["monthly_basic_log_search_gb"][..],
            "Search Queries Scanned",
        ),
        (
            "Archive data",
            "GB",
            &["monthly_archive_data_gb", "monthly_archived_data_gb"][..],
            "Data Archive",
        ),
        (
            "Archive data restored",
            "GB",
            &[
                "monthly_archive_data_restored_gb",
                "monthly_archived_data_restored_gb",
            ][..],
            "Data Restore",
        ),
        (
            "Archive data searched",
            "GB",
            &[
                "monthly_archive_data_searched_gb",
                "monthly_archived_data_searched_gb",
            ][..],
            "Search Jobs",
        ),
    ] {
        p.push(ComponentSpec::usage(name, unit, usage(keys), meter(m)));
    }
    p
}

/// The billable commitment tier for `gb` a day: the tier itself, else the
/// tier below it (the smallest for less, the largest for more).
fn commitment_tier(gb: Decimal) -> (i64, &'static str) {
    let mut chosen = TIERS[0];
    for &(tier, unit) in TIERS {
        if Decimal::from(tier) <= gb {
            chosen = (tier, unit);
        }
    }
    chosen
}

/// Whether Microsoft Sentinel runs on this workspace: a `SecurityInsights`
/// solution, or any `azurerm_sentinel_*` resource, whose configuration refers
/// to this workspace (directly, or through such a solution).
fn sentinel_enabled(ctx: &Ctx) -> bool {
    let Some(module) = ctx
        .plan
        .configuration
        .as_ref()
        .and_then(|c| c.module(ctx.resource.module_address.as_deref()))
    else {
        return false;
    };
    let me = format!("{}.{}", ctx.resource.resource_type, ctx.resource.name);
    let refers_to = |r: &ResourceConfig, target: &str| {
        let mut refs = Vec::new();
        references_in(&r.expressions, &mut refs);
        refs.iter().any(|x| {
            x.strip_prefix(target)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
        })
    };
    let solutions: Vec<String> = module
        .resources
        .iter()
        .filter(|r| {
            r.resource_type == "azurerm_log_analytics_solution"
                && r.expressions
                    .pointer("/solution_name/constant_value")
                    .and_then(Value::as_str)
                    == Some("SecurityInsights")
                && refers_to(r, &me)
        })
        .map(|r| format!("{}.{}", r.resource_type, r.name))
        .collect();
    !solutions.is_empty()
        || module.resources.iter().any(|r| {
            r.resource_type.starts_with("azurerm_sentinel_")
                && (refers_to(r, &me) || solutions.iter().any(|s| refers_to(r, s)))
        })
}

/// Every reference named anywhere in a configuration's expressions.
fn references_in<'v>(v: &'v Value, out: &mut Vec<&'v str>) {
    match v {
        Value::Object(m) => {
            if let Some(Value::Array(refs)) = m.get("references") {
                out.extend(refs.iter().filter_map(Value::as_str));
            }
            m.values().for_each(|x| references_in(x, out));
        }
        Value::Array(items) => items.iter().for_each(|x| references_in(x, out)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::commitment_tier;
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    #[test]
    fn per_gb_ingestion_and_the_usage_based_rest() {
        // 20 GB × $2.99 = $59.80; 40 GB export × $0.13 = $5.20;
        // archive 70 GB × $0.026 = $1.82
        let usage = "version: 0.1\nresource_usage:\n  azurerm_log_analytics_workspace.test:\n    monthly_log_data_ingestion_gb: 20\n    monthly_log_data_export_gb: 40\n    monthly_archive_data_gb: 70\n";
        let r = price(
            "azurerm_log_analytics_workspace",
            json!({"location": "westeurope", "sku": "PerGB2018"}),
            "westeurope",
            Some(usage),
        );
        assert_eq!(
            component(&r, "Log data ingestion").monthly_cost,
            Some(dec!(59.80))
        );
        assert_eq!(
            component(&r, "Log data export").monthly_cost,
            Some(dec!(5.20))
        );
        assert_eq!(component(&r, "Archive data").monthly_cost, Some(dec!(1.82)));
        let q = component(&r, "Basic log search queries");
        assert_eq!(
            (q.unit.as_str(), q.status),
            ("GB searched", ComponentStatus::UsageMissing)
        );
        assert_eq!(q.price, Some(dec!(0.0065)));
        assert_eq!(r.all_components().len(), 7);
        assert!(
            r.all_components()
                .iter()
                .all(|(n, _)| n != "Log data retention")
        );
    }

    #[test]
    fn retention_beyond_thirty_days_is_billed_from_usage() {
        // 30 GB × $0.13 = $3.90
        let usage = "version: 0.1\nresource_usage:\n  azurerm_log_analytics_workspace.test:\n    monthly_additional_log_data_retention_gb: 30\n";
        let r = price(
            "azurerm_log_analytics_workspace",
            json!({"location": "westeurope", "sku": "PerGB2018", "retention_in_days": 33}),
            "westeurope",
            Some(usage),
        );
        assert_eq!(
            component(&r, "Log data retention").monthly_cost,
            Some(dec!(3.90))
        );
        let r = price(
            "azurerm_log_analytics_workspace",
            json!({"location": "westeurope", "sku": "PerGB2018", "retention_in_days": 30}),
            "westeurope",
            None,
        );
        assert!(
            r.all_components()
                .iter()
                .all(|(n, _)| n != "Log data retention")
        );
    }

    #[test]
    fn capacity_reservation_bills_thirty_days_of_its_tier() {
        // 30 days × $252.84 = $7,585.20
        let r = price(
            "azurerm_log_analytics_workspace",
            json!({"location": "westeurope", "sku": "CapacityReservation",
                   "reservation_capacity_in_gb_per_day": 100}),
            "westeurope",
            None,
        );
        let c = component(&r, "Log data ingestion");
        assert_eq!(c.unit, "100 GB (per day)");
        assert_eq!(c.monthly_quantity, Some(dec!(30)));
        assert_eq!(c.monthly_cost, Some(dec!(7585.20)));
        assert_eq!(commitment_tier(dec!(150)).0, 100);
        assert_eq!(commitment_tier(dec!(50)).0, 100);
        assert_eq!(commitment_tier(dec!(1000)).0, 1000);
        assert_eq!(commitment_tier(dec!(9000)).0, 5000);
        // without a capacity there is no ingestion line
        let r = price(
            "azurerm_log_analytics_workspace",
            json!({"location": "westeurope", "sku": "CapacityReservation"}),
            "westeurope",
            None,
        );
        assert!(
            r.all_components()
                .iter()
                .all(|(n, _)| n != "Log data ingestion")
        );
        assert_eq!(r.all_components().len(), 6);
    }

    #[test]
    fn free_and_legacy_tiers_have_no_components() {
        for sku in ["Free", "Standard", "PerNode"] {
            let r = price(
                "azurerm_log_analytics_workspace",
                json!({"location": "westeurope", "sku": sku}),
                "westeurope",
                None,
            );
            assert!(r.all_components().is_empty(), "{sku}");
        }
    }
}
