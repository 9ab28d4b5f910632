//! `azurerm_bastion_host`: the host per hour and its outbound data per GB
//! (usage key `monthly_outbound_data_gb`) in Infracost's buckets — the first
//! 10,000 GB, the next 50,000, the next 150,000, the next 500,000, then the
//! rest — each at its price-list tier. As Infracost prices it, every host is
//! billed at the Basic SKU's meters, whatever its `sku`.

use super::filter;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};
use rust_decimal::Decimal;

const SERVICE: &str = "Azure Bastion";
const FAMILY: &str = "Networking";
const SKU: &str = "Basic";

/// Names of the data tiers, in the table's order (its tiers are Infracost's
/// buckets: 0–10,000, 10,000–60,000, 60,000–210,000, 210,000–710,000 GB).
const DATA_TIERS: &[&str] = &[
    "Outbound data transfer (first 10TB)",
    "Outbound data transfer (next 40TB)",
    "Outbound data transfer (next 100TB)",
    "Outbound data transfer (next 350TB)",
    "Outbound data transfer (over 500TB)",
];

pub(crate) fn price(_attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    p.push(ComponentSpec::hourly(
        "Bastion host",
        "hours",
        Decimal::ONE,
        filter(SERVICE, FAMILY, ctx.region, "Hrs")
            .attr("skuName", SKU)
            .attr("meterName", format!("{SKU} Gateway")),
    ));
    p.push(
        ComponentSpec::usage(
            "Outbound data transfer",
            "GB",
            ctx.usage.decimal("monthly_outbound_data_gb"),
            filter(SERVICE, FAMILY, ctx.region, "GB")
                .attr("skuName", SKU)
                .attr("meterName", format!("{SKU} Data Transfer Out")),
        )
        .tier_names(DATA_TIERS),
    );
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    fn host(gb: Option<&str>) -> crate::cost::ResourceCost {
        let usage = gb.map(|g| {
            format!("version: 0.1\nresource_usage:\n  azurerm_bastion_host.test:\n    monthly_outbound_data_gb: {g}\n")
        });
        price(
            "azurerm_bastion_host",
            json!({"name": "bastion", "location": "australiaeast"}),
            "australiaeast",
            usage.as_deref(),
        )
    }

    #[test]
    fn host_hours_and_data_in_infracosts_buckets() {
        // 730 h × $0.19 = $138.70
        // 100,000 GB: 10,000 × $0.12 = $1,200; 50,000 × $0.085 = $4,250;
        // 40,000 × $0.082 = $3,280
        let r = host(Some("100000"));
        assert_eq!(
            component(&r, "Bastion host").monthly_cost,
            Some(dec!(138.70))
        );
        let first = component(&r, "Outbound data transfer (first 10TB)");
        assert_eq!(first.monthly_quantity, Some(dec!(10000)));
        assert_eq!(first.monthly_cost, Some(dec!(1200)));
        let next = component(&r, "Outbound data transfer (next 40TB)");
        assert_eq!(next.monthly_quantity, Some(dec!(50000)));
        assert_eq!(next.monthly_cost, Some(dec!(4250)));
        let third = component(&r, "Outbound data transfer (next 100TB)");
        assert_eq!(third.monthly_quantity, Some(dec!(40000)));
        assert_eq!(third.monthly_cost, Some(dec!(3280)));
    }

    #[test]
    fn data_waits_for_usage_and_past_the_known_tiers_says_no_price() {
        // no usage: the first tier's $0.12 per GB, no cost
        let r = host(None);
        let c = component(&r, "Outbound data transfer (first 10TB)");
        assert_eq!(c.status, ComponentStatus::UsageMissing);
        assert_eq!(c.price, Some(dec!(0.12)));
        // 5,000 GB stays in the first tier: 5,000 × $0.12 = $600
        let r = host(Some("5000"));
        assert_eq!(
            component(&r, "Outbound data transfer (first 10TB)").monthly_cost,
            Some(dec!(600))
        );
        // 250,000 GB: the 40,000 GB past 210,000 have no shipped price
        let r = host(Some("250000"));
        let c = r
            .all_components()
            .into_iter()
            .find(|(_, c)| c.status == ComponentStatus::NoPriceFound)
            .map(|(_, c)| c.monthly_quantity);
        assert_eq!(c, Some(Some(dec!(40000))));
    }
}
