//! `google_compute_vpn_gateway` and `google_compute_ha_vpn_gateway`: IPSec
//! traffic leaving the gateway, as Infracost prices it, in a "Network
//! egress" part with one line per destination from the usage file's
//! `monthly_egress_data_transfer_gb.{same_region, us_or_canada, europe, asia,
//! south_america, oceania, worldwide}` (GB). Each destination is priced at
//! one inter-region transfer SKU of a fixed region, whatever the gateway's
//! region (Infracost's choice, as the Billing Catalog has no "same region"
//! or "worldwide" SKU); without usage every line is usage-based.

use super::filter;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};

/// (usage key, line name after its prefix, price region, SKU description).
const DESTINATIONS: &[(&str, &str, &str, &str)] = &[
    (
        "same_region",
        "within the same region",
        "us-central1",
        "Network Inter Region Data Transfer Out from Americas to Virginia",
    ),
    (
        "us_or_canada",
        "within the US or Canada",
        "us-central1",
        "Network Inter Region Data Transfer Out from Americas to Montreal",
    ),
    (
        "europe",
        "within Europe",
        "europe-west1",
        "Network Inter Region Data Transfer Out from EMEA to Frankfurt",
    ),
    (
        "asia",
        "within Asia",
        "asia-northeast1",
        "Network Inter Region Data Transfer Out from Japan to Seoul",
    ),
    (
        "south_america",
        "within South America",
        "southamerica-east1",
        "Network Inter Region Data Transfer Out from Sao Paulo to Sao Paulo",
    ),
    (
        "oceania",
        "to/from Indonesia and Oceania",
        "australia-southeast1",
        "Network Inter Region Data Transfer Out from Sydney to Jakarta",
    ),
    (
        "worldwide",
        "between continents (excludes Oceania)",
        "europe-north1",
        "Network Inter Region Data Transfer Out from Finland to Singapore",
    ),
];

/// The usage keys both gateway types read.
pub(crate) const USAGE_KEYS: &[&str] = &[
    "monthly_egress_data_transfer_gb.same_region",
    "monthly_egress_data_transfer_gb.us_or_canada",
    "monthly_egress_data_transfer_gb.europe",
    "monthly_egress_data_transfer_gb.asia",
    "monthly_egress_data_transfer_gb.south_america",
    "monthly_egress_data_transfer_gb.oceania",
    "monthly_egress_data_transfer_gb.worldwide",
];

/// The "Network egress" part: one line per destination, each named
/// `{prefix} {destination}` ("IPSec traffic within Europe").
pub(crate) fn egress(ctx: &Ctx, prefix: &str) -> (String, Vec<ComponentSpec>) {
    let lines = DESTINATIONS
        .iter()
        .map(|&(key, name, region, description)| {
            ComponentSpec::usage(
                format!("{prefix} {name}"),
                "GB",
                ctx.usage
                    .decimal(&format!("monthly_egress_data_transfer_gb.{key}")),
                filter("Compute Engine", "Network", region, "GB", "on_demand")
                    .attr("description", description),
            )
        })
        .collect();
    ("Network egress".to_string(), lines)
}

pub(crate) fn price(_attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    p.subresources.push(egress(ctx, "IPSec traffic"));
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::testing::price;
    use crate::cost::{ComponentStatus, ResourceCost};
    use rust_decimal::Decimal;
    use rust_decimal_macros::dec;
    use serde_json::json;

    fn line(r: &ResourceCost, name: &str) -> (Option<Decimal>, Option<Decimal>, ComponentStatus) {
        let c = r.subresources[0]
            .cost_components
            .iter()
            .find(|c| c.name == name)
            .unwrap_or_else(|| panic!("no line {name}"));
        (
            c.monthly_quantity,
            c.monthly_cost.map(|c| c.normalize()),
            c.status,
        )
    }

    #[test]
    fn each_destination_is_priced_from_usage() {
        // 250 × $0.02 = $5; 100 × $0.02 = $2; 70 × $0.02 = $1.40; 50 × $0.08 = $4;
        // 100 × $0.14 = $14; 50 × $0.10 = $5; 200 × $0.08 = $16
        for t in [
            "google_compute_vpn_gateway",
            "google_compute_ha_vpn_gateway",
        ] {
            let usage = format!(
                "version: 0.1\nresource_usage:\n  {t}.test:\n    monthly_egress_data_transfer_gb:\n      same_region: 250\n      us_or_canada: 100\n      europe: 70\n      asia: 50\n      south_america: 100\n      oceania: 50\n      worldwide: 200\n"
            );
            let r = price(t, json!({"name": "vpn1"}), "us-central1", Some(&usage));
            assert_eq!(r.subresources[0].name, "Network egress");
            for (name, gb, cost) in [
                ("IPSec traffic within the same region", dec!(250), dec!(5)),
                ("IPSec traffic within the US or Canada", dec!(100), dec!(2)),
                ("IPSec traffic within Europe", dec!(70), dec!(1.4)),
                ("IPSec traffic within Asia", dec!(50), dec!(4)),
                ("IPSec traffic within South America", dec!(100), dec!(14)),
                (
                    "IPSec traffic to/from Indonesia and Oceania",
                    dec!(50),
                    dec!(5),
                ),
                (
                    "IPSec traffic between continents (excludes Oceania)",
                    dec!(200),
                    dec!(16),
                ),
            ] {
                let (q, c, _) = line(&r, name);
                assert_eq!((q, c), (Some(gb), Some(cost)), "{t}: {name}");
            }
        }
    }

    #[test]
    fn without_usage_every_destination_is_usage_based() {
        let r = price(
            "google_compute_vpn_gateway",
            json!({"name": "vpn1"}),
            "europe-west1",
            None,
        );
        assert_eq!(r.subresources[0].cost_components.len(), 7);
        let (_, _, status) = line(&r, "IPSec traffic within Asia");
        assert_eq!(status, ComponentStatus::UsageMissing);
    }
}
