//! `aws_globalaccelerator_accelerator`: the fixed hourly fee, plus the
//! data-transfer premium of the dominant direction (inbound or outbound,
//! whichever moves more GB in the month, as AWS bills it) for each pair of
//! source and destination regions. Global Accelerator prices are the same
//! in every region (region `global` in the tables).
//!
//! Usage (Infracost's keys): `monthly_inbound_data_transfer_gb.from_<a>_to_<b>`
//! and `monthly_outbound_data_transfer_gb.from_<a>_to_<b>` for the nine
//! Global Accelerator geographies (`asia_pacific`, `australia`, `europe`,
//! `india`, `south_korea`, `middle_east`, `north_america`, `south_america`,
//! `south_africa`). Without any, only the fixed fee is shown.

use crate::cost::{Attrs, ComponentSpec, Ctx, PriceFilter, Priced};
use rust_decimal::Decimal;

/// (usage name, price-list code) of source and destination, in Infracost's order.
const PAIRS: &[(&str, &str, &str, &str)] = &[
    ("asia_pacific", "AP", "asia_pacific", "AP"),
    ("asia_pacific", "AP", "australia", "AU"),
    ("asia_pacific", "AP", "europe", "EU"),
    ("asia_pacific", "AP", "india", "IN"),
    ("asia_pacific", "AP", "south_korea", "KR"),
    ("asia_pacific", "AP", "middle_east", "ME"),
    ("asia_pacific", "AP", "north_america", "NA"),
    ("asia_pacific", "AP", "south_america", "SA"),
    ("asia_pacific", "AP", "south_africa", "ZA"),
    ("australia", "AU", "asia_pacific", "AP"),
    ("australia", "AU", "australia", "AU"),
    ("australia", "AU", "europe", "EU"),
    ("australia", "AU", "india", "IN"),
    ("australia", "AU", "south_korea", "KR"),
    ("australia", "AU", "middle_east", "ME"),
    ("australia", "AU", "north_america", "NA"),
    ("australia", "AU", "south_america", "SA"),
    ("australia", "AU", "south_africa", "ZA"),
    ("europe", "EU", "asia_pacific", "AP"),
    ("europe", "EU", "australia", "AU"),
    ("europe", "EU", "europe", "EU"),
    ("europe", "EU", "india", "IN"),
    ("europe", "EU", "south_korea", "KR"),
    ("europe", "EU", "middle_east", "ME"),
    ("europe", "EU", "north_america", "NA"),
    ("europe", "EU", "south_america", "SA"),
    ("europe", "EU", "south_africa", "ZA"),
    ("india", "IN", "asia_pacific", "AP"),
    ("india", "IN", "australia", "AU"),
    ("india", "IN", "europe", "EU"),
    ("india", "IN", "india", "IN"),
    ("india", "IN", "south_korea", "KR"),
    ("india", "IN", "middle_east", "ME"),
    ("india", "IN", "north_america", "NA"),
    ("india", "IN", "south_america", "SA"),
    ("india", "IN", "south_africa", "ZA"),
    ("south_korea", "KR", "asia_pacific", "AP"),
    ("south_korea", "KR", "australia", "AU"),
    ("south_korea", "KR", "europe", "EU"),
    ("south_korea", "KR", "india", "IN"),
    ("south_korea", "KR", "south_korea", "KR"),
    ("south_korea", "KR", "middle_east", "ME"),
    ("south_korea", "KR", "north_america", "NA"),
    ("south_korea", "KR", "south_america", "SA"),
    ("south_korea", "KR", "south_africa", "ZA"),
    ("middle_east", "ME", "asia_pacific", "AP"),
    ("middle_east", "ME", "australia", "AU"),
    ("middle_east", "ME", "europe", "EU"),
    ("middle_east", "ME", "india", "IN"),
    ("middle_east", "ME", "south_korea", "KR"),
    ("middle_east", "ME", "middle_east", "ME"),
    ("middle_east", "ME", "north_america", "NA"),
    ("middle_east", "ME", "south_america", "SA"),
    ("middle_east", "ME", "south_africa", "ZA"),
    ("north_america", "NA", "asia_pacific", "AP"),
    ("north_america", "NA", "australia", "AU"),
    ("north_america", "NA", "europe", "EU"),
    ("north_america", "NA", "india", "IN"),
    ("north_america", "NA", "south_korea", "KR"),
    ("north_america", "NA", "middle_east", "ME"),
    ("north_america", "NA", "north_america", "NA"),
    ("north_america", "NA", "south_america", "SA"),
    ("north_america", "NA", "south_africa", "ZA"),
    ("south_america", "SA", "asia_pacific", "AP"),
    ("south_america", "SA", "australia", "AU"),
    ("south_america", "SA", "europe", "EU"),
    ("south_america", "SA", "india", "IN"),
    ("south_america", "SA", "south_korea", "KR"),
    ("south_america", "SA", "middle_east", "ME"),
    ("south_america", "SA", "north_america", "NA"),
    ("south_america", "SA", "south_america", "SA"),
    ("south_america", "SA", "south_africa", "ZA"),
    ("south_africa", "ZA", "asia_pacific", "AP"),
    ("south_africa", "ZA", "australia", "AU"),
    ("south_africa", "ZA", "europe", "EU"),
    ("south_africa", "ZA", "india", "IN"),
    ("south_africa", "ZA", "south_korea", "KR"),
    ("south_africa", "ZA", "middle_east", "ME"),
    ("south_africa", "ZA", "north_america", "NA"),
    ("south_africa", "ZA", "south_america", "SA"),
    ("south_africa", "ZA", "south_africa", "ZA"),
];

pub(crate) const USAGE_KEYS: &[&str] = &[
    "monthly_inbound_data_transfer_gb.from_asia_pacific_to_asia_pacific",
    "monthly_inbound_data_transfer_gb.from_asia_pacific_to_australia",
    "monthly_inbound_data_transfer_gb.from_asia_pacific_to_europe",
    "monthly_inbound_data_transfer_gb.from_asia_pacific_to_india",
    "monthly_inbound_data_transfer_gb.from_asia_pacific_to_south_korea",
    "monthly_inbound_data_transfer_gb.from_asia_pacific_to_middle_east",
    "monthly_inbound_data_transfer_gb.from_asia_pacific_to_north_america",
    "monthly_inbound_data_transfer_gb.from_asia_pacific_to_south_america",
    "monthly_inbound_data_transfer_gb.from_asia_pacific_to_south_africa",
    "monthly_inbound_data_transfer_gb.from_australia_to_asia_pacific",
    "monthly_inbound_data_transfer_gb.from_australia_to_australia",
    "monthly_inbound_data_transfer_gb.from_australia_to_europe",
    "monthly_inbound_data_transfer_gb.from_australia_to_india",
    "monthly_inbound_data_transfer_gb.from_australia_to_south_korea",
    "monthly_inbound_data_transfer_gb.from_australia_to_middle_east",
    "monthly_inbound_data_transfer_gb.from_australia_to_north_america",
    "monthly_inbound_data_transfer_gb.from_australia_to_south_america",
    "monthly_inbound_data_transfer_gb.from_australia_to_south_africa",
    "monthly_inbound_data_transfer_gb.from_europe_to_asia_pacific",
    "monthly_inbound_data_transfer_gb.from_europe_to_australia",
    "monthly_inbound_data_transfer_gb.from_europe_to_europe",
    "monthly_inbound_data_transfer_gb.from_europe_to_india",
    "monthly_inbound_data_transfer_gb.from_europe_to_south_korea",
    "monthly_inbound_data_transfer_gb.from_europe_to_middle_east",
    "monthly_inbound_data_transfer_gb.from_europe_to_north_america",
    "monthly_inbound_data_transfer_gb.from_europe_to_south_america",
    "monthly_inbound_data_transfer_gb.from_europe_to_south_africa",
    "monthly_inbound_data_transfer_gb.from_india_to_asia_pacific",
    "monthly_inbound_data_transfer_gb.from_india_to_australia",
    "monthly_inbound_data_transfer_gb.from_india_to_europe",
    "monthly_inbound_data_transfer_gb.from_india_to_india",
    "monthly_inbound_data_transfer_gb.from_india_to_south_korea",
    "monthly_inbound_data_transfer_gb.from_india_to_middle_east",
    "monthly_inbound_data_transfer_gb.from_india_to_north_america",
    "monthly_inbound_data_transfer_gb.from_india_to_south_america",
    "monthly_inbound_data_transfer_gb.from_india_to_south_africa",
    "monthly_inbound_data_transfer_gb.from_south_korea_to_asia_pacific",
    "monthly_inbound_data_transfer_gb.from_south_korea_to_australia",
    "monthly_inbound_data_transfer_gb.from_south_korea_to_europe",
    "monthly_inbound_data_transfer_gb.from_south_korea_to_india",
    "monthly_inbound_data_transfer_gb.from_south_korea_to_south_korea",
    "monthly_inbound_data_transfer_gb.from_south_korea_to_middle_east",
    "monthly_inbound_data_transfer_gb.from_south_korea_to_north_america",
    "monthly_inbound_data_transfer_gb.from_south_korea_to_south_america",
    "monthly_inbound_data_transfer_gb.from_south_korea_to_south_africa",
    "monthly_inbound_data_transfer_gb.from_middle_east_to_asia_pacific",
    "monthly_inbound_data_transfer_gb.from_middle_east_to_australia",
    "monthly_inbound_data_transfer_gb.from_middle_east_to_europe",
    "monthly_inbound_data_transfer_gb.from_middle_east_to_india",
    "monthly_inbound_data_transfer_gb.from_middle_east_to_south_korea",
    "monthly_inbound_data_transfer_gb.from_middle_east_to_middle_east",
    "monthly_inbound_data_transfer_gb.from_middle_east_to_north_america",
    "monthly_inbound_data_transfer_gb.from_middle_east_to_south_america",
    "monthly_inbound_data_transfer_gb.from_middle_east_to_south_africa",
    "monthly_inbound_data_transfer_gb.from_north_america_to_asia_pacific",
    "monthly_inbound_data_transfer_gb.from_north_america_to_australia",
    "monthly_inbound_data_transfer_gb.from_north_america_to_europe",
    "monthly_inbound_data_transfer_gb.from_north_america_to_india",
    "monthly_inbound_data_transfer_gb.from_north_america_to_south_korea",
    "monthly_inbound_data_transfer_gb.from_north_america_to_middle_east",
    "monthly_inbound_data_transfer_gb.from_north_america_to_north_america",
    "monthly_inbound_data_transfer_gb.from_north_america_to_south_america",
    "monthly_inbound_data_transfer_gb.from_north_america_to_south_africa",
    "monthly_inbound_data_transfer_gb.from_south_america_to_asia_pacific",
    "monthly_inbound_data_transfer_gb.from_south_america_to_australia",
    "monthly_inbound_data_transfer_gb.from_south_america_to_europe",
    "monthly_inbound_data_transfer_gb.from_south_america_to_india",
    "monthly_inbound_data_transfer_gb.from_south_america_to_south_korea",
    "monthly_inbound_data_transfer_gb.from_south_america_to_middle_east",
    "monthly_inbound_data_transfer_gb.from_south_america_to_north_america",
    "monthly_inbound_data_transfer_gb.from_south_america_to_south_america",
    "monthly_inbound_data_transfer_gb.from_south_america_to_south_africa",
    "monthly_inbound_data_transfer_gb.from_south_africa_to_asia_pacific",
    "monthly_inbound_data_transfer_gb.from_south_africa_to_australia",
    "monthly_inbound_data_transfer_gb.from_south_africa_to_europe",
    "monthly_inbound_data_transfer_gb.from_south_africa_to_india",
    "monthly_inbound_data_transfer_gb.from_south_africa_to_south_korea",
    "monthly_inbound_data_transfer_gb.from_south_africa_to_middle_east",
    "monthly_inbound_data_transfer_gb.from_south_africa_to_north_america",
    "monthly_inbound_data_transfer_gb.from_south_africa_to_south_america",
    "monthly_inbound_data_transfer_gb.from_south_africa_to_south_africa",
    "monthly_outbound_data_transfer_gb.from_asia_pacific_to_asia_pacific",
    "monthly_outbound_data_transfer_gb.from_asia_pacific_to_australia",
    "monthly_outbound_data_transfer_gb.from_asia_pacific_to_europe",
    "monthly_outbound_data_transfer_gb.from_asia_pacific_to_india",
    "monthly_outbound_data_transfer_gb.from_asia_pacific_to_south_korea",
    "monthly_outbound_data_transfer_gb.from_asia_pacific_to_middle_east",
    "monthly_outbound_data_transfer_gb.from_asia_pacific_to_north_america",
    "monthly_outbound_data_transfer_gb.from_asia_pacific_to_south_america",
    "monthly_outbound_data_transfer_gb.from_asia_pacific_to_south_africa",
    "monthly_outbound_data_transfer_gb.from_australia_to_asia_pacific",
    "monthly_outbound_data_transfer_gb.from_australia_to_australia",
    "monthly_outbound_data_transfer_gb.from_australia_to_europe",
    "monthly_outbound_data_transfer_gb.from_australia_to_india",
    "monthly_outbound_data_transfer_gb.from_australia_to_south_korea",
    "monthly_outbound_data_transfer_gb.from_australia_to_middle_east",
    "monthly_outbound_data_transfer_gb.from_australia_to_north_america",
    "monthly_outbound_data_transfer_gb.from_australia_to_south_america",
    "monthly_outbound_data_transfer_gb.from_australia_to_south_africa",
    "monthly_outbound_data_transfer_gb.from_europe_to_asia_pacific",
    "monthly_outbound_data_transfer_gb.from_europe_to_australia",
    "monthly_outbound_data_transfer_gb.from_europe_to_europe",
    "monthly_outbound_data_transfer_gb.from_europe_to_india",
    "monthly_outbound_data_transfer_gb.from_europe_to_south_korea",
    "monthly_outbound_data_transfer_gb.from_europe_to_middle_east",
    "monthly_outbound_data_transfer_gb.from_europe_to_north_america",
    "monthly_outbound_data_transfer_gb.from_europe_to_south_america",
    "monthly_outbound_data_transfer_gb.from_europe_to_south_africa",
    "monthly_outbound_data_transfer_gb.from_india_to_asia_pacific",
    "monthly_outbound_data_transfer_gb.from_india_to_australia",
    "monthly_outbound_data_transfer_gb.from_india_to_europe",
    "monthly_outbound_data_transfer_gb.from_india_to_india",
    "monthly_outbound_data_transfer_gb.from_india_to_south_korea",
    "monthly_outbound_data_transfer_gb.from_india_to_middle_east",
    "monthly_outbound_data_transfer_gb.from_india_to_north_america",
    "monthly_outbound_data_transfer_gb.from_india_to_south_america",
    "monthly_outbound_data_transfer_gb.from_india_to_south_africa",
    "monthly_outbound_data_transfer_gb.from_south_korea_to_asia_pacific",
    "monthly_outbound_data_transfer_gb.from_south_korea_to_australia",
    "monthly_outbound_data_transfer_gb.from_south_korea_to_europe",
    "monthly_outbound_data_transfer_gb.from_south_korea_to_india",
    "monthly_outbound_data_transfer_gb.from_south_korea_to_south_korea",
    "monthly_outbound_data_transfer_gb.from_south_korea_to_middle_east",
    "monthly_outbound_data_transfer_gb.from_south_korea_to_north_america",
    "monthly_outbound_data_transfer_gb.from_south_korea_to_south_america",
    "monthly_outbound_data_transfer_gb.from_south_korea_to_south_africa",
    "monthly_outbound_data_transfer_gb.from_middle_east_to_asia_pacific",
    "monthly_outbound_data_transfer_gb.from_middle_east_to_australia",
    "monthly_outbound_data_transfer_gb.from_middle_east_to_europe",
    "monthly_outbound_data_transfer_gb.from_middle_east_to_india",
    "monthly_outbound_data_transfer_gb.from_middle_east_to_south_korea",
    "monthly_outbound_data_transfer_gb.from_middle_east_to_middle_east",
    "monthly_outbound_data_transfer_gb.from_middle_east_to_north_america",
    "monthly_outbound_data_transfer_gb.from_middle_east_to_south_america",
    "monthly_outbound_data_transfer_gb.from_middle_east_to_south_africa",
    "monthly_outbound_data_transfer_gb.from_north_america_to_asia_pacific",
    "monthly_outbound_data_transfer_gb.from_north_america_to_australia",
    "monthly_outbound_data_transfer_gb.from_north_america_to_europe",
    "monthly_outbound_data_transfer_gb.from_north_america_to_india",
    "monthly_outbound_data_transfer_gb.from_north_america_to_south_korea",
    "monthly_outbound_data_transfer_gb.from_north_america_to_middle_east",
    "monthly_outbound_data_transfer_gb.from_north_america_to_north_america",
    "monthly_outbound_data_transfer_gb.from_north_america_to_south_america",
    "monthly_outbound_data_transfer_gb.from_north_america_to_south_africa",
    "monthly_outbound_data_transfer_gb.from_south_america_to_asia_pacific",
    "monthly_outbound_data_transfer_gb.from_south_america_to_australia",
    "monthly_outbound_data_transfer_gb.from_south_america_to_europe",
    "monthly_outbound_data_transfer_gb.from_south_america_to_india",
    "monthly_outbound_data_transfer_gb.from_south_america_to_south_korea",
    "monthly_outbound_data_transfer_gb.from_south_america_to_middle_east",
    "monthly_outbound_data_transfer_gb.from_south_america_to_north_america",
    "monthly_outbound_data_transfer_gb.from_south_america_to_south_america",
    "monthly_outbound_data_transfer_gb.from_south_america_to_south_africa",
    "monthly_outbound_data_transfer_gb.from_south_africa_to_asia_pacific",
    "monthly_outbound_data_transfer_gb.from_south_africa_to_australia",
    "monthly_outbound_data_transfer_gb.from_south_africa_to_europe",
    "monthly_outbound_data_transfer_gb.from_south_africa_to_india",
    "monthly_outbound_data_transfer_gb.from_south_africa_to_south_korea",
    "monthly_outbound_data_transfer_gb.from_south_africa_to_middle_east",
    "monthly_outbound_data_transfer_gb.from_south_africa_to_north_america",
    "monthly_outbound_data_transfer_gb.from_south_africa_to_south_america",
    "monthly_outbound_data_transfer_gb.from_south_africa_to_south_africa",
];

pub(crate) fn price(_attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    p.push(ComponentSpec::hourly(
        "Global Accelerator Fixed Fee",
        "hours",
        Decimal::ONE,
        PriceFilter::aws("AWSGlobalAccelerator", "Accelerator", "global", "Hrs")
            .attr("usagetype", "Accelerator-Hours"),
    ));
    let amounts = |direction: &str| -> Vec<(usize, Decimal)> {
        PAIRS
            .iter()
            .enumerate()
            .filter_map(|(i, (from, _, to, _))| {
                let key = format!("monthly_{direction}_data_transfer_gb.from_{from}_to_{to}");
                ctx.usage.decimal(&key).map(|gb| (i, gb))
            })
            .collect()
    };
    let inbound = amounts("inbound");
    let outbound = amounts("outbound");
    let total = |v: &[(usize, Decimal)]| v.iter().map(|(_, gb)| *gb).sum::<Decimal>();
    let (direction, dominant) = if total(&outbound) > total(&inbound) {
        ("OUT", outbound)
    } else {
        ("IN", inbound)
    };
    if dominant.iter().all(|(_, gb)| gb.is_zero()) {
        return p;
    }
    for (i, gb) in dominant {
        let (_, from, _, to) = PAIRS[i];
        p.push(ComponentSpec::monthly(
            format!("Global Accelerator DT-Premium Usage {direction} from {from} to {to}"),
            "GB",
            gb,
            PriceFilter::aws(
                "AWSGlobalAccelerator",
                "Data Transfer Premium",
                "global",
                "GB",
            )
            .attr(
                "usagetype",
                format!("{from}-{to}-{direction}-Bytes-Internet"),
            ),
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
    fn fixed_fee_alone_without_usage() {
        let r = price(
            "aws_globalaccelerator_accelerator",
            json!({"enabled": true}),
            "us-west-2",
            None,
        );
        // 730 h × $0.025 = $18.25.
        assert_eq!(r.cost_components.len(), 1);
        assert_eq!(
            component(&r, "Global Accelerator Fixed Fee").monthly_cost,
            Some(dec!(18.25))
        );
    }

    #[test]
    fn dominant_direction_is_priced_per_region_pair() {
        let usage = "version: 0.1\nresource_usage:\n  aws_globalaccelerator_accelerator.test:\n    monthly_inbound_data_transfer_gb:\n      from_north_america_to_europe: 100\n    monthly_outbound_data_transfer_gb:\n      from_north_america_to_asia_pacific: 1000\n      from_north_america_to_europe: 5000\n      from_europe_to_india: 10\n";
        let r = price(
            "aws_globalaccelerator_accelerator",
            json!({}),
            "us-east-1",
            Some(usage),
        );
        // Outbound (6,010 GB) beats inbound (100 GB): 1,000 GB × $0.035 = $35;
        // 5,000 GB × $0.015 = $75; EU→IN has no price in the tables.
        assert_eq!(
            component(&r, "Global Accelerator DT-Premium Usage OUT from NA to AP").monthly_cost,
            Some(dec!(35))
        );
        assert_eq!(
            component(&r, "Global Accelerator DT-Premium Usage OUT from NA to EU").monthly_cost,
            Some(dec!(75))
        );
        assert_eq!(
            component(&r, "Global Accelerator DT-Premium Usage OUT from EU to IN").status,
            ComponentStatus::NoPriceFound
        );
        assert!(
            r.cost_components
                .iter()
                .all(|c| !c.name.contains(" IN from"))
        );
    }
}
