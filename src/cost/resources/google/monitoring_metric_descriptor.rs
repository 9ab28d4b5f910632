//! `google_monitoring_metric_descriptor`: a custom metric's ingested volume
//! and its API calls, from the usage file, as Infracost prices them:
//! - `monthly_monitoring_data_mb`: MB ingested, tiered at 100,000 MB and
//!   250,000 MB ("Monitoring data (first 100K)", "(next 150K)", "(over
//!   250K)"); Google's first 150 MB a month are free per billing account,
//!   which one resource cannot claim, so all of it is priced, as Infracost does;
//! - `monthly_api_calls`: calls, shown per 1,000, all at the paid rate.

use super::filter;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};
use rust_decimal_macros::dec;

pub(crate) fn price(_attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let monitoring = |description: &'static str, unit: &'static str| {
        filter(
            "Cloud Monitoring",
            "ApplicationServices",
            "global",
            unit,
            "on_demand",
        )
        .attr("description", description)
    };
    p.push(
        ComponentSpec::usage(
            "Monitoring data",
            "MB",
            ctx.usage.decimal("monthly_monitoring_data_mb"),
            monitoring("Metric Volume", "MiB"),
        )
        .tier_names(&[
            "Monitoring data (first 100K)",
            "Monitoring data (next 150K)",
            "Monitoring data (over 250K)",
        ]),
    );
    p.push(
        ComponentSpec::usage(
            "API calls",
            "1k calls",
            ctx.usage.decimal("monthly_api_calls"),
            monitoring("Monitoring API Requests", "Count"),
        )
        .per(dec!(1000)),
    );
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    const T: &str = "google_monitoring_metric_descriptor";

    #[test]
    fn metric_volume_is_tiered_and_api_calls_are_per_thousand() {
        // 500,000 MB: 100,000 × $0.258 = $25,800; 150,000 × $0.151 = $22,650;
        // 250,000 × $0.061 = $15,250. 1,000,000 calls = 1,000 × 1k × $0.01 = $10
        let usage = "version: 0.1\nresource_usage:\n  google_monitoring_metric_descriptor.test:\n    monthly_monitoring_data_mb: 500000\n    monthly_api_calls: 1000000\n";
        let r = price(
            T,
            json!({"type": "custom.googleapis.com/x"}),
            "us-central1",
            Some(usage),
        );
        for (name, mb, cost) in [
            ("Monitoring data (first 100K)", dec!(100000), dec!(25800)),
            ("Monitoring data (next 150K)", dec!(150000), dec!(22650)),
            ("Monitoring data (over 250K)", dec!(250000), dec!(15250)),
        ] {
            let c = component(&r, name);
            assert_eq!(c.monthly_quantity, Some(mb), "{name}");
            assert_eq!(c.monthly_cost.map(|c| c.normalize()), Some(cost), "{name}");
        }
        let api = component(&r, "API calls");
        assert_eq!(api.monthly_quantity, Some(dec!(1000)));
        assert_eq!(api.monthly_cost.map(|c| c.normalize()), Some(dec!(10)));
    }

    #[test]
    fn without_usage_the_first_tier_and_the_calls_are_usage_based() {
        let r = price(
            T,
            json!({"type": "custom.googleapis.com/x"}),
            "us-central1",
            None,
        );
        let data = component(&r, "Monitoring data (first 100K)");
        assert_eq!(data.status, ComponentStatus::UsageMissing);
        assert_eq!(data.price, Some(dec!(0.258)));
        let api = component(&r, "API calls");
        assert_eq!(api.status, ComponentStatus::UsageMissing);
        assert_eq!(r.cost_components.len(), 2);
    }
}
