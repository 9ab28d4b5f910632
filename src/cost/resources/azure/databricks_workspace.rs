//! `azurerm_databricks_workspace`: DBU-hours of all-purpose, jobs and jobs
//! light compute at the workspace's tier (`sku` `standard`/`premium`), each
//! from its usage key (`monthly_all_purpose_compute_dbu_hrs`,
//! `monthly_jobs_compute_dbu_hrs`, `monthly_jobs_light_compute_dbu_hrs`), as
//! Infracost prices it. A `trial` workspace costs nothing.

use super::filter;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};

const SERVICE: &str = "Azure Databricks";
const FAMILY: &str = "Analytics";

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let Some(sku) = attrs.str("sku") else {
        p.note("sku not known at plan time; DBUs are not priced");
        return p;
    };
    if sku.eq_ignore_ascii_case("trial") {
        p.note("trial workspaces are free");
        return p;
    }
    // The price list names tiers with a capital first letter ("Premium").
    let mut chars = sku.chars();
    let tier: String = chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default();
    for (name, workload, key) in [
        (
            "All-purpose compute DBUs",
            "All-purpose Compute",
            "monthly_all_purpose_compute_dbu_hrs",
        ),
        (
            "Jobs compute DBUs",
            "Jobs Compute",
            "monthly_jobs_compute_dbu_hrs",
        ),
        (
            "Jobs light compute DBUs",
            "Jobs Light Compute",
            "monthly_jobs_light_compute_dbu_hrs",
        ),
    ] {
        p.push(ComponentSpec::usage(
            name,
            "DBU-hours",
            ctx.usage.decimal(key),
            filter(SERVICE, FAMILY, ctx.region, "DBU-hours")
                .attr("skuName", format!("{tier} {workload}")),
        ));
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
    fn premium_dbus_from_usage() {
        // 500 × $0.55 = $275; 1000 × $0.30 = $300; 2000 × $0.22 = $440
        let usage = "version: 0.1\nresource_usage:\n  azurerm_databricks_workspace.test:\n    monthly_all_purpose_compute_dbu_hrs: 500\n    monthly_jobs_compute_dbu_hrs: 1000\n    monthly_jobs_light_compute_dbu_hrs: 2000\n";
        let r = price(
            "azurerm_databricks_workspace",
            json!({"location": "eastus", "sku": "premium"}),
            "eastus",
            Some(usage),
        );
        assert_eq!(
            component(&r, "All-purpose compute DBUs").monthly_cost,
            Some(dec!(275))
        );
        assert_eq!(
            component(&r, "Jobs compute DBUs").monthly_cost,
            Some(dec!(300))
        );
        assert_eq!(
            component(&r, "Jobs light compute DBUs").monthly_cost,
            Some(dec!(440))
        );
    }

    #[test]
    fn standard_waits_for_usage_and_trial_is_free() {
        // standard without usage: $0.40, $0.15, $0.07 per DBU-hour, no quantity
        let r = price(
            "azurerm_databricks_workspace",
            json!({"location": "eastus", "sku": "standard"}),
            "eastus",
            None,
        );
        for (name, unit_price) in [
            ("All-purpose compute DBUs", dec!(0.40)),
            ("Jobs compute DBUs", dec!(0.15)),
            ("Jobs light compute DBUs", dec!(0.07)),
        ] {
            let c = component(&r, name);
            assert_eq!(c.status, ComponentStatus::UsageMissing);
            assert_eq!(c.price, Some(unit_price));
        }
        let r = price(
            "azurerm_databricks_workspace",
            json!({"location": "eastus", "sku": "trial"}),
            "eastus",
            None,
        );
        assert!(r.all_components().is_empty());
    }

    #[test]
    fn a_region_without_a_source_says_no_price() {
        let r = price(
            "azurerm_databricks_workspace",
            json!({"location": "westeurope", "sku": "standard"}),
            "westeurope",
            None,
        );
        assert_eq!(
            component(&r, "Jobs compute DBUs").status,
            ComponentStatus::NoPriceFound
        );
    }
}
