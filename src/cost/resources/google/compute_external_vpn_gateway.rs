//! `google_compute_external_vpn_gateway`: IPSec traffic from the gateway to
//! the internet, as Infracost prices it: a "Network egress" part with one
//! line per destination and tier (first 1 TB, next 9 TB, over 10 TB) from the
//! usage file's `monthly_egress_data_transfer_gb.{worldwide, china,
//! australia}` (GB), at the VPN internet transfer SKUs in the gateway's
//! region. Without usage each destination shows its first tier, usage-based.

use super::filter;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};

/// (usage key, SKU description, line names per tier).
const DESTINATIONS: &[(&str, &str, &[&str])] = &[
    (
        "worldwide",
        "Network Vpn Internet Data Transfer Out from Americas to Americas",
        &[
            "IPSec traffic to worldwide excluding China, Australia but including Hong Kong (first 1TB)",
            "IPSec traffic to worldwide excluding China, Australia but including Hong Kong (next 9TB)",
            "IPSec traffic to worldwide excluding China, Australia but including Hong Kong (over 10TB)",
        ],
    ),
    (
        "china",
        "Network Vpn Internet Data Transfer Out from Americas to China",
        &[
            "IPSec traffic to China excluding Hong Kong (first 1TB)",
            "IPSec traffic to China excluding Hong Kong (next 9TB)",
            "IPSec traffic to China excluding Hong Kong (over 10TB)",
        ],
    ),
    (
        "australia",
        "Network Vpn Internet Data Transfer Out from Americas to Australia",
        &[
            "IPSec traffic to Australia (first 1TB)",
            "IPSec traffic to Australia (next 9TB)",
            "IPSec traffic to Australia (over 10TB)",
        ],
    ),
];

pub(crate) fn price(_attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let lines = DESTINATIONS
        .iter()
        .map(|&(key, description, names)| {
            ComponentSpec::usage(
                names[0],
                "GB",
                ctx.usage
                    .decimal(&format!("monthly_egress_data_transfer_gb.{key}")),
                filter("Compute Engine", "Network", ctx.region, "GB", "on_demand")
                    .attr("description", description),
            )
            .tier_names(names)
        })
        .collect();
    p.subresources.push(("Network egress".to_string(), lines));
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::testing::price;
    use crate::cost::{ComponentStatus, ResourceCost};
    use rust_decimal::Decimal;
    use rust_decimal_macros::dec;
    use serde_json::json;

    const T: &str = "google_compute_external_vpn_gateway";

    fn line(r: &ResourceCost, name: &str) -> (Option<Decimal>, Option<Decimal>, ComponentStatus) {
        let c = r.subresources[0]
            .cost_components
            .iter()
            .find(|c| c.name == name)
            .unwrap_or_else(|| panic!("no line {name}: {r:#?}"));
        (
            c.monthly_quantity,
            c.monthly_cost.map(|c| c.normalize()),
            c.status,
        )
    }

    #[test]
    fn internet_transfer_is_tiered_by_destination() {
        // worldwide 12,500 GB: 1,024 × $0.12 = $122.88, 9,216 × $0.11 = $1,013.76,
        // 2,260 × $0.08 = $180.80; china 8,500: 1,024 × $0.23 = $235.52,
        // 7,476 × $0.22 = $1,644.72; australia 250 × $0.19 = $47.50
        let usage = "version: 0.1\nresource_usage:\n  google_compute_external_vpn_gateway.test:\n    monthly_egress_data_transfer_gb:\n      worldwide: 12500\n      china: 8500\n      australia: 250\n";
        let r = price(T, json!({"name": "ext"}), "us-central1", Some(usage));
        let w = "IPSec traffic to worldwide excluding China, Australia but including Hong Kong";
        for (name, gb, cost) in [
            (format!("{w} (first 1TB)"), dec!(1024), dec!(122.88)),
            (format!("{w} (next 9TB)"), dec!(9216), dec!(1013.76)),
            (format!("{w} (over 10TB)"), dec!(2260), dec!(180.8)),
            (
                "IPSec traffic to China excluding Hong Kong (first 1TB)".to_string(),
                dec!(1024),
                dec!(235.52),
            ),
            (
                "IPSec traffic to China excluding Hong Kong (next 9TB)".to_string(),
                dec!(7476),
                dec!(1644.72),
            ),
            (
                "IPSec traffic to Australia (first 1TB)".to_string(),
                dec!(250),
                dec!(47.5),
            ),
        ] {
            let (q, c, _) = line(&r, &name);
            assert_eq!((q, c), (Some(gb), Some(cost)), "{name}");
        }
    }

    #[test]
    fn without_usage_each_destination_shows_its_first_tier() {
        let r = price(T, json!({"name": "ext"}), "us-central1", None);
        assert_eq!(r.subresources[0].cost_components.len(), 3);
        let (_, _, status) = line(&r, "IPSec traffic to Australia (first 1TB)");
        assert_eq!(status, ComponentStatus::UsageMissing);
    }
}
